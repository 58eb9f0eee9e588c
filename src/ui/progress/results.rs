//! Every result kept on this device, newest first and grouped by trainee: quiz attempts,
//! role-play runs and observations, each linking to its full result.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::engine::quiz_name;
use crate::domain::records::may_see;
use crate::domain::report::newest_first_by_owner;
use crate::domain::scenario::Mode;
use crate::domain::store::Body;
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::common::labels::{quiz_title, when};

const PAGE: usize = 100;

struct Row {
    trainee: Option<String>,
    kind: &'static str,
    title: String,
    href: String,
    at: chrono::DateTime<chrono::Utc>,
    total: Option<f64>,
    passed: bool,
}

#[component]
pub fn ResultsPage() -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    let lang = use_lang();
    let filter = RwSignal::new(String::from("*"));
    // Rows shown per group; "show more" adds a page (10,000 records must not all render at once).
    let limit = RwSignal::new(PAGE);
    move || {
        let l = lang.get();
        let trainer = ctx.trainer.get();
        let me = ctx.trainee.get();
        // Saved records, and any that could not be saved yet (storage full): shown all the same.
        let rows: Vec<Row> = ctx.records.with(|rs| {
            ctx.unsaved.with(|un| {
                rs.iter()
                    .map(|r| (&r.trainee, r.finished_at, &r.body))
                    .chain(un.iter().map(|n| (&n.trainee, n.finished_at, &n.body)))
                    .filter(|(t, _, _)| may_see(trainer, me.as_deref(), &ctx.owner_of(t)))
                    .filter_map(|(trainee, at, body)| {
                        let total = body.total();
                        let (kind, title, href, passed) = match body {
                            Body::Quiz(a) => (
                                "quiz",
                                quiz_title(i18n, quiz_name(&course, &a.quiz), l),
                                format!("/result/{}", a.id),
                                a.passed,
                            ),
                            Body::Scenario(s) => (
                                if s.mode == Mode::Pair { "pair" } else { "scenario" },
                                course
                                    .scenario(&s.scenario)
                                    .map(|x| x.title.get(l).to_string())
                                    .unwrap_or_else(|| s.scenario.clone()),
                                format!("/debrief/{}", s.id),
                                s.score.passed,
                            ),
                            Body::Observation(o) => (
                                "observation",
                                course
                                    .checklist(&o.checklist)
                                    .map(|c| c.title.get(l).to_string())
                                    .unwrap_or_else(|| o.checklist.clone()),
                                format!("/observation/{}", o.id),
                                o.score.passed,
                            ),
                            Body::Erasure { .. } => return None,
                        };
                        Some(Row {
                            trainee: Some(ctx.owner_of(trainee)),
                            kind,
                            title,
                            href,
                            at,
                            total,
                            passed,
                        })
                    })
                    .collect()
            })
        });
        let groups = newest_first_by_owner(rows, |r| r.trainee.clone(), |r| r.at);
        let names: Vec<Option<String>> = groups.keys().cloned().collect();
        let unnamed = t_string!(i18n, results_unnamed).to_string();
        let label_of =
            move |id: &Option<String>| id.as_ref().map(|i| ctx.name_of(i)).unwrap_or_else(|| unnamed.clone());
        let options = names
            .iter()
            .map(|n| {
                let value = n.clone().unwrap_or_default();
                let label = label_of(n);
                view! { <option value=value.clone() selected=move || filter.get() == value>{label}</option> }
            })
            .collect_view();
        let empty = groups.is_empty();
        let shown = filter.get();
        let list = groups
            .into_iter()
            .filter(|(name, _)| shown == "*" || name.clone().unwrap_or_default() == shown)
            .map(|(name, rows)| {
                let key = name.clone().unwrap_or_default();
                let label = label_of(&name);
                let total_rows = rows.len();
                let shown = limit.get();
                let items = rows
                    .into_iter()
                    .take(shown)
                    .map(|r| {
                        let kind = match r.kind {
                            "quiz" => t_string!(i18n, kind_quiz),
                            "pair" => t_string!(i18n, kind_pair),
                            "scenario" => t_string!(i18n, kind_scenario),
                            _ => t_string!(i18n, kind_observation),
                        };
                        let total = r.total.map(|t| format!("{t:.1}%")).unwrap_or_else(|| t_string!(i18n, not_assessed).to_string());
                        view! {
                            <li>
                                <A href=r.href attr:class="row-link" attr:data-kind=r.kind>
                                    <span class="row-link__main">
                                        <strong>{r.title}</strong>
                                        <span class="muted">{kind} " · " {when(r.at)}</span>
                                    </span>
                                    <span class="result-cell">{total}</span>
                                    {if r.passed {
                                        view! { <span class="pill pill--ok">{t!(i18n, passed)}</span> }.into_any()
                                    } else {
                                        view! { <span class="pill pill--bad">{t!(i18n, not_passed)}</span> }.into_any()
                                    }}
                                </A>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="card results-group" data-trainee=label.clone() data-trainee-id=key>
                        <h2 class="card__title">{label.clone()}</h2>
                        <ul class="rows">{items}</ul>
                        {(total_rows > shown).then(|| view! {
                            <button class="btn btn--ghost" type="button" data-testid="show-more" on:click=move |_| limit.update(|l| *l += PAGE)>
                                {t_string!(i18n, show_more, shown = shown, total = total_rows).to_string()}
                            </button>
                        })}
                    </section>
                }
            })
            .collect_view();
        view! {
            <nav class="crumbs"><A href="/">{t!(i18n, nav_home)}</A> " / " {t!(i18n, results_nav)}</nav>
            <h1>{t!(i18n, results_heading)}</h1>
            {if empty {
                view! { <p class="muted" data-testid="no-results">{t!(i18n, results_empty)}</p> }.into_any()
            } else {
                view! {
                    <label class="field field--inline">
                        <span>{t!(i18n, results_filter)}</span>
                        <select on:change=move |ev| filter.set(event_target_value(&ev)) data-testid="results-filter">
                            <option value="*">{t!(i18n, results_everyone)}</option>
                            {options}
                        </select>
                    </label>
                    <div data-testid="results">{list}</div>
                }
                .into_any()
            }}
        }
    }
}
