//! "My progress": tracks and modules done, the history of results, the per-criterion profile
//! as a chart and the weakest criterion with the lessons that teach it; and the printable
//! report (a certificate once the track is complete) per track.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::app::{CourseCtx, ProgressCtx, use_lang};
use crate::domain::content::LessonRef;
use crate::domain::report::{self, CriterionProfile};
use crate::domain::rubric::Rubric;
use crate::domain::text::Lang;
use crate::i18n::*;
use crate::ui::not_found::NotFound;
use crate::ui::roleplay::when;
use crate::ui::trainees::Avatar;

/// The criterion profile as horizontal bars (SVG), with the pass line at `mark`.
#[component]
pub fn ProfileChart(profile: CriterionProfile, rubric: Rubric, lang: Lang, mark: f64) -> impl IntoView {
    let row_h = 34.0;
    let label_w = 190.0;
    let bar_w = 300.0;
    let h = row_h * profile.rows.len() as f64 + 24.0;
    let rows = profile
        .rows
        .iter()
        .enumerate()
        .map(|(i, (c, avg, n))| {
            let y = i as f64 * row_h + 6.0;
            let name = rubric
                .criterion(c)
                .map(|k| k.name.get(lang).to_string())
                .unwrap_or_else(|| c.clone());
            let (w, label, cls) = match avg {
                Some(a) => (
                    bar_w * a / 100.0,
                    format!("{a:.1}% ({n})"),
                    if *a < mark {
                        "chart__bar chart__bar--low"
                    } else {
                        "chart__bar"
                    },
                ),
                None => (0.0, "—".to_string(), "chart__bar"),
            };
            view! {
                <g data-criterion=c.clone()>
                    <text x="0" y=y + 17.0 class="chart__label">{name}</text>
                    <rect x=label_w y=y width=bar_w height="22" rx="4" class="chart__track" />
                    <rect x=label_w y=y width=w height="22" rx="4" class=cls />
                    <text x=label_w + bar_w + 8.0 y=y + 17.0 class="chart__value">{label}</text>
                </g>
            }
        })
        .collect_view();
    let pass_x = label_w + bar_w * mark / 100.0;
    view! {
        <svg class="chart" viewBox=format!("0 0 {} {h}", label_w + bar_w + 110.0) role="img" data-testid="criterion-chart">
            {rows}
            <line x1=pass_x x2=pass_x y1="0" y2=h - 18.0 class="chart__pass" />
            <text x=pass_x y=h - 4.0 text-anchor="middle" class="chart__value">{format!("{mark:.0}%")}</text>
        </svg>
    }
}

#[component]
pub fn ProgressPage() -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    let lang = use_lang();
    move || {
        let l = lang.get();
        let Some(rubric) = course.default_rubric().cloned() else {
            return view! { <NotFound /> }.into_any();
        };
        let p = ctx.progress.get();
        let me = ctx
            .trainee
            .get()
            .and_then(|id| ctx.profiles.with(|ps| ps.get(&id).cloned()));
        let profile = CriterionProfile::of(report::results(&p));
        let weakest = profile.weakest().map(|(c, avg)| {
            let name = rubric
                .criterion(c)
                .map(|k| k.name.get(l).to_string())
                .unwrap_or_else(|| c.to_string());
            let lessons = course
                .criterion_lessons
                .get(c)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|key| {
                    let (m, les) = key.split_once('/')?;
                    let module = course.module(m)?;
                    let lesson = module.lessons.iter().find(|x| x.id == les)?;
                    let (href, title, mtitle) = (
                        format!("/lesson/{m}/{les}"),
                        lesson.title.get(l).to_string(),
                        module.title.get(l).to_string(),
                    );
                    Some(view! { <li><A href=href>{title}</A> <span class="muted">" · " {mtitle}</span></li> })
                })
                .collect_view();
            view! {
                <section class="card weakest" data-testid="weakest">
                    <h2 class="card__title">{t!(i18n, weakest_heading)} " · " {name} " " {format!("{avg:.1}%")}</h2>
                    <p class="muted">{t!(i18n, weakest_lessons)}</p>
                    <ul>{lessons}</ul>
                </section>
            }
        });
        let tracks = course
            .file
            .tracks
            .clone()
            .into_iter()
            .filter_map(|t| report::track_status(&course, &t.id, &p).map(|s| (t, s)))
            .map(|(t, s)| {
                let rows: Vec<(String, String, usize, usize)> = t
                    .modules
                    .iter()
                    .filter_map(|m| course.module(m))
                    .map(|m| {
                        let keys: Vec<String> = m.lessons.iter().map(|x| LessonRef::new(&m.id, &x.id).key()).collect();
                        (m.id.clone(), m.title.get(l).to_string(), p.done_count(&keys), keys.len())
                    })
                    .collect();
                let modules = rows
                    .into_iter()
                    .map(|(id, title, done, total)| view! { <li><A href=format!("/module/{id}")>{title}</A> <span class="muted">{format!("{done}/{total}")}</span></li> })
                    .collect_view();
                let best = s.best.map(|b| format!("{b:.1}%")).unwrap_or_else(|| "—".into());
                view! {
                    <section class="card track-progress" data-track=t.id.clone()>
                        <h3 class="card__title">{t.title.get(l).to_string()}
                            {s.complete().then(|| view! { " " <span class="pill pill--ok">{t!(i18n, track_complete)}</span> })}
                        </h3>
                        <p class="muted">{t_string!(i18n, module_lessons, done = s.lessons_done, total = s.lessons).to_string()} " · " {t!(i18n, assessment_best)} " " {best}</p>
                        <ul class="module-progress">{modules}</ul>
                        <A href=format!("/report/{}", t.id) attr:class="btn btn--ghost" attr:data-testid="open-report">
                            {if s.complete() { t_string!(i18n, certificate) } else { t_string!(i18n, track_report) }}
                        </A>
                    </section>
                }
            })
            .collect_view();
        let mark = 60.0;
        view! {
            <nav class="crumbs"><A href="/">{t!(i18n, nav_home)}</A> " / " {t!(i18n, my_progress)}</nav>
            <h1 class="with-avatar">{me.clone().map(|m| view! { <Avatar profile=m /> })} {t!(i18n, my_progress)}</h1>
            <section class="card">
                <h2 class="card__title">{t!(i18n, criterion_profile)}</h2>
                {if profile.rows.iter().any(|r| r.1.is_some()) {
                    view! { <ProfileChart profile=profile.clone() rubric=rubric.clone() lang=l mark /> }.into_any()
                } else {
                    view! { <p class="muted">{t!(i18n, results_empty)}</p> }.into_any()
                }}
                <p class="note">{t!(i18n, profile_note)}</p>
            </section>
            {weakest}
            <h2 class="section-title">{t!(i18n, tracks_heading)}</h2>
            <div class="grid">{tracks}</div>
            <p><A href="/results" attr:class="btn btn--ghost">{t!(i18n, results_nav)}</A></p>
        }
        .into_any()
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    move || {
        let id = params.read().get("track").unwrap_or_default();
        let Some(track) = course.file.tracks.iter().find(|t| t.id == id).cloned() else {
            return view! { <NotFound /> }.into_any();
        };
        let Some(rubric) = course.default_rubric().cloned() else {
            return view! { <NotFound /> }.into_any();
        };
        let p = ctx.progress.get();
        let Some(status) = report::track_status(&course, &id, &p) else {
            return view! { <NotFound /> }.into_any();
        };
        let me = ctx
            .trainee
            .get()
            .and_then(|t| ctx.profiles.with(|ps| ps.get(&t).cloned()));
        let name = me.as_ref().map(|m| m.name.clone()).unwrap_or_default();
        let employee = me.as_ref().and_then(|m| m.employee_id.clone());
        // Results of this track's quizzes.
        let modules: Vec<String> = track.modules.clone();
        let quiz_ids: Vec<String> = course
            .quizzes
            .iter()
            .filter(|q| {
                modules.contains(&q.module) || q.pools.iter().any(|pool| pool.track.as_deref() == Some(id.as_str()))
            })
            .map(|q| q.id.clone())
            .collect();
        let results: Vec<_> = p
            .attempts
            .iter()
            .filter(|a| quiz_ids.contains(&a.quiz))
            .map(|a| &a.result)
            .collect();
        let profile = CriterionProfile::of(results);
        let both = |zh: String, en: String| view! { <span class="bi"><span lang="zh-Hans">{zh}</span><span class="bi__en" lang="en">{en}</span></span> };
        let complete = status.complete();
        let quizzes = quiz_ids
            .iter()
            .filter_map(|q| course.quiz(q))
            .map(|q| {
                let total = p
                    .counting_total(&q.id, q.attempts)
                    .map(|t| format!("{t:.1}%"))
                    .unwrap_or_else(|| "—".into());
                view! { <tr><td>{both(q.title.zh.clone(), q.title.en.clone())}</td><td class="num">{total}</td></tr> }
            })
            .collect_view();
        let date = when(crate::browser::platform::now());
        view! {
            <div class="report-actions no-print">
                <A href="/progress" attr:class="btn btn--ghost">{t!(i18n, my_progress)}</A>
                <button class="btn btn--primary" type="button" on:click=|_| { let _ = web_sys::window().map(|w| w.print()); } data-testid="print-report">{t!(i18n, print_report)}</button>
            </div>
            <article class="report" data-testid="report" data-complete=complete.to_string()>
                <header class="report__head">
                    <span class="topbar__mark" aria-hidden="true">"礼"</span>
                    <div>
                        <p class="report__kind">{if complete { both("结业证书".into(), "Certificate of completion".into()) } else { both("学习报告".into(), "Progress report".into()) }}</p>
                        <h1 class="report__track">{both(track.title.zh.clone(), track.title.en.clone())}</h1>
                    </div>
                </header>
                <p class="report__name" data-testid="report-name">{name} {employee.map(|e| format!(" · {e}"))}</p>
                <p>{if complete {
                    both("已完成本课程全部课时并通过结业考核。".into(), "has completed every lesson of this track and passed its final assessment.".into())
                } else {
                    both(format!("已完成 {}/{} 个课时。", status.lessons_done, status.lessons), format!("has completed {} of {} lessons.", status.lessons_done, status.lessons))
                }}</p>
                <table class="report__table">
                    <thead><tr><th>{both("测验".into(), "Quiz".into())}</th><th class="num">{both("成绩".into(), "Score".into())}</th></tr></thead>
                    <tbody>{quizzes}</tbody>
                </table>
                <h2>{both("各项考核指标".into(), "Per criterion".into())}</h2>
                <ProfileChart profile=profile rubric=rubric.clone() lang=Lang::Zh mark=60.0 />
                <p class="note">{both(rubric.note.zh.clone(), rubric.note.en.clone())}</p>
                <footer class="report__foot">
                    <p>{both("日期".into(), "Date".into())} ": " {date}</p>
                    <p class="report__sign">{both("培训师签名".into(), "Trainer's signature".into())} ": "</p>
                </footer>
            </article>
        }
        .into_any()
    }
}
