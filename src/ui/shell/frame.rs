//! The frame around every screen: header, language switch, storage banner, citation panel.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser::platform::download;
use crate::browser::storage::StorageError;
use crate::i18n::*;
use crate::ui::common::context::ProgressCtx;
use crate::ui::common::errors::{device_error, doc_name, unreadable_why};
use crate::ui::lesson::citation::{CitationCtx, CitationPanel};

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
            <Who />
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
        <crate::ui::shell::update::UpdateBanner />
        <main class="page" id="main" data-saving=move || (pending.get() > 0).to_string()>{children()}</main>
        <CitationPanel />
    }
}

/// Who is using the app: the trainee's avatar (tap to switch) or the trainer badge.
#[component]
fn Who() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    move || {
        let trainee = ctx
            .trainee
            .get()
            .and_then(|id| ctx.profiles.with(|p| p.get(&id).cloned()));
        let trainer = ctx.trainer.get();
        view! {
            {trainer.then(|| view! { <A href="/trainer" attr:class="btn btn--ghost topbar__trainer" attr:data-testid="trainer-badge">{t!(i18n, trainer_badge)}</A> })}
            {trainee.map(|p| {
                let name = p.name.clone();
                view! {
                    <A href="/progress" attr:class="topbar__who" attr:data-testid="current-trainee">
                        <crate::ui::common::avatar::Avatar profile=p small=true />
                        <span class="topbar__who-name">{name}</span>
                    </A>
                }
            })}
            {(ctx.trainee.get().is_some() || trainer).then(|| view! {
                <button class="btn btn--ghost" type="button" data-testid="switch-trainee" on:click=move |_| { ctx.set_trainer(false); ctx.switch(None); }>
                    {t!(i18n, switch_trainee)}
                </button>
            })}
        }
    }
}

/// A visible notice when progress cannot be saved or read.
#[component]
fn StorageBanner() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    let io = move || {
        ctx.storage.get().map(|e| {
            let msg = match e {
                StorageError::Unavailable => t_string!(i18n, storage_unavailable).to_string(),
                StorageError::Quota => t_string!(i18n, storage_full).to_string(),
            };
            view! {
                <div class="banner banner--warn" role="alert" data-testid="storage-banner">
                    {msg}
                    " " <button class="btn btn--primary" type="button" data-testid="export-unsaved" on:click=move |_| {
                        download("lixun-unsaved.json", &ctx.unsaved_json(), "application/json");
                    }>{t!(i18n, export_now)}</button>
                </div>
            }
        })
    };
    // Documents that cannot be read: each named, with what it means; nothing is overwritten.
    let unreadable = move || {
        ctx.device
            .with(|d| d.unreadable())
            .into_iter()
            .map(|(kind, why)| {
                let what = doc_name(i18n, kind);
                let why = unreadable_why(i18n, &why);
                view! {
                    <div class="banner banner--warn" role="alert" data-testid="storage-banner" data-doc=kind.key()>
                        {t_string!(i18n, doc_unreadable_banner, what = what, why = why).to_string()}
                    </div>
                }
            })
            .collect_view()
    };
    let records = move || {
        let n = ctx.quarantined_now.get();
        (n > 0).then(|| {
            view! {
                <div class="banner banner--warn" role="alert" data-testid="storage-banner" data-doc="records">
                    {t_string!(i18n, records_quarantined_banner, n = n).to_string()}
                </div>
            }
        })
    };
    let refused = move || {
        ctx.refused.get().map(|e| view! {
            <div class="banner banner--warn" role="alert" data-testid="refused-banner">{device_error(i18n, &e)}</div>
        })
    };
    let recovery = move || {
        ctx.recovery_code.get().map(|code| view! {
            <div class="card recovery-code" role="alertdialog" aria-labelledby="recovery-title" data-testid="recovery-card">
                <h2 class="card__title" id="recovery-title">{t!(i18n, recovery_code_title)}</h2>
                <p class="recovery-code__code" data-testid="recovery-code-shown">{code}</p>
                <p class="muted">{t!(i18n, recovery_code_hint)}</p>
                <button class="btn btn--primary" type="button" data-testid="recovery-done" on:click=move |_| ctx.recovery_code.set(None)>{t!(i18n, recovery_code_done)}</button>
            </div>
        })
    };
    view! { {io} {unreadable} {records} {refused} {recovery} }
}
