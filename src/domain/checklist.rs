//! Live observation checklists: a trainer watches a role-play (or a real interaction) and
//! marks each item of a procedure from the manuals as done, partly done, missed or not
//! applicable. Each item belongs to one rubric criterion, so the marks score like any result:
//! done counts 1, partly ½, missed 0, and items not applicable or not marked are left out.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::rubric::{PassRule, Rubric, RubricResult, Tally};
use crate::domain::text::Text;

/// `content/checklists/<id>.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// Path of the file under `content/` (set by the loader, not authored).
    #[serde(skip)]
    pub origin: String,
    pub format_version: u32,
    pub id: String,
    /// The module whose page offers the checklist.
    pub module: String,
    pub title: Text,
    pub summary: Text,
    pub cite: Vec<String>,
    /// Pass mark, percent: for the weighted total and for each assessed criterion.
    pub pass_mark: f64,
    pub sections: Vec<Section>,
}

/// A phase of the interaction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: Text,
    pub items: Vec<CheckItem>,
}

/// One observable behaviour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckItem {
    pub id: String,
    pub text: Text,
    /// Guidance for the observer.
    #[serde(default)]
    pub look_for: Option<Text>,
    /// The rubric criterion the item counts towards.
    pub criterion: String,
    pub cite: Vec<String>,
}

/// How an item was observed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Done,
    Partly,
    Missed,
    NotApplicable,
}

impl Mark {
    pub const ALL: [Mark; 4] = [Mark::Done, Mark::Partly, Mark::Missed, Mark::NotApplicable];

    /// Points out of 1, or `None` when the item does not count.
    pub fn points(self) -> Option<f64> {
        match self {
            Mark::Done => Some(1.0),
            Mark::Partly => Some(0.5),
            Mark::Missed => Some(0.0),
            Mark::NotApplicable => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Done => "done",
            Mark::Partly => "partly",
            Mark::Missed => "missed",
            Mark::NotApplicable => "not_applicable",
        }
    }
}

impl Checklist {
    pub fn items(&self) -> impl Iterator<Item = &CheckItem> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    pub fn item(&self, id: &str) -> Option<&CheckItem> {
        self.items().find(|i| i.id == id)
    }

    /// Scores marks (item id → mark). Unknown item ids are ignored.
    pub fn score(&self, marks: &BTreeMap<String, Mark>, rubric: &Rubric) -> ChecklistScore {
        let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
        for item in self.items() {
            if let Some(p) = marks.get(&item.id).and_then(|m| m.points()) {
                tallies.entry(item.criterion.clone()).or_default().add(p, 1.0);
            }
        }
        let tallies: Vec<(String, Tally)> = tallies.into_iter().collect();
        let result = rubric.score(&tallies);
        let failed = result.below(self.pass_mark);
        let passed = PassRule::EveryCriterion.passes(&result, self.pass_mark);
        let missed = self
            .items()
            .filter(|i| marks.get(&i.id) == Some(&Mark::Missed))
            .map(|i| i.id.clone())
            .collect();
        let unmarked = self
            .items()
            .filter(|i| !marks.contains_key(&i.id))
            .map(|i| i.id.clone())
            .collect();
        ChecklistScore {
            result,
            failed,
            passed,
            missed,
            unmarked,
        }
    }
}

/// A scored set of marks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChecklistScore {
    pub result: RubricResult,
    /// Criteria below the pass mark.
    pub failed: Vec<String>,
    pub passed: bool,
    /// Items marked missed.
    pub missed: Vec<String>,
    /// Items left unmarked (not counted).
    pub unmarked: Vec<String>,
}

/// An observation being filled in: saved after every mark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub id: String,
    pub checklist: String,
    /// Who is observed.
    pub trainee: String,
    #[serde(default)]
    pub marks: BTreeMap<String, Mark>,
    #[serde(default)]
    pub notes: BTreeMap<String, String>,
    pub started_at: DateTime<Utc>,
}

impl Observation {
    pub fn start(c: &Checklist, id: String, trainee: String, now: DateTime<Utc>) -> Self {
        Observation {
            id,
            checklist: c.id.clone(),
            trainee,
            marks: BTreeMap::new(),
            notes: BTreeMap::new(),
            started_at: now,
        }
    }

    /// Marks an item; marking it again with the same mark clears it.
    /// How many items of `c` are marked so far.
    pub fn marked(&self, c: &Checklist) -> usize {
        c.items().filter(|i| self.marks.contains_key(&i.id)).count()
    }

    /// How many items of `c` are not marked yet.
    pub fn unmarked(&self, c: &Checklist) -> usize {
        c.items().count() - self.marked(c)
    }

    pub fn mark(&mut self, item: &str, mark: Mark) {
        if self.marks.get(item) == Some(&mark) {
            self.marks.remove(item);
        } else {
            self.marks.insert(item.to_string(), mark);
        }
    }

    pub fn note(&mut self, item: &str, text: &str) {
        let t = text.trim();
        if t.is_empty() {
            self.notes.remove(item);
        } else {
            self.notes.insert(item.to_string(), t.to_string());
        }
    }

    pub fn finish(
        &self,
        c: &Checklist,
        rubric: &Rubric,
        content_version: &str,
        now: DateTime<Utc>,
    ) -> ObservationRecord {
        ObservationRecord {
            id: self.id.clone(),
            checklist: c.id.clone(),
            trainee: self.trainee.clone(),
            content_version: content_version.to_string(),
            started_at: self.started_at,
            finished_at: now,
            marks: self.marks.clone(),
            notes: self.notes.clone(),
            score: c.score(&self.marks, rubric),
        }
    }
}

/// A finished observation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObservationRecord {
    pub id: String,
    pub checklist: String,
    pub trainee: String,
    pub content_version: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub marks: BTreeMap<String, Mark>,
    pub notes: BTreeMap<String, String>,
    pub score: ChecklistScore,
}
