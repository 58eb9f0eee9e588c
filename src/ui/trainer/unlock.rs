//! The trainer PIN: set it on first use, enter it afterwards (with a back-off after wrong tries).

use leptos::prelude::*;

use crate::browser::platform::{now, random_bytes};
use crate::domain::device::{Action, RecoveryCode};
use crate::domain::profiles::{PIN_ROUNDS, PinError, TrainerLock};
use crate::i18n::*;
use crate::ui::common::context::ProgressCtx;
use crate::ui::common::errors::act_error;

/// Set the PIN (first use) or enter it.
#[component]
pub fn Unlock() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    let pin = RwSignal::new(String::new());
    // Opened from the picker below the fold: bring the PIN field into view with the focus.
    let pin_field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = pin_field.get() {
            crate::browser::platform::focus(&el);
        }
    });
    let again = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let has_pin = move || ctx.lock.with(|l| l.is_some());
    let lock_unreadable = move || ctx.device.with(|d| d.trainer.is_bad());
    let recovering = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let new_secret = move |p: &str| {
        let lock = TrainerLock::set(p, random_bytes(), PIN_ROUNDS).ok()?;
        let mut random = [0u8; 10];
        random.copy_from_slice(&random_bytes()[..10]);
        let (shown, recovery) = RecoveryCode::new(random, random_bytes());
        Some((lock, shown, recovery))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = pin.get_untracked();
        let at = now();
        if recovering.get_untracked() || lock_unreadable() || !has_pin() {
            if p != again.get_untracked() {
                message.set(Some(t_string!(i18n, pin_mismatch).to_string()));
                return;
            }
            let Some((lock, shown, recovery)) = new_secret(&p) else {
                message.set(Some(t_string!(i18n, pin_format).to_string()));
                return;
            };
            let action = if recovering.get_untracked() || lock_unreadable() {
                Action::RecoverPin {
                    code: code.get_untracked(),
                    lock,
                    recovery,
                }
            } else {
                Action::SetPin {
                    lock,
                    recovery,
                    replace: false,
                }
            };
            leptos::task::spawn_local(async move {
                match ctx.act(action).await {
                    Ok(_) => {
                        pin.set(String::new());
                        again.set(String::new());
                        code.set(String::new());
                        message.set(None);
                        recovering.set(false);
                        ctx.recovery_code.set(Some(shown));
                        ctx.set_trainer(true);
                    }
                    Err(e) => message.set(Some(act_error(i18n, &e))),
                }
            });
            return;
        }
        let Some(mut lock) = ctx.lock.get_untracked() else {
            return;
        };
        let result = lock.check(&p, at).and_then(|ok| {
            // The back-off is counted on the stored lock too (another tab may have tried).
            ctx.act_later(Action::UnlockAttempt { ok, at });
            lock.register(ok, at)
        });
        ctx.lock.set(Some(lock));
        pin.set(String::new());
        match result {
            Ok(()) => {
                message.set(None);
                ctx.set_trainer(true);
            }
            Err(PinError::Wrong { tries_before_wait }) => {
                message.set(Some(t_string!(i18n, pin_wrong, n = tries_before_wait).to_string()))
            }
            Err(e @ PinError::Locked(_)) => {
                let secs = e.wait_seconds(now()).unwrap_or(1);
                message.set(Some(t_string!(i18n, pin_locked, s = secs).to_string()))
            }
            Err(PinError::Format) => message.set(Some(t_string!(i18n, pin_format).to_string())),
        }
    };
    let new_pin = move || recovering.get() || lock_unreadable() || !has_pin();
    view! {
        <form class="card unlock" on:submit=submit data-testid="trainer-unlock">
            <h2 class="card__title">{move || if new_pin() { t_string!(i18n, pin_set) } else { t_string!(i18n, pin_enter) }}</h2>
            <Show when=lock_unreadable>
                <p class="banner banner--warn" role="alert" data-testid="lock-unreadable">{t!(i18n, recovery_lock_unreadable)}</p>
            </Show>
            <Show when=move || recovering.get() || lock_unreadable()>
                <label class="field">
                    <span>{t!(i18n, recovery_code_label)}</span>
                    <input type="text" autocomplete="off" autocapitalize="characters" maxlength="24" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) data-testid="recovery-code" />
                </label>
            </Show>
            <label class="field">
                <span>{t!(i18n, pin_label)}</span>
                <input type="password" inputmode="numeric" autocomplete="off" maxlength="12" node_ref=pin_field prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev)) data-testid="pin" />
            </label>
            <Show when=new_pin>
                <label class="field">
                    <span>{t!(i18n, pin_again)}</span>
                    <input type="password" inputmode="numeric" autocomplete="off" maxlength="12" prop:value=move || again.get() on:input=move |ev| again.set(event_target_value(&ev)) data-testid="pin-again" />
                </label>
                <p class="muted">{t!(i18n, pin_hint)}</p>
            </Show>
            {move || message.get().map(|m| view! { <p class="form-error" role="alert" data-testid="pin-message">{m}</p> })}
            <button class="btn btn--primary" type="submit" data-testid="pin-submit">{t!(i18n, unlock)}</button>
            <Show when=move || has_pin() && !lock_unreadable() && !recovering.get()>
                <button class="btn btn--ghost" type="button" data-testid="use-recovery" on:click=move |_| { recovering.set(true); message.set(None); }>{t!(i18n, recovery_forgot)}</button>
            </Show>
        </form>
    }
}
