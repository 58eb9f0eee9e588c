//! Item analysis of quiz responses, as Moodle's quiz statistics report it:
//!
//! - **facility index**: the mean score on the question (0 = nobody right, 1 = everybody);
//! - **discrimination index**: upper-minus-lower groups (Kelley): attempts are ranked by their
//!   weighted total, the top and bottom 27% (at least one attempt each) form the groups, and the
//!   index is the question's mean score in the upper group minus that in the lower group
//!   (−1…1; negative means weaker trainees did better on it than stronger ones);
//! - how often each option was picked;
//! - flags once at least `MIN_RESPONSES` attempts answered: too easy (facility ≥ 0.9), too hard
//!   (≤ 0.2), negatively discriminating (index < 0).
//!
//! Questions left blank when a timed attempt ran out of time (`ResponseRecord::timed_out`) were
//! never answered: they say how fast a trainee was, not how hard the question is, so they count
//! in no statistic (a blank the trainee chose to submit does count, as a wrong answer).

use std::collections::BTreeMap;

use crate::domain::quiz::{OptionLabel, Question, QuestionKind, ResponseRecord, parse_number};
use crate::domain::records::AttemptRecord;
use crate::domain::text::Lang;

/// Questions with fewer responses are not flagged.
pub const MIN_RESPONSES: usize = 5;

#[derive(Clone, Debug, PartialEq)]
pub struct ItemStats {
    pub question: String,
    pub responses: usize,
    pub facility: f64,
    /// `None` when fewer than two attempts answered it.
    pub discrimination: Option<f64>,
    /// Option id → times picked.
    pub options: BTreeMap<String, usize>,
    /// Every response given to the question (for `breakdown`).
    pub answers: Vec<ResponseRecord>,
    pub too_easy: bool,
    pub too_hard: bool,
    pub negative: bool,
}

impl ItemStats {
    /// Whether the question needs the trainer's eye (too easy, too hard or discriminating the
    /// wrong way).
    pub fn flagged(&self) -> bool {
        self.negative || self.too_hard || self.too_easy
    }
}

/// The order item analysis is read in: flagged questions first, then by question id.
pub fn flagged_first(stats: &mut [ItemStats]) {
    stats.sort_by(|a, b| b.flagged().cmp(&a.flagged()).then(a.question.cmp(&b.question)));
}

/// Statistics for every question answered in `attempts`, by question id.
pub fn items<'a>(attempts: impl IntoIterator<Item = &'a AttemptRecord>) -> Vec<ItemStats> {
    let mut ranked: Vec<&AttemptRecord> = attempts.into_iter().collect();
    ranked.sort_by(|a, b| {
        b.result
            .total
            .unwrap_or(0.0)
            .total_cmp(&a.result.total.unwrap_or(0.0))
            .then(a.id.cmp(&b.id))
    });
    let n = ranked.len();
    let group = ((n as f64 * 0.27).round() as usize).max(1);
    let (upper, lower) = if n >= 2 {
        (&ranked[..group.min(n / 2)], &ranked[n - group.min(n / 2)..])
    } else {
        (&ranked[..0], &ranked[..0])
    };
    type Acc = (Vec<f64>, BTreeMap<String, usize>, Vec<ResponseRecord>);
    let mut by_q: BTreeMap<&str, Acc> = BTreeMap::new();
    for a in &ranked {
        for r in a.responses.iter().filter(|r| !r.timed_out) {
            let e = by_q.entry(r.question.as_str()).or_default();
            e.0.push(r.score);
            for p in &r.picked {
                *e.1.entry(p.clone()).or_default() += 1;
            }
            e.2.push(r.clone());
        }
    }
    let mean_in = |group: &[&AttemptRecord], q: &str| -> Option<f64> {
        let scores: Vec<f64> = group
            .iter()
            .filter_map(|a| a.responses.iter().find(|r| r.question == q && !r.timed_out))
            .map(|r| r.score)
            .collect();
        (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
    };
    by_q.into_iter()
        .map(|(q, (scores, options, answers))| {
            let facility = scores.iter().sum::<f64>() / scores.len() as f64;
            let discrimination = match (mean_in(upper, q), mean_in(lower, q)) {
                (Some(u), Some(l)) => Some(u - l),
                _ => None,
            };
            let enough = scores.len() >= MIN_RESPONSES;
            ItemStats {
                question: q.to_string(),
                responses: scores.len(),
                facility,
                discrimination,
                options,
                answers,
                too_easy: enough && facility >= 0.9,
                too_hard: enough && facility <= 0.2,
                negative: enough && discrimination.is_some_and(|d| d < 0.0),
            }
        })
        .collect()
}

/// One option of a question and how often it was picked, for a trainer to read.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionShare {
    /// The option's id (never shown).
    pub option: String,
    /// What the option reads as in the interface language (true / false worded by the UI).
    pub label: OptionLabel,
    /// Responses that picked it.
    pub count: usize,
    /// Percent of the responses that picked it (0–100, one decimal). For multiple choice the
    /// shares add up to more than 100.
    pub share: f64,
    /// A correct option (the best ones for situational questions).
    pub correct: bool,
}

/// How whole answers went, for kinds where single options say little (ordering, matching,
/// numeric).
#[derive(Clone, Debug, PartialEq)]
pub struct WholeAnswers {
    pub responses: usize,
    /// Responses with full marks.
    pub fully_correct: usize,
    /// `fully_correct` as a percent of the responses (one decimal).
    pub share_correct: f64,
    /// The wrong answer given most often, as text in the interface language, and how often
    /// (unanswered responses are not counted as an answer).
    pub common_wrong: Option<(String, usize)>,
}

/// What the trainer sees of one question's responses.
#[derive(Clone, Debug, PartialEq)]
pub enum Breakdown {
    /// Single, multiple, true/false and situational: every option in the authored order
    /// (options are shuffled on screen, so the order a trainee saw is not kept).
    Options(Vec<OptionShare>),
    Whole(WholeAnswers),
}

fn percent_of(part: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        crate::domain::rubric::round1(part as f64 / total as f64 * 100.0)
    }
}

/// The breakdown of `answers` to `q`, labelled in `lang`.
pub fn breakdown<'a>(q: &Question, answers: impl IntoIterator<Item = &'a ResponseRecord>, lang: Lang) -> Breakdown {
    let answers: Vec<&ResponseRecord> = answers.into_iter().filter(|r| r.question == q.id).collect();
    let n = answers.len();
    match q.kind {
        QuestionKind::Single | QuestionKind::Multiple | QuestionKind::TrueFalse | QuestionKind::Situational => {
            let shares = q
                .option_ids()
                .into_iter()
                .map(|id| {
                    let count = answers.iter().filter(|r| r.picked.iter().any(|p| p == id)).count();
                    OptionShare {
                        option: id.to_string(),
                        label: q.option_label(id, lang),
                        count,
                        share: percent_of(count, n),
                        correct: q.answer.iter().any(|a| a == id),
                    }
                })
                .collect();
            Breakdown::Options(shares)
        }
        QuestionKind::Ordering | QuestionKind::Matching | QuestionKind::Numeric => {
            let fully_correct = answers.iter().filter(|r| r.score >= 1.0).count();
            let mut wrong: BTreeMap<Vec<String>, usize> = BTreeMap::new();
            for r in answers.iter().filter(|r| r.score < 1.0) {
                let key: Vec<String> = if q.kind == QuestionKind::Numeric {
                    r.picked
                        .first()
                        .map(|p| {
                            parse_number(p)
                                .map(|x| format!("{x}"))
                                .unwrap_or_else(|| p.trim().to_string())
                        })
                        .into_iter()
                        .collect()
                } else {
                    r.picked.clone()
                };
                if key.iter().any(|k| !k.is_empty()) {
                    *wrong.entry(key).or_default() += 1;
                }
            }
            // Most often first; of equals the first in sort order, so the result is stable.
            let common_wrong = wrong
                .into_iter()
                .fold(None, |best: Option<(Vec<String>, usize)>, (k, c)| match best {
                    Some((_, b)) if b >= c => best,
                    _ => Some((k, c)),
                })
                .map(|(k, c)| (answer_text(q, &k, lang), c));
            Breakdown::Whole(WholeAnswers {
                responses: n,
                fully_correct,
                share_correct: percent_of(fully_correct, n),
                common_wrong,
            })
        }
    }
}

/// A whole answer as text: the steps in the order given (ordering), the pairs matched wrongly
/// (matching), the number with its unit (numeric).
pub fn answer_text(q: &Question, picked: &[String], lang: Lang) -> String {
    let text = |id: &str| match q.option_label(id, lang) {
        OptionLabel::Text(t) if !t.is_empty() => t,
        _ => "—".to_string(),
    };
    let sep = match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    };
    match q.kind {
        QuestionKind::Ordering => picked.iter().map(|p| text(p)).collect::<Vec<_>>().join(" → "),
        QuestionKind::Matching => q
            .pairs
            .iter()
            .zip(picked)
            .filter(|(pair, p)| pair.id != **p)
            .map(|(pair, p)| format!("{} → {}", pair.left.get(lang), text(p)))
            .collect::<Vec<_>>()
            .join(sep),
        QuestionKind::Numeric => {
            let value = picked.first().cloned().unwrap_or_default();
            match q.unit.as_ref().map(|u| u.get(lang)) {
                Some(u) if !u.is_empty() => format!("{value} {u}"),
                _ => value,
            }
        }
        _ => picked.iter().map(|p| text(p)).collect::<Vec<_>>().join(sep),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn flagged_questions_are_read_first() {
        let stat = |q: &str, too_hard: bool| ItemStats {
            question: q.into(),
            responses: 3,
            facility: 0.5,
            discrimination: None,
            options: BTreeMap::new(),
            answers: Vec::new(),
            too_easy: false,
            too_hard,
            negative: false,
        };
        let mut stats = vec![stat("a", false), stat("c", true), stat("b", false), stat("d", true)];
        flagged_first(&mut stats);
        let order: Vec<&str> = stats.iter().map(|s| s.question.as_str()).collect();
        assert_eq!(order, ["c", "d", "a", "b"]);
    }

    use super::*;
    use crate::domain::quiz::ResponseRecord;
    use crate::domain::rubric::RubricResult;
    use chrono::{TimeZone, Utc};

    fn attempt(id: &str, total: f64, responses: &[(&str, &str, f64)]) -> AttemptRecord {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        AttemptRecord {
            id: id.into(),
            quiz: "q".into(),
            content_version: "v".into(),
            started_at: at,
            finished_at: at,
            responses: responses
                .iter()
                .map(|(q, p, s)| ResponseRecord {
                    question: q.to_string(),
                    picked: vec![p.to_string()],
                    score: *s,
                    timed_out: false,
                })
                .collect(),
            result: RubricResult {
                rubric: "r".into(),
                criteria: vec![],
                total: Some(total),
                printed_weight_total: 110.0,
                partial: false,
            },
            correct: 0,
            passed: false,
            seed: None,
            timed_out: false,
        }
    }

    /// Worked by hand: five attempts with totals 90, 80, 60, 40, 20. 27% of 5 = 1.35 → groups
    /// of one: upper = the 90 attempt, lower = the 20 attempt.
    #[test]
    fn facility_discrimination_options_and_flags_match_the_hand_worked_fixture() {
        let attempts = vec![
            attempt(
                "a",
                90.0,
                &[
                    ("easy", "b", 1.0),
                    ("neg", "a", 0.0),
                    ("hard", "c", 1.0),
                    ("all", "a", 1.0),
                ],
            ),
            attempt(
                "b",
                80.0,
                &[
                    ("easy", "b", 1.0),
                    ("neg", "a", 0.0),
                    ("hard", "a", 0.0),
                    ("all", "a", 1.0),
                ],
            ),
            attempt(
                "c",
                60.0,
                &[
                    ("easy", "b", 1.0),
                    ("neg", "b", 1.0),
                    ("hard", "a", 0.0),
                    ("all", "a", 1.0),
                ],
            ),
            attempt(
                "d",
                40.0,
                &[
                    ("easy", "b", 1.0),
                    ("neg", "b", 1.0),
                    ("hard", "b", 0.0),
                    ("all", "a", 1.0),
                ],
            ),
            attempt(
                "e",
                20.0,
                &[
                    ("easy", "a", 0.0),
                    ("neg", "b", 1.0),
                    ("hard", "b", 0.0),
                    ("all", "a", 1.0),
                ],
            ),
        ];
        let stats = items(&attempts);
        let get = |q: &str| stats.iter().find(|s| s.question == q).unwrap();
        // easy: 4 of 5 right → 0.8; upper 1 − lower 0 = 1.
        assert_eq!((get("easy").facility, get("easy").discrimination), (0.8, Some(1.0)));
        assert!(!get("easy").too_easy && !get("easy").negative);
        // neg: 3 of 5 → 0.6; upper 0 − lower 1 = −1: negatively discriminating.
        assert_eq!((get("neg").facility, get("neg").discrimination), (0.6, Some(-1.0)));
        assert!(get("neg").negative);
        assert_eq!(
            get("neg").options,
            BTreeMap::from([("a".to_string(), 2), ("b".to_string(), 3)])
        );
        // hard: 1 of 5 → 0.2: too hard; upper 1 − lower 0 = 1.
        assert_eq!((get("hard").facility, get("hard").discrimination), (0.2, Some(1.0)));
        assert!(get("hard").too_hard);
        // all: everyone right → 1.0: too easy; index 0.
        assert_eq!((get("all").facility, get("all").discrimination), (1.0, Some(0.0)));
        assert!(get("all").too_easy);
        // Fewer than five responses: nothing is flagged.
        let few = items(&attempts[..4]);
        assert!(few.iter().all(|s| !s.too_easy && !s.too_hard && !s.negative));
    }

    #[test]
    fn questions_left_blank_when_time_ran_out_count_in_no_statistic() {
        let mut attempts = vec![
            attempt("a", 90.0, &[("q1", "a", 1.0), ("q2", "a", 1.0)]),
            attempt("b", 50.0, &[("q1", "a", 1.0), ("q2", "b", 0.0)]),
            attempt("c", 10.0, &[("q1", "", 0.0), ("q2", "", 0.0)]),
        ];
        // c ran out of time with both questions blank.
        for r in &mut attempts[2].responses {
            r.picked.clear();
            r.timed_out = true;
        }
        let stats = items(&attempts);
        let get = |q: &str| stats.iter().find(|s| s.question == q).unwrap();
        assert_eq!(get("q1").responses, 2, "the timed-out blank is not a response");
        assert_eq!(get("q1").facility, 1.0, "and does not make q1 look hard");
        // Discrimination: upper = a (1.0); lower = c, who never answered, so no index.
        assert_eq!(get("q1").discrimination, None);
        assert_eq!(get("q2").facility, 0.5);
        // A blank the trainee submitted by hand still counts as a wrong answer.
        attempts[2].responses[0].timed_out = false;
        let stats = items(&attempts);
        assert_eq!(stats.iter().find(|s| s.question == "q1").unwrap().responses, 3);
    }
}

/// How often each choice was taken at each decision point of one scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecisionStats {
    /// Node id → choice id (or `timeout`) → times taken.
    pub nodes: BTreeMap<String, BTreeMap<String, usize>>,
    /// Runs counted.
    pub runs: usize,
}

/// Decision statistics of one scenario's finished runs.
pub fn decisions<'a>(runs: impl IntoIterator<Item = &'a crate::domain::scenario::ScenarioRecord>) -> DecisionStats {
    let mut out = DecisionStats::default();
    for r in runs {
        out.runs += 1;
        for st in &r.steps {
            *out.nodes
                .entry(st.node.clone())
                .or_default()
                .entry(st.choice.clone())
                .or_default() += 1;
        }
    }
    out
}

/// A choice that cost points on a criterion, and how often it was taken.
#[derive(Clone, Debug, PartialEq)]
pub struct Costly {
    pub node: String,
    pub choice: String,
    pub criterion: String,
    pub points: i32,
    pub times: usize,
}

/// The choices that most often cost a criterion: every (choice, criterion) with negative
/// points that was taken, ordered by times taken × points lost.
pub fn costly(s: &crate::domain::scenario::Scenario, stats: &DecisionStats) -> Vec<Costly> {
    let mut out = Vec::new();
    for (node, choices) in &stats.nodes {
        let Some(n) = s.node(node) else { continue };
        for (choice, times) in choices {
            let Some(e) = n.edge(choice) else { continue };
            for (criterion, points) in e.scores.iter().filter(|(_, p)| **p < 0) {
                out.push(Costly {
                    node: node.clone(),
                    choice: choice.clone(),
                    criterion: criterion.clone(),
                    points: *points,
                    times: *times,
                });
            }
        }
    }
    let lost = |c: &Costly| (c.times as i64).saturating_mul(-i64::from(c.points));
    out.sort_by(|a, b| lost(b).cmp(&lost(a)).then(a.node.cmp(&b.node)));
    out
}

/// Where unfinished runs stopped: node id → runs waiting there.
pub fn abandoned<'a>(
    s: &crate::domain::scenario::Scenario,
    runs: impl IntoIterator<Item = &'a crate::domain::scenario::ScenarioRun>,
) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in runs.into_iter().filter(|r| r.scenario == s.id) {
        if let Some(crate::domain::scenario::Place::Node(n)) = r.position(s) {
            *out.entry(n.id.clone()).or_default() += 1;
        }
    }
    out
}

#[cfg(test)]
mod scenario_tests {
    use super::*;
    use crate::domain::scenario::{Mode, Scenario, ScenarioRun};
    use chrono::{TimeZone, Utc};

    fn scenario() -> Scenario {
        let toml = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/content/scenarios/sc.toml"
        ))
        .unwrap();
        let v: serde_json::Value = toml::from_str(&toml).unwrap();
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn choice_shares_costly_choices_and_abandoned_runs() {
        let s = scenario();
        let rubric = crate::domain::rubric::Rubric {
            origin: String::new(),
            format_version: 1,
            id: "r".into(),
            title: crate::domain::text::Text::new("r", "r"),
            cite: vec![],
            note: crate::domain::text::Text::new("", ""),
            criteria: vec![],
        };
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let play = |choices: &[&str]| {
            let mut r = ScenarioRun::start(&s, "x".into(), Mode::Solo, None, 1, t);
            for c in choices {
                r.choose(&s, c, None, t).unwrap();
            }
            r
        };
        let finished: Vec<_> = [&["a", "a", "a"][..], &["b", "b", "b"], &["b", "a", "b"]]
            .iter()
            .map(|c| play(c).finish(&s, &rubric, "v", t))
            .collect();
        let stats = decisions(&finished);
        assert_eq!(stats.runs, 3);
        assert_eq!(
            stats.nodes["ring"],
            BTreeMap::from([("a".to_string(), 1), ("b".to_string(), 2)])
        );
        // need/b (etiquette −2) taken twice = 4 lost; ring/b (process −1) twice = 2; greet/b once = 1.
        let c = costly(&s, &stats);
        assert_eq!(
            (
                c[0].node.as_str(),
                c[0].choice.as_str(),
                c[0].criterion.as_str(),
                c[0].times
            ),
            ("need", "b", "etiquette", 2)
        );
        assert_eq!((c[1].node.as_str(), c[1].choice.as_str()), ("ring", "b"));
        assert_eq!(c.len(), 3);
        // Two runs left at `need`, one at `greet`.
        let open = [play(&["a", "a"]), play(&["b", "a"]), play(&["a"])];
        assert_eq!(
            abandoned(&s, &open),
            BTreeMap::from([("greet".to_string(), 1), ("need".to_string(), 2)])
        );
    }
}

/// The dashboard's filters; `None` keeps everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// A trainee's profile id (records of their aliases count as theirs).
    pub trainee: Option<String>,
    pub track: Option<String>,
    pub device: Option<String>,
    /// First and last day kept, on the device's calendar.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// The module a record's quiz, scenario or checklist belongs to.
pub fn module_of<'a>(course: &'a crate::domain::content::Course, r: &crate::domain::store::Record) -> Option<&'a str> {
    use crate::domain::store::Body;
    match &r.body {
        Body::Quiz(a) => course.quiz(&a.quiz).map(|q| q.module.as_str()),
        Body::Scenario(s) => course.scenario(&s.scenario).map(|x| x.module.as_str()),
        Body::Observation(o) => course.checklist(&o.checklist).map(|x| x.module.as_str()),
        Body::Erasure { .. } => None,
    }
}

impl Filter {
    /// Whether `r` passes; `day` gives a time's calendar day on the device.
    pub fn keeps(
        &self,
        r: &crate::domain::store::Record,
        course: &crate::domain::content::Course,
        profiles: &crate::domain::profiles::Profiles,
        day: &dyn Fn(chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate,
    ) -> bool {
        if r.kind() == "erasure" {
            return false;
        }
        let owner = profiles
            .owner(&r.trainee)
            .map(|p| p.id.as_str())
            .unwrap_or(r.trainee.as_str());
        let in_track = |t: &String| {
            let modules = course
                .file
                .tracks
                .iter()
                .find(|x| &x.id == t)
                .map(|x| x.modules.as_slice())
                .unwrap_or(&[]);
            module_of(course, r).is_some_and(|m| modules.iter().any(|x| x == m))
        };
        let d = day(r.finished_at);
        self.trainee.as_ref().is_none_or(|t| t == owner)
            && self.device.as_ref().is_none_or(|dev| *dev == r.device)
            && self.track.as_ref().is_none_or(in_track)
            && self.from.is_none_or(|f| d >= f)
            && self.to.is_none_or(|u| d <= u)
    }
}

/// The Monday of `d`'s week; in the first week chrono can represent (which may have no Monday)
/// the earliest day there is. Never panics, whatever date a record carries.
pub fn monday_of(d: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    d.checked_sub_days(chrono::Days::new(u64::from(d.weekday().num_days_from_monday())))
        .unwrap_or(chrono::NaiveDate::MIN)
}

/// The average weighted total per week (weeks start on Monday): (Monday, average, results).
pub fn weekly_totals<'a>(
    records: impl IntoIterator<Item = &'a crate::domain::store::Record>,
    day: &dyn Fn(chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate,
) -> Vec<(chrono::NaiveDate, f64, usize)> {
    let mut weeks: BTreeMap<chrono::NaiveDate, (f64, usize)> = BTreeMap::new();
    for r in records {
        if let Some(t) = r.total() {
            let e = weeks.entry(monday_of(day(r.finished_at))).or_default();
            e.0 += t;
            e.1 = e.1.saturating_add(1);
        }
    }
    weeks.into_iter().map(|(d, (sum, n))| (d, sum / n as f64, n)).collect()
}

/// Per week (Monday) the per-criterion profile of the results finished that week.
pub fn weekly_criteria<'a>(
    records: impl IntoIterator<Item = &'a crate::domain::store::Record>,
    day: &dyn Fn(chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate,
) -> Vec<(chrono::NaiveDate, crate::domain::report::CriterionProfile)> {
    let mut weeks: BTreeMap<chrono::NaiveDate, Vec<&crate::domain::rubric::RubricResult>> = BTreeMap::new();
    for r in records {
        if let Some(res) = r.result() {
            weeks.entry(monday_of(day(r.finished_at))).or_default().push(res);
        }
    }
    weeks
        .into_iter()
        .map(|(d, rs)| (d, crate::domain::report::CriterionProfile::of(rs)))
        .collect()
}

#[cfg(test)]
mod breakdown_tests {
    use super::*;
    use crate::domain::quiz::{Choice, Pair};
    use crate::domain::text::Text;

    fn question(id: &str, kind: QuestionKind, options: &[(&str, &str, &str)], answer: &[&str]) -> Question {
        Question {
            id: id.into(),
            kind,
            prompt: Text::new("问题", "Question"),
            options: options
                .iter()
                .map(|(id, zh, en)| Choice {
                    id: id.to_string(),
                    text: Text::new(*zh, *en),
                    feedback: None,
                    scores: BTreeMap::new(),
                    verdict: None,
                })
                .collect(),
            answer: answer.iter().map(|s| s.to_string()).collect(),
            pairs: Vec::new(),
            number: None,
            unit: None,
            explanation: Text::new("", ""),
            cite: vec![],
            criteria: vec!["process".into()],
            difficulty: 1,
            facts: vec![],
        }
    }

    fn r(q: &str, picked: &[&str], score: f64) -> ResponseRecord {
        ResponseRecord {
            question: q.into(),
            picked: picked.iter().map(|s| s.to_string()).collect(),
            score,
            timed_out: false,
        }
    }

    fn shares(b: Breakdown) -> Vec<OptionShare> {
        match b {
            Breakdown::Options(s) => s,
            Breakdown::Whole(_) => panic!("expected option shares"),
        }
    }

    /// Four trainees saw the options of `ring` in different (shuffled) orders; the picks are
    /// ids, so the order shown does not matter: b (correct) 1 of 4 = 25%, d 2 of 4 = 50%,
    /// a 1 of 4 = 25%, c never.
    #[test]
    fn option_shares_carry_text_counts_percent_and_the_correct_mark_in_authored_order() {
        let q = question(
            "ring",
            QuestionKind::Single,
            &[
                ("a", "响五声再接", "After five rings"),
                ("b", "三声之内接听", "Within three rings"),
                ("c", "等对方挂断", "Let it ring out"),
                ("d", "立即转给同事", "Pass it to a colleague at once"),
            ],
            &["b"],
        );
        let answers = [
            r("ring", &["d"], 0.0),
            r("ring", &["b"], 1.0),
            r("other", &["b"], 1.0),
            r("ring", &["d"], 0.0),
            r("ring", &["a"], 0.0),
        ];
        let s = shares(breakdown(&q, &answers, Lang::En));
        let rows: Vec<(&str, OptionLabel, usize, f64, bool)> = s
            .iter()
            .map(|o| (o.option.as_str(), o.label.clone(), o.count, o.share, o.correct))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("a", OptionLabel::Text("After five rings".into()), 1, 25.0, false),
                ("b", OptionLabel::Text("Within three rings".into()), 1, 25.0, true),
                ("c", OptionLabel::Text("Let it ring out".into()), 0, 0.0, false),
                (
                    "d",
                    OptionLabel::Text("Pass it to a colleague at once".into()),
                    2,
                    50.0,
                    false
                ),
            ]
        );
        let zh = shares(breakdown(&q, &answers, Lang::Zh));
        assert_eq!(zh[1].label, OptionLabel::Text("三声之内接听".into()));
    }

    /// True/false: 3 said true (wrong), 1 said false (right): 75% / 25%, false marked correct;
    /// the labels are True / False for the interface to word (对 / 错), never the ids.
    #[test]
    fn true_false_shares_are_labelled_true_and_false_with_the_answer_marked() {
        let q = question("tf", QuestionKind::TrueFalse, &[], &["false"]);
        let answers = [
            r("tf", &["true"], 0.0),
            r("tf", &["true"], 0.0),
            r("tf", &["false"], 1.0),
            r("tf", &["true"], 0.0),
        ];
        let s = shares(breakdown(&q, &answers, Lang::Zh));
        assert_eq!(s.len(), 2);
        assert_eq!(
            (&s[0].label, s[0].count, s[0].share, s[0].correct),
            (&OptionLabel::True, 3, 75.0, false)
        );
        assert_eq!(
            (&s[1].label, s[1].count, s[1].share, s[1].correct),
            (&OptionLabel::False, 1, 25.0, true)
        );
    }

    /// Multiple choice: each option's share is of the responses, so they add up past 100%.
    #[test]
    fn multiple_choice_shares_are_of_responses_and_may_exceed_a_hundred_in_total() {
        let q = question(
            "m",
            QuestionKind::Multiple,
            &[
                ("x", "记录", "Note it"),
                ("y", "复述", "Repeat it"),
                ("z", "挂断", "Hang up"),
            ],
            &["x", "y"],
        );
        let answers = [r("m", &["x", "y"], 1.0), r("m", &["x", "z"], 0.0), r("m", &[], 0.0)];
        let s = shares(breakdown(&q, &answers, Lang::En));
        // x 2/3 = 66.7, y 1/3 = 33.3, z 1/3 = 33.3; no response picked anything in the third.
        assert_eq!(s.iter().map(|o| o.share).collect::<Vec<_>>(), vec![66.7, 33.3, 33.3]);
        assert_eq!(s.iter().map(|o| o.correct).collect::<Vec<_>>(), vec![true, true, false]);
    }

    #[test]
    fn ordering_matching_and_numeric_report_full_marks_and_the_commonest_wrong_answer_as_text() {
        let ord = question(
            "ord",
            QuestionKind::Ordering,
            &[
                ("s1", "问候", "Greet"),
                ("s2", "询问", "Ask"),
                ("s3", "道别", "Say goodbye"),
            ],
            &["s1", "s2", "s3"],
        );
        let answers = [
            r("ord", &["s1", "s2", "s3"], 1.0),
            r("ord", &["s2", "s1", "s3"], 1.0 / 3.0),
            r("ord", &["s2", "s1", "s3"], 1.0 / 3.0),
            r("ord", &["s3", "s2", "s1"], 1.0 / 3.0),
        ];
        assert_eq!(
            breakdown(&ord, &answers, Lang::En),
            Breakdown::Whole(WholeAnswers {
                responses: 4,
                fully_correct: 1,
                share_correct: 25.0,
                common_wrong: Some(("Ask → Greet → Say goodbye".into(), 2)),
            })
        );
        let mut m = question("match", QuestionKind::Matching, &[], &[]);
        m.pairs = vec![
            Pair {
                id: "p1".into(),
                left: Text::new("一级", "Level 1"),
                right: Text::new("2小时", "2 hours"),
            },
            Pair {
                id: "p2".into(),
                left: Text::new("二级", "Level 2"),
                right: Text::new("24小时", "24 hours"),
            },
        ];
        let answers = [r("match", &["p2", "p1"], 0.0), r("match", &["p1", "p2"], 1.0)];
        let Breakdown::Whole(w) = breakdown(&m, &answers, Lang::Zh) else {
            panic!("matching is summarised as a whole")
        };
        assert_eq!((w.fully_correct, w.share_correct), (1, 50.0));
        assert_eq!(w.common_wrong, Some(("一级 → 24小时；二级 → 2小时".into(), 1)));
        let mut n = question("num", QuestionKind::Numeric, &[], &[]);
        n.number = Some(3.0);
        n.unit = Some(Text::new("声", "rings"));
        // Full-width "５" and "5" are the same answer; blank answers are not an answer.
        let answers = [
            r("num", &["５"], 0.0),
            r("num", &["5"], 0.0),
            r("num", &["4"], 0.0),
            r("num", &[""], 0.0),
            r("num", &["3"], 1.0),
        ];
        let Breakdown::Whole(w) = breakdown(&n, &answers, Lang::En) else {
            panic!("numeric is summarised as a whole")
        };
        assert_eq!((w.responses, w.fully_correct, w.share_correct), (5, 1, 20.0));
        assert_eq!(w.common_wrong, Some(("5 rings".into(), 2)));
    }

    #[test]
    fn items_keep_every_answer_for_the_breakdown() {
        let q = question("tf", QuestionKind::TrueFalse, &[], &["true"]);
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 9, 0, 0).unwrap();
        let attempt = AttemptRecord {
            id: "a".into(),
            quiz: "q".into(),
            content_version: "v".into(),
            started_at: at,
            finished_at: at,
            responses: vec![r("tf", &["false"], 0.0)],
            result: crate::domain::rubric::RubricResult {
                rubric: "r".into(),
                criteria: vec![],
                total: Some(0.0),
                printed_weight_total: 110.0,
                partial: false,
            },
            correct: 0,
            passed: false,
            seed: None,
            timed_out: false,
        };
        let stats = items([&attempt]);
        let s = shares(breakdown(&q, &stats[0].answers, Lang::En));
        assert_eq!(
            (s[1].label.clone(), s[1].count, s[1].correct),
            (OptionLabel::False, 1, false)
        );
        assert!(s[0].correct);
    }
}
