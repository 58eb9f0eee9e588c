//! A module: its lessons in order, with progress, and its quizzes.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::domain::content::LessonRef;
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::common::labels::policy_label;
use crate::ui::shell::not_found::NotFound;

#[component]
pub fn ModulePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let course = CourseCtx::expect();
    let progress = ProgressCtx::expect().progress;
    let lang = use_lang();
    move || {
        let id = params.read().get("module").unwrap_or_default();
        let Some(m) = course.module(&id).cloned() else {
            return view! { <NotFound /> }.into_any();
        };
        let lang = lang.get();
        let track = course
            .track_of(&m.id)
            .map(|t| t.title.get(lang).to_string())
            .unwrap_or_default();
        let mid = m.id.clone();
        let lessons = m
            .lessons
            .clone()
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let key = LessonRef::new(&mid, &l.id).key();
                let done = move || progress.with(|p| p.is_lesson_done(&key));
                view! {
                    <li>
                        <A href=format!("/lesson/{}/{}", mid, l.id) attr:class="row-link" attr:data-lesson=l.id.clone()>
                            <span class="step-num">{i + 1}</span>
                            <span class="row-link__main">
                                <strong>{l.title.get(lang).to_string()}</strong>
                                <span class="muted">{l.intro.get(lang).to_string()}</span>
                            </span>
                            {move || done().then(|| view! { <span class="pill pill--ok">{t!(i18n, lesson_done)}</span> })}
                        </A>
                    </li>
                }
            })
            .collect_view();
        let quizzes = course
            .quizzes_for_module(&m.id)
            .map(|q| {
                let qid = q.id.clone();
                let policy = q.attempts;
                let last = move || {
                    progress.with(|p| {
                        p.counting_total(&qid, policy).map(|t| {
                            let policy = policy_label(i18n, policy);
                            t_string!(i18n, counting_score, policy = policy, total = format!("{t:.1}%")).to_string()
                        })
                    })
                };
                let qid2 = q.id.clone();
                let resuming = move || progress.with(|p| p.in_progress.contains_key(&qid2));
                view! {
                    <div class="card quiz-card">
                        <div>
                            <h3 class="card__title">{q.title.get(lang).to_string()}</h3>
                            <p class="card__meta">
                                {t_string!(i18n, quiz_questions, count = q.count).to_string()}
                                " · "
                                {t_string!(i18n, pass_mark, mark = q.pass_mark).to_string()}
                            </p>
                            <p class="card__meta">{last}</p>
                        </div>
                        <A href=format!("/quiz/{}", q.id) attr:class="btn btn--primary" attr:data-testid="start-quiz">
                            {move || if resuming() { t_string!(i18n, resume_quiz).to_string() } else { t_string!(i18n, quiz_start).to_string() }}
                        </A>
                    </div>
                }
            })
            .collect_view();
        let scenarios: Vec<_> = course.scenarios.iter().filter(|s| s.module == m.id).cloned().collect();
        let checklists: Vec<_> = course.checklists.iter().filter(|c| c.module == m.id).cloned().collect();
        let has_practice = !scenarios.is_empty() || !checklists.is_empty();
        let scenario_cards = scenarios
            .into_iter()
            .map(|s| {
                let sid = s.id.clone();
                let resuming = move || progress.with(|p| p.scenarios_in_progress.contains_key(&sid));
                let channel = crate::ui::common::labels::channel_label(i18n, s.setting.channel);
                view! {
                    <div class="card quiz-card" data-scenario=s.id.clone()>
                        <div>
                            <h3 class="card__title"><span class="kind-tag">{t!(i18n, roleplay_label)}</span> {s.title.get(lang).to_string()}</h3>
                            <p class="card__meta">{channel} " · " {s.summary.get(lang).to_string()}</p>
                        </div>
                        <A href=format!("/scenario/{}", s.id) attr:class="btn btn--primary" attr:data-testid="start-scenario-link">
                            {move || if resuming() { t_string!(i18n, resume_quiz).to_string() } else { t_string!(i18n, open_scenario).to_string() }}
                        </A>
                    </div>
                }
            })
            .collect_view();
        let checklist_cards = checklists
            .into_iter()
            .map(|c| {
                view! {
                    <div class="card quiz-card" data-checklist=c.id.clone()>
                        <div>
                            <h3 class="card__title"><span class="kind-tag">{t!(i18n, observation_label)}</span> {c.title.get(lang).to_string()}</h3>
                            <p class="card__meta">{c.summary.get(lang).to_string()}</p>
                        </div>
                        <A href=format!("/checklist/{}", c.id) attr:class="btn btn--ghost" attr:data-testid="open-checklist">
                            {t!(i18n, open_checklist)}
                        </A>
                    </div>
                }
            })
            .collect_view();
        view! {
            <nav class="crumbs"><A href="/">{t!(i18n, nav_home)}</A> " / " {track}</nav>
            <h1>{m.title.get(lang).to_string()}</h1>
            <p class="lead">{m.summary.get(lang).to_string()}</p>
            <h2 class="section-title">{t!(i18n, lessons_heading)}</h2>
            <ol class="lesson-list">{lessons}</ol>
            <h2 class="section-title">{t!(i18n, quiz_heading)}</h2>
            {quizzes}
            {has_practice.then(|| view! {
                <h2 class="section-title">{t!(i18n, practice_heading)}</h2>
                {scenario_cards}
                {checklist_cards}
            })}
        }
        .into_any()
    }
}
