//! The trainer's dashboard: a roster of trainees, the per-criterion profile of the filtered
//! results, item analysis of every question answered, and observations with the items missed.
//! Filters: track, trainee, date range.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::{CourseCtx, ProgressCtx, use_lang};
use crate::domain::analysis;
use crate::domain::report::CriterionProfile;
use crate::domain::store::{Body, Record};
use crate::i18n::*;
use crate::ui::progress::ProfileChart;
use crate::ui::roleplay::when;
use crate::ui::trainees::Avatar;
use crate::ui::trainer::Unlock;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    view! {
        <nav class="crumbs"><A href="/">{t!(i18n, nav_home)}</A> " / " <A href="/trainer">{t!(i18n, trainer_mode)}</A> " / " {t!(i18n, dashboard)}</nav>
        <h1>{t!(i18n, dashboard)}</h1>
        <Show when=move || ctx.trainer.get() fallback=|| view! { <Unlock /> }>
            <Dashboard />
        </Show>
    }
}

fn day(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[component]
fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    let course = CourseCtx::expect();
    let lang = use_lang();
    let track = RwSignal::new(String::new());
    let trainee = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let c2 = course.clone();
    // The records the filters keep.
    let filtered = Memo::new(move |_| {
        let (t, who, f, u) = (track.get(), trainee.get(), day(&from.get()), day(&to.get()));
        let modules: Vec<String> = c2.file.tracks.iter().find(|x| x.id == t).map(|x| x.modules.clone()).unwrap_or_default();
        let module_of = |r: &Record| -> Option<String> {
            match &r.body {
                Body::Quiz(a) => c2.quiz(&a.quiz).map(|q| q.module.clone()),
                Body::Scenario(s) => c2.scenario(&s.scenario).map(|x| x.module.clone()),
                Body::Observation(o) => c2.checklist(&o.checklist).map(|x| x.module.clone()),
                Body::Erasure { .. } => None,
            }
        };
        ctx.records.with(|rs| {
            rs.iter()
                .filter(|r| r.kind() != "erasure")
                .filter(|r| who.is_empty() || ctx.owner_of(&r.trainee) == who)
                .filter(|r| t.is_empty() || module_of(r).is_some_and(|m| modules.contains(&m)))
                .filter(|r| {
                    let d = r.finished_at.with_timezone(&chrono::Local).date_naive();
                    f.is_none_or(|f| d >= f) && u.is_none_or(|u| d <= u)
                })
                .cloned()
                .collect::<Vec<Record>>()
        })
    });
    let c3 = course.clone();
    let roster = move || {
        let l = lang.get();
        let rubric = c3.default_rubric().cloned();
        let rs = filtered.get();
        ctx.profiles.with(|ps| {
            ps.active()
                .into_iter()
                .cloned()
                .map(|p| {
                    let mine: Vec<&Record> = rs.iter().filter(|r| ctx.owner_of(&r.trainee) == p.id).collect();
                    let totals: Vec<f64> = mine.iter().filter_map(|r| r.total()).collect();
                    let avg = (!totals.is_empty()).then(|| totals.iter().sum::<f64>() / totals.len() as f64);
                    let last = mine.iter().map(|r| r.finished_at).max().map(when).unwrap_or_else(|| "—".into());
                    let weakest = CriterionProfile::of(mine.iter().filter_map(|r| r.result()))
                        .weakest()
                        .map(|(c, v)| format!("{} {v:.0}%", rubric.as_ref().and_then(|r| r.criterion(c)).map(|k| k.name.get(l).to_string()).unwrap_or_else(|| c.to_string())))
                        .unwrap_or_else(|| "—".into());
                    let lessons = ctx.lessons_done_of(&p.id);
                    view! {
                        <tr data-trainee=p.name.clone()>
                            <th scope="row"><span class="roster-name"><Avatar profile=p.clone() small=true /> {p.name.clone()}</span></th>
                            <td class="num">{mine.len()}</td>
                            <td class="num">{lessons}</td>
                            <td class="num">{avg.map(|a| format!("{a:.1}%")).unwrap_or_else(|| "—".into())}</td>
                            <td>{weakest}</td>
                            <td>{last}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let c4 = course.clone();
    let profile = move || {
        let rs = filtered.get();
        let prof = CriterionProfile::of(rs.iter().filter_map(|r| r.result()));
        c4.default_rubric().cloned().map(|r| view! { <ProfileChart profile=prof rubric=r lang=lang.get() mark=60.0 /> })
    };
    let c5 = course.clone();
    let item_rows = move || {
        let l = lang.get();
        let rs = filtered.get();
        let attempts = rs.iter().filter_map(|r| if let Body::Quiz(a) = &r.body { Some(a) } else { None });
        let mut stats = analysis::items(attempts);
        stats.sort_by(|a, b| (b.negative || b.too_hard || b.too_easy).cmp(&(a.negative || a.too_hard || a.too_easy)).then(a.question.cmp(&b.question)));
        stats
            .into_iter()
            .map(|s| {
                let prompt: String = c5.question(&s.question).map(|q| q.prompt.get(l).chars().take(60).collect()).unwrap_or_else(|| s.question.clone());
                let mut flags = Vec::new();
                if s.too_easy {
                    flags.push(t_string!(i18n, flag_easy).to_string());
                }
                if s.too_hard {
                    flags.push(t_string!(i18n, flag_hard).to_string());
                }
                if s.negative {
                    flags.push(t_string!(i18n, flag_negative).to_string());
                }
                let options = s.options.iter().map(|(o, n)| format!("{o}: {n}")).collect::<Vec<_>>().join(" · ");
                view! {
                    <tr data-question=s.question.clone() class=if flags.is_empty() { "" } else { "item--flagged" }>
                        <td><span class="muted">{s.question.clone()}</span><br />{prompt}</td>
                        <td class="num">{s.responses}</td>
                        <td class="num">{format!("{:.2}", s.facility)}</td>
                        <td class="num">{s.discrimination.map(|d| format!("{d:+.2}")).unwrap_or_else(|| "—".into())}</td>
                        <td>{options}</td>
                        <td>{flags.join("、")}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let observations = move || {
        let rs = filtered.get();
        rs.into_iter()
            .filter_map(|r| if let Body::Observation(o) = r.body { Some(o) } else { None })
            .map(|o| {
                let name = ctx.name_of(&o.trainee);
                view! {
                    <li><A href=format!("/observation/{}", o.id)>{name} " · " {o.checklist.clone()} " · " {when(o.finished_at)}</A>
                        " " <span class="muted">{t_string!(i18n, missed_count, n = o.score.missed.len()).to_string()}</span></li>
                }
            })
            .collect_view()
    };
    let tracks = course.file.tracks.iter().map(|t| (t.id.clone(), t.title.clone())).collect::<Vec<_>>();
    view! {
        <section class="card filters" data-testid="filters">
            <label class="field"><span>{t!(i18n, filter_track)}</span>
                <select on:change=move |ev| track.set(event_target_value(&ev)) data-testid="filter-track">
                    <option value="">{t!(i18n, results_everyone)}</option>
                    {move || tracks.iter().map(|(id, title)| view! { <option value=id.clone()>{title.get(lang.get()).to_string()}</option> }).collect_view()}
                </select>
            </label>
            <label class="field"><span>{t!(i18n, results_filter)}</span>
                <select on:change=move |ev| trainee.set(event_target_value(&ev)) data-testid="filter-trainee">
                    <option value="">{t!(i18n, results_everyone)}</option>
                    {move || ctx.profiles.with(|ps| ps.active().into_iter().map(|p| view! { <option value=p.id.clone()>{p.name.clone()}</option> }).collect_view())}
                </select>
            </label>
            <label class="field"><span>{t!(i18n, filter_from)}</span><input type="date" on:change=move |ev| from.set(event_target_value(&ev)) /></label>
            <label class="field"><span>{t!(i18n, filter_to)}</span><input type="date" on:change=move |ev| to.set(event_target_value(&ev)) /></label>
        </section>
        <section class="card">
            <h2 class="card__title">{t!(i18n, roster)}</h2>
            <div class="table-scroll">
                <table class="crit-table roster" data-testid="roster">
                    <thead><tr>
                        <th scope="col">{t!(i18n, trainee_name)}</th><th scope="col">{t!(i18n, col_results)}</th><th scope="col">{t!(i18n, col_lessons)}</th>
                        <th scope="col">{t!(i18n, col_average)}</th><th scope="col">{t!(i18n, weakest_heading)}</th><th scope="col">{t!(i18n, col_last)}</th>
                    </tr></thead>
                    <tbody>{roster}</tbody>
                </table>
            </div>
        </section>
        <section class="card">
            <h2 class="card__title">{t!(i18n, criterion_profile)}</h2>
            {profile}
        </section>
        <section class="card">
            <h2 class="card__title">{t!(i18n, item_analysis)}</h2>
            <p class="muted">{t!(i18n, item_analysis_note)}</p>
            <div class="table-scroll">
                <table class="crit-table items" data-testid="item-analysis">
                    <thead><tr>
                        <th scope="col">{t!(i18n, col_question)}</th><th scope="col">"n"</th><th scope="col">{t!(i18n, col_facility)}</th>
                        <th scope="col">{t!(i18n, col_discrimination)}</th><th scope="col">{t!(i18n, col_options)}</th><th scope="col">{t!(i18n, col_flags)}</th>
                    </tr></thead>
                    <tbody>{item_rows}</tbody>
                </table>
            </div>
        </section>
        <section class="card">
            <h2 class="card__title">{t!(i18n, observations_heading)}</h2>
            <ul>{observations}</ul>
        </section>
    }
}
