//! Home: the tracks with their modules and progress, and the trainee's quiz attempts.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser::platform::now;
use crate::domain::content::LessonRef;
use crate::domain::engine::{PRACTICE, TimeLeft, clock_face, quiz_name};
use crate::domain::report::{share_percent, track_assessments};
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::common::labels::quiz_title;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let lang = use_lang();
    let progress = ProgressCtx::expect().progress;
    let c = course.clone();
    view! {
        <Running />
        <section class="hero">
            <h1>{t!(i18n, app_name)}</h1>
            <p class="hero__tagline">{t!(i18n, app_tagline)}</p>
        </section>
        <h2 class="section-title">{t!(i18n, tracks_heading)}</h2>
        {move || {
            let lang = lang.get();
            c
                .file
                .tracks
                .iter()
                .map(|t| {
                    let modules = t
                        .modules
                        .iter()
                        .filter_map(|id| c.module(id))
                        .map(|m| view! { <ModuleCard module_id=m.id.clone() /> })
                        .collect_view();
                    let assessments = track_assessments(&c, &t.id)
                        .into_iter()
                        .map(|q| {
                            let (href, title) = (format!("/quiz/{}", q.id), q.title.get(lang).to_string());
                            view! { <A href=href attr:class="btn btn--ghost track__assessment">{title} " →"</A> }
                        })
                        .collect_view();
                    let keys: Vec<String> = t
                        .modules
                        .iter()
                        .filter_map(|id| c.module(id))
                        .flat_map(|m| m.lessons.iter().map(move |l| LessonRef::new(&m.id, &l.id).key()))
                        .collect();
                    let total = keys.len();
                    let done = move || progress.with(|p| p.done_count(&keys));
                    view! {
                        <section class="track" data-track=t.id.clone()>
                            <div class="track__head">
                                <h3 class="track__title">{t.title.get(lang).to_string()}</h3>
                                <span class="pill pill--ok" data-testid="track-progress">
                                    {move || t_string!(i18n, module_lessons, done = done(), total = total)}
                                </span>
                            </div>
                            <p class="track__summary">{t.summary.get(lang).to_string()}</p>
                            <div class="grid">{modules}</div>
                            <div class="track__actions">{assessments}</div>
                        </section>
                    }
                })
                .collect_view()
        }}
        <Attempts />
    }
}

/// Quizzes under way, at the top of home: name, time left (ticking), answered so far, Continue.
/// A timed attempt's clock runs while the quiz is closed, so it must never be out of sight.
#[component]
fn Running() -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let progress = ProgressCtx::expect().progress;
    let lang = use_lang();
    let clock = RwSignal::new(now());
    if let Ok(h) = set_interval_with_handle(move || clock.set(now()), std::time::Duration::from_secs(1)) {
        on_cleanup(move || h.clear());
    }
    move || {
        let l = lang.get();
        let at = clock.get();
        progress.with(|p| {
            let cards = p
                .running()
                .into_iter()
                .map(|ip| {
                    let title = quiz_title(i18n, quiz_name(&course, &ip.quiz), l);
                    let href = if ip.quiz == PRACTICE { "/practice".to_string() } else { format!("/quiz/{}", ip.quiz) };
                    let (time, cls) = match ip.time_left(at) {
                        TimeLeft::Untimed => (t_string!(i18n, running_untimed).to_string(), "muted"),
                        TimeLeft::Left(s) => (t_string!(i18n, time_left, time = clock_face(s)).to_string(), "timer"),
                        TimeLeft::Up => (t_string!(i18n, running_time_up).to_string(), "timer timer--urgent"),
                    };
                    let total = ip.questions.len();
                    let answered = ip.answered_count();
                    view! {
                        <div class="card running" data-testid="running-attempt" data-quiz=ip.quiz.clone()>
                            <div class="running__main">
                                <p class="eyebrow">{t!(i18n, running_heading)}</p>
                                <h2 class="card__title">{title}</h2>
                                <p class=cls data-testid="running-time-left">{time}</p>
                                <p class="card__meta">{t_string!(i18n, running_answered, answered = answered, total = total).to_string()}</p>
                            </div>
                            <A href=href attr:class="btn btn--primary" attr:data-testid="continue-attempt">{t!(i18n, continue_label)} " →"</A>
                        </div>
                    }
                })
                .collect_view();
            view! { <div class="running-list">{cards}</div> }
        })
    }
}

/// A module's card: title, summary and lessons done.
#[component]
fn ModuleCard(module_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let progress = ProgressCtx::expect().progress;
    let lang = use_lang();
    let Some(m) = course.module(&module_id).cloned() else {
        return ().into_any();
    };
    let keys: Vec<String> = m.lessons.iter().map(|l| LessonRef::new(&m.id, &l.id).key()).collect();
    let total = keys.len();
    let done = Signal::derive(move || progress.with(|p| p.done_count(&keys)));
    let href = format!("/module/{}", m.id);
    let m2 = m.clone();
    view! {
        <A href=href attr:class="card card--link" attr:data-module=m.id.clone()>
            <h4 class="card__title">{move || m2.title.get(lang.get()).to_string()}</h4>
            <p class="card__text">{move || m.summary.get(lang.get()).to_string()}</p>
            <div class="meter" aria-hidden="true">
                <div class="meter__fill" style:width=move || format!("{}%", share_percent(done.get(), total))></div>
            </div>
            <p class="card__meta">{move || t_string!(i18n, module_lessons, done = done.get(), total = total).to_string()}</p>
        </A>
    }
    .into_any()
}

/// The trainee's finished quizzes, newest first.
#[component]
fn Attempts() -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let progress = ProgressCtx::expect().progress;
    let lang = use_lang();
    view! {
        <section class="progress-list">
            <h2 class="section-title">{t!(i18n, progress_heading)}</h2>
            {move || {
                let n = progress.with(|p| p.mistakes().len());
                (n > 0).then(|| view! {
                    <A href="/practice" attr:class="btn btn--ghost practice-link" attr:data-testid="practice-link">
                        {t_string!(i18n, practice_start, count = n).to_string()}
                    </A>
                })
            }}
            {move || {
                let lang = lang.get();
                progress.with(|p| {
                    if p.attempts.is_empty() {
                        return view! { <p class="muted">{t!(i18n, no_attempts)}</p> }.into_any();
                    }
                    p.attempts
                        .iter()
                        .rev()
                        .map(|a| {
                            let title = quiz_title(i18n, quiz_name(&course, &a.quiz), lang);
                            let when = a.finished_at.format("%Y-%m-%d %H:%M UTC").to_string();
                            let total = a.result.total.map(|t| format!("{t:.1}%")).unwrap_or_else(|| "—".into());
                            let status = if a.passed { t_string!(i18n, passed).to_string() } else { t_string!(i18n, not_passed).to_string() };
                            let cls = if a.passed { "pill pill--ok" } else { "pill pill--bad" };
                            view! {
                                <A href=format!("/result/{}", a.id) attr:class="row-link" attr:data-testid="attempt-row">
                                    <span class="row-link__main">
                                        <strong>{title}</strong>
                                        <span class="muted">{when}</span>
                                    </span>
                                    <span class="row-link__score">{total}</span>
                                    <span class=cls>{status}</span>
                                </A>
                            }
                        })
                        .collect_view()
                        .into_any()
                })
            }}
        </section>
    }
}
