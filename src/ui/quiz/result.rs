//! A finished attempt: the score on every rubric criterion (or "not assessed"), the
//! weighted total with the normalisation note, pass / not passed, and a review.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::domain::engine::{PRACTICE, quiz_name};
use crate::domain::quiz::{Correctness, Question, QuestionKind};
use crate::domain::rubric::PassRule;
use crate::domain::text::Lang;
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::common::labels::{option_text, quiz_title};
use crate::ui::lesson::citation::Cites;
use crate::ui::quiz::scorecard::{CriterionTable, TotalLine};
use crate::ui::quiz::take::PRACTICE_PASS_MARK;
use crate::ui::shell::not_found::NotFound;

/// A response (or the correct answer) of `q` as text: option labels, steps in order, matched
/// pairs, or the number with its unit.
fn describe(i18n: I18n, q: &Question, ids: &[String], lang: Lang) -> String {
    match q.kind {
        QuestionKind::Ordering => ids
            .iter()
            .enumerate()
            .map(|(i, id)| format!("{}. {}", i + 1, option_text(i18n, q, id, lang)))
            .collect::<Vec<_>>()
            .join("  "),
        QuestionKind::Matching => q
            .pairs
            .iter()
            .zip(ids.iter().map(Some).chain(std::iter::repeat(None)))
            .map(|(p, id)| {
                let right = id
                    .filter(|s| !s.is_empty())
                    .map(|id| option_text(i18n, q, id, lang))
                    .unwrap_or_else(|| "—".into());
                format!("{} → {}", p.left.get(lang), right)
            })
            .collect::<Vec<_>>()
            .join("；"),
        QuestionKind::Numeric => {
            let unit = q.unit.as_ref().map(|u| format!(" {}", u.get(lang))).unwrap_or_default();
            ids.first().map(|v| format!("{v}{unit}")).unwrap_or_default()
        }
        _ => ids
            .iter()
            .map(|id| option_text(i18n, q, id, lang))
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

#[component]
pub fn ResultPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let course = CourseCtx::expect();
    let progress = ProgressCtx::expect().progress;
    let lang = use_lang();
    move || {
        let id = params.read().get("attempt").unwrap_or_default();
        let Some(attempt) = progress.with(|p| p.attempt(&id).cloned()) else {
            return view! { <NotFound /> }.into_any();
        };
        let lang = lang.get();
        let quiz = course.quiz(&attempt.quiz).cloned();
        let title = quiz_title(i18n, quiz_name(&course, &attempt.quiz), lang);
        let review = {
            attempt
                .responses
                .iter()
                .enumerate()
                .filter_map(|(i, r)| course.question(&r.question).map(|q| (i, r, q)))
                .map(|(i, r, q)| {
                    let mine = if r.picked.is_empty() { t_string!(i18n, no_answer).to_string() } else { describe(i18n, q, &r.picked, lang) };
                    let right = describe(i18n, q, &q.correct_ids(), lang);
                    let situational = q.picked_feedback(&r.picked).map(|f| f.get(lang).to_string());
                    let verdict = Correctness::of(r.score);
                    let mark = match verdict {
                        Correctness::Right => "✓",
                        Correctness::Partial => "◐",
                        Correctness::Wrong => "✗",
                    };
                    let cls = format!("review review--{}", verdict.as_str());
                    view! {
                        <li class=cls>
                            <p class="review__q"><span class="review__mark">{mark}</span> {format!("{}. ", i + 1)} {q.prompt.get(lang).to_string()}</p>
                            <p><span class="muted">{t!(i18n, your_answer)} ": "</span>{mine}</p>
                            {situational.map(|f| view! { <p class="review__why"><span class="muted">{t!(i18n, feedback_label)} ": "</span>{f}</p> })}
                            <p><span class="muted">{t!(i18n, correct_answer)} ": "</span>{right}</p>
                            <p class="review__why">{q.explanation.get(lang).to_string()} <Cites cites=q.cite.clone() /></p>
                        </li>
                    }
                })
                .collect_view()
        };
        let module = quiz.as_ref().map(|q| q.module.clone()).unwrap_or_default();
        // The pass mark of the quiz (practice, or a quiz the content no longer has: the course's).
        let pass_mark = quiz.as_ref().map(|q| q.pass_mark).unwrap_or(PRACTICE_PASS_MARK);
        view! {
            <nav class="crumbs"><A href="/">{t!(i18n, nav_home)}</A> " / " {title.clone()}</nav>
            <h1>{t!(i18n, result_heading)} " · " {title}</h1>
            <section class="card result" data-testid="result">
                {attempt.timed_out.then(|| view! {
                    <p class="banner banner--warn" role="status" data-testid="time-up">
                        {t_string!(i18n, time_up_result, count = attempt.unanswered_at_deadline()).to_string()}
                    </p>
                })}
                <TotalLine result=attempt.result.clone() rule=PassRule::Total pass_mark />
                <p class="muted">
                    {t_string!(i18n, correct_count, correct = attempt.correct, total = attempt.responses.len()).to_string()}
                    {quiz.as_ref().map(|q| format!(" · {}", t_string!(i18n, pass_mark, mark = q.pass_mark)))}
                </p>
                <CriterionTable result=attempt.result.clone() />
            </section>
            <h2 class="section-title">{t!(i18n, review_heading)}</h2>
            <ol class="review-list">{review}</ol>
            <div class="pager">
                <A href=if module.is_empty() { "/".to_string() } else { format!("/module/{module}") } attr:class="btn btn--ghost">{t!(i18n, back_to_module)}</A>
                <span class="pager__gap"></span>
                <A href=if attempt.quiz == PRACTICE { "/practice".to_string() } else { format!("/quiz/{}", attempt.quiz) } attr:class="btn btn--primary">{t!(i18n, retake)}</A>
            </div>
        }
        .into_any()
    }
}
