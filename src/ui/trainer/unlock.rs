//! The trainer PIN: set it on first use, enter it afterwards (with a back-off after wrong tries).

use leptos::prelude::*;

use crate::browser::platform::{now, random_bytes};
use crate::domain::profiles::{PIN_ROUNDS, PinError, TrainerLock};
use crate::i18n::*;
use crate::ui::common::context::ProgressCtx;

/// Set the PIN (first use) or enter it.
#[component]
pub fn Unlock() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let has_pin = move || ctx.lock.with(|l| l.is_some());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = pin.get_untracked();
        if !has_pin() {
            if p != again.get_untracked() {
                message.set(Some(t_string!(i18n, pin_mismatch).to_string()));
                return;
            }
            match TrainerLock::set(&p, random_bytes(), PIN_ROUNDS) {
                Ok(lock) => {
                    ctx.lock.set(Some(lock));
                    ctx.save_lock();
                    pin.set(String::new());
                    again.set(String::new());
                    message.set(None);
                    ctx.set_trainer(true);
                }
                Err(_) => message.set(Some(t_string!(i18n, pin_format).to_string())),
            }
            return;
        }
        let mut result = Err(PinError::Format);
        ctx.lock.update(|l| {
            if let Some(l) = l {
                result = l.try_unlock(&p, now());
            }
        });
        ctx.save_lock();
        pin.set(String::new());
        match result {
            Ok(()) => {
                message.set(None);
                ctx.set_trainer(true);
            }
            Err(PinError::Wrong { tries_before_wait }) => {
                message.set(Some(t_string!(i18n, pin_wrong, n = tries_before_wait).to_string()))
            }
            Err(PinError::Locked(until)) => {
                let secs = (until - now()).num_seconds().max(1);
                message.set(Some(t_string!(i18n, pin_locked, s = secs).to_string()))
            }
            Err(PinError::Format) => message.set(Some(t_string!(i18n, pin_format).to_string())),
        }
    };
    view! {
        <form class="card unlock" on:submit=submit data-testid="trainer-unlock">
            <h2 class="card__title">{move || if has_pin() { t_string!(i18n, pin_enter) } else { t_string!(i18n, pin_set) }}</h2>
            <label class="field">
                <span>{t!(i18n, pin_label)}</span>
                <input type="password" inputmode="numeric" autocomplete="off" maxlength="12" prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev)) data-testid="pin" />
            </label>
            <Show when=move || !has_pin()>
                <label class="field">
                    <span>{t!(i18n, pin_again)}</span>
                    <input type="password" inputmode="numeric" autocomplete="off" maxlength="12" prop:value=move || again.get() on:input=move |ev| again.set(event_target_value(&ev)) data-testid="pin-again" />
                </label>
                <p class="muted">{t!(i18n, pin_hint)}</p>
            </Show>
            {move || message.get().map(|m| view! { <p class="form-error" role="alert" data-testid="pin-message">{m}</p> })}
            <button class="btn btn--primary" type="submit" data-testid="pin-submit">{t!(i18n, unlock)}</button>
        </form>
    }
}
