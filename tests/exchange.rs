//! Export and import: the CSV escaping table (formula injection, quotes, newlines, Chinese),
//! xAPI statements against the xAPI 1.0.3 required fields, merge idempotence and
//! commutativity, conflicts and trainee matching, and every malformed-file error; imports
//! checked like stored data (decode path, dates, numbers, counts, names), never writing into
//! this device's chain, and matches by employee id or name only proposed.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use chrono::{Duration, TimeZone, Utc};
use lixun::domain::exchange::{
    self, ImportError, Item, Limit, Merged, Proposal, ProposalReason, ResultsBundle, TraineeMatch,
};
use lixun::domain::profiles::{Profile, Profiles};
use lixun::domain::store::{Body, ChainHead, Record};
use lixun::domain::xapi::{Identify, NoContent, XapiConfig};

/// This device, in merge calls. The records of `dev-a` are this device's in the tests that
/// say so; elsewhere `dev-a` is just another tablet.
const HERE: &str = "dev-here";

fn template() -> Record {
    let raw =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/records/v2-record.json"))
            .unwrap();
    Record::decode(&raw).unwrap()
}

fn profile(id: &str, name: &str, employee: Option<&str>) -> Profile {
    Profile {
        id: id.into(),
        name: name.into(),
        employee_id: employee.map(String::from),
        colour: 0,
        archived: false,
        created_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        aliases: vec![],
        merged: Vec::new(),
    }
}

/// `n` records of `trainee` on `device`, chained.
fn records(device: &str, trainee: &str, n: usize) -> Vec<Record> {
    let t = template();
    let mut head = ChainHead::new(device);
    let t0 = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
    (0..n)
        .map(|i| {
            let at = t0 + Duration::minutes(i as i64);
            let mut body = t.body.clone();
            if let Body::Quiz(a) = &mut body {
                a.id = format!("{device}-{i}");
            }
            head.append(
                trainee,
                "v",
                at,
                at + Duration::seconds(390),
                format!("{device}-{i}"),
                body,
            )
        })
        .collect()
}

fn bundle(device: &str, trainees: Vec<Profile>, records: Vec<Record>) -> ResultsBundle {
    let profiles = Profiles { list: trainees };
    ResultsBundle::new(
        device,
        "2026.11.1",
        Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap(),
        &profiles,
        &records,
    )
}

#[test]
fn csv_cells_are_neutralised_against_formula_injection() {
    let table = [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+86 138", "'+86 138"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("王芳", "王芳"),
        ("a=b", "a=b"),
        ("", ""),
    ];
    for (input, expected) in table {
        assert_eq!(exchange::neutralise(input), expected, "{input:?}");
    }
}

#[test]
fn the_attempts_csv_has_a_bom_quotes_what_needs_quoting_and_one_column_per_criterion() {
    let rs = records("dev-a", "t1", 1);
    let profiles = Profiles {
        list: vec![profile("t1", "=王芳, \"组长\"\n二线", Some("E-1"))],
    };
    let criteria: Vec<String> = [
        "process",
        "etiquette",
        "efficiency",
        "satisfaction",
        "quality",
        "security",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let csv = exchange::attempts_csv(&rs, &profiles, &criteria);
    assert!(csv.starts_with('\u{feff}'), "UTF-8 BOM for spreadsheet programs");
    let body = csv.trim_start_matches('\u{feff}');
    let mut lines = body.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "record_id,trainee_id,trainee,employee_id,device,kind,item,started_at,finished_at,rubric,weighted_total,passed,process,etiquette,efficiency,satisfaction,quality,security"
    );
    // The name: neutralised (leading '), quoted (comma, quote doubled, newline kept inside).
    assert!(body.contains("\"'=王芳, \"\"组长\"\"\n二线\""), "{body}");
    assert!(body.contains(",56.7,false,50.0,,100.0,,0.0,"), "{body}");
    let responses = exchange::responses_csv(&rs, &profiles);
    assert!(responses.contains("cs-phone-rings,b,1"));
    // Every row names the trainee by id too, so two people of one name stay apart.
    assert_eq!(responses.matches("dev-a-0,t1,").count(), 2, "{responses}");
}

#[test]
fn xapi_statements_have_the_required_fields_and_no_names_unless_asked() {
    let rs = records("dev-a", "t1", 1);
    let profiles = Profiles {
        list: vec![profile("t1", "王芳", None)],
    };
    let config = XapiConfig::new("https://training.example.com/lixun", Identify::Opaque, false).unwrap();
    let stmts = exchange::xapi(&rs, &profiles, &config, &NoContent);
    let list = stmts.as_array().unwrap();
    // Two answered (one per response), then completed, scored and failed.
    let verbs: Vec<&str> = list
        .iter()
        .map(|s| s["verb"]["id"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(verbs, vec!["answered", "answered", "completed", "scored", "failed"]);
    let iri = |v: &serde_json::Value| {
        v.as_str()
            .is_some_and(|s| s.starts_with("http://") || s.starts_with("https://"))
    };
    for s in list {
        // xAPI 1.0.3 §2.2: actor, verb and object are required; id a UUID; timestamp ISO 8601.
        let id = s["id"].as_str().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(
            id.as_bytes()[14],
            b'5',
            "version-5 layout UUID (SHA-256, see domain::xapi)"
        );
        assert_eq!(s["actor"]["objectType"], "Agent");
        assert!(iri(&s["actor"]["account"]["homePage"]) && s["actor"]["account"]["name"] == "t1");
        assert!(
            s["actor"].get("name").is_none(),
            "no personal data unless the trainer chooses"
        );
        assert!(iri(&s["verb"]["id"]) && s["verb"]["display"]["en-US"].is_string());
        assert!(iri(&s["object"]["id"]));
        assert!(chrono::DateTime::parse_from_rfc3339(s["timestamp"].as_str().unwrap()).is_ok());
        assert_eq!(s["version"], "1.0.3");
        let scaled = s["result"]["score"]["scaled"].as_f64().unwrap();
        assert_eq!(s["context"]["platform"], "Lixun");
        assert!((-1.0..=1.0).contains(&scaled));
        for key in s["context"]["extensions"].as_object().unwrap().keys() {
            assert!(
                key.starts_with("https://training.example.com/lixun/xapi/extensions/"),
                "extension keys are the organisation's IRIs: {key}"
            );
        }
    }
    let completed = &list[2];
    assert_eq!(completed["result"]["score"]["scaled"], 0.567);
    assert_eq!(completed["result"]["success"], false);
    assert_eq!(completed["result"]["duration"], "PT0H6M30S");
    let criteria = &completed["result"]["extensions"]["https://training.example.com/lixun/xapi/extensions/criteria"];
    assert_eq!(criteria["process"], 50.0);
    assert!(criteria["etiquette"].is_null());
    // Same export twice: same statement ids.
    assert_eq!(exchange::xapi(&rs, &profiles, &config, &NoContent), stmts);
    let named = XapiConfig::new("https://training.example.com/lixun", Identify::Opaque, true).unwrap();
    assert_eq!(
        exchange::xapi(&rs, &profiles, &named, &NoContent)[0]["actor"]["name"],
        "王芳"
    );
}

#[test]
fn importing_the_same_bundle_twice_changes_nothing_the_second_time() {
    let local = Merged {
        profiles: Profiles {
            list: vec![profile("t1", "王芳", Some("E-1"))],
        },
        records: records("dev-a", "t1", 3),
        ..Merged::default()
    };
    let b = bundle("dev-b", vec![profile("t9", "李明", None)], records("dev-b", "t9", 4));
    let (once, r1) = exchange::merge(&local, &b, HERE);
    assert_eq!((r1.added, r1.duplicates, r1.conflicts.len()), (4, 0, 0));
    assert_eq!(
        r1.trainees,
        vec![TraineeMatch::New {
            id: "t9".into(),
            name: "李明".into()
        }]
    );
    assert!(r1.chain_issues.is_empty());
    let (twice, r2) = exchange::merge(&once, &b, HERE);
    assert_eq!(twice, once);
    assert_eq!((r2.added, r2.duplicates), (0, 4));
    // Nothing on the device is lost.
    assert!(local.records.iter().all(|r| twice.records.contains(r)));
}

#[test]
fn merging_a_then_b_equals_b_then_a() {
    let local = Merged {
        profiles: Profiles::default(),
        records: records("dev-a", "t1", 2),
        ..Merged::default()
    };
    let a = bundle("dev-b", vec![profile("t2", "甲", None)], records("dev-b", "t2", 3));
    let b = bundle("dev-c", vec![profile("t3", "乙", None)], records("dev-c", "t3", 2));
    let (ab, _) = exchange::merge(&exchange::merge(&local, &a, HERE).0, &b, HERE);
    let (ba, _) = exchange::merge(&exchange::merge(&local, &b, HERE).0, &a, HERE);
    assert_eq!(ab, ba);
    assert_eq!(ab.records.len(), 7);
}

/// Changed: an employee-id match used to merge the imported trainee into the local one
/// silently (as an alias). It is now a proposal; the imported trainee is added as their own
/// profile until the trainer confirms.
#[test]
fn an_employee_id_match_is_a_proposal_and_conflicting_records_are_kept_aside() {
    let local = Merged {
        profiles: Profiles {
            list: vec![profile("t1", "王芳", Some("E-1"))],
        },
        records: records("dev-a", "t1", 1),
        ..Merged::default()
    };
    let mut theirs = records("dev-a", "t1", 1);
    if let Body::Quiz(q) = &mut theirs[0].body {
        q.correct = 99;
    }
    theirs[0].hash = theirs[0].compute_hash();
    let mut recs = records("dev-b", "x7", 1);
    recs.push(theirs[0].clone());
    let b = bundle("dev-b", vec![profile("x7", "王芳 (平板B)", Some("e-1"))], recs);
    let (merged, report) = exchange::merge(&local, &b, HERE);
    assert_eq!(
        report.trainees,
        vec![TraineeMatch::New {
            id: "x7".into(),
            name: "王芳 (平板B)".into()
        }]
    );
    assert_eq!(
        report.proposals,
        vec![Proposal {
            incoming: "x7".into(),
            local: "t1".into(),
            reason: ProposalReason::SameEmployeeId { names_differ: true }
        }]
    );
    assert_eq!(
        merged.profiles.owner("x7").map(|p| p.id.as_str()),
        Some("x7"),
        "not merged until the trainer confirms"
    );
    assert_eq!(
        report.conflicts.len(),
        1,
        "a different record under a known UUID is kept aside"
    );
    assert_eq!(merged.conflicts, report.conflicts);
    // The trainer confirms: x7's records become t1's.
    let mut ps = merged.profiles.clone();
    exchange::confirm_proposal(&mut ps, "x7", "t1").unwrap();
    assert_eq!(ps.owner("x7").map(|p| p.id.as_str()), Some("t1"));
    assert_eq!(
        exchange::confirm_proposal(&mut ps, "x7", "t1"),
        Err(exchange::ConfirmError::UnknownTrainee("x7".into()))
    );
    // Regression: a copy edited without updating its hash is a conflict, not a duplicate.
    let mut sneaky = local.records[0].clone();
    if let Body::Quiz(q) = &mut sneaky.body {
        q.correct = 42;
    }
    let (_, r2) = exchange::merge(&local, &bundle("dev-c", vec![], vec![sneaky]), HERE);
    assert_eq!((r2.duplicates, r2.conflicts.len()), (0, 1));
    assert_eq!(merged.records.iter().filter(|r| r.id == "dev-a-0").count(), 1);
    assert_eq!(
        merged.records.iter().find(|r| r.id == "dev-a-0"),
        local.records.first(),
        "the device's own copy stays"
    );
}

#[test]
fn the_same_name_without_an_employee_id_is_only_a_proposal_too() {
    let local = Merged {
        profiles: Profiles {
            list: vec![profile("t1", "Li  Ming", None)],
        },
        ..Merged::default()
    };
    let b = bundle("dev-b", vec![profile("x1", "li ming", None)], records("dev-b", "x1", 1));
    let (merged, report) = exchange::merge(&local, &b, HERE);
    assert_eq!(
        report.proposals,
        vec![Proposal {
            incoming: "x1".into(),
            local: "t1".into(),
            reason: ProposalReason::SameName
        }]
    );
    assert_eq!(merged.profiles.list.len(), 2);
}

#[test]
fn an_imported_alias_never_takes_a_trainee_of_this_device() {
    let local = Merged {
        profiles: Profiles {
            list: vec![profile("t1", "王芳", None)],
        },
        records: records("dev-a", "t1", 1),
        ..Merged::default()
    };
    let thief = Profile {
        aliases: vec!["t1".into(), "old-x".into()],
        merged: Vec::new(),
        ..profile("x9", "Mallory", None)
    };
    let (merged, report) = exchange::merge(&local, &bundle("dev-b", vec![thief], vec![]), HERE);
    assert_eq!(merged.profiles.owner("t1").map(|p| p.id.as_str()), Some("t1"));
    assert_eq!(merged.profiles.get("x9").unwrap().aliases, vec!["old-x".to_string()]);
    assert_eq!(
        report.dropped_aliases,
        vec![exchange::DroppedAlias {
            trainee: "x9".into(),
            alias: "t1".into()
        }]
    );
}

#[test]
fn a_forged_record_linking_to_this_devices_last_record_does_not_join_its_chain() {
    let mine = records(HERE, "t1", 3);
    let local = Merged {
        profiles: Profiles {
            list: vec![profile("t1", "王芳", None)],
        },
        records: mine.clone(),
        ..Merged::default()
    };
    // A well-formed next link of this device's chain, made elsewhere.
    let mut head = ChainHead::of(HERE, &mine);
    let t = Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap();
    let forged = head.append("t1", "v", t, t, "forged".into(), template().body);
    assert_eq!(forged.prev_hash, mine[2].hash);
    let mut recs = mine.clone();
    recs.push(forged.clone());
    let (merged, report) = exchange::merge(&local, &bundle("dev-b", vec![], recs), HERE);
    assert!(!merged.records.contains(&forged), "it is not merged");
    assert_eq!(
        ChainHead::of(HERE, &merged.records).seq,
        3,
        "the chain still ends at #3"
    );
    assert_eq!(
        report.own_device,
        vec![forged.clone()],
        "reported as a claim of this device"
    );
    assert_eq!((report.added, report.duplicates), (0, 3));
    assert!(report.conflicts.is_empty());
    assert_eq!(merged.conflicts, vec![forged], "kept aside");
    assert!(lixun::domain::store::verify(&merged.records).is_empty());
    // Importing it again reports nothing new.
    let (again, r2) = exchange::merge(
        &merged,
        &bundle("dev-b", vec![], vec![report.own_device[0].clone()]),
        HERE,
    );
    assert_eq!(again, merged);
    assert_eq!((r2.own_device.len(), r2.already_kept_aside), (0, 1));
}

#[test]
fn reimporting_the_same_conflicting_record_adds_no_second_conflict() {
    let local = Merged {
        records: records("dev-a", "t1", 2),
        ..Merged::default()
    };
    let mut theirs = local.records[1].clone();
    theirs.content_version = "edited".into();
    let b = bundle("dev-c", vec![], vec![theirs]);
    let (once, r1) = exchange::merge(&local, &b, HERE);
    assert_eq!((r1.conflicts.len(), once.conflicts.len()), (1, 1));
    let (twice, r2) = exchange::merge(&once, &b, HERE);
    assert_eq!((r2.conflicts.len(), r2.already_kept_aside), (0, 1));
    assert_eq!(twice, once);
}

#[test]
fn chain_problems_of_one_file_are_not_repeated_for_the_next() {
    let mut broken = records("dev-b", "t2", 3);
    broken.remove(1);
    let (after_b, rb) = exchange::merge(&Merged::default(), &bundle("dev-b", vec![], broken), HERE);
    assert_eq!(rb.chain_issues.len(), 1);
    let (_, rc) = exchange::merge(&after_b, &bundle("dev-c", vec![], records("dev-c", "t3", 2)), HERE);
    assert!(rc.chain_issues.is_empty(), "{:?}", rc.chain_issues);
}

#[test]
fn a_broken_chain_in_a_bundle_is_reported_not_hidden() {
    let mut recs = records("dev-b", "t2", 3);
    recs.remove(1);
    let b = bundle("dev-b", vec![profile("t2", "甲", None)], recs);
    let (_, report) = exchange::merge(&Merged::default(), &b, HERE);
    assert_eq!(report.chain_issues.len(), 1);
    assert!(report.chain_issues[0].to_string().contains("#2 is missing"));
}

#[test]
fn every_malformed_file_gets_its_own_error() {
    let good = bundle(
        "dev-b",
        vec![profile("t2", "<script>alert(1)</script>", None)],
        records("dev-b", "t2", 2),
    )
    .to_json();
    let parsed = exchange::parse(good.as_bytes()).expect("a good bundle parses");
    assert_eq!(
        parsed.trainees[0].name, "<script>alert(1)</script>",
        "names are kept as text (the page shows them escaped)"
    );
    assert_eq!(
        exchange::parse(&vec![b' '; exchange::MAX_BYTES + 1]),
        Err(ImportError::TooLarge(exchange::MAX_BYTES as u64 + 1))
    );
    assert_eq!(exchange::parse(&[0xff, 0xfe, 0x00]), Err(ImportError::NotUtf8));
    assert!(matches!(
        exchange::parse(b"{\"format\": \"lixun-results\","),
        Err(ImportError::NotJson { .. })
    ));
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    assert_eq!(exchange::parse(deep.as_bytes()), Err(ImportError::TooDeep));
    assert_eq!(exchange::parse(b"{\"hello\":1}"), Err(ImportError::NotABundle));
    assert_eq!(
        exchange::parse(
            good.replacen("\"schema_version\": 2", "\"schema_version\": 3", 1)
                .as_bytes()
        ),
        Err(ImportError::FutureVersion(3))
    );
    assert_eq!(
        exchange::parse(
            good.replacen("\"schema_version\": 2", "\"schema_version\": 1", 1)
                .as_bytes()
        ),
        Err(ImportError::UnknownVersion(1))
    );
    let dup = good.replace("dev-b-1", "dev-b-0");
    assert_eq!(
        exchange::parse(dup.as_bytes()),
        Err(ImportError::DuplicateId("dev-b-0".into()))
    );
    let negative = good.replacen("\"total\": 56.7", "\"total\": -5.0", 1);
    assert!(
        matches!(
            exchange::parse(negative.as_bytes()),
            Err(ImportError::NumberOutOfRange { field: "total", .. })
        ),
        "negative total"
    );
    let over = good.replacen("\"percent\": 100.0", "\"percent\": 180.0", 1);
    assert!(
        matches!(
            exchange::parse(over.as_bytes()),
            Err(ImportError::NumberOutOfRange { field: "percent", .. })
        ),
        "score over 100"
    );
    // Every error reads as a sentence for the import report.
    assert!(ImportError::TooLarge(1).to_string().contains("20 MB"));
}

#[test]
fn dashboard_filters_and_weekly_totals() {
    use lixun::domain::analysis::{self, Filter};
    let course = lixun::load_content_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .unwrap()
        .course;
    let mut rs = records("dev-a", "t1", 3);
    rs.extend(records("dev-b", "t2", 2));
    // Spread them over two weeks: Mon 2026-11-23 and Mon 2026-11-30.
    rs[3].finished_at = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let profiles = Profiles {
        list: vec![Profile {
            aliases: vec!["t2".into()],
            merged: Vec::new(),
            ..profile("t1", "王芳", None)
        }],
    };
    let day = |t: chrono::DateTime<Utc>| t.date_naive();
    let keep = |f: &Filter| rs.iter().filter(|r| f.keeps(r, &course, &profiles, &day)).count();
    assert_eq!(keep(&Filter::default()), 5);
    assert_eq!(
        keep(&Filter {
            trainee: Some("t1".into()),
            ..Filter::default()
        }),
        5,
        "t2 is an alias of t1"
    );
    assert_eq!(
        keep(&Filter {
            device: Some("dev-b".into()),
            ..Filter::default()
        }),
        2
    );
    // The fixture quiz `communication-standards-check` belongs to the core track only.
    assert_eq!(
        keep(&Filter {
            track: Some("core".into()),
            ..Filter::default()
        }),
        5
    );
    assert_eq!(
        keep(&Filter {
            track: Some("logistics".into()),
            ..Filter::default()
        }),
        0
    );
    let from = chrono::NaiveDate::from_ymd_opt(2026, 11, 24);
    assert_eq!(
        keep(&Filter {
            from,
            ..Filter::default()
        }),
        1
    );
    let weeks = analysis::weekly_totals(&rs, &day);
    assert_eq!(weeks.len(), 2);
    assert_eq!((weeks[0].0.to_string(), weeks[0].2), ("2026-11-23".to_string(), 4));
    assert_eq!(
        (weeks[1].0.to_string(), weeks[1].1, weeks[1].2),
        ("2026-11-30".to_string(), 56.7, 1)
    );
    let per = analysis::weekly_criteria(&rs, &day);
    assert_eq!(per.len(), 2);
    // The fixture's process is 50% in every record; etiquette is never assessed.
    assert_eq!(per[0].1.rows[0], ("process".to_string(), Some(50.0), 4));
    assert_eq!(per[1].1.rows[1], ("etiquette".to_string(), None, 0));
}

/// A good bundle as JSON, to edit.
fn good_json() -> serde_json::Value {
    let b = bundle(
        "dev-b",
        vec![profile("t2", "甲", Some("E-2"))],
        records("dev-b", "t2", 2),
    );
    serde_json::from_str(&b.to_json()).unwrap()
}

fn parse_value(v: &serde_json::Value) -> Result<ResultsBundle, ImportError> {
    exchange::parse(v.to_string().as_bytes())
}

#[test]
fn schema_zero_and_one_records_are_refused_at_import() {
    for version in [0, 1] {
        let mut v = good_json();
        v["records"][1]["schema_version"] = version.into();
        assert_eq!(
            parse_value(&v),
            Err(ImportError::RecordVersion {
                record: Item::Record("dev-b-1".into()),
                version
            })
        );
    }
    let mut v = good_json();
    v["records"][0]["schema_version"] = 3.into();
    assert!(matches!(
        parse_value(&v),
        Err(ImportError::RecordVersion { version: 3, .. })
    ));
    // What loading would quarantine, import refuses.
    let mut v = good_json();
    v["records"][0]["body"] = serde_json::json!({ "quiz": 7 });
    assert!(matches!(
        parse_value(&v),
        Err(ImportError::RecordUnreadable { record: 0, .. })
    ));
}

#[test]
fn valid_json_that_is_not_a_bundle_is_not_a_lixun_bundle_and_broken_json_is_not_json() {
    for text in [
        "[1, 2]",
        "\"lixun-results\"",
        "null",
        "{\"format\": 5}",
        "{\"format\": \"zip\"}",
    ] {
        assert_eq!(exchange::parse(text.as_bytes()), Err(ImportError::NotABundle), "{text}");
    }
    let mut v = good_json();
    v["records"] = 5.into();
    assert_eq!(parse_value(&v), Err(ImportError::NotABundle));
    assert_eq!(
        exchange::parse(b"{\"format\": "),
        Err(ImportError::NotJson { line: 1, column: 11 })
    );
    assert_eq!(ImportError::NotABundle.to_string(), "not a Lixun bundle");
}

#[test]
fn dates_outside_the_sane_window_or_finishing_before_they_start_are_refused_naming_the_record() {
    let rec = |field: &'static str| ImportError::DateOutOfRange {
        item: Item::Record("dev-b-0".into()),
        field,
    };
    let cases: Vec<(&str, serde_json::Value, ImportError)> = vec![
        (
            "/records/0/started_at",
            "2019-12-31T23:59:59Z".into(),
            rec("started_at"),
        ),
        (
            "/records/0/finished_at",
            "2100-01-01T00:00:01Z".into(),
            rec("finished_at"),
        ),
        (
            "/records/0/finished_at",
            "+262142-01-01T00:00:00Z".into(),
            rec("finished_at"),
        ),
        (
            "/records/0/body/quiz/started_at",
            "1970-01-01T00:00:00Z".into(),
            rec("started_at"),
        ),
        (
            "/records/0/finished_at",
            "2026-11-23T07:00:00Z".into(),
            ImportError::FinishedBeforeStarted {
                record: "dev-b-0".into(),
            },
        ),
        (
            "/trainees/0/created_at",
            "2000-01-01T00:00:00Z".into(),
            ImportError::DateOutOfRange {
                item: Item::Trainee("t2".into()),
                field: "created_at",
            },
        ),
        (
            "/exported_at",
            "2101-01-01T00:00:00Z".into(),
            ImportError::DateOutOfRange {
                item: Item::Bundle,
                field: "exported_at",
            },
        ),
    ];
    for (path, value, expected) in cases {
        let mut v = good_json();
        *v.pointer_mut(path).unwrap() = value;
        assert_eq!(parse_value(&v), Err(expected), "{path}");
    }
    // The ends of the window are inside it.
    let mut v = good_json();
    v["records"][0]["started_at"] = "2020-01-01T00:00:00Z".into();
    v["records"][0]["body"]["quiz"]["finished_at"] = "2100-01-01T00:00:00Z".into();
    assert!(parse_value(&v).is_ok());
}

#[test]
fn analysis_does_not_panic_on_records_dated_at_the_ends_of_time() {
    use chrono::{Datelike, NaiveDate};
    use lixun::domain::analysis;
    let mut rs = records("dev-a", "t1", 4);
    rs[0].finished_at = Utc.with_ymd_and_hms(-262143, 1, 1, 0, 0, 0).unwrap();
    rs[1].finished_at = Utc.with_ymd_and_hms(262142, 12, 31, 23, 59, 59).unwrap();
    rs[2].finished_at = chrono::DateTime::<Utc>::MIN_UTC;
    rs[3].finished_at = chrono::DateTime::<Utc>::MAX_UTC;
    rs[3].started_at = chrono::DateTime::<Utc>::MIN_UTC;
    let day = |t: chrono::DateTime<Utc>| t.date_naive();
    let weeks = analysis::weekly_totals(&rs, &day);
    assert_eq!(weeks.iter().map(|w| w.2).sum::<usize>(), 4);
    assert_eq!(analysis::weekly_criteria(&rs, &day).len(), weeks.len());
    assert_eq!(analysis::monday_of(NaiveDate::MIN), NaiveDate::MIN);
    assert_eq!(analysis::monday_of(NaiveDate::MAX).weekday(), chrono::Weekday::Mon);
    // Durations and exports of such records do not panic either.
    let _ = exchange::duration(rs[3].started_at, rs[3].finished_at);
    let config = XapiConfig::new("https://training.example.com/lixun", Identify::Opaque, false).unwrap();
    let _ = exchange::xapi(&rs, &Profiles::default(), &config, &NoContent);
    let _ = exchange::attempts_csv(&rs, &Profiles::default(), &[]);
}

#[test]
fn imported_names_are_cleaned_and_names_with_nothing_visible_are_refused() {
    let mut v = good_json();
    v["trainees"][0]["name"] = " \u{202E}王\u{200B}芳\u{0007} ".into();
    v["trainees"][0]["employee_id"] = "E-2\u{2066}".into();
    let b = parse_value(&v).unwrap();
    assert_eq!(b.trainees[0].name, "王芳");
    assert_eq!(b.trainees[0].employee_id.as_deref(), Some("E-2"));
    use lixun::domain::text::TextError;
    for (name, problem) in [
        ("\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}".to_string(), TextError::Empty),
        ("x".repeat(61), TextError::TooLong { max: 60 }),
        ("x".repeat(10 * 1024 * 1024), TextError::TooLong { max: 60 }),
    ] {
        let mut v = good_json();
        v["trainees"][0]["name"] = name.into();
        assert_eq!(
            parse_value(&v),
            Err(ImportError::BadName {
                trainee: "t2".into(),
                problem
            })
        );
    }
    let mut v = good_json();
    v["trainees"][0]["employee_id"] = "9".repeat(33).into();
    assert!(matches!(parse_value(&v), Err(ImportError::BadEmployeeId { .. })));
    let mut v = good_json();
    v["trainees"][0]["id"] = "x".repeat(129).into();
    assert!(matches!(
        parse_value(&v),
        Err(ImportError::BadId {
            item: Item::TraineeNo(0),
            ..
        })
    ));
}

#[test]
fn scores_responses_and_counts_out_of_range_are_refused() {
    let criterion = |id: String| serde_json::json!({ "criterion": id, "printed_weight": 1.0, "normalised_weight": 0.0, "percent": 10.0 });
    let many: Vec<serde_json::Value> = (0..30_000).map(|i| criterion(format!("c{i}"))).collect();
    let mut v = good_json();
    v["records"][0]["body"]["quiz"]["result"]["criteria"] = many.into();
    assert_eq!(
        parse_value(&v),
        Err(ImportError::TooMany {
            item: Item::Record("dev-b-0".into()),
            limit: Limit::Criteria
        }),
        "30,000 criteria froze the dashboard"
    );
    let cases: Vec<(&str, serde_json::Value)> = vec![
        ("/records/0/body/quiz/responses/0/score", 1.5.into()),
        ("/records/0/body/quiz/responses/0/score", (-0.1).into()),
        ("/records/0/body/quiz/result/total", 1e308.into()),
        ("/records/0/body/quiz/result/criteria/0/normalised_weight", 2.0.into()),
        ("/records/0/body/quiz/result/criteria/0/printed_weight", (-1.0).into()),
    ];
    for (path, value) in cases {
        let mut v = good_json();
        *v.pointer_mut(path).unwrap() = value;
        assert!(
            matches!(parse_value(&v), Err(ImportError::NumberOutOfRange { .. })),
            "{path}"
        );
    }
    // -0 is a score of zero.
    let mut v = good_json();
    v["records"][0]["body"]["quiz"]["responses"][0]["score"] = serde_json::json!(-0.0);
    assert!(parse_value(&v).is_ok());
    // Integers too large for their field make the record unreadable.
    let mut v = good_json();
    v["records"][0]["seq"] = serde_json::json!(1e30);
    assert!(matches!(parse_value(&v), Err(ImportError::RecordUnreadable { .. })));
    let mut v = good_json();
    v["records"][0]["seq"] = serde_json::json!(u64::MAX);
    assert!(matches!(
        parse_value(&v),
        Err(ImportError::NumberOutOfRange { field: "seq", .. })
    ));
    let mut v = good_json();
    v["records"][0]["body"]["quiz"]["result"]["criteria"][1]["criterion"] = "process".into();
    assert!(matches!(parse_value(&v), Err(ImportError::DuplicateCriterion { .. })));
    let responses: Vec<serde_json::Value> = (0..1001)
        .map(|i| serde_json::json!({ "question": format!("q{i}"), "picked": [], "score": 0.0 }))
        .collect();
    let mut v = good_json();
    v["records"][0]["body"]["quiz"]["responses"] = responses.into();
    assert!(matches!(
        parse_value(&v),
        Err(ImportError::TooMany {
            limit: Limit::Responses,
            ..
        })
    ));
    let mut v = good_json();
    v["trainees"][0]["aliases"] = (0..101).map(|i| format!("a{i}")).collect::<Vec<_>>().into();
    assert!(matches!(
        parse_value(&v),
        Err(ImportError::TooMany {
            limit: Limit::Aliases,
            ..
        })
    ));
    let mut v = good_json();
    let t = v["trainees"][0].clone();
    v["trainees"] = (0..10_001)
        .map(|i| {
            let mut t = t.clone();
            t["id"] = format!("t{i}").into();
            t
        })
        .collect::<Vec<_>>()
        .into();
    assert_eq!(
        parse_value(&v),
        Err(ImportError::TooMany {
            item: Item::Bundle,
            limit: Limit::Trainees
        })
    );
    // An id with a bidi override in it.
    let mut v = good_json();
    v["records"][0]["id"] = "x\u{202E}".into();
    assert!(matches!(parse_value(&v), Err(ImportError::BadId { .. })));
}

#[test]
fn criteria_can_be_checked_against_the_course() {
    let b = parse_value(&good_json()).unwrap();
    let known: std::collections::BTreeSet<&str> = [
        "process",
        "etiquette",
        "efficiency",
        "satisfaction",
        "quality",
        "security",
    ]
    .into();
    assert_eq!(exchange::check_criteria(&b, &known), Ok(()));
    let fewer: std::collections::BTreeSet<&str> = ["process"].into();
    assert!(matches!(
        exchange::check_criteria(&b, &fewer),
        Err(ImportError::UnknownCriterion { .. })
    ));
}

#[test]
fn a_file_over_twenty_megabytes_is_refused_from_its_size_before_it_is_read() {
    assert_eq!(exchange::check_size(exchange::MAX_BYTES as u64), Ok(()));
    assert_eq!(
        exchange::check_size(exchange::MAX_BYTES as u64 + 1),
        Err(ImportError::TooLarge(exchange::MAX_BYTES as u64 + 1))
    );
    assert_eq!(exchange::check_size(u64::MAX), Err(ImportError::TooLarge(u64::MAX)));
}
