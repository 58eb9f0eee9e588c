//! xAPI 1.0.3 statements for results, for an organisation's Learning Record Store, and the
//! way back: attempt summaries rebuilt from statements pulled from the LRS.
//!
//! **Addresses.** Every IRI is built on the organisation's own address (`XapiConfig::org_iri`,
//! validated); this module hard-codes no domain but ADL's vocabulary:
//!
//! | what | IRI |
//! |---|---|
//! | quiz, role-play, checklist | `<org>/xapi/quiz/<id>`, `<org>/xapi/scenario/<id>`, `<org>/xapi/checklist/<id>` |
//! | question | `<org>/xapi/question/<id>` |
//! | role-play decision | `<org>/xapi/scenario/<id>/node/<node>` |
//! | checklist item | `<org>/xapi/checklist/<id>/item/<item>` |
//! | module, track | `<org>/xapi/module/<id>`, `<org>/xapi/track/<id>` |
//! | extensions | `<org>/xapi/extensions/<name>` (see [`ext`]) |
//!
//! Ids are percent-encoded path segments. The actor is an account whose `homePage` is the
//! organisation IRI and whose `name` is the trainee's opaque id (or employee id, if chosen).
//!
//! **Statements per record** (erasures have none):
//! - quiz: one `answered` per question (a `cmi.interaction` with its full definition), then
//!   `completed`, `scored` and `passed` or `failed`;
//! - role-play: one `responded` per decision (a `choice` interaction over the node's choices,
//!   plus `timeout` when the node has a time limit), then the same three;
//! - observation: one `responded` per marked item (a `choice` interaction over the four marks,
//!   correct response `done`), then the same three. `responded` rather than `experienced`:
//!   `experienced` conventionally means "was exposed to" (a page, a video) and dashboards count
//!   it as content use; an item mark is a graded performance with a result, which `responded`
//!   keeps next to quiz answers and role-play decisions. Observers' free-text notes are not sent.
//!
//! **Ids.** Statement ids and the attempt's `context.registration` are name-based: the first
//! 16 bytes of SHA-256(`NAMESPACE` ‖ 0 ‖ record id ‖ 0 ‖ role) laid out as a version-5, RFC 4122
//! variant UUID. The hash is SHA-256, not SHA-1 as RFC 9562 §5.5 specifies for version 5 (no
//! SHA-1 in our dependencies), so strictly this is a custom hash; the version nibble is 5 rather
//! than 8 (the RFC 9562 "custom" version) because LRS validators in use accept only versions
//! 1–5 (yetanalytics `xapi-schema`, used by SQL LRS: `[1-5]` in its UUID pattern). Sending the
//! same record twice, or a record that arrived twice through merged imports, gives the same
//! ids, which an LRS stores once. The ids do not depend on the configuration: re-sending one
//! record with a different configuration (names on, employee ids) is refused by a conforming LRS
//! as a conflict rather than stored twice.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::domain::checklist::{Checklist, Mark};
use crate::domain::content::Course;
use crate::domain::profiles::Profile;
use crate::domain::quiz::{Question, QuestionKind, parse_number};
use crate::domain::scenario::{Scenario, TIMEOUT};
use crate::domain::store::{Body, Record};
use crate::domain::text::Text;

/// The xAPI version written.
pub const VERSION: &str = "1.0.3";
/// `context.platform` of every statement; statements of other platforms are ignored on reading.
pub const PLATFORM: &str = "Lixun";
/// `context.language`: the course is taught in Chinese (every text is also given in English).
pub const LANGUAGE: &str = "zh-CN";
/// The namespace of name-based ids. Fixed forever: changing it changes every id.
pub const NAMESPACE: &str = "0b8e3f6c-2d41-4a7e-9c5b-6f1d2a8e4b37";
/// Longest organisation IRI accepted.
pub const MAX_IRI: usize = 1024;

/// ADL verbs.
pub mod verbs {
    pub const ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
    pub const RESPONDED: &str = "http://adlnet.gov/expapi/verbs/responded";
    pub const COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
    pub const PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
    pub const FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
    pub const SCORED: &str = "http://adlnet.gov/expapi/verbs/scored";
    /// Only read: statements voided in the LRS are left out of summaries.
    pub const VOIDED: &str = "http://adlnet.gov/expapi/verbs/voided";
}

/// ADL activity types.
pub mod types {
    pub const INTERACTION: &str = "http://adlnet.gov/expapi/activities/cmi.interaction";
    /// A quiz.
    pub const ASSESSMENT: &str = "http://adlnet.gov/expapi/activities/assessment";
    /// A role-play scenario.
    pub const SIMULATION: &str = "http://adlnet.gov/expapi/activities/simulation";
    /// An observation checklist.
    pub const PERFORMANCE: &str = "http://adlnet.gov/expapi/activities/performance";
    pub const MODULE: &str = "http://adlnet.gov/expapi/activities/module";
    /// A track (a sequence of modules for one audience).
    pub const COURSE: &str = "http://adlnet.gov/expapi/activities/course";
}

/// Extension names, under `<org>/xapi/extensions/`.
pub mod ext {
    /// Result of the attempt statements: criterion id → percent (0–100, `null` when not assessed).
    pub const CRITERIA: &str = "criteria";
    /// Result of the attempt statements: the rubric id.
    pub const RUBRIC: &str = "rubric";
    /// Result of a role-play's attempt statements: the ending reached.
    pub const ENDING: &str = "ending";
    /// Result of a role-play decision: criterion id → points the choice earned (when the
    /// content is at hand and the step counted).
    pub const POINTS: &str = "points";
    /// Result of a role-play decision in pair mode: `true` when what was said was something
    /// else, closest to the recorded choice (the note itself is not sent).
    pub const OTHER: &str = "other";
    /// Context of every statement: the content version the attempt was made on.
    pub const CONTENT_VERSION: &str = "content-version";
    /// Context of every statement: the record id (a UUID).
    pub const RECORD: &str = "record";
    /// Context of every statement: the device the record was made on (a UUID).
    pub const DEVICE: &str = "device";
}

// ---- configuration --------------------------------------------------------------------

/// What the LRS knows a trainee as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Identify {
    /// The trainee's id (a UUID made on the device; for a trainee merged from other devices,
    /// the id of the profile that owns the record). Never the name.
    #[default]
    Opaque,
    /// The employee id, for an LRS that joins results to HR records; trainees without one
    /// fall back to the opaque id.
    EmployeeId,
}

impl Identify {
    pub fn as_str(self) -> &'static str {
        match self {
            Identify::Opaque => "opaque",
            Identify::EmployeeId => "employee_id",
        }
    }
}

/// Why an organisation IRI was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IriError {
    Empty,
    TooLong,
    /// Not `http://` or `https://`.
    NotHttp,
    NoHost,
    /// `user:password@` in the address: it would be published in every statement.
    Credentials,
    QueryOrFragment,
    BadPort,
    /// A space, control or other character not allowed in an IRI.
    InvalidCharacter(char),
}

impl std::fmt::Display for IriError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IriError::Empty => write!(f, "the organisation address is empty"),
            IriError::TooLong => write!(f, "the organisation address is longer than {MAX_IRI} characters"),
            IriError::NotHttp => write!(f, "the organisation address must start with http:// or https://"),
            IriError::NoHost => write!(f, "the organisation address has no host"),
            IriError::Credentials => write!(f, "the organisation address must not contain a user name or password"),
            IriError::QueryOrFragment => write!(f, "the organisation address must not contain ? or #"),
            IriError::BadPort => write!(f, "the organisation address has an invalid port"),
            IriError::InvalidCharacter(c) => write!(f, "the organisation address contains {c:?}"),
        }
    }
}

impl std::error::Error for IriError {}

/// Checks and normalises an organisation IRI: absolute `http(s)`, a host, no credentials, no
/// query or fragment; scheme and host lower-cased, trailing slashes removed.
pub fn normalise_org_iri(input: &str) -> Result<String, IriError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(IriError::Empty);
    }
    if s.chars().count() > MAX_IRI {
        return Err(IriError::TooLong);
    }
    if let Some(c) = s
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(*c))
    {
        return Err(IriError::InvalidCharacter(c));
    }
    if s.contains(['?', '#']) {
        return Err(IriError::QueryOrFragment);
    }
    let (scheme, rest) = s.split_once("://").ok_or(IriError::NotHttp)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(IriError::NotHttp);
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(IriError::Credentials);
    }
    let host = if authority.starts_with('[') {
        let end = authority.find(']').ok_or(IriError::NoHost)?;
        let port = &authority[end + 1..];
        if !port.is_empty() {
            check_port(port.strip_prefix(':').ok_or(IriError::BadPort)?)?;
        }
        &authority[..=end]
    } else {
        match authority.split_once(':') {
            Some((h, port)) => {
                check_port(port)?;
                h
            }
            None => authority,
        }
    };
    if host.is_empty() || host == "[]" {
        return Err(IriError::NoHost);
    }
    let authority = authority.replacen(host, &host.to_lowercase(), 1);
    Ok(format!("{scheme}://{authority}{}", path.trim_end_matches('/')))
}

fn check_port(port: &str) -> Result<(), IriError> {
    if !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(IriError::BadPort)
    }
}

/// How statements are made for one organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XapiConfig {
    org_iri: String,
    /// What the actor's account name is.
    pub identify: Identify,
    /// Whether the actor carries the trainee's name (personal data: off unless the trainer
    /// chooses).
    pub with_names: bool,
}

impl XapiConfig {
    /// A configuration for the organisation at `org_iri` (checked by [`normalise_org_iri`]).
    pub fn new(org_iri: &str, identify: Identify, with_names: bool) -> Result<Self, IriError> {
        Ok(XapiConfig {
            org_iri: normalise_org_iri(org_iri)?,
            identify,
            with_names,
        })
    }

    /// The normalised organisation IRI (no trailing slash).
    pub fn org_iri(&self) -> &str {
        &self.org_iri
    }

    /// `<org>/xapi/<segments…>`, each segment percent-encoded.
    pub fn activity_iri(&self, segments: &[&str]) -> String {
        let mut s = format!("{}/xapi", self.org_iri);
        for seg in segments {
            s.push('/');
            s.push_str(&encode_segment(seg));
        }
        s
    }

    /// `<org>/xapi/extensions/<name>`.
    pub fn extension(&self, name: &str) -> String {
        self.activity_iri(&["extensions", name])
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode_segment(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

// ---- content lookup -------------------------------------------------------------------

/// What kind of activity a record is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ActivityKind {
    Quiz,
    Scenario,
    Checklist,
}

impl ActivityKind {
    /// The path segment of its IRI.
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Quiz => "quiz",
            ActivityKind::Scenario => "scenario",
            ActivityKind::Checklist => "checklist",
        }
    }

    pub fn parse(s: &str) -> Option<ActivityKind> {
        match s {
            "quiz" => Some(ActivityKind::Quiz),
            "scenario" => Some(ActivityKind::Scenario),
            "checklist" => Some(ActivityKind::Checklist),
            _ => None,
        }
    }

    fn activity_type(self) -> &'static str {
        match self {
            ActivityKind::Quiz => types::ASSESSMENT,
            ActivityKind::Scenario => types::SIMULATION,
            ActivityKind::Checklist => types::PERFORMANCE,
        }
    }
}

/// A module or track, by id, with its title when known.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Named {
    pub id: String,
    pub title: Option<Text>,
}

/// Where an activity sits in the course.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Placement {
    pub title: Option<Text>,
    pub module: Option<Named>,
    pub track: Option<Named>,
}

/// The content statements describe, looked up by id; anything unknown is simply left out of
/// the statements (ids, responses and scores come from the record alone). `Course` implements
/// it; `NoContent` knows nothing.
pub trait Lookup {
    fn question(&self, _id: &str) -> Option<&Question> {
        None
    }
    /// A scenario with its nodes (the app's catalog has none until the scenario is fetched).
    fn scenario(&self, _id: &str) -> Option<&Scenario> {
        None
    }
    /// A checklist with its sections (likewise).
    fn checklist(&self, _id: &str) -> Option<&Checklist> {
        None
    }
    fn placement(&self, _kind: ActivityKind, _id: &str) -> Placement {
        Placement::default()
    }
}

/// A lookup that knows no content.
pub struct NoContent;

impl Lookup for NoContent {}

impl Lookup for Course {
    fn question(&self, id: &str) -> Option<&Question> {
        Course::question(self, id)
    }

    fn scenario(&self, id: &str) -> Option<&Scenario> {
        Course::scenario(self, id)
    }

    fn checklist(&self, id: &str) -> Option<&Checklist> {
        Course::checklist(self, id)
    }

    fn placement(&self, kind: ActivityKind, id: &str) -> Placement {
        let (title, module) = match kind {
            ActivityKind::Quiz => self.quiz(id).map(|q| (q.title.clone(), q.module.clone())),
            ActivityKind::Scenario => Course::scenario(self, id).map(|s| (s.title.clone(), s.module.clone())),
            ActivityKind::Checklist => Course::checklist(self, id).map(|c| (c.title.clone(), c.module.clone())),
        }
        .unzip();
        let track = module.as_deref().and_then(|m| self.track_of(m)).map(|t| Named {
            id: t.id.clone(),
            title: Some(t.title.clone()),
        });
        let module = module.map(|m| Named {
            title: self.module(&m).map(|x| x.title.clone()),
            id: m,
        });
        Placement { title, module, track }
    }
}

// ---- interactions and the response format ---------------------------------------------

/// The xAPI interaction type of a question, with what its response format needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Interaction {
    /// Single, multiple and situational questions, role-play decisions, checklist marks:
    /// ids joined by `[,]`.
    Choice,
    /// `true` or `false`.
    TrueFalse,
    /// Ordering questions: the step ids in the trainee's order, joined by `[,]`.
    Sequencing,
    /// Matching questions: `source[.]target` per pair, joined by `[,]`. `sources` are the pair
    /// ids in the question's order: the trainee's picks are the chosen right-hand pair id for
    /// each pair in that order (`""` where none was chosen).
    Matching { sources: Vec<String> },
    /// The number typed (normalised when it reads as one).
    Numeric,
}

impl Interaction {
    /// The interaction of a question (situational questions are choices).
    pub fn of(q: &Question) -> Interaction {
        match q.kind {
            QuestionKind::Single | QuestionKind::Multiple | QuestionKind::Situational => Interaction::Choice,
            QuestionKind::TrueFalse => Interaction::TrueFalse,
            QuestionKind::Ordering => Interaction::Sequencing,
            QuestionKind::Matching => Interaction::Matching {
                sources: q.pairs.iter().map(|p| p.id.clone()).collect(),
            },
            QuestionKind::Numeric => Interaction::Numeric,
        }
    }

    /// The `interactionType` value.
    pub fn as_str(&self) -> &'static str {
        match self {
            Interaction::Choice => "choice",
            Interaction::TrueFalse => "true-false",
            Interaction::Sequencing => "sequencing",
            Interaction::Matching { .. } => "matching",
            Interaction::Numeric => "numeric",
        }
    }

    /// The interaction a statement's activity definition describes (for matching, the order
    /// of its `source` list).
    pub fn from_definition(def: &Value) -> Option<Interaction> {
        Some(match def.get("interactionType")?.as_str()? {
            "choice" => Interaction::Choice,
            "true-false" => Interaction::TrueFalse,
            "sequencing" => Interaction::Sequencing,
            "numeric" => Interaction::Numeric,
            "matching" => Interaction::Matching {
                sources: def
                    .get("source")
                    .and_then(Value::as_array)
                    .map(|l| {
                        l.iter()
                            .filter_map(|c| c.get("id").and_then(Value::as_str).map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            _ => return None,
        })
    }
}

const LIST: &str = "[,]";
const PAIR: &str = "[.]";

/// A response (the ids the app records as `picked`) in the xAPI response format.
pub fn response_to_xapi(interaction: &Interaction, picked: &[String]) -> String {
    match interaction {
        Interaction::Choice | Interaction::Sequencing => picked.join(LIST),
        Interaction::TrueFalse => picked.first().cloned().unwrap_or_default(),
        Interaction::Matching { sources } => sources
            .iter()
            .zip(picked)
            .filter(|(_, target)| !target.is_empty())
            .map(|(source, target)| format!("{source}{PAIR}{target}"))
            .collect::<Vec<_>>()
            .join(LIST),
        Interaction::Numeric => match picked.first() {
            Some(typed) => parse_number(typed)
                .map(|n| format!("{n}"))
                .unwrap_or_else(|| typed.trim().to_string()),
            None => String::new(),
        },
    }
}

/// The picked ids of an xAPI response (the inverse of [`response_to_xapi`]; an empty response
/// is no answer).
pub fn response_from_xapi(interaction: &Interaction, response: &str) -> Vec<String> {
    if response.is_empty() {
        return Vec::new();
    }
    match interaction {
        Interaction::Choice | Interaction::Sequencing => response.split(LIST).map(String::from).collect(),
        Interaction::TrueFalse | Interaction::Numeric => vec![response.to_string()],
        Interaction::Matching { sources } => {
            let matched: BTreeMap<&str, &str> = response.split(LIST).filter_map(|p| p.split_once(PAIR)).collect();
            sources
                .iter()
                .map(|s| matched.get(s.as_str()).map(|t| t.to_string()).unwrap_or_default())
                .collect()
        }
    }
}

/// `correctResponsesPattern` of a question (empty when it has no key).
fn correct_patterns(q: &Question) -> Vec<String> {
    match q.kind {
        QuestionKind::Single | QuestionKind::Multiple | QuestionKind::Ordering => {
            if q.answer.is_empty() {
                vec![]
            } else {
                vec![q.answer.join(LIST)]
            }
        }
        // Each best option is a correct response on its own.
        QuestionKind::Situational => q.answer.clone(),
        QuestionKind::TrueFalse => q.answer.first().cloned().into_iter().collect(),
        QuestionKind::Matching if q.pairs.is_empty() => vec![],
        QuestionKind::Matching => vec![
            q.pairs
                .iter()
                .map(|p| format!("{}{PAIR}{}", p.id, p.id))
                .collect::<Vec<_>>()
                .join(LIST),
        ],
        QuestionKind::Numeric => q.number.map(|n| format!("{n}")).into_iter().collect(),
    }
}

// ---- building statements --------------------------------------------------------------

/// A language map of a bilingual text (empty languages left out), or `None` if both are empty.
fn lang_map(t: &Text) -> Option<Value> {
    let mut m = Map::new();
    if !t.zh.trim().is_empty() {
        m.insert("zh-CN".into(), Value::String(t.zh.clone()));
    }
    if !t.en.trim().is_empty() {
        m.insert("en-US".into(), Value::String(t.en.clone()));
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

/// At most `n` characters of each language, with `…` when cut (activity names are short).
fn short(t: &Text, n: usize) -> Text {
    let cut = |s: &str| {
        if s.chars().count() > n {
            format!("{}…", s.chars().take(n).collect::<String>().trim_end())
        } else {
            s.to_string()
        }
    };
    Text::new(cut(&t.zh), cut(&t.en))
}

fn verb(id: &str) -> Value {
    let (en, zh) = match id {
        verbs::ANSWERED => ("answered", "作答"),
        verbs::RESPONDED => ("responded", "回应"),
        verbs::COMPLETED => ("completed", "完成"),
        verbs::PASSED => ("passed", "通过"),
        verbs::FAILED => ("failed", "未通过"),
        verbs::SCORED => ("scored", "得分"),
        _ => ("", ""),
    };
    json!({ "id": id, "display": { "en-US": en, "zh-CN": zh } })
}

fn activity(id: String, kind: &str, name: Option<&Text>) -> Value {
    let mut def = Map::new();
    def.insert("type".into(), Value::String(kind.into()));
    if let Some(n) = name.and_then(lang_map) {
        def.insert("name".into(), n);
    }
    json!({ "objectType": "Activity", "id": id, "definition": def })
}

fn component(id: &str, text: &Text) -> Value {
    let mut c = Map::new();
    c.insert("id".into(), Value::String(id.into()));
    if let Some(d) = lang_map(text) {
        c.insert("description".into(), d);
    }
    Value::Object(c)
}

/// The interaction definition of a question.
fn question_definition(q: &Question) -> Map<String, Value> {
    let interaction = Interaction::of(q);
    let mut def = Map::new();
    def.insert("type".into(), types::INTERACTION.into());
    if let Some(n) = lang_map(&short(&q.prompt, 60)) {
        def.insert("name".into(), n);
    }
    if let Some(d) = lang_map(&q.prompt) {
        def.insert("description".into(), d);
    }
    def.insert("interactionType".into(), interaction.as_str().into());
    let patterns = correct_patterns(q);
    if !patterns.is_empty() {
        def.insert("correctResponsesPattern".into(), json!(patterns));
    }
    match q.kind {
        QuestionKind::Single | QuestionKind::Multiple | QuestionKind::Situational | QuestionKind::Ordering => {
            let list: Vec<Value> = q.options.iter().map(|o| component(&o.id, &o.text)).collect();
            def.insert("choices".into(), Value::Array(list));
        }
        QuestionKind::Matching => {
            let source: Vec<Value> = q.pairs.iter().map(|p| component(&p.id, &p.left)).collect();
            let target: Vec<Value> = q.pairs.iter().map(|p| component(&p.id, &p.right)).collect();
            def.insert("source".into(), Value::Array(source));
            def.insert("target".into(), Value::Array(target));
        }
        QuestionKind::TrueFalse | QuestionKind::Numeric => {}
    }
    def
}

fn mark_label(m: Mark) -> Text {
    match m {
        Mark::Done => Text::new("做到", "Done"),
        Mark::Partly => Text::new("部分做到", "Partly done"),
        Mark::Missed => Text::new("未做到", "Missed"),
        Mark::NotApplicable => Text::new("不适用", "Not applicable"),
    }
}

/// Name-based UUID of `role` in record `record_id` (see the module documentation).
pub fn name_uuid(record_id: &str, role: &str) -> String {
    let mut h = Sha256::new();
    h.update(NAMESPACE.as_bytes());
    h.update([0]);
    h.update(record_id.as_bytes());
    h.update([0]);
    h.update(role.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
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

/// The attempt's `context.registration`.
pub fn registration(record: &Record) -> String {
    name_uuid(&record.id, "registration")
}

fn subject(body: &Body) -> Option<(ActivityKind, &str)> {
    match body {
        Body::Quiz(a) => Some((ActivityKind::Quiz, a.quiz.as_str())),
        Body::Scenario(s) => Some((ActivityKind::Scenario, s.scenario.as_str())),
        Body::Observation(o) => Some((ActivityKind::Checklist, o.checklist.as_str())),
        Body::Erasure { .. } => None,
    }
}

/// The roles of a record's statements, in statement order: one per item, then the attempt's.
fn roles(record: &Record) -> Vec<String> {
    let (items, verb) = match &record.body {
        Body::Quiz(a) => (a.responses.len(), "answered"),
        Body::Scenario(s) => (s.steps.len(), "responded"),
        Body::Observation(o) => (o.marks.len(), "responded"),
        Body::Erasure { .. } => return Vec::new(),
    };
    (0..items)
        .map(|i| format!("{verb}:{i}"))
        .chain(["completed", "scored", "outcome"].map(String::from))
        .collect()
}

/// The ids [`statements`] gives `record`, in the same order, without building them.
pub fn statement_ids(record: &Record) -> Vec<String> {
    roles(record).iter().map(|r| name_uuid(&record.id, r)).collect()
}

fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The actor: an account at the organisation, named only when the configuration says so.
fn actor(record: &Record, trainee: Option<&Profile>, config: &XapiConfig) -> Value {
    let opaque = trainee.map(|p| p.id.as_str()).unwrap_or(&record.trainee);
    let name = match config.identify {
        Identify::Opaque => opaque,
        Identify::EmployeeId => trainee
            .and_then(|p| p.employee_id.as_deref())
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .unwrap_or(opaque),
    };
    let mut a = json!({ "objectType": "Agent", "account": { "homePage": config.org_iri, "name": name } });
    if config.with_names
        && let Some(p) = trainee
    {
        a["name"] = Value::String(p.name.clone());
    }
    a
}

/// xAPI statements for one record (none for an erasure). `trainee` is the profile that owns
/// the record (`Profiles::owner`), if known; `lookup` supplies the content the statements
/// describe.
pub fn statements(record: &Record, trainee: Option<&Profile>, lookup: &dyn Lookup, config: &XapiConfig) -> Vec<Value> {
    let (Some((kind, item)), Some(res)) = (subject(&record.body), record.result()) else {
        return Vec::new();
    };
    let ids = statement_ids(record);
    let actor = actor(record, trainee, config);
    let place = lookup.placement(kind, item);
    let attempt = activity(
        config.activity_iri(&[kind.as_str(), item]),
        kind.activity_type(),
        place.title.as_ref(),
    );
    let module = place
        .module
        .as_ref()
        .map(|m| activity(config.activity_iri(&["module", &m.id]), types::MODULE, m.title.as_ref()));
    let track = place
        .track
        .as_ref()
        .map(|t| activity(config.activity_iri(&["track", &t.id]), types::COURSE, t.title.as_ref()));
    let context = |parent: Vec<Value>, grouping: Vec<Value>| {
        let mut activities = Map::new();
        if !parent.is_empty() {
            activities.insert("parent".into(), Value::Array(parent));
        }
        if !grouping.is_empty() {
            activities.insert("grouping".into(), Value::Array(grouping));
        }
        let mut c = json!({
            "registration": registration(record),
            "platform": PLATFORM,
            "language": LANGUAGE,
            "extensions": {
                config.extension(ext::CONTENT_VERSION): record.content_version,
                config.extension(ext::RECORD): record.id,
                config.extension(ext::DEVICE): record.device,
            },
        });
        if !activities.is_empty() {
            c["contextActivities"] = Value::Object(activities);
        }
        c
    };
    let item_context = context(vec![attempt.clone()], module.iter().chain(&track).cloned().collect());
    let attempt_context = context(module.iter().cloned().collect(), track.iter().cloned().collect());
    let statement = |id: &str, verb_id: &str, object: Value, result: Value, context: &Value, at: DateTime<Utc>| {
        json!({
            "id": id,
            "actor": actor,
            "verb": verb(verb_id),
            "object": object,
            "result": result,
            "context": context,
            "timestamp": timestamp(at),
            "version": VERSION,
        })
    };
    let mut out = Vec::with_capacity(ids.len());
    match &record.body {
        Body::Quiz(a) => {
            for (x, id) in a.responses.iter().zip(&ids) {
                let q = lookup.question(&x.question);
                let interaction = q.map(Interaction::of).unwrap_or(Interaction::Choice);
                let mut def = q.map(question_definition).unwrap_or_else(|| {
                    let mut d = Map::new();
                    d.insert("type".into(), types::INTERACTION.into());
                    d.insert("interactionType".into(), interaction.as_str().into());
                    d
                });
                def.entry("type").or_insert_with(|| types::INTERACTION.into());
                let object = json!({
                    "objectType": "Activity",
                    "id": config.activity_iri(&["question", &x.question]),
                    "definition": def,
                });
                let result = json!({
                    "response": response_to_xapi(&interaction, &x.picked),
                    "success": x.score >= 1.0,
                    "completion": true,
                    "score": { "scaled": x.score.clamp(0.0, 1.0) },
                });
                out.push(statement(
                    id,
                    verbs::ANSWERED,
                    object,
                    result,
                    &item_context,
                    record.finished_at,
                ));
            }
        }
        Body::Scenario(s) => {
            let content = lookup.scenario(&s.scenario);
            for (step, id) in s.steps.iter().zip(&ids) {
                let node = content.and_then(|c| c.node(&step.node));
                let mut def = Map::new();
                def.insert("type".into(), types::INTERACTION.into());
                if let Some(n) = node {
                    let said = n.line.as_ref().or(n.scene.as_ref());
                    if let Some(name) = said.and_then(|t| lang_map(&short(t, 60))) {
                        def.insert("name".into(), name);
                    }
                    let both = [n.scene.as_ref(), n.line.as_ref()];
                    let join = |f: fn(&Text) -> &str| {
                        both.iter()
                            .flatten()
                            .map(|t| f(t))
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" ")
                    };
                    if let Some(d) = lang_map(&Text::new(join(|t| &t.zh), join(|t| &t.en))) {
                        def.insert("description".into(), d);
                    }
                }
                def.insert("interactionType".into(), "choice".into());
                if let Some(n) = node {
                    let mut choices: Vec<Value> = n.choices.iter().map(|c| component(&c.id, &c.text)).collect();
                    if n.timeout.is_some() {
                        choices.push(component(TIMEOUT, &Text::new("（超时未作答）", "(no answer in time)")));
                    }
                    def.insert("choices".into(), Value::Array(choices));
                }
                let object = json!({
                    "objectType": "Activity",
                    "id": config.activity_iri(&["scenario", &s.scenario, "node", &step.node]),
                    "definition": def,
                });
                let mut extensions = Map::new();
                if step.other.is_some() {
                    extensions.insert(config.extension(ext::OTHER), Value::Bool(true));
                } else if let Some(edge) = node.and_then(|n| n.edge(&step.choice)) {
                    extensions.insert(config.extension(ext::POINTS), json!(edge.scores));
                }
                let mut result = json!({ "response": step.choice, "completion": true });
                if !extensions.is_empty() {
                    result["extensions"] = Value::Object(extensions);
                }
                out.push(statement(id, verbs::RESPONDED, object, result, &item_context, step.at));
            }
        }
        Body::Observation(o) => {
            let content = lookup.checklist(&o.checklist);
            for ((item, mark), id) in o.marks.iter().zip(&ids) {
                let check = content.and_then(|c| c.item(item));
                let mut def = Map::new();
                def.insert("type".into(), types::INTERACTION.into());
                if let Some(c) = check {
                    if let Some(n) = lang_map(&short(&c.text, 60)) {
                        def.insert("name".into(), n);
                    }
                    if let Some(d) = lang_map(&c.text) {
                        def.insert("description".into(), d);
                    }
                }
                def.insert("interactionType".into(), "choice".into());
                def.insert("correctResponsesPattern".into(), json!([Mark::Done.as_str()]));
                let choices: Vec<Value> = Mark::ALL
                    .iter()
                    .map(|m| component(m.as_str(), &mark_label(*m)))
                    .collect();
                def.insert("choices".into(), Value::Array(choices));
                let object = json!({
                    "objectType": "Activity",
                    "id": config.activity_iri(&["checklist", &o.checklist, "item", item]),
                    "definition": def,
                });
                let mut result = json!({ "response": mark.as_str(), "completion": true });
                if let Some(p) = mark.points() {
                    result["success"] = Value::Bool(*mark == Mark::Done);
                    result["score"] = json!({ "scaled": p });
                }
                out.push(statement(
                    id,
                    verbs::RESPONDED,
                    object,
                    result,
                    &item_context,
                    record.finished_at,
                ));
            }
        }
        Body::Erasure { .. } => return Vec::new(),
    }
    let passed = match &record.body {
        Body::Quiz(a) => a.passed,
        Body::Scenario(s) => s.score.passed,
        Body::Observation(o) => o.score.passed,
        Body::Erasure { .. } => false,
    };
    let criteria: Map<String, Value> = res
        .criteria
        .iter()
        .map(|c| (c.criterion.clone(), json!(c.percent)))
        .collect();
    let mut extensions = Map::new();
    extensions.insert(config.extension(ext::CRITERIA), Value::Object(criteria));
    extensions.insert(config.extension(ext::RUBRIC), Value::String(res.rubric.clone()));
    if let Body::Scenario(s) = &record.body
        && let Some(e) = &s.ending
    {
        extensions.insert(config.extension(ext::ENDING), Value::String(e.clone()));
    }
    let mut result = json!({
        "success": passed,
        "completion": true,
        "duration": crate::domain::exchange::duration(record.started_at, record.finished_at),
        "extensions": extensions,
    });
    if let Some(total) = res.total.filter(|t| t.is_finite()) {
        let total = total.clamp(0.0, 100.0);
        result["score"] = json!({
            "scaled": (total / 100.0 * 1000.0).round() / 1000.0,
            "raw": total,
            "min": 0,
            "max": 100,
        });
    }
    let n = ids.len();
    let outcome = if passed { verbs::PASSED } else { verbs::FAILED };
    for (verb_id, id) in [verbs::COMPLETED, verbs::SCORED, outcome]
        .into_iter()
        .zip(&ids[n - 3..])
    {
        out.push(statement(
            id,
            verb_id,
            attempt.clone(),
            result.clone(),
            &attempt_context,
            record.finished_at,
        ));
    }
    out
}

// ---- reading statements back ----------------------------------------------------------

/// One answer, decision or checklist mark read back from an LRS.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseSummary {
    /// Question id, role-play node id or checklist item id.
    pub item: String,
    /// The interaction its definition declares, if any.
    pub interaction: Option<Interaction>,
    /// `result.response`, in the xAPI format.
    pub response: String,
    /// The response as the app records it (see [`response_from_xapi`]).
    pub picked: Vec<String>,
    pub success: Option<bool>,
    /// `result.score.scaled` (0–1 for questions and marks).
    pub score: Option<f64>,
}

/// One attempt (quiz, role-play or observation) rebuilt from its statements.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptSummary {
    /// `context.registration`.
    pub registration: String,
    /// The record id, when the statements carry it.
    pub record: Option<String>,
    /// The actor's account name (opaque id or employee id).
    pub trainee: String,
    pub kind: ActivityKind,
    /// Quiz, scenario or checklist id.
    pub activity: String,
    /// Weighted total as a fraction (total ÷ 100).
    pub scaled: Option<f64>,
    pub passed: Option<bool>,
    /// Criterion id → percent (`None` when not assessed).
    pub criteria: BTreeMap<String, Option<f64>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// In the order the statements were given.
    pub responses: Vec<ResponseSummary>,
}

/// The path after `/xapi/` of an activity id, decoded, given how many segments to expect.
fn xapi_path(id: &str, segments: usize) -> Option<Vec<String>> {
    let parts: Vec<&str> = id.rsplitn(segments + 1, '/').collect();
    if parts.len() != segments + 1 || !parts[segments].ends_with("/xapi") {
        return None;
    }
    parts[..segments].iter().rev().map(|s| decode_segment(s)).collect()
}

/// The activity an attempt-level object id names.
fn attempt_of(id: &str) -> Option<(ActivityKind, String)> {
    let p = xapi_path(id, 2)?;
    Some((ActivityKind::parse(&p[0])?, p[1].clone()))
}

/// The attempt and the item an item-level object id names.
fn item_of(id: &str) -> Option<(Option<(ActivityKind, String)>, String)> {
    if let Some(p) = xapi_path(id, 4) {
        match (p[0].as_str(), p[2].as_str()) {
            ("scenario", "node") => return Some((Some((ActivityKind::Scenario, p[1].clone())), p[3].clone())),
            ("checklist", "item") => return Some((Some((ActivityKind::Checklist, p[1].clone())), p[3].clone())),
            _ => {}
        }
    }
    let p = xapi_path(id, 2)?;
    (p[0] == "question").then(|| (None, p[1].clone()))
}

/// The value of the extension whose key ends with `/xapi/extensions/<name>`.
fn extension<'a>(extensions: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    let suffix = format!("/xapi/extensions/{name}");
    extensions?
        .as_object()?
        .iter()
        .find(|(k, _)| k.ends_with(&suffix))
        .map(|(_, v)| v)
}

#[derive(Default)]
struct Partial {
    record: Option<String>,
    trainee: Option<String>,
    subject: Option<(ActivityKind, String)>,
    scaled: Option<f64>,
    passed: Option<bool>,
    success: Option<bool>,
    criteria: BTreeMap<String, Option<f64>>,
    finished_at: Option<DateTime<Utc>>,
    responses: Vec<ResponseSummary>,
}

/// Rebuilds attempts from statements pulled from an LRS: grouped by `context.registration`,
/// statements of other platforms, without a registration or voided are left out, and a
/// statement given twice (same id) counts once. Sorted by finish time, then registration.
pub fn summaries_from_statements(statements: &[Value]) -> Vec<AttemptSummary> {
    let voided: BTreeSet<&str> = statements
        .iter()
        .filter(|s| s["verb"]["id"] == verbs::VOIDED)
        .filter_map(|s| s["object"]["id"].as_str())
        .collect();
    let mut seen = BTreeSet::new();
    let mut by_registration: BTreeMap<String, Partial> = BTreeMap::new();
    for s in statements {
        let id = s["id"].as_str();
        if id.is_some_and(|id| voided.contains(id) || !seen.insert(id)) {
            continue;
        }
        let context = &s["context"];
        let (Some(reg), true) = (context["registration"].as_str(), context["platform"] == PLATFORM) else {
            continue;
        };
        let (Some(verb_id), Some(object_id)) = (s["verb"]["id"].as_str(), s["object"]["id"].as_str()) else {
            continue;
        };
        let p = by_registration.entry(reg.to_string()).or_default();
        if let Some(name) = s["actor"]["account"]["name"].as_str() {
            p.trainee.get_or_insert_with(|| name.to_string());
        }
        if let Some(r) = extension(context.get("extensions"), ext::RECORD).and_then(Value::as_str) {
            p.record.get_or_insert_with(|| r.to_string());
        }
        let result = &s["result"];
        match verb_id {
            verbs::ANSWERED | verbs::RESPONDED => {
                let Some((subject, item)) = item_of(object_id) else {
                    continue;
                };
                let subject = subject.or_else(|| {
                    context["contextActivities"]["parent"]
                        .as_array()
                        .and_then(|l| l.iter().find_map(|a| attempt_of(a["id"].as_str()?)))
                });
                if p.subject.is_none() {
                    p.subject = subject;
                }
                let interaction = Interaction::from_definition(&s["object"]["definition"]);
                let response = result["response"].as_str().unwrap_or_default().to_string();
                let picked = response_from_xapi(interaction.as_ref().unwrap_or(&Interaction::Choice), &response);
                p.responses.push(ResponseSummary {
                    item,
                    interaction,
                    response,
                    picked,
                    success: result["success"].as_bool(),
                    score: result["score"]["scaled"].as_f64(),
                });
            }
            verbs::COMPLETED | verbs::SCORED | verbs::PASSED | verbs::FAILED => {
                let Some(subject) = attempt_of(object_id) else {
                    continue;
                };
                p.subject = Some(subject);
                match verb_id {
                    verbs::PASSED => p.passed = Some(true),
                    verbs::FAILED => p.passed = Some(false),
                    _ => {}
                }
                if let Some(x) = result["score"]["scaled"].as_f64() {
                    p.scaled = Some(x);
                }
                if let Some(b) = result["success"].as_bool() {
                    p.success = Some(b);
                }
                if let Some(c) = extension(result.get("extensions"), ext::CRITERIA).and_then(Value::as_object) {
                    p.criteria = c.iter().map(|(k, v)| (k.clone(), v.as_f64())).collect();
                }
                if let Some(t) = s["timestamp"]
                    .as_str()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                {
                    p.finished_at = Some(t.with_timezone(&Utc));
                }
            }
            _ => {}
        }
    }
    let mut out: Vec<AttemptSummary> = by_registration
        .into_iter()
        .filter_map(|(registration, p)| {
            let (kind, activity) = p.subject?;
            Some(AttemptSummary {
                registration,
                record: p.record,
                trainee: p.trainee.unwrap_or_default(),
                kind,
                activity,
                scaled: p.scaled,
                passed: p.passed.or(p.success),
                criteria: p.criteria,
                finished_at: p.finished_at,
                responses: p.responses,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.finished_at
            .cmp(&b.finished_at)
            .then_with(|| a.registration.cmp(&b.registration))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_iris_are_normalised_or_refused_with_the_reason() {
        let ok = [
            (
                "https://training.example.com/lixun",
                "https://training.example.com/lixun",
            ),
            (
                "https://training.example.com/lixun/",
                "https://training.example.com/lixun",
            ),
            (
                "  HTTPS://Training.Example.COM/Lixun//  ",
                "https://training.example.com/Lixun",
            ),
            ("http://localhost:8080", "http://localhost:8080"),
            ("https://[::1]:8443/a", "https://[::1]:8443/a"),
            ("https://培训.例子.中国/礼训", "https://培训.例子.中国/礼训"),
        ];
        for (input, expected) in ok {
            assert_eq!(normalise_org_iri(input).as_deref(), Ok(expected), "{input:?}");
        }
        let bad = [
            ("", IriError::Empty),
            ("training.example.com", IriError::NotHttp),
            ("ftp://training.example.com", IriError::NotHttp),
            ("mailto:a@example.com", IriError::NotHttp),
            ("https://", IriError::NoHost),
            ("https:///path", IriError::NoHost),
            ("https://user:pw@example.com", IriError::Credentials),
            ("https://example.com/a?b=1", IriError::QueryOrFragment),
            ("https://example.com/a#top", IriError::QueryOrFragment),
            ("https://example.com:80x", IriError::BadPort),
            ("https://example.com:", IriError::BadPort),
            ("https://exa mple.com", IriError::InvalidCharacter(' ')),
            ("https://example.com/<a>", IriError::InvalidCharacter('<')),
        ];
        for (input, expected) in bad {
            assert_eq!(normalise_org_iri(input), Err(expected), "{input:?}");
        }
        assert_eq!(
            normalise_org_iri(&format!("https://example.com/{}", "a".repeat(MAX_IRI))),
            Err(IriError::TooLong)
        );
    }

    #[test]
    fn segments_are_percent_encoded_and_decode_back() {
        for s in ["plain-id_1.x~", "带 空格/斜杠?#", "%41"] {
            let e = encode_segment(s);
            assert!(!e.contains(['/', '?', '#', ' ']), "{e}");
            assert_eq!(decode_segment(&e).as_deref(), Some(s));
        }
        assert_eq!(decode_segment("%zz"), None);
    }

    #[test]
    fn name_uuids_have_the_version_5_layout() {
        let id = name_uuid("r", "completed");
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "5");
        assert!("89ab".contains(&id[19..20]));
        assert_ne!(id, name_uuid("r", "scored"));
        assert_ne!(name_uuid("ab", "c"), name_uuid("a", "bc"), "parts are separated");
    }
}
