//! Taking a quiz: the drawn questions one at a time, saved after every answer (a reload or a
//! killed browser resumes at the same question with the same draw and time left), large touch
//! targets, confirm before submitting with unanswered questions, then the scored result.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::browser::platform::{capture_pointer, index_at_point, new_id, now, random_seed, scroll_to_top};
use crate::domain::content::FeedbackMode;
use crate::domain::content::Quiz;
use crate::domain::engine::{Entry, InProgress, PRACTICE, clock_face, entry, quiz_name};
use crate::domain::quiz::{Correctness, Question, QuestionKind, moved};
use crate::domain::report::share_percent;
use crate::domain::text::Lang;
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::common::labels::{option_text, policy_label, quiz_title};
use crate::ui::lesson::citation::Cites;
use crate::ui::shell::not_found::NotFound;

/// The pass mark used for "practise my mistakes" (this course's default).
pub const PRACTICE_PASS_MARK: f64 = 80.0;

#[component]
pub fn QuizPage() -> impl IntoView {
    let params = use_params_map();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    let quiz_id = Memo::new(move |_| params.read().get("quiz").unwrap_or_default());
    // An attempt whose questions are no longer all in the bank (the content changed since it
    // started) cannot be resumed faithfully: it is not resumable.
    let c = course.clone();
    let resumable = Memo::new(move |_| {
        let id = quiz_id.get();
        ctx.progress
            .with(|p| p.in_progress.get(&id).is_some_and(|ip| ip.is_resumable(&c)))
    });
    move || {
        let id = quiz_id.get();
        let Some(quiz) = course.quiz(&id).cloned() else {
            return view! { <NotFound /> }.into_any();
        };
        // A timed quiz follows whether an attempt is under way (Start begins one, submitting
        // ends it); an untimed one begins when opened, and is not redrawn by its own start.
        let can_resume = if quiz.time_limit_minutes.is_some() {
            resumable.get()
        } else {
            resumable.get_untracked()
        };
        match entry(&quiz, can_resume) {
            Entry::Intro => return view! { <QuizIntro quiz=quiz /> }.into_any(),
            Entry::Start => {
                let ip = InProgress::start(&course, &quiz, new_id(), random_seed(), now());
                ctx.update(|p| {
                    p.in_progress.insert(quiz.id.clone(), ip);
                });
            }
            Entry::Resume => {}
        }
        let feedback = quiz.feedback;
        view! { <QuizRunner key=quiz.id.clone() pass_mark=quiz.pass_mark feedback /> }.into_any()
    }
}

/// Before a timed quiz: what the attempt will be, and Start. Nothing is drawn or timed until
/// Start, so opening the quiz (or coming Back to it after finishing) never starts the clock.
#[component]
fn QuizIntro(
    /// The quiz about to be taken.
    quiz: Quiz,
) -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    let lang = use_lang();
    let quiz = StoredValue::new(quiz);
    let course = StoredValue::new(course);
    let start = move |_| {
        let ip = quiz.with_value(|q| course.with_value(|c| InProgress::start(c, q, new_id(), random_seed(), now())));
        ctx.update(move |p| {
            p.in_progress.insert(ip.quiz.clone(), ip);
        });
        scroll_to_top();
    };
    move || {
        let l = lang.get();
        let q = quiz.get_value();
        let title = q.title.get(l).to_string();
        let last = ctx.progress.with(|p| p.latest_attempt(&q.id).map(|a| a.id.clone()));
        let counting = ctx.progress.with(|p| p.counting_total(&q.id, q.attempts)).map(|t| {
            t_string!(
                i18n,
                counting_score,
                policy = policy_label(i18n, q.attempts),
                total = format!("{t:.1}%")
            )
            .to_string()
        });
        view! {
            <nav class="crumbs"><A href="/">{t!(i18n, nav_home)}</A> " / " {title.clone()}</nav>
            <section class="card quiz-intro" data-testid="quiz-intro" data-quiz=q.id.clone()>
                <h1>{title}</h1>
                <ul class="quiz-intro__facts">
                    <li>{t_string!(i18n, quiz_questions, count = q.count).to_string()}</li>
                    {q.time_limit_minutes.map(|m| view! { <li data-testid="intro-time-limit">{t_string!(i18n, intro_time_limit, minutes = m).to_string()}</li> })}
                    <li>{t_string!(i18n, pass_mark, mark = q.pass_mark).to_string()}</li>
                    <li>{t_string!(i18n, intro_counts, policy = policy_label(i18n, q.attempts)).to_string()}</li>
                </ul>
                <p class="muted">{t!(i18n, intro_clock_note)}</p>
                {counting.map(|c| view! { <p class="muted">{c}</p> })}
                <div class="pager">
                    {last.map(|id| view! { <A href=format!("/result/{id}") attr:class="btn btn--ghost" attr:data-testid="last-result">{t!(i18n, intro_last_result)}</A> })}
                    <span class="pager__gap"></span>
                    <button type="button" class="btn btn--primary btn--big" data-testid="start-attempt" on:click=start>{t!(i18n, start_attempt)}</button>
                </div>
            </section>
        }
    }
}

/// "Practise my mistakes": the questions whose latest answer was not fully right.
#[component]
pub fn PracticePage() -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    let resumable = ctx
        .progress
        .with_untracked(|p| p.in_progress.get(PRACTICE).is_some_and(|ip| ip.is_resumable(&course)));
    if !resumable {
        let mistakes: Vec<String> = ctx
            .progress
            .with_untracked(|p| p.mistakes())
            .into_iter()
            .filter(|q| course.question(q).is_some())
            .collect();
        if mistakes.is_empty() {
            return view! {
                <section class="card">
                    <h1>{t!(i18n, practice_title)}</h1>
                    <p>{t!(i18n, practice_none)}</p>
                    <A href="/" attr:class="btn btn--primary">{t!(i18n, go_home)}</A>
                </section>
            }
            .into_any();
        }
        let ip = InProgress::with_questions(&course, PRACTICE, mistakes, new_id(), random_seed(), now(), None);
        ctx.update(|p| {
            p.in_progress.insert(PRACTICE.to_string(), ip);
        });
    }
    view! { <QuizRunner key=PRACTICE.to_string() pass_mark=PRACTICE_PASS_MARK feedback=FeedbackMode::Each /> }
        .into_any()
}

#[component]
fn QuizRunner(
    /// Key of the in-progress attempt in progress (the quiz id, or `practice`).
    key: String,
    /// Pass mark in percent.
    pass_mark: f64,
    /// When to show whether an answer is right.
    feedback: FeedbackMode,
) -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    let lang = use_lang();
    let navigate = use_navigate();
    let key = StoredValue::new(key);
    let state = Memo::new(move |_| key.with_value(|k| ctx.progress.with(|p| p.in_progress.get(k).cloned())));
    let confirming = RwSignal::new(false);
    let clock = RwSignal::new(now());

    let act: Act = StoredValue::new(Box::new(move |f: Box<dyn FnOnce(&mut InProgress)>| {
        key.with_value(|k| {
            ctx.update(|p| {
                if let Some(ip) = p.in_progress.get_mut(k) {
                    f(ip);
                }
            })
        })
    }));
    let c2 = course.clone();
    let finish = move || {
        let Some(ip) = state.get_untracked() else { return };
        let Some(rubric) = ctx.rubric(&c2) else { return };
        let record = ip.finish(&c2, &rubric, pass_mark, &c2.file.content_version, now());
        let id = record.id.clone();
        let k = key.get_value();
        ctx.update(move |p| {
            p.in_progress.remove(&k);
            p.attempts.push(record);
        });
        navigate(&format!("/result/{id}"), Default::default());
    };
    let finish = StoredValue::new(finish);

    // The timer: tick every second; submit when time is up.
    if state.get_untracked().is_some_and(|s| s.deadline.is_some()) {
        let handle = set_interval_with_handle(
            move || {
                clock.set(now());
                if state.get_untracked().is_some_and(|s| s.is_expired(now())) {
                    finish.with_value(|f| f());
                }
            },
            std::time::Duration::from_secs(1),
        );
        if let Ok(h) = handle {
            on_cleanup(move || h.clear());
        }
        // Reopened after the deadline (e.g. from home): submitted as it stands, at once.
        Effect::new(move |_| {
            if state.get_untracked().is_some_and(|s| s.is_expired(now())) {
                finish.with_value(|f| f());
            }
        });
    }

    let cs = StoredValue::new(course.clone());
    let submit = move |_: leptos::ev::MouseEvent| {
        let unanswered = state.with_untracked(|s| s.as_ref().map(|ip| cs.with_value(|c| ip.unanswered(c))));
        if unanswered.unwrap_or(0) > 0 {
            confirming.set(true);
        } else {
            finish.with_value(|f| f());
        }
    };
    let go = move |index: usize| {
        act.with_value(|a| a(Box::new(move |ip| ip.go_to(index))));
        scroll_to_top();
    };

    let course2 = CourseCtx::expect();
    let body = move || {
        let Some(ip) = state.get() else {
            return view! { <NotFound /> }.into_any();
        };
        let lang = lang.get();
        let questions = ip.question_list(&course2);
        let total = questions.len();
        if total == 0 {
            return view! { <NotFound /> }.into_any();
        }
        let idx = ip.current.min(total - 1);
        let q = questions[idx].clone();
        let title = quiz_title(i18n, quiz_name(&course2, &ip.quiz), lang);
        let revealed = ip.revealed.contains(&q.id);
        let order = ip.orders.get(&q.id).cloned().unwrap_or_default();
        let picked = ip.answers.get(&q.id).to_vec();
        let timer = ip.remaining_seconds(clock.get()).map(|s| {
            view! { <p class="timer" data-testid="timer" role="timer">{t_string!(i18n, time_left, time = clock_face(s)).to_string()}</p> }
        });
        let dots = questions
            .iter()
            .enumerate()
            .map(|(i, qq)| {
                let mut cls = String::from("dot");
                if !ip.answers.get(&qq.id).is_empty() {
                    cls.push_str(" dot--answered");
                }
                if i == idx {
                    cls.push_str(" dot--current");
                }
                view! { <button type="button" class=cls aria-label=format!("{}", i + 1) on:click=move |_| go(i)>{i + 1}</button> }
            })
            .collect_view();
        let question = render_question(&q, order, picked.clone(), revealed, lang, act);
        let check = (feedback == FeedbackMode::Each && !revealed && !picked.is_empty()).then(|| {
            let qid = q.id.clone();
            view! {
                <button type="button" class="btn btn--ghost" data-testid="check-answer"
                    on:click=move |_| { let qid = qid.clone(); act.with_value(|a| a(Box::new(move |ip| { ip.revealed.insert(qid); }))) }>
                    {t!(i18n, check_answer)}
                </button>
            }
        });
        let reveal = revealed.then(|| feedback_view(&q, &picked, lang));
        view! {
            <nav class="crumbs"><A href="/">{t!(i18n, nav_home)}</A> " / " {title}</nav>
            <div class="quiz">
                <div class="quiz__head">
                    <p class="eyebrow" data-testid="question-position">
                        {t_string!(i18n, question_position, n = idx + 1, total = total).to_string()}
                    </p>
                    {timer}
                </div>
                <div class="meter" aria-hidden="true">
                    <div class="meter__fill" style:width=format!("{}%", share_percent(idx + 1, total))></div>
                </div>
                <div class="dots">{dots}</div>
                {question}
                {check}
                {reveal}
                <div class="quiz__nav">
                    <button type="button" class="btn btn--ghost" disabled=idx == 0 on:click=move |_| go(idx.saturating_sub(1))>
                        "← " {t!(i18n, previous)}
                    </button>
                    <span class="pager__gap"></span>
                    {if idx + 1 < total {
                        view! { <button type="button" class="btn btn--primary" data-testid="next" prop:disabled={move || ctx.pending.get() > 0} on:click=move |_| go(idx + 1)>{t!(i18n, next)} " →"</button> }.into_any()
                    } else {
                        view! { <button type="button" class="btn btn--primary" data-testid="submit" prop:disabled={move || ctx.pending.get() > 0} on:click=submit>{t!(i18n, submit)}</button> }.into_any()
                    }}
                </div>
            </div>
        }
        .into_any()
    };

    let course3 = CourseCtx::expect();
    view! {
        {body}
        {move || confirming.get().then(|| {
            let n = state.with_untracked(|s| s.as_ref().map(|ip| ip.unanswered(&course3)).unwrap_or(0));
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

/// Applies a change to the in-progress attempt and saves it.
type Act = StoredValue<Box<dyn Fn(Box<dyn FnOnce(&mut InProgress)>) + Send + Sync>>;

/// Renders one question by kind. Every change is saved through `act` before the UI updates.
fn render_question(
    q: &Question,
    order: Vec<String>,
    picked: Vec<String>,
    locked: bool,
    lang: Lang,
    act: Act,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let set = move |qid: String, value: Vec<String>| {
        act.with_value(|a| {
            a(Box::new(move |ip| {
                ip.answer(&qid, value, now());
            }))
        });
    };
    let hint = match q.kind {
        QuestionKind::Multiple => t_string!(i18n, choose_all).to_string(),
        QuestionKind::Ordering => t_string!(i18n, order_hint).to_string(),
        QuestionKind::Matching => t_string!(i18n, match_hint).to_string(),
        QuestionKind::Numeric => t_string!(i18n, numeric_hint).to_string(),
        QuestionKind::Situational => t_string!(i18n, situational_hint).to_string(),
        _ => t_string!(i18n, choose_one).to_string(),
    };
    let body = match q.kind {
        QuestionKind::Ordering => {
            let current = q.current_order(&picked, &order);
            let n = current.len();
            // Dragging: (from, over) indexes while a step is held.
            let drag = RwSignal::new(None::<(usize, usize)>);
            let drop_qid = q.id.clone();
            let drop_cur = current.clone();
            let drop = move || {
                if let Some((from, to)) = drag.get_untracked() {
                    drag.set(None);
                    if from != to {
                        set(drop_qid.clone(), moved(&drop_cur, from, to));
                    }
                }
            };
            let drop = StoredValue::new(drop);
            let rows = current
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let label = option_text(i18n, q, id, lang);
                    let (c_up, c_down) = (current.clone(), current.clone());
                    let (q_up, q_down) = (q.id.clone(), q.id.clone());
                    let class = move || match drag.get() {
                        Some((from, _)) if from == i => "order__item order__item--dragging",
                        Some((_, over)) if over == i => "order__item order__item--over",
                        _ => "order__item",
                    };
                    view! {
                        <li class=class data-option=id.clone() data-index=i>
                            <span class="order__handle" aria-hidden="true"
                                on:pointerdown=move |ev| { if !locked { capture_pointer(&ev); drag.set(Some((i, i))); } }
                                on:pointermove=move |ev| {
                                    if drag.get_untracked().is_some()
                                        && let Some(over) = index_at_point(ev.client_x() as f64, ev.client_y() as f64) {
                                            drag.update(|d| if let Some(d) = d { d.1 = over.min(n - 1) });
                                        }
                                }
                                on:pointerup=move |_| drop.with_value(|d| d())
                                on:pointercancel=move |_| drag.set(None)>"⠿"</span>
                            <span class="order__num">{i + 1}</span>
                            <span class="order__text">{label}</span>
                            <span class="order__moves">
                                <button type="button" class="btn btn--icon" disabled=locked || i == 0
                                    aria-label=t_string!(i18n, move_up).to_string()
                                    on:click=move |_| { let mut v = c_up.clone(); v.swap(i, i - 1); set(q_up.clone(), v) }>"↑"</button>
                                <button type="button" class="btn btn--icon" disabled=locked || i + 1 == n
                                    aria-label=t_string!(i18n, move_down).to_string()
                                    on:click=move |_| { let mut v = c_down.clone(); v.swap(i, i + 1); set(q_down.clone(), v) }>"↓"</button>
                            </span>
                        </li>
                    }
                })
                .collect_view();
            let keep = (picked.is_empty() && !locked).then(|| {
                let (qid, cur) = (q.id.clone(), current.clone());
                view! { <button type="button" class="btn btn--ghost" data-testid="keep-order" on:click=move |_| set(qid.clone(), cur.clone())>{t!(i18n, keep_order)}</button> }
            });
            view! { <ol class="order">{rows}</ol> {keep} }.into_any()
        }
        QuestionKind::Matching => {
            let current = q.current_matches(&picked);
            let rows = q
                .pairs
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let options = order
                        .iter()
                        .map(|rid| {
                            let label = option_text(i18n, q, rid, lang);
                            view! { <option value=rid.clone() selected=current[i] == *rid>{label}</option> }
                        })
                        .collect_view();
                    let (qid, cur) = (q.id.clone(), current.clone());
                    view! {
                        <div class="match__row" data-pair=p.id.clone()>
                            <span class="match__left">{p.left.get(lang).to_string()}</span>
                            <select class="match__select" disabled=locked
                                on:change=move |ev| { let mut v = cur.clone(); v[i] = event_target_value(&ev); set(qid.clone(), v) }>
                                <option value="" selected=current[i].is_empty()>{t!(i18n, match_choose)}</option>
                                {options}
                            </select>
                        </div>
                    }
                })
                .collect_view();
            view! { <div class="match">{rows}</div> }.into_any()
        }
        QuestionKind::Numeric => {
            let qid = q.id.clone();
            let value = picked.first().cloned().unwrap_or_default();
            view! {
                <div class="numeric">
                    <input class="numeric__input" type="text" inputmode="decimal" data-testid="numeric-input" disabled=locked
                        prop:value=value
                        on:change=move |ev| { let v = event_target_value(&ev); let v = v.trim().to_string();
                            set(qid.clone(), if v.is_empty() { vec![] } else { vec![v] }) } />
                    <span class="numeric__unit">{q.unit.as_ref().map(|u| u.get(lang).to_string())}</span>
                </div>
            }
            .into_any()
        }
        _ => {
            let multiple = q.kind == QuestionKind::Multiple;
            let role = if multiple { "checkbox" } else { "radio" };
            let buttons = order
                .iter()
                .enumerate()
                .map(|(i, oid)| {
                    let label = option_text(i18n, q, oid, lang);
                    let selected = picked.contains(oid);
                    let letter = if q.kind == QuestionKind::TrueFalse {
                        None
                    } else {
                        Some(((b'A' + i as u8) as char).to_string())
                    };
                    let (question, oid2) = (q.clone(), oid.clone());
                    view! {
                        <button type="button" role=role disabled=locked
                            class=if selected { "choice choice--selected" } else { "choice" }
                            aria-checked=selected.to_string()
                            data-option=oid.clone()
                            on:click=move |_| {
                                let (question, option) = (question.clone(), oid2.clone());
                                act.with_value(|a| a(Box::new(move |ip| { ip.toggle(&question, &option, now()); })))
                            }>
                            {letter.map(|l| view! { <span class="choice__key">{l}</span> })}
                            <span class="choice__text">{label}</span>
                        </button>
                    }
                })
                .collect_view();
            view! { <div class="choices" role=if multiple { "group" } else { "radiogroup" }>{buttons}</div> }.into_any()
        }
    };
    view! {
        <fieldset class="question" data-question=q.id.clone() data-kind=q.kind.as_str()>
            <legend class="question__prompt">{q.prompt.get(lang).to_string()}</legend>
            <p class="question__hint">{hint}</p>
            {body}
        </fieldset>
    }
}

/// Whether the answer was right, the explanation and the citation (feedback after each question).
fn feedback_view(q: &Question, picked: &[String], lang: Lang) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let verdict = Correctness::of(q.score(picked));
    let label = match verdict {
        Correctness::Right => t_string!(i18n, answer_right),
        Correctness::Partial => t_string!(i18n, answer_partial),
        Correctness::Wrong => t_string!(i18n, answer_wrong),
    };
    let cls = format!("feedback feedback--{}", verdict.as_str());
    let option_feedback = q.picked_feedback(picked).map(|f| f.get(lang).to_string());
    view! {
        <div class=cls role="status" data-testid="feedback">
            <p class="feedback__verdict">{label}</p>
            {option_feedback.map(|f| view! { <p>{f}</p> })}
            <p>{q.explanation.get(lang).to_string()} <Cites cites=q.cite.clone() /></p>
        </div>
    }
}
