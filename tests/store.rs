//! The results store: migration of every past schema against golden fixtures, the hash chain
//! (an edited, deleted or re-linked record is detected; an erasure is not a gap), quarantine of
//! unreadable records, the two-tab revision rule, and a timing report for 10,000 records.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use lixun::domain::records::DecodeError;
use lixun::domain::store::{self, Body, ChainHead, ChainIssue, Record, Removed, WorkState};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/records")
            .join(name),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Version 1 (one progress document) → version 2 records, compared with the golden output.
/// Set `UPDATE_GOLDEN=1` to rewrite `v1-migrated.json` after a deliberate format change.
#[test]
fn schema_1_migrates_to_chained_records_matching_the_golden_file() {
    let mut head = ChainHead::new("device-1");
    let m = store::migrate_v1(&fixture("v1-progress.json"), "trainee-1", &mut head).expect("v1 migrates");
    assert_eq!(m.records.len(), 2);
    assert_eq!(m.records.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![1, 2]);
    assert!(
        m.records
            .iter()
            .all(|r| r.trainee == "trainee-1" && r.device == "device-1")
    );
    assert_eq!(m.state.revision, 14);
    let work = &m.state.trainees["trainee-1"];
    assert_eq!(work.lessons_done.len(), 2);
    assert!(
        work.in_progress.contains_key("reception-basics-check"),
        "the attempt in progress survives the migration"
    );
    assert!(store::verify(&m.records).is_empty());
    let golden_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/records/v1-migrated.json");
    let got = serde_json::to_string_pretty(&m.records).unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden_path, &got).unwrap();
    }
    assert_eq!(
        got,
        fixture("v1-migrated.json").trim_end(),
        "migrated records differ from the golden file"
    );
}

/// Regression: without serde_json's exact float parsing, 25/110 = 0.22727272727272727 read
/// back one ulp off, so every record reloaded from storage failed verification.
#[test]
fn a_record_verifies_after_a_round_trip_through_json() {
    let mut head = ChainHead::new("dev");
    let t = Record::decode(&fixture("v2-record.json")).unwrap();
    let mut body = t.body.clone();
    if let Body::Quiz(a) = &mut body {
        a.result.criteria[1].normalised_weight = 25.0 / 110.0;
        a.result.criteria[0].percent = Some(100.0 / 3.0);
    }
    let r = head.append("t", "v", t.started_at, t.finished_at, "x".into(), body);
    let back = Record::decode(&r.encode()).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.compute_hash(), r.hash);
    let pretty = serde_json::to_string_pretty(&r).unwrap();
    assert_eq!(serde_json::from_str::<Record>(&pretty).unwrap().compute_hash(), r.hash);
}

#[test]
fn a_version_2_record_fixture_reads_and_verifies() {
    let raw = fixture("v2-record.json");
    let r = Record::decode(&raw).expect("v2 record reads");
    assert_eq!(r.kind(), "quiz");
    assert_eq!(r.hash, r.compute_hash());
    assert!(store::verify(std::slice::from_ref(&r)).is_empty());
}

#[test]
fn unreadable_and_future_records_are_quarantined_and_the_rest_load() {
    let good = fixture("v2-record.json");
    let future = good.replacen("\"schema_version\": 2", "\"schema_version\": 9", 1);
    assert_ne!(future, good);
    let raw = vec![
        ("a".to_string(), good.as_str()),
        ("b".to_string(), "{\"schema_version\":2,\"id\":"),
        ("c".to_string(), future.as_str()),
    ];
    let (ok, bad) = store::load_records(raw);
    assert_eq!(ok.len(), 1);
    assert_eq!(bad.len(), 2);
    assert!(matches!(bad[0].2, DecodeError::Corrupt(_)));
    assert_eq!(bad[1].2, DecodeError::FromTheFuture(9));
    assert_eq!(
        bad[0].1, "{\"schema_version\":2,\"id\":",
        "the raw text is kept for export"
    );
}

fn chain(n: usize) -> Vec<Record> {
    let raw = fixture("v2-record.json");
    let template = Record::decode(&raw).unwrap();
    let mut head = ChainHead::new("dev");
    let t0 = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
    (0..n)
        .map(|i| {
            let at = t0 + Duration::minutes(i as i64);
            head.append(
                &format!("t{}", i % 7),
                "v",
                at,
                at,
                format!("r{i}"),
                template.body.clone(),
            )
        })
        .collect()
}

#[test]
fn an_edited_record_is_detected() {
    let mut rs = chain(5);
    if let Body::Quiz(a) = &mut rs[2].body {
        a.result.total = Some(100.0);
    }
    assert_eq!(
        store::verify(&rs),
        vec![ChainIssue::Edited {
            device: "dev".into(),
            seq: 3,
            id: "r2".into()
        }]
    );
    // Re-hashing the edited record does not hide it: the next record's link breaks.
    rs[2].hash = rs[2].compute_hash();
    assert_eq!(
        store::verify(&rs),
        vec![ChainIssue::BrokenLink {
            device: "dev".into(),
            seq: 4,
            id: "r3".into()
        }]
    );
}

#[test]
fn a_deleted_record_is_detected_unless_an_erasure_names_it() {
    let mut rs = chain(5);
    let gone = rs.remove(1);
    assert_eq!(
        store::verify(&rs),
        vec![ChainIssue::Missing {
            device: "dev".into(),
            from: 2,
            to: 2
        }]
    );
    let mut head = ChainHead::of("dev", &rs);
    let at = Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap();
    let erasure = head.append(
        "t1",
        "v",
        at,
        at,
        "erase-1".into(),
        Body::Erasure {
            trainee: "t1".into(),
            removed: vec![Removed {
                id: gone.id,
                device: gone.device,
                seq: gone.seq,
                hash: gone.hash,
                prev_hash: gone.prev_hash,
            }],
        },
    );
    rs.push(erasure);
    assert_eq!(store::verify(&rs), vec![]);
    // The last record deleted: nothing follows it, but the head in the next erasure shows it.
    let mut rs = chain(3);
    rs.pop();
    rs.push(ChainHead::of("dev", &chain(3)).append(
        "t",
        "v",
        at,
        at,
        "x".into(),
        Body::Erasure {
            trainee: "t".into(),
            removed: vec![],
        },
    ));
    assert_eq!(
        store::verify(&rs),
        vec![ChainIssue::Missing {
            device: "dev".into(),
            from: 3,
            to: 3
        }]
    );
}

#[test]
fn the_work_state_keeps_each_trainee_apart_and_absorb_returns_new_records() {
    let mut s = WorkState::default();
    let before = s.view("a", &[]);
    let mut after = before.clone();
    after.lessons_done.insert("m/l".into());
    let rec = chain(1).remove(0);
    if let Body::Quiz(q) = rec.body {
        after.attempts.push(q);
    }
    let new = s.absorb("a", &before, &after);
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].trainee, "a");
    assert!(
        s.view("b", &[]).lessons_done.is_empty(),
        "trainee b does not see a's lessons"
    );
    assert!(s.view("a", &[]).lessons_done.contains("m/l"));
    // Absorbing the same view again adds nothing.
    assert!(s.absorb("a", &after, &after).is_empty());
    assert_eq!(WorkState::decode(&s.encode()).unwrap(), s);
    assert_eq!(
        WorkState::decode("{\"schema_version\":3}"),
        Err(DecodeError::FromTheFuture(3))
    );
}

#[test]
fn a_second_tab_saving_makes_the_first_tabs_next_save_stale() {
    let stored = |writer: &str, revision| WorkState {
        writer: writer.into(),
        revision,
        ..WorkState::default()
    };
    // Tab A read revision 5 (last saved by an earlier session).
    assert!(!WorkState::is_stale(Some(&stored("old", 5)), "A", 5));
    assert!(!WorkState::is_stale(None, "A", 0));
    // A saved 6 and 7: its own saves never make it stale.
    assert!(!WorkState::is_stale(Some(&stored("A", 7)), "A", 5));
    // Tab B saved 8 since: A's next save is refused, and so is every later one until A reloads.
    assert!(WorkState::is_stale(Some(&stored("B", 8)), "A", 7));
}

/// Not a timing assertion: prints how long decoding, verifying and grouping 10,000 records
/// takes natively (the browser benchmark is in tests/e2e/).
#[test]
fn timing_report_for_10000_records() {
    let rs = chain(10_000);
    let raw: Vec<(String, String)> = rs.iter().map(|r| (r.id.clone(), r.encode())).collect();
    let t = Instant::now();
    let (ok, bad) = store::load_records(raw.iter().map(|(k, v)| (k.clone(), v.as_str())));
    let decode = t.elapsed();
    let t = Instant::now();
    let issues = store::verify(&ok);
    let verify = t.elapsed();
    assert_eq!((ok.len(), bad.len(), issues.len()), (10_000, 0, 0));
    println!("store: 10,000 records decoded in {decode:?}, chain verified in {verify:?} (native, test profile)");
    let t = Instant::now();
    let attempts: Vec<_> = ok
        .iter()
        .filter_map(|r| if let Body::Quiz(a) = &r.body { Some(a) } else { None })
        .collect();
    let stats = lixun::domain::analysis::items(attempts.iter().copied());
    let profile = lixun::domain::report::CriterionProfile::of(ok.iter().filter_map(|r| r.result()));
    let aggregate = t.elapsed();
    assert!(!stats.is_empty() && !profile.rows.is_empty());
    println!(
        "dashboard: item analysis and criterion profile of 10,000 attempts in {aggregate:?} (native, test profile)"
    );
}
