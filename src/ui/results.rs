//! Every result kept on this device, newest first and grouped by trainee: quiz attempts,
//! role-play runs and observations, each linking to its full result.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::{CourseCtx, ProgressCtx, use_lang};
use crate::domain::engine::PRACTICE;
use crate::domain::scenario::Mode;
use crate::i18n::*;
use crate::ui::roleplay::when;

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
    let progress = ProgressCtx::expect().progress;
    let lang = use_lang();
    let filter = RwSignal::new(String::from("*"));
    move || {
        let l = lang.get();
        let mut rows: Vec<Row> = progress.with(|p| {
            let quizzes = p.attempts.iter().map(|a| Row {
                trainee: None,
                kind: "quiz",
                title: if a.quiz == PRACTICE {
                    t_string!(i18n, practice_title).to_string()
                } else {
                    course.quiz(&a.quiz).map(|q| q.title.get(l).to_string()).unwrap_or_else(|| a.quiz.clone())
                },
                href: format!("/result/{}", a.id),
                at: a.finished_at,
                total: a.result.total,
                passed: a.passed,
            });
            let runs = p.scenario_runs.iter().map(|r| Row {
                trainee: r.trainee.clone(),
                kind: if r.mode == Mode::Pair { "pair" } else { "scenario" },
                title: course.scenario(&r.scenario).map(|s| s.title.get(l).to_string()).unwrap_or_else(|| r.scenario.clone()),
                href: format!("/debrief/{}", r.id),
                at: r.finished_at,
                total: r.score.result.total,
                passed: r.score.passed,
            });
            let obs = p.observations.iter().map(|o| Row {
                trainee: Some(o.trainee.clone()),
                kind: "observation",
                title: course.checklist(&o.checklist).map(|c| c.title.get(l).to_string()).unwrap_or_else(|| o.checklist.clone()),
                href: format!("/observation/{}", o.id),
                at: o.finished_at,
                total: o.score.result.total,
                passed: o.score.passed,
            });
            quizzes.chain(runs).chain(obs).collect()
        });
        rows.sort_by(|a, b| b.at.cmp(&a.at));
        let mut groups: BTreeMap<Option<String>, Vec<Row>> = BTreeMap::new();
        for r in rows {
            groups.entry(r.trainee.clone()).or_default().push(r);
        }
        let names: Vec<Option<String>> = groups.keys().cloned().collect();
        let unnamed = t_string!(i18n, results_unnamed).to_string();
        let options = names
            .iter()
            .map(|n| {
                let value = n.clone().unwrap_or_default();
                let label = n.clone().unwrap_or_else(|| unnamed.clone());
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
                let label = name.unwrap_or_else(|| unnamed.clone());
                let items = rows
                    .into_iter()
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
                    <section class="card results-group" data-trainee=key>
                        <h2 class="card__title">{label}</h2>
                        <ul class="rows">{items}</ul>
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
