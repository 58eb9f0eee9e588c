//! A finished attempt: the score on every rubric criterion (or "not assessed"), the
//! weighted total with the normalisation note, pass / not passed, and a review.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::domain::engine::PRACTICE;
use crate::domain::quiz::{Question, QuestionKind};
use crate::domain::text::Lang;
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::lesson::citation::Cites;
use crate::ui::quiz::scorecard::{CriterionTable, TotalLine};
use crate::ui::quiz::take::option_label;
use crate::ui::shell::not_found::NotFound;

/// A response (or the correct answer) of `q` as text: option labels, steps in order, matched
/// pairs, or the number with its unit.
fn describe(q: &Question, ids: &[String], lang: Lang, yes: &str, no: &str) -> String {
    match q.kind {
        QuestionKind::Ordering => ids
            .iter()
            .enumerate()
            .map(|(i, id)| format!("{}. {}", i + 1, option_label(q, id, lang, yes, no)))
            .collect::<Vec<_>>()
            .join("  "),
        QuestionKind::Matching => q
            .pairs
            .iter()
            .zip(ids.iter().map(Some).chain(std::iter::repeat(None)))
            .map(|(p, id)| {
                let right = id
                    .filter(|s| !s.is_empty())
                    .map(|id| option_label(q, id, lang, yes, no))
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
            .map(|id| option_label(q, id, lang, yes, no))
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

/// The correct answer of `q` as option ids (pairs in order for matching, the number for numeric).
fn correct_ids(q: &Question) -> Vec<String> {
    match q.kind {
        QuestionKind::Matching => q.pairs.iter().map(|p| p.id.clone()).collect(),
        QuestionKind::Numeric => q.number.map(|n| vec![format!("{n}")]).unwrap_or_default(),
        _ => q.answer.clone(),
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
        let title = if attempt.quiz == PRACTICE {
            t_string!(i18n, practice_title).to_string()
        } else {
            quiz.as_ref()
                .map(|q| q.title.get(lang).to_string())
                .unwrap_or_else(|| attempt.quiz.clone())
        };
        let yes = t_string!(i18n, answer_true).to_string();
        let no = t_string!(i18n, answer_false).to_string();
        let review = {
            attempt
                .responses
                .iter()
                .enumerate()
                .filter_map(|(i, r)| course.question(&r.question).map(|q| (i, r, q)))
                .map(|(i, r, q)| {
                    let mine = if r.picked.is_empty() { t_string!(i18n, no_answer).to_string() } else { describe(q, &r.picked, lang, &yes, &no) };
                    let right = describe(q, &correct_ids(q), lang, &yes, &no);
                    let situational = (q.kind == QuestionKind::Situational)
                        .then(|| r.picked.first().and_then(|id| q.options.iter().find(|o| &o.id == id)).and_then(|o| o.feedback.clone()))
                        .flatten()
                        .map(|f| f.get(lang).to_string());
                    let (cls, mark) = if r.score >= 1.0 {
                        ("review review--right", "✓")
                    } else if r.score > 0.0 {
                        ("review review--partial", "◐")
                    } else {
                        ("review review--wrong", "✗")
                    };
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
        view! {
            <nav class="crumbs"><A href="/">{t!(i18n, nav_home)}</A> " / " {title.clone()}</nav>
            <h1>{t!(i18n, result_heading)} " · " {title}</h1>
            <section class="card result" data-testid="result">
                <TotalLine total=attempt.result.total passed=attempt.passed />
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
