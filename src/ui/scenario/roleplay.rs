//! Role-play: the setting card, the dialogue (solo: the app plays the customer; pair: one
//! colleague reads the customer's lines, another answers aloud, an observer taps what was
//! said), saved after every step, and the debrief with the replay.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::browser::platform::{new_id, now, random_seed, scroll_to_top};
use crate::domain::rubric::PassRule;
use crate::domain::scenario::{Mode, Mood, Outcome, Place, Points, Scenario, ScenarioRun, TIMEOUT, replay};
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::common::fetched::Fetched;
use crate::ui::common::labels::{channel_label, when};
use crate::ui::common::loaders::load_scenario;
use crate::ui::lesson::citation::Cites;
use crate::ui::quiz::scorecard::{CriterionTable, TotalLine};
use crate::ui::shell::not_found::NotFound;

#[component]
pub fn ScenarioPage() -> impl IntoView {
    let params = use_params_map();
    let course = CourseCtx::expect();
    move || {
        let id = params.read().get("scenario").unwrap_or_default();
        if course.scenario(&id).is_none() {
            return view! { <NotFound /> }.into_any();
        }
        view! { <Fetched id load=load_scenario f=Arc::new(|s| view! { <Player scenario=s /> }.into_any()) /> }
            .into_any()
    }
}

fn mood_label(i18n: I18n, m: Mood) -> String {
    match m {
        Mood::Calm => t_string!(i18n, mood_calm),
        Mood::Pleased => t_string!(i18n, mood_pleased),
        Mood::Neutral => t_string!(i18n, mood_neutral),
        Mood::Anxious => t_string!(i18n, mood_anxious),
        Mood::Impatient => t_string!(i18n, mood_impatient),
        Mood::Annoyed => t_string!(i18n, mood_annoyed),
        Mood::Angry => t_string!(i18n, mood_angry),
        Mood::Unwell => t_string!(i18n, mood_unwell),
        Mood::Silent => t_string!(i18n, mood_silent),
    }
    .to_string()
}

fn outcome_label(i18n: I18n, o: Outcome) -> (String, &'static str) {
    match o {
        Outcome::Good => (t_string!(i18n, outcome_good).to_string(), "pill pill--ok"),
        Outcome::Mixed => (t_string!(i18n, outcome_mixed).to_string(), "pill pill--warn"),
        Outcome::Bad => (t_string!(i18n, outcome_bad).to_string(), "pill pill--bad"),
    }
}

/// A simple drawn face for the customer's mood (no emoji font needed).
#[component]
fn MoodFace(mood: Mood) -> impl IntoView {
    let (mouth, tone) = mood.face();
    let brows = match mood {
        Mood::Angry | Mood::Impatient => Some("M8 9 L12 11 M20 9 L16 11"),
        Mood::Anxious => Some("M8 10 L12 8.5 M20 10 L16 8.5"),
        _ => None,
    };
    view! {
        <svg class=format!("face face--{tone}") viewBox="0 0 28 28" width="30" height="30" aria-hidden="true">
            <circle cx="14" cy="14" r="12.5" />
            <circle class="face__eye" cx="10" cy="12.5" r="1.6" />
            <circle class="face__eye" cx="18" cy="12.5" r="1.6" />
            {brows.map(|d| view! { <path class="face__line" d=d /> })}
            <path class="face__line" d=mouth />
        </svg>
    }
}

/// Points as chips: `+2 服务态度与礼仪`.
#[component]
fn PointChips(points: Points) -> impl IntoView {
    let course = CourseCtx::expect();
    let lang = use_lang();
    move || {
        let rubric = course.default_rubric().cloned();
        points
            .iter()
            .filter(|(_, v)| **v != 0)
            .map(|(c, v)| {
                let name = rubric
                    .as_ref()
                    .and_then(|r| r.criterion(c))
                    .map(|k| k.name.get(lang.get()).to_string())
                    .unwrap_or_else(|| c.clone());
                let cls = if *v > 0 { "chip chip--plus" } else { "chip chip--minus" };
                view! { <span class=cls data-criterion=c.clone()>{format!("{v:+} ")}{name}</span> }
            })
            .collect_view()
    }
}

/// The setting card: who, where, which channel, what the trainee knows.
#[component]
fn SettingCard(scenario: Arc<Scenario>, #[prop(optional)] show_customer: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    move || {
        let l = lang.get();
        let st = &scenario.setting;
        view! {
            <dl class="setting" data-testid="setting">
                <div><dt>{t!(i18n, setting_role)}</dt><dd>{st.role.get(l).to_string()}</dd></div>
                <div><dt>{t!(i18n, setting_place)}</dt><dd>{st.place.get(l).to_string()}</dd></div>
                <div><dt>{t!(i18n, setting_channel)}</dt><dd>{channel_label(i18n, st.channel)}</dd></div>
                <div class="setting__wide"><dt>{t!(i18n, setting_knows)}</dt><dd>{st.knows.get(l).to_string()}</dd></div>
                {show_customer.then(|| view! {
                    <div class="setting__wide"><dt>{t!(i18n, setting_customer)}</dt><dd>{st.customer.get(l).to_string()}</dd></div>
                })}
            </dl>
        }
    }
}

#[component]
fn Player(scenario: Arc<Scenario>) -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    let lang = use_lang();
    let navigate = use_navigate();
    let s = StoredValue::new(scenario.clone());
    let sid = StoredValue::new(scenario.id.clone());
    let run = Memo::new(move |_| sid.with_value(|id| ctx.progress.with(|p| p.scenarios_in_progress.get(id).cloned())));
    // The step whose feedback is on screen (solo mode), until the trainee continues.
    let reveal = RwSignal::new(None::<usize>);
    let clock = RwSignal::new(now());
    let other_open = RwSignal::new(false);
    let other_note = RwSignal::new(String::new());
    let other_closest = RwSignal::new(String::new());
    let confirm_restart = RwSignal::new(false);

    let act = move |f: &dyn Fn(&mut ScenarioRun, &Scenario) -> bool| -> bool {
        let mut changed = false;
        s.with_value(|sc| {
            let mut next = run.get_untracked();
            if let Some(r) = next.as_mut() {
                changed = f(r, sc);
            }
            if changed {
                let id = sc.id.clone();
                ctx.update(move |p| {
                    if let Some(r) = next {
                        p.scenarios_in_progress.insert(id, r);
                    }
                });
            }
        });
        changed
    };

    // A run whose steps no longer match the content cannot be resumed: it is dropped.
    let stale = run.with_untracked(|r| r.as_ref().is_some_and(|r| s.with_value(|sc| !r.is_consistent(sc))));
    if stale {
        ctx.update(move |p| {
            sid.with_value(|id| p.scenarios_in_progress.remove(id));
        });
    }

    // The timer: tick twice a second; apply the timeout when the deadline passes (also when
    // the page is reopened after it passed).
    let handle = set_interval_with_handle(
        move || {
            clock.set(now());
            if run.with_untracked(|r| r.as_ref().is_some_and(|r| r.is_expired(now())))
                && act(&|r, sc| r.expire(sc, now()))
            {
                let n = run.with_untracked(|r| r.as_ref().map(|r| r.steps.len()).unwrap_or(0));
                reveal.set(n.checked_sub(1));
            }
        },
        std::time::Duration::from_millis(500),
    );
    if let Ok(h) = handle {
        on_cleanup(move || h.clear());
    }

    let mode = RwSignal::new(Mode::Solo);
    let trainee = RwSignal::new(String::new());
    let start = move |_| {
        let name = trainee.get_untracked().trim().to_string();
        // Pair practice records the answering colleague (a profile, made if new); solo is the
        // current trainee's own.
        let pair = mode.get_untracked() == Mode::Pair && !name.is_empty();
        leptos::task::spawn_local(async move {
            let who = if pair {
                // A refusal (e.g. the trainee list cannot be read) is shown by the banner.
                let Ok(who) = ctx.trainee_for_name(&name).await else {
                    return;
                };
                Some(who)
            } else {
                None
            };
            let r =
                s.with_value(|sc| ScenarioRun::start(sc, new_id(), mode.get_untracked(), who, random_seed(), now()));
            reveal.set(None);
            ctx.update(move |p| {
                p.scenarios_in_progress.insert(r.scenario.clone(), r);
            });
            scroll_to_top();
        });
    };
    let restart = move |_| {
        confirm_restart.set(false);
        reveal.set(None);
        ctx.update(move |p| {
            sid.with_value(|id| p.scenarios_in_progress.remove(id));
        });
    };
    let c2 = course.clone();
    let finish = move |_| {
        let Some(r) = run.get_untracked() else { return };
        let Some(rubric) = ctx.rubric(&c2) else { return };
        let rubric = &rubric;
        let record = s.with_value(|sc| r.finish(sc, rubric, &c2.file.content_version, now()));
        let id = record.id.clone();
        ctx.update(move |p| {
            p.scenarios_in_progress.remove(&record.scenario);
            p.scenario_runs.push(record);
        });
        navigate(&format!("/debrief/{id}"), Default::default());
    };
    let finish = StoredValue::new(finish);

    let choose = move |choice: String, note: Option<String>| {
        if act(&|r, sc| r.choose(sc, &choice, note.clone(), now()).is_ok()) {
            let (n, m) = run.with_untracked(|r| r.as_ref().map(|r| (r.steps.len(), r.mode)).unwrap_or((0, Mode::Solo)));
            reveal.set(if m == Mode::Solo { n.checked_sub(1) } else { None });
            other_open.set(false);
            other_note.set(String::new());
            other_closest.set(String::new());
            scroll_to_top();
        }
    };

    let title = {
        let sc = scenario.clone();
        move || sc.title.get(lang.get()).to_string()
    };
    let module = scenario.module.clone();
    let module_title = course.module(&module).map(|m| m.title.clone());

    let body = move || {
        let l = lang.get();
        let Some(r) = run.get() else {
            // The setting card and the choice of mode.
            let sc = s.get_value();
            return view! {
                <section class="card" data-testid="scenario-setup">
                    <p>{sc.summary.get(l).to_string()} " " <Cites cites=sc.cite.clone() /></p>
                    <SettingCard scenario=sc.clone() show_customer=true />
                    <fieldset class="modes">
                        <legend>{t!(i18n, choose_mode)}</legend>
                        <label class="mode">
                            <input type="radio" name="mode" prop:checked=move || mode.get() == Mode::Solo on:change=move |_| mode.set(Mode::Solo) data-testid="mode-solo" />
                            <span><strong>{t!(i18n, mode_solo)}</strong><span class="muted">{t!(i18n, mode_solo_hint)}</span></span>
                        </label>
                        <label class="mode">
                            <input type="radio" name="mode" prop:checked=move || mode.get() == Mode::Pair on:change=move |_| mode.set(Mode::Pair) data-testid="mode-pair" />
                            <span><strong>{t!(i18n, mode_pair)}</strong><span class="muted">{t!(i18n, mode_pair_hint)}</span></span>
                        </label>
                    </fieldset>
                    <Show when=move || mode.get() == Mode::Pair>
                        <label class="field">
                            <span>{t!(i18n, trainee_answering)}</span>
                            <input type="text" maxlength="40" prop:value=move || trainee.get() on:input=move |ev| trainee.set(event_target_value(&ev)) data-testid="trainee-name" />
                        </label>
                    </Show>
                    <button class="btn btn--primary btn--big" type="button" on:click=start data-testid="start-scenario">{t!(i18n, start_scenario)}</button>
                </section>
            }
            .into_any();
        };
        let sc = s.get_value();
        let pair = r.mode == Mode::Pair;
        // Feedback on the step just taken (solo).
        let feedback = reveal.get().and_then(|i| r.steps.get(i).cloned()).and_then(|step| {
            let node = sc.node(&step.node)?;
            let edge = node.edge(&step.choice)?;
            let said = if step.choice == TIMEOUT {
                t_string!(i18n, timed_out).to_string()
            } else {
                node.choice(&step.choice).map(|c| c.text.get(l).to_string()).unwrap_or_default()
            };
            Some(view! {
                <section class="card feedback-card" data-testid="step-feedback" aria-live="polite">
                    <p class="muted">{t!(i18n, you_chose)}</p>
                    <p class="feedback-card__said">{said}</p>
                    <p class="chips"><PointChips points=edge.scores.clone() /></p>
                    <p>{edge.feedback.get(l).to_string()} " " <Cites cites=edge.cite.to_vec() /></p>
                    <button class="btn btn--primary btn--big" type="button" prop:disabled={move || ctx.pending.get() > 0} on:click=move |_| { reveal.set(None); scroll_to_top(); } data-testid="continue">
                        {t!(i18n, continue_label)}
                    </button>
                </section>
            })
        });
        if let Some(fb) = feedback {
            return fb.into_any();
        }
        let decision = r.steps.len() + 1;
        let header = view! {
            <p class="scenario-meta">
                <span class="pill">{if pair { t_string!(i18n, mode_pair) } else { t_string!(i18n, mode_solo) }}</span>
                {r.trainee.clone().map(|n| view! { <span class="pill pill--person">{ctx.name_of(&n)}</span> })}
                <span class="muted">{t_string!(i18n, decision_n, n = decision).to_string()}</span>
            </p>
        };
        match r.position(&sc) {
            None => view! { <NotFound /> }.into_any(),
            Some(Place::Ending(e)) => {
                // The label follows the result, not only the ending reached (`Ending::shown`).
                let passed = ctx
                    .rubric(&course)
                    .map(|rubric| sc.score(&r.totals(&sc), &sc.best_per_criterion(), &rubric).passed)
                    .unwrap_or(false);
                let outcome = e.shown(passed).outcome;
                let (label, cls) = outcome_label(i18n, outcome);
                view! {
                    <section class="card ending" data-testid="ending" data-outcome=outcome.as_str()>
                        <span class=cls>{label}</span>
                        <p class="bubble bubble--customer">{e.line.get(l).to_string()}</p>
                        <button class="btn btn--primary btn--big" type="button" on:click=move |ev| finish.with_value(|f| f(ev)) data-testid="see-debrief">
                            {t!(i18n, see_debrief)}
                        </button>
                    </section>
                }
                .into_any()
            }
            Some(Place::Node(n)) => {
                let order = r.choice_order(n);
                let timer = r.remaining_seconds(clock.get()).map(|secs| {
                    view! { <p class="timer timer--urgent" role="timer" data-testid="decision-timer">{t_string!(i18n, seconds_left, s = secs).to_string()}</p> }
                });
                let choices = order
                    .iter()
                    .filter_map(|id| n.choice(id))
                    .map(|c| {
                        let id = c.id.clone();
                        view! {
                            <li>
                                <button class="choice" type="button" data-choice=c.id.clone() on:click=move |_| choose(id.clone(), None)>
                                    {c.text.get(l).to_string()}
                                </button>
                            </li>
                        }
                    })
                    .collect_view();
                let options: Vec<(String, String)> = order
                    .iter()
                    .filter_map(|id| n.choice(id))
                    .map(|c| (c.id.clone(), c.text.get(l).to_string()))
                    .collect();
                let record_other = move |_| {
                    let closest = other_closest.get_untracked();
                    let note = other_note.get_untracked().trim().to_string();
                    if !closest.is_empty() && !note.is_empty() {
                        choose(closest, Some(note));
                    }
                };
                view! {
                    {header}
                    {timer}
                    <section class="card customer" data-testid="customer" data-node=n.id.clone()>
                        <p class="customer__mood" data-mood=n.mood.as_str()>
                            <MoodFace mood=n.mood />
                            {t!(i18n, customer_label)} " · " {mood_label(i18n, n.mood)}
                        </p>
                        {n.scene.as_ref().map(|t| view! { <p class="scene">{t.get(l).to_string()}</p> })}
                        {n.line.as_ref().map(|t| view! { <p class="bubble bubble--customer" data-testid="customer-line">{t.get(l).to_string()}</p> })}
                        {(pair).then(|| n.acting.as_ref().map(|t| view! {
                            <p class="acting"><strong>{t!(i18n, acting_hint)}</strong> " " {t.get(l).to_string()}</p>
                        }))}
                    </section>
                    <h2 class="section-title">{if pair { t_string!(i18n, observer_pick) } else { t_string!(i18n, what_do_you_do) }}</h2>
                    <ul class="choices" data-testid="choices">{choices}</ul>
                    {pair.then(|| view! {
                        <div class="pair-tools">
                            <button class="btn btn--ghost" type="button" on:click=move |_| other_open.update(|o| *o = !*o) data-testid="something-else">
                                {t!(i18n, something_else)}
                            </button>
                            <button class="btn btn--ghost" type="button" on:click=move |_| { act(&|r, sc| r.undo(sc, now())); } data-testid="undo-step">
                                {t!(i18n, undo_step)}
                            </button>
                        </div>
                        <Show when=move || other_open.get()>
                            <section class="card other-form">
                                <label class="field">
                                    <span>{t!(i18n, other_note)}</span>
                                    <textarea rows="3" maxlength="500" prop:value=move || other_note.get() on:input=move |ev| other_note.set(event_target_value(&ev)) data-testid="other-note"></textarea>
                                </label>
                                <label class="field">
                                    <span>{t!(i18n, other_closest)}</span>
                                    <select on:change=move |ev| other_closest.set(event_target_value(&ev)) data-testid="other-closest">
                                        <option value="">"—"</option>
                                        {options.iter().map(|(id, text)| view! { <option value=id.clone()>{text.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <p class="muted">{t!(i18n, other_no_points)}</p>
                                <button class="btn btn--primary" type="button" on:click=record_other
                                    prop:disabled=move || other_note.get().trim().is_empty() || other_closest.get().is_empty()>
                                    {t!(i18n, record_other)}
                                </button>
                            </section>
                        </Show>
                    })}
                }
                .into_any()
            }
        }
    };

    view! {
        <nav class="crumbs">
            <A href="/">{t!(i18n, nav_home)}</A> " / "
            <A href=format!("/module/{module}")>{move || module_title.as_ref().map(|t| t.get(lang.get()).to_string())}</A> " / "
            {title.clone()}
        </nav>
        <h1>{t!(i18n, roleplay_label)} " · " {title}</h1>
        <div class="scenario" data-testid="scenario">{body}</div>
        <Show when=move || run.with(|r| r.is_some())>
            <div class="pager">
                <span class="pager__gap"></span>
                <Show when=move || confirm_restart.get() fallback=move || view! {
                    <button class="btn btn--ghost" type="button" on:click=move |_| confirm_restart.set(true) data-testid="restart-scenario">{t!(i18n, restart_scenario)}</button>
                }>
                    <span class="muted">{t!(i18n, restart_confirm)}</span>
                    <button class="btn btn--danger" type="button" on:click=restart>{t!(i18n, restart_scenario)}</button>
                    <button class="btn btn--ghost" type="button" on:click=move |_| confirm_restart.set(false)>{t!(i18n, keep_going)}</button>
                </Show>
            </div>
        </Show>
    }
}

#[component]
pub fn DebriefPage() -> impl IntoView {
    let params = use_params_map();
    let progress = ProgressCtx::expect().progress;
    move || {
        let id = params.read().get("run").unwrap_or_default();
        let Some(record) = progress.with(|p| p.scenario_run(&id).cloned()) else {
            return view! { <NotFound /> }.into_any();
        };
        let record = Arc::new(record);
        let sid = record.scenario.clone();
        view! { <Fetched id=sid load=load_scenario f=Arc::new(move |s| view! { <Debrief scenario=s record=record.clone() /> }.into_any()) /> }.into_any()
    }
}

#[component]
fn Debrief(scenario: Arc<Scenario>, record: Arc<crate::domain::scenario::ScenarioRecord>) -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let lang = use_lang();
    move || {
        let l = lang.get();
        let sc = &scenario;
        let Some(rubric) = course
            .rubric(&record.score.result.rubric)
            .or(course.default_rubric())
            .cloned()
        else {
            return view! { <NotFound /> }.into_any();
        };
        let ending = record.ending.as_deref().and_then(|e| sc.ending(e));
        let steps = replay(sc, &record.steps, &rubric);
        let crit_name = |c: &str| {
            rubric
                .criterion(c)
                .map(|k| k.name.get(l).to_string())
                .unwrap_or_else(|| c.to_string())
        };
        // Why each failed criterion suffered: the steps that cost it points.
        let why = record
            .score
            .failed
            .iter()
            .map(|c| {
                let costs = steps
                    .iter()
                    .filter(|st| st.cost(c))
                    .map(|st| {
                        let (said, fb, cites) = match st.made {
                            Some(ch) => (ch.text.get(l).to_string(), ch.feedback.get(l).to_string(), ch.cite.clone()),
                            None => {
                                let t = st.node.timeout.as_ref();
                                (
                                    t_string!(i18n, timed_out).to_string(),
                                    t.map(|t| t.feedback.get(l).to_string()).unwrap_or_default(),
                                    t.map(|t| t.cite.clone()).unwrap_or_default(),
                                )
                            }
                        };
                        view! { <li><strong>{said}</strong> " — " {fb} " " <Cites cites /></li> }
                    })
                    .collect_view();
                let got = record.score.totals.get(c).copied().unwrap_or(0);
                let best = record.score.best.get(c).copied().unwrap_or(0);
                view! {
                    <li class="why" data-criterion=c.clone()>
                        <p><strong>{crit_name(c)}</strong> " · " {t_string!(i18n, points_of_best, got = got, best = best).to_string()}</p>
                        <ul>{costs}</ul>
                    </li>
                }
            })
            .collect_view();
        let rows = steps
            .iter()
            .enumerate()
            .map(|(i, st)| {
                let situation = st.node.line.as_ref().or(st.node.scene.as_ref()).map(|t| t.get(l).to_string()).unwrap_or_default();
                let made = match (st.made, &st.step.other) {
                    (_, Some(note)) => format!("{} “{}”", t_string!(i18n, something_else_said), note),
                    (Some(c), None) => c.text.get(l).to_string(),
                    (None, None) => t_string!(i18n, timed_out).to_string(),
                };
                let (feedback, cites) = match (st.made, st.step.choice == TIMEOUT) {
                    (_, true) => st.node.timeout.as_ref().map(|t| (t.feedback.get(l).to_string(), t.cite.clone())).unwrap_or_default(),
                    (Some(c), false) => (c.feedback.get(l).to_string(), c.cite.clone()),
                    (None, false) => Default::default(),
                };
                let best = (!st.was_best()).then_some(st.best).flatten().map(|b| {
                    view! {
                        <div class="replay__best">
                            <p><span class="muted">{t!(i18n, best_choice)} ": "</span><strong>{b.text.get(l).to_string()}</strong></p>
                            <p class="chips"><PointChips points=b.scores.clone() /></p>
                            <p>{b.feedback.get(l).to_string()} " " <Cites cites=b.cite.clone() /></p>
                        </div>
                    }
                });
                let cls = if st.was_best() { "replay replay--best" } else { "replay" };
                view! {
                    <li class=cls>
                        <p class="replay__situation"><MoodFace mood=st.node.mood /> {format!("{}. ", i + 1)} {situation}</p>
                        <div class="replay__made">
                            <p><span class="muted">{t!(i18n, your_choice)} ": "</span><strong>{made}</strong> {st.was_best().then(|| view! { <span class="pill pill--ok">"✓ " {t!(i18n, best_choice)}</span> })}</p>
                            <p class="chips"><PointChips points=st.points.clone() /></p>
                            <p>{feedback} " " <Cites cites /></p>
                        </div>
                        {best}
                    </li>
                }
            })
            .collect_view();
        // The ending as the result allows: its story only when the result agrees with it.
        let outcome = ending.map(|e| {
            let shown = e.shown(record.score.passed);
            let (label, cls) = outcome_label(i18n, shown.outcome);
            let story = match shown.story {
                Some(t) => view! { <p data-testid="ending-story">{t.get(l).to_string()} " " <Cites cites=e.cite.clone() /></p> }.into_any(),
                None => view! { <p class="muted" data-testid="ending-not-matched">{t!(i18n, ending_not_matched)}</p> }.into_any(),
            };
            view! {
                <div class="ending-debrief" data-outcome=shown.outcome.as_str()>
                    <span class=cls>{label}</span>
                    <p class="bubble bubble--customer">{e.line.get(l).to_string()}</p>
                    {story}
                </div>
            }
        });
        let mode = match record.mode {
            Mode::Solo => t_string!(i18n, mode_solo),
            Mode::Pair => t_string!(i18n, mode_pair),
        };
        let module = sc.module.clone();
        let title = sc.title.get(l).to_string();
        view! {
            <nav class="crumbs"><A href="/">{t!(i18n, nav_home)}</A> " / " <A href="/results">{t!(i18n, results_nav)}</A> " / " {title.clone()}</nav>
            <h1>{t!(i18n, debrief_heading)} " · " {title}</h1>
            <p class="scenario-meta">
                <span class="pill">{mode}</span>
                {record.trainee.clone().map(|n| view! { <span class="pill pill--person">{ProgressCtx::expect().name_of(&n)}</span> })}
                <span class="muted">{when(record.finished_at)}</span>
            </p>
            <section class="card result" data-testid="debrief">
                {outcome}
                <TotalLine result=record.score.result.clone() rule=PassRule::EveryCriterion pass_mark=sc.pass_mark />
                <p class="muted">{t_string!(i18n, scenario_scoring_note, mark = sc.pass_mark).to_string()}</p>
                <CriterionTable result=record.score.result.clone() failed=record.score.failed.clone() />
            </section>
            {(!record.score.failed.is_empty()).then(|| view! {
                <h2 class="section-title">{t!(i18n, what_cost_points)}</h2>
                <ul class="why-list" data-testid="why">{why}</ul>
            })}
            <h2 class="section-title">{t!(i18n, replay_heading)}</h2>
            <ol class="replay-list" data-testid="replay">{rows}</ol>
            <div class="pager">
                <A href=format!("/module/{module}") attr:class="btn btn--ghost">{t!(i18n, back_to_module)}</A>
                <span class="pager__gap"></span>
                <A href=format!("/scenario/{}", sc.id) attr:class="btn btn--primary">{t!(i18n, play_again)}</A>
            </div>
        }
        .into_any()
    }
}
