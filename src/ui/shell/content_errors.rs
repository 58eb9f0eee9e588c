//! Shown instead of the app when the bundled content does not load.

use leptos::prelude::*;

use crate::domain::content::ContentError;
use crate::i18n::*;

/// Shown instead of the app when the bundled content does not load.
#[component]
pub fn ContentErrors(errors: Vec<ContentError>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="page">
            <div class="banner banner--error" role="alert">
                <p>{t!(i18n, content_error)}</p>
                <ul>{errors.into_iter().map(|e| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
            </div>
        </main>
    }
}
