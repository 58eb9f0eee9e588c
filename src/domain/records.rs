//! What the app keeps for a trainee: finished attempts and lessons marked done.
//!
//! Stored as one JSON document with a `schema_version`. Reading never throws data away:
//! a document that cannot be read is reported (the caller keeps its raw text aside),
//! and a document from a newer version is refused rather than overwritten.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::checklist::{Observation, ObservationRecord};
use crate::domain::content::AttemptsPolicy;
use crate::domain::engine::InProgress;
use crate::domain::quiz::{QuizOutcome, ResponseRecord};
use crate::domain::rubric::RubricResult;
use crate::domain::scenario::{ScenarioRecord, ScenarioRun};

/// The schema this build writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A finished quiz attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptRecord {
    /// Unique id (a UUID in the browser).
    pub id: String,
    /// Quiz id.
    pub quiz: String,
    /// `content_version` of the course the attempt was taken on.
    pub content_version: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub responses: Vec<ResponseRecord>,
    pub result: RubricResult,
    pub correct: usize,
    pub passed: bool,
    /// Seed of the draw (reproduces the questions and option orders).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Submitted by the clock at the deadline rather than by the trainee. Absent (false) in
    /// records written before it existed, and not written when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
}

impl AttemptRecord {
    pub fn from_outcome(
        id: String,
        quiz: &str,
        content_version: &str,
        started_at: DateTime<Utc>,
        finished_at: DateTime<Utc>,
        outcome: QuizOutcome,
    ) -> Self {
        AttemptRecord {
            id,
            quiz: quiz.to_string(),
            content_version: content_version.to_string(),
            started_at,
            finished_at,
            responses: outcome.responses,
            result: outcome.result,
            correct: outcome.correct,
            passed: outcome.passed,
            seed: None,
            timed_out: false,
        }
    }

    /// Questions left blank when the attempt was submitted at the deadline.
    pub fn unanswered_at_deadline(&self) -> usize {
        self.responses.iter().filter(|r| r.timed_out).count()
    }
}

/// The trainee's saved progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub schema_version: u32,
    /// Incremented by every save, so the newer of two stored copies can be told apart.
    #[serde(default)]
    pub revision: u64,
    /// Lessons marked done, as `module/lesson` keys.
    #[serde(default)]
    pub lessons_done: BTreeSet<String>,
    /// Finished attempts, oldest first.
    #[serde(default)]
    pub attempts: Vec<AttemptRecord>,
    /// Quizzes being taken, by quiz id: saved after every answer.
    #[serde(default)]
    pub in_progress: BTreeMap<String, InProgress>,
    /// Finished role-play scenarios, oldest first.
    #[serde(default)]
    pub scenario_runs: Vec<ScenarioRecord>,
    /// Scenarios being played, by scenario id: saved after every step.
    #[serde(default)]
    pub scenarios_in_progress: BTreeMap<String, ScenarioRun>,
    /// Finished observations, oldest first.
    #[serde(default)]
    pub observations: Vec<ObservationRecord>,
    /// Checklists being filled in, by checklist id: saved after every mark.
    #[serde(default)]
    pub observations_in_progress: BTreeMap<String, Observation>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            schema_version: SCHEMA_VERSION,
            revision: 0,
            lessons_done: BTreeSet::new(),
            attempts: Vec::new(),
            in_progress: BTreeMap::new(),
            scenario_runs: Vec::new(),
            scenarios_in_progress: BTreeMap::new(),
            observations: Vec::new(),
            observations_in_progress: BTreeMap::new(),
        }
    }
}

/// Why a stored document could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Not JSON of the expected shape.
    Corrupt(String),
    /// Written by a newer version of the app; must not be overwritten.
    FromTheFuture(u32),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Corrupt(e) => write!(f, "saved progress could not be read: {e}"),
            DecodeError::FromTheFuture(v) => {
                write!(
                    f,
                    "saved progress has schema_version {v}, newer than this app ({SCHEMA_VERSION})"
                )
            }
        }
    }
}

#[derive(Deserialize)]
struct VersionOnly {
    schema_version: u32,
}

impl Progress {
    /// Reads a stored document.
    pub fn decode(raw: &str) -> Result<Progress, DecodeError> {
        let v: VersionOnly = serde_json::from_str(raw).map_err(|e| DecodeError::Corrupt(e.to_string()))?;
        if v.schema_version > SCHEMA_VERSION {
            return Err(DecodeError::FromTheFuture(v.schema_version));
        }
        serde_json::from_str(raw).map_err(|e| DecodeError::Corrupt(e.to_string()))
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("progress is plain data and always serialises")
    }

    pub fn is_lesson_done(&self, key: &str) -> bool {
        self.lessons_done.contains(key)
    }

    /// Marks a lesson done, or not done if it was.
    pub fn toggle_lesson(&mut self, key: &str) {
        if !self.lessons_done.remove(key) {
            self.lessons_done.insert(key.to_string());
        }
    }

    pub fn attempt(&self, id: &str) -> Option<&AttemptRecord> {
        self.attempts.iter().find(|a| a.id == id)
    }

    pub fn scenario_run(&self, id: &str) -> Option<&ScenarioRecord> {
        self.scenario_runs.iter().find(|r| r.id == id)
    }

    pub fn observation(&self, id: &str) -> Option<&ObservationRecord> {
        self.observations.iter().find(|r| r.id == id)
    }

    /// The newest attempt at `quiz`.
    pub fn latest_attempt(&self, quiz: &str) -> Option<&AttemptRecord> {
        self.attempts.iter().rev().find(|a| a.quiz == quiz)
    }

    /// Finished attempts at `quiz`, oldest first.
    pub fn attempts_at<'a>(&'a self, quiz: &'a str) -> impl Iterator<Item = &'a AttemptRecord> + 'a {
        self.attempts.iter().filter(move |a| a.quiz == quiz)
    }

    /// The score that counts for `quiz` under `policy` (weighted totals; attempts with no
    /// total are skipped).
    pub fn counting_total(&self, quiz: &str, policy: AttemptsPolicy) -> Option<f64> {
        let totals: Vec<f64> = self.attempts_at(quiz).filter_map(|a| a.result.total).collect();
        match policy {
            AttemptsPolicy::Highest => totals.iter().copied().reduce(f64::max),
            AttemptsPolicy::Last => totals.last().copied(),
            AttemptsPolicy::First => totals.first().copied(),
            AttemptsPolicy::Average => (!totals.is_empty())
                .then(|| crate::domain::rubric::round1(totals.iter().sum::<f64>() / totals.len() as f64)),
        }
    }

    /// Quiz attempts under way that home should point to: every timed one (its clock runs
    /// whether or not the quiz is open) and untimed ones with at least one answer (an untimed
    /// quiz begins when its page opens, so one merely opened is not shown). Quiz order.
    pub fn running(&self) -> Vec<&InProgress> {
        self.in_progress
            .values()
            .filter(|ip| ip.deadline.is_some() || !ip.answers.picked.is_empty())
            .collect()
    }

    /// Question ids whose latest answer (across all finished attempts) was not fully right.
    pub fn mistakes(&self) -> Vec<String> {
        let mut latest: BTreeMap<&str, f64> = BTreeMap::new();
        for a in &self.attempts {
            for r in &a.responses {
                latest.insert(r.question.as_str(), r.score);
            }
        }
        latest
            .into_iter()
            .filter(|(_, s)| *s < 1.0)
            .map(|(q, _)| q.to_string())
            .collect()
    }

    /// Lessons done out of `keys`.
    pub fn done_count<'a>(&self, keys: impl IntoIterator<Item = &'a String>) -> usize {
        keys.into_iter().filter(|k| self.lessons_done.contains(*k)).count()
    }
}

/// Whether a result owned by `owner` may be shown: the trainer sees every result, a trainee
/// only their own.
pub fn may_see(trainer: bool, me: Option<&str>, owner: &str) -> bool {
    trainer || me == Some(owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_document_round_trips() {
        let p = Progress::default();
        assert_eq!(Progress::decode(&p.encode()).unwrap(), p);
    }

    #[test]
    fn garbage_is_reported_as_corrupt() {
        assert!(matches!(Progress::decode("{not json"), Err(DecodeError::Corrupt(_))));
        assert!(matches!(
            Progress::decode("{\"schema_version\":1,\"attempts\":7}"),
            Err(DecodeError::Corrupt(_))
        ));
    }

    #[test]
    fn documents_saved_before_revisions_existed_read_as_revision_zero() {
        let p = Progress::decode("{\"schema_version\":1,\"lessons_done\":[\"a/b\"]}").unwrap();
        assert_eq!(p.revision, 0);
        assert!(p.is_lesson_done("a/b"));
        let mut q = p.clone();
        q.revision = 7;
        assert_eq!(Progress::decode(&q.encode()).unwrap().revision, 7);
    }

    #[test]
    fn a_newer_schema_is_refused_not_misread() {
        assert_eq!(
            Progress::decode("{\"schema_version\":9}"),
            Err(DecodeError::FromTheFuture(9))
        );
    }

    #[test]
    fn marking_a_done_lesson_again_unmarks_it() {
        let mut p = Progress::default();
        p.toggle_lesson("m/l");
        assert!(p.is_lesson_done("m/l"));
        p.toggle_lesson("m/l");
        assert!(!p.is_lesson_done("m/l"));
    }

    #[test]
    fn a_trainee_sees_only_their_own_results_and_the_trainer_sees_all() {
        assert!(may_see(false, Some("ann"), "ann"));
        assert!(!may_see(false, Some("ann"), "bob"));
        assert!(!may_see(false, None, "bob"));
        assert!(may_see(true, None, "bob"));
    }

    #[test]
    fn home_points_to_timed_attempts_and_to_untimed_ones_with_an_answer() {
        use chrono::TimeZone;
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let ip = |quiz: &str, deadline: Option<DateTime<Utc>>| InProgress {
            id: format!("{quiz}-1"),
            quiz: quiz.into(),
            seed: 1,
            questions: vec!["q1".into()],
            orders: BTreeMap::new(),
            answers: Default::default(),
            revealed: BTreeSet::new(),
            current: 0,
            started_at: at,
            deadline,
        };
        let mut p = Progress::default();
        p.in_progress.insert("final".into(), ip("final", Some(at)));
        p.in_progress.insert("check".into(), ip("check", None));
        let mut answered = ip("answered", None);
        answered.answers.set("q1", vec!["a".into()]);
        p.in_progress.insert("answered".into(), answered);
        let ids: Vec<&str> = p.running().iter().map(|ip| ip.quiz.as_str()).collect();
        assert_eq!(ids, vec!["answered", "final"]);
    }
}
