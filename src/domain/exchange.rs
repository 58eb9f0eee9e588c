//! Moving results between tablets and into other tools.
//!
//! - **JSON bundle** (`lixun-results`): full fidelity: trainees, records with their hash chains,
//!   the exporting device and content version. Re-importable.
//! - **CSV**: attempt summaries (one row per record, one column per criterion) and item
//!   responses, UTF-8 with a BOM so spreadsheet programs show Chinese, every cell that starts
//!   with `=`, `+`, `-`, `@`, tab or carriage return prefixed with `'` (OWASP CSV injection).
//! - **xAPI** statements (1.0.3) following ADL's verbs, on the organisation's IRI (`xapi`).
//! - **Import and merge**: bundles are checked before anything changes: size (before reading,
//!   `check_size`), UTF-8, JSON, nesting, versions, every record through `Record::decode` as
//!   when loading, ids, dates in a sane window, numbers in range, bounded counts, names and
//!   notes cleaned as when typed. Records merge by UUID; a different record under a known UUID,
//!   or a record claiming this device, is kept aside; trainees merge only by id, and matches
//!   by employee id or name are proposals the trainer confirms; chains are verified.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::profiles::{Profile, Profiles};
use crate::domain::records::DecodeError;
use crate::domain::rubric::RubricResult;
use crate::domain::store::{self, Body, ChainIssue, RECORD_SCHEMA, Record};
use crate::domain::text::{self, TextError, is_bidi_control, is_invisible};

/// The bundle format name.
pub const FORMAT: &str = "lixun-results";
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

/// Files larger than this are refused before they are read.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// The earliest time an imported date may hold: 2020-01-01T00:00:00Z (seconds since 1970).
pub const EARLIEST_DATE_SECS: i64 = 1_577_836_800;
/// The latest time an imported date may hold: 2100-01-01T00:00:00Z (seconds since 1970).
pub const LATEST_DATE_SECS: i64 = 4_102_444_800;
/// Records per bundle.
pub const MAX_RECORDS: usize = 250_000;
/// Trainees per bundle.
pub const MAX_TRAINEES: usize = 10_000;
/// Aliases per trainee.
pub const MAX_ALIASES: usize = 100;
/// Criteria per rubric result (the default rubric has six).
pub const MAX_CRITERIA: usize = 16;
/// Responses per quiz attempt.
pub const MAX_RESPONSES: usize = 1_000;
/// Any other list inside a record: options picked, role-play steps, checklist marks and notes,
/// failed, missed or unmarked items.
pub const MAX_ITEMS: usize = 1_000;
/// An id (record, device, trainee, question, criterion…) holds at most this many bytes.
pub const MAX_ID_BYTES: usize = 128;
/// A record's place in its device's chain is at most this (far more than a tablet will make).
pub const MAX_SEQ: u64 = u32::MAX as u64;

/// Whether `t` lies in the window imported dates must lie in
/// (`EARLIEST_DATE_SECS ..= LATEST_DATE_SECS`).
pub fn date_is_sane(t: DateTime<Utc>) -> bool {
    (EARLIEST_DATE_SECS..=LATEST_DATE_SECS).contains(&t.timestamp())
}

/// What an import error is about. Ids too long to show are cut to `MAX_ID_BYTES`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// The bundle itself (its header).
    Bundle,
    /// The record with this id.
    Record(String),
    /// The record at this position (0-based) whose id could not be used.
    RecordNo(usize),
    /// The trainee with this id.
    Trainee(String),
    /// The trainee at this position (0-based) whose id could not be used.
    TraineeNo(usize),
}

/// A bounded count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Records,
    Trainees,
    Aliases,
    Criteria,
    Responses,
    /// Any other list inside a record (see `MAX_ITEMS`).
    Items,
}

impl Limit {
    pub fn max(self) -> usize {
        match self {
            Limit::Records => MAX_RECORDS,
            Limit::Trainees => MAX_TRAINEES,
            Limit::Aliases => MAX_ALIASES,
            Limit::Criteria => MAX_CRITERIA,
            Limit::Responses => MAX_RESPONSES,
            Limit::Items => MAX_ITEMS,
        }
    }
}

/// Why a file was refused. Nothing is changed by a refused file.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    /// The browser could not read the chosen file.
    FileUnreadable,
    /// The file has this many bytes, more than `MAX_BYTES`.
    TooLarge(u64),
    NotUtf8,
    /// Not JSON at all: the first error is at this line and column.
    NotJson {
        line: usize,
        column: usize,
    },
    TooDeep,
    /// Valid JSON, but not a Lixun results bundle (another format, or not its shape).
    NotABundle,
    /// The bundle's `schema_version` is newer than this app's.
    FutureVersion(u32),
    /// The bundle's `schema_version` is older than any this app imports.
    UnknownVersion(u32),
    /// A record has another `schema_version` than `RECORD_SCHEMA` (schema 0 and 1 are
    /// progress documents, not records; newer ones are from a newer app).
    RecordVersion {
        record: Item,
        version: u32,
    },
    /// A record that loading would quarantine (`Record::decode` refused it).
    RecordUnreadable {
        record: usize,
        problem: DecodeError,
    },
    /// A trainee that is not a profile.
    TraineeUnreadable {
        trainee: usize,
    },
    /// Two records with this id.
    DuplicateId(String),
    /// Two trainees with this id.
    DuplicateTrainee(String),
    /// An id that is empty, longer than `MAX_ID_BYTES` or holds control characters.
    BadId {
        item: Item,
        field: &'static str,
    },
    /// A trainee's name that `text::clean_name` refuses.
    BadName {
        trainee: String,
        problem: TextError,
    },
    /// A trainee's employee id that `text::clean_employee_id` refuses.
    BadEmployeeId {
        trainee: String,
        problem: TextError,
    },
    /// A note in a record that `text::clean_note` refuses.
    BadNote {
        record: String,
        problem: TextError,
    },
    /// A date outside `EARLIEST_DATE_SECS ..= LATEST_DATE_SECS`.
    DateOutOfRange {
        item: Item,
        field: &'static str,
    },
    /// A record (or the attempt, run or observation it holds) finished before it started.
    FinishedBeforeStarted {
        record: String,
    },
    /// A number outside its range: scores 0–100, responses 0–1, weights ≥ 0, seq 1–`MAX_SEQ`.
    NumberOutOfRange {
        record: String,
        field: &'static str,
        value: f64,
    },
    /// A result lists the same criterion twice.
    DuplicateCriterion {
        record: String,
        criterion: String,
    },
    /// A criterion this course does not have (see `check_criteria`).
    UnknownCriterion {
        record: String,
        criterion: String,
    },
    /// More than `limit.max()` of something.
    TooMany {
        item: Item,
        limit: Limit,
    },
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge(n) => write!(f, "the file is {n} bytes; the limit is {MAX_BYTES} (20 MB)"),
            ImportError::FileUnreadable => write!(f, "the file could not be read"),
            ImportError::NotUtf8 => write!(f, "the file is not UTF-8 text"),
            ImportError::NotJson { line, column } => {
                write!(f, "the file is not valid JSON (line {line}, column {column})")
            }
            ImportError::TooDeep => write!(f, "the file nests too deeply to be a results bundle"),
            ImportError::NotABundle => write!(f, "not a Lixun bundle"),
            ImportError::FutureVersion(v) => write!(
                f,
                "the bundle has schema_version {v}, newer than this app ({RECORD_SCHEMA})"
            ),
            ImportError::UnknownVersion(v) => {
                write!(f, "the bundle has schema_version {v}, which this app does not read")
            }
            ImportError::RecordVersion { record, version } => {
                write!(
                    f,
                    "{record}: schema_version {version} is not a record version this app imports"
                )
            }
            ImportError::RecordUnreadable { record, problem } => write!(f, "record #{record}: {problem}"),
            ImportError::TraineeUnreadable { trainee } => write!(f, "trainee #{trainee} is not a profile"),
            ImportError::DuplicateId(id) => write!(f, "the bundle has two records with id {id}"),
            ImportError::DuplicateTrainee(id) => write!(f, "trainee {id} is listed twice"),
            ImportError::BadId { item, field } => write!(f, "{item}: {field} is not a usable id"),
            ImportError::BadName { trainee, problem } => write!(f, "trainee {trainee}: name {problem}"),
            ImportError::BadEmployeeId { trainee, problem } => {
                write!(f, "trainee {trainee}: employee id {problem}")
            }
            ImportError::BadNote { record, problem } => write!(f, "record {record}: a note is {problem}"),
            ImportError::DateOutOfRange { item, field } => {
                write!(f, "{item}: {field} is outside 2020-01-01 … 2100-01-01")
            }
            ImportError::FinishedBeforeStarted { record } => {
                write!(f, "record {record} finished before it started")
            }
            ImportError::NumberOutOfRange { record, field, value } => {
                write!(f, "record {record}: {field} {value} is out of range")
            }
            ImportError::DuplicateCriterion { record, criterion } => {
                write!(f, "record {record}: criterion {criterion} is listed twice")
            }
            ImportError::UnknownCriterion { record, criterion } => {
                write!(f, "record {record}: criterion {criterion} is not in this course")
            }
            ImportError::TooMany { item, limit } => {
                write!(f, "{item}: more than {} {limit:?}", limit.max())
            }
        }
    }
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Item::Bundle => write!(f, "the bundle"),
            Item::Record(id) => write!(f, "record {id}"),
            Item::RecordNo(i) => write!(f, "record #{i}"),
            Item::Trainee(id) => write!(f, "trainee {id}"),
            Item::TraineeNo(i) => write!(f, "trainee #{i}"),
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

/// Checks a file's size before it is read (the browser passes `File.size`).
pub fn check_size(len: u64) -> Result<(), ImportError> {
    if len > MAX_BYTES as u64 {
        return Err(ImportError::TooLarge(len));
    }
    Ok(())
}

/// `s` as an id: non-empty, at most `MAX_ID_BYTES`, no control, bidi or invisible characters.
fn id_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_BYTES
        && !s
            .chars()
            .any(|c| c.is_control() || is_bidi_control(c) || is_invisible(c))
}

/// An id short enough to name in an error.
fn shown(s: &str) -> String {
    if s.len() <= MAX_ID_BYTES {
        return s.to_string();
    }
    let mut end = MAX_ID_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// The checks one record goes through after `Record::decode`: ids, dates, numbers, counts.
struct RecordCheck<'a> {
    r: &'a Record,
}

impl RecordCheck<'_> {
    fn id(&self) -> String {
        self.r.id.clone()
    }

    fn ids<'s>(&self, field: &'static str, ids: impl IntoIterator<Item = &'s String>) -> Result<(), ImportError> {
        for s in ids {
            if !id_ok(s) {
                return Err(ImportError::BadId {
                    item: Item::Record(self.id()),
                    field,
                });
            }
        }
        Ok(())
    }

    fn count(&self, n: usize, limit: Limit) -> Result<(), ImportError> {
        if n > limit.max() {
            return Err(ImportError::TooMany {
                item: Item::Record(self.id()),
                limit,
            });
        }
        Ok(())
    }

    fn span(&self, started: DateTime<Utc>, finished: DateTime<Utc>) -> Result<(), ImportError> {
        self.date("started_at", started)?;
        self.date("finished_at", finished)?;
        if finished < started {
            return Err(ImportError::FinishedBeforeStarted { record: self.id() });
        }
        Ok(())
    }

    fn date(&self, field: &'static str, t: DateTime<Utc>) -> Result<(), ImportError> {
        if !date_is_sane(t) {
            return Err(ImportError::DateOutOfRange {
                item: Item::Record(self.id()),
                field,
            });
        }
        Ok(())
    }

    fn number(&self, field: &'static str, value: f64, range: std::ops::RangeInclusive<f64>) -> Result<(), ImportError> {
        if !(value.is_finite() && range.contains(&value)) {
            return Err(ImportError::NumberOutOfRange {
                record: self.id(),
                field,
                value,
            });
        }
        Ok(())
    }

    fn note(&self, note: &str) -> Result<(), ImportError> {
        text::clean_note(note)
            .map(|_| ())
            .map_err(|problem| ImportError::BadNote {
                record: self.id(),
                problem,
            })
    }

    fn result(&self, res: &RubricResult) -> Result<(), ImportError> {
        self.ids("rubric", [&res.rubric])?;
        self.count(res.criteria.len(), Limit::Criteria)?;
        if let Some(t) = res.total {
            self.number("total", t, 0.0..=100.0)?;
        }
        self.number("printed_weight_total", res.printed_weight_total, 0.0..=1e6)?;
        let mut seen = BTreeSet::new();
        for c in &res.criteria {
            self.ids("criterion", [&c.criterion])?;
            if !seen.insert(c.criterion.as_str()) {
                return Err(ImportError::DuplicateCriterion {
                    record: self.id(),
                    criterion: c.criterion.clone(),
                });
            }
            if let Some(p) = c.percent {
                self.number("percent", p, 0.0..=100.0)?;
            }
            self.number("printed_weight", c.printed_weight, 0.0..=1e6)?;
            self.number("normalised_weight", c.normalised_weight, 0.0..=1.0)?;
        }
        Ok(())
    }

    fn points(&self, points: &crate::domain::scenario::Points) -> Result<(), ImportError> {
        self.count(points.len(), Limit::Criteria)?;
        self.ids("criterion", points.keys())
    }

    fn run(&self) -> Result<(), ImportError> {
        let r = self.r;
        self.ids("id", [&r.id])?;
        self.ids("device", [&r.device])?;
        self.ids("trainee", [&r.trainee])?;
        if r.content_version.len() > MAX_ID_BYTES {
            return Err(ImportError::BadId {
                item: Item::Record(self.id()),
                field: "content_version",
            });
        }
        for (field, h) in [("hash", &r.hash), ("prev_hash", &r.prev_hash)] {
            if h.len() > MAX_ID_BYTES {
                return Err(ImportError::BadId {
                    item: Item::Record(self.id()),
                    field,
                });
            }
        }
        if !(1..=MAX_SEQ).contains(&r.seq) {
            return Err(ImportError::NumberOutOfRange {
                record: self.id(),
                field: "seq",
                value: r.seq as f64,
            });
        }
        self.span(r.started_at, r.finished_at)?;
        match &r.body {
            Body::Quiz(a) => {
                self.ids("quiz", [&a.id, &a.quiz])?;
                self.span(a.started_at, a.finished_at)?;
                self.count(a.responses.len(), Limit::Responses)?;
                for x in &a.responses {
                    self.ids("question", [&x.question])?;
                    self.count(x.picked.len(), Limit::Items)?;
                    self.ids("picked", &x.picked)?;
                    self.number("response score", x.score, 0.0..=1.0)?;
                }
                self.number("correct", a.correct as f64, 0.0..=MAX_RESPONSES as f64)?;
                self.result(&a.result)?;
            }
            Body::Scenario(s) => {
                self.ids("scenario", [&s.id, &s.scenario])?;
                self.ids("ending", s.ending.iter())?;
                if let Some(name) = &s.trainee {
                    self.note(name)?;
                }
                self.span(s.started_at, s.finished_at)?;
                self.count(s.steps.len(), Limit::Items)?;
                for st in &s.steps {
                    self.ids("step", [&st.node, &st.choice])?;
                    self.date("step at", st.at)?;
                    if let Some(other) = &st.other {
                        self.note(other)?;
                    }
                }
                self.points(&s.score.totals)?;
                self.points(&s.score.best)?;
                self.count(s.score.failed.len(), Limit::Criteria)?;
                self.ids("failed", &s.score.failed)?;
                self.result(&s.score.result)?;
            }
            Body::Observation(o) => {
                self.ids("observation", [&o.id, &o.checklist, &o.trainee])?;
                self.span(o.started_at, o.finished_at)?;
                self.count(o.marks.len(), Limit::Items)?;
                self.count(o.notes.len(), Limit::Items)?;
                self.ids("mark", o.marks.keys())?;
                self.ids("note", o.notes.keys())?;
                for n in o.notes.values() {
                    self.note(n)?;
                }
                let sc = &o.score;
                for list in [&sc.failed, &sc.missed, &sc.unmarked] {
                    self.count(list.len(), Limit::Items)?;
                    self.ids("item", list)?;
                }
                self.result(&sc.result)?;
            }
            Body::Erasure { trainee, removed } => {
                self.ids("erased trainee", [trainee])?;
                self.count(removed.len(), Limit::Records)?;
                for x in removed {
                    self.ids("removed", [&x.id, &x.device])?;
                    if x.hash.len() > MAX_ID_BYTES || x.prev_hash.len() > MAX_ID_BYTES {
                        return Err(ImportError::BadId {
                            item: Item::Record(self.id()),
                            field: "removed hash",
                        });
                    }
                    if !(1..=MAX_SEQ).contains(&x.seq) {
                        return Err(ImportError::NumberOutOfRange {
                            record: self.id(),
                            field: "removed seq",
                            value: x.seq as f64,
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

/// Reads one record of a bundle as loading reads a stored one (`Record::decode`), then checks
/// it. `index` is its position in the bundle.
fn import_record(index: usize, raw: &serde_json::Value) -> Result<Record, ImportError> {
    let item = || match raw.get("id").and_then(|v| v.as_str()) {
        Some(id) if id_ok(id) => Item::Record(id.to_string()),
        _ => Item::RecordNo(index),
    };
    match raw.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v != RECORD_SCHEMA as u64 => {
            return Err(ImportError::RecordVersion {
                record: item(),
                version: u32::try_from(v).unwrap_or(u32::MAX),
            });
        }
        _ => {}
    }
    let r = Record::decode(&raw.to_string()).map_err(|problem| match problem {
        DecodeError::FromTheFuture(version) => ImportError::RecordVersion {
            record: item(),
            version,
        },
        problem => ImportError::RecordUnreadable { record: index, problem },
    })?;
    if !id_ok(&r.id) {
        return Err(ImportError::BadId {
            item: Item::RecordNo(index),
            field: "id",
        });
    }
    RecordCheck { r: &r }.run()?;
    Ok(r)
}

/// Reads one trainee of a bundle: ids checked, name and employee id cleaned as when typed.
fn import_trainee(index: usize, raw: serde_json::Value) -> Result<Profile, ImportError> {
    let mut p: Profile = serde_json::from_value(raw).map_err(|_| ImportError::TraineeUnreadable { trainee: index })?;
    if !id_ok(&p.id) {
        return Err(ImportError::BadId {
            item: Item::TraineeNo(index),
            field: "id",
        });
    }
    let item = || Item::Trainee(p.id.clone());
    if p.aliases.len() > MAX_ALIASES {
        return Err(ImportError::TooMany {
            item: item(),
            limit: Limit::Aliases,
        });
    }
    if !p.aliases.iter().all(|a| id_ok(a)) {
        return Err(ImportError::BadId {
            item: item(),
            field: "aliases",
        });
    }
    if !date_is_sane(p.created_at) {
        return Err(ImportError::DateOutOfRange {
            item: item(),
            field: "created_at",
        });
    }
    p.name = text::clean_name(&p.name).map_err(|problem| ImportError::BadName {
        trainee: p.id.clone(),
        problem,
    })?;
    p.employee_id = match &p.employee_id {
        None => None,
        Some(e) => text::clean_employee_id(e).map_err(|problem| ImportError::BadEmployeeId {
            trainee: p.id.clone(),
            problem,
        })?,
    };
    if p.merged.len() > MAX_ALIASES {
        return Err(ImportError::TooMany {
            item: item(),
            limit: Limit::Aliases,
        });
    }
    for note in &mut p.merged {
        if !id_ok(&note.id) || !date_is_sane(note.at) {
            return Err(ImportError::BadId {
                item: Item::Trainee(p.id.clone()),
                field: "merged",
            });
        }
        note.name = text::clean_name(&note.name).map_err(|problem| ImportError::BadName {
            trainee: p.id.clone(),
            problem,
        })?;
        note.employee_id = match &note.employee_id {
            None => None,
            Some(e) => text::clean_employee_id(e).map_err(|problem| ImportError::BadEmployeeId {
                trainee: p.id.clone(),
                problem,
            })?,
        };
    }
    p.aliases.sort();
    p.aliases.dedup();
    Ok(p)
}

/// Reads and checks one file. Every record goes through `Record::decode`, as when the device
/// loads its own records, and then through the import checks (ids, dates in the sane window,
/// numbers in range, bounded counts, notes); trainee names and employee ids are cleaned as
/// when typed. Any problem refuses the whole file, naming the record or trainee.
pub fn parse(bytes: &[u8]) -> Result<ResultsBundle, ImportError> {
    check_size(bytes.len() as u64)?;
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !depth_ok(text) {
        return Err(ImportError::TooDeep);
    }
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| ImportError::NotJson {
        line: e.line(),
        column: e.column(),
    })?;
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
        schema_version: Option<u32>,
    }
    let head: Head = serde_json::from_str(text).map_err(|_| ImportError::NotABundle)?;
    if head.format.as_deref() != Some(FORMAT) {
        return Err(ImportError::NotABundle);
    }
    match head.schema_version {
        Some(v) if v > RECORD_SCHEMA => return Err(ImportError::FutureVersion(v)),
        Some(v) if v < RECORD_SCHEMA => return Err(ImportError::UnknownVersion(v)),
        None => return Err(ImportError::NotABundle),
        _ => {}
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        format: String,
        schema_version: u32,
        exported_at: DateTime<Utc>,
        device: String,
        content_version: String,
        trainees: Vec<serde_json::Value>,
        records: Vec<serde_json::Value>,
    }
    let raw: Raw = serde_json::from_str(text).map_err(|_| ImportError::NotABundle)?;
    if !id_ok(&raw.device) {
        return Err(ImportError::BadId {
            item: Item::Bundle,
            field: "device",
        });
    }
    if raw.content_version.len() > MAX_ID_BYTES {
        return Err(ImportError::BadId {
            item: Item::Bundle,
            field: "content_version",
        });
    }
    if !date_is_sane(raw.exported_at) {
        return Err(ImportError::DateOutOfRange {
            item: Item::Bundle,
            field: "exported_at",
        });
    }
    for (n, limit) in [
        (raw.trainees.len(), Limit::Trainees),
        (raw.records.len(), Limit::Records),
    ] {
        if n > limit.max() {
            return Err(ImportError::TooMany {
                item: Item::Bundle,
                limit,
            });
        }
    }
    let mut trainees = Vec::with_capacity(raw.trainees.len());
    let mut tids = BTreeSet::new();
    for (i, t) in raw.trainees.into_iter().enumerate() {
        let p = import_trainee(i, t)?;
        if !tids.insert(p.id.clone()) {
            return Err(ImportError::DuplicateTrainee(p.id));
        }
        trainees.push(p);
    }
    let mut records = Vec::with_capacity(raw.records.len());
    let mut ids = BTreeSet::new();
    for (i, v) in raw.records.iter().enumerate() {
        let r = import_record(i, v)?;
        if !ids.insert(r.id.clone()) {
            return Err(ImportError::DuplicateId(shown(&r.id)));
        }
        records.push(r);
    }
    Ok(ResultsBundle {
        format: raw.format,
        schema_version: raw.schema_version,
        exported_at: raw.exported_at,
        device: raw.device,
        content_version: raw.content_version,
        trainees,
        records,
    })
}

/// Checks that every criterion a bundle's results name is one of `known` (the course's
/// rubric criteria). `parse` cannot know the course; a caller that has it calls this after.
pub fn check_criteria(bundle: &ResultsBundle, known: &BTreeSet<&str>) -> Result<(), ImportError> {
    for r in &bundle.records {
        for c in r.result().map(|x| x.criteria.as_slice()).unwrap_or(&[]) {
            if !known.contains(c.criterion.as_str()) {
                return Err(ImportError::UnknownCriterion {
                    record: r.id.clone(),
                    criterion: c.criterion.clone(),
                });
            }
        }
    }
    Ok(())
}

/// How an imported trainee was matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraineeMatch {
    /// The same profile (same id, or an alias a trainer confirmed) is already on this device.
    Same { id: String },
    /// No longer made by `merge` (an employee-id match is a `Proposal` now); kept so callers
    /// that list it still compile.
    ByEmployeeId { imported: String, local: String },
    /// Added as its own trainee. `Proposal`s in the report say whom it may be.
    New { id: String, name: String },
}

/// Why an imported trainee may be a local one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProposalReason {
    /// The same employee id; `names_differ` when their names are not the same.
    SameEmployeeId { names_differ: bool },
    /// No employee id in common, but the same name.
    SameName,
}

/// An imported trainee that may be a local one: the trainer confirms it (`confirm_proposal`)
/// or leaves them apart. Never merged silently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub incoming: String,
    pub local: String,
    pub reason: ProposalReason,
}

/// An alias an imported trainee claimed that was dropped: `alias` is a trainee of this device
/// (or one of its aliases), and an import never takes a trainee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedAlias {
    pub trainee: String,
    pub alias: String,
}

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergeReport {
    pub added: usize,
    /// Records already on the device, unchanged.
    pub duplicates: usize,
    /// Records whose UUID is on the device with different content, newly kept aside (not
    /// merged). A conflict already kept aside by an earlier import is not repeated.
    pub conflicts: Vec<Record>,
    /// Records that claim this device but are not on it as they are: kept aside, never put
    /// into this device's chain (an import cannot write this device's history).
    pub own_device: Vec<Record>,
    /// Conflicts and own-device claims that were already kept aside (same whole record).
    pub already_kept_aside: usize,
    pub trainees: Vec<TraineeMatch>,
    /// Imported trainees who may be local ones; the trainer decides.
    pub proposals: Vec<Proposal>,
    pub dropped_aliases: Vec<DroppedAlias>,
    /// Chain problems of the devices whose records this file brought (not of other devices,
    /// so one file's problems are not repeated for the next). `store::verify` over all
    /// records gives every problem.
    pub chain_issues: Vec<ChainIssue>,
}

/// The device's results, as merge sees them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merged {
    pub profiles: Profiles,
    pub records: Vec<Record>,
    /// Records kept aside (conflicts and claims of this device), as stored.
    pub conflicts: Vec<Record>,
}

fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    norm(a) == norm(b)
}

/// Merges `bundle` into `local` (which is unchanged; the merged result is returned) on the
/// device `this_device`.
///
/// Records are deduplicated by UUID; a different record under a known UUID is kept aside as a
/// conflict, and a record claiming `this_device` that is not already here as it is is kept
/// aside too: an import never writes into this device's chain. Trainees merge only by id (or
/// an alias a trainer confirmed); anyone else is added as their own profile, and trainees that
/// share an employee id or a name with a local one are listed as `proposals`. Aliases that
/// claim a local trainee are dropped and reported. Importing the same bundle twice changes
/// nothing the second time, and the order of two bundles does not change the records.
pub fn merge(local: &Merged, bundle: &ResultsBundle, this_device: &str) -> (Merged, MergeReport) {
    let mut out = local.clone();
    let mut report = MergeReport::default();
    let claimed = |ps: &Profiles, id: &str| ps.owner(id).is_some();
    for t in &bundle.trainees {
        if claimed(&out.profiles, &t.id) {
            report.trainees.push(TraineeMatch::Same { id: t.id.clone() });
            continue;
        }
        let mut p = t.clone();
        p.aliases.retain(|a| {
            let taken = *a == t.id || claimed(&out.profiles, a);
            if taken && *a != t.id {
                report.dropped_aliases.push(DroppedAlias {
                    trainee: t.id.clone(),
                    alias: a.clone(),
                });
            }
            !taken
        });
        for l in &local.profiles.list {
            let same_employee = match (&t.employee_id, &l.employee_id) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => false,
            };
            let reason = if same_employee {
                ProposalReason::SameEmployeeId {
                    names_differ: !same_name(&t.name, &l.name),
                }
            } else if same_name(&t.name, &l.name) {
                ProposalReason::SameName
            } else {
                continue;
            };
            report.proposals.push(Proposal {
                incoming: t.id.clone(),
                local: l.id.clone(),
                reason,
            });
        }
        report.trainees.push(TraineeMatch::New {
            id: p.id.clone(),
            name: p.name.clone(),
        });
        out.profiles.list.push(p);
    }
    out.profiles.list.sort_by(|a, b| a.id.cmp(&b.id));
    let known: BTreeMap<&str, &Record> = local.records.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut touched: BTreeSet<&str> = BTreeSet::new();
    let mut added = Vec::new();
    for r in &bundle.records {
        // Equal in every field, not just the stored hash: a copy edited without re-hashing is a
        // conflict too.
        let mine = known.get(r.id.as_str());
        if mine.is_some_and(|m| *m == r) {
            report.duplicates += 1;
            touched.insert(r.device.as_str());
            continue;
        }
        let own = r.device == this_device;
        if out.conflicts.contains(r) {
            report.already_kept_aside += 1;
        } else if own {
            out.conflicts.push(r.clone());
            report.own_device.push(r.clone());
        } else if mine.is_some() {
            out.conflicts.push(r.clone());
            report.conflicts.push(r.clone());
        } else {
            added.push(r.clone());
            touched.insert(r.device.as_str());
        }
    }
    report.added = added.len();
    out.records.extend(added);
    out.records
        .sort_by(|a, b| (a.device.as_str(), a.seq, a.id.as_str()).cmp(&(b.device.as_str(), b.seq, b.id.as_str())));
    let relevant: Vec<Record> = out
        .records
        .iter()
        .filter(|r| touched.contains(r.device.as_str()) || r.kind() == "erasure")
        .cloned()
        .collect();
    report.chain_issues = store::verify(&relevant)
        .into_iter()
        .filter(|i| touched.contains(issue_device(i)))
        .collect();
    (out, report)
}

fn issue_device(i: &ChainIssue) -> &str {
    match i {
        ChainIssue::Edited { device, .. }
        | ChainIssue::Missing { device, .. }
        | ChainIssue::BrokenLink { device, .. }
        | ChainIssue::Duplicate { device, .. } => device,
    }
}

/// Why a proposal could not be confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfirmError {
    /// No trainee with this id on the device.
    UnknownTrainee(String),
    /// Both ids are the same trainee.
    SameTrainee,
    /// The merged trainee would have more than `MAX_ALIASES` aliases.
    TooManyAliases,
}

/// The trainer confirms that imported trainee `incoming` is local trainee `local`: `incoming`'s
/// id and aliases become `local`'s aliases (their records are `local`'s) and `incoming`'s
/// profile goes (`Profiles::merge_into`).
pub fn confirm_proposal(profiles: &mut Profiles, incoming: &str, local: &str) -> Result<(), ConfirmError> {
    if incoming == local {
        return Err(ConfirmError::SameTrainee);
    }
    let from = profiles
        .get(incoming)
        .ok_or_else(|| ConfirmError::UnknownTrainee(incoming.to_string()))?;
    let into = profiles
        .get(local)
        .ok_or_else(|| ConfirmError::UnknownTrainee(local.to_string()))?;
    if into.aliases.len() + from.aliases.len() + 1 > MAX_ALIASES {
        return Err(ConfirmError::TooManyAliases);
    }
    profiles.merge_into(incoming, local);
    Ok(())
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
        "trainee_id",
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
        let p = profiles.owner(&r.trainee);
        let res = r.result();
        let mut row = vec![
            r.id.clone(),
            p.map(|p| p.id.clone()).unwrap_or_else(|| r.trainee.clone()),
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
            "trainee_id",
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
        let owner = profiles.owner(&r.trainee);
        let id = owner.map(|p| p.id.clone()).unwrap_or_else(|| r.trainee.clone());
        let name = owner.map(|p| p.name.clone()).unwrap_or_else(|| r.trainee.clone());
        match &r.body {
            Body::Quiz(a) => {
                for x in &a.responses {
                    rows.push(vec![
                        r.id.clone(),
                        id.clone(),
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
                        id.clone(),
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
                        id.clone(),
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

/// An ISO 8601 duration: `PT6M30S`.
pub fn duration(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let s = (to - from).num_seconds().max(0);
    format!("PT{}H{}M{}S", s / 3600, (s % 3600) / 60, s % 60)
}

/// xAPI 1.0.3 statements for `records`, as one JSON array (see `xapi::statements`): the
/// organisation's IRI, how trainees are identified and whether names are sent come from
/// `config`; `lookup` (usually the course) describes the questions and activities.
pub fn xapi(
    records: &[Record],
    profiles: &Profiles,
    config: &crate::domain::xapi::XapiConfig,
    lookup: &dyn crate::domain::xapi::Lookup,
) -> serde_json::Value {
    records
        .iter()
        .flat_map(|r| crate::domain::xapi::statements(r, profiles.owner(&r.trainee), lookup, config))
        .collect()
}
