//! The quiz engine: seeded draws, shuffled options, the in-progress attempt and its
//! transitions. Pure: the seed and the clock are passed in by the caller.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::content::{Course, Quiz};
use crate::domain::quiz::{Answers, Question, QuestionKind, QuizOutcome, score_quiz};
use crate::domain::random::{draw, shuffle};
use crate::domain::records::AttemptRecord;
use crate::domain::rubric::Rubric;

/// Derives the seed of one question's option order from the attempt seed.
fn sub_seed(seed: u64, question: &str) -> u64 {
    // FNV-1a over the id, mixed with the attempt seed: stable across platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in question.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The order a question's options are shown in. True/false keeps true, false; an ordering
/// question's steps are shuffled so they never start in the correct order (when that is
/// possible); matching shuffles the right-hand side.
pub fn option_order(q: &Question, seed: u64) -> Vec<String> {
    let mut ids: Vec<String> = q.option_ids().into_iter().map(str::to_string).collect();
    if q.kind == QuestionKind::TrueFalse || ids.len() < 2 {
        return ids;
    }
    let s = sub_seed(seed, &q.id);
    shuffle(&mut ids, s);
    if q.kind == QuestionKind::Ordering && ids == q.answer {
        ids.rotate_left(1);
    }
    ids
}

/// A quiz being taken: what was drawn, the answers so far, where the trainee is.
/// Saved after every answer so a reload or a killed browser resumes it exactly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InProgress {
    /// Id the finished attempt will have.
    pub id: String,
    /// Quiz id (`practice` for "practise my mistakes").
    pub quiz: String,
    pub seed: u64,
    /// Drawn question ids, in the order asked.
    pub questions: Vec<String>,
    /// Question id → option ids in display order.
    pub orders: BTreeMap<String, Vec<String>>,
    pub answers: Answers,
    /// Questions whose feedback was shown (feedback after each question): their answer is locked.
    #[serde(default)]
    pub revealed: BTreeSet<String>,
    /// Index of the current question.
    pub current: usize,
    pub started_at: DateTime<Utc>,
    /// When the time limit runs out, if the quiz has one.
    #[serde(default)]
    pub deadline: Option<DateTime<Utc>>,
}

impl InProgress {
    /// Starts an attempt at `quiz`: draws its questions and orders their options.
    pub fn start(course: &Course, quiz: &Quiz, id: String, seed: u64, now: DateTime<Utc>) -> InProgress {
        let candidates: Vec<&str> = course.candidates(quiz).iter().map(|q| q.id.as_str()).collect();
        let questions = draw(&candidates, quiz.count, seed);
        let deadline = quiz.time_limit_minutes.map(|m| {
            now.checked_add_signed(Duration::minutes(i64::from(m)))
                .unwrap_or(DateTime::<Utc>::MAX_UTC)
        });
        InProgress::with_questions(course, &quiz.id, questions, id, seed, now, deadline)
    }

    /// Starts an attempt on given questions (in a seeded order), e.g. the trainee's mistakes.
    pub fn with_questions(
        course: &Course,
        quiz: &str,
        mut questions: Vec<String>,
        id: String,
        seed: u64,
        now: DateTime<Utc>,
        deadline: Option<DateTime<Utc>>,
    ) -> InProgress {
        if quiz == PRACTICE {
            shuffle(&mut questions, seed);
        }
        let orders = questions
            .iter()
            .filter_map(|qid| course.question(qid))
            .map(|q| (q.id.clone(), option_order(q, seed)))
            .collect();
        InProgress {
            id,
            quiz: quiz.to_string(),
            seed,
            questions,
            orders,
            answers: Answers::default(),
            revealed: BTreeSet::new(),
            current: 0,
            started_at: now,
            deadline,
        }
    }

    /// The drawn questions that still exist in the course, in order.
    pub fn question_list<'a>(&self, course: &'a Course) -> Vec<&'a Question> {
        self.questions.iter().filter_map(|id| course.question(id)).collect()
    }

    /// Whether this saved attempt can be picked up again: every drawn question is still in
    /// the bank (the content may have changed since it started) and there is at least one.
    pub fn is_resumable(&self, course: &Course) -> bool {
        !self.questions.is_empty() && self.question_list(course).len() == self.questions.len()
    }

    /// How many of the drawn questions have an answer (needs no question bank: home shows it
    /// before the bank is fetched).
    pub fn answered_count(&self) -> usize {
        self.questions
            .iter()
            .filter(|q| !self.answers.get(q).is_empty())
            .count()
    }

    /// How many of the drawn questions (still in the course) have no answer yet.
    pub fn unanswered(&self, course: &Course) -> usize {
        self.question_list(course)
            .iter()
            .filter(|q| self.answers.get(&q.id).is_empty())
            .count()
    }

    /// Taps option `option` of `q`: a multiple-answer question flips it, any other kind
    /// replaces the pick. Refused like `answer` when locked or out of time.
    pub fn toggle(&mut self, q: &Question, option: &str, now: DateTime<Utc>) -> bool {
        let mut next = self.answers.clone();
        next.toggle(q, option);
        self.answer(&q.id, next.get(&q.id).to_vec(), now)
    }

    /// Seconds left, if timed (never negative).
    pub fn remaining_seconds(&self, now: DateTime<Utc>) -> Option<i64> {
        self.deadline.map(|d| (d - now).num_seconds().max(0))
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.deadline.is_some_and(|d| now >= d)
    }

    /// Records an answer unless it is locked (feedback already shown) or time is up.
    pub fn answer(&mut self, question: &str, picked: Vec<String>, now: DateTime<Utc>) -> bool {
        if self.revealed.contains(question) || self.is_expired(now) || !self.questions.iter().any(|q| q == question) {
            return false;
        }
        self.answers.set(question, picked);
        true
    }

    /// Moves to question `index` (clamped).
    pub fn go_to(&mut self, index: usize) {
        self.current = index.min(self.questions.len().saturating_sub(1));
    }

    /// Scores the attempt.
    pub fn score(&self, course: &Course, rubric: &Rubric, pass_mark: f64) -> QuizOutcome {
        let questions: Vec<Question> = self.question_list(course).into_iter().cloned().collect();
        score_quiz(&questions, &self.answers, rubric, pass_mark)
    }

    /// How much time is left at `now`.
    pub fn time_left(&self, now: DateTime<Utc>) -> TimeLeft {
        time_left(self.deadline, now)
    }

    /// Submits the attempt at `now` and makes its record. Past the deadline it is the clock
    /// that submits: the record says so, finishes at the deadline (not when the app next
    /// looked), and its blank questions are marked `timed_out` so item analysis skips them.
    pub fn finish(
        &self,
        course: &Course,
        rubric: &Rubric,
        pass_mark: f64,
        content_version: &str,
        now: DateTime<Utc>,
    ) -> AttemptRecord {
        let mut outcome = self.score(course, rubric, pass_mark);
        let timed_out = self.is_expired(now);
        if timed_out {
            for r in outcome.responses.iter_mut().filter(|r| r.picked.is_empty()) {
                r.timed_out = true;
            }
        }
        let finished_at = match self.deadline {
            Some(d) if timed_out => d.max(self.started_at),
            _ => now,
        };
        let mut record = AttemptRecord::from_outcome(
            self.id.clone(),
            &self.quiz,
            content_version,
            self.started_at,
            finished_at,
            outcome,
        );
        record.seed = Some(self.seed);
        record.timed_out = timed_out;
        record
    }
}

/// How much time an attempt has left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeLeft {
    /// No time limit.
    Untimed,
    /// Seconds left (more than zero).
    Left(i64),
    /// The deadline has passed: the attempt is submitted as it stands when next opened.
    Up,
}

/// The time left before `deadline` at `now` (whole seconds, rounded down).
pub fn time_left(deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> TimeLeft {
    match deadline {
        None => TimeLeft::Untimed,
        Some(d) if now >= d => TimeLeft::Up,
        Some(d) => match (d - now).num_seconds() {
            0 => TimeLeft::Left(1),
            s => TimeLeft::Left(s),
        },
    }
}

/// What opening a quiz's page does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Continue the attempt in progress.
    Resume,
    /// A timed quiz with nothing in progress: show what the attempt will be (questions, time,
    /// pass mark, which attempt counts) and start nothing until the trainee taps Start. So
    /// opening it by accident, or coming Back to it after finishing, never starts the clock.
    Intro,
    /// An untimed quiz with nothing in progress: draw and begin at once.
    Start,
}

/// What opening `quiz` does, given whether an attempt at it can be resumed.
pub fn entry(quiz: &Quiz, resumable: bool) -> Entry {
    if resumable {
        Entry::Resume
    } else if quiz.time_limit_minutes.is_some() {
        Entry::Intro
    } else {
        Entry::Start
    }
}

/// Seconds as a clock face, `mm:ss` (minutes keep counting past an hour).
pub fn clock_face(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("{:02}:{:02}", s / 60, s % 60)
}

/// What an attempt's quiz is called: practice, a quiz of the course, or an id the content no
/// longer has.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum QuizName<'a> {
    Practice,
    Title(&'a crate::domain::text::Text),
    Unknown(&'a str),
}

/// The name of quiz `id` in `course`.
pub fn quiz_name<'a>(course: &'a Course, id: &'a str) -> QuizName<'a> {
    if id == PRACTICE {
        QuizName::Practice
    } else {
        course
            .quiz(id)
            .map(|q| QuizName::Title(&q.title))
            .unwrap_or(QuizName::Unknown(id))
    }
}

/// The quiz id of a "practise my mistakes" attempt.
pub const PRACTICE: &str = "practice";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_are_deterministic_per_seed() {
        let mut a: Vec<u32> = (0..20).collect();
        let mut b = a.clone();
        shuffle(&mut a, 42);
        shuffle(&mut b, 42);
        assert_eq!(a, b);
        let mut c: Vec<u32> = (0..20).collect();
        shuffle(&mut c, 43);
        assert_ne!(a, c);
    }

    use crate::domain::quiz::QuestionBank;
    use crate::domain::quiz::tests::q;
    use chrono::TimeZone;

    fn course_with(ids: &[&str], kind: QuestionKind) -> Course {
        let mut c = crate::bundled::catalog().expect("the bundled catalog loads");
        let questions = ids
            .iter()
            .map(|id| Question {
                id: id.to_string(),
                ..q(kind, &["a"])
            })
            .collect();
        c.banks = vec![QuestionBank {
            origin: String::new(),
            format_version: 1,
            module: "m".into(),
            questions,
        }];
        c
    }

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0).unwrap()
    }

    fn attempt(c: &Course, ids: &[&str], deadline: Option<DateTime<Utc>>) -> InProgress {
        let ids = ids.iter().map(|s| s.to_string()).collect();
        InProgress::with_questions(c, "quiz", ids, "a1".into(), 7, at(0), deadline)
    }

    #[test]
    fn an_attempt_whose_question_left_the_bank_is_not_resumable() {
        let c = course_with(&["q1", "q2"], QuestionKind::Single);
        assert!(attempt(&c, &["q1", "q2"], None).is_resumable(&c));
        assert!(!attempt(&c, &["q1", "gone"], None).is_resumable(&c));
    }

    #[test]
    fn an_attempt_with_no_questions_is_not_resumable() {
        let c = course_with(&["q1"], QuestionKind::Single);
        assert!(!attempt(&c, &[], None).is_resumable(&c));
    }

    #[test]
    fn unanswered_counts_only_questions_without_a_pick() {
        let c = course_with(&["q1", "q2", "q3"], QuestionKind::Single);
        let mut ip = attempt(&c, &["q1", "q2", "q3"], None);
        assert_eq!(ip.unanswered(&c), 3);
        ip.answer("q2", vec!["a".into()], at(1));
        assert_eq!(ip.unanswered(&c), 2);
        // Home counts answers without the question bank (regression: it showed 20/20).
        assert_eq!(ip.answered_count(), 1);
        let catalog_only = course_with(&[], QuestionKind::Single);
        assert_eq!(ip.unanswered(&catalog_only), 0);
        assert_eq!(ip.answered_count(), 1);
    }

    #[test]
    fn tapping_an_option_flips_it_on_a_multiple_answer_question() {
        let c = course_with(&["q1"], QuestionKind::Multiple);
        let q1 = c.question("q1").unwrap().clone();
        let mut ip = attempt(&c, &["q1"], None);
        assert!(ip.toggle(&q1, "a", at(1)));
        assert!(ip.toggle(&q1, "b", at(2)));
        assert!(ip.toggle(&q1, "a", at(3)));
        assert_eq!(ip.answers.get("q1"), ["b".to_string()]);
    }

    #[test]
    fn tapping_an_option_after_the_deadline_changes_nothing() {
        let c = course_with(&["q1"], QuestionKind::Single);
        let q1 = c.question("q1").unwrap().clone();
        let mut ip = attempt(&c, &["q1"], Some(at(60)));
        assert!(!ip.toggle(&q1, "a", at(60)));
        assert!(ip.answers.get("q1").is_empty());
    }

    #[test]
    fn ninety_seconds_read_as_one_minute_thirty() {
        assert_eq!(clock_face(90), "01:30");
        assert_eq!(clock_face(0), "00:00");
        assert_eq!(clock_face(-5), "00:00");
    }

    #[test]
    fn a_practice_attempt_is_named_practice_and_an_unknown_quiz_by_its_id() {
        let c = course_with(&[], QuestionKind::Single);
        assert_eq!(quiz_name(&c, PRACTICE), QuizName::Practice);
        assert_eq!(quiz_name(&c, "no-such-quiz"), QuizName::Unknown("no-such-quiz"));
        if let Some(q) = c.quizzes.first() {
            assert_eq!(quiz_name(&c, &q.id), QuizName::Title(&q.title));
        }
    }

    #[test]
    fn time_left_counts_down_to_the_deadline_then_is_up() {
        assert_eq!(time_left(None, at(0)), TimeLeft::Untimed);
        assert_eq!(time_left(Some(at(1800)), at(0)), TimeLeft::Left(1800));
        assert_eq!(time_left(Some(at(1800)), at(1799)), TimeLeft::Left(1));
        assert_eq!(
            time_left(Some(at(60)), at(59) + Duration::milliseconds(500)),
            TimeLeft::Left(1),
            "half a second left is not shown as none"
        );
        assert_eq!(time_left(Some(at(1800)), at(1800)), TimeLeft::Up);
        assert_eq!(time_left(Some(at(1800)), at(99_999)), TimeLeft::Up);
    }

    fn timed_quiz(minutes: Option<u32>) -> Quiz {
        let c = crate::bundled::catalog().expect("the bundled catalog loads");
        let mut q = c.quizzes.first().expect("the catalog has quizzes").clone();
        q.time_limit_minutes = minutes;
        q
    }

    #[test]
    fn a_timed_quiz_opens_on_its_intro_and_never_starts_by_itself() {
        assert_eq!(entry(&timed_quiz(Some(30)), false), Entry::Intro);
        assert_eq!(entry(&timed_quiz(Some(30)), true), Entry::Resume);
        assert_eq!(entry(&timed_quiz(None), false), Entry::Start);
        assert_eq!(entry(&timed_quiz(None), true), Entry::Resume);
    }

    fn one_point_rubric() -> Rubric {
        let c = crate::bundled::catalog().expect("the bundled catalog loads");
        c.default_rubric().expect("a default rubric").clone()
    }

    #[test]
    fn an_attempt_submitted_by_the_clock_says_so_and_marks_only_its_blanks() {
        let c = course_with(&["q1", "q2", "q3"], QuestionKind::Single);
        let mut ip = attempt(&c, &["q1", "q2", "q3"], Some(at(1800)));
        ip.answer("q1", vec!["a".into()], at(10));
        // Opened again an hour later: the clock submits, as of the deadline.
        let rec = ip.finish(&c, &one_point_rubric(), 80.0, "v", at(5400));
        assert!(rec.timed_out);
        assert_eq!(rec.finished_at, at(1800));
        assert_eq!(rec.unanswered_at_deadline(), 2);
        let flags: Vec<bool> = rec.responses.iter().map(|r| r.timed_out).collect();
        assert_eq!(flags, vec![false, true, true]);
        assert_eq!(rec.seed, Some(7));
    }

    #[test]
    fn an_attempt_submitted_in_time_with_blanks_is_not_timed_out() {
        let c = course_with(&["q1", "q2"], QuestionKind::Single);
        let mut ip = attempt(&c, &["q1", "q2"], Some(at(1800)));
        ip.answer("q1", vec!["a".into()], at(10));
        let rec = ip.finish(&c, &one_point_rubric(), 80.0, "v", at(100));
        assert!(!rec.timed_out);
        assert_eq!(rec.finished_at, at(100));
        assert_eq!(rec.unanswered_at_deadline(), 0);
        assert!(rec.responses.iter().all(|r| !r.timed_out));
    }

    #[test]
    fn the_timed_out_flags_are_not_written_when_false_so_old_hashes_hold() {
        let c = course_with(&["q1"], QuestionKind::Single);
        let ip = attempt(&c, &["q1"], None);
        let rec = ip.finish(&c, &one_point_rubric(), 80.0, "v", at(100));
        let json = serde_json::to_string(&rec).unwrap();
        assert!(!json.contains("timed_out"), "{json}");
        let back: AttemptRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back, rec);
    }
}
