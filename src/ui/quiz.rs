//! Taking a quiz: one question at a time, large touch targets, confirm before
//! submitting with unanswered questions, then the scored result.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::app::{CourseCtx, ProgressCtx, use_lang};
use crate::browser::platform::{new_id, now, scroll_to_top};
use crate::domain::content::Quiz;
use crate::domain::quiz::{Answers, Question, QuestionKind, score_quiz};
use crate::domain::records::AttemptRecord;
use crate::domain::text::Lang;
use crate::i18n::*;
use crate::ui::not_found::NotFound;

#[component]
pub fn QuizPage() -> impl IntoView {
    let params = use_params_map();
    let course = CourseCtx::expect();
    move || {
        let id = params.read().get("quiz").unwrap_or_default();
        match course.quiz(&id) {
            Some(q) => view! { <QuizRunner quiz=q.clone() /> }.into_any(),
            None => view! { <NotFound /> }.into_any(),
        }
    }
}

/// The label and the option ids a question offers, in display order.
fn options_of(q: &Question, lang: Lang, yes: String, no: String) -> Vec<(String, String)> {
    match q.kind {
        QuestionKind::TrueFalse => vec![("true".into(), yes), ("false".into(), no)],
        _ => q.options.iter().map(|o| (o.id.clone(), o.text.get(lang).to_string())).collect(),
    }
}

#[component]
fn QuizRunner(quiz: Quiz) -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    let lang = use_lang();
    let navigate = use_navigate();
    let answers = RwSignal::new(Answers::default());
    let current = RwSignal::new(0usize);
    let confirming = RwSignal::new(false);
    let started_at = now();
    let quiz = StoredValue::new(quiz);
    let total = quiz.with_value(|q| q.questions.len());

    let finish = move || {
        let Some(rubric) = course.default_rubric() else { return };
        let record = quiz.with_value(|q| {
            let outcome = answers.with_untracked(|a| score_quiz(&q.questions, a, rubric, q.pass_mark));
            AttemptRecord::from_outcome(new_id(), &q.id, &course.file.content_version, started_at, now(), outcome)
        });
        let id = record.id.clone();
        ctx.update(move |p| p.attempts.push(record));
        navigate(&format!("/result/{id}"), Default::default());
    };
    let finish = StoredValue::new(finish);
    let submit = move |_| {
        let unanswered = quiz.with_value(|q| answers.with_untracked(|a| a.unanswered(&q.questions).len()));
        if unanswered > 0 {
            confirming.set(true);
        } else {
            finish.with_value(|f| f());
        }
    };
    let go = move |delta: isize| {
        current.update(|c| *c = (*c as isize + delta).clamp(0, total as isize - 1) as usize);
        scroll_to_top();
    };

    let question_view = move || {
        let lang = lang.get();
        let idx = current.get();
        let q = quiz.with_value(|qz| qz.questions[idx].clone());
        let multiple = q.kind == QuestionKind::Multiple;
        let opts = options_of(&q, lang, t_string!(i18n, answer_true).to_string(), t_string!(i18n, answer_false).to_string());
        let role = if multiple { "checkbox" } else { "radio" };
        let qq = StoredValue::new(q.clone());
        let buttons = opts
            .into_iter()
            .enumerate()
            .map(|(i, (oid, label))| {
                let o2 = oid.clone();
                let qid = q.id.clone();
                let picked = Signal::derive(move || answers.with(|a| a.get(&qid).contains(&o2)));
                let letter = if q.kind == QuestionKind::TrueFalse { String::new() } else { ((b'A' + i as u8) as char).to_string() };
                view! {
                    <button
                        type="button"
                        role=role
                        class=move || if picked.get() { "choice choice--selected" } else { "choice" }
                        aria-checked=move || picked.get().to_string()
                        data-option=oid.clone()
                        on:click=move |_| qq.with_value(|q| answers.update(|a| a.toggle(q, &oid)))
                    >
                        {(!letter.is_empty()).then(|| view! { <span class="choice__key">{letter.clone()}</span> })}
                        <span class="choice__text">{label}</span>
                    </button>
                }
            })
            .collect_view();
        view! {
            <fieldset class="question" data-question=q.id.clone()>
                <legend class="question__prompt">{q.prompt.get(lang).to_string()}</legend>
                <p class="question__hint">
                    {if multiple { t_string!(i18n, choose_all).to_string() } else { t_string!(i18n, choose_one).to_string() }}
                </p>
                <div class="choices" role=if multiple { "group" } else { "radiogroup" }>{buttons}</div>
            </fieldset>
        }
    };

    let dots = move || {
        let idx = current.get();
        quiz.with_value(|qz| {
            qz.questions
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    let qid = q.id.clone();
                    let answered = move || answers.with(|a| !a.get(&qid).is_empty());
                    let cls = move || {
                        let mut c = String::from("dot");
                        if answered() {
                            c.push_str(" dot--answered");
                        }
                        if i == idx {
                            c.push_str(" dot--current");
                        }
                        c
                    };
                    view! {
                        <button type="button" class=cls aria-label=format!("{}", i + 1) on:click=move |_| current.set(i)>
                            {i + 1}
                        </button>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <nav class="crumbs">
            <A href="/">{t!(i18n, nav_home)}</A>
            " / "
            {move || quiz.with_value(|q| q.title.get(lang.get()).to_string())}
        </nav>
        <div class="quiz">
            <p class="eyebrow" data-testid="question-position">
                {move || t_string!(i18n, question_position, n = current.get() + 1, total = total).to_string()}
            </p>
            <div class="meter" aria-hidden="true">
                <div class="meter__fill" style:width=move || format!("{}%", (current.get() + 1) * 100 / total.max(1))></div>
            </div>
            <div class="dots">{dots}</div>
            {question_view}
            <div class="quiz__nav">
                <button type="button" class="btn btn--ghost" disabled=move || current.get() == 0 on:click=move |_| go(-1)>
                    "← " {t!(i18n, previous)}
                </button>
                <span class="pager__gap"></span>
                {move || if current.get() + 1 < total {
                    view! { <button type="button" class="btn btn--primary" data-testid="next" on:click=move |_| go(1)>{t!(i18n, next)} " →"</button> }.into_any()
                } else {
                    view! { <button type="button" class="btn btn--primary" data-testid="submit" on:click=submit>{t!(i18n, submit)}</button> }.into_any()
                }}
            </div>
        </div>
        {move || confirming.get().then(|| {
            let n = quiz.with_value(|q| answers.with_untracked(|a| a.unanswered(&q.questions).len()));
            view! {
                <div class="sheet-backdrop"></div>
                <div class="dialog" role="alertdialog" aria-modal="true" data-testid="confirm-dialog">
                    <p>{t_string!(i18n, confirm_unanswered, count = n).to_string()}</p>
                    <div class="dialog__actions">
                        <button type="button" class="btn btn--ghost" on:click=move |_| confirming.set(false)>{t!(i18n, keep_answering)}</button>
                        <button type="button" class="btn btn--primary" data-testid="confirm-submit" on:click=move |_| { confirming.set(false); finish.with_value(|f| f()); }>
                            {t!(i18n, confirm_submit)}
                        </button>
                    </div>
                </div>
            }
        })}
    }
}
