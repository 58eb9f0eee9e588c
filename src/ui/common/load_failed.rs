//! The banner shown when content could not be loaded.

use leptos::prelude::*;

use crate::browser::fetch::LoadError;
use crate::i18n::*;

/// What went wrong, in the interface language.
pub fn load_error_text(i18n: I18n, e: LoadError) -> String {
    match e {
        LoadError::Network => t_string!(i18n, load_failed_network),
        LoadError::NotFound => t_string!(i18n, load_failed_not_found),
        LoadError::Damaged => t_string!(i18n, load_failed_damaged),
    }
    .to_string()
}

/// A fetch failed: what went wrong and a retry button.
#[component]
pub fn LoadFailed(
    /// Why the content could not be loaded.
    error: LoadError,
    /// Called when the user asks to try again.
    retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="banner banner--error" role="alert">
            <p>{load_error_text(i18n, error)}</p>
            <button class="btn btn--primary" type="button" on:click=move |_| retry.run(())>{t!(i18n, retry)}</button>
        </div>
    }
}
