//! xAPI 1.0.3 statements for the organisation's LRS: golden statements for a quiz with every
//! question kind, a role-play and an observation (`tests/fixtures/xapi/`, rewritten with
//! `UPDATE_GOLDEN=1`), the response format of every interaction type, stable ids, the fields
//! xAPI requires, the organisation IRI, and attempts read back from statements.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use lixun::domain::bundle;
use lixun::domain::checklist::{Mark, Observation};
use lixun::domain::content::{Course, SourceFile};
use lixun::domain::profiles::Profile;
use lixun::domain::quiz::{Answers, QuestionBank, score_quiz};
use lixun::domain::records::AttemptRecord;
use lixun::domain::scenario::{Mode, ScenarioRun};
use lixun::domain::source;
use lixun::domain::store::{Body, ChainHead, Record, Removed};
use lixun::domain::xapi::{
    self, ActivityKind, Identify, Interaction, IriError, NoContent, XapiConfig, response_from_xapi, response_to_xapi,
};
use serde_json::{Value, json};

const ORG: &str = "https://training.example.com/lixun";
const TRAINEE: &str = "b5e3c1a0-9d8f-4e7c-a6b5-4c3d2e1f0a9b";
const DEVICE: &str = "7d4f1b2e-0c3a-4e5b-9f6d-2a1b3c4d5e6f";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap()
}

/// The fixture course (`tests/fixtures/content`) plus a bank with one question of every kind.
fn course() -> Course {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content");
    let files: Vec<SourceFile> = source::read_toml_files(&root)
        .expect("fixture toml parses")
        .into_iter()
        .map(|(path, value)| SourceFile { path, value })
        .collect();
    let manuals = source::read_manuals(&root).expect("fixture manuals");
    let refs: Vec<(u8, &str)> = manuals.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let mut course = bundle::load(&files, &refs).expect("fixture loads").course;
    let t = |zh: &str, en: &str| json!({ "zh": zh, "en": en });
    let opt = |id: &str, zh: &str, en: &str| json!({ "id": id, "text": t(zh, en) });
    let q = |id: &str, kind: &str, extra: Value| {
        let mut v = json!({
            "id": id, "kind": kind, "prompt": t(&format!("{id} 题干"), &format!("{id} prompt")),
            "explanation": t("解释", "Why"), "cite": ["m1 §1.1"], "criteria": ["process"], "difficulty": 1,
        });
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v
    };
    let bank: QuestionBank = serde_json::from_value(json!({
        "format_version": 1,
        "module": "mod",
        "questions": [
            q("k-single", "single", json!({ "options": [opt("a", "十分钟", "10 minutes"), opt("b", "五分钟", "5 minutes")], "answer": ["a"] })),
            q("k-multiple", "multiple", json!({ "options": [opt("a", "甲", "A"), opt("b", "乙", "B"), opt("c", "丙", "C")], "answer": ["a", "c"] })),
            q("k-true-false", "true_false", json!({ "answer": ["false"] })),
            q("k-ordering", "ordering", json!({ "options": [opt("s1", "问候", "Greet"), opt("s2", "确认", "Confirm"), opt("s3", "道别", "Say goodbye")], "answer": ["s1", "s2", "s3"] })),
            q("k-matching", "matching", json!({ "pairs": [
                { "id": "p1", "left": t("来电", "A call"), "right": t("三声内接听", "Answer within three rings") },
                { "id": "p2", "left": t("来访", "A visitor"), "right": t("起身问候", "Stand and greet") },
            ] })),
            q("k-numeric", "numeric", json!({ "number": 3.0, "unit": t("声", "rings") })),
            q("k-situational", "situational", json!({ "options": [
                { "id": "a", "text": t("安抚并记录", "Calm and note"), "verdict": "best", "scores": { "process": 2 }, "feedback": t("好", "Good") },
                { "id": "b", "text": t("转给同事", "Pass to a colleague"), "verdict": "acceptable", "scores": { "process": 1 }, "feedback": t("可以", "Fine") },
                { "id": "c", "text": t("解释规定", "Explain the rule"), "verdict": "best", "scores": { "process": 2 }, "feedback": t("好", "Good") },
            ], "answer": ["a", "c"] })),
        ],
    }))
    .expect("bank parses");
    course.banks.push(bank);
    course
}

fn config() -> XapiConfig {
    XapiConfig::new(ORG, Identify::Opaque, false).unwrap()
}

fn profile() -> Profile {
    Profile {
        id: TRAINEE.into(),
        name: "王芳".into(),
        employee_id: Some("E-1024".into()),
        colour: 0,
        archived: false,
        created_at: t0(),
        aliases: vec![],
        merged: Vec::new(),
    }
}

/// The picks of the quiz attempt: a mix of right, partly right and wrong.
fn picks() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("k-single", vec!["a"]),
        ("k-multiple", vec!["a", "b"]),
        ("k-true-false", vec!["false"]),
        ("k-ordering", vec!["s2", "s1", "s3"]),
        ("k-matching", vec!["p1", "p2"]),
        ("k-numeric", vec!["３"]),
        ("k-situational", vec!["b"]),
    ]
}

fn quiz_body(c: &Course, id: &str) -> Body {
    let questions: Vec<_> = picks().iter().map(|(q, _)| c.question(q).unwrap().clone()).collect();
    let mut answers = Answers::default();
    for (q, p) in picks() {
        answers.set(q, p.iter().map(|s| s.to_string()).collect());
    }
    let rubric = c.rubric("r").unwrap();
    let outcome = score_quiz(&questions, &answers, rubric, c.quiz("quiz").unwrap().pass_mark);
    Body::Quiz(AttemptRecord::from_outcome(
        id.into(),
        "quiz",
        "fixture-1",
        t0(),
        t0() + Duration::seconds(390),
        outcome,
    ))
}

fn scenario_body(c: &Course, id: &str) -> Body {
    let sc = c.scenario("sc").unwrap();
    let mut run = ScenarioRun::start(sc, id.into(), Mode::Solo, None, 7, t0());
    run.choose(sc, "a", None, t0() + Duration::seconds(4)).unwrap();
    run.choose(sc, "b", None, t0() + Duration::seconds(20)).unwrap();
    run.choose(sc, "a", None, t0() + Duration::seconds(45)).unwrap();
    Body::Scenario(run.finish(sc, c.rubric("r").unwrap(), "fixture-1", t0() + Duration::seconds(50)))
}

fn observation_body(c: &Course, id: &str) -> Body {
    let cl = c.checklist("cl").unwrap();
    let mut o = Observation::start(cl, id.into(), TRAINEE.into(), t0());
    o.mark("rings", Mark::Done);
    o.mark("intro", Mark::Done);
    o.mark("repeat", Mark::Partly);
    o.mark("hangup", Mark::NotApplicable);
    o.note("intro", "只说了公司名");
    Body::Observation(o.finish(cl, c.rubric("r").unwrap(), "fixture-1", t0() + Duration::seconds(600)))
}

/// One quiz, one role-play and one observation of the trainee, chained on one device.
fn records(c: &Course) -> Vec<Record> {
    let mut head = ChainHead::new(DEVICE);
    let ids = [
        "3f0c2a9e-5b7d-4c1e-9a8f-1d2e3f4a5b6c",
        "5a1d7c3e-2b4f-4d6a-8c0e-9f1a2b3c4d5e",
        "8e2f4a6c-1d3b-4f5e-a7c9-0b2d4f6a8c1e",
    ];
    let bodies = [
        quiz_body(c, ids[0]),
        scenario_body(c, ids[1]),
        observation_body(c, ids[2]),
    ];
    ids.iter()
        .zip(bodies)
        .map(|(id, body)| {
            let (start, end) = match &body {
                Body::Quiz(a) => (a.started_at, a.finished_at),
                Body::Scenario(s) => (s.started_at, s.finished_at),
                Body::Observation(o) => (o.started_at, o.finished_at),
                Body::Erasure { .. } => unreachable!(),
            };
            head.append(TRAINEE, "fixture-1", start, end, id.to_string(), body)
        })
        .collect()
}

fn statements_of(c: &Course, r: &Record, config: &XapiConfig) -> Vec<Value> {
    let p = profile();
    xapi::statements(r, Some(&p), c, config)
}

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/xapi/{name}.json"))
}

/// Compares with the golden file field by field (the path of the first difference is named).
fn assert_golden(name: &str, got: &Value) {
    let path = fixture_path(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_string_pretty(got).unwrap() + "\n").unwrap();
    }
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} missing: UPDATE_GOLDEN=1", path.display()));
    let want: Value = serde_json::from_str(&raw).unwrap();
    fn diff(path: &str, want: &Value, got: &Value) -> Option<String> {
        match (want, got) {
            (Value::Object(a), Value::Object(b)) => a.keys().chain(b.keys()).find_map(|k| {
                diff(
                    &format!("{path}.{k}"),
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                )
            }),
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
                .iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| diff(&format!("{path}[{i}]"), x, y)),
            _ if want == got => None,
            _ => Some(format!("{path}: want {want}, got {got}")),
        }
    }
    if let Some(d) = diff(name, &want, got) {
        panic!("{} differs at {d}", path.display());
    }
}

#[test]
fn quiz_role_play_and_observation_statements_match_the_golden_files() {
    let c = course();
    let rs = records(&c);
    for (name, r) in ["quiz", "scenario", "observation"].iter().zip(&rs) {
        assert_golden(name, &Value::Array(statements_of(&c, r, &config())));
    }
}

#[test]
fn every_question_kind_gets_its_interaction_definition_correct_pattern_and_response() {
    let c = course();
    let rs = records(&c);
    let stmts = statements_of(&c, &rs[0], &config());
    let by_q = |id: &str| -> &Value {
        stmts
            .iter()
            .find(|s| s["object"]["id"] == format!("{ORG}/xapi/question/{id}"))
            .unwrap_or_else(|| panic!("no statement for {id}"))
    };
    // (question, interactionType, correctResponsesPattern, response, success, scaled)
    let table: [(&str, &str, Value, &str, bool, f64); 7] = [
        ("k-single", "choice", json!(["a"]), "a", true, 1.0),
        ("k-multiple", "choice", json!(["a[,]c"]), "a[,]b", false, 0.0),
        ("k-true-false", "true-false", json!(["false"]), "false", true, 1.0),
        (
            "k-ordering",
            "sequencing",
            json!(["s1[,]s2[,]s3"]),
            "s2[,]s1[,]s3",
            false,
            1.0 / 3.0,
        ),
        (
            "k-matching",
            "matching",
            json!(["p1[.]p1[,]p2[.]p2"]),
            "p1[.]p1[,]p2[.]p2",
            true,
            1.0,
        ),
        ("k-numeric", "numeric", json!(["3"]), "3", true, 1.0),
        ("k-situational", "choice", json!(["a", "c"]), "b", false, 0.5),
    ];
    for (q, kind, pattern, response, success, scaled) in table {
        let s = by_q(q);
        assert_eq!(s["verb"]["id"], "http://adlnet.gov/expapi/verbs/answered", "{q}");
        let def = &s["object"]["definition"];
        assert_eq!(
            def["type"], "http://adlnet.gov/expapi/activities/cmi.interaction",
            "{q}"
        );
        assert_eq!(def["interactionType"], kind, "{q}");
        assert_eq!(def["correctResponsesPattern"], pattern, "{q}");
        assert_eq!(def["name"]["zh-CN"], format!("{q} 题干"), "{q}");
        assert_eq!(def["description"]["en-US"], format!("{q} prompt"), "{q}");
        assert_eq!(s["result"]["response"], response, "{q}");
        assert_eq!(s["result"]["success"], success, "{q}");
        let got = s["result"]["score"]["scaled"].as_f64().unwrap();
        assert!((got - scaled).abs() < 1e-9, "{q}: {got}");
    }
    let choices = |q: &str, key: &str| -> Vec<String> {
        by_q(q)["object"]["definition"][key]
            .as_array()
            .map(|l| l.iter().map(|c| c["id"].as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    assert_eq!(choices("k-single", "choices"), ["a", "b"]);
    assert_eq!(choices("k-situational", "choices"), ["a", "b", "c"]);
    assert_eq!(choices("k-ordering", "choices"), ["s1", "s2", "s3"]);
    assert_eq!(choices("k-matching", "source"), ["p1", "p2"]);
    assert_eq!(choices("k-matching", "target"), ["p1", "p2"]);
    assert!(by_q("k-true-false")["object"]["definition"].get("choices").is_none());
    assert!(by_q("k-numeric")["object"]["definition"].get("choices").is_none());
    assert_eq!(
        by_q("k-matching")["object"]["definition"]["target"][0]["description"]["en-US"],
        "Answer within three rings"
    );
    assert_eq!(
        by_q("k-single")["object"]["definition"]["choices"][0]["description"],
        json!({ "zh-CN": "十分钟", "en-US": "10 minutes" })
    );
}

#[test]
fn responses_round_trip_through_the_xapi_format_for_every_interaction_type() {
    let c = course();
    let s = |l: &[&str]| l.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let table: [(&str, Vec<String>, &str); 10] = [
        ("k-single", s(&["b"]), "b"),
        ("k-multiple", s(&["c", "a"]), "c[,]a"),
        ("k-true-false", s(&["true"]), "true"),
        ("k-ordering", s(&["s3", "s1", "s2"]), "s3[,]s1[,]s2"),
        ("k-matching", s(&["p2", "p1"]), "p1[.]p2[,]p2[.]p1"),
        ("k-matching", s(&["p2", ""]), "p1[.]p2"),
        ("k-numeric", s(&["2.5"]), "2.5"),
        ("k-numeric", s(&["-4"]), "-4"),
        ("k-situational", s(&["a"]), "a"),
        ("k-single", s(&[]), ""),
    ];
    for (q, picked, response) in table {
        let i = Interaction::of(c.question(q).unwrap());
        assert_eq!(response_to_xapi(&i, &picked), response, "{q} {picked:?}");
        assert_eq!(response_from_xapi(&i, response), picked, "{q} {response:?}");
    }
    // What the trainee typed is normalised to the number it reads as.
    let numeric = Interaction::of(c.question("k-numeric").unwrap());
    assert_eq!(response_to_xapi(&numeric, &s(&["３"])), "3");
    assert_eq!(response_to_xapi(&numeric, &s(&[" 3.0 "])), "3");
    // The interaction read back from a definition is the one written.
    let stmts = statements_of(&c, &records(&c)[0], &config());
    for (q, _) in picks() {
        let s = stmts
            .iter()
            .find(|s| s["object"]["id"] == format!("{ORG}/xapi/question/{q}"))
            .unwrap();
        assert_eq!(
            Interaction::from_definition(&s["object"]["definition"]),
            Some(Interaction::of(c.question(q).unwrap())),
            "{q}"
        );
    }
}

#[test]
fn statement_ids_are_stable_across_calls_unique_and_different_across_records() {
    let c = course();
    let rs = records(&c);
    let mut all = std::collections::BTreeSet::new();
    for r in &rs {
        let a = statements_of(&c, r, &config());
        let b = statements_of(&c, r, &config());
        assert_eq!(a, b, "same record, same statements");
        let ids: Vec<String> = a.iter().map(|s| s["id"].as_str().unwrap().to_string()).collect();
        assert_eq!(xapi::statement_ids(r), ids, "statement_ids matches statements");
        // Ids do not depend on the configuration or the content at hand.
        let named = XapiConfig::new(ORG, Identify::EmployeeId, true).unwrap();
        let other: Vec<Value> = xapi::statements(r, None, &NoContent, &named)
            .iter()
            .map(|s| s["id"].clone())
            .collect();
        assert_eq!(other, ids.iter().map(|i| json!(i)).collect::<Vec<_>>());
        // One registration per attempt, shared by all its statements.
        let reg = xapi::registration(r);
        assert!(a.iter().all(|s| s["context"]["registration"] == reg));
        assert!(!ids.contains(&reg));
        for id in ids {
            assert!(all.insert(id.clone()), "duplicate id {id}");
        }
        assert!(all.insert(reg));
    }
    // The same body under another record id: all new ids.
    let mut copy = rs[0].clone();
    copy.id = "another-record".into();
    assert!(
        xapi::statement_ids(&copy)
            .iter()
            .all(|id| !xapi::statement_ids(&rs[0]).contains(id))
    );
}

#[test]
fn every_statement_has_the_fields_xapi_1_0_3_requires() {
    let c = course();
    for r in records(&c) {
        for s in statements_of(&c, &r, &config()) {
            let id = s["id"].as_str().unwrap();
            let b = id.as_bytes();
            assert_eq!(b.len(), 36, "{id}");
            assert!([8, 13, 18, 23].iter().all(|i| b[*i] == b'-'), "{id}");
            assert!(
                id.chars()
                    .filter(|c| *c != '-')
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            );
            assert_eq!(b[14], b'5', "{id}");
            assert!(b"89ab".contains(&b[19]), "{id}");
            assert_eq!(s["actor"]["objectType"], "Agent");
            assert_eq!(s["actor"]["account"]["homePage"], ORG);
            assert!(s["actor"]["account"]["name"].is_string());
            assert!(
                s["verb"]["id"]
                    .as_str()
                    .unwrap()
                    .starts_with("http://adlnet.gov/expapi/verbs/")
            );
            assert!(s["verb"]["display"]["en-US"].as_str().is_some_and(|d| !d.is_empty()));
            assert!(s["object"]["id"].as_str().unwrap().starts_with(&format!("{ORG}/xapi/")));
            assert_eq!(s["object"]["objectType"], "Activity");
            let ts = s["timestamp"].as_str().unwrap();
            assert!(ts.ends_with('Z') && DateTime::parse_from_rfc3339(ts).is_ok(), "{ts}");
            assert_eq!(s["version"], "1.0.3");
            assert_eq!(s["context"]["platform"], "Lixun");
            assert_eq!(s["context"]["language"], "zh-CN");
            if let Some(score) = s["result"].get("score") {
                let scaled = score["scaled"].as_f64().unwrap();
                assert!((-1.0..=1.0).contains(&scaled));
                if let Some(raw) = score["raw"].as_f64() {
                    assert!(score["min"].as_f64().unwrap() <= raw && raw <= score["max"].as_f64().unwrap());
                }
            }
            if let Some(d) = s["result"]["duration"].as_str() {
                assert!(d.starts_with("PT") && d.ends_with('S'), "{d}");
            }
            for key in ["context", "result"]
                .iter()
                .filter_map(|k| s[*k]["extensions"].as_object())
                .flat_map(|m| m.keys())
            {
                assert!(key.starts_with(&format!("{ORG}/xapi/extensions/")), "{key}");
            }
        }
    }
}

#[test]
fn no_statement_names_any_domain_but_the_organisations_and_adls() {
    let c = course();
    for r in records(&c) {
        let text = serde_json::to_string(&statements_of(&c, &r, &config())).unwrap();
        assert!(!text.contains("lixun.app"), "{text}");
        for (i, _) in text.match_indices("http") {
            let rest = &text[i..];
            assert!(
                rest.starts_with(ORG) || rest.starts_with("http://adlnet.gov/expapi/"),
                "unexpected address: {}",
                &rest[..rest.len().min(60)]
            );
        }
    }
}

#[test]
fn the_actor_is_an_opaque_account_unless_employee_ids_are_chosen_and_is_named_only_when_asked() {
    let c = course();
    let r = &records(&c)[0];
    let p = profile();
    let actor = |identify, names, who: Option<&Profile>| {
        let config = XapiConfig::new(ORG, identify, names).unwrap();
        xapi::statements(r, who, &c, &config)[0]["actor"].clone()
    };
    assert_eq!(
        actor(Identify::Opaque, false, Some(&p)),
        json!({ "objectType": "Agent", "account": { "homePage": ORG, "name": TRAINEE } })
    );
    assert_eq!(
        actor(Identify::EmployeeId, false, Some(&p))["account"]["name"],
        "E-1024"
    );
    assert_eq!(actor(Identify::Opaque, true, Some(&p))["name"], "王芳");
    // A trainee without an employee id, or without a profile, stays opaque.
    let mut no_employee = p.clone();
    no_employee.employee_id = Some("  ".into());
    assert_eq!(
        actor(Identify::EmployeeId, false, Some(&no_employee))["account"]["name"],
        TRAINEE
    );
    assert_eq!(actor(Identify::EmployeeId, true, None)["account"]["name"], TRAINEE);
    assert!(actor(Identify::EmployeeId, true, None).get("name").is_none());
    // A record made under an alias is sent under the owning profile's id.
    let mut owner = p.clone();
    owner.id = "owner-id".into();
    assert_eq!(
        actor(Identify::Opaque, false, Some(&owner))["account"]["name"],
        "owner-id"
    );
}

#[test]
fn context_names_the_attempt_module_and_track_where_the_content_knows_them() {
    let c = course();
    let rs = records(&c);
    let stmts = statements_of(&c, &rs[0], &config());
    let answered = &stmts[0]["context"]["contextActivities"];
    assert_eq!(answered["parent"][0]["id"], format!("{ORG}/xapi/quiz/quiz"));
    assert_eq!(answered["parent"][0]["definition"]["name"]["en-US"], "Quiz");
    assert_eq!(answered["grouping"][0]["id"], format!("{ORG}/xapi/module/mod"));
    assert_eq!(answered["grouping"][1]["id"], format!("{ORG}/xapi/track/t"));
    assert_eq!(
        answered["grouping"][1]["definition"]["type"],
        "http://adlnet.gov/expapi/activities/course"
    );
    let completed = stmts
        .iter()
        .find(|s| s["verb"]["id"] == xapi::verbs::COMPLETED)
        .unwrap();
    assert_eq!(
        completed["object"]["definition"]["type"],
        "http://adlnet.gov/expapi/activities/assessment"
    );
    assert_eq!(
        completed["context"]["contextActivities"]["parent"][0]["id"],
        format!("{ORG}/xapi/module/mod")
    );
    assert_eq!(
        completed["context"]["contextActivities"]["grouping"][0]["id"],
        format!("{ORG}/xapi/track/t")
    );
    assert_eq!(
        completed["context"]["extensions"][format!("{ORG}/xapi/extensions/record")],
        rs[0].id
    );
    // Without content: the attempt as parent (unnamed), no grouping; ids and results unchanged.
    let bare = xapi::statements(&rs[0], None, &NoContent, &config());
    let activities = &bare[0]["context"]["contextActivities"];
    assert_eq!(activities["parent"][0]["id"], format!("{ORG}/xapi/quiz/quiz"));
    assert!(activities["parent"][0]["definition"].get("name").is_none());
    assert!(activities.get("grouping").is_none());
    assert!(bare.last().unwrap()["context"].get("contextActivities").is_none());
    assert_eq!(bare[0]["object"]["definition"]["interactionType"], "choice");
    assert_eq!(bare[0]["result"], stmts[0]["result"]);
    assert_eq!(bare.len(), stmts.len());
}

#[test]
fn the_attempt_statements_carry_the_total_outcome_duration_and_criteria() {
    let c = course();
    let rs = records(&c);
    for (r, (scaled, passed, duration)) in rs.iter().zip([
        // process 5⅓ of 8 points (the situational answer earns 1 of 2): 66.7, below the pass mark 80
        (0.667, false, "PT0H6M30S"),
        // process 100, etiquette 0 (−1 clamped): 60 overall, but etiquette is below 60
        (0.6, false, "PT0H0M50S"),
        // process 75 (done, partly), etiquette 100 (not applicable left out): 85
        (0.85, true, "PT0H10M0S"),
    ]) {
        let stmts = statements_of(&c, r, &config());
        let verbs: Vec<&str> = stmts
            .iter()
            .rev()
            .take(3)
            .map(|s| s["verb"]["id"].as_str().unwrap())
            .collect();
        let outcome = if passed {
            xapi::verbs::PASSED
        } else {
            xapi::verbs::FAILED
        };
        assert_eq!(
            verbs,
            [outcome, xapi::verbs::SCORED, xapi::verbs::COMPLETED],
            "{}",
            r.kind()
        );
        let last = stmts.last().unwrap();
        assert_eq!(last["result"]["score"]["scaled"], scaled, "{}", r.kind());
        assert_eq!(last["result"]["success"], passed, "{}", r.kind());
        assert_eq!(last["result"]["duration"], duration, "{}", r.kind());
        let criteria = &last["result"]["extensions"][format!("{ORG}/xapi/extensions/criteria")];
        for cs in &r.result().unwrap().criteria {
            assert_eq!(criteria[&cs.criterion], json!(cs.percent), "{}", r.kind());
        }
        assert_eq!(
            last["timestamp"],
            r.finished_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        );
    }
}

#[test]
fn role_play_decisions_and_checklist_marks_are_choice_interactions() {
    let c = course();
    let rs = records(&c);
    let run = statements_of(&c, &rs[1], &config());
    assert_eq!(run.len(), 3 + 3);
    let ring = &run[0];
    assert_eq!(ring["verb"]["id"], xapi::verbs::RESPONDED);
    assert_eq!(ring["object"]["id"], format!("{ORG}/xapi/scenario/sc/node/ring"));
    assert_eq!(ring["object"]["definition"]["interactionType"], "choice");
    let ids: Vec<&str> = ring["object"]["definition"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "timeout"], "a timed node offers the timeout");
    assert_eq!(ring["result"]["response"], "a");
    assert_eq!(
        ring["result"]["extensions"][format!("{ORG}/xapi/extensions/points")],
        json!({ "process": 2 })
    );
    assert_eq!(
        ring["timestamp"], "2026-11-23T08:00:04.000Z",
        "decisions are stamped when made"
    );
    let last = run.last().unwrap();
    assert_eq!(
        last["result"]["extensions"][format!("{ORG}/xapi/extensions/ending")],
        "good"
    );
    assert_eq!(
        last["object"]["definition"]["type"],
        "http://adlnet.gov/expapi/activities/simulation"
    );

    let obs = statements_of(&c, &rs[2], &config());
    assert_eq!(obs.len(), 4 + 3);
    let mark = |item: &str| {
        obs.iter()
            .find(|s| s["object"]["id"] == format!("{ORG}/xapi/checklist/cl/item/{item}"))
            .unwrap()
    };
    assert_eq!(
        mark("rings")["result"],
        json!({ "response": "done", "completion": true, "success": true, "score": { "scaled": 1.0 } })
    );
    assert_eq!(mark("repeat")["result"]["score"]["scaled"], 0.5);
    assert_eq!(
        mark("repeat")["result"]["success"],
        false,
        "partly done is not a success"
    );
    assert!(
        mark("hangup")["result"].get("score").is_none(),
        "not applicable is not scored"
    );
    assert_eq!(
        mark("rings")["object"]["definition"]["correctResponsesPattern"],
        json!(["done"])
    );
    assert_eq!(
        mark("rings")["object"]["definition"]["name"]["en-US"],
        "Answers within three rings"
    );
    let text = serde_json::to_string(&obs).unwrap();
    assert!(!text.contains("只说了公司名"), "observer notes are not sent");
    let mut missed = rs[2].clone();
    if let Body::Observation(o) = &mut missed.body {
        o.marks.insert("repeat".into(), Mark::Missed);
    }
    let repeat = &statements_of(&c, &missed, &config())[2];
    assert_eq!(repeat["object"]["id"], format!("{ORG}/xapi/checklist/cl/item/repeat"));
    assert_eq!(
        repeat["result"],
        json!({ "response": "missed", "completion": true, "success": false, "score": { "scaled": 0.0 } })
    );
}

#[test]
fn attempts_are_rebuilt_from_statements_in_any_order_once_each() {
    let c = course();
    let rs = records(&c);
    let mut pulled: Vec<Value> = rs.iter().flat_map(|r| statements_of(&c, r, &config())).collect();
    let originals = pulled.clone();
    pulled.reverse(); // an LRS returns the newest first
    pulled.extend(originals.iter().take(4).cloned()); // a merged pull with duplicates
    // Another platform's statement, and one of ours voided in the LRS.
    let mut foreign = originals[0].clone();
    foreign["id"] = json!("00000000-0000-4000-8000-000000000001");
    foreign["context"]["platform"] = json!("Other LMS");
    foreign["context"]["registration"] = json!("00000000-0000-4000-8000-000000000002");
    pulled.push(foreign);
    let mut extra = originals[1].clone();
    extra["id"] = json!("00000000-0000-4000-8000-000000000003");
    pulled.push(extra);
    pulled.push(json!({
        "id": "00000000-0000-4000-8000-000000000004",
        "verb": { "id": "http://adlnet.gov/expapi/verbs/voided" },
        "object": { "objectType": "StatementRef", "id": "00000000-0000-4000-8000-000000000003" },
    }));
    let summaries = xapi::summaries_from_statements(&pulled);
    assert_eq!(summaries.len(), 3);
    // By finish time: the role-play (08:00:50), the quiz (08:06:30), the observation (08:10).
    let kinds: Vec<ActivityKind> = summaries.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [ActivityKind::Scenario, ActivityKind::Quiz, ActivityKind::Checklist]
    );
    let quiz = &summaries[1];
    let Body::Quiz(a) = &rs[0].body else { unreachable!() };
    assert_eq!(quiz.registration, xapi::registration(&rs[0]));
    assert_eq!(quiz.record.as_deref(), Some(rs[0].id.as_str()));
    assert_eq!(quiz.trainee, TRAINEE);
    assert_eq!((quiz.kind, quiz.activity.as_str()), (ActivityKind::Quiz, "quiz"));
    assert_eq!(quiz.scaled, Some(0.667));
    assert_eq!(quiz.passed, Some(a.passed));
    assert_eq!(quiz.finished_at, Some(rs[0].finished_at));
    assert_eq!(quiz.criteria.get("process"), Some(&a.result.criteria[0].percent));
    assert_eq!(quiz.criteria.get("etiquette"), Some(&None));
    // Enough for item analysis: every response, once, with the app's picks and its score.
    let mut got: Vec<(String, Vec<String>, f64)> = quiz
        .responses
        .iter()
        .map(|x| (x.item.clone(), x.picked.clone(), x.score.unwrap()))
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    let mut want: Vec<(String, Vec<String>, f64)> = a
        .responses
        .iter()
        .map(|x| {
            let picked = if x.question == "k-numeric" {
                vec!["3".to_string()]
            } else {
                x.picked.clone()
            };
            (x.question.clone(), picked, x.score)
        })
        .collect();
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got, want);
    assert!(quiz.responses.iter().all(|x| x.interaction.is_some()));
    let matching = quiz.responses.iter().find(|x| x.item == "k-matching").unwrap();
    assert_eq!(matching.response, "p1[.]p1[,]p2[.]p2");
    assert_eq!(matching.success, Some(true));

    let run = &summaries[0];
    assert_eq!((run.kind, run.activity.as_str()), (ActivityKind::Scenario, "sc"));
    assert_eq!(run.responses.len(), 3);
    let obs = &summaries[2];
    assert_eq!((obs.kind, obs.activity.as_str()), (ActivityKind::Checklist, "cl"));
    assert_eq!(obs.passed, Some(true));
    assert_eq!(obs.responses.len(), 4);
    let intro = obs.responses.iter().find(|x| x.item == "intro").unwrap();
    assert_eq!((intro.response.as_str(), intro.score), ("done", Some(1.0)));
    let hangup = obs.responses.iter().find(|x| x.item == "hangup").unwrap();
    assert_eq!(
        (hangup.picked.clone(), hangup.score, hangup.success),
        (vec!["not_applicable".to_string()], None, None)
    );

    // Ids made for another organisation read back the same way.
    let elsewhere = XapiConfig::new("http://lrs.internal:8080/org/xapi/a", Identify::Opaque, false).unwrap();
    let s2: Vec<Value> = rs.iter().flat_map(|r| statements_of(&c, r, &elsewhere)).collect();
    let again = xapi::summaries_from_statements(&s2);
    assert_eq!(again.len(), 3);
    assert_eq!(again[1].responses.len(), 7);
    assert_eq!(again[1].activity, "quiz");
}

#[test]
fn ids_with_reserved_characters_are_encoded_in_activity_iris_and_read_back() {
    let c = course();
    let mut r = records(&c)[0].clone();
    if let Body::Quiz(a) = &mut r.body {
        a.quiz = "quiz/2 季度?#".into();
        a.responses[0].question = "题 1/a".into();
    }
    let stmts = xapi::statements(&r, None, &NoContent, &config());
    assert_eq!(
        stmts.last().unwrap()["object"]["id"],
        format!("{ORG}/xapi/quiz/quiz%2F2%20%E5%AD%A3%E5%BA%A6%3F%23")
    );
    let s = xapi::summaries_from_statements(&stmts);
    assert_eq!(s[0].activity, "quiz/2 季度?#");
    assert_eq!(s[0].responses[0].item, "题 1/a");
}

#[test]
fn an_organisation_iri_must_be_an_absolute_http_address_without_query_or_fragment() {
    assert_eq!(
        XapiConfig::new("https://training.example.com/lixun/", Identify::Opaque, false)
            .unwrap()
            .org_iri(),
        ORG
    );
    assert_eq!(
        XapiConfig::new("training.example.com", Identify::Opaque, false),
        Err(IriError::NotHttp)
    );
    assert_eq!(
        XapiConfig::new("https://training.example.com/?x", Identify::Opaque, false),
        Err(IriError::QueryOrFragment)
    );
    assert_eq!(
        XapiConfig::new("/lixun", Identify::Opaque, false),
        Err(IriError::NotHttp)
    );
    assert_eq!(
        XapiConfig::new("https://a:b@training.example.com", Identify::Opaque, false),
        Err(IriError::Credentials)
    );
}

#[test]
fn erasures_give_no_statements() {
    let mut head = ChainHead::new(DEVICE);
    let r = head.append(
        TRAINEE,
        "fixture-1",
        t0(),
        t0(),
        "erasure-1".into(),
        Body::Erasure {
            trainee: TRAINEE.into(),
            removed: vec![Removed {
                id: "x".into(),
                device: DEVICE.into(),
                seq: 1,
                hash: "h".into(),
                prev_hash: String::new(),
            }],
        },
    );
    assert!(xapi::statements(&r, None, &NoContent, &config()).is_empty());
    assert!(xapi::statement_ids(&r).is_empty());
}
