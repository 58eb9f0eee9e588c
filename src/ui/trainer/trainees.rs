//! Picking who is using the shared tablet: trainees by name or employee id, with a
//! colour-and-initials avatar; a new trainee in one step; the trainer's way in.

use leptos::prelude::*;

use crate::browser::platform::{new_id, now};
use crate::domain::device::Action;
use crate::i18n::*;
use crate::ui::common::avatar::Avatar;
use crate::ui::common::context::ProgressCtx;
use crate::ui::common::errors::act_error;
use crate::ui::trainer::unlock::Unlock;

#[component]
pub fn Picker() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    let query = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let employee = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let trainer_open = RwSignal::new(false);
    // The next person starts on their own home, never inside the last person's page.
    let navigate = StoredValue::new(leptos_router::hooks::use_navigate());
    let start_as = move |id: String| {
        let after_someone = ctx.switched_away.get_untracked();
        ctx.switch(Some(id));
        if after_someone {
            ctx.switched_away.set(false);
            navigate.with_value(|n| n("/", Default::default()));
        }
    };
    // A name already on the device: ask before making a second card of one person.
    let same_name = RwSignal::new(Vec::<crate::domain::profiles::Profile>::new());
    let create_anyway = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !create_anyway.get_untracked() {
            let existing: Vec<_> = ctx
                .profiles
                .with_untracked(|ps| ps.named(&name.get_untracked()).into_iter().cloned().collect());
            if !existing.is_empty() {
                same_name.set(existing);
                return;
            }
        }
        create_anyway.set(false);
        same_name.set(Vec::new());
        let id = new_id();
        let action = Action::CreateTrainee {
            id: id.clone(),
            name: name.get_untracked(),
            employee_id: employee.get_untracked(),
            at: now(),
        };
        leptos::task::spawn_local(async move {
            match ctx.act(action).await {
                Ok(_) => {
                    name.set(String::new());
                    employee.set(String::new());
                    error.set(None);
                    start_as(id);
                }
                Err(e) => error.set(Some(act_error(i18n, &e))),
            }
        });
    };
    let list = move || {
        let q = query.get();
        ctx.profiles.with(|ps| {
            ps.search(&q)
                .into_iter()
                .map(|p| {
                    let id = p.id.clone();
                    let employee = p.employee_id.clone();
                    view! {
                        <li>
                            <button class="profile" type="button" data-profile=p.name.clone() on:click=move |_| start_as(id.clone())>
                                <Avatar profile=p.clone() />
                                <span class="profile__name">{p.name.clone()}</span>
                                {employee.map(|e| view! { <span class="muted profile__id">{e}</span> })}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let has_profiles = move || ctx.profiles.with(|p| !p.active().is_empty());
    view! {
        <section class="picker" data-testid="profile-picker">
            <h1>{t!(i18n, picker_heading)}</h1>
            <Show when=has_profiles>
                <label class="field">
                    <span>{t!(i18n, picker_search)}</span>
                    <input type="search" prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) data-testid="profile-search" />
                </label>
                <ul class="profiles">{list}</ul>
            </Show>
            <form class="card new-profile" on:submit=create>
                <h2 class="card__title">{t!(i18n, new_trainee)}</h2>
                <div class="new-profile__fields">
                    <label class="field">
                        <span>{t!(i18n, trainee_name)}</span>
                        <input type="text" maxlength="40" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) data-testid="new-trainee-name" />
                    </label>
                    <label class="field">
                        <span>{t!(i18n, employee_id_optional)}</span>
                        <input type="text" maxlength="30" prop:value=move || employee.get() on:input=move |ev| employee.set(event_target_value(&ev)) data-testid="new-trainee-id" />
                    </label>
                </div>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                {move || {
                    let list = same_name.get();
                    (!list.is_empty()).then(|| {
                        let typed = name.get_untracked().trim().to_string();
                        view! {
                            <div class="banner banner--warn" role="alert" data-testid="duplicate-warning">
                                <p>{t_string!(i18n, dup_warning, name = typed).to_string()}</p>
                                <ul class="profiles">
                                    {list.into_iter().map(|p| {
                                        let id = p.id.clone();
                                        view! {
                                            <li><button class="profile" type="button" data-testid="use-existing" on:click=move |_| {
                                                same_name.set(Vec::new());
                                                name.set(String::new());
                                                start_as(id.clone());
                                            }>
                                                <Avatar profile=p.clone() />
                                                <span class="profile__name">{p.name.clone()}</span>
                                                {p.employee_id.clone().map(|e| view! { <span class="muted profile__id">{e}</span> })}
                                                <span class="muted">{t!(i18n, dup_use_existing)}</span>
                                            </button></li>
                                        }
                                    }).collect_view()}
                                </ul>
                                <button class="btn btn--ghost" type="submit" data-testid="create-anyway" on:click=move |_| create_anyway.set(true)>{t!(i18n, dup_create_anyway)}</button>
                            </div>
                        }
                    })
                }}
                <button class="btn btn--primary btn--big" type="submit" data-testid="create-trainee">{t!(i18n, create_trainee)}</button>
            </form>
            <div class="picker__trainer">
                <button class="btn btn--ghost" type="button" on:click=move |_| trainer_open.update(|o| *o = !*o) data-testid="open-trainer">
                    {t!(i18n, trainer_mode)}
                </button>
                <Show when=move || trainer_open.get()>
                    <Unlock />
                </Show>
            </div>
            <p class="muted picker__note">{t!(i18n, picker_note)}</p>
        </section>
    }
}
