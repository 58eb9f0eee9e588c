//! Live observation: a trainer marks each checklist item done / partly / missed / not
//! applicable with an optional note while two staff role-play; every mark is saved at once.
//! Finishing scores the marks on the rubric and saves a record for the observed trainee.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use std::sync::Arc;

use crate::browser::platform::{new_id, now, scroll_to_top};
use crate::domain::checklist::{Checklist, Mark, Observation, ObservationRecord};
use crate::domain::rubric::PassRule;
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::common::fetched::Fetched;
use crate::ui::common::labels::when;
use crate::ui::common::loaders::load_checklist;
use crate::ui::lesson::citation::Cites;
use crate::ui::quiz::scorecard::{CriterionTable, TotalLine};
use crate::ui::shell::not_found::NotFound;

pub fn mark_label(i18n: I18n, m: Mark) -> String {
    match m {
        Mark::Done => t_string!(i18n, mark_done_label),
        Mark::Partly => t_string!(i18n, mark_partly),
        Mark::Missed => t_string!(i18n, mark_missed),
        Mark::NotApplicable => t_string!(i18n, mark_na),
    }
    .to_string()
}

#[component]
pub fn ChecklistPage() -> impl IntoView {
    let params = use_params_map();
    let course = CourseCtx::expect();
    move || {
        let id = params.read().get("checklist").unwrap_or_default();
        if course.checklist(&id).is_none() {
            return view! { <NotFound /> }.into_any();
        }
        view! { <Fetched id load=load_checklist f=Arc::new(|c: Arc<Checklist>| view! { <Observer checklist=(*c).clone() /> }.into_any()) /> }.into_any()
    }
}

#[component]
fn Observer(checklist: Checklist) -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    let lang = use_lang();
    let navigate = use_navigate();
    let c = StoredValue::new(checklist.clone());
    let cid = StoredValue::new(checklist.id.clone());
    let obs =
        Memo::new(move |_| cid.with_value(|id| ctx.progress.with(|p| p.observations_in_progress.get(id).cloned())));
    let trainee = RwSignal::new(String::new());
    let open_note = RwSignal::new(None::<String>);
    let confirm_finish = RwSignal::new(false);
    let confirm_discard = RwSignal::new(false);

    let edit = move |f: Box<dyn FnOnce(&mut Observation)>| {
        let Some(mut o) = obs.get_untracked() else { return };
        f(&mut o);
        ctx.update(move |p| {
            p.observations_in_progress.insert(o.checklist.clone(), o);
        });
    };
    let start = move |_| {
        let name = trainee.get_untracked().trim().to_string();
        if name.is_empty() {
            return;
        }
        let c = c;
        leptos::task::spawn_local(async move {
            // A refusal (e.g. the trainee list cannot be read) is shown by the banner.
            let Ok(who) = ctx.trainee_for_name(&name).await else {
                return;
            };
            let o = c.with_value(|c| Observation::start(c, new_id(), who, now()));
            ctx.update(move |p| {
                p.observations_in_progress.insert(o.checklist.clone(), o);
            });
        });
    };
    let c2 = course.clone();
    let finish = move || {
        let Some(o) = obs.get_untracked() else { return };
        let Some(rubric) = ctx.rubric(&c2) else { return };
        let rubric = &rubric;
        let record = c.with_value(|c| o.finish(c, rubric, &c2.file.content_version, now()));
        let id = record.id.clone();
        ctx.update(move |p| {
            p.observations_in_progress.remove(&record.checklist);
            p.observations.push(record);
        });
        navigate(&format!("/observation/{id}"), Default::default());
    };
    let finish = StoredValue::new(finish);
    let try_finish = move |_| {
        let unmarked = obs.with_untracked(|o| o.as_ref().map(|o| c.with_value(|c| o.unmarked(c))));
        if unmarked.unwrap_or(0) > 0 && !confirm_finish.get_untracked() {
            confirm_finish.set(true);
        } else {
            finish.with_value(|f| f());
        }
    };
    let discard = move |_| {
        confirm_discard.set(false);
        ctx.update(move |p| {
            cid.with_value(|id| p.observations_in_progress.remove(id));
        });
        scroll_to_top();
    };

    let module = checklist.module.clone();
    let module_title = course.module(&module).map(|m| m.title.clone());
    let title = checklist.title.clone();
    let body = move || {
        let l = lang.get();
        let Some(o) = obs.get() else {
            let cl = c.get_value();
            return view! {
                <section class="card" data-testid="checklist-setup">
                    <p>{cl.summary.get(l).to_string()} " " <Cites cites=cl.cite.clone() /></p>
                    <p class="muted">{t_string!(i18n, checklist_scoring_note, mark = cl.pass_mark).to_string()}</p>
                    <label class="field">
                        <span>{t!(i18n, observed_trainee)}</span>
                        <input type="text" maxlength="60" required prop:value=move || trainee.get() on:input=move |ev| trainee.set(event_target_value(&ev)) data-testid="observed-name" />
                    </label>
                    <button class="btn btn--primary btn--big" type="button" on:click=start prop:disabled=move || trainee.get().trim().is_empty() data-testid="start-observation">
                        {t!(i18n, start_observation)}
                    </button>
                </section>
            }
            .into_any();
        };
        let cl = c.get_value();
        let rubric = course.default_rubric().cloned();
        let total_items = cl.items().count();
        let marked = o.marked(&cl);
        let sections = cl
            .sections
            .iter()
            .map(|sec| {
                let items = sec
                    .items
                    .iter()
                    .map(|it| {
                        let current = o.marks.get(&it.id).copied();
                        let crit = rubric.as_ref().and_then(|r| r.criterion(&it.criterion)).map(|k| k.name.get(l).to_string()).unwrap_or_else(|| it.criterion.clone());
                        let buttons = Mark::ALL
                            .iter()
                            .map(|m| {
                                let m = *m;
                                let iid = it.id.clone();
                                let pressed = current == Some(m);
                                view! {
                                    <button type="button" class=format!("mark mark--{}", m.as_str()) aria-pressed=pressed.to_string() data-mark=m.as_str()
                                        on:click=move |_| { let iid = iid.clone(); edit(Box::new(move |o| o.mark(&iid, m))) }>
                                        {mark_label(i18n, m)}
                                    </button>
                                }
                            })
                            .collect_view();
                        let iid = it.id.clone();
                        let iid2 = it.id.clone();
                        let note = o.notes.get(&it.id).cloned().unwrap_or_default();
                        let has_note = !note.is_empty();
                        let note_open = {
                            let iid = it.id.clone();
                            move || open_note.get().as_deref() == Some(iid.as_str())
                        };
                        let state = current.map(|m| m.as_str()).unwrap_or("unmarked");
                        view! {
                            <li class="check-item" data-item=it.id.clone() data-state=state>
                                <div class="check-item__text">
                                    <p><strong>{it.text.get(l).to_string()}</strong></p>
                                    {it.look_for.as_ref().map(|t| view! { <p class="muted">{t.get(l).to_string()}</p> })}
                                    <p class="check-item__meta"><span class="chip">{crit}</span> <Cites cites=it.cite.clone() /></p>
                                    {(has_note).then(|| view! { <p class="check-item__note">"✎ " {note.clone()}</p> })}
                                </div>
                                <div class="marks" role="group">{buttons}
                                    <button type="button" class="mark mark--note" aria-expanded={ let f = note_open.clone(); move || f().to_string() }
                                        on:click=move |_| open_note.update(|n| *n = if n.as_deref() == Some(iid.as_str()) { None } else { Some(iid.clone()) })>
                                        {t!(i18n, add_note)}
                                    </button>
                                </div>
                                <Show when=note_open.clone()>
                                    <textarea class="check-item__editor" rows="2" maxlength="500" prop:value=note.clone()
                                        on:change={
                                            let iid2 = iid2.clone();
                                            move |ev| { let v = event_target_value(&ev); let iid = iid2.clone(); edit(Box::new(move |o| o.note(&iid, &v))) }
                                        }
                                        data-testid="item-note"></textarea>
                                </Show>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="check-section">
                        <h2 class="section-title">{sec.title.get(l).to_string()}</h2>
                        <ul class="check-list">{items}</ul>
                    </section>
                }
            })
            .collect_view();
        view! {
            <p class="scenario-meta">
                <span class="pill pill--person" data-testid="observed">{ctx.name_of(&o.trainee)}</span>
                <span class="muted" data-testid="marked-count">{t_string!(i18n, marked_count, n = marked, total = total_items).to_string()}</span>
            </p>
            {sections}
            <div class="pager pager--sticky">
                <Show when=move || confirm_discard.get() fallback=move || view! {
                    <button class="btn btn--ghost" type="button" on:click=move |_| confirm_discard.set(true)>{t!(i18n, discard_observation)}</button>
                }>
                    <span class="muted">{t!(i18n, discard_confirm)}</span>
                    <button class="btn btn--danger" type="button" on:click=discard>{t!(i18n, discard_observation)}</button>
                    <button class="btn btn--ghost" type="button" on:click=move |_| confirm_discard.set(false)>{t!(i18n, keep_going)}</button>
                </Show>
                <span class="pager__gap"></span>
                {move || confirm_finish.get().then(|| view! { <span class="muted" role="alert">{t_string!(i18n, unmarked_confirm, n = total_items - marked).to_string()}</span> })}
                <button class="btn btn--primary" type="button" on:click=try_finish data-testid="finish-observation">{t!(i18n, finish_observation)}</button>
            </div>
        }
        .into_any()
    };
    view! {
        <nav class="crumbs">
            <A href="/">{t!(i18n, nav_home)}</A> " / "
            <A href=format!("/module/{module}")>{move || module_title.as_ref().map(|t| t.get(lang.get()).to_string())}</A> " / "
            {move || title.get(lang.get()).to_string()}
        </nav>
        <h1>{t!(i18n, observation_label)} " · " {move || checklist.title.get(lang.get()).to_string()}</h1>
        <div data-testid="checklist">{body}</div>
    }
}

#[component]
pub fn ObservationPage() -> impl IntoView {
    let params = use_params_map();
    let progress = ProgressCtx::expect().progress;
    move || {
        let id = params.read().get("record").unwrap_or_default();
        let Some(rec) = progress.with(|p| p.observation(&id).cloned()) else {
            return view! { <NotFound /> }.into_any();
        };
        let rec = Arc::new(rec);
        let cid = rec.checklist.clone();
        view! { <Fetched id=cid load=load_checklist f=Arc::new(move |c| view! { <ObservationResult checklist=c record=rec.clone() /> }.into_any()) /> }.into_any()
    }
}

#[component]
fn ObservationResult(checklist: Arc<Checklist>, record: Arc<ObservationRecord>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    move || {
        let rec = &record;
        let l = lang.get();
        let cl = Some(checklist.clone());
        let title = cl
            .as_ref()
            .map(|c| c.title.get(l).to_string())
            .unwrap_or_else(|| rec.checklist.clone());
        let rows = cl.as_ref().map(|cl| {
            cl.items()
                .map(|it| {
                    let m = rec.marks.get(&it.id).copied();
                    let label = m
                        .map(|m| mark_label(i18n, m))
                        .unwrap_or_else(|| t_string!(i18n, mark_unmarked).to_string());
                    let state = m.map(|m| m.as_str()).unwrap_or("unmarked");
                    let note = rec.notes.get(&it.id).cloned();
                    view! {
                        <li class="check-item" data-item=it.id.clone() data-state=state>
                            <div class="check-item__text">
                                <p><strong>{it.text.get(l).to_string()}</strong> " " <Cites cites=it.cite.clone() /></p>
                                {note.map(|n| view! { <p class="check-item__note">"✎ " {n}</p> })}
                            </div>
                            <span class=format!("mark mark--{state} mark--static")>{label}</span>
                        </li>
                    }
                })
                .collect_view()
        });
        let missed = cl.as_ref().map(|cl| {
            rec.score
                .missed
                .iter()
                .filter_map(|i| cl.item(i))
                .map(|it| view! { <li>{it.text.get(l).to_string()} {rec.notes.get(&it.id).map(|n| format!(" — {n}"))}</li> })
                .collect_view()
        });
        let module = cl.as_ref().map(|c| c.module.clone()).unwrap_or_default();
        view! {
            <nav class="crumbs"><A href="/">{t!(i18n, nav_home)}</A> " / " <A href="/results">{t!(i18n, results_nav)}</A> " / " {title.clone()}</nav>
            <h1>{t!(i18n, observation_label)} " · " {title}</h1>
            <p class="scenario-meta">
                <span class="pill pill--person">{ProgressCtx::expect().name_of(&rec.trainee)}</span>
                <span class="muted">{when(rec.finished_at)}</span>
            </p>
            <section class="card result" data-testid="observation-result">
                <TotalLine result=rec.score.result.clone() rule=PassRule::EveryCriterion pass_mark=checklist.pass_mark />
                <CriterionTable result=rec.score.result.clone() failed=rec.score.failed.clone() />
            </section>
            {(!rec.score.missed.is_empty()).then(|| view! {
                <h2 class="section-title">{t!(i18n, items_missed)}</h2>
                <ul class="why-list" data-testid="missed">{missed}</ul>
            })}
            <h2 class="section-title">{t!(i18n, all_items)}</h2>
            <ul class="check-list">{rows}</ul>
            <div class="pager">
                <A href=format!("/module/{module}") attr:class="btn btn--ghost">{t!(i18n, back_to_module)}</A>
                <span class="pager__gap"></span>
                <A href=format!("/checklist/{}", rec.checklist) attr:class="btn btn--primary">{t!(i18n, observe_again)}</A>
            </div>
        }
        .into_any()
    }
}
