//! "My progress": tracks and modules done, the history of results, the per-criterion profile
//! as a chart and the weakest criterion with the lessons that teach it; and the printable
//! report (a certificate once the track is complete) per track.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::content::LessonRef;
use crate::domain::report::{self, PROFILE_PASS_LINE};
use crate::i18n::*;
use crate::ui::common::avatar::Avatar;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::common::profile_chart::ProfileChart;
use crate::ui::shell::not_found::NotFound;

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
        // The same aggregation as the printed track report (`report::overview`).
        let overview = report::overview(&course, &p);
        let profile = overview.all.profile.clone();
        let weakest = profile.weakest().map(|(c, avg)| {
            let name = rubric
                .criterion(c)
                .map(|k| k.name.get(l).to_string())
                .unwrap_or_else(|| c.to_string());
            let lessons = course
                .lessons_teaching(c)
                .into_iter()
                .map(|(module, lesson)| {
                    let (href, title, mtitle) = (
                        format!("/lesson/{}/{}", module.id, lesson.id),
                        lesson.title.get(l).to_string(),
                        module.title.get(l).to_string(),
                    );
                    view! { <li><A href=href>{title}</A> <span class="muted">" · " {mtitle}</span></li> }
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
        let tracks = overview
            .tracks
            .into_iter()
            .filter_map(|(id, s, sum)| course.file.tracks.iter().find(|t| t.id == id).cloned().map(|t| (t, s, sum)))
            .map(|(t, s, sum)| {
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
                // The track's per-criterion numbers, as its printed report shows them.
                let criteria = sum
                    .profile
                    .rows
                    .iter()
                    .filter_map(|(c, avg, _)| {
                        avg.map(|a| {
                            let name = rubric.criterion(c).map(|k| k.name.get(l).to_string()).unwrap_or_else(|| c.clone());
                            view! { <li data-criterion=c.clone()>{name} " " <span class="num">{format!("{a:.1}%")}</span></li> }
                        })
                    })
                    .collect_view();
                let results = t_string!(i18n, track_results_summary, n = sum.results).to_string();
                view! {
                    <section class="card track-progress" data-track=t.id.clone()>
                        <h3 class="card__title">{t.title.get(l).to_string()}
                            {s.complete().then(|| view! { " " <span class="pill pill--ok">{t!(i18n, track_complete)}</span> })}
                        </h3>
                        <p class="muted">{t_string!(i18n, module_lessons, done = s.lessons_done, total = s.lessons).to_string()} " · " {t!(i18n, assessment_best)} " " {best}</p>
                        <ul class="module-progress">{modules}</ul>
                        <p class="muted" data-testid="track-results">{results}</p>
                        <ul class="track-criteria" data-testid="track-criteria">{criteria}</ul>
                        <A href=format!("/report/{}", t.id) attr:class="btn btn--ghost" attr:data-testid="open-report">
                            {if s.complete() { t_string!(i18n, certificate) } else { t_string!(i18n, track_report) }}
                        </A>
                    </section>
                }
            })
            .collect_view();
        let mark = PROFILE_PASS_LINE;
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
