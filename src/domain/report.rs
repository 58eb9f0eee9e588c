//! A trainee's progress: the per-criterion profile across their results, the weakest
//! criterion, and whether a track is complete.

use std::collections::BTreeMap;

use crate::domain::content::{Course, LessonRef};
use crate::domain::records::Progress;
use crate::domain::rubric::RubricResult;

/// The average percent of each criterion over the results that assessed it.
#[derive(Clone, Debug, PartialEq)]
pub struct CriterionProfile {
    /// (criterion id, average percent or `None` if never assessed, number of results).
    pub rows: Vec<(String, Option<f64>, usize)>,
}

impl CriterionProfile {
    /// Over `results`, in the order of the criteria of the first result's rubric.
    pub fn of<'a>(results: impl IntoIterator<Item = &'a RubricResult>) -> Self {
        let mut order: Vec<String> = Vec::new();
        // A set beside the order: a result with thousands of criteria must not make this
        // quadratic (30,000 froze the dashboard).
        let mut seen: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        let mut sums: BTreeMap<String, (f64, usize)> = BTreeMap::new();
        for r in results {
            for c in &r.criteria {
                if seen.insert(c.criterion.clone()) {
                    order.push(c.criterion.clone());
                }
                if let Some(p) = c.percent {
                    let e = sums.entry(c.criterion.clone()).or_default();
                    e.0 += p;
                    e.1 += 1;
                }
            }
        }
        let rows = order
            .into_iter()
            .map(|c| {
                let (sum, n) = sums.get(&c).copied().unwrap_or((0.0, 0));
                let avg = (n > 0).then(|| crate::domain::rubric::round1(sum / n as f64));
                (c, avg, n)
            })
            .collect();
        CriterionProfile { rows }
    }

    /// The assessed criterion with the lowest average (the first of equals).
    pub fn weakest(&self) -> Option<(&str, f64)> {
        self.rows
            .iter()
            .filter_map(|(c, avg, _)| avg.map(|a| (c.as_str(), a)))
            .fold(None, |best: Option<(&str, f64)>, (c, a)| match best {
                Some((_, b)) if b <= a => best,
                _ => Some((c, a)),
            })
    }
}

/// Every finished result of a progress view: quizzes, role-plays and observations.
pub fn results(p: &Progress) -> Vec<&RubricResult> {
    p.attempts
        .iter()
        .map(|a| &a.result)
        .chain(p.scenario_runs.iter().map(|s| &s.score.result))
        .chain(p.observations.iter().map(|o| &o.score.result))
        .collect()
}

/// Where a trainee stands on a track.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackStatus {
    pub lessons_done: usize,
    pub lessons: usize,
    /// The track's final assessment (a quiz drawing from the whole track), if any.
    pub assessment: Option<String>,
    /// Best weighted total on the assessment, and whether an attempt passed.
    pub best: Option<f64>,
    pub passed: bool,
}

impl TrackStatus {
    /// Complete: every lesson done and the assessment passed (or no assessment).
    pub fn complete(&self) -> bool {
        self.lessons_done == self.lessons && (self.assessment.is_none() || self.passed)
    }
}

pub fn track_status(course: &Course, track: &str, p: &Progress) -> Option<TrackStatus> {
    let t = course.file.tracks.iter().find(|t| t.id == track)?;
    let keys: Vec<String> = t
        .modules
        .iter()
        .filter_map(|m| course.module(m))
        .flat_map(|m| m.lessons.iter().map(move |l| LessonRef::new(&m.id, &l.id).key()))
        .collect();
    let assessment = course
        .quizzes
        .iter()
        .find(|q| q.pools.iter().any(|pool| pool.track.as_deref() == Some(track)))
        .map(|q| q.id.clone());
    let attempts: Vec<_> = assessment
        .as_ref()
        .map(|a| p.attempts_at(a).collect())
        .unwrap_or_default();
    Some(TrackStatus {
        lessons_done: p.done_count(&keys),
        lessons: keys.len(),
        best: attempts.iter().filter_map(|a| a.result.total).reduce(f64::max),
        passed: attempts.iter().any(|a| a.passed),
        assessment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rubric::CriterionScore;

    fn result(p: &[Option<f64>]) -> RubricResult {
        RubricResult {
            rubric: "r".into(),
            criteria: ["process", "etiquette", "security"]
                .iter()
                .zip(p)
                .map(|(c, p)| CriterionScore {
                    criterion: c.to_string(),
                    printed_weight: 1.0,
                    normalised_weight: 1.0 / 3.0,
                    percent: *p,
                })
                .collect(),
            total: None,
            printed_weight_total: 3.0,
            partial: false,
        }
    }

    #[test]
    fn the_profile_averages_assessed_results_and_finds_the_weakest() {
        let a = result(&[Some(80.0), Some(40.0), None]);
        let b = result(&[Some(60.0), Some(70.0), None]);
        let prof = CriterionProfile::of([&a, &b]);
        // process (80+60)/2 = 70, etiquette (40+70)/2 = 55, security never assessed.
        assert_eq!(
            prof.rows,
            vec![
                ("process".into(), Some(70.0), 2),
                ("etiquette".into(), Some(55.0), 2),
                ("security".into(), None, 0)
            ]
        );
        assert_eq!(prof.weakest(), Some(("etiquette", 55.0)));
        assert_eq!(CriterionProfile::of([]).weakest(), None);
    }
}
