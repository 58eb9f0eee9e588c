//! The results store's records: every finished quiz attempt, role-play and observation is
//! one record with a UUID, its trainee, the device it was made on and a place in that device's
//! hash chain; plus the device's working state (lessons done, attempts in progress).
//!
//! **Hash chain.** Each device numbers its records 1, 2, 3… (`seq`) and each record stores the
//! SHA-256 of the previous one (`prev_hash`) and its own (`hash`, over the record's canonical
//! JSON with `hash` empty). Editing a record changes its hash; deleting one leaves a gap and a
//! link that does not match. A trainer who deletes a trainee's records appends an *erasure*
//! record naming what was removed (seq and hash), so the chain still verifies and says why.
//! This makes records tamper-evident, not tamper-proof: someone with devtools can rewrite the
//! whole chain.
//!
//! **Versions.** `schema_version` 1 was a single progress document (see `records::Progress`);
//! `migrate_v1` turns it into version-2 records. A record that cannot be read, or that comes
//! from a newer app, is quarantined (kept raw, reported) and the rest loads.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::checklist::{Observation, ObservationRecord};
use crate::domain::engine::InProgress;
use crate::domain::records::{AttemptRecord, DecodeError, Progress};
use crate::domain::scenario::{ScenarioRecord, ScenarioRun};

/// The record schema this build writes.
pub const RECORD_SCHEMA: u32 = 2;

/// What a record holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    Quiz(AttemptRecord),
    Scenario(ScenarioRecord),
    Observation(ObservationRecord),
    /// A trainer removed records (e.g. deleted a trainee): what was removed, so the chain
    /// still verifies.
    Erasure {
        trainee: String,
        removed: Vec<Removed>,
    },
}

/// A record taken out of the chain by an erasure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    pub id: String,
    /// The device whose chain the record was in.
    pub device: String,
    pub seq: u64,
    pub hash: String,
    pub prev_hash: String,
}

/// One stored record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub schema_version: u32,
    /// UUID (also the id of the attempt, run or observation it holds).
    pub id: String,
    /// Device id (a UUID made once per browser profile).
    pub device: String,
    /// Position in the device's chain, from 1.
    pub seq: u64,
    /// Trainee id the record belongs to.
    pub trainee: String,
    pub content_version: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub body: Body,
    /// Hash of the previous record of the device (empty for the first).
    pub prev_hash: String,
    /// SHA-256 (hex) of this record's canonical JSON with `hash` empty.
    pub hash: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Record {
    /// The hash the record should have.
    pub fn compute_hash(&self) -> String {
        let mut copy = self.clone();
        copy.hash = String::new();
        let canonical = serde_json::to_string(&copy).expect("records are plain data");
        hex(&Sha256::digest(canonical.as_bytes()))
    }

    /// Weighted total, for any kind of body.
    pub fn total(&self) -> Option<f64> {
        self.body.total()
    }

    pub fn result(&self) -> Option<&crate::domain::rubric::RubricResult> {
        self.body.result()
    }

    pub fn kind(&self) -> &'static str {
        self.body.kind()
    }
}

impl Body {
    pub fn total(&self) -> Option<f64> {
        match self {
            Body::Quiz(a) => a.result.total,
            Body::Scenario(s) => s.score.result.total,
            Body::Observation(o) => o.score.result.total,
            Body::Erasure { .. } => None,
        }
    }

    pub fn result(&self) -> Option<&crate::domain::rubric::RubricResult> {
        match self {
            Body::Quiz(a) => Some(&a.result),
            Body::Scenario(s) => Some(&s.score.result),
            Body::Observation(o) => Some(&o.score.result),
            Body::Erasure { .. } => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Body::Quiz(_) => "quiz",
            Body::Scenario(_) => "scenario",
            Body::Observation(_) => "observation",
            Body::Erasure { .. } => "erasure",
        }
    }
}

impl Record {
    /// Reads one stored record: corrupt or newer records are errors (to quarantine).
    pub fn decode(raw: &str) -> Result<Record, DecodeError> {
        #[derive(Deserialize)]
        struct Version {
            schema_version: u32,
        }
        let v: Version = serde_json::from_str(raw).map_err(|e| DecodeError::Corrupt(e.to_string()))?;
        if v.schema_version > RECORD_SCHEMA {
            return Err(DecodeError::FromTheFuture(v.schema_version));
        }
        if v.schema_version < RECORD_SCHEMA {
            return Err(DecodeError::Corrupt(format!(
                "schema_version {} is not a record version",
                v.schema_version
            )));
        }
        serde_json::from_str(raw).map_err(|e| DecodeError::Corrupt(e.to_string()))
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("records are plain data")
    }
}

/// The end of a device's chain: what the next record links to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    pub device: String,
    pub seq: u64,
    pub hash: String,
}

impl ChainHead {
    pub fn new(device: impl Into<String>) -> Self {
        ChainHead {
            device: device.into(),
            seq: 0,
            hash: String::new(),
        }
    }

    /// The head after the records of this device in `records`.
    pub fn of(device: &str, records: &[Record]) -> Self {
        records
            .iter()
            .filter(|r| r.device == device)
            .max_by_key(|r| r.seq)
            .map(|r| ChainHead {
                device: device.to_string(),
                seq: r.seq,
                hash: r.hash.clone(),
            })
            .unwrap_or_else(|| ChainHead::new(device))
    }

    /// Makes the next record of the chain and moves the head past it.
    pub fn append(
        &mut self,
        trainee: &str,
        content_version: &str,
        started_at: DateTime<Utc>,
        finished_at: DateTime<Utc>,
        id: String,
        body: Body,
    ) -> Record {
        let mut r = Record {
            schema_version: RECORD_SCHEMA,
            id,
            device: self.device.clone(),
            seq: self.seq.saturating_add(1),
            trainee: trainee.to_string(),
            content_version: content_version.to_string(),
            started_at,
            finished_at,
            body,
            prev_hash: self.hash.clone(),
            hash: String::new(),
        };
        r.hash = r.compute_hash();
        self.seq = r.seq;
        self.hash = r.hash.clone();
        r
    }
}

/// The head of every device's chain in `records`.
pub fn heads(records: &[Record]) -> Vec<ChainHead> {
    let devices: BTreeSet<&str> = records.iter().map(|r| r.device.as_str()).collect();
    devices.into_iter().map(|d| ChainHead::of(d, records)).collect()
}

/// Something wrong in a device's chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainIssue {
    /// The record's content does not match its hash: it was edited.
    Edited { device: String, seq: u64, id: String },
    /// Records are missing between two seqs (deleted without an erasure record).
    Missing { device: String, from: u64, to: u64 },
    /// The record does not link to the one before it.
    BrokenLink { device: String, seq: u64, id: String },
    /// Two records claim the same place.
    Duplicate { device: String, seq: u64 },
}

impl std::fmt::Display for ChainIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainIssue::Edited { device, seq, id } => write!(
                f,
                "device {device}: record #{seq} ({id}) was changed after it was saved"
            ),
            ChainIssue::Missing { device, from, to } if from == to => {
                write!(f, "device {device}: record #{from} is missing")
            }
            ChainIssue::Missing { device, from, to } => write!(f, "device {device}: records #{from}–#{to} are missing"),
            ChainIssue::BrokenLink { device, seq, id } => {
                write!(
                    f,
                    "device {device}: record #{seq} ({id}) does not follow the record before it"
                )
            }
            ChainIssue::Duplicate { device, seq } => write!(f, "device {device}: two different records are #{seq}"),
        }
    }
}

/// Verifies every device's chain in `records` (any order). Records removed by an erasure
/// count as present with the hash the erasure recorded.
pub fn verify(records: &[Record]) -> Vec<ChainIssue> {
    let mut issues = Vec::new();
    let mut by_device: BTreeMap<&str, BTreeMap<u64, (String, String, String)>> = BTreeMap::new();
    for r in records {
        let chain = by_device.entry(r.device.as_str()).or_default();
        if r.hash != r.compute_hash() {
            issues.push(ChainIssue::Edited {
                device: r.device.clone(),
                seq: r.seq,
                id: r.id.clone(),
            });
        }
        if let Some(existing) = chain.insert(r.seq, (r.id.clone(), r.hash.clone(), r.prev_hash.clone()))
            && existing.0 != r.id
        {
            issues.push(ChainIssue::Duplicate {
                device: r.device.clone(),
                seq: r.seq,
            });
        }
    }
    // Erased records fill their places.
    for r in records {
        if let Body::Erasure { removed, .. } = &r.body {
            for x in removed {
                by_device
                    .entry(x.device.as_str())
                    .or_default()
                    .entry(x.seq)
                    .or_insert_with(|| (x.id.clone(), x.hash.clone(), x.prev_hash.clone()));
            }
        }
    }
    for (device, chain) in by_device {
        let mut expected_seq = 1;
        let mut prev_hash = String::new();
        for (seq, (id, hash, link)) in chain {
            if seq > expected_seq {
                issues.push(ChainIssue::Missing {
                    device: device.to_string(),
                    from: expected_seq,
                    to: seq - 1,
                });
            } else if link != prev_hash {
                issues.push(ChainIssue::BrokenLink {
                    device: device.to_string(),
                    seq,
                    id: id.clone(),
                });
            }
            expected_seq = seq.saturating_add(1);
            prev_hash = hash;
        }
    }
    issues
}

/// What the device keeps besides records: lessons done and everything in progress, per
/// trainee, with a revision that rejects a stale write from a second tab.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkState {
    pub schema_version: u32,
    /// Incremented by every save.
    pub revision: u64,
    /// The tab that saved it last (a random id per page load).
    #[serde(default)]
    pub writer: String,
    #[serde(default)]
    pub trainees: BTreeMap<String, TraineeWork>,
    /// Observations being filled in on this device, by checklist id.
    #[serde(default)]
    pub observations_in_progress: BTreeMap<String, Observation>,
}

impl Default for WorkState {
    fn default() -> Self {
        WorkState {
            schema_version: RECORD_SCHEMA,
            revision: 0,
            writer: String::new(),
            trainees: BTreeMap::new(),
            observations_in_progress: BTreeMap::new(),
        }
    }
}

/// One trainee's working state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TraineeWork {
    #[serde(default)]
    pub lessons_done: BTreeSet<String>,
    #[serde(default)]
    pub in_progress: BTreeMap<String, InProgress>,
    #[serde(default)]
    pub scenarios_in_progress: BTreeMap<String, ScenarioRun>,
}

impl WorkState {
    pub fn decode(raw: &str) -> Result<WorkState, DecodeError> {
        #[derive(Deserialize)]
        struct Version {
            schema_version: u32,
        }
        let v: Version = serde_json::from_str(raw).map_err(|e| DecodeError::Corrupt(e.to_string()))?;
        if v.schema_version > RECORD_SCHEMA {
            return Err(DecodeError::FromTheFuture(v.schema_version));
        }
        serde_json::from_str(raw).map_err(|e| DecodeError::Corrupt(e.to_string()))
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("state is plain data")
    }

    /// Whether a save by tab `me`, which last read revision `base`, must be refused because
    /// another tab has saved since (`stored` is what is stored now, if anything).
    pub fn is_stale(stored: Option<&WorkState>, me: &str, base: u64) -> bool {
        stored.is_some_and(|s| s.writer != me && s.revision > base)
    }

    /// The progress view of one trainee: their working state, the device's observations in
    /// progress, and the finished records given (already filtered to what they may see).
    pub fn view(&self, trainee: &str, records: &[Record]) -> Progress {
        let work = self.trainees.get(trainee).cloned().unwrap_or_default();
        let mut p = Progress {
            revision: self.revision,
            lessons_done: work.lessons_done,
            in_progress: work.in_progress,
            scenarios_in_progress: work.scenarios_in_progress,
            observations_in_progress: self.observations_in_progress.clone(),
            ..Progress::default()
        };
        for r in records {
            match &r.body {
                Body::Quiz(a) => p.attempts.push(a.clone()),
                Body::Scenario(s) => p.scenario_runs.push(s.clone()),
                Body::Observation(o) => p.observations.push(o.clone()),
                Body::Erasure { .. } => {}
            }
        }
        p
    }

    /// Takes back a changed progress view of `trainee`: the working fields are stored, and
    /// attempts, runs and observations that were not in `before` are returned as new bodies
    /// (with their start and finish times and content version).
    pub fn absorb(&mut self, trainee: &str, before: &Progress, after: &Progress) -> Vec<NewRecord> {
        let known: BTreeSet<&str> = before
            .attempts
            .iter()
            .map(|a| a.id.as_str())
            .chain(before.scenario_runs.iter().map(|s| s.id.as_str()))
            .chain(before.observations.iter().map(|o| o.id.as_str()))
            .collect();
        self.absorb_new(trainee, after, |id| known.contains(id))
    }

    /// As `absorb`, for a view whose finished lists only grew: the items after the first
    /// `counts` (attempts, runs, observations) are new. Avoids copying the whole view.
    pub fn absorb_tail(&mut self, trainee: &str, counts: (usize, usize, usize), after: &Progress) -> Vec<NewRecord> {
        let known: BTreeSet<&str> = after.attempts[..counts.0.min(after.attempts.len())]
            .iter()
            .map(|a| a.id.as_str())
            .chain(
                after.scenario_runs[..counts.1.min(after.scenario_runs.len())]
                    .iter()
                    .map(|s| s.id.as_str()),
            )
            .chain(
                after.observations[..counts.2.min(after.observations.len())]
                    .iter()
                    .map(|o| o.id.as_str()),
            )
            .collect();
        self.absorb_new(trainee, after, |id| known.contains(id))
    }

    fn absorb_new(&mut self, trainee: &str, after: &Progress, known: impl Fn(&str) -> bool) -> Vec<NewRecord> {
        let work = self.trainees.entry(trainee.to_string()).or_default();
        work.lessons_done = after.lessons_done.clone();
        work.in_progress = after.in_progress.clone();
        work.scenarios_in_progress = after.scenarios_in_progress.clone();
        self.observations_in_progress = after.observations_in_progress.clone();
        let mut out = Vec::new();
        for a in after.attempts.iter().filter(|a| !known(&a.id)) {
            out.push(NewRecord {
                id: a.id.clone(),
                trainee: trainee.to_string(),
                content_version: a.content_version.clone(),
                started_at: a.started_at,
                finished_at: a.finished_at,
                body: Body::Quiz(a.clone()),
            });
        }
        for s in after.scenario_runs.iter().filter(|s| !known(&s.id)) {
            out.push(NewRecord {
                id: s.id.clone(),
                trainee: s.trainee.clone().unwrap_or_else(|| trainee.to_string()),
                content_version: s.content_version.clone(),
                started_at: s.started_at,
                finished_at: s.finished_at,
                body: Body::Scenario(s.clone()),
            });
        }
        for o in after.observations.iter().filter(|o| !known(&o.id)) {
            out.push(NewRecord {
                id: o.id.clone(),
                trainee: o.trainee.clone(),
                content_version: o.content_version.clone(),
                started_at: o.started_at,
                finished_at: o.finished_at,
                body: Body::Observation(o.clone()),
            });
        }
        out
    }
}

/// A finished item to append to the chain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewRecord {
    pub id: String,
    pub trainee: String,
    pub content_version: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub body: Body,
}

impl NewRecord {
    pub fn chain(self, head: &mut ChainHead) -> Record {
        head.append(
            &self.trainee,
            &self.content_version,
            self.started_at,
            self.finished_at,
            self.id,
            self.body,
        )
    }
}

/// The result of reading a version-1 progress document.
#[derive(Clone, Debug, PartialEq)]
pub struct Migrated {
    pub state: WorkState,
    pub records: Vec<Record>,
}

/// Migrates a schema-1 progress document (one document per device, no trainees) to
/// version-2 records of `trainee` on `device`, oldest first, chained from `head`.
pub fn migrate_v1(raw: &str, trainee: &str, head: &mut ChainHead) -> Result<Migrated, DecodeError> {
    let old = Progress::decode(raw)?;
    if old.schema_version != 1 {
        return Err(DecodeError::Corrupt(format!(
            "expected schema_version 1, found {}",
            old.schema_version
        )));
    }
    let mut state = WorkState {
        revision: old.revision,
        ..WorkState::default()
    };
    let new = state.absorb(trainee, &Progress::default(), &old);
    let mut new = new;
    new.sort_by_key(|n| n.finished_at);
    let records = new.into_iter().map(|n| n.chain(head)).collect();
    Ok(Migrated { state, records })
}

/// Reads every stored record, keeping the readable ones and the raw text of the others.
pub fn load_records<'a>(
    raw: impl IntoIterator<Item = (String, &'a str)>,
) -> (Vec<Record>, Vec<(String, String, DecodeError)>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for (key, text) in raw {
        match Record::decode(text) {
            Ok(r) => ok.push(r),
            Err(e) => bad.push((key, text.to_string(), e)),
        }
    }
    ok.sort_by_key(|r| (r.finished_at, r.seq));
    (ok, bad)
}
