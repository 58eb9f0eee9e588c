//! The frame around every screen: header, language switch, storage banner, citation panel.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::ProgressCtx;
use crate::browser::storage::StorageError;
use crate::i18n::*;
use crate::ui::citation::{CitationPanel, CitationCtx};

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    CitationCtx::provide();
    let pending = ProgressCtx::expect().pending;
    let switch = move |_| {
        let next = match i18n.get_locale() {
            Locale::zh_Hans => Locale::en,
            Locale::en => Locale::zh_Hans,
        };
        i18n.set_locale(next);
    };
    view! {
        <header class="topbar">
            <A href="/" attr:class="topbar__brand">
                <span class="topbar__mark" aria-hidden="true">"礼"</span>
                <span class="topbar__name">{t!(i18n, app_name)}</span>
            </A>
            <span class="pager__gap"></span>
            <A href="/results" attr:class="btn btn--ghost" attr:data-testid="open-results">
                <span aria-hidden="true">"☰ "</span>{t!(i18n, results_nav)}
            </A>
            <A href="/search" attr:class="btn btn--ghost" attr:data-testid="open-search">
                <span aria-hidden="true">"⌕ "</span>{t!(i18n, search)}
            </A>
            <button
                class="btn btn--ghost topbar__lang"
                on:click=switch
                attr:aria-label=move || t_string!(i18n, switch_language_label).to_string()
                data-testid="switch-language"
            >
                {t!(i18n, switch_language)}
            </button>
        </header>
        <StorageBanner />
        <main class="page" id="main" data-saving=move || (pending.get() > 0).to_string()>{children()}</main>
        <CitationPanel />
    }
}

/// A visible notice when progress cannot be saved or read.
#[component]
fn StorageBanner() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    move || {
        ctx.storage.get().map(|e| {
            let msg = match e {
                StorageError::Unavailable => t_string!(i18n, storage_unavailable).to_string(),
                StorageError::Quota => t_string!(i18n, storage_full).to_string(),
                StorageError::Corrupt(_) => t_string!(i18n, storage_corrupt).to_string(),
                StorageError::FromTheFuture(_) => t_string!(i18n, storage_future).to_string(),
            };
            view! {
                <div class="banner banner--warn" role="alert" data-testid="storage-banner">
                    {msg}
                </div>
            }
        })
    }
}
