//! Model-based test of the device model: random sequences of what people do on a tablet, from
//! two tabs with their own (possibly stale) view, interleaved with crashes (the tab's memory is
//! dropped and the device decoded again from what was stored), failed writes (the transaction
//! aborts: nothing of it is stored) and documents damaged or written by a newer version. After
//! every step: no finished record lost, no trainee lost or resurrected, every chain verifies,
//! and nothing unreadable was written over.
//!
//! `LIXUN_MODEL_SEED=<n>` replays one sequence; `LIXUN_MODEL_RUNS=<n>` sets how many.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use lixun::domain::device::{self, Action, DeviceError, DocKind, Env, RecoveryCode, Settings, Slot, WorkPatch};
use lixun::domain::profiles::{Profile, TrainerLock};
use lixun::domain::records::AttemptRecord;
use lixun::domain::rubric::RubricResult;
use lixun::domain::store::{self, Body, ChainHead, NewRecord, Record};

struct World {
    rng: oorandom::Rand64,
    now: DateTime<Utc>,
    counter: u64,
    docs: BTreeMap<String, String>,
    records: BTreeMap<String, Record>,
    quarantine: Vec<String>,
    /// Finished records that must be stored (removed when an erasure lists them).
    expect_records: BTreeSet<String>,
    erased: BTreeSet<String>,
    /// Trainees that must exist, and those that must not come back.
    expect_trainees: BTreeSet<String>,
    gone: BTreeSet<String>,
    /// Documents damaged on purpose: key → raw text that must not be written over.
    injected: BTreeMap<String, String>,
    /// The two tabs' views: (trainee ids, record ids) as of their last load.
    tabs: [(Vec<String>, Vec<Record>); 2],
    pin_set: bool,
    recovery_code: Option<String>,
}

fn attempt(id: &str, trainee: &str, at: DateTime<Utc>, score: f64) -> NewRecord {
    let a = AttemptRecord {
        id: id.into(),
        quiz: "q".into(),
        content_version: "v".into(),
        started_at: at,
        finished_at: at,
        responses: Vec::new(),
        result: RubricResult {
            rubric: "m1".into(),
            criteria: Vec::new(),
            total: Some(score),
            printed_weight_total: 110.0,
            partial: false,
        },
        correct: 0,
        passed: score >= 80.0,
        seed: None,
        timed_out: false,
    };
    NewRecord {
        id: id.into(),
        trainee: trainee.into(),
        content_version: "v".into(),
        started_at: at,
        finished_at: at,
        body: Body::Quiz(a),
    }
}

impl World {
    fn new(seed: u64) -> World {
        World {
            rng: oorandom::Rand64::new(u128::from(seed)),
            now: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
            counter: 0,
            docs: BTreeMap::new(),
            records: BTreeMap::new(),
            quarantine: Vec::new(),
            expect_records: BTreeSet::new(),
            erased: BTreeSet::new(),
            expect_trainees: BTreeSet::new(),
            gone: BTreeSet::new(),
            injected: BTreeMap::new(),
            tabs: [(Vec::new(), Vec::new()), (Vec::new(), Vec::new())],
            pin_set: false,
            recovery_code: None,
        }
    }

    fn id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{}", self.counter)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.rng.rand_range(0..items.len() as u64) as usize])
        }
    }

    /// A tab (re)loads: its memory is what is stored now.
    fn load(&mut self, tab: usize) {
        let d = device::Device::decode(&self.docs);
        let trainees = d.profiles_or_empty().list.iter().map(|p| p.id.clone()).collect();
        self.tabs[tab] = (trainees, self.records.values().cloned().collect());
    }

    /// Runs an action as the browser would: inside one transaction, which may fail.
    fn run(&mut self, action: &Action) -> Result<device::Applied, DeviceError> {
        self.now += Duration::seconds(1);
        let before = (self.docs.clone(), self.records.clone());
        let env = Env {
            now: self.now,
            new_device: self.id("device-"),
        };
        let applied = device::commit(&self.docs, action, &env);
        let fail_write = self.rng.rand_range(0..20) == 0;
        match &applied {
            Ok(a) if !fail_write => {
                for (k, v) in &a.docs {
                    if let Some(raw) = self.injected.get(k) {
                        assert!(
                            self.quarantine.contains(raw) || a.quarantine.iter().any(|(_, q)| q == raw),
                            "{k} was unreadable and is written over without its text kept: {action:?}"
                        );
                    }
                    self.docs.insert(k.clone(), v.clone());
                }
                for k in &a.delete_docs {
                    self.docs.remove(k);
                }
                for r in &a.records {
                    self.records.insert(r.id.clone(), r.clone());
                }
                for id in &a.delete_records {
                    self.records.remove(id);
                }
                self.quarantine.extend(a.quarantine.iter().map(|(_, v)| v.clone()));
                Ok(a.clone())
            }
            Ok(_) => Err(DeviceError::NoSuchTrainee("write failed".into())),
            Err(e) => {
                assert_eq!((&self.docs, &self.records), (&before.0, &before.1));
                Err(e.clone())
            }
        }
    }

    fn step(&mut self) {
        let tab = self.rng.rand_range(0..2) as usize;
        let choice = self.rng.rand_range(0..100);
        let trainees = self.tabs[tab].0.clone();
        match choice {
            0..=14 => {
                let id = self.id("t");
                let name = format!("学员{}", self.counter);
                let at = self.now;
                if self
                    .run(&Action::CreateTrainee {
                        id: id.clone(),
                        name,
                        employee_id: String::new(),
                        at,
                    })
                    .is_ok()
                {
                    self.expect_trainees.insert(id.clone());
                    self.tabs[tab].0.push(id);
                }
            }
            15..=34 => {
                // Finish a quiz (perhaps for a trainee another tab deleted: the record is kept).
                let Some(who) = self.pick(&trainees).cloned() else {
                    return;
                };
                let id = self.id("r");
                let mut patch = WorkPatch {
                    trainee: who.clone(),
                    ..WorkPatch::default()
                };
                patch.lessons_done.insert(format!("m/{}", self.rng.rand_range(0..5)));
                let at = self.now;
                let score = self.rng.rand_range(0..101) as f64;
                let action = Action::SaveWork {
                    patch,
                    finished: vec![attempt(&id, &who, at, score)],
                };
                if let Ok(a) = self.run(&action) {
                    self.expect_records.insert(id);
                    self.tabs[tab].1.extend(a.records);
                }
            }
            35..=44 => {
                let Some(who) = self.pick(&trainees).cloned() else {
                    return;
                };
                let name = format!("改名{}", self.counter);
                let _ = self.run(&Action::RenameTrainee {
                    id: who,
                    name,
                    employee_id: String::new(),
                });
            }
            45..=49 => {
                let Some(who) = self.pick(&trainees).cloned() else {
                    return;
                };
                let archived = self.rng.rand_range(0..2) == 0;
                let _ = self.run(&Action::ArchiveTrainee { id: who, archived });
            }
            50..=54 => {
                let (Some(from), Some(into)) = (self.pick(&trainees).cloned(), self.pick(&trainees).cloned()) else {
                    return;
                };
                if from != into
                    && self
                        .run(&Action::MergeTrainees {
                            from: from.clone(),
                            into,
                        })
                        .is_ok()
                {
                    self.expect_trainees.remove(&from);
                    self.gone.insert(from);
                }
            }
            55..=58 => {
                let Some(who) = self.pick(&trainees).cloned() else {
                    return;
                };
                let profiles = device::Device::decode(&self.docs).profiles.value().cloned();
                let removed = device::removed_for(profiles.as_ref(), &who, &self.tabs[tab].1);
                let erasure = self.id("e");
                let at = self.now;
                let listed: Vec<String> = removed.iter().map(|r| r.id.clone()).collect();
                if self
                    .run(&Action::DeleteTrainee {
                        id: who.clone(),
                        erasure: erasure.clone(),
                        removed,
                        at,
                    })
                    .is_ok()
                {
                    self.expect_trainees.remove(&who);
                    self.gone.insert(who);
                    for id in listed {
                        self.expect_records.remove(&id);
                        self.erased.insert(id);
                    }
                    self.expect_records.insert(erasure);
                }
            }
            59..=63 => {
                let lock = TrainerLock::set("2468", [1; 16], 2).expect("valid pin");
                let (code, recovery) = RecoveryCode::new([self.counter as u8; 10], [2; 16]);
                let replace = self.pin_set && self.rng.rand_range(0..2) == 0;
                match self.run(&Action::SetPin {
                    lock,
                    recovery,
                    replace,
                }) {
                    Ok(_) => {
                        self.pin_set = true;
                        self.recovery_code = Some(code);
                    }
                    Err(DeviceError::PinAlreadySet) => assert!(self.pin_set),
                    Err(_) => {}
                }
            }
            64..=66 => {
                let ok = self.rng.rand_range(0..2) == 0;
                let at = self.now;
                let _ = self.run(&Action::UnlockAttempt { ok, at });
            }
            67..=69 => {
                let mut s = Settings::default();
                if self.rng.rand_range(0..2) == 0 {
                    s.rubric = Some("m1-1-5-4".into());
                }
                let _ = self.run(&Action::SaveSettings(s));
            }
            70..=76 => {
                // Import from another device: a profile and its records, chained there.
                let other = self.id("t-other-");
                let profile = Profile {
                    id: other.clone(),
                    name: format!("外来{}", self.counter),
                    employee_id: None,
                    colour: 0,
                    archived: false,
                    created_at: self.now,
                    aliases: Vec::new(),
                    merged: Vec::new(),
                };
                let mut head = ChainHead::new(self.id("remote-"));
                let n = self.rng.rand_range(1..4);
                let mut rs = Vec::new();
                for _ in 0..n {
                    let id = self.id("imp");
                    rs.push(attempt(&id, &other, self.now, 50.0).chain(&mut head));
                }
                let ids: Vec<String> = rs.iter().map(|r| r.id.clone()).collect();
                let action = Action::Import {
                    profiles: vec![profile],
                    records: rs,
                    conflicts: Vec::new(),
                };
                if self.run(&action).is_ok() {
                    self.expect_trainees.insert(other.clone());
                    self.tabs[tab].0.push(other);
                    self.expect_records.extend(ids);
                }
            }
            77..=82 => self.load(tab),
            83..=88 => {
                // Crash: both tabs' memory is gone; the browser comes back to what is stored.
                self.load(0);
                self.load(1);
            }
            89..=93 => self.damage(),
            _ => self.repair(),
        }
    }

    /// A document is damaged, or a newer version of the app writes it.
    fn damage(&mut self) {
        let kinds = [
            DocKind::State,
            DocKind::Head,
            DocKind::Profiles,
            DocKind::Trainer,
            DocKind::Settings,
            DocKind::Conflicts,
        ];
        let Some(kind) = self.pick(&kinds).copied() else { return };
        if self.injected.contains_key(kind.key()) {
            return;
        }
        let raw = if self.rng.rand_range(0..2) == 0 {
            format!("{{\"schema_version\":{},\"from\":\"a newer app\"}}", 4 + self.counter)
        } else {
            format!("\u{1}damaged {}", self.counter)
        };
        // Damage hits the current copy; the previous good copy is kept where there is one.
        self.docs.insert(kind.key().to_string(), raw.clone());
        self.injected.insert(kind.key().to_string(), raw);
    }

    /// The trainer resolves one damaged document: restore its previous copy, or start afresh.
    fn repair(&mut self) {
        let Some((key, raw)) = self.injected.iter().next().map(|(k, v)| (k.clone(), v.clone())) else {
            return;
        };
        let kind = DocKind::from_key(&key).expect("a document key");
        let action = match kind {
            DocKind::Head => {
                let records: Vec<Record> = self.records.values().cloned().collect();
                let devices: BTreeSet<String> = records.iter().map(|r| r.device.clone()).collect();
                let heads = devices.iter().map(|d| ChainHead::of(d, &records)).collect();
                if self.docs.contains_key(&kind.prev_key()) {
                    Action::RepairHead { heads }
                } else {
                    Action::StartAfresh(kind)
                }
            }
            DocKind::Trainer => {
                let code = self.recovery_code.clone().unwrap_or_default();
                let lock = TrainerLock::set("1357", [3; 16], 2).expect("valid pin");
                let (new_code, recovery) = RecoveryCode::new([self.counter as u8 ^ 0x55; 10], [4; 16]);
                match self.run(&Action::RecoverPin { code, lock, recovery }) {
                    Ok(_) => {
                        self.recovery_code = Some(new_code);
                        self.injected.remove(&key);
                        assert!(self.quarantine.contains(&raw));
                    }
                    Err(e) => assert!(
                        matches!(e, DeviceError::WrongRecoveryCode)
                            || e == DeviceError::NoSuchTrainee("write failed".into())
                    ),
                }
                return;
            }
            _ if self.docs.contains_key(&kind.prev_key()) && self.rng.rand_range(0..2) == 0 => Action::Restore(kind),
            _ => Action::StartAfresh(kind),
        };
        if self.run(&action).is_ok() {
            assert!(self.quarantine.contains(&raw), "{key}: its unreadable text is kept");
            self.injected.remove(&key);
            if kind == DocKind::Profiles {
                // The trainer accepted an older list (or none): that is the list from now on.
                let now: BTreeSet<String> = device::Device::decode(&self.docs)
                    .profiles_or_empty()
                    .list
                    .iter()
                    .map(|p| p.id.clone())
                    .collect();
                // Restoring an older copy may bring back a trainee deleted or merged since:
                // the trainer chose that copy, so it counts as theirs again.
                self.gone.retain(|t| !now.contains(t));
                self.expect_trainees = now;
            }
        }
    }

    fn check(&self, seed: u64, step: usize) {
        let at = || format!("seed {seed}, step {step} (replay with LIXUN_MODEL_SEED={seed})");
        for id in &self.expect_records {
            assert!(self.records.contains_key(id), "finished record {id} lost: {}", at());
        }
        for id in &self.erased {
            assert!(!self.records.contains_key(id), "erased record {id} is back: {}", at());
        }
        let all: Vec<Record> = self.records.values().cloned().collect();
        let issues = store::verify(&all);
        assert!(issues.is_empty(), "chain: {issues:?}: {}", at());
        for (key, raw) in &self.injected {
            assert_eq!(self.docs.get(key), Some(raw), "unreadable {key} written over: {}", at());
        }
        let d = device::Device::decode(&self.docs);
        if let Slot::Good { value, .. } = &d.profiles {
            let ids: BTreeSet<String> = value.list.iter().map(|p| p.id.clone()).collect();
            for t in &self.expect_trainees {
                assert!(ids.contains(t), "trainee {t} lost: {}", at());
            }
            for t in &self.gone {
                assert!(!ids.contains(t), "trainee {t} resurrected: {}", at());
            }
        }
    }
}

fn run_sequence(seed: u64, steps: usize) {
    let mut w = World::new(seed);
    w.load(0);
    w.load(1);
    for step in 0..steps {
        w.step();
        w.check(seed, step);
    }
}

#[test]
fn random_sequences_of_user_actions_crashes_and_damage_lose_nothing() {
    if let Some(seed) = std::env::var("LIXUN_MODEL_SEED").ok().and_then(|s| s.parse().ok()) {
        run_sequence(seed, 60);
        return;
    }
    // The test command runs this file optimised, with 10,000 sequences; a plain debug
    // `cargo test` runs fewer so it stays quick.
    let default_runs = if cfg!(debug_assertions) { 300 } else { 10_000 };
    let runs: u64 = std::env::var("LIXUN_MODEL_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default_runs);
    let started = std::time::Instant::now();
    for seed in 0..runs {
        run_sequence(seed, 60);
    }
    println!(
        "device model: {runs} seeded sequences of 60 steps in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
