//! The screen for an unknown address.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h1>{t!(i18n, not_found)}</h1>
            <A href="/" attr:class="btn btn--primary">{t!(i18n, go_home)}</A>
        </section>
    }
}
