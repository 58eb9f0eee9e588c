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

use std::collections::BTreeMap;

use crate::domain::records::AttemptRecord;

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
    pub too_easy: bool,
    pub too_hard: bool,
    pub negative: bool,
}

/// Statistics for every question answered in `attempts`, by question id.
pub fn items<'a>(attempts: impl IntoIterator<Item = &'a AttemptRecord>) -> Vec<ItemStats> {
    let mut ranked: Vec<&AttemptRecord> = attempts.into_iter().collect();
    ranked.sort_by(|a, b| b.result.total.unwrap_or(0.0).total_cmp(&a.result.total.unwrap_or(0.0)).then(a.id.cmp(&b.id)));
    let n = ranked.len();
    let group = ((n as f64 * 0.27).round() as usize).max(1);
    let (upper, lower) = if n >= 2 { (&ranked[..group.min(n / 2)], &ranked[n - group.min(n / 2)..]) } else { (&ranked[..0], &ranked[..0]) };
    let mut by_q: BTreeMap<&str, (Vec<f64>, BTreeMap<String, usize>)> = BTreeMap::new();
    for a in &ranked {
        for r in &a.responses {
            let e = by_q.entry(r.question.as_str()).or_default();
            e.0.push(r.score);
            for p in &r.picked {
                *e.1.entry(p.clone()).or_default() += 1;
            }
        }
    }
    let mean_in = |group: &[&AttemptRecord], q: &str| -> Option<f64> {
        let scores: Vec<f64> = group.iter().filter_map(|a| a.responses.iter().find(|r| r.question == q)).map(|r| r.score).collect();
        (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
    };
    by_q.into_iter()
        .map(|(q, (scores, options))| {
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
                too_easy: enough && facility >= 0.9,
                too_hard: enough && facility <= 0.2,
                negative: enough && discrimination.is_some_and(|d| d < 0.0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
            responses: responses.iter().map(|(q, p, s)| ResponseRecord { question: q.to_string(), picked: vec![p.to_string()], score: *s }).collect(),
            result: RubricResult { rubric: "r".into(), criteria: vec![], total: Some(total), printed_weight_total: 110.0, partial: false },
            correct: 0,
            passed: false,
            seed: None,
        }
    }

    /// Worked by hand: five attempts with totals 90, 80, 60, 40, 20. 27% of 5 = 1.35 → groups
    /// of one: upper = the 90 attempt, lower = the 20 attempt.
    #[test]
    fn facility_discrimination_options_and_flags_match_the_hand_worked_fixture() {
        let attempts = vec![
            attempt("a", 90.0, &[("easy", "b", 1.0), ("neg", "a", 0.0), ("hard", "c", 1.0), ("all", "a", 1.0)]),
            attempt("b", 80.0, &[("easy", "b", 1.0), ("neg", "a", 0.0), ("hard", "a", 0.0), ("all", "a", 1.0)]),
            attempt("c", 60.0, &[("easy", "b", 1.0), ("neg", "b", 1.0), ("hard", "a", 0.0), ("all", "a", 1.0)]),
            attempt("d", 40.0, &[("easy", "b", 1.0), ("neg", "b", 1.0), ("hard", "b", 0.0), ("all", "a", 1.0)]),
            attempt("e", 20.0, &[("easy", "a", 0.0), ("neg", "b", 1.0), ("hard", "b", 0.0), ("all", "a", 1.0)]),
        ];
        let stats = items(&attempts);
        let get = |q: &str| stats.iter().find(|s| s.question == q).unwrap();
        // easy: 4 of 5 right → 0.8; upper 1 − lower 0 = 1.
        assert_eq!((get("easy").facility, get("easy").discrimination), (0.8, Some(1.0)));
        assert!(!get("easy").too_easy && !get("easy").negative);
        // neg: 3 of 5 → 0.6; upper 0 − lower 1 = −1: negatively discriminating.
        assert_eq!((get("neg").facility, get("neg").discrimination), (0.6, Some(-1.0)));
        assert!(get("neg").negative);
        assert_eq!(get("neg").options, BTreeMap::from([("a".to_string(), 2), ("b".to_string(), 3)]));
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
}
