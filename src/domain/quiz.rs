//! Questions, answers and quiz scoring.
//!
//! Every question is worth one point. A question's score (0 to 1) counts toward each rubric
//! criterion it assesses, so a criterion's percentage is the mean score of its questions.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::rubric::{PassRule, Rubric, RubricResult, Tally};
use crate::domain::text::{Lang, Text};

/// The kinds of question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One correct option.
    Single,
    /// Several correct options. Partial credit: (correct picked − wrong picked) ÷ correct
    /// options, never below 0.
    Multiple,
    /// A statement that is true or false; no `options`, `answer` is `["true"]` or `["false"]`.
    TrueFalse,
    /// Put the `options` (a procedure's steps) in order; `answer` lists their ids in the
    /// correct order. Partial credit: steps in their correct position ÷ steps.
    Ordering,
    /// Match each pair's `left` to its `right`; no `options` or `answer`. Partial credit:
    /// pairs matched correctly ÷ pairs.
    Matching,
    /// Type a number; `number` is the answer, `unit` is shown after the box.
    Numeric,
    /// A realistic situation: every option carries per-criterion `scores`, a `verdict` and
    /// `feedback`; `answer` lists the best option(s).
    Situational,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "true_false",
            QuestionKind::Ordering => "ordering",
            QuestionKind::Matching => "matching",
            QuestionKind::Numeric => "numeric",
            QuestionKind::Situational => "situational",
        }
    }
}

/// How good a situational-judgement option is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Best,
    Acceptable,
    Poor,
}

/// An option of a choice, ordering or situational question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub text: Text,
    /// Situational only: why this response is good or bad.
    #[serde(default)]
    pub feedback: Option<Text>,
    /// Situational only: points per rubric criterion (negative when it costs the criterion).
    #[serde(default)]
    pub scores: BTreeMap<String, i32>,
    /// Situational only.
    #[serde(default)]
    pub verdict: Option<Verdict>,
}

/// A pair of a matching question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub id: String,
    pub left: Text,
    pub right: Text,
}

/// A question as authored in `content/quizzes/*.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub prompt: Text,
    #[serde(default)]
    pub options: Vec<Choice>,
    /// Ids of the correct options (`true` / `false` for true/false questions; the correct
    /// order for ordering; the best options for situational; empty for matching and numeric).
    #[serde(default)]
    pub answer: Vec<String>,
    /// Matching only.
    #[serde(default)]
    pub pairs: Vec<Pair>,
    /// Numeric only: the expected number.
    #[serde(default)]
    pub number: Option<f64>,
    /// Numeric only: the unit shown after the box (`小时` / `hours`).
    #[serde(default)]
    pub unit: Option<Text>,
    /// Shown after answering: why the answer is right.
    pub explanation: Text,
    pub cite: Vec<String>,
    /// Rubric criterion ids this question assesses.
    pub criteria: Vec<String>,
    /// 1 (recall) to 3 (judgement).
    pub difficulty: u8,
    /// Numbers of the "Notable facts" in content/manuals/README.md this question tests.
    #[serde(default)]
    pub facts: Vec<u32>,
}

/// `content/questions/<module>.toml`: the question bank of one module.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionBank {
    /// Path of the file under `content/` (set by the loader, not authored).
    #[serde(skip)]
    pub origin: String,
    pub format_version: u32,
    /// The module these questions belong to (the file is named after it).
    pub module: String,
    pub questions: Vec<Question>,
}

/// Parses a number typed by a trainee: ASCII or full-width digits, one decimal point.
pub fn parse_number(input: &str) -> Option<f64> {
    let normalised: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            _ => c,
        })
        .collect();
    if normalised.is_empty() || !normalised.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
        return None;
    }
    normalised.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The ids a true/false question can be answered with.
pub const TRUE_FALSE: [&str; 2] = ["true", "false"];

impl Question {
    /// The option ids a response may contain.
    pub fn option_ids(&self) -> Vec<&str> {
        match self.kind {
            QuestionKind::TrueFalse => TRUE_FALSE.to_vec(),
            QuestionKind::Matching => self.pairs.iter().map(|p| p.id.as_str()).collect(),
            QuestionKind::Numeric => Vec::new(),
            _ => self.options.iter().map(|o| o.id.as_str()).collect(),
        }
    }

    /// The best points an option of a situational question earns on `criterion` (0 if none
    /// earns any).
    pub fn best_points(&self, criterion: &str) -> i32 {
        self.options
            .iter()
            .filter_map(|o| o.scores.get(criterion).copied())
            .max()
            .unwrap_or(0)
            .max(0)
    }

    /// Per-criterion (earned, possible) for a response. Situational questions earn the picked
    /// option's points (clamped to 0…best) out of the best points on each criterion; every
    /// other kind counts its score (0–1) out of 1 on each criterion it assesses.
    pub fn tallies(&self, picked: &[String]) -> Vec<(String, f64, f64)> {
        if self.kind == QuestionKind::Situational {
            let chosen = picked.first().and_then(|id| self.options.iter().find(|o| &o.id == id));
            return self
                .criteria
                .iter()
                .map(|c| {
                    let best = self.best_points(c) as f64;
                    let got = chosen.and_then(|o| o.scores.get(c)).copied().unwrap_or(0) as f64;
                    (c.clone(), got.clamp(0.0, best), best)
                })
                .filter(|(_, _, possible)| *possible > 0.0)
                .collect();
        }
        let score = self.score(picked);
        self.criteria.iter().map(|c| (c.clone(), score, 1.0)).collect()
    }

    /// Scores a response: 0.0 to 1.0. Unknown ids count as wrong picks.
    pub fn score(&self, picked: &[String]) -> f64 {
        let is_correct = |id: &String| self.answer.contains(id);
        match self.kind {
            QuestionKind::Single | QuestionKind::TrueFalse => {
                if picked.len() == 1 && is_correct(&picked[0]) {
                    1.0
                } else {
                    0.0
                }
            }
            QuestionKind::Multiple => {
                if self.answer.is_empty() {
                    return 0.0;
                }
                let mut seen: Vec<&String> = picked.iter().collect();
                seen.sort();
                seen.dedup();
                let right = seen.iter().filter(|id| is_correct(id)).count() as f64;
                let wrong = seen.len() as f64 - right;
                ((right - wrong) / self.answer.len() as f64).clamp(0.0, 1.0)
            }
            QuestionKind::Ordering => {
                if self.answer.is_empty() {
                    return 0.0;
                }
                let in_place = self.answer.iter().zip(picked).filter(|(a, p)| a == p).count();
                in_place as f64 / self.answer.len() as f64
            }
            QuestionKind::Matching => {
                if self.pairs.is_empty() {
                    return 0.0;
                }
                let right = self.pairs.iter().zip(picked).filter(|(pair, p)| pair.id == **p).count();
                right as f64 / self.pairs.len() as f64
            }
            QuestionKind::Numeric => match (self.number, picked.first().and_then(|p| parse_number(p))) {
                (Some(expected), Some(got)) if (expected - got).abs() < 1e-9 => 1.0,
                _ => 0.0,
            },
            QuestionKind::Situational => {
                let verdict = picked
                    .first()
                    .and_then(|id| self.options.iter().find(|o| &o.id == id))
                    .and_then(|o| o.verdict);
                match verdict {
                    Some(Verdict::Best) => 1.0,
                    Some(Verdict::Acceptable) => 0.5,
                    _ => 0.0,
                }
            }
        }
    }
}

/// How right one scored answer was: drives the feedback line and the review mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Correctness {
    Right,
    Partial,
    Wrong,
}

impl Correctness {
    /// Full marks are right, some marks partial, none wrong.
    pub fn of(score: f64) -> Correctness {
        if score >= 1.0 {
            Correctness::Right
        } else if score > 0.0 {
            Correctness::Partial
        } else {
            Correctness::Wrong
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Correctness::Right => "right",
            Correctness::Partial => "partial",
            Correctness::Wrong => "wrong",
        }
    }
}

/// What an option id of a question reads as: true / false (worded by the interface) or text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionLabel {
    True,
    False,
    Text(String),
}

impl Question {
    /// The label of option `id` in `lang`: for matching the right-hand side of the pair (empty
    /// if unknown), for true/false which of the two, else the option's text (its id if unknown).
    pub fn option_label(&self, id: &str, lang: Lang) -> OptionLabel {
        match self.kind {
            QuestionKind::TrueFalse if id == "true" => OptionLabel::True,
            QuestionKind::TrueFalse => OptionLabel::False,
            QuestionKind::Matching => OptionLabel::Text(
                self.pairs
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| p.right.get(lang).to_string())
                    .unwrap_or_default(),
            ),
            _ => OptionLabel::Text(
                self.options
                    .iter()
                    .find(|o| o.id == id)
                    .map(|o| o.text.get(lang).to_string())
                    .unwrap_or_else(|| id.to_string()),
            ),
        }
    }

    /// The correct answer as option ids: the pairs in order for matching, the number for
    /// numeric questions, else the answer key.
    pub fn correct_ids(&self) -> Vec<String> {
        match self.kind {
            QuestionKind::Matching => self.pairs.iter().map(|p| p.id.clone()).collect(),
            QuestionKind::Numeric => self.number.map(|n| vec![format!("{n}")]).unwrap_or_default(),
            _ => self.answer.clone(),
        }
    }

    /// The feedback written for the picked option of a situational question, if any.
    pub fn picked_feedback(&self, picked: &[String]) -> Option<&Text> {
        if self.kind != QuestionKind::Situational {
            return None;
        }
        let id = picked.first()?;
        self.options.iter().find(|o| &o.id == id)?.feedback.as_ref()
    }

    /// The steps of an ordering question as they stand: the trainee's order once they set
    /// one, else the shown order.
    pub fn current_order(&self, picked: &[String], shown: &[String]) -> Vec<String> {
        if picked.len() == shown.len() {
            picked.to_vec()
        } else {
            shown.to_vec()
        }
    }

    /// The right-hand picks of a matching question as they stand: one per pair, empty where
    /// nothing is chosen yet.
    pub fn current_matches(&self, picked: &[String]) -> Vec<String> {
        if picked.len() == self.pairs.len() {
            picked.to_vec()
        } else {
            vec![String::new(); self.pairs.len()]
        }
    }
}

/// Moves the item at `from` to `to` (a dragged step), leaving the list as it was if either
/// index is out of range.
pub fn moved(list: &[String], from: usize, to: usize) -> Vec<String> {
    let mut v = list.to_vec();
    if from < v.len() && to < v.len() {
        let item = v.remove(from);
        v.insert(to, item);
    }
    v
}

/// A trainee's answers to one quiz, in progress or finished.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    /// Question id → picked option ids.
    pub picked: BTreeMap<String, Vec<String>>,
}

impl Answers {
    pub fn set(&mut self, question: &str, picked: Vec<String>) {
        if picked.is_empty() {
            self.picked.remove(question);
        } else {
            self.picked.insert(question.to_string(), picked);
        }
    }

    pub fn get(&self, question: &str) -> &[String] {
        self.picked.get(question).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Toggles one option: for single-answer kinds it replaces the pick.
    pub fn toggle(&mut self, q: &Question, option: &str) {
        let mut current = self.get(&q.id).to_vec();
        match q.kind {
            QuestionKind::Multiple => {
                if let Some(i) = current.iter().position(|o| o == option) {
                    current.remove(i);
                } else {
                    current.push(option.to_string());
                }
            }
            _ => current = vec![option.to_string()],
        }
        self.set(&q.id, current);
    }
}

/// The score of one question in a finished attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseRecord {
    pub question: String,
    pub picked: Vec<String>,
    pub score: f64,
    /// Never answered: the time limit ran out and the attempt was submitted at the deadline
    /// with this question blank. It scores 0 but says nothing about the question, so item
    /// analysis leaves it out. Absent (false) in records written before it existed, and not
    /// written when false, so their hashes stay the same.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
}

/// A finished quiz, scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizOutcome {
    pub responses: Vec<ResponseRecord>,
    pub result: RubricResult,
    /// Questions answered fully correctly.
    pub correct: usize,
    pub passed: bool,
}

/// Scores answers to `questions` on `rubric`; `pass_mark` is a percent of the weighted total.
pub fn score_quiz(questions: &[Question], answers: &Answers, rubric: &Rubric, pass_mark: f64) -> QuizOutcome {
    let mut tallies: Vec<(String, Tally)> = Vec::new();
    let mut responses = Vec::with_capacity(questions.len());
    for q in questions {
        let picked = answers.get(&q.id).to_vec();
        let score = q.score(&picked);
        for (c, earned, possible) in q.tallies(&picked) {
            tallies.push((c, Tally { earned, possible }));
        }
        responses.push(ResponseRecord {
            question: q.id.clone(),
            picked,
            score,
            timed_out: false,
        });
    }
    let result = rubric.score(&tallies);
    let correct = responses.iter().filter(|r| r.score >= 1.0).count();
    let passed = PassRule::Total.passes(&result, pass_mark);
    QuizOutcome {
        responses,
        result,
        correct,
        passed,
    }
}

/// Times of an attempt, passed in by the caller (the domain never reads the clock).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn q(kind: QuestionKind, answer: &[&str]) -> Question {
        Question {
            id: "q".into(),
            kind,
            prompt: Text::new("问", "Q"),
            options: ["a", "b", "c", "d"]
                .iter()
                .map(|id| Choice {
                    id: id.to_string(),
                    text: Text::new(*id, *id),
                    feedback: None,
                    scores: BTreeMap::new(),
                    verdict: None,
                })
                .collect(),
            pairs: Vec::new(),
            number: None,
            unit: None,
            facts: Vec::new(),
            answer: answer.iter().map(|s| s.to_string()).collect(),
            explanation: Text::new("因为", "Because"),
            cite: vec!["m5 §三(三)".into()],
            criteria: vec!["process".into()],
            difficulty: 1,
        }
    }

    pub(crate) fn v(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn single_choice_is_all_or_nothing() {
        let q = q(QuestionKind::Single, &["b"]);
        assert_eq!(q.score(&v(&["b"])), 1.0);
        assert_eq!(q.score(&v(&["a"])), 0.0);
        assert_eq!(q.score(&v(&[])), 0.0);
        assert_eq!(q.score(&v(&["a", "b"])), 0.0);
    }

    #[test]
    fn multiple_choice_gives_partial_credit_minus_wrong_picks() {
        let q = q(QuestionKind::Multiple, &["a", "b", "c"]);
        assert_eq!(q.score(&v(&["a", "b", "c"])), 1.0);
        assert!((q.score(&v(&["a", "b"])) - 2.0 / 3.0).abs() < 1e-12);
        assert!((q.score(&v(&["a", "b", "d"])) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(q.score(&v(&["d"])), 0.0);
        assert_eq!(q.score(&v(&["a", "a", "a"])), 1.0 / 3.0, "a repeated pick counts once");
    }

    #[test]
    fn true_false_takes_true_or_false() {
        let mut q = q(QuestionKind::TrueFalse, &["false"]);
        q.options.clear();
        assert_eq!(q.option_ids(), vec!["true", "false"]);
        assert_eq!(q.score(&v(&["false"])), 1.0);
        assert_eq!(q.score(&v(&["true"])), 0.0);
    }

    #[test]
    fn toggling_replaces_single_picks_and_flips_multiple_picks() {
        let single = q(QuestionKind::Single, &["a"]);
        let multi = q(QuestionKind::Multiple, &["a"]);
        let mut a = Answers::default();
        a.toggle(&single, "a");
        a.toggle(&single, "b");
        assert_eq!(a.get("q"), ["b".to_string()]);
        let mut m = Answers::default();
        m.toggle(&multi, "a");
        m.toggle(&multi, "c");
        m.toggle(&multi, "a");
        assert_eq!(m.get("q"), ["c".to_string()]);
    }

    #[test]
    fn a_score_reads_as_right_partial_or_wrong() {
        assert_eq!(Correctness::of(1.0), Correctness::Right);
        assert_eq!(Correctness::of(0.5), Correctness::Partial);
        assert_eq!(Correctness::of(0.0), Correctness::Wrong);
        assert_eq!(Correctness::of(-0.5), Correctness::Wrong);
    }

    #[test]
    fn option_labels_come_from_the_option_the_pair_or_true_false() {
        let single = q(QuestionKind::Single, &["a"]);
        assert_eq!(single.option_label("b", Lang::En), OptionLabel::Text("b".into()));
        assert_eq!(
            single.option_label("zz", Lang::En),
            OptionLabel::Text("zz".into()),
            "unknown ids show as themselves"
        );
        let tf = q(QuestionKind::TrueFalse, &["true"]);
        assert_eq!(tf.option_label("true", Lang::Zh), OptionLabel::True);
        assert_eq!(tf.option_label("false", Lang::Zh), OptionLabel::False);
        let mut m = q(QuestionKind::Matching, &[]);
        m.pairs = vec![Pair {
            id: "p1".into(),
            left: Text::new("左", "left"),
            right: Text::new("右", "right"),
        }];
        assert_eq!(m.option_label("p1", Lang::Zh), OptionLabel::Text("右".into()));
        assert_eq!(m.option_label("nope", Lang::Zh), OptionLabel::Text(String::new()));
    }

    #[test]
    fn the_correct_answer_of_a_numeric_question_is_its_number() {
        let mut n = q(QuestionKind::Numeric, &[]);
        n.number = Some(2.5);
        assert_eq!(n.correct_ids(), v(&["2.5"]));
        assert_eq!(q(QuestionKind::Multiple, &["a", "c"]).correct_ids(), v(&["a", "c"]));
    }

    #[test]
    fn only_a_situational_question_shows_the_picked_options_feedback() {
        let mut s = q(QuestionKind::Situational, &["a"]);
        s.options[1].feedback = Some(Text::new("不妥", "Not ideal"));
        assert_eq!(s.picked_feedback(&v(&["b"])).map(|t| t.en.as_str()), Some("Not ideal"));
        assert_eq!(s.picked_feedback(&v(&["a"])), None);
        assert_eq!(s.picked_feedback(&[]), None);
        let mut single = s.clone();
        single.kind = QuestionKind::Single;
        assert_eq!(single.picked_feedback(&v(&["b"])), None);
    }

    #[test]
    fn an_unset_ordering_shows_the_shown_order_and_an_unset_matching_shows_blanks() {
        let o = q(QuestionKind::Ordering, &["a", "b"]);
        assert_eq!(o.current_order(&[], &v(&["b", "a"])), v(&["b", "a"]));
        assert_eq!(o.current_order(&v(&["a", "b"]), &v(&["b", "a"])), v(&["a", "b"]));
        let mut m = q(QuestionKind::Matching, &[]);
        m.pairs = vec![
            Pair {
                id: "p1".into(),
                left: Text::new("1", "1"),
                right: Text::new("一", "one"),
            },
            Pair {
                id: "p2".into(),
                left: Text::new("2", "2"),
                right: Text::new("二", "two"),
            },
        ];
        assert_eq!(m.current_matches(&[]), v(&["", ""]));
        assert_eq!(m.current_matches(&v(&["p2", "p1"])), v(&["p2", "p1"]));
    }

    #[test]
    fn dragging_a_step_moves_it_and_out_of_range_drags_change_nothing() {
        assert_eq!(moved(&v(&["a", "b", "c"]), 0, 2), v(&["b", "c", "a"]));
        assert_eq!(moved(&v(&["a", "b", "c"]), 2, 0), v(&["c", "a", "b"]));
        assert_eq!(moved(&v(&["a", "b"]), 5, 0), v(&["a", "b"]));
    }
}
