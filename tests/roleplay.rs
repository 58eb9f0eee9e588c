//! Role-play: golden scoring of the fixture scenario and checklist
//! (`tests/fixtures/content/scenarios/sc.toml`, `checklists/cl.toml`, rubric `r`: process 60,
//! etiquette 40), the run engine (timeouts, resume, "something else", replay), and one test
//! per validator error kind for scenarios and checklists.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};
use lixun::domain::bundle::{self, Bundle};
use lixun::domain::checklist::{Mark, Observation};
use lixun::domain::content::{ContentError, SourceFile};
use lixun::domain::scenario::{Mode, Place, ScenarioRun, StepError, TIMEOUT, replay};
use lixun::domain::{source, validate};
use serde_json::{Value, json};

fn fixture() -> (Vec<SourceFile>, Vec<(u8, String)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content");
    let files = source::read_toml_files(&root).expect("fixture toml parses");
    let manuals = source::read_manuals(&root).expect("fixture manuals");
    (
        files
            .into_iter()
            .map(|(path, value)| SourceFile { path, value })
            .collect(),
        manuals,
    )
}

fn load(files: &[SourceFile], manuals: &[(u8, String)]) -> Result<Bundle, Vec<ContentError>> {
    let refs: Vec<(u8, &str)> = manuals.iter().map(|(n, t)| (*n, t.as_str())).collect();
    bundle::load(files, &refs)
}

fn bundle() -> Bundle {
    let (files, manuals) = fixture();
    load(&files, &manuals).expect("fixture loads")
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

/// Plays `choices` from the start, one second apart; returns the run.
fn play(b: &Bundle, choices: &[&str]) -> ScenarioRun {
    let s = b.course.scenario("sc").unwrap();
    let mut run = ScenarioRun::start(s, "r1".into(), Mode::Solo, None, 7, t0());
    for (i, c) in choices.iter().enumerate() {
        run.choose(s, c, None, t0() + Duration::seconds(i as i64 + 1))
            .unwrap_or_else(|e| panic!("step {i} `{c}`: {e:?}"));
    }
    run
}

fn percents(r: &lixun::domain::scenario::ScenarioScore) -> Vec<Option<f64>> {
    r.result.criteria.iter().map(|c| c.percent).collect()
}

#[test]
fn the_best_path_scores_100_on_every_criterion() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let run = play(&b, &["a", "a", "a"]);
    assert_eq!(run.ending(s).map(|e| e.id.as_str()), Some("good"));
    let rec = run.finish(s, b.course.default_rubric().unwrap(), "v1", t0() + Duration::minutes(1));
    // process 2+1 = 3 of best 3; etiquette 2 of best 2.
    assert_eq!(
        rec.score.totals,
        BTreeMap::from([("process".into(), 3), ("etiquette".into(), 2)])
    );
    assert_eq!(percents(&rec.score), vec![Some(100.0), Some(100.0)]);
    assert_eq!(rec.score.result.total, Some(100.0));
    assert!(rec.score.passed);
    assert_eq!(rec.ending.as_deref(), Some("good"));
}

#[test]
fn the_worst_path_counts_negative_totals_as_zero() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let rec = play(&b, &["b", "b", "b"]).finish(s, b.course.default_rubric().unwrap(), "v1", t0());
    // process −1, etiquette −1−2 = −3: both clamp to 0.
    assert_eq!(
        rec.score.totals,
        BTreeMap::from([("process".into(), -1), ("etiquette".into(), -3)])
    );
    assert_eq!(percents(&rec.score), vec![Some(0.0), Some(0.0)]);
    assert_eq!(rec.score.result.total, Some(0.0));
    assert_eq!(rec.score.failed, vec!["process".to_string(), "etiquette".to_string()]);
    assert!(!rec.score.passed);
}

#[test]
fn mixed_paths_fail_the_criterion_they_harm() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let r = b.course.default_rubric().unwrap();
    // Late answer (−1), good greeting (+2), repeat (+1): process 0 of 3 → 0%, etiquette 100%.
    // Total (0·60 + 100·40) / 100 = 40.0.
    let rec = play(&b, &["b", "a", "a"]).finish(s, r, "v1", t0());
    assert_eq!(percents(&rec.score), vec![Some(0.0), Some(100.0)]);
    assert_eq!(rec.score.result.total, Some(40.0));
    assert_eq!(rec.score.failed, vec!["process".to_string()]);
    // Good answer (+2), curt greeting (−1), repeat (+1): process 100%, etiquette 0% → 60.0,
    // which meets the pass mark but fails etiquette, so the run does not pass.
    let rec = play(&b, &["a", "b", "a"]).finish(s, r, "v1", t0());
    assert_eq!(rec.score.result.total, Some(60.0));
    assert_eq!(rec.score.failed, vec!["etiquette".to_string()]);
    assert!(!rec.score.passed);
}

/// The ending shown follows what happened: every path of `sc.toml` to the `good` ending, and
/// what the debrief shows for it.
#[test]
fn a_good_ending_reached_by_a_failing_run_is_not_shown_as_a_success() {
    use lixun::domain::rubric::{BandNote, GradeBands, PassRule, Reason, verdict};
    use lixun::domain::scenario::Outcome;
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let r = b.course.default_rubric().unwrap();
    let shown = |choices: &[&str]| {
        let run = play(&b, choices);
        let rec = run.finish(s, r, "v1", t0());
        let e = run.ending(s).expect("the path ends");
        let v = verdict(
            &rec.score.result,
            PassRule::EveryCriterion,
            s.pass_mark,
            &GradeBands::default(),
        );
        assert_eq!(v.passed, rec.score.passed, "the verdict is the one the record holds");
        let shown = e.shown(rec.score.passed);
        (e.id.clone(), shown.outcome, shown.story.map(|t| t.en.clone()), v)
    };
    // The best path: the good ending, its story, passed.
    let (id, outcome, story, v) = shown(&["a", "a", "a"]);
    assert_eq!(
        (id.as_str(), outcome, story.as_deref()),
        ("good", Outcome::Good, Some("A complete call"))
    );
    assert!(v.passed);
    // Answered well, curt greeting, repeated back: the good ending at 60% with etiquette at 0%.
    // Not 圆满结束 with "A complete call" over a fail: partly resolved, no story, and the 合格
    // band explained by the criterion below the pass mark.
    let (id, outcome, story, v) = shown(&["a", "b", "a"]);
    assert_eq!((id.as_str(), outcome, story), ("good", Outcome::Mixed, None));
    assert!(!v.passed);
    assert_eq!(v.reason, Reason::CriteriaBelow(1));
    assert_eq!(
        v.band.map(|b| (b.label.zh, b.note)),
        Some(("合格".to_string(), BandNote::CriteriaBelowPassMark(1)))
    );
    // Late answer and a curt greeting: the good ending at 0%, no story, and no band beside 未通过.
    let (id, outcome, story, v) = shown(&["b", "b", "a"]);
    assert_eq!((id.as_str(), outcome, story), ("good", Outcome::Mixed, None));
    assert_eq!((v.passed, v.reason, v.band), (false, Reason::TotalBelow, None));
    // A bad ending on a failing run keeps its outcome and its story.
    let (id, outcome, story, _) = shown(&["a", "a", "b"]);
    assert_eq!(
        (id.as_str(), outcome, story.as_deref()),
        ("bad", Outcome::Bad, Some("Hanging up first is impolite"))
    );
    // A bad ending on a run that passed (no path of sc does) would not be shown as bad either.
    let bad = s.ending("bad").unwrap();
    assert_eq!((bad.shown(true).outcome, bad.shown(true).story), (Outcome::Mixed, None));
}

#[test]
fn a_choice_after_the_deadline_takes_the_timeout_outcome() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let mut run = ScenarioRun::start(s, "r1".into(), Mode::Solo, None, 7, t0());
    assert_eq!(run.deadline, Some(t0() + Duration::seconds(10)));
    assert_eq!(run.remaining_seconds(t0() + Duration::seconds(4)), Some(6));
    run.choose(s, "a", None, t0() + Duration::seconds(11)).unwrap();
    assert_eq!(run.steps[0].choice, TIMEOUT);
    assert_eq!(run.ending(s).map(|e| e.id.as_str()), Some("missed"));
    let rec = run.finish(
        s,
        b.course.default_rubric().unwrap(),
        "v1",
        t0() + Duration::seconds(12),
    );
    // process −2 → 0%; etiquette never reached: 0 of 2 → 0%.
    assert_eq!(percents(&rec.score), vec![Some(0.0), Some(0.0)]);
    assert_eq!(rec.score.result.total, Some(0.0));
    assert_eq!(run.choose(s, "a", None, t0()), Err(StepError::Finished));
}

#[test]
fn the_clock_keeps_running_while_the_app_is_closed() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let run = ScenarioRun::start(s, "r1".into(), Mode::Solo, None, 7, t0());
    // Saved, reloaded 30 s later: the timeout applies on resume.
    let mut resumed: ScenarioRun = serde_json::from_str(&serde_json::to_string(&run).unwrap()).unwrap();
    assert!(!resumed.clone().expire(s, t0() + Duration::seconds(9)));
    assert!(resumed.expire(s, t0() + Duration::seconds(30)));
    assert_eq!(resumed.steps[0].choice, TIMEOUT);
    // Untimed nodes have no deadline; pair mode never times out.
    let run = play(&b, &["a"]);
    assert_eq!(run.deadline, None);
    let pair = ScenarioRun::start(s, "r2".into(), Mode::Pair, Some("李明".into()), 7, t0());
    assert_eq!(pair.deadline, None);
}

#[test]
fn a_cycle_step_scores_nothing_and_the_run_continues() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let run = play(&b, &["a", "c", "c", "a", "a"]);
    assert_eq!(run.ending(s).map(|e| e.id.as_str()), Some("good"));
    assert_eq!(
        run.finish(s, b.course.default_rubric().unwrap(), "v1", t0())
            .score
            .result
            .total,
        Some(100.0)
    );
}

#[test]
fn something_else_follows_the_closest_choice_without_points() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let r = b.course.default_rubric().unwrap();
    let mut run = ScenarioRun::start(s, "r1".into(), Mode::Pair, Some("李明".into()), 7, t0());
    run.choose(s, "a", None, t0()).unwrap();
    run.choose(s, "a", Some("说了“喂，您好”，没报公司名".into()), t0())
        .unwrap();
    run.choose(s, "a", None, t0()).unwrap();
    let rec = run.finish(s, r, "v1", t0());
    // etiquette gets nothing for the noted step: 0 of 2.
    assert_eq!(rec.score.totals.get("etiquette"), None);
    assert_eq!(percents(&rec.score), vec![Some(100.0), Some(0.0)]);
    let rp = replay(s, &rec.steps, r);
    assert!(!rp[1].was_best(), "a noted answer is never shown as the best choice");
    assert!(rp[1].points.is_empty());
    // Undo takes the last step back.
    assert!(run.undo(s, t0()));
    assert!(matches!(run.position(s), Some(Place::Node(n)) if n.id == "need"));
}

#[test]
fn the_replay_shows_the_best_choice_at_every_step() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let r = b.course.default_rubric().unwrap();
    let run = play(&b, &["b", "c", "b", "b"]);
    let rp = replay(s, &run.steps, r);
    let made: Vec<&str> = rp.iter().map(|x| x.made.unwrap().id.as_str()).collect();
    let best: Vec<&str> = rp.iter().map(|x| x.best.unwrap().id.as_str()).collect();
    assert_eq!(made, vec!["b", "c", "b", "b"]);
    assert_eq!(best, vec!["a", "a", "a", "a"]);
    assert!(rp.iter().all(|x| !x.was_best()));
}

#[test]
fn choice_order_is_shuffled_per_seed_and_stable_across_reloads() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let node = s.node("greet").unwrap();
    let orders: std::collections::BTreeSet<Vec<String>> = (0..40u64)
        .map(|seed| ScenarioRun::start(s, "x".into(), Mode::Solo, None, seed, t0()).choice_order(node))
        .collect();
    assert!(orders.len() > 1, "different seeds give different orders");
    let run = play(&b, &["a"]);
    let again: ScenarioRun = serde_json::from_str(&serde_json::to_string(&run).unwrap()).unwrap();
    assert_eq!(run.choice_order(node), again.choice_order(node));
    for o in orders {
        let mut sorted = o.clone();
        sorted.sort();
        assert_eq!(sorted, vec!["a", "b", "c"]);
    }
}

#[test]
fn a_run_whose_content_changed_is_detected() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let mut run = play(&b, &["a", "a"]);
    assert!(run.is_consistent(s));
    run.steps[1].choice = "zz".into();
    assert!(!run.is_consistent(s));
    assert_eq!(run.position(s), None);
}

#[test]
fn path_analysis_counts_paths_and_the_score_range() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let a = s.analyse(b.course.default_rubric().unwrap());
    // 2 × 2 × 2 acyclic paths plus the timeout: 9.
    assert_eq!(a.paths, 9);
    assert_eq!((a.shortest, a.longest), (1, 3));
    assert_eq!((a.min_total, a.max_total), (Some(0.0), Some(100.0)));
    assert_eq!(a.best, BTreeMap::from([("process".into(), 3), ("etiquette".into(), 2)]));
    assert!(a.best_path.is_some() && a.failing_path.is_some());
    let report = validate::roleplay_report(&b.course);
    assert!(
        report.contains("sc: 3 nodes, 3 endings, 9 paths, decisions 1–3, score range 0.0–100.0%"),
        "{report}"
    );
}

#[test]
fn checklist_marks_score_done_1_partly_half_missed_0_and_skip_not_applicable() {
    let b = bundle();
    let c = b.course.checklist("cl").unwrap();
    let r = b.course.default_rubric().unwrap();
    let mut o = Observation::start(c, "o1".into(), "王芳".into(), t0());
    o.mark("rings", Mark::Done);
    o.mark("intro", Mark::Partly);
    o.mark("repeat", Mark::Missed);
    o.mark("hangup", Mark::NotApplicable);
    o.note("repeat", "  没有复述电话号码 ");
    let rec = o.finish(c, r, "v1", t0());
    // process 1 of 2 → 50%; etiquette ½ of 1 (hang-up not applicable) → 50%; total 50.
    assert_eq!(rec.score.result.total, Some(50.0));
    assert_eq!(rec.score.missed, vec!["repeat".to_string()]);
    assert_eq!(rec.notes.get("repeat").map(String::as_str), Some("没有复述电话号码"));
    assert!(!rec.score.passed);
    // rings done, intro done, repeat partly, hang-up missed: process 1.5/2 = 75%,
    // etiquette 1/2 = 50% → (75·60 + 50·40)/100 = 65.0; etiquette fails.
    let mut o = Observation::start(c, "o2".into(), "王芳".into(), t0());
    for (i, m) in [
        ("rings", Mark::Done),
        ("intro", Mark::Done),
        ("repeat", Mark::Partly),
        ("hangup", Mark::Missed),
    ] {
        o.mark(i, m);
    }
    let s = c.score(&o.marks, r);
    assert_eq!(s.result.total, Some(65.0));
    assert_eq!(s.failed, vec!["etiquette".to_string()]);
    // Tapping the same mark again clears it; unmarked items are listed and not counted.
    o.mark("hangup", Mark::Missed);
    let s = c.score(&o.marks, r);
    assert_eq!(s.unmarked, vec!["hangup".to_string()]);
    assert_eq!(s.result.criteria[1].percent, Some(100.0));
}

// ---- validator error kinds -------------------------------------------------------------

fn errors_with(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    errors_in("scenarios/sc.toml", edit)
}

fn errors_in(path: &str, edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let (mut files, manuals) = fixture();
    edit(&mut files.iter_mut().find(|f| f.path == path).unwrap().value);
    match load(&files, &manuals) {
        Err(errs) => errs.iter().map(ContentError::to_string).collect(),
        Ok(b) => validate::validate(&b.course, &b.library)
            .iter()
            .map(ContentError::to_string)
            .collect(),
    }
}

fn assert_error(errors: &[String], file: &str, item: &str, message: &str) {
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(file) && e.contains(item) && e.contains(message)),
        "expected an error in {file} about {item}: {message}\ngot:\n{}",
        errors.join("\n")
    );
}

#[test]
fn the_fixture_scenario_and_checklist_are_valid() {
    assert_eq!(errors_with(|_| {}), Vec::<String>::new());
}

#[test]
fn a_next_that_goes_nowhere_is_reported() {
    let e = errors_with(|v| v["nodes"][0]["choices"][0]["next"] = json!("nowhere"));
    assert_error(
        &e,
        "scenarios/sc.toml",
        "node `ring` choice `a`",
        "`next = \"nowhere\"` is neither a node nor an ending",
    );
}

#[test]
fn an_unreachable_node_is_reported() {
    let e = errors_with(|v| {
        let mut n = v["nodes"][2].clone();
        n["id"] = json!("orphan");
        v["nodes"].as_array_mut().unwrap().push(n);
    });
    assert_error(&e, "scenarios/sc.toml", "`orphan`", "cannot be reached from `start`");
}

#[test]
fn a_cycle_without_an_exit_is_reported() {
    // need → greet (b) and greet → need only: from greet and need no ending can be reached.
    let e = errors_with(|v| {
        v["nodes"][2]["choices"][0]["next"] = json!("greet");
        v["nodes"][2]["choices"][1]["next"] = json!("greet");
    });
    assert_error(
        &e,
        "scenarios/sc.toml",
        "node `need`",
        "no ending can be reached from here",
    );
}

#[test]
fn points_on_a_step_back_are_reported() {
    let e = errors_with(|v| v["nodes"][1]["choices"][2]["scores"] = json!({ "etiquette": 1 }));
    assert_error(
        &e,
        "scenarios/sc.toml",
        "node `greet` choice `c`",
        "leads back to an earlier node",
    );
}

#[test]
fn a_choice_without_a_citation_is_reported() {
    let e = errors_with(|v| v["nodes"][0]["choices"][1]["cite"] = json!([]));
    assert_error(&e, "scenarios/sc.toml", "node `ring` choice `b`", "has no citation");
}

#[test]
fn scores_must_use_rubric_criteria_within_three_points() {
    let e = errors_with(|v| v["nodes"][0]["choices"][0]["scores"] = json!({ "speed": 1, "process": 5 }));
    assert_error(
        &e,
        "scenarios/sc.toml",
        "node `ring` choice `a`",
        "scores unknown rubric criterion `speed`",
    );
    assert_error(
        &e,
        "scenarios/sc.toml",
        "node `ring` choice `a`",
        "score 5 for `process` is outside -3…+3",
    );
}

#[test]
fn a_scenario_without_a_best_path_is_reported() {
    // The only way to the best etiquette now costs process: no path is best on both.
    let e = errors_with(|v| v["nodes"][1]["choices"][0]["scores"] = json!({ "etiquette": 2, "process": -3 }));
    assert_error(&e, "scenarios/sc.toml", "", "has no best path");
}

#[test]
fn a_scenario_where_every_path_passes_is_reported() {
    let e = errors_with(|v| {
        for n in v["nodes"].as_array_mut().unwrap() {
            for c in n["choices"].as_array_mut().unwrap() {
                c["scores"] = json!({ "process": 1 });
            }
            if n.get("timeout").is_some() {
                n["timeout"]["scores"] = json!({ "process": 1 });
                n["timeout"]["next"] = json!("greet");
            }
        }
        v["nodes"][1]["choices"][2]["scores"] = json!({});
    });
    assert_error(&e, "scenarios/sc.toml", "", "every path passes every criterion");
}

#[test]
fn a_timeout_outside_3_to_120_seconds_is_reported() {
    let e = errors_with(|v| v["nodes"][0]["timeout"]["seconds"] = json!(1));
    assert_error(
        &e,
        "scenarios/sc.toml",
        "node `ring` timeout",
        "seconds = 1 must be 3 to 120",
    );
}

#[test]
fn a_node_with_one_choice_is_reported() {
    let e = errors_with(|v| {
        v["nodes"][2]["choices"].as_array_mut().unwrap().pop();
    });
    assert_error(
        &e,
        "scenarios/sc.toml",
        "node `need`",
        "has 1 choices; a decision offers 2 to 4",
    );
}

#[test]
fn an_unknown_mood_or_field_names_the_path() {
    let e = errors_with(|v| v["nodes"][0]["mood"] = json!("furious"));
    assert_error(&e, "scenarios/sc.toml", "nodes[0].mood", "unknown variant `furious`");
    let e = errors_with(|v| v["setting"]["chanel"] = json!("phone"));
    assert_error(&e, "scenarios/sc.toml", "setting", "unknown field `chanel`");
}

#[test]
fn checklist_errors_name_the_item() {
    let e = errors_in("checklists/cl.toml", |v| {
        v["sections"][0]["items"][1]["criterion"] = json!("speed")
    });
    assert_error(
        &e,
        "checklists/cl.toml",
        "item `intro`",
        "unknown rubric criterion `speed`",
    );
    let e = errors_in("checklists/cl.toml", |v| {
        v["sections"][1]["items"][0]["id"] = json!("rings")
    });
    assert_error(&e, "checklists/cl.toml", "item `rings`", "duplicate id");
    let e = errors_in("checklists/cl.toml", |v| {
        v["sections"][1]["items"][1]["cite"] = json!(["m1 §9.9"])
    });
    assert_error(&e, "checklists/cl.toml", "item `hangup`", "does not resolve");
}

#[test]
fn an_observation_counts_marked_and_unmarked_items() {
    let b = bundle();
    let c = b.course.checklist("cl").unwrap();
    let mut o = Observation::start(c, "o1".into(), "王芳".into(), t0());
    let all = c.items().count();
    assert_eq!((o.marked(c), o.unmarked(c)), (0, all));
    o.mark("rings", Mark::Done);
    o.mark("repeat", Mark::NotApplicable);
    assert_eq!((o.marked(c), o.unmarked(c)), (2, all - 2));
}

#[test]
fn a_run_is_expired_from_its_deadline_on() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let run = ScenarioRun::start(s, "r1".into(), Mode::Solo, None, 7, t0());
    let deadline = run.deadline.expect("the fixture's first node is timed");
    assert!(!run.is_expired(deadline - Duration::seconds(1)));
    assert!(run.is_expired(deadline));
}

#[test]
fn the_lessons_teaching_a_criterion_skip_lessons_the_course_no_longer_has() {
    let mut b = bundle();
    let m = b.course.modules[0].id.clone();
    let l = b.course.modules[0].lessons[0].id.clone();
    b.course.criterion_lessons.insert(
        "process".into(),
        vec![format!("{m}/{l}"), "gone/lesson".into(), "no-slash".into()],
    );
    let found: Vec<(String, String)> = b
        .course
        .lessons_teaching("process")
        .into_iter()
        .map(|(m, l)| (m.id.clone(), l.id.clone()))
        .collect();
    assert_eq!(found, vec![(m, l)]);
    assert!(b.course.lessons_teaching("nothing").is_empty());
}

#[test]
fn a_step_costs_a_criterion_when_it_scored_below_zero_on_it_or_timed_out_with_a_penalty() {
    let b = bundle();
    let s = b.course.scenario("sc").unwrap();
    let r = b.course.default_rubric().unwrap();
    let run = play(&b, &["b", "c", "b", "b"]);
    let rp = replay(s, &run.steps, r);
    // greet: b is process −1.
    assert!(rp[0].cost("process"));
    assert!(!rp[0].cost("etiquette"));
    // The best first choice costs nothing.
    let best = play(&b, &["a"]);
    assert!(!replay(s, &best.steps, r)[0].cost("process"));
    // Letting the clock run out at greet costs process (its timeout is −2).
    let mut timed = ScenarioRun::start(s, "r2".into(), Mode::Solo, None, 7, t0());
    timed
        .choose(s, lixun::domain::scenario::TIMEOUT, None, t0() + Duration::seconds(30))
        .unwrap();
    let rp = replay(s, &timed.steps, r);
    assert!(rp[0].cost("process"));
    assert!(!rp[0].cost("etiquette"));
}
