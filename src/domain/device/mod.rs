//! The device model: everything a tablet keeps, and every change a person makes to it.
//!
//! [`Device`] is what storage holds besides the records: the working state, the chain head,
//! trainees, the trainer lock and its recovery code, settings and import conflicts, each a
//! [`Slot`] that is either readable or kept as raw text. A change is an [`Action`], named after
//! what a person does. [`commit`] applies an action to the documents **as stored at that
//! moment** (the browser calls it inside the IndexedDB transaction, after reading them), and
//! returns exactly what must be written. Because every action is re-applied to the freshest
//! copy, two tabs never lose each other's changes: a trainee added in one tab survives an
//! import in the other, and two tabs marking different lessons both keep theirs.
//!
//! An action that needs a document that cannot be read fails with
//! [`DeviceError::Unreadable`] and writes nothing: only that part of the app is read-only.

pub mod docs;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use docs::{DOC_SCHEMA, DocKind, Slot, Unreadable};

use crate::domain::profiles::{Profile, ProfileError, Profiles, TrainerLock};
use crate::domain::records::Progress;
use crate::domain::rubric::GradeBands;
use crate::domain::store::{self, Body, ChainHead, NewRecord, Record, Removed, WorkState};

/// The id the trainer's own work (observations in progress) is kept under.
pub const TRAINER_ID: &str = "trainer";

/// The trainer's choices: the rubric new results are scored on, and the grade bands.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Rubric id; `None` is the course's default (m1 §8.1.1).
    #[serde(default)]
    pub rubric: Option<String>,
    #[serde(default)]
    pub bands: GradeBands,
}

/// The one-time code that lets a trainer set a new PIN when the PIN is forgotten or the lock
/// cannot be read. Only a salted SHA-256 of it is stored (the code has 80 random bits, so a
/// slow hash adds nothing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCode {
    pub salt: String,
    pub hash: String,
}

/// The letters a recovery code is written in (no 0/O, 1/I/L, 2/Z, 5/S, U/V).
const CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKMNPQRTWXY3456789abcdef";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl RecoveryCode {
    /// Makes a code from 10 random bytes (80 bits) and 16 bytes of salt, both from the
    /// caller: the code to show once (`XXXX-XXXX-XXXX-XXXX`) and what to store.
    pub fn new(random: [u8; 10], salt: [u8; 16]) -> (String, RecoveryCode) {
        let mut bits: u128 = 0;
        for b in random {
            bits = (bits << 8) | u128::from(b);
        }
        let alphabet: Vec<u8> = CODE_ALPHABET.iter().map(|c| c.to_ascii_uppercase()).collect();
        let chars: Vec<char> = (0..16)
            .map(|i| alphabet[((bits >> (i * 5)) & 31) as usize] as char)
            .collect();
        let code = chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-");
        let stored = RecoveryCode {
            salt: hex(&salt),
            hash: Self::digest(&hex(&salt), &code),
        };
        (code, stored)
    }

    fn digest(salt: &str, code: &str) -> String {
        hex(&Sha256::digest(format!("{salt}:{}", normalise_code(code)).as_bytes()))
    }

    /// Whether `code` is this code (case, spaces and dashes do not matter).
    pub fn matches(&self, code: &str) -> bool {
        Self::digest(&self.salt, code) == self.hash
    }
}

/// Everything the device stores besides the records.
#[derive(Clone, Debug, PartialEq)]
pub struct Device {
    pub state: Slot<WorkState>,
    pub head: Slot<ChainHead>,
    pub profiles: Slot<Profiles>,
    pub trainer: Slot<TrainerLock>,
    pub recovery: Slot<RecoveryCode>,
    pub settings: Slot<Settings>,
    pub conflicts: Slot<Vec<Record>>,
    /// Documents whose previous good copy is kept (restorable in one tap).
    pub previous: BTreeSet<DocKind>,
}

/// Why an action was not carried out. Nothing was written.
#[derive(Clone, Debug, PartialEq)]
pub enum DeviceError {
    /// A document the action needs cannot be read (damaged or newer): it stays as it is.
    Unreadable {
        kind: DocKind,
        why: Unreadable,
    },
    Profile(ProfileError),
    NoSuchTrainee(String),
    /// A PIN is already set (change it from trainer mode).
    PinAlreadySet,
    /// The recovery code is not the one shown when the PIN was set (or none is stored).
    WrongRecoveryCode,
    /// There is no previous copy of that document to restore.
    NothingToRestore(DocKind),
    /// That document may not be replaced by an empty one.
    MayNotStartAfresh(DocKind),
    /// The version-1 progress document could not be migrated.
    Migration(Unreadable),
}

/// A change, named after what a person does.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The trainee's work changed (an answer, a lesson done, a step of a role-play or an
    /// observation) and perhaps something was finished.
    SaveWork {
        patch: WorkPatch,
        finished: Vec<NewRecord>,
    },
    CreateTrainee {
        id: String,
        name: String,
        employee_id: String,
        at: DateTime<Utc>,
    },
    RenameTrainee {
        id: String,
        name: String,
        employee_id: String,
    },
    ArchiveTrainee {
        id: String,
        archived: bool,
    },
    /// Two profiles are one person: `from`'s records become `into`'s.
    MergeTrainees {
        from: String,
        into: String,
    },
    /// Removes a trainee (or the records of a trainee id no profile has), with an erasure
    /// record naming what was removed so the chain still verifies.
    DeleteTrainee {
        id: String,
        erasure: String,
        removed: Vec<Removed>,
        at: DateTime<Utc>,
    },
    /// The first PIN, or a new one while trainer mode is open (`replace`).
    SetPin {
        lock: TrainerLock,
        recovery: RecoveryCode,
        replace: bool,
    },
    /// A new PIN through the one-time recovery code (forgotten PIN, or an unreadable lock).
    RecoverPin {
        code: String,
        lock: TrainerLock,
        recovery: RecoveryCode,
    },
    /// A PIN was tried (checked against the lock the page holds): counts the back-off.
    UnlockAttempt {
        ok: bool,
        at: DateTime<Utc>,
    },
    SaveSettings(Settings),
    /// A bundle from another device: new profiles, new records (already checked and
    /// merged), records kept aside.
    Import {
        profiles: Vec<Profile>,
        records: Vec<Record>,
        conflicts: Vec<Record>,
    },
    /// The trainer keeps this device's record; the imported one (by hash) is dropped.
    DismissConflict {
        hash: String,
    },
    /// Puts the previous good copy back; the unreadable text goes to the quarantine. (The chain
    /// head is repaired with [`Action::RepairHead`] instead: its previous copy is one record
    /// behind.)
    Restore(DocKind),
    /// Rebuilds an unreadable chain head: the device id of its previous copy, continued after
    /// that device's last record (`heads`: [`ChainHead::of`] for each device in the records).
    RepairHead {
        heads: Vec<ChainHead>,
    },
    /// Replaces an unreadable document by an empty one; its text goes to the quarantine.
    StartAfresh(DocKind),
    /// The version-1 progress document becomes the first trainee's records.
    MigrateV1 {
        raw: String,
        trainee: String,
        name: String,
        at: DateTime<Utc>,
    },
}

/// What the caller passes in: the clock, and a fresh device id for a chain that does not
/// exist yet.
#[derive(Clone, Debug)]
pub struct Env {
    pub now: DateTime<Utc>,
    pub new_device: String,
}

/// What `commit` decided: the device after the action, and what to write.
#[derive(Clone, Debug)]
pub struct Applied {
    pub device: Device,
    /// Documents to write (key, text), previous good copies included.
    pub docs: Vec<(String, String)>,
    /// Documents to delete.
    pub delete_docs: Vec<String>,
    /// Records to add: chained ones made here, or imported ones as they are.
    pub records: Vec<Record>,
    /// Record ids to delete (an erasure).
    pub delete_records: Vec<String>,
    /// Raw text to keep in the quarantine (key, text).
    pub quarantine: Vec<(String, String)>,
}

/// The per-trainee change of the working state, applied key by key to what is stored, so a
/// second tab's changes to other lessons, attempts or observations are kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkPatch {
    pub trainee: String,
    pub lessons_done: BTreeSet<String>,
    pub lessons_undone: BTreeSet<String>,
    pub in_progress: BTreeMap<String, Option<crate::domain::engine::InProgress>>,
    pub scenarios: BTreeMap<String, Option<crate::domain::scenario::ScenarioRun>>,
    pub observations: BTreeMap<String, Option<crate::domain::checklist::Observation>>,
}

fn diff_maps<T: Clone + PartialEq>(
    before: &BTreeMap<String, T>,
    after: &BTreeMap<String, T>,
) -> BTreeMap<String, Option<T>> {
    let mut out = BTreeMap::new();
    for (k, v) in after {
        if before.get(k) != Some(v) {
            out.insert(k.clone(), Some(v.clone()));
        }
    }
    for k in before.keys() {
        if !after.contains_key(k) {
            out.insert(k.clone(), None);
        }
    }
    out
}

fn patch_map<T: Clone>(target: &mut BTreeMap<String, T>, patch: &BTreeMap<String, Option<T>>) {
    for (k, v) in patch {
        match v {
            Some(v) => {
                target.insert(k.clone(), v.clone());
            }
            None => {
                target.remove(k);
            }
        }
    }
}

impl WorkPatch {
    /// What changed between two progress views of `trainee`.
    pub fn diff(trainee: &str, before: &Progress, after: &Progress) -> WorkPatch {
        WorkPatch {
            trainee: trainee.to_string(),
            lessons_done: after.lessons_done.difference(&before.lessons_done).cloned().collect(),
            lessons_undone: before.lessons_done.difference(&after.lessons_done).cloned().collect(),
            in_progress: diff_maps(&before.in_progress, &after.in_progress),
            scenarios: diff_maps(&before.scenarios_in_progress, &after.scenarios_in_progress),
            observations: diff_maps(&before.observations_in_progress, &after.observations_in_progress),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lessons_done.is_empty()
            && self.lessons_undone.is_empty()
            && self.in_progress.is_empty()
            && self.scenarios.is_empty()
            && self.observations.is_empty()
    }

    /// Applies the change to a stored state.
    pub fn apply(&self, state: &mut WorkState) {
        let work = state.trainees.entry(self.trainee.clone()).or_default();
        work.lessons_done.extend(self.lessons_done.iter().cloned());
        for l in &self.lessons_undone {
            work.lessons_done.remove(l);
        }
        patch_map(&mut work.in_progress, &self.in_progress);
        patch_map(&mut work.scenarios_in_progress, &self.scenarios);
        patch_map(&mut state.observations_in_progress, &self.observations);
    }
}

/// The records that name a trainee (directly or through an alias of their profile), as an
/// erasure lists them.
pub fn removed_for(profiles: Option<&Profiles>, trainee: &str, records: &[Record]) -> Vec<Removed> {
    let mut ids: BTreeSet<&str> = BTreeSet::from([trainee]);
    if let Some(p) = profiles.and_then(|ps| ps.get(trainee)) {
        ids.extend(p.aliases.iter().map(String::as_str));
    }
    records
        .iter()
        .filter(|r| ids.contains(r.trainee.as_str()) && !matches!(r.body, Body::Erasure { .. }))
        .map(|r| Removed {
            id: r.id.clone(),
            device: r.device.clone(),
            seq: r.seq,
            hash: r.hash.clone(),
            prev_hash: r.prev_hash.clone(),
        })
        .collect()
}

fn need<T: Clone + Default>(kind: DocKind, slot: &Slot<T>) -> Result<T, DeviceError> {
    match slot {
        Slot::Absent => Ok(T::default()),
        Slot::Good { value, .. } => Ok(value.clone()),
        Slot::Bad { why, .. } => Err(DeviceError::Unreadable { kind, why: why.clone() }),
    }
}

/// The writes being collected by `commit`.
struct Writer<'a> {
    stored: &'a BTreeMap<String, String>,
    out: Applied,
}

impl Writer<'_> {
    /// Writes a document at the next revision, keeping the stored text as the previous good
    /// copy when it was readable.
    fn put<T: Serialize + Clone>(&mut self, kind: DocKind, slot: &Slot<T>, value: T) -> Slot<T> {
        if let (Slot::Good { .. }, Some(raw)) = (slot, self.stored.get(kind.key())) {
            self.out.docs.push((kind.prev_key(), raw.clone()));
            self.out.device.previous.insert(kind);
        }
        let revision = slot.revision() + 1;
        self.out
            .docs
            .push((kind.key().to_string(), docs::encode(&value, revision)));
        Slot::Good { value, revision }
    }
}

impl Device {
    /// Reads the device from the `documents` store's (key, text) pairs.
    pub fn decode(stored: &BTreeMap<String, String>) -> Device {
        fn slot<T: serde::de::DeserializeOwned>(stored: &BTreeMap<String, String>, kind: DocKind) -> Slot<T> {
            stored
                .get(kind.key())
                .map(|raw| docs::decode(raw))
                .unwrap_or(Slot::Absent)
        }
        let previous = DocKind::ALL
            .into_iter()
            .filter(|k| stored.contains_key(&k.prev_key()))
            .collect();
        Device {
            state: slot(stored, DocKind::State),
            head: slot(stored, DocKind::Head),
            profiles: slot(stored, DocKind::Profiles),
            trainer: slot(stored, DocKind::Trainer),
            recovery: slot(stored, DocKind::Recovery),
            settings: slot(stored, DocKind::Settings),
            conflicts: slot(stored, DocKind::Conflicts),
            previous,
        }
    }

    /// The documents that cannot be read, in a fixed order.
    pub fn unreadable(&self) -> Vec<(DocKind, Unreadable)> {
        let all = [
            (DocKind::State, self.state.unreadable()),
            (DocKind::Head, self.head.unreadable()),
            (DocKind::Profiles, self.profiles.unreadable()),
            (DocKind::Trainer, self.trainer.unreadable()),
            (DocKind::Recovery, self.recovery.unreadable()),
            (DocKind::Settings, self.settings.unreadable()),
            (DocKind::Conflicts, self.conflicts.unreadable()),
        ];
        all.into_iter().filter_map(|(k, w)| w.map(|w| (k, w.clone()))).collect()
    }

    /// The raw text of an unreadable document.
    pub fn raw_of(&self, kind: DocKind) -> Option<&str> {
        fn raw<T>(s: &Slot<T>) -> Option<&str> {
            match s {
                Slot::Bad { raw, .. } => Some(raw),
                _ => None,
            }
        }
        match kind {
            DocKind::State => raw(&self.state),
            DocKind::Head => raw(&self.head),
            DocKind::Profiles => raw(&self.profiles),
            DocKind::Trainer => raw(&self.trainer),
            DocKind::Recovery => raw(&self.recovery),
            DocKind::Settings => raw(&self.settings),
            DocKind::Conflicts => raw(&self.conflicts),
        }
    }

    /// The trainees (none while the list cannot be read).
    pub fn profiles_or_empty(&self) -> Profiles {
        self.profiles.value().cloned().unwrap_or_default()
    }

    pub fn settings_or_default(&self) -> Settings {
        self.settings.value().cloned().unwrap_or_default()
    }

    pub fn state_or_empty(&self) -> WorkState {
        self.state.value().cloned().unwrap_or_default()
    }

    /// This device's id, if its chain head can be read.
    pub fn device_id(&self) -> Option<&str> {
        self.head.value().map(|h| h.device.as_str())
    }

    /// Whether the trainer lock is set and readable.
    pub fn pin_is_set(&self) -> bool {
        matches!(self.trainer, Slot::Good { .. })
    }
}

fn quarantine_key(kind: DocKind, now: DateTime<Utc>) -> String {
    format!("doc:{}:{}", kind.key(), now.to_rfc3339())
}

/// Applies `action` to the documents as stored now (`stored`: the `documents` store's
/// key → text) and returns what to write. Nothing is written when it fails.
pub fn commit(stored: &BTreeMap<String, String>, action: &Action, env: &Env) -> Result<Applied, DeviceError> {
    let device = Device::decode(stored);
    let mut w = Writer {
        stored,
        out: Applied {
            device: device.clone(),
            docs: Vec::new(),
            delete_docs: Vec::new(),
            records: Vec::new(),
            delete_records: Vec::new(),
            quarantine: Vec::new(),
        },
    };
    match action {
        Action::SaveWork { patch, finished } => {
            let mut state = need(DocKind::State, &device.state)?;
            let chained = chain(&device, finished, env)?;
            if !patch.is_empty() || !finished.is_empty() {
                patch.apply(&mut state);
                state.revision = state.revision.saturating_add(1);
                w.out.device.state = w.put(DocKind::State, &device.state, state);
            }
            if let Some((records, head)) = chained {
                w.out.records = records;
                w.out.device.head = w.put(DocKind::Head, &device.head, head);
            }
        }
        Action::CreateTrainee {
            id,
            name,
            employee_id,
            at,
        } => {
            let mut profiles = need(DocKind::Profiles, &device.profiles)?;
            if profiles.get(id).is_none() {
                profiles
                    .create(id.clone(), name, employee_id, *at)
                    .map_err(DeviceError::Profile)?;
            }
            w.out.device.profiles = w.put(DocKind::Profiles, &device.profiles, profiles);
        }
        Action::RenameTrainee { id, name, employee_id } => {
            let mut profiles = need(DocKind::Profiles, &device.profiles)?;
            if profiles.get(id).is_none() {
                return Err(DeviceError::NoSuchTrainee(id.clone()));
            }
            profiles.rename(id, name, employee_id).map_err(DeviceError::Profile)?;
            w.out.device.profiles = w.put(DocKind::Profiles, &device.profiles, profiles);
        }
        Action::ArchiveTrainee { id, archived } => {
            let mut profiles = need(DocKind::Profiles, &device.profiles)?;
            if profiles.get(id).is_none() {
                return Err(DeviceError::NoSuchTrainee(id.clone()));
            }
            profiles.set_archived(id, *archived);
            w.out.device.profiles = w.put(DocKind::Profiles, &device.profiles, profiles);
        }
        Action::MergeTrainees { from, into } => {
            let mut profiles = need(DocKind::Profiles, &device.profiles)?;
            let mut state = need(DocKind::State, &device.state)?;
            if !profiles.merge_into_at(from, into, env.now) {
                return Err(DeviceError::NoSuchTrainee(
                    if profiles.get(into).is_none() { into } else { from }.clone(),
                ));
            }
            // The merged profile's lessons done count for the one it joined.
            if let Some(gone) = state.trainees.remove(from) {
                let keep = state.trainees.entry(into.clone()).or_default();
                keep.lessons_done.extend(gone.lessons_done);
                for (k, v) in gone.in_progress {
                    keep.in_progress.entry(k).or_insert(v);
                }
                for (k, v) in gone.scenarios_in_progress {
                    keep.scenarios_in_progress.entry(k).or_insert(v);
                }
            }
            w.out.device.profiles = w.put(DocKind::Profiles, &device.profiles, profiles);
            if let Slot::Good { .. } | Slot::Absent = device.state {
                w.out.device.state = w.put(DocKind::State, &device.state, state);
            }
        }
        Action::DeleteTrainee {
            id,
            erasure,
            removed,
            at,
        } => {
            let mut profiles = need(DocKind::Profiles, &device.profiles)?;
            let mut state = need(DocKind::State, &device.state)?;
            let known = profiles.get(id).is_some() || state.trainees.contains_key(id) || !removed.is_empty();
            if !known {
                return Err(DeviceError::NoSuchTrainee(id.clone()));
            }
            profiles.remove(id);
            state.trainees.remove(id);
            let body = Body::Erasure {
                trainee: id.clone(),
                removed: removed.clone(),
            };
            let new = NewRecord {
                id: erasure.clone(),
                trainee: id.clone(),
                content_version: String::new(),
                started_at: *at,
                finished_at: *at,
                body,
            };
            let (records, head) = chain(&device, std::slice::from_ref(&new), env)?.expect("one record");
            w.out.records = records;
            w.out.delete_records = removed.iter().map(|r| r.id.clone()).collect();
            w.out.device.head = w.put(DocKind::Head, &device.head, head);
            w.out.device.profiles = w.put(DocKind::Profiles, &device.profiles, profiles);
            w.out.device.state = w.put(DocKind::State, &device.state, state);
        }
        Action::SetPin {
            lock,
            recovery,
            replace,
        } => {
            match (&device.trainer, replace) {
                (Slot::Bad { why, .. }, _) => {
                    return Err(DeviceError::Unreadable {
                        kind: DocKind::Trainer,
                        why: why.clone(),
                    });
                }
                (Slot::Good { .. }, false) => return Err(DeviceError::PinAlreadySet),
                _ => {}
            }
            w.out.device.trainer = w.put(DocKind::Trainer, &device.trainer, lock.clone());
            set_recovery(&mut w, &device, recovery, env);
        }
        Action::RecoverPin { code, lock, recovery } => {
            let ok = device.recovery.value().is_some_and(|r| r.matches(code));
            if !ok {
                return Err(DeviceError::WrongRecoveryCode);
            }
            if let Slot::Bad { raw, .. } = &device.trainer {
                w.out
                    .quarantine
                    .push((quarantine_key(DocKind::Trainer, env.now), raw.clone()));
            }
            w.out.device.trainer = w.put(DocKind::Trainer, &device.trainer, lock.clone());
            set_recovery(&mut w, &device, recovery, env);
        }
        Action::UnlockAttempt { ok, at } => {
            let Some(mut lock) = need_present(DocKind::Trainer, &device.trainer)? else {
                return Err(DeviceError::NoSuchTrainee(TRAINER_ID.into()));
            };
            let _ = lock.register(*ok, *at);
            w.out.device.trainer = w.put(DocKind::Trainer, &device.trainer, lock);
        }
        Action::SaveSettings(settings) => {
            need(DocKind::Settings, &device.settings)?;
            w.out.device.settings = w.put(DocKind::Settings, &device.settings, settings.clone());
        }
        Action::Import {
            profiles: incoming,
            records,
            conflicts,
        } => {
            let mut profiles = need(DocKind::Profiles, &device.profiles)?;
            let mut kept = need(DocKind::Conflicts, &device.conflicts)?;
            for p in incoming {
                if profiles.owner(&p.id).is_none() {
                    profiles.list.push(p.clone());
                }
            }
            for c in conflicts {
                if !kept.contains(c) {
                    kept.push(c.clone());
                }
            }
            w.out.records = records.clone();
            w.out.device.profiles = w.put(DocKind::Profiles, &device.profiles, profiles);
            if !conflicts.is_empty() {
                w.out.device.conflicts = w.put(DocKind::Conflicts, &device.conflicts, kept);
            }
        }
        Action::DismissConflict { hash } => {
            let mut kept = need(DocKind::Conflicts, &device.conflicts)?;
            kept.retain(|r| &r.hash != hash);
            w.out.device.conflicts = w.put(DocKind::Conflicts, &device.conflicts, kept);
        }
        Action::Restore(DocKind::Head) => return Err(DeviceError::NothingToRestore(DocKind::Head)),
        Action::Restore(kind) => restore(&mut w, &device, *kind, env)?,
        Action::RepairHead { heads } => {
            let Slot::Bad { raw, .. } = &device.head else {
                return Ok(w.out);
            };
            let prev = stored
                .get(&DocKind::Head.prev_key())
                .ok_or(DeviceError::NothingToRestore(DocKind::Head))?;
            let Slot::Good { value: old, .. } = docs::decode::<ChainHead>(prev) else {
                return Err(DeviceError::NothingToRestore(DocKind::Head));
            };
            let head = heads
                .iter()
                .find(|h| h.device == old.device && h.seq >= old.seq)
                .cloned()
                .unwrap_or(old);
            w.out
                .quarantine
                .push((quarantine_key(DocKind::Head, env.now), raw.clone()));
            w.out.docs.push((DocKind::Head.key().into(), docs::encode(&head, 1)));
            w.out.device.head = Slot::Good {
                value: head,
                revision: 1,
            };
        }
        Action::StartAfresh(kind) => start_afresh(&mut w, &device, *kind, env)?,
        Action::MigrateV1 { raw, trainee, name, at } => {
            let mut profiles = need(DocKind::Profiles, &device.profiles)?;
            if device.state.value().is_some() || device.state.is_bad() {
                // Already migrated (another tab did it): nothing to do.
                return Ok(w.out);
            }
            let mut head = match &device.head {
                Slot::Good { value, .. } => value.clone(),
                Slot::Absent => ChainHead::new(env.new_device.clone()),
                Slot::Bad { why, .. } => {
                    return Err(DeviceError::Unreadable {
                        kind: DocKind::Head,
                        why: why.clone(),
                    });
                }
            };
            let migrated = store::migrate_v1(raw, trainee, &mut head).map_err(|e| {
                DeviceError::Migration(match e {
                    crate::domain::records::DecodeError::Corrupt(m) => Unreadable::Damaged(m),
                    crate::domain::records::DecodeError::FromTheFuture(v) => Unreadable::Newer(v),
                })
            })?;
            if profiles.get(trainee).is_none() {
                profiles
                    .create(trainee.clone(), name, "", *at)
                    .map_err(DeviceError::Profile)?;
            }
            w.out.records = migrated.records;
            w.out.device.head = w.put(DocKind::Head, &device.head, head);
            w.out.device.profiles = w.put(DocKind::Profiles, &device.profiles, profiles);
            w.out.device.state = w.put(DocKind::State, &device.state, migrated.state);
        }
    }
    Ok(w.out)
}

fn need_present<T: Clone>(kind: DocKind, slot: &Slot<T>) -> Result<Option<T>, DeviceError> {
    match slot {
        Slot::Absent => Ok(None),
        Slot::Good { value, .. } => Ok(Some(value.clone())),
        Slot::Bad { why, .. } => Err(DeviceError::Unreadable { kind, why: why.clone() }),
    }
}

fn set_recovery(w: &mut Writer<'_>, device: &Device, recovery: &RecoveryCode, env: &Env) {
    if let Slot::Bad { raw, .. } = &device.recovery {
        w.out
            .quarantine
            .push((quarantine_key(DocKind::Recovery, env.now), raw.clone()));
    }
    w.out.device.recovery = w.put(DocKind::Recovery, &device.recovery, recovery.clone());
}

/// Chains finished items after the stored head (a new chain with `env.new_device` when there
/// is none). `None` when there is nothing to chain.
fn chain(device: &Device, finished: &[NewRecord], env: &Env) -> Result<Option<(Vec<Record>, ChainHead)>, DeviceError> {
    if finished.is_empty() {
        return Ok(None);
    }
    let mut head = match &device.head {
        Slot::Good { value, .. } => value.clone(),
        Slot::Absent => ChainHead::new(env.new_device.clone()),
        Slot::Bad { why, .. } => {
            return Err(DeviceError::Unreadable {
                kind: DocKind::Head,
                why: why.clone(),
            });
        }
    };
    let records = finished.iter().cloned().map(|n| n.chain(&mut head)).collect();
    Ok(Some((records, head)))
}

fn restore(w: &mut Writer<'_>, device: &Device, kind: DocKind, env: &Env) -> Result<(), DeviceError> {
    // Only an unreadable document is restored: a readable one is newer than its copy.
    let Some(raw) = device.raw_of(kind) else { return Ok(()) };
    let prev = w
        .stored
        .get(&kind.prev_key())
        .ok_or(DeviceError::NothingToRestore(kind))?
        .clone();
    w.out.quarantine.push((quarantine_key(kind, env.now), raw.to_string()));
    // The previous copy must itself be readable, or restoring would only swap damage.
    fn check<T: serde::de::DeserializeOwned>(raw: &str, kind: DocKind) -> Result<Slot<T>, DeviceError> {
        match docs::decode::<T>(raw) {
            Slot::Bad { why, .. } => Err(DeviceError::Unreadable { kind, why }),
            s => Ok(s),
        }
    }
    let d = &mut w.out.device;
    match kind {
        DocKind::State => d.state = check(&prev, kind)?,
        DocKind::Head => d.head = check(&prev, kind)?,
        DocKind::Profiles => d.profiles = check(&prev, kind)?,
        DocKind::Trainer => d.trainer = check(&prev, kind)?,
        DocKind::Recovery => d.recovery = check(&prev, kind)?,
        DocKind::Settings => d.settings = check(&prev, kind)?,
        DocKind::Conflicts => d.conflicts = check(&prev, kind)?,
    }
    w.out.docs.push((kind.key().to_string(), prev));
    Ok(())
}

fn start_afresh(w: &mut Writer<'_>, device: &Device, kind: DocKind, env: &Env) -> Result<(), DeviceError> {
    if !kind.may_start_afresh() {
        return Err(DeviceError::MayNotStartAfresh(kind));
    }
    if let Some(raw) = device.raw_of(kind) {
        w.out.quarantine.push((quarantine_key(kind, env.now), raw.to_string()));
    }
    // An unreadable document is replaced at revision 1; a readable one is left alone.
    fn fresh<T: Serialize>(docs: &mut Vec<(String, String)>, kind: DocKind, value: T) -> Slot<T> {
        docs.push((kind.key().into(), docs::encode(&value, 1)));
        Slot::Good { value, revision: 1 }
    }
    let (d, out) = (&mut w.out.device, &mut w.out.docs);
    match kind {
        DocKind::State if device.state.is_bad() => d.state = fresh(out, kind, WorkState::default()),
        // A new chain: this device continues under a new id, the old records keep theirs.
        DocKind::Head if device.head.is_bad() => d.head = fresh(out, kind, ChainHead::new(env.new_device.clone())),
        DocKind::Profiles if device.profiles.is_bad() => d.profiles = fresh(out, kind, Profiles::default()),
        DocKind::Settings if device.settings.is_bad() => d.settings = fresh(out, kind, Settings::default()),
        DocKind::Conflicts if device.conflicts.is_bad() => d.conflicts = fresh(out, kind, Vec::new()),
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests;
