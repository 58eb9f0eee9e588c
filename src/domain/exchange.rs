//! Moving results between tablets and into other tools.
//!
//! - **JSON bundle** (`lixun-results`): full fidelity: trainees, records with their hash chains,
//!   the exporting device and content version. Re-importable.
//! - **CSV**: attempt summaries (one row per record, one column per criterion) and item
//!   responses, UTF-8 with a BOM so spreadsheet programs show Chinese, every cell that starts
//!   with `=`, `+`, `-`, `@`, tab or carriage return prefixed with `'` (OWASP CSV injection).
//! - **xAPI** statements (1.0.3) following ADL's verbs.
//! - **Import and merge**: bundles are checked (size, UTF-8, JSON, nesting, versions, ids,
//!   score ranges) before anything changes; records merge by UUID, trainees by employee id;
//!   a different record under a known UUID is kept aside as a conflict; chains are verified.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::profiles::{Profile, Profiles};
use crate::domain::store::{self, Body, ChainIssue, RECORD_SCHEMA, Record};

/// The bundle format name.
pub const FORMAT: &str = "lixun-results";
/// Files larger than this are refused before they are read.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// A JSON bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsBundle {
    pub format: String,
    pub schema_version: u32,
    pub exported_at: DateTime<Utc>,
    /// The device that exported it.
    pub device: String,
    pub content_version: String,
    pub trainees: Vec<Profile>,
    pub records: Vec<Record>,
}

impl ResultsBundle {
    pub fn new(
        device: &str,
        content_version: &str,
        at: DateTime<Utc>,
        profiles: &Profiles,
        records: &[Record],
    ) -> Self {
        ResultsBundle {
            format: FORMAT.into(),
            schema_version: RECORD_SCHEMA,
            exported_at: at,
            device: device.into(),
            content_version: content_version.into(),
            trainees: profiles.list.clone(),
            records: records.to_vec(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain data")
    }
}

/// Why a file was refused. Nothing is changed by a refused file.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    TooLarge(usize),
    NotUtf8,
    NotJson(String),
    TooDeep,
    NotABundle,
    FutureVersion(u32),
    UnknownVersion(u32),
    DuplicateId(String),
    BadScore { record: String, what: String },
    BadTrainee(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge(n) => write!(f, "the file is {n} bytes; the limit is {MAX_BYTES} (20 MB)"),
            ImportError::NotUtf8 => write!(f, "the file is not UTF-8 text"),
            ImportError::NotJson(e) => write!(f, "the file is not valid JSON: {e}"),
            ImportError::TooDeep => write!(f, "the file nests too deeply to be a results bundle"),
            ImportError::NotABundle => write!(f, "the file is not a Lixun results bundle"),
            ImportError::FutureVersion(v) => write!(
                f,
                "the bundle has schema_version {v}, newer than this app ({RECORD_SCHEMA})"
            ),
            ImportError::UnknownVersion(v) => {
                write!(f, "the bundle has schema_version {v}, which this app does not read")
            }
            ImportError::DuplicateId(id) => write!(f, "the bundle has two records with id {id}"),
            ImportError::BadScore { record, what } => write!(f, "record {record}: {what}"),
            ImportError::BadTrainee(id) => write!(f, "trainee {id} is listed twice or has no name"),
        }
    }
}

/// Nesting deeper than this is refused before parsing (a results bundle needs about 12).
const MAX_DEPTH: usize = 64;

fn depth_ok(text: &str) -> bool {
    let (mut depth, mut max, mut in_str, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if max > MAX_DEPTH {
            return false;
        }
    }
    true
}

fn percent_ok(p: Option<f64>) -> bool {
    p.is_none_or(|p| p.is_finite() && (0.0..=100.0).contains(&p))
}

/// Reads and checks one file.
pub fn parse(bytes: &[u8]) -> Result<ResultsBundle, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge(bytes.len()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !depth_ok(text) {
        return Err(ImportError::TooDeep);
    }
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
        schema_version: Option<u32>,
    }
    let head: Head = serde_json::from_str(text).map_err(|e| ImportError::NotJson(e.to_string()))?;
    if head.format.as_deref() != Some(FORMAT) {
        return Err(ImportError::NotABundle);
    }
    match head.schema_version {
        Some(v) if v > RECORD_SCHEMA => return Err(ImportError::FutureVersion(v)),
        Some(v) if v < RECORD_SCHEMA => return Err(ImportError::UnknownVersion(v)),
        None => return Err(ImportError::NotABundle),
        _ => {}
    }
    let b: ResultsBundle = serde_json::from_str(text).map_err(|e| ImportError::NotJson(e.to_string()))?;
    let mut ids = BTreeSet::new();
    for r in &b.records {
        if !ids.insert(r.id.as_str()) {
            return Err(ImportError::DuplicateId(r.id.clone()));
        }
        if r.schema_version > RECORD_SCHEMA {
            return Err(ImportError::FutureVersion(r.schema_version));
        }
        if let Some(res) = r.result() {
            let bad = |what: String| ImportError::BadScore {
                record: r.id.clone(),
                what,
            };
            if !percent_ok(res.total) {
                return Err(bad(format!("weighted total {:?} is outside 0–100", res.total)));
            }
            for c in &res.criteria {
                if !percent_ok(c.percent) {
                    return Err(bad(format!(
                        "criterion {} score {:?} is outside 0–100",
                        c.criterion, c.percent
                    )));
                }
                if !(c.printed_weight.is_finite() && c.printed_weight >= 0.0) {
                    return Err(bad(format!(
                        "criterion {} weight {} is negative",
                        c.criterion, c.printed_weight
                    )));
                }
            }
        }
        if let Body::Quiz(a) = &r.body {
            if a.responses
                .iter()
                .any(|x| !(x.score.is_finite() && (0.0..=1.0).contains(&x.score)))
            {
                return Err(ImportError::BadScore {
                    record: r.id.clone(),
                    what: "a response score is outside 0–1".into(),
                });
            }
        }
    }
    let mut tids = BTreeSet::new();
    for t in &b.trainees {
        if t.name.trim().is_empty() || !tids.insert(t.id.as_str()) {
            return Err(ImportError::BadTrainee(t.id.clone()));
        }
    }
    Ok(b)
}

/// How an imported trainee was matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraineeMatch {
    /// The same profile (same id) is already on this device.
    Same { id: String },
    /// Matched to a local trainee by employee id: their records are re-assigned to `local`.
    ByEmployeeId { imported: String, local: String },
    /// Added as a new trainee (no employee id match). The trainer may merge them by hand.
    New { id: String, name: String },
}

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergeReport {
    pub added: usize,
    /// Records already on the device, unchanged.
    pub duplicates: usize,
    /// Records whose UUID is on the device with different content: kept aside, not merged.
    pub conflicts: Vec<Record>,
    pub trainees: Vec<TraineeMatch>,
    /// Chain problems found in the merged records.
    pub chain_issues: Vec<ChainIssue>,
}

/// The device's results, as merge sees them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merged {
    pub profiles: Profiles,
    pub records: Vec<Record>,
}

/// Merges `bundle` into `local` (which is unchanged; the merged result is returned). Records
/// are deduplicated by UUID; trainees match by id, then by employee id, else are added.
/// Importing the same bundle twice changes nothing the second time, and the order of two
/// bundles does not change the records that result.
pub fn merge(local: &Merged, bundle: &ResultsBundle) -> (Merged, MergeReport) {
    let mut out = local.clone();
    let mut report = MergeReport::default();
    let mut remap: BTreeMap<String, String> = BTreeMap::new();
    for t in &bundle.trainees {
        if out.profiles.get(&t.id).is_some() || out.profiles.list.iter().any(|p| p.aliases.contains(&t.id)) {
            report.trainees.push(TraineeMatch::Same { id: t.id.clone() });
            continue;
        }
        let by_employee = t.employee_id.as_deref().and_then(|e| {
            out.profiles
                .list
                .iter()
                .find(|p| p.employee_id.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(e)))
                .map(|p| p.id.clone())
        });
        match by_employee {
            Some(local_id) => {
                remap.insert(t.id.clone(), local_id.clone());
                report.trainees.push(TraineeMatch::ByEmployeeId {
                    imported: t.id.clone(),
                    local: local_id,
                });
            }
            None => {
                out.profiles.list.push(t.clone());
                report.trainees.push(TraineeMatch::New {
                    id: t.id.clone(),
                    name: t.name.clone(),
                });
            }
        }
    }
    out.profiles.list.sort_by(|a, b| a.id.cmp(&b.id));
    let known: BTreeMap<String, Record> = out.records.iter().map(|r| (r.id.clone(), r.clone())).collect();
    for r in &bundle.records {
        // Equal in every field, not just the stored hash: a copy edited without re-hashing is a
        // conflict too.
        match known.get(&r.id) {
            Some(mine) if mine == r => report.duplicates += 1,
            Some(_) => report.conflicts.push(r.clone()),
            None => {
                out.records.push(r.clone());
                report.added += 1;
            }
        }
    }
    out.records
        .sort_by(|a, b| (a.device.as_str(), a.seq, a.id.as_str()).cmp(&(b.device.as_str(), b.seq, b.id.as_str())));
    report.chain_issues = store::verify(&out.records);
    // Employee-id matches: the imported id becomes an alias of the local profile (the records
    // keep the id they were hashed with).
    for (imported, local_id) in remap {
        if let Some(p) = out.profiles.list.iter_mut().find(|p| p.id == local_id) {
            if !p.aliases.contains(&imported) {
                p.aliases.push(imported);
                p.aliases.sort();
            }
        }
    }
    (out, report)
}

// ---- CSV --------------------------------------------------------------------------------

/// A cell made safe for spreadsheets: text starting with `=`, `+`, `-`, `@`, tab or carriage
/// return gets a leading `'` so it is never run as a formula (OWASP).
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn csv_text(rows: Vec<Vec<String>>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        let _ = w.write_record(row.iter().map(|c| neutralise(c)));
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8(bytes).unwrap_or_default())
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_default()
}

fn item_of(body: &Body) -> String {
    match body {
        Body::Quiz(a) => a.quiz.clone(),
        Body::Scenario(s) => s.scenario.clone(),
        Body::Observation(o) => o.checklist.clone(),
        Body::Erasure { .. } => String::new(),
    }
}

fn passed(body: &Body) -> Option<bool> {
    match body {
        Body::Quiz(a) => Some(a.passed),
        Body::Scenario(s) => Some(s.score.passed),
        Body::Observation(o) => Some(o.score.passed),
        Body::Erasure { .. } => None,
    }
}

/// One row per attempt, role-play or observation; one column per criterion of `criteria`.
pub fn attempts_csv(records: &[Record], profiles: &Profiles, criteria: &[String]) -> String {
    let mut header: Vec<String> = [
        "record_id",
        "trainee",
        "employee_id",
        "device",
        "kind",
        "item",
        "started_at",
        "finished_at",
        "rubric",
        "weighted_total",
        "passed",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(criteria.iter().cloned());
    let mut rows = vec![header];
    for r in records.iter().filter(|r| r.kind() != "erasure") {
        let p = profiles.get(&r.trainee);
        let res = r.result();
        let mut row = vec![
            r.id.clone(),
            p.map(|p| p.name.clone()).unwrap_or_else(|| r.trainee.clone()),
            p.and_then(|p| p.employee_id.clone()).unwrap_or_default(),
            r.device.clone(),
            r.kind().to_string(),
            item_of(&r.body),
            r.started_at.to_rfc3339(),
            r.finished_at.to_rfc3339(),
            res.map(|x| x.rubric.clone()).unwrap_or_default(),
            num(r.total()),
            passed(&r.body).map(|b| b.to_string()).unwrap_or_default(),
        ];
        for c in criteria {
            row.push(num(res
                .and_then(|x| x.criteria.iter().find(|k| &k.criterion == c))
                .and_then(|k| k.percent)));
        }
        rows.push(row);
    }
    csv_text(rows)
}

/// One row per answered question (quizzes) or decision (role-plays).
pub fn responses_csv(records: &[Record], profiles: &Profiles) -> String {
    let mut rows = vec![
        [
            "record_id",
            "trainee",
            "kind",
            "item",
            "question_or_node",
            "answer",
            "score",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    ];
    for r in records {
        let name = profiles
            .get(&r.trainee)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| r.trainee.clone());
        match &r.body {
            Body::Quiz(a) => {
                for x in &a.responses {
                    rows.push(vec![
                        r.id.clone(),
                        name.clone(),
                        "quiz".into(),
                        a.quiz.clone(),
                        x.question.clone(),
                        x.picked.join("|"),
                        format!("{}", x.score),
                    ]);
                }
            }
            Body::Scenario(s) => {
                for st in &s.steps {
                    let answer = match &st.other {
                        Some(note) => format!("{} (other: {note})", st.choice),
                        None => st.choice.clone(),
                    };
                    rows.push(vec![
                        r.id.clone(),
                        name.clone(),
                        "scenario".into(),
                        s.scenario.clone(),
                        st.node.clone(),
                        answer,
                        String::new(),
                    ]);
                }
            }
            Body::Observation(o) => {
                for (item, mark) in &o.marks {
                    let note = o.notes.get(item).map(|n| format!(" ({n})")).unwrap_or_default();
                    rows.push(vec![
                        r.id.clone(),
                        name.clone(),
                        "observation".into(),
                        o.checklist.clone(),
                        item.clone(),
                        format!("{}{note}", mark.as_str()),
                        String::new(),
                    ]);
                }
            }
            Body::Erasure { .. } => {}
        }
    }
    csv_text(rows)
}

// ---- xAPI -------------------------------------------------------------------------------

/// The IRI prefix of this app's activities and extensions.
pub const IRI: &str = "https://lixun.app/xapi";

fn verb(name: &str) -> serde_json::Value {
    serde_json::json!({ "id": format!("http://adlnet.gov/expapi/verbs/{name}"), "display": { "en-US": name } })
}

/// A UUID made from `seed` (name-based, so exporting twice gives the same statement ids).
fn uuid_from(seed: &str) -> String {
    let h = Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// An ISO 8601 duration: `PT6M30S`.
pub fn duration(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let s = (to - from).num_seconds().max(0);
    format!("PT{}H{}M{}S", s / 3600, (s % 3600) / 60, s % 60)
}

/// xAPI 1.0.3 statements for `records`: per quiz, one `answered` per question, then
/// `completed`, `scored` and `passed`/`failed`; per role-play and observation, `completed`,
/// `scored` and `passed`/`failed`. The actor is an account on this device (trainee id); the
/// trainee's name is included only when `with_names`.
pub fn xapi(records: &[Record], profiles: &Profiles, with_names: bool) -> serde_json::Value {
    let mut out = Vec::new();
    for r in records {
        let actor = {
            let mut a = serde_json::json!({ "objectType": "Agent", "account": { "homePage": format!("{IRI}/device/{}", r.device), "name": r.trainee } });
            if with_names {
                if let Some(p) = profiles.get(&r.trainee) {
                    a["name"] = serde_json::Value::String(p.name.clone());
                }
            }
            a
        };
        let (kind, item) = match &r.body {
            Body::Quiz(a) => ("quiz", a.quiz.clone()),
            Body::Scenario(s) => ("scenario", s.scenario.clone()),
            Body::Observation(o) => ("checklist", o.checklist.clone()),
            Body::Erasure { .. } => continue,
        };
        let object = serde_json::json!({ "objectType": "Activity", "id": format!("{IRI}/{kind}/{item}"), "definition": { "type": "http://adlnet.gov/expapi/activities/assessment" } });
        let Some(res) = r.result() else { continue };
        let criteria: serde_json::Map<String, serde_json::Value> = res
            .criteria
            .iter()
            .map(|c| {
                (
                    c.criterion.clone(),
                    c.percent
                        .map(serde_json::Value::from)
                        .unwrap_or(serde_json::Value::Null),
                )
            })
            .collect();
        let total = res.total.unwrap_or(0.0);
        let success = passed(&r.body).unwrap_or(false);
        let result = serde_json::json!({
            "score": { "scaled": (total / 100.0 * 1000.0).round() / 1000.0, "raw": total, "min": 0, "max": 100 },
            "success": success,
            "completion": true,
            "duration": duration(r.started_at, r.finished_at),
            "extensions": { format!("{IRI}/extensions/criteria"): criteria, format!("{IRI}/extensions/rubric"): res.rubric },
        });
        let context = serde_json::json!({ "platform": "Lixun", "extensions": { format!("{IRI}/extensions/content-version"): r.content_version, format!("{IRI}/extensions/record"): r.id } });
        if let Body::Quiz(a) = &r.body {
            for x in &a.responses {
                out.push(serde_json::json!({
                    "id": uuid_from(&format!("{}:answered:{}", r.id, x.question)),
                    "actor": actor, "verb": verb("answered"),
                    "object": { "objectType": "Activity", "id": format!("{IRI}/question/{}", x.question), "definition": { "type": "http://adlnet.gov/expapi/activities/cmi.interaction" } },
                    "result": { "response": x.picked.join("[,]"), "score": { "scaled": x.score, "raw": x.score, "min": 0, "max": 1 }, "success": x.score >= 1.0 },
                    "context": context, "timestamp": r.finished_at.to_rfc3339(), "version": "1.0.3",
                }));
            }
        }
        for v in ["completed", "scored", if success { "passed" } else { "failed" }] {
            out.push(serde_json::json!({
                "id": uuid_from(&format!("{}:{v}", r.id)),
                "actor": actor, "verb": verb(v), "object": object, "result": result,
                "context": context, "timestamp": r.finished_at.to_rfc3339(), "version": "1.0.3",
            }));
        }
    }
    serde_json::Value::Array(out)
}
