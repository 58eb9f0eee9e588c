use super::*;
use crate::domain::records::AttemptRecord;
use crate::domain::rubric::RubricResult;
use chrono::TimeZone;

fn t(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, minute, 0).unwrap()
}

fn env() -> Env {
    Env {
        now: t(0),
        new_device: "dev-a".into(),
    }
}

/// A tiny store: applies what `commit` returned.
#[derive(Default)]
struct Mem {
    docs: BTreeMap<String, String>,
    records: BTreeMap<String, Record>,
    quarantine: BTreeMap<String, String>,
}

impl Mem {
    fn run(&mut self, action: Action) -> Result<Applied, DeviceError> {
        let applied = commit(&self.docs, &action, &env())?;
        for (k, v) in &applied.docs {
            self.docs.insert(k.clone(), v.clone());
        }
        for k in &applied.delete_docs {
            self.docs.remove(k);
        }
        for r in &applied.records {
            self.records.insert(r.id.clone(), r.clone());
        }
        for id in &applied.delete_records {
            self.records.remove(id);
        }
        self.quarantine.extend(applied.quarantine.iter().cloned());
        Ok(applied)
    }

    fn device(&self) -> Device {
        Device::decode(&self.docs)
    }
}

fn attempt(id: &str, trainee: &str) -> NewRecord {
    let a = AttemptRecord {
        id: id.into(),
        quiz: "q".into(),
        content_version: "v".into(),
        started_at: t(1),
        finished_at: t(2),
        responses: Vec::new(),
        result: RubricResult {
            rubric: "m1".into(),
            criteria: Vec::new(),
            total: Some(80.0),
            printed_weight_total: 110.0,
            partial: false,
        },
        correct: 1,
        passed: true,
        seed: None,
        timed_out: false,
    };
    NewRecord {
        id: id.into(),
        trainee: trainee.into(),
        content_version: "v".into(),
        started_at: t(1),
        finished_at: t(2),
        body: Body::Quiz(a),
    }
}

fn create(id: &str, name: &str) -> Action {
    Action::CreateTrainee {
        id: id.into(),
        name: name.into(),
        employee_id: String::new(),
        at: t(0),
    }
}

fn lesson(trainee: &str, key: &str) -> Action {
    let mut patch = WorkPatch {
        trainee: trainee.into(),
        ..WorkPatch::default()
    };
    patch.lessons_done.insert(key.into());
    Action::SaveWork {
        patch,
        finished: Vec::new(),
    }
}

#[test]
fn an_unreadable_trainee_list_is_never_written_over() {
    let mut m = Mem::default();
    m.docs.insert("profiles".into(), "{damaged".into());
    let err = m.run(create("t1", "王芳")).unwrap_err();
    assert!(matches!(
        err,
        DeviceError::Unreadable {
            kind: DocKind::Profiles,
            ..
        }
    ));
    assert_eq!(m.docs["profiles"], "{damaged");
    assert_eq!(m.device().unreadable().len(), 1);
}

#[test]
fn a_newer_state_is_refused_inside_the_save() {
    let mut m = Mem::default();
    m.docs.insert("state".into(), r#"{"schema_version":9}"#.into());
    let err = m.run(Action::SaveWork {
        patch: WorkPatch::default(),
        finished: vec![attempt("a1", "t1")],
    });
    assert_eq!(
        err.unwrap_err(),
        DeviceError::Unreadable {
            kind: DocKind::State,
            why: Unreadable::Newer(9)
        }
    );
    assert!(m.records.is_empty());
    assert_eq!(m.docs["state"], r#"{"schema_version":9}"#);
}

#[test]
fn a_lost_trainer_lock_keeps_trainer_mode_locked() {
    let mut m = Mem::default();
    m.docs.insert("trainer".into(), "garbage".into());
    let lock = TrainerLock::set("2468", [1; 16], 10).unwrap();
    let (_, recovery) = RecoveryCode::new([3; 10], [4; 16]);
    let err = m.run(Action::SetPin {
        lock: lock.clone(),
        recovery: recovery.clone(),
        replace: false,
    });
    assert!(matches!(
        err,
        Err(DeviceError::Unreadable {
            kind: DocKind::Trainer,
            ..
        })
    ));
    let err = m.run(Action::SetPin {
        lock,
        recovery,
        replace: true,
    });
    assert!(matches!(
        err,
        Err(DeviceError::Unreadable {
            kind: DocKind::Trainer,
            ..
        })
    ));
    assert_eq!(m.docs["trainer"], "garbage");
    assert!(!m.device().pin_is_set());
}

#[test]
fn the_recovery_code_sets_a_new_pin_and_keeps_the_damaged_lock_aside() {
    let mut m = Mem::default();
    let lock = TrainerLock::set("2468", [1; 16], 10).unwrap();
    let (code, recovery) = RecoveryCode::new([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], [4; 16]);
    assert_eq!(code.len(), 19);
    m.run(Action::SetPin {
        lock,
        recovery,
        replace: false,
    })
    .unwrap();
    assert_eq!(
        m.run(Action::SetPin {
            lock: TrainerLock::default(),
            recovery: RecoveryCode::new([0; 10], [0; 16]).1,
            replace: false
        })
        .unwrap_err(),
        DeviceError::PinAlreadySet
    );
    assert!(!m.docs["recovery"].contains(&code));
    m.docs.insert("trainer".into(), "garbage".into());
    let new_lock = TrainerLock::set("1357", [2; 16], 10).unwrap();
    let (_, new_recovery) = RecoveryCode::new([1; 10], [5; 16]);
    let wrong = m.run(Action::RecoverPin {
        code: "AAAA-AAAA-AAAA-AAAA".into(),
        lock: new_lock.clone(),
        recovery: new_recovery.clone(),
    });
    assert_eq!(wrong.unwrap_err(), DeviceError::WrongRecoveryCode);
    let typed = code.to_lowercase().replace('-', " ");
    m.run(Action::RecoverPin {
        code: typed,
        lock: new_lock.clone(),
        recovery: new_recovery.clone(),
    })
    .unwrap();
    assert_eq!(m.device().trainer.value(), Some(&new_lock));
    assert!(m.quarantine.values().any(|v| v == "garbage"));
    // The code was for one use: the old one no longer works.
    let again = m.run(Action::RecoverPin {
        code,
        lock: new_lock,
        recovery: new_recovery,
    });
    assert_eq!(again.unwrap_err(), DeviceError::WrongRecoveryCode);
}

#[test]
fn two_tabs_keep_each_others_changes() {
    let mut m = Mem::default();
    // Tab A and tab B both loaded the empty device; each acts on what is stored at the time.
    m.run(create("a", "甲")).unwrap();
    m.run(create("b", "乙")).unwrap();
    m.run(lesson("a", "m/l1")).unwrap();
    m.run(lesson("a", "m/l2")).unwrap();
    let d = m.device();
    assert_eq!(d.profiles_or_empty().list.len(), 2);
    assert_eq!(d.state_or_empty().trainees["a"].lessons_done.len(), 2);
}

#[test]
fn every_write_keeps_the_previous_good_copy_and_restore_brings_it_back() {
    let mut m = Mem::default();
    m.run(create("a", "甲")).unwrap();
    m.run(create("b", "乙")).unwrap();
    let good = m.docs["profiles"].clone();
    m.run(create("c", "丙")).unwrap();
    assert_eq!(m.docs["profiles.prev"], good);
    m.docs.insert("profiles".into(), "\u{0}broken".into());
    assert!(m.device().previous.contains(&DocKind::Profiles));
    m.run(Action::Restore(DocKind::Profiles)).unwrap();
    assert_eq!(m.device().profiles_or_empty().list.len(), 2);
    assert!(m.quarantine.values().any(|v| v == "\u{0}broken"));
}

#[test]
fn start_afresh_keeps_the_unreadable_text_and_refuses_the_trainer_lock() {
    let mut m = Mem::default();
    m.docs.insert("settings".into(), "[1,2".into());
    m.run(Action::StartAfresh(DocKind::Settings)).unwrap();
    assert_eq!(m.device().settings_or_default(), Settings::default());
    assert!(m.quarantine.values().any(|v| v == "[1,2"));
    assert_eq!(
        m.run(Action::StartAfresh(DocKind::Trainer)).unwrap_err(),
        DeviceError::MayNotStartAfresh(DocKind::Trainer)
    );
}

#[test]
fn finished_work_is_chained_after_the_stored_head() {
    let mut m = Mem::default();
    m.run(Action::SaveWork {
        patch: WorkPatch::default(),
        finished: vec![attempt("x1", "a")],
    })
    .unwrap();
    m.run(Action::SaveWork {
        patch: WorkPatch::default(),
        finished: vec![attempt("x2", "a")],
    })
    .unwrap();
    let all: Vec<Record> = m.records.values().cloned().collect();
    assert!(store::verify(&all).is_empty());
    assert_eq!(m.device().head.value().map(|h| h.seq), Some(2));
}

#[test]
fn deleting_a_trainee_without_a_profile_removes_their_records() {
    let mut m = Mem::default();
    m.run(Action::SaveWork {
        patch: WorkPatch::default(),
        finished: vec![attempt("x1", "ghost")],
    })
    .unwrap();
    let records: Vec<Record> = m.records.values().cloned().collect();
    let removed = removed_for(None, "ghost", &records);
    assert_eq!(removed.len(), 1);
    m.run(Action::DeleteTrainee {
        id: "ghost".into(),
        erasure: "e1".into(),
        removed,
        at: t(5),
    })
    .unwrap();
    assert_eq!(m.records.len(), 1);
    let all: Vec<Record> = m.records.values().cloned().collect();
    assert!(store::verify(&all).is_empty());
}

#[test]
fn a_work_patch_changes_only_what_changed() {
    let before = Progress::default();
    let mut after = Progress::default();
    after.lessons_done.insert("m/l".into());
    let p = WorkPatch::diff("a", &before, &after);
    let mut state = WorkState::default();
    state
        .trainees
        .entry("a".into())
        .or_default()
        .lessons_done
        .insert("m/other".into());
    p.apply(&mut state);
    assert_eq!(state.trainees["a"].lessons_done.len(), 2);
    let undo = WorkPatch::diff("a", &after, &before);
    undo.apply(&mut state);
    assert_eq!(state.trainees["a"].lessons_done.len(), 1);
}

#[test]
fn importing_twice_adds_nothing_the_second_time() {
    let mut m = Mem::default();
    let mut ps = Profiles::default();
    ps.create("t9".into(), "李雷", "", t(0)).unwrap();
    let action = Action::Import {
        profiles: ps.list.clone(),
        records: Vec::new(),
        conflicts: Vec::new(),
    };
    m.run(action.clone()).unwrap();
    m.run(action).unwrap();
    assert_eq!(m.device().profiles_or_empty().list.len(), 1);
}

#[test]
fn v1_progress_migrates_once() {
    let raw = include_str!("../../../tests/fixtures/records/v1-progress.json");
    let mut m = Mem::default();
    let act = Action::MigrateV1 {
        raw: raw.into(),
        trainee: "t1".into(),
        name: "学员 1".into(),
        at: t(0),
    };
    m.run(act.clone()).unwrap();
    let n = m.records.len();
    assert!(n > 0);
    m.run(act).unwrap();
    assert_eq!(m.records.len(), n);
    assert_eq!(m.device().profiles_or_empty().list.len(), 1);
}
