//! Export and import: the CSV escaping table (formula injection, quotes, newlines, Chinese),
//! xAPI statements against the xAPI 1.0.3 required fields, merge idempotence and
//! commutativity, conflicts and trainee matching, and every malformed-file error.

use std::path::Path;

use chrono::{Duration, TimeZone, Utc};
use lixun::domain::exchange::{self, ImportError, Merged, ResultsBundle, TraineeMatch};
use lixun::domain::profiles::{Profile, Profiles};
use lixun::domain::store::{Body, ChainHead, Record};

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
        "record_id,trainee,employee_id,device,kind,item,started_at,finished_at,rubric,weighted_total,passed,process,etiquette,efficiency,satisfaction,quality,security"
    );
    // The name: neutralised (leading '), quoted (comma, quote doubled, newline kept inside).
    assert!(body.contains("\"'=王芳, \"\"组长\"\"\n二线\""), "{body}");
    assert!(body.contains(",56.7,false,50.0,,100.0,,0.0,"), "{body}");
    let responses = exchange::responses_csv(&rs, &profiles);
    assert!(responses.contains("cs-phone-rings,b,1"));
}

#[test]
fn xapi_statements_have_the_required_fields_and_no_names_unless_asked() {
    let rs = records("dev-a", "t1", 1);
    let profiles = Profiles {
        list: vec![profile("t1", "王芳", None)],
    };
    let stmts = exchange::xapi(&rs, &profiles, false);
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
        assert_eq!(id.as_bytes()[14], b'5', "version-5 style UUID");
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
        assert!((-1.0..=1.0).contains(&scaled));
        for key in s["context"]["extensions"].as_object().unwrap().keys() {
            assert!(key.starts_with("https://"), "extension keys are IRIs: {key}");
        }
    }
    let completed = &list[2];
    assert_eq!(completed["result"]["score"]["scaled"], 0.567);
    assert_eq!(completed["result"]["success"], false);
    assert_eq!(completed["result"]["duration"], "PT0H6M30S");
    assert_eq!(
        completed["result"]["extensions"]["https://lixun.app/xapi/extensions/criteria"]["process"],
        50.0
    );
    assert!(completed["result"]["extensions"]["https://lixun.app/xapi/extensions/criteria"]["etiquette"].is_null());
    // Same export twice: same statement ids.
    assert_eq!(exchange::xapi(&rs, &profiles, false), stmts);
    assert_eq!(exchange::xapi(&rs, &profiles, true)[0]["actor"]["name"], "王芳");
}

#[test]
fn importing_the_same_bundle_twice_changes_nothing_the_second_time() {
    let local = Merged {
        profiles: Profiles {
            list: vec![profile("t1", "王芳", Some("E-1"))],
        },
        records: records("dev-a", "t1", 3),
    };
    let b = bundle("dev-b", vec![profile("t9", "李明", None)], records("dev-b", "t9", 4));
    let (once, r1) = exchange::merge(&local, &b);
    assert_eq!((r1.added, r1.duplicates, r1.conflicts.len()), (4, 0, 0));
    assert_eq!(
        r1.trainees,
        vec![TraineeMatch::New {
            id: "t9".into(),
            name: "李明".into()
        }]
    );
    assert!(r1.chain_issues.is_empty());
    let (twice, r2) = exchange::merge(&once, &b);
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
    };
    let a = bundle("dev-b", vec![profile("t2", "甲", None)], records("dev-b", "t2", 3));
    let b = bundle("dev-c", vec![profile("t3", "乙", None)], records("dev-c", "t3", 2));
    let (ab, _) = exchange::merge(&exchange::merge(&local, &a).0, &b);
    let (ba, _) = exchange::merge(&exchange::merge(&local, &b).0, &a);
    assert_eq!(ab, ba);
    assert_eq!(ab.records.len(), 7);
}

#[test]
fn trainees_match_by_employee_id_and_conflicting_records_are_kept_aside() {
    let local = Merged {
        profiles: Profiles {
            list: vec![profile("t1", "王芳", Some("E-1"))],
        },
        records: records("dev-a", "t1", 1),
    };
    let mut theirs = records("dev-a", "t1", 1);
    if let Body::Quiz(q) = &mut theirs[0].body {
        q.correct = 99;
    }
    theirs[0].hash = theirs[0].compute_hash();
    let mut recs = records("dev-b", "x7", 1);
    recs.push(theirs[0].clone());
    let b = bundle("dev-b", vec![profile("x7", "王芳 (平板B)", Some("e-1"))], recs);
    let (merged, report) = exchange::merge(&local, &b);
    assert_eq!(
        report.trainees,
        vec![TraineeMatch::ByEmployeeId {
            imported: "x7".into(),
            local: "t1".into()
        }]
    );
    assert_eq!(
        merged.profiles.owner("x7").map(|p| p.id.as_str()),
        Some("t1"),
        "x7's records are t1's"
    );
    assert_eq!(
        report.conflicts.len(),
        1,
        "a different record under a known UUID is kept aside"
    );
    // Regression: a copy edited without updating its hash is a conflict, not a duplicate.
    let mut sneaky = local.records[0].clone();
    if let Body::Quiz(q) = &mut sneaky.body {
        q.correct = 42;
    }
    let (_, r2) = exchange::merge(&local, &bundle("dev-c", vec![], vec![sneaky]));
    assert_eq!((r2.duplicates, r2.conflicts.len()), (0, 1));
    assert_eq!(merged.records.iter().filter(|r| r.id == "dev-a-0").count(), 1);
    assert_eq!(
        merged.records.iter().find(|r| r.id == "dev-a-0"),
        local.records.first(),
        "the device's own copy stays"
    );
}

#[test]
fn a_broken_chain_in_a_bundle_is_reported_not_hidden() {
    let mut recs = records("dev-b", "t2", 3);
    recs.remove(1);
    let b = bundle("dev-b", vec![profile("t2", "甲", None)], recs);
    let (_, report) = exchange::merge(&Merged::default(), &b);
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
        Err(ImportError::TooLarge(exchange::MAX_BYTES + 1))
    );
    assert_eq!(exchange::parse(&[0xff, 0xfe, 0x00]), Err(ImportError::NotUtf8));
    assert!(matches!(
        exchange::parse(b"{\"format\": \"lixun-results\","),
        Err(ImportError::NotJson(_))
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
        matches!(exchange::parse(negative.as_bytes()), Err(ImportError::BadScore { .. })),
        "negative total"
    );
    let over = good.replacen("\"percent\": 100.0", "\"percent\": 180.0", 1);
    assert!(
        matches!(exchange::parse(over.as_bytes()), Err(ImportError::BadScore { .. })),
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
