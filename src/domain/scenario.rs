//! Role-play scenarios: branching dialogues with a simulated customer, where every staff
//! choice moves the trainee's score on the rubric's criteria.
//!
//! A scenario (`content/scenarios/<id>.toml`) is a graph: decision nodes (the customer's line
//! and mood, the staff choices) and endings (a debrief). A choice carries points per criterion
//! (−3…+3), feedback and citations, and names the next node. A node may carry a time limit
//! after which a default outcome (the `timeout`) applies.
//!
//! Scoring: per criterion, the points summed along the path, as a share of the best achievable
//! on that criterion in this scenario (negative totals count as 0). Criteria no choice scores
//! are not assessed. The shares go through the rubric's weights like any other result.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::random::shuffle;
use crate::domain::rubric::{PassRule, Rubric, RubricResult, Tally};
use crate::domain::text::Text;

/// Points per criterion id.
pub type Points = BTreeMap<String, i32>;

/// A path through a scenario as (node, choice) pairs.
pub type PathSteps = Vec<(String, String)>;

/// Called with each path walked, as (node, choice) pairs.
type Visit<'a> = dyn FnMut(&[(&str, &str)]) + 'a;

/// `content/scenarios/<id>.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Path of the file under `content/` (set by the loader, not authored).
    #[serde(skip)]
    pub origin: String,
    pub format_version: u32,
    pub id: String,
    /// The module whose page offers the scenario.
    pub module: String,
    pub title: Text,
    pub summary: Text,
    /// The sections the scenario practises.
    pub cite: Vec<String>,
    /// Id of the first node.
    pub start: String,
    /// Pass mark, percent: for the weighted total and for each assessed criterion.
    pub pass_mark: f64,
    pub setting: Setting,
    #[serde(default)]
    pub nodes: Vec<Node>,
    #[serde(default)]
    pub endings: Vec<Ending>,
}

/// The setting card shown before the scenario starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    /// Who the trainee is.
    pub role: Text,
    pub place: Text,
    pub channel: Channel,
    /// What the trainee knows at the start.
    pub knows: Text,
    /// Who the customer is: for the colleague playing them in pair mode.
    pub customer: Text,
}

/// How the customer and the staff member are in contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Counter,
    Phone,
    OnlineChat,
    Email,
    OnSiteDelivery,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Counter => "counter",
            Channel::Phone => "phone",
            Channel::OnlineChat => "online_chat",
            Channel::Email => "email",
            Channel::OnSiteDelivery => "on_site_delivery",
        }
    }
}

/// The customer's mood at a node (shown as a face and a word).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mood {
    Calm,
    Pleased,
    Neutral,
    Anxious,
    Impatient,
    Annoyed,
    Angry,
    Unwell,
    Silent,
}

impl Mood {
    pub fn as_str(self) -> &'static str {
        match self {
            Mood::Calm => "calm",
            Mood::Pleased => "pleased",
            Mood::Neutral => "neutral",
            Mood::Anxious => "anxious",
            Mood::Impatient => "impatient",
            Mood::Annoyed => "annoyed",
            Mood::Angry => "angry",
            Mood::Unwell => "unwell",
            Mood::Silent => "silent",
        }
    }

    /// The face drawn for the mood: the mouth as an SVG path (28×28 box) and the tone
    /// (`good`, `neutral`, `tense`, `bad`, `unwell`) the face is coloured by.
    pub fn face(self) -> (&'static str, &'static str) {
        match self {
            Mood::Pleased => ("M8 16 Q14 23 20 16", "good"),
            Mood::Calm => ("M9 17 Q14 20.5 19 17", "good"),
            Mood::Neutral => ("M9.5 18 L18.5 18", "neutral"),
            Mood::Silent => ("M11 18 L17 18", "neutral"),
            Mood::Anxious => ("M9 19.5 Q14 16 19 19.5", "tense"),
            Mood::Impatient => ("M9 18.5 L19 17", "tense"),
            Mood::Annoyed => ("M9 19.5 Q14 17 19 19.5", "tense"),
            Mood::Angry => ("M8 20.5 Q14 14.5 20 20.5", "bad"),
            Mood::Unwell => ("M8 18.5 Q10.5 16 13 18.5 T18 18.5 T21 18", "unwell"),
        }
    }
}

/// A decision point: what the customer says or does, and what the staff member may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: String,
    pub mood: Mood,
    /// Narration: what happens (`[The phone rings]`).
    #[serde(default)]
    pub scene: Option<Text>,
    /// The customer's words.
    #[serde(default)]
    pub line: Option<Text>,
    /// Acting hint for the colleague reading the customer in pair mode.
    #[serde(default)]
    pub acting: Option<Text>,
    pub choices: Vec<Choice>,
    /// What happens when the trainee does not choose in time.
    #[serde(default)]
    pub timeout: Option<Timeout>,
}

/// A staff choice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub text: Text,
    #[serde(default)]
    pub scores: Points,
    pub feedback: Text,
    pub cite: Vec<String>,
    pub next: String,
}

/// The default outcome of a timed decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeout {
    pub seconds: u32,
    #[serde(default)]
    pub scores: Points,
    pub feedback: Text,
    pub cite: Vec<String>,
    pub next: String,
}

/// How an ending went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Good,
    Mixed,
    Bad,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Good => "good",
            Outcome::Mixed => "mixed",
            Outcome::Bad => "bad",
        }
    }
}

/// An ending: the customer's last line and the debrief.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    pub id: String,
    pub outcome: Outcome,
    pub line: Text,
    pub debrief: Text,
    pub cite: Vec<String>,
}

/// How an ending is shown once the run is scored.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShownEnding<'a> {
    /// The outcome label shown: the authored one when the result agrees with it, else `Mixed`.
    pub outcome: Outcome,
    /// The authored debrief, only when the result agrees with the ending's outcome: it is
    /// written for the path the author had in mind, and on a run that got there by other
    /// choices it would praise (or blame) choices the trainee did not make.
    pub story: Option<&'a Text>,
}

impl Ending {
    /// How this ending is shown on a run that `passed` (or not). Several paths may lead to one
    /// ending, so the ending alone does not say how the trainee did: a `good` ending reached
    /// by a run that did not pass shows as `mixed` without its story, and so does a `bad`
    /// ending on a run that passed. `mixed` endings agree with either result. The customer's
    /// last `line` is always shown: it is what happened.
    pub fn shown(&self, passed: bool) -> ShownEnding<'_> {
        let agrees = match self.outcome {
            Outcome::Good => passed,
            Outcome::Bad => !passed,
            Outcome::Mixed => true,
        };
        if agrees {
            ShownEnding {
                outcome: self.outcome,
                story: Some(&self.debrief),
            }
        } else {
            ShownEnding {
                outcome: Outcome::Mixed,
                story: None,
            }
        }
    }
}

/// Where a `next` leads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Place<'a> {
    Node(&'a Node),
    Ending(&'a Ending),
}

/// One edge out of a node: a choice or the timeout.
#[derive(Clone, Copy, Debug)]
pub struct Edge<'a> {
    /// Choice id, or `TIMEOUT`.
    pub id: &'a str,
    pub scores: &'a Points,
    pub feedback: &'a Text,
    pub cite: &'a [String],
    pub next: &'a str,
}

/// The id a timed-out step is recorded under.
pub const TIMEOUT: &str = "timeout";

impl Node {
    /// The choices, then the timeout if any.
    pub fn edges(&self) -> impl Iterator<Item = Edge<'_>> {
        self.choices
            .iter()
            .map(|c| Edge {
                id: &c.id,
                scores: &c.scores,
                feedback: &c.feedback,
                cite: &c.cite,
                next: &c.next,
            })
            .chain(self.timeout.iter().map(|t| Edge {
                id: TIMEOUT,
                scores: &t.scores,
                feedback: &t.feedback,
                cite: &t.cite,
                next: &t.next,
            }))
    }

    pub fn edge(&self, id: &str) -> Option<Edge<'_>> {
        self.edges().find(|e| e.id == id)
    }

    pub fn choice(&self, id: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.id == id)
    }
}

impl Scenario {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn ending(&self, id: &str) -> Option<&Ending> {
        self.endings.iter().find(|e| e.id == id)
    }

    pub fn place(&self, id: &str) -> Option<Place<'_>> {
        self.node(id)
            .map(Place::Node)
            .or_else(|| self.ending(id).map(Place::Ending))
    }

    /// Criteria some edge scores, in first-seen order.
    pub fn criteria(&self) -> BTreeSet<&str> {
        self.nodes
            .iter()
            .flat_map(|n| n.edges())
            .flat_map(|e| e.scores.keys().map(String::as_str))
            .collect()
    }

    /// The back edges of the graph: those closing a cycle, found by a depth-first walk from
    /// `start`, as (node id, edge id). Without them the graph is acyclic.
    fn back_edges(&self) -> BTreeSet<(String, String)> {
        let mut back = BTreeSet::new();
        let mut state: BTreeMap<&str, u8> = BTreeMap::new(); // 1 on stack, 2 done
        // Iterative DFS: (node id, next edge index).
        let mut stack: Vec<(&str, usize)> = Vec::new();
        if self.node(&self.start).is_some() {
            stack.push((&self.start, 0));
            state.insert(&self.start, 1);
        }
        while let Some((id, i)) = stack.last().copied() {
            let node = self.node(id).expect("only nodes are pushed");
            let edges: Vec<Edge<'_>> = node.edges().collect();
            if i >= edges.len() {
                state.insert(id, 2);
                stack.pop();
                continue;
            }
            stack.last_mut().expect("non-empty").1 += 1;
            let e = edges[i];
            if self.node(e.next).is_none() {
                continue;
            }
            match state.get(e.next) {
                Some(1) => {
                    back.insert((id.to_string(), e.id.to_string()));
                }
                Some(_) => {}
                None => {
                    state.insert(e.next, 1);
                    let next = self.node(e.next).expect("checked").id.as_str();
                    stack.push((next, 0));
                }
            }
        }
        back
    }

    /// The edges that close a cycle ("go back" moves), as (node id, edge id).
    pub fn cycle_edges(&self) -> Vec<(String, String)> {
        self.back_edges().into_iter().collect()
    }

    /// Calls `visit` with every path from `start` to an ending over the acyclic part of the
    /// graph (as (node id, edge id) steps), stopping after `limit` paths. Returns (paths
    /// visited, whether it stopped early).
    pub fn for_each_path(&self, limit: usize, mut visit: impl FnMut(&[(&str, &str)])) -> (usize, bool) {
        let back = self.back_edges();
        let mut count = 0;
        let mut truncated = false;
        let mut path: Vec<(&str, &str)> = Vec::new();
        #[allow(clippy::too_many_arguments)]
        fn walk<'a>(
            s: &'a Scenario,
            back: &BTreeSet<(String, String)>,
            at: &'a str,
            path: &mut Vec<(&'a str, &'a str)>,
            count: &mut usize,
            limit: usize,
            truncated: &mut bool,
            visit: &mut Visit<'_>,
        ) {
            if *count >= limit {
                *truncated = true;
                return;
            }
            match s.place(at) {
                Some(Place::Ending(_)) => {
                    *count += 1;
                    visit(path);
                }
                Some(Place::Node(n)) => {
                    for e in n.edges() {
                        if back.contains(&(n.id.clone(), e.id.to_string())) {
                            continue;
                        }
                        path.push((n.id.as_str(), e.id));
                        walk(s, back, e.next, path, count, limit, truncated, visit);
                        path.pop();
                    }
                }
                None => {}
            }
        }
        walk(
            self,
            &back,
            &self.start,
            &mut path,
            &mut count,
            limit,
            &mut truncated,
            &mut visit,
        );
        (count, truncated)
    }

    /// Points summed along a path of (node id, edge id) steps. Unknown steps add nothing.
    pub fn totals<'a>(&self, steps: impl IntoIterator<Item = (&'a str, &'a str)>) -> Points {
        let mut totals = Points::new();
        for (node, edge) in steps {
            if let Some(e) = self.node(node).and_then(|n| n.edge(edge)) {
                for (c, p) in e.scores {
                    *totals.entry(c.clone()).or_default() += p;
                }
            }
        }
        totals
    }

    /// The best achievable total per criterion over every path (only criteria with a
    /// positive best are assessable). Computed per criterion as the longest path over the
    /// acyclic part of the graph, so it costs nodes × edges, not the number of paths.
    pub fn best_per_criterion(&self) -> Points {
        let back = self.back_edges();
        let mut best = Points::new();
        for c in self.criteria() {
            let mut memo: BTreeMap<&str, i32> = BTreeMap::new();
            fn value<'a>(
                s: &'a Scenario,
                at: &'a str,
                c: &str,
                back: &BTreeSet<(String, String)>,
                memo: &mut BTreeMap<&'a str, i32>,
            ) -> i32 {
                if let Some(v) = memo.get(at) {
                    return *v;
                }
                let v = match s.node(at) {
                    None => 0,
                    Some(n) => n
                        .edges()
                        .filter(|e| !back.contains(&(n.id.clone(), e.id.to_string())))
                        .map(|e| e.scores.get(c).copied().unwrap_or(0) + value(s, e.next, c, back, memo))
                        .max()
                        .unwrap_or(0),
                };
                memo.insert(at, v);
                v
            }
            let v = value(self, &self.start, c, &back, &mut memo);
            if v > 0 {
                best.insert(c.to_string(), v);
            }
        }
        best
    }

    /// Scores totals against the best achievable, through the rubric.
    pub fn score(&self, totals: &Points, best: &Points, rubric: &Rubric) -> ScenarioScore {
        let tallies: Vec<(String, Tally)> = best
            .iter()
            .map(|(c, b)| {
                let earned = totals.get(c).copied().unwrap_or(0).clamp(0, *b);
                (
                    c.clone(),
                    Tally {
                        earned: earned as f64,
                        possible: *b as f64,
                    },
                )
            })
            .collect();
        let result = rubric.score(&tallies);
        let failed = result.below(self.pass_mark);
        let passed = PassRule::EveryCriterion.passes(&result, self.pass_mark);
        ScenarioScore {
            totals: totals.clone(),
            best: best.clone(),
            result,
            failed,
            passed,
        }
    }

    /// The choice at `node` that leads to the highest weighted score from there on
    /// (over the acyclic part of the graph): the "best choice" shown in the replay.
    /// `best` is `best_per_criterion()` (passed in so a replay computes it once).
    pub fn best_choice(&self, node: &str, rubric: &Rubric, best: &Points) -> Option<&Choice> {
        let weight = |c: &str| -> f64 {
            match (rubric.criterion(c), best.get(c)) {
                (Some(cr), Some(b)) if *b > 0 => cr.weight / *b as f64,
                _ => 0.0,
            }
        };
        let back = self.back_edges();
        let mut memo: BTreeMap<String, f64> = BTreeMap::new();
        fn value(
            s: &Scenario,
            at: &str,
            back: &BTreeSet<(String, String)>,
            weight: &dyn Fn(&str) -> f64,
            memo: &mut BTreeMap<String, f64>,
        ) -> f64 {
            if let Some(v) = memo.get(at) {
                return *v;
            }
            let v = match s.node(at) {
                None => 0.0,
                Some(n) => n
                    .edges()
                    .filter(|e| !back.contains(&(n.id.clone(), e.id.to_string())))
                    .map(|e| edge_value(e, weight) + value(s, e.next, back, weight, memo))
                    .fold(f64::NEG_INFINITY, f64::max),
            };
            memo.insert(at.to_string(), v);
            v
        }
        fn edge_value(e: Edge<'_>, weight: &dyn Fn(&str) -> f64) -> f64 {
            e.scores.iter().map(|(c, p)| *p as f64 * weight(c)).sum()
        }
        let n = self.node(node)?;
        let mut best_choice: Option<(&Choice, f64)> = None;
        for c in &n.choices {
            let back_edge = back.contains(&(n.id.clone(), c.id.clone()));
            let e = n.edge(&c.id)?;
            let v = edge_value(e, &weight)
                + if back_edge {
                    0.0
                } else {
                    value(self, &c.next, &back, &weight, &mut memo)
                };
            if best_choice.is_none_or(|(_, bv)| v > bv + 1e-9) {
                best_choice = Some((c, v));
            }
        }
        best_choice.map(|(c, _)| c)
    }

    /// Path statistics for the validator and the report.
    pub fn analyse(&self, rubric: &Rubric) -> Analysis {
        let best = self.best_per_criterion();
        let mut a = Analysis {
            paths: 0,
            truncated: false,
            longest: 0,
            shortest: usize::MAX,
            min_total: None,
            max_total: None,
            best_path: None,
            failing_path: None,
            best: best.clone(),
        };
        let owned = |p: &[(&str, &str)]| {
            p.iter()
                .map(|(n, e)| (n.to_string(), e.to_string()))
                .collect::<Vec<_>>()
        };
        let (paths, truncated) = self.for_each_path(PATH_LIMIT, |p| {
            a.longest = a.longest.max(p.len());
            a.shortest = a.shortest.min(p.len());
            let totals = self.totals(p.iter().copied());
            let s = self.score(&totals, &best, rubric);
            if let Some(t) = s.result.total {
                a.min_total = Some(a.min_total.map_or(t, |m: f64| m.min(t)));
                a.max_total = Some(a.max_total.map_or(t, |m: f64| m.max(t)));
            }
            if a.best_path.is_none() && best.iter().all(|(c, b)| totals.get(c) == Some(b)) {
                a.best_path = Some(owned(p));
            }
            if a.failing_path.is_none() && !s.failed.is_empty() {
                a.failing_path = Some((owned(p), s.failed.clone()));
            }
        });
        a.paths = paths;
        a.truncated = truncated;
        if paths == 0 {
            a.shortest = 0;
        }
        a
    }
}

/// At most this many paths are enumerated per scenario.
pub const PATH_LIMIT: usize = 1_000_000;

/// What the path enumeration found.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub paths: usize,
    pub truncated: bool,
    /// Decision points on the longest and the shortest path.
    pub longest: usize,
    pub shortest: usize,
    /// Range of weighted totals over all paths.
    pub min_total: Option<f64>,
    pub max_total: Option<f64>,
    /// Best achievable per assessed criterion.
    pub best: Points,
    /// A path that reaches the best on every criterion at once.
    pub best_path: Option<PathSteps>,
    /// A path that fails some criterion, with the criteria it fails.
    pub failing_path: Option<(PathSteps, Vec<String>)>,
}

/// A scored path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioScore {
    /// Points summed along the path, per criterion.
    pub totals: Points,
    /// Best achievable per assessed criterion.
    pub best: Points,
    pub result: RubricResult,
    /// Criteria below the pass mark.
    pub failed: Vec<String>,
    pub passed: bool,
}

/// How a scenario is being practised.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The app plays the customer.
    #[default]
    Solo,
    /// Two staff on one tablet; an observer records what was said.
    Pair,
}

/// What was done at one decision point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub node: String,
    /// The choice id, or `timeout`.
    pub choice: String,
    /// Pair mode: the answer was "something else"; `choice` is the closest choice, whose
    /// path the dialogue follows, and no points are given for this step.
    #[serde(default)]
    pub other: Option<String>,
    pub at: DateTime<Utc>,
}

/// A scenario being played: saved after every step so a reload resumes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioRun {
    /// Id the finished record will have.
    pub id: String,
    pub scenario: String,
    pub mode: Mode,
    /// Pair mode: the name of the staff member answering.
    #[serde(default)]
    pub trainee: Option<String>,
    /// Seed of the choice order.
    pub seed: u64,
    pub steps: Vec<Step>,
    pub started_at: DateTime<Utc>,
    /// When the current node's time limit runs out (absolute, so closing the tab does not stop it).
    #[serde(default)]
    pub deadline: Option<DateTime<Utc>>,
}

/// Why a step was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    /// The run is already at an ending.
    Finished,
    /// No such choice at the current node.
    UnknownChoice(String),
    /// The current node no longer exists in the content.
    Lost,
}

impl ScenarioRun {
    pub fn start(s: &Scenario, id: String, mode: Mode, trainee: Option<String>, seed: u64, now: DateTime<Utc>) -> Self {
        let mut run = ScenarioRun {
            id,
            scenario: s.id.clone(),
            mode,
            trainee,
            seed,
            steps: Vec::new(),
            started_at: now,
            deadline: None,
        };
        run.arm_timer(s, now);
        run
    }

    /// Where the run is now: the node after the last step (or the start).
    pub fn position<'a>(&self, s: &'a Scenario) -> Option<Place<'a>> {
        let at = match self.steps.last() {
            None => s.start.as_str(),
            Some(step) => s.node(&step.node)?.edge(&step.choice)?.next,
        };
        s.place(at)
    }

    /// Solo mode with a timed node: the deadline of the current node.
    fn arm_timer(&mut self, s: &Scenario, now: DateTime<Utc>) {
        self.deadline = match (self.mode, self.position(s)) {
            (Mode::Solo, Some(Place::Node(n))) => n.timeout.as_ref().map(|t| {
                now.checked_add_signed(Duration::seconds(i64::from(t.seconds)))
                    .unwrap_or(DateTime::<Utc>::MAX_UTC)
            }),
            _ => None,
        };
    }

    /// Whether the current node's timer has run out at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.deadline.is_some_and(|d| now >= d)
    }

    /// Seconds left on the current node's timer (never negative).
    pub fn remaining_seconds(&self, now: DateTime<Utc>) -> Option<i64> {
        self.deadline.map(|d| (d - now).num_seconds().max(0))
    }

    /// Takes a choice (or `TIMEOUT`) at the current node. In pair mode, `other` records
    /// that what was said was something else, noted, and closest to `choice`.
    pub fn choose(
        &mut self,
        s: &Scenario,
        choice: &str,
        other: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<(), StepError> {
        let node = match self.position(s) {
            Some(Place::Node(n)) => n,
            Some(Place::Ending(_)) => return Err(StepError::Finished),
            None => return Err(StepError::Lost),
        };
        let known = if choice == TIMEOUT {
            node.timeout.is_some() && other.is_none()
        } else {
            node.choice(choice).is_some()
        };
        if !known {
            return Err(StepError::UnknownChoice(choice.to_string()));
        }
        // A choice made after the deadline is the timeout's outcome.
        let choice = if self.deadline.is_some_and(|d| now >= d) {
            TIMEOUT
        } else {
            choice
        };
        let other = if choice == TIMEOUT { None } else { other };
        self.steps.push(Step {
            node: node.id.clone(),
            choice: choice.to_string(),
            other,
            at: now,
        });
        self.arm_timer(s, now);
        Ok(())
    }

    /// Applies the timeout if the deadline passed (e.g. while the browser was closed).
    /// Returns true when it did.
    pub fn expire(&mut self, s: &Scenario, now: DateTime<Utc>) -> bool {
        if self.deadline.is_some_and(|d| now >= d) {
            self.choose(s, TIMEOUT, None, now).is_ok()
        } else {
            false
        }
    }

    /// Goes back one step (pair mode corrections): the last step is undone.
    pub fn undo(&mut self, s: &Scenario, now: DateTime<Utc>) -> bool {
        if self.steps.pop().is_some() {
            self.arm_timer(s, now);
            true
        } else {
            false
        }
    }

    /// The ending reached, if any.
    pub fn ending<'a>(&self, s: &'a Scenario) -> Option<&'a Ending> {
        match self.position(s) {
            Some(Place::Ending(e)) => Some(e),
            _ => None,
        }
    }

    /// Points along the path so far; "something else" steps score nothing.
    pub fn totals(&self, s: &Scenario) -> Points {
        s.totals(
            self.steps
                .iter()
                .filter(|st| st.other.is_none())
                .map(|st| (st.node.as_str(), st.choice.as_str())),
        )
    }

    /// The order choices are shown in at `node` (seeded, stable across reloads).
    pub fn choice_order(&self, node: &Node) -> Vec<String> {
        let mut ids: Vec<String> = node.choices.iter().map(|c| c.id.clone()).collect();
        let salt = node
            .id
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
        shuffle(&mut ids, self.seed ^ salt);
        ids
    }

    /// True when every step still exists in the content (content may change between visits).
    pub fn is_consistent(&self, s: &Scenario) -> bool {
        let mut at = s.start.as_str();
        for st in &self.steps {
            match s.node(at).and_then(|n| n.edge(&st.choice)) {
                Some(e) if st.node == at => at = e.next,
                _ => return false,
            }
        }
        s.place(at).is_some()
    }

    /// Scores the run (finished or not) and makes the record.
    pub fn finish(&self, s: &Scenario, rubric: &Rubric, content_version: &str, now: DateTime<Utc>) -> ScenarioRecord {
        let best = s.best_per_criterion();
        let score = s.score(&self.totals(s), &best, rubric);
        ScenarioRecord {
            id: self.id.clone(),
            scenario: s.id.clone(),
            mode: self.mode,
            trainee: self.trainee.clone(),
            content_version: content_version.to_string(),
            started_at: self.started_at,
            finished_at: now,
            steps: self.steps.clone(),
            ending: self.ending(s).map(|e| e.id.clone()),
            score,
        }
    }
}

/// A finished scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioRecord {
    pub id: String,
    pub scenario: String,
    pub mode: Mode,
    #[serde(default)]
    pub trainee: Option<String>,
    pub content_version: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub steps: Vec<Step>,
    /// The ending reached (`None` if the content changed under the run).
    pub ending: Option<String>,
    pub score: ScenarioScore,
}

/// One line of the replay: the choice made next to the best choice.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayStep<'a> {
    pub node: &'a Node,
    pub step: &'a Step,
    /// The choice made (`None` for a timeout).
    pub made: Option<&'a Choice>,
    pub best: Option<&'a Choice>,
    /// The points of the step (none for "something else").
    pub points: Points,
}

impl ReplayStep<'_> {
    /// Whether this step cost points on `criterion` (a choice scored below zero on it, or a
    /// timeout whose penalty is): what the debrief lists under a failed criterion.
    pub fn cost(&self, criterion: &str) -> bool {
        let below_zero = |p: &Points| p.get(criterion).is_some_and(|v| *v < 0);
        below_zero(&self.points)
            || (self.step.choice == TIMEOUT && self.node.timeout.as_ref().is_some_and(|t| below_zero(&t.scores)))
    }

    pub fn was_best(&self) -> bool {
        self.step.other.is_none() && matches!((self.made, self.best), (Some(m), Some(b)) if m.id == b.id)
    }
}

/// The replay of a record against the scenario (steps whose node no longer exists are skipped).
pub fn replay<'a>(s: &'a Scenario, steps: &'a [Step], rubric: &Rubric) -> Vec<ReplayStep<'a>> {
    let best = s.best_per_criterion();
    steps
        .iter()
        .filter_map(|st| {
            let node = s.node(&st.node)?;
            let points = if st.other.is_some() {
                Points::new()
            } else {
                node.edge(&st.choice).map(|e| e.scores.clone()).unwrap_or_default()
            };
            Some(ReplayStep {
                node,
                step: st,
                made: node.choice(&st.choice),
                best: s.best_choice(&node.id, rubric, &best),
                points,
            })
        })
        .collect()
}
