//! Property test of the import path: thousands of random, hostile bundles go through
//! `exchange::parse` and `exchange::merge`. Seeded (`oorandom`), so a failure names the seed and
//! case that reproduce it: `LIXUN_FUZZ_SEED=<seed> cargo test --test import_fuzz`.
//!
//! For every bundle: nothing panics; a refused file leaves the device's store as it was; an
//! accepted one brings only clean names and sane dates, adds no record of this device, and
//! importing it a second time adds nothing.
#![cfg(not(target_arch = "wasm32"))]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use chrono::{Duration, TimeZone, Utc};
use lixun::domain::exchange::{self, Merged, ResultsBundle};
use lixun::domain::profiles::{Profile, Profiles};
use lixun::domain::store::{Body, ChainHead, Record};
use lixun::domain::text;
use oorandom::Rand64;
use serde_json::{Value, json};

const LOCAL: &str = "dev-local";
const DEFAULT_SEED: u64 = 0x11C5_2026;
/// Bundles per seed when several fixed seeds run; all of them for a seed from the environment.
const CASES_PER_SEED: usize = 800;
const FIXED_SEEDS: [u64; 4] = [DEFAULT_SEED, 1, 2, 0xDEAD_BEEF];

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

fn chain(template: &Record, device: &str, trainee: &str, n: usize, head: &mut ChainHead) -> Vec<Record> {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
    (0..n)
        .map(|_| {
            let i = head.seq + 1;
            let at = t0 + Duration::minutes(i as i64);
            let id = format!("{device}-{i}");
            let mut body = template.body.clone();
            if let Body::Quiz(a) = &mut body {
                a.id = id.clone();
            }
            head.append(trainee, "v", at, at + Duration::seconds(390), id, body)
        })
        .collect()
}

fn local_store(t: &Record) -> Merged {
    let mut records = chain(t, LOCAL, "t-local-1", 3, &mut ChainHead::new(LOCAL));
    records.extend(chain(t, "dev-x", "t-x", 2, &mut ChainHead::new("dev-x")));
    Merged {
        profiles: Profiles {
            list: vec![
                profile("t-local-1", "王芳", Some("E-1")),
                profile("t-local-2", "Li Ming", None),
                Profile {
                    aliases: vec!["t-x".into()],
                    merged: Vec::new(),
                    ..profile("t-local-3", "赵强", Some("E-3"))
                },
            ],
        },
        records,
        conflicts: Vec::new(),
    }
}

struct Gen {
    rng: Rand64,
}

impl Gen {
    fn below(&mut self, n: u64) -> u64 {
        self.rng.rand_range(0..n.max(1))
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize].clone()
    }

    /// A hostile or ordinary string.
    fn string(&mut self) -> String {
        match self.below(14) {
            0 if self.chance(20) => "a".repeat(1_000_000),
            0 => "字".repeat(61),
            1 => "\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}".into(),
            2 => "\u{202E}nimda\u{202C}".into(),
            3 => "a\u{0000}b\u{0007}\u{001B}[31m".into(),
            4 => "<img src=x onerror=alert(1)>".into(),
            5 => String::new(),
            6 => "   ".into(),
            7 => "\u{2066}王\u{2069}芳".into(),
            8 => "x".repeat(129),
            9 => "=cmd|' /C calc'!A0".into(),
            10 => format!("id-{}", self.below(5)),
            11 => "t-local-1".into(),
            12 => "E-1".into(),
            _ => format!("名字 {}", self.below(1000)),
        }
    }

    fn date(&mut self) -> Value {
        self.pick(&[
            "2026-11-23T08:00:00Z",
            "2020-01-01T00:00:00Z",
            "2100-01-01T00:00:00Z",
            "2019-12-31T23:59:59Z",
            "2100-01-01T00:00:01Z",
            "1970-01-01T00:00:00Z",
            "-262143-01-01T00:00:00Z",
            "+262142-12-31T23:59:59Z",
            "not a date",
        ])
        .into()
    }

    fn number(&mut self) -> Value {
        match self.below(10) {
            0 => json!(1e308),
            1 => json!(-0.0),
            2 => json!(-1.0),
            3 => json!(1.5),
            4 => json!(u64::MAX),
            5 => json!(i64::MIN),
            6 => json!(100.0),
            7 => json!(0.0),
            8 => json!(1e-308),
            _ => json!(0.5),
        }
    }
}

/// One random bundle: made well, then damaged in random ways.
fn bundle_bytes(g: &mut Gen, t: &Record, local: &Merged) -> Vec<u8> {
    match g.below(40) {
        0 => return b"{\"format\": \"lixun-results\",".to_vec(),
        1 => return b"[1, 2, 3]".to_vec(),
        2 => return vec![0xff, 0xfe, 0x00],
        _ => {}
    }
    let device = g.pick(&["dev-b", "dev-c", LOCAL, "dev-x"]);
    let mut trainees: Vec<Profile> = (0..g.below(4))
        .map(|i| profile(&format!("tb-{i}"), &format!("学员 {i}"), None))
        .collect();
    let mut records = Vec::new();
    if device == LOCAL {
        // Forged next links of this device's chain, or copies of what is there.
        let mut head = ChainHead::of(LOCAL, &local.records);
        records.extend(chain(t, LOCAL, "t-local-1", 1 + g.below(2) as usize, &mut head));
        if g.chance(50) {
            records.extend(local.records.iter().filter(|r| r.device == LOCAL).cloned());
        }
    } else {
        let trainee = trainees.first().map(|p| p.id.clone()).unwrap_or_else(|| "tb-0".into());
        records.extend(chain(
            t,
            device,
            &trainee,
            g.below(4) as usize,
            &mut ChainHead::new(device),
        ));
        if g.chance(20) {
            records.extend(local.records.iter().filter(|r| r.device == "dev-x").cloned());
        }
    }
    if g.chance(15) {
        trainees.push(profile("t-local-1", "王芳 B", Some("e-1")));
    }
    if g.chance(15) && !trainees.is_empty() {
        trainees[0].aliases = vec!["t-local-1".into(), "t-x".into(), "old".into()];
    }
    if g.chance(15) && !trainees.is_empty() {
        trainees[0].employee_id = Some("E-3".into());
    }
    let mut v: Value = serde_json::from_str(
        &ResultsBundle::new(
            device,
            "2026.11.1",
            Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap(),
            &Profiles { list: trainees },
            &records,
        )
        .to_json(),
    )
    .unwrap();
    let n_rec = v["records"].as_array().map(|a| a.len()).unwrap_or(0) as u64;
    let n_tr = v["trainees"].as_array().map(|a| a.len()).unwrap_or(0) as u64;
    for _ in 0..g.below(4) {
        if n_rec > 0 {
            let r = g.below(n_rec) as usize;
            let rec = &mut v["records"][r];
            match g.below(14) {
                0 => rec["started_at"] = g.date(),
                1 => rec["finished_at"] = g.date(),
                2 => rec["body"]["quiz"]["finished_at"] = g.date(),
                3 => rec["body"]["quiz"]["responses"][0]["score"] = g.number(),
                4 => rec["body"]["quiz"]["result"]["total"] = g.number(),
                5 => rec["body"]["quiz"]["result"]["criteria"][0]["percent"] = g.number(),
                6 => rec["schema_version"] = g.pick(&[0u64, 1, 2, 3, u32::MAX as u64, u64::MAX]).into(),
                7 => rec["id"] = g.string().into(),
                8 => rec["trainee"] = g.string().into(),
                9 => rec["device"] = g.pick(&[LOCAL, "dev-b", "", "dev-x"]).into(),
                10 => rec["seq"] = g.number(),
                11 => {
                    let many: Vec<Value> = (0..g.below(40))
                        .map(|i| json!({ "criterion": format!("c{i}"), "printed_weight": 1.0, "normalised_weight": 0.0, "percent": 1.0 }))
                        .collect();
                    rec["body"]["quiz"]["result"]["criteria"] = many.into();
                }
                12 => rec["body"]["quiz"]["responses"][0]["question"] = g.string().into(),
                _ => {
                    // A duplicated id.
                    let other = v["records"][g.below(n_rec) as usize]["id"].clone();
                    v["records"][r]["id"] = other;
                }
            }
        }
        if n_tr > 0 {
            let i = g.below(n_tr) as usize;
            let tr = &mut v["trainees"][i];
            match g.below(6) {
                0 | 1 => tr["name"] = g.string().into(),
                2 => tr["employee_id"] = g.string().into(),
                3 => tr["created_at"] = g.date(),
                4 => tr["id"] = g.string().into(),
                _ => tr["aliases"] = json!([g.string(), "t-local-2"]),
            }
        }
        match g.below(12) {
            0 => v["schema_version"] = g.pick(&[0u64, 1, 3, u64::MAX]).into(),
            1 => v["exported_at"] = g.date(),
            2 => v["device"] = g.string().into(),
            _ => {}
        }
    }
    v.to_string().into_bytes()
}

/// What the cases did, so a generator that stopped making accepted (or refused) bundles is noticed.
#[derive(Default)]
struct Tally {
    accepted: usize,
    refused: usize,
    own_device: usize,
    proposals: usize,
}

fn panic_text(e: &(dyn std::any::Any + Send)) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

fn check_case(seed: u64, case: usize, t: &Record, local: &Merged, tally: &mut Tally) {
    let mut g = Gen {
        rng: Rand64::new(u128::from(seed) << 64 | case as u128),
    };
    let bytes = bundle_bytes(&mut g, t, local);
    let before = local.clone();
    let at = format!("seed {seed}, case {case} (rerun: LIXUN_FUZZ_SEED={seed} cargo test --test import_fuzz)");
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let parsed = exchange::parse(&bytes);
        parsed.map(|b| {
            let first = exchange::merge(local, &b, LOCAL);
            let second = exchange::merge(&first.0, &b, LOCAL);
            let day = |t: chrono::DateTime<Utc>| t.date_naive();
            let _ = lixun::domain::analysis::weekly_totals(&first.0.records, &day);
            let _ = lixun::domain::analysis::weekly_criteria(&first.0.records, &day);
            (b, first, second)
        })
    }));
    let result = match outcome {
        Ok(r) => r,
        Err(e) => panic!("{at}: parse or merge panicked: {}", panic_text(&*e)),
    };
    assert_eq!(*local, before, "{at}: the local store changed");
    let Ok((bundle, (merged, report), (again, report2))) = result else {
        tally.refused += 1;
        return;
    };
    tally.accepted += 1;
    tally.own_device += report.own_device.len();
    tally.proposals += report.proposals.len();
    for p in &merged.profiles.list {
        assert_eq!(
            text::clean_name(&p.name).as_ref(),
            Ok(&p.name),
            "{at}: name {:?}",
            p.name
        );
        if let Some(e) = &p.employee_id {
            assert_eq!(
                text::clean_employee_id(e),
                Ok(Some(e.clone())),
                "{at}: employee id {e:?}"
            );
        }
        assert!(p.aliases.len() <= exchange::MAX_ALIASES, "{at}");
    }
    for r in &bundle.records {
        assert!(
            exchange::date_is_sane(r.started_at) && exchange::date_is_sane(r.finished_at),
            "{at}: {} has an insane date",
            r.id
        );
    }
    let mine = |rs: &[Record]| {
        rs.iter()
            .filter(|r| r.device == LOCAL)
            .map(|r| (r.id.clone(), r.hash.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        mine(&merged.records),
        mine(&local.records),
        "{at}: a record of this device was added"
    );
    // A local trainee is never taken by an imported alias.
    for l in &local.profiles.list {
        assert_eq!(
            merged.profiles.owner(&l.id).map(|p| &p.id),
            Some(&l.id),
            "{at}: {} was taken",
            l.id
        );
    }
    assert_eq!(again, merged, "{at}: a second import changed the store");
    assert_eq!(
        (report2.added, report2.conflicts.len(), report2.own_device.len()),
        (0, 0, 0),
        "{at}: a second import added something ({} records first)",
        report.added
    );
}

#[test]
fn random_hostile_bundles_never_panic_never_touch_this_device_and_import_once() {
    let t = template();
    let local = local_store(&t);
    let seeds: Vec<(u64, usize)> = match std::env::var("LIXUN_FUZZ_SEED") {
        Ok(s) => vec![(
            s.trim().parse().expect("LIXUN_FUZZ_SEED is a number"),
            CASES_PER_SEED * FIXED_SEEDS.len(),
        )],
        Err(_) => FIXED_SEEDS.iter().map(|s| (*s, CASES_PER_SEED)).collect(),
    };
    // Panics are caught and reported with their seed; keep the default hook quiet meanwhile.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut tally = Tally::default();
    let result = catch_unwind(AssertUnwindSafe(|| {
        for (seed, cases) in &seeds {
            for case in 0..*cases {
                check_case(*seed, case, &t, &local, &mut tally);
            }
        }
    }));
    std::panic::set_hook(hook);
    if let Err(e) = result {
        panic!("{}", panic_text(&*e));
    }
    let total = tally.accepted + tally.refused;
    println!(
        "{total} bundles: {} accepted, {} refused; {} claims of this device kept aside, {} proposals",
        tally.accepted, tally.refused, tally.own_device, tally.proposals
    );
    assert!(total >= 3_000);
    assert!(
        tally.accepted * 10 >= total && tally.refused * 10 >= total,
        "the generator is lopsided"
    );
    assert!(
        tally.own_device > 0 && tally.proposals > 0,
        "the generator never tried the device or a proposal"
    );
}
