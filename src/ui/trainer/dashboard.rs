//! The trainer's dashboard: a roster of trainees, the per-criterion profile of the filtered
//! results, item analysis of every question answered, and observations with the items missed.
//! Filters: track, trainee, date range.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::analysis;
use crate::domain::quiz::OptionLabel;
use crate::domain::report::{CriterionProfile, PROFILE_PASS_LINE, average};
use crate::domain::store::{Body, Record};
use crate::domain::text::device_label;
use crate::i18n::*;
use crate::ui::common::avatar::Avatar;
use crate::ui::common::clip::Clip;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::common::labels::when;
use crate::ui::common::profile_chart::ProfileChart;
use crate::ui::trainer::unlock::Unlock;

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

/// A time's calendar day on this device.
fn local_day(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    t.with_timezone(&chrono::Local).date_naive()
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
    let device = RwSignal::new(String::new());
    let c2 = course.clone();
    // The records the filters keep (the rules are `analysis::Filter`).
    let filtered = Memo::new(move |_| {
        let opt = |v: String| (!v.is_empty()).then_some(v);
        let filter = analysis::Filter {
            trainee: opt(trainee.get()),
            track: opt(track.get()),
            device: opt(device.get()),
            from: day(&from.get()),
            to: day(&to.get()),
        };
        ctx.records.with(|rs| {
            ctx.profiles.with(|ps| {
                rs.iter()
                    .filter(|r| filter.keeps(r, &c2, ps, &local_day))
                    .cloned()
                    .collect::<Vec<Record>>()
            })
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
                .map(|p| {
                    let mine: Vec<&Record> = rs.iter().filter(|r| ctx.owner_of(&r.trainee) == p.id).collect();
                    let totals: Vec<f64> = mine.iter().filter_map(|r| r.total()).collect();
                    let avg = average(&totals);
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
        if prof.rows.iter().all(|r| r.1.is_none()) {
            return view! { <p class="muted">{t!(i18n, results_empty)}</p> }.into_any();
        }
        c4.default_rubric()
            .cloned()
            .map(|r| view! { <ProfileChart profile=prof rubric=r lang=lang.get() mark=PROFILE_PASS_LINE /> })
            .into_any()
    };
    let c6 = course.clone();
    // Each trainee's average per criterion, as dots on one line per criterion.
    let spread = move || {
        let l = lang.get();
        let rs = filtered.get();
        let rubric = c6.default_rubric().cloned()?;
        let mut per: std::collections::BTreeMap<String, Vec<&Record>> = std::collections::BTreeMap::new();
        for r in &rs {
            per.entry(ctx.owner_of(&r.trainee)).or_default().push(r);
        }
        let profiles: Vec<CriterionProfile> = per
            .values()
            .map(|v| CriterionProfile::of(v.iter().filter_map(|r| r.result())))
            .collect();
        let (label_w, w, row) = (190.0, 300.0, 30.0);
        let rows = rubric
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let y = i as f64 * row + 16.0;
                let dots = profiles
                    .iter()
                    .filter_map(|p| p.rows.iter().find(|r| r.0 == c.id).and_then(|r| r.1))
                    .map(|v| {
                        view! { <circle cx=label_w + w * v / 100.0 cy=y r="6" class="chart__dot" /> }
                    })
                    .collect_view();
                view! {
                    <g>
                        <text x="0" y=y + 4.0 class="chart__label">{c.name.get(l).to_string()}</text>
                        <line x1=label_w x2=label_w + w y1=y y2=y class="chart__axis" />
                        {dots}
                    </g>
                }
            })
            .collect_view();
        let h = rubric.criteria.len() as f64 * row + 24.0;
        Some(view! {
            <svg class="chart" viewBox=format!("0 0 {} {h}", label_w + w + 40.0) role="img" data-testid="criterion-spread">
                <title>{t_string!(i18n, spread_heading).to_string()}</title>
                {rows}
                <text x=label_w y=h - 2.0 class="chart__value">"0%"</text>
                <text x=label_w + w y=h - 2.0 text-anchor="end" class="chart__value">"100%"</text>
            </svg>
        })
    };
    // Average weighted total per week.
    let over_time = move || {
        let rs = filtered.get();
        let weeks = analysis::weekly_totals(&rs, &local_day);
        if weeks.is_empty() {
            return None;
        }
        let (w, h, pad) = (460.0, 160.0, 30.0);
        let n = weeks.len();
        let pts: Vec<(f64, f64, String, f64)> = weeks
            .iter()
            .enumerate()
            .map(|(i, (d, avg, _))| {
                let avg = *avg;
                let x = if n == 1 {
                    pad + w / 2.0
                } else {
                    pad + w * i as f64 / (n - 1) as f64
                };
                (
                    x,
                    pad + (h - 2.0 * pad) * (1.0 - avg / 100.0),
                    d.format("%m-%d").to_string(),
                    avg,
                )
            })
            .collect();
        let line = pts
            .iter()
            .map(|(x, y, _, _)| format!("{x:.1},{y:.1}"))
            .collect::<Vec<_>>()
            .join(" ");
        let marks = pts
            .into_iter()
            .map(|(x, y, d, avg)| {
                view! {
                    <circle cx=x cy=y r="4" class="chart__dot" />
                    <text x=x y=y - 8.0 text-anchor="middle" class="chart__value">{format!("{avg:.0}")}</text>
                    <text x=x y=h - 6.0 text-anchor="middle" class="chart__value">{d}</text>
                }
            })
            .collect_view();
        Some(view! {
            <svg class="chart" viewBox=format!("0 0 {} {h}", w + 2.0 * pad) role="img" data-testid="total-over-time">
                <title>{t_string!(i18n, over_time_heading).to_string()}</title>
                <line x1=pad x2=w + pad y1=h - pad y2=h - pad class="chart__axis" />
                <polyline points=line class="chart__line" />
                {marks}
            </svg>
        })
    };
    let c7 = course.clone();
    // Each criterion's weekly average as a line (a colour per criterion, with a legend).
    let criteria_over_time = move || {
        let l = lang.get();
        let rubric = c7.default_rubric().cloned()?;
        let weeks = analysis::weekly_criteria(&filtered.get(), &local_day);
        if weeks.is_empty() {
            return None;
        }
        const COLOURS: [&str; 6] = ["#8c2f39", "#24557a", "#1a7f4b", "#8a5a00", "#5b3f8c", "#0f6e6e"];
        let (w, h, pad) = (460.0, 160.0, 30.0);
        let n = weeks.len();
        let x = move |i: usize| {
            if n == 1 {
                pad + w / 2.0
            } else {
                pad + w * i as f64 / (n - 1) as f64
            }
        };
        let y = move |v: f64| pad + (h - 2.0 * pad) * (1.0 - v / 100.0);
        let lines = rubric.criteria.iter().enumerate().map(|(ci, c)| {
            let pts: Vec<(f64, f64)> = weeks.iter().enumerate().filter_map(|(i, (_, p))| p.rows.iter().find(|r| r.0 == c.id).and_then(|r| r.1).map(|v| (x(i), y(v)))).collect();
            let colour = COLOURS[ci % COLOURS.len()];
            let line = pts.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect::<Vec<_>>().join(" ");
            let dots = pts.iter().map(|(a, b)| view! { <circle cx=*a cy=*b r="3.5" fill=colour /> }).collect_view();
            view! { <g data-criterion=c.id.clone()><polyline points=line fill="none" stroke=colour stroke-width="2" />{dots}</g> }
        }).collect_view();
        let labels = weeks.iter().enumerate().map(|(i, (d, _))| view! { <text x=x(i) y=h - 6.0 text-anchor="middle" class="chart__value">{d.format("%m-%d").to_string()}</text> }).collect_view();
        let legend = rubric.criteria.iter().enumerate().map(|(ci, c)| view! {
            <span class="legend"><span class="legend__swatch" style:background=COLOURS[ci % COLOURS.len()]></span>{c.name.get(l).to_string()}</span>
        }).collect_view();
        Some(view! {
            <svg class="chart" viewBox=format!("0 0 {} {h}", w + 2.0 * pad) role="img" data-testid="criteria-over-time">
                <title>{t_string!(i18n, criteria_over_time_heading).to_string()}</title>
                <line x1=pad x2=w + pad y1=h - pad y2=h - pad class="chart__axis" />
                <text x="2" y=y(100.0) + 4.0 class="chart__value">"100"</text>
                <text x="2" y=y(0.0) + 4.0 class="chart__value">"0"</text>
                {lines}
                {labels}
            </svg>
            <p class="legends">{legend}</p>
        })
    };
    let c5 = course.clone();
    let item_rows = move || {
        let l = lang.get();
        let rs = filtered.get();
        let attempts = rs
            .iter()
            .filter_map(|r| if let Body::Quiz(a) = &r.body { Some(a) } else { None });
        let mut stats = analysis::items(attempts);
        analysis::flagged_first(&mut stats);
        stats
            .into_iter()
            .map(|s| {
                let q = c5.question(&s.question);
                let prompt = q
                    .map(|q| q.prompt.get(l).to_string())
                    .unwrap_or_else(|| t_string!(i18n, question_not_in_content).to_string());
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
                let answers = q.map(|q| answer_breakdown(i18n, analysis::breakdown(q, &s.answers, l)));
                view! {
                    <tr data-question=s.question.clone() class=if flags.is_empty() { "" } else { "item--flagged" }>
                        <td class="item__prompt"><Clip text=prompt max=80 /></td>
                        <td class="num">{s.responses}</td>
                        <td class="num">{format!("{:.2}", s.facility)}</td>
                        <td class="num">{s.discrimination.map(|d| format!("{d:+.2}")).unwrap_or_else(|| "—".into())}</td>
                        <td>{answers}</td>
                        <td>{flags.join(t_string!(i18n, list_separator))}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let c8 = course.clone();
    let observations = move || {
        let rs = filtered.get();
        let l = lang.get();
        rs.into_iter()
            .filter_map(|r| if let Body::Observation(o) = r.body { Some(o) } else { None })
            .map(|o| {
                let name = ctx.name_of(&o.trainee);
                let title = c8
                    .checklist(&o.checklist)
                    .map(|c| c.title.get(l).to_string())
                    .unwrap_or_else(|| t_string!(i18n, checklist_not_in_content).to_string());
                view! {
                    <li><A href=format!("/observation/{}", o.id)>{name} " · " {title} " · " {when(o.finished_at)}</A>
                        " " <span class="muted">{t_string!(i18n, missed_count, n = o.score.missed.len()).to_string()}</span></li>
                }
            })
            .collect_view()
    };
    let tracks = course
        .file
        .tracks
        .iter()
        .map(|t| (t.id.clone(), t.title.clone()))
        .collect::<Vec<_>>();
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
            <label class="field"><span>{t!(i18n, filter_device)}</span>
                <select on:change=move |ev| device.set(event_target_value(&ev)) data-testid="filter-device">
                    <option value="">{t!(i18n, results_everyone)}</option>
                    {move || {
                        let mine = ctx.device_id();
                        let devices: std::collections::BTreeSet<String> = ctx.records.with(|rs| rs.iter().map(|r| r.device.clone()).collect());
                        devices.into_iter().map(|d| {
                            let label = if d == mine { format!("{} ({})", t_string!(i18n, this_device), device_label(&d)) } else { device_label(&d) };
                            view! { <option value=d>{label}</option> }
                        }).collect_view()
                    }}
                </select>
            </label>
            <label class="field"><span>{t!(i18n, filter_from)}</span><input type="date" on:change=move |ev| from.set(event_target_value(&ev)) /></label>
            <label class="field"><span>{t!(i18n, filter_to)}</span><input type="date" on:change=move |ev| to.set(event_target_value(&ev)) /></label>
        </section>
        <section class="card">
            <h2 class="card__title">{t!(i18n, roster)}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label=move || t_string!(i18n, roster).to_string()>
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
            <h2 class="card__title">{t!(i18n, spread_heading)}</h2>
            <p class="muted">{t!(i18n, spread_note)}</p>
            {spread}
            <h3>{t!(i18n, over_time_heading)}</h3>
            {over_time}
            <h3>{t!(i18n, criteria_over_time_heading)}</h3>
            {criteria_over_time}
        </section>
        <ScenarioAnalysis records=filtered />
        <section class="card">
            <h2 class="card__title">{t!(i18n, item_analysis)}</h2>
            <p class="muted">{t!(i18n, item_analysis_note)}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label=move || t_string!(i18n, item_analysis).to_string()>
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

/// Per scenario: the share of runs taking each choice at each decision point, the choices that
/// most often cost a criterion, and where unfinished runs stopped.
#[component]
fn ScenarioAnalysis(records: Memo<Vec<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    let course = CourseCtx::expect();
    let lang = use_lang();
    // The scenarios' dialogues, fetched once.
    let ids: Vec<String> = course.scenarios.iter().map(|s| s.id.clone()).collect();
    let loaded = LocalResource::new(move || {
        let ids = ids.clone();
        async move {
            let mut out = Vec::new();
            for id in ids {
                if let Ok(s) = crate::ui::common::loaders::load_scenario(id).await {
                    out.push(s);
                }
            }
            out
        }
    });
    move || {
        let l = lang.get();
        let scenarios = loaded.get()?;
        let rs = records.get();
        let open = ctx.scenario_runs_in_progress();
        let rubric = course.default_rubric().cloned();
        let sections = scenarios
            .iter()
            .filter_map(|s| {
                let runs: Vec<&crate::domain::scenario::ScenarioRecord> =
                    rs.iter().filter_map(|r| if let Body::Scenario(x) = &r.body { Some(x) } else { None }).filter(|x| x.scenario == s.id).collect();
                let left = analysis::abandoned(s, open.iter());
                if runs.is_empty() && left.is_empty() {
                    return None;
                }
                let stats = analysis::decisions(runs.iter().copied());
                let nodes = s.nodes.iter().filter(|n| stats.nodes.contains_key(&n.id) || left.contains_key(&n.id)).map(|n| {
                    let counts = stats.nodes.get(&n.id).cloned().unwrap_or_default();
                    let total: usize = counts.values().sum();
                    let situation: String = n.line.as_ref().or(n.scene.as_ref()).map(|t| t.get(l).to_string()).unwrap_or_default();
                    let choices = counts.iter().map(|(c, k)| {
                        let text: String = n.choice(c).map(|x| x.text.get(l).to_string()).unwrap_or_else(|| t_string!(i18n, timed_out).to_string());
                        let share = if total > 0 { *k as f64 / total as f64 * 100.0 } else { 0.0 };
                        view! { <li><span class="share">{format!("{share:.0}%")}</span> " " <Clip text=text max=60 /></li> }
                    }).collect_view();
                    let stopped = left.get(&n.id).copied().unwrap_or(0);
                    view! {
                        <li class="decision" data-node=n.id.clone()>
                            <p><strong><Clip text=situation max=70 /></strong> {(stopped > 0).then(|| view! { " " <span class="pill pill--warn">{t_string!(i18n, abandoned_here, n = stopped).to_string()}</span> })}</p>
                            <ul>{choices}</ul>
                        </li>
                    }
                }).collect_view();
                let costly = analysis::costly(s, &stats).into_iter().take(5).map(|c| {
                    let text: String = s.node(&c.node).and_then(|n| n.choice(&c.choice)).map(|x| x.text.get(l).to_string()).unwrap_or_default();
                    let crit = rubric.as_ref().and_then(|r| r.criterion(&c.criterion)).map(|k| k.name.get(l).to_string()).unwrap_or(c.criterion.clone());
                    view! { <li><Clip text=text max=60 /> " — " {crit} " " {c.points} " × " {c.times}</li> }
                }).collect_view();
                Some(view! {
                    <details class="scenario-analysis" data-scenario=s.id.clone()>
                        <summary><strong>{s.title.get(l).to_string()}</strong> " · " {t_string!(i18n, runs_count, n = stats.runs).to_string()}</summary>
                        <h4>{t!(i18n, costly_heading)}</h4>
                        <ol>{costly}</ol>
                        <h4>{t!(i18n, decisions_heading)}</h4>
                        <ul class="decisions">{nodes}</ul>
                    </details>
                })
            })
            .collect_view();
        Some(view! {
            <section class="card" data-testid="scenario-analysis">
                <h2 class="card__title">{t!(i18n, scenario_analysis)}</h2>
                {sections}
            </section>
        })
    }
}

/// One question's answers as a trainer reads them: each option's text with its count and
/// share, the correct ones marked (✓ and a screen-reader label); or, for ordering, matching
/// and numeric questions, the share fully correct and the commonest wrong answer.
fn answer_breakdown(i18n: I18n, b: analysis::Breakdown) -> AnyView {
    match b {
        analysis::Breakdown::Options(options) => {
            let rows = options
                .into_iter()
                .map(|o| {
                    let text = match o.label {
                        OptionLabel::True => t_string!(i18n, answer_true).to_string(),
                        OptionLabel::False => t_string!(i18n, answer_false).to_string(),
                        OptionLabel::Text(t) => t,
                    };
                    let share = t_string!(i18n, option_share, n = o.count, pct = o.share).to_string();
                    view! {
                        <li class=if o.correct { "option-share option-share--correct" } else { "option-share" } data-correct=o.correct.to_string()>
                            {o.correct.then(|| view! {
                                <span class="option-share__mark" aria-hidden="true">"✓"</span>
                                <span class="sr-only">{t!(i18n, correct_option)}</span>
                            })}
                            <span class="option-share__text"><Clip text=text max=50 /></span>
                            <span class="option-share__n">{share}</span>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="option-shares">{rows}</ul> }.into_any()
        }
        analysis::Breakdown::Whole(w) => view! {
            <p class="whole-answers">{t_string!(i18n, fully_correct_share, n = w.fully_correct, total = w.responses, pct = w.share_correct).to_string()}</p>
            {w.common_wrong.map(|(text, n)| view! {
                <p class="whole-answers">{t_string!(i18n, common_wrong_answer, n = n).to_string()} " " <Clip text=text max=80 /></p>
            })}
        }
        .into_any(),
    }
}
