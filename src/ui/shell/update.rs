//! "A new version is ready": shown while a new service worker waits; it applies only when tapped.

use leptos::prelude::*;

use crate::i18n::*;

/// Whether a new version of the app is installed and waiting to take over.
#[derive(Clone, Copy)]
pub struct UpdateCtx {
    /// True once a new version waits; it stays waiting until the user applies it.
    pub waiting: ReadSignal<bool>,
}

impl UpdateCtx {
    /// Registers the service worker and provides the context (once, at the app's root).
    /// Without service workers `waiting` simply stays false.
    pub fn provide() -> Self {
        let (waiting, set_waiting) = signal(false);
        leptos::task::spawn_local(async move {
            let _ = crate::browser::sw::register(move |w| set_waiting.set(w)).await;
        });
        let ctx = UpdateCtx { waiting };
        provide_context(ctx);
        ctx
    }

    /// The context, or a never-waiting one where it was not provided (tests, error screens).
    pub fn expect() -> Self {
        use_context::<UpdateCtx>().unwrap_or_else(|| UpdateCtx {
            waiting: signal(false).0,
        })
    }
}

/// The update banner: a bilingual notice with one button that applies the new version.
/// Work in progress is already saved after every answer, so the reload loses nothing.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = UpdateCtx::expect();
    let (applying, set_applying) = signal(false);
    move || {
        ctx.waiting.get().then(|| {
            view! {
                <div class="banner banner--info" role="status" data-testid="update-banner">
                    <span>{t!(i18n, update_ready)}</span>
                    " "
                    <button
                        class="btn btn--primary"
                        type="button"
                        data-testid="apply-update"
                        disabled=move || applying.get()
                        on:click=move |_| {
                            set_applying.set(true);
                            leptos::task::spawn_local(crate::browser::sw::apply_update());
                        }
                    >
                        {t!(i18n, update_apply)}
                    </button>
                </div>
            }
        })
    }
}
