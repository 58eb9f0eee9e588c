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

/// Where the pass line is drawn on criterion profile charts (percent).
pub const PROFILE_PASS_LINE: f64 = 60.0;

/// `part` of `total` as a whole percent (rounded down); an empty total is 0%.
pub fn share_percent(part: usize, total: usize) -> usize {
    part.saturating_mul(100) / total.max(1)
}

/// The mean of `values`, or `None` when there are none.
pub fn average(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The quizzes that belong to a track: those of its modules and those drawing from the
/// whole track.
pub fn track_quizzes<'a>(course: &'a Course, track: &str) -> Vec<&'a crate::domain::content::Quiz> {
    let Some(t) = course.file.tracks.iter().find(|t| t.id == track) else {
        return Vec::new();
    };
    course
        .quizzes
        .iter()
        .filter(|q| t.modules.contains(&q.module) || q.pools.iter().any(|p| p.track.as_deref() == Some(track)))
        .collect()
}

/// A track's final assessments: the quizzes that draw questions from the whole track (shown
/// on the track's card on home).
pub fn track_assessments<'a>(course: &'a Course, track: &str) -> Vec<&'a crate::domain::content::Quiz> {
    course
        .quizzes
        .iter()
        .filter(|q| q.pools.iter().any(|p| p.track.as_deref() == Some(track)))
        .collect()
}

/// What a trainee has done, enough to tell two people of one name apart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Activity {
    /// Results (erasures left out).
    pub results: usize,
    /// When the latest result was finished.
    pub last: Option<chrono::DateTime<chrono::Utc>>,
    /// The devices their results were made on.
    pub devices: std::collections::BTreeSet<String>,
}

/// Activity per profile, with records under an alias (an import, a merge) counted for the
/// profile that owns them; records of ids no profile has keep their own id.
pub fn activity_by_owner(
    records: &[crate::domain::store::Record],
    profiles: &crate::domain::profiles::Profiles,
) -> BTreeMap<String, Activity> {
    let mut m = BTreeMap::<String, Activity>::new();
    for r in records.iter().filter(|r| r.kind() != "erasure") {
        let owner = profiles
            .owner(&r.trainee)
            .map(|p| p.id.clone())
            .unwrap_or_else(|| r.trainee.clone());
        let a = m.entry(owner).or_default();
        a.results += 1;
        a.last = a.last.max(Some(r.finished_at));
        a.devices.insert(r.device.clone());
    }
    m
}

/// Results grouped the way the results page lists them: one group per owner (`None`, a
/// result whose trainee is unknown, comes first), newest first within each group.
pub fn newest_first_by_owner<T, K: Ord>(
    items: Vec<T>,
    owner: impl Fn(&T) -> K,
    at: impl Fn(&T) -> chrono::DateTime<chrono::Utc>,
) -> BTreeMap<K, Vec<T>> {
    let mut groups: BTreeMap<K, Vec<T>> = BTreeMap::new();
    for item in items {
        groups.entry(owner(&item)).or_default().push(item);
    }
    for rows in groups.values_mut() {
        rows.sort_by_key(|r| std::cmp::Reverse(at(r)));
    }
    groups
}

/// A size in bytes as people read it: `512 KB`, `3.4 MB`, `10.0 GB`.
pub fn human_size(bytes: f64) -> String {
    const KB: f64 = 1024.0;
    let b = if bytes.is_finite() { bytes.max(0.0) } else { 0.0 };
    if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else {
        format!("{:.1} GB", b / (KB * KB * KB))
    }
}

/// How much of the browser's storage quota is used.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StorageUse {
    pub used: f64,
    pub quota: f64,
}

impl StorageUse {
    /// Percent of the quota used (0 when the quota is unknown).
    pub fn share(self) -> f64 {
        if self.quota > 0.0 {
            self.used / self.quota * 100.0
        } else {
            0.0
        }
    }

    /// At 80% the trainer is warned to export and clear old results.
    pub fn nearly_full(self) -> bool {
        self.share() >= 80.0
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

/// The kinds of result a track holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ResultKind {
    Quiz,
    RolePlay,
    Observation,
}

impl ResultKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultKind::Quiz => "quiz",
            ResultKind::RolePlay => "roleplay",
            ResultKind::Observation => "observation",
        }
    }
}

/// One quiz, role-play or checklist with the result that counts.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemResult {
    pub kind: ResultKind,
    /// Quiz, scenario or checklist id (not shown).
    pub id: String,
    pub title: crate::domain::text::Text,
    /// Results finished on it.
    pub results: usize,
    /// The total that counts: a quiz's by its attempts policy, a role-play's or observation's
    /// the latest.
    pub total: Option<f64>,
    /// Quizzes: any attempt passed; role-plays and observations: the latest passed.
    pub passed: bool,
}

/// What a set of results adds up to: the per-criterion profile over every result (quizzes,
/// role-plays and observations alike) and the items with their counting results.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub profile: CriterionProfile,
    /// Quizzes, then role-plays, then observations, each in course order; only items with a
    /// result.
    pub items: Vec<ItemResult>,
    /// Results counted in the profile.
    pub results: usize,
}

impl Summary {
    pub fn of_kind(&self, kind: ResultKind) -> impl Iterator<Item = &ItemResult> {
        self.items.iter().filter(move |i| i.kind == kind)
    }

    /// Whether any criterion has been assessed (else the chart says "no results yet").
    pub fn has_scores(&self) -> bool {
        self.profile.rows.iter().any(|r| r.1.is_some())
    }
}

/// Which results a summary covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope<'a> {
    /// Every result of the progress view (practice quizzes included).
    All,
    /// The results of a track's quizzes, scenarios and checklists.
    Track(&'a str),
}

/// The one aggregation behind "My progress" and the printable track report, so both show the
/// same numbers.
pub fn summary(course: &Course, scope: Scope<'_>, p: &Progress) -> Summary {
    let modules: Option<&[String]> = match scope {
        Scope::All => None,
        Scope::Track(t) => Some(
            course
                .file
                .tracks
                .iter()
                .find(|x| x.id == t)
                .map(|x| x.modules.as_slice())
                .unwrap_or(&[]),
        ),
    };
    let in_scope = |module: &str| modules.is_none_or(|ms| ms.iter().any(|m| m == module));
    let quizzes: Vec<&crate::domain::content::Quiz> = match scope {
        Scope::All => course.quizzes.iter().collect(),
        Scope::Track(t) => track_quizzes(course, t),
    };
    let quiz_ids: std::collections::BTreeSet<&str> = quizzes.iter().map(|q| q.id.as_str()).collect();
    let scenario_in = |id: &str| course.scenario(id).is_some_and(|s| in_scope(&s.module));
    let checklist_in = |id: &str| course.checklist(id).is_some_and(|c| in_scope(&c.module));
    let all = modules.is_none();
    let attempts: Vec<_> = p
        .attempts
        .iter()
        .filter(|a| all || quiz_ids.contains(a.quiz.as_str()))
        .collect();
    let runs: Vec<_> = p
        .scenario_runs
        .iter()
        .filter(|r| all || scenario_in(&r.scenario))
        .collect();
    let observations: Vec<_> = p
        .observations
        .iter()
        .filter(|o| all || checklist_in(&o.checklist))
        .collect();
    let results: Vec<&RubricResult> = attempts
        .iter()
        .map(|a| &a.result)
        .chain(runs.iter().map(|r| &r.score.result))
        .chain(observations.iter().map(|o| &o.score.result))
        .collect();
    let mut items = Vec::new();
    for q in &quizzes {
        let mine: Vec<_> = attempts.iter().filter(|a| a.quiz == q.id).collect();
        if !mine.is_empty() {
            items.push(ItemResult {
                kind: ResultKind::Quiz,
                id: q.id.clone(),
                title: q.title.clone(),
                results: mine.len(),
                total: p.counting_total(&q.id, q.attempts),
                passed: mine.iter().any(|a| a.passed),
            });
        }
    }
    for s in course.scenarios.iter().filter(|s| in_scope(&s.module)) {
        let mine: Vec<_> = runs.iter().filter(|r| r.scenario == s.id).collect();
        if let Some(last) = mine.iter().max_by_key(|r| r.finished_at) {
            items.push(ItemResult {
                kind: ResultKind::RolePlay,
                id: s.id.clone(),
                title: s.title.clone(),
                results: mine.len(),
                total: last.score.result.total,
                passed: last.score.passed,
            });
        }
    }
    for c in course.checklists.iter().filter(|c| in_scope(&c.module)) {
        let mine: Vec<_> = observations.iter().filter(|o| o.checklist == c.id).collect();
        if let Some(last) = mine.iter().max_by_key(|o| o.finished_at) {
            items.push(ItemResult {
                kind: ResultKind::Observation,
                id: c.id.clone(),
                title: c.title.clone(),
                results: mine.len(),
                total: last.score.result.total,
                passed: last.score.passed,
            });
        }
    }
    Summary {
        results: results.len(),
        profile: CriterionProfile::of(results),
        items,
    }
}

/// "My progress": the profile over every result, and each track's status and summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    pub all: Summary,
    /// (track id, status, summary) in course order.
    pub tracks: Vec<(String, TrackStatus, Summary)>,
}

pub fn overview(course: &Course, p: &Progress) -> Overview {
    Overview {
        all: summary(course, Scope::All, p),
        tracks: course
            .file
            .tracks
            .iter()
            .filter_map(|t| track_report(course, &t.id, p).map(|(s, sum)| (t.id.clone(), s, sum)))
            .collect(),
    }
}

/// The printable report of one track: its status and summary (`None` for an unknown track).
pub fn track_report(course: &Course, track: &str, p: &Progress) -> Option<(TrackStatus, Summary)> {
    let status = track_status(course, track, p)?;
    Some((status, summary(course, Scope::Track(track), p)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_are_grouped_by_owner_newest_first() {
        use chrono::TimeZone;
        let t = |d: u32| chrono::Utc.with_ymd_and_hms(2026, 3, d, 9, 0, 0).unwrap();
        let rows = vec![(Some("b"), t(1)), (None, t(2)), (Some("a"), t(3)), (Some("b"), t(4))];
        let groups = newest_first_by_owner(rows, |r| r.0, |r| r.1);
        let keys: Vec<Option<&str>> = groups.keys().cloned().collect();
        assert_eq!(keys, [None, Some("a"), Some("b")]);
        assert_eq!(groups[&Some("b")], [(Some("b"), t(4)), (Some("b"), t(1))]);
    }

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

    fn scored(p: &[Option<f64>], total: f64) -> RubricResult {
        let mut r = result(p);
        r.total = Some(total);
        r
    }

    /// A trainee's day in the core track: two attempts at the communication check, a
    /// role-play and an observation (plus an observation in the reception track that must
    /// stay out of the core report).
    fn day_of_results() -> Progress {
        use crate::domain::checklist::{ChecklistScore, ObservationRecord};
        use crate::domain::records::AttemptRecord;
        use crate::domain::scenario::{Mode, ScenarioRecord, ScenarioScore};
        use chrono::TimeZone;
        let at = |h: u32| chrono::Utc.with_ymd_and_hms(2026, 11, 23, h, 0, 0).unwrap();
        let attempt = |id: &str, res: RubricResult, passed: bool, h: u32| AttemptRecord {
            id: id.into(),
            quiz: "communication-standards-check".into(),
            content_version: "v".into(),
            started_at: at(h),
            finished_at: at(h),
            responses: vec![],
            result: res,
            correct: 0,
            passed,
            seed: None,
            timed_out: false,
        };
        let observation = |id: &str, checklist: &str, res: RubricResult, passed: bool, h: u32| ObservationRecord {
            id: id.into(),
            checklist: checklist.into(),
            trainee: "t".into(),
            content_version: "v".into(),
            started_at: at(h),
            finished_at: at(h),
            marks: Default::default(),
            notes: Default::default(),
            score: ChecklistScore {
                result: res,
                failed: vec![],
                passed,
                missed: vec![],
                unmarked: vec![],
            },
        };
        Progress {
            attempts: vec![
                attempt("q1", scored(&[Some(50.0), Some(100.0), None], 70.0), false, 9),
                attempt("q2", scored(&[Some(100.0), None, None], 100.0), true, 10),
            ],
            scenario_runs: vec![ScenarioRecord {
                id: "s1".into(),
                scenario: "sc-level1-outage".into(),
                mode: Mode::Solo,
                trainee: Some("t".into()),
                content_version: "v".into(),
                started_at: at(11),
                finished_at: at(11),
                steps: vec![],
                ending: None,
                score: ScenarioScore {
                    totals: Default::default(),
                    best: Default::default(),
                    result: scored(&[Some(40.0), Some(60.0), Some(80.0)], 55.0),
                    failed: vec![],
                    passed: false,
                },
            }],
            observations: vec![
                observation(
                    "o1",
                    "cl-phone-call",
                    scored(&[Some(90.0), None, Some(100.0)], 93.0),
                    true,
                    12,
                ),
                observation(
                    "o2",
                    "cl-visitor-reception",
                    scored(&[Some(0.0), Some(0.0), Some(0.0)], 0.0),
                    false,
                    13,
                ),
            ],
            ..Progress::default()
        }
    }

    #[test]
    fn my_progress_and_the_track_report_show_the_same_numbers_for_every_kind_of_result() {
        let c = crate::bundled::catalog().expect("the bundled catalog loads");
        let p = day_of_results();
        let from_progress = overview(&c, &p);
        let (_, from_report) = track_report(&c, "core", &p).expect("core is a track");
        let core = from_progress
            .tracks
            .iter()
            .find(|(id, _, _)| id == "core")
            .map(|(_, _, s)| s)
            .expect("core is listed");
        assert_eq!(core, &from_report, "one aggregation, the same numbers");
        // By hand, core (q1, q2, s1, o1; o2 is reception's):
        // process (50 + 100 + 40 + 90) / 4 = 70; etiquette (100 + 60) / 2 = 80;
        // security (80 + 100) / 2 = 90.
        assert_eq!(
            from_report.profile.rows,
            vec![
                ("process".into(), Some(70.0), 4),
                ("etiquette".into(), Some(80.0), 2),
                ("security".into(), Some(90.0), 2)
            ]
        );
        assert_eq!(from_report.results, 4);
        let kinds: Vec<(ResultKind, &str, usize, Option<f64>, bool)> = from_report
            .items
            .iter()
            .map(|i| (i.kind, i.id.as_str(), i.results, i.total, i.passed))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (ResultKind::Quiz, "communication-standards-check", 2, Some(100.0), true),
                (ResultKind::RolePlay, "sc-level1-outage", 1, Some(55.0), false),
                (ResultKind::Observation, "cl-phone-call", 1, Some(93.0), true),
            ]
        );
        // The reception track holds only its observation.
        let (_, reception) = track_report(&c, "reception", &p).unwrap();
        assert_eq!(reception.items.len(), 1);
        assert_eq!(reception.items[0].id, "cl-visitor-reception");
        // Everything: process (280 + 0) / 5 = 56; etiquette 160 / 3 = 53.3; security 180 / 3 = 60.
        assert_eq!(from_progress.all.profile, CriterionProfile::of(results(&p)));
        assert_eq!(
            from_progress.all.profile.rows,
            vec![
                ("process".into(), Some(56.0), 5),
                ("etiquette".into(), Some(53.3), 3),
                ("security".into(), Some(60.0), 3)
            ]
        );
    }

    #[test]
    fn a_track_with_no_results_has_no_scores_to_chart() {
        let c = crate::bundled::catalog().expect("the bundled catalog loads");
        let (_, s) = track_report(&c, "logistics", &day_of_results()).unwrap();
        assert!(!s.has_scores());
        assert!(s.items.is_empty());
        assert!(track_report(&c, "no-such-track", &Progress::default()).is_none());
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

    #[test]
    fn a_share_of_an_empty_total_is_zero_percent() {
        assert_eq!(share_percent(0, 0), 0);
        assert_eq!(share_percent(1, 3), 33);
        assert_eq!(share_percent(3, 3), 100);
    }

    #[test]
    fn the_average_of_nothing_is_none() {
        assert_eq!(average(&[]), None);
        assert_eq!(average(&[50.0, 100.0]), Some(75.0));
    }

    #[test]
    fn storage_at_four_fifths_of_the_quota_is_nearly_full() {
        assert!(
            StorageUse {
                used: 80.0,
                quota: 100.0
            }
            .nearly_full()
        );
        assert!(
            !StorageUse {
                used: 79.0,
                quota: 100.0
            }
            .nearly_full()
        );
        assert_eq!(StorageUse { used: 5.0, quota: 0.0 }.share(), 0.0);
    }

    #[test]
    fn a_tracks_quizzes_include_its_modules_quizzes_and_its_assessment() {
        let c = crate::bundled::catalog().expect("the bundled catalog loads");
        for t in &c.file.tracks {
            for q in track_quizzes(&c, &t.id) {
                assert!(
                    t.modules.contains(&q.module) || q.pools.iter().any(|p| p.track.as_deref() == Some(t.id.as_str()))
                );
            }
        }
        assert!(track_quizzes(&c, "no-such-track").is_empty());
        // Every track of the course ends in an assessment, which is one of its quizzes.
        for t in &c.file.tracks {
            let finals = track_assessments(&c, &t.id);
            assert!(!finals.is_empty(), "track {} has a final assessment", t.id);
            let all = track_quizzes(&c, &t.id);
            assert!(finals.iter().all(|f| all.iter().any(|q| q.id == f.id)));
        }
        assert!(track_assessments(&c, "no-such-track").is_empty());
    }

    #[test]
    fn activity_counts_records_under_an_alias_for_the_profile_that_owns_them() {
        use crate::domain::profiles::Profiles;
        use crate::domain::store::{Body, ChainHead, NewRecord};
        use chrono::TimeZone;
        let at = |h| chrono::Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap();
        let mut ps = Profiles::default();
        ps.create("a".into(), "王芳", "", at(8)).unwrap();
        ps.create("b".into(), "王芳", "", at(8)).unwrap();
        ps.merge_into("b", "a");
        let erasure = |id: &str, trainee: &str, h| NewRecord {
            id: id.into(),
            trainee: trainee.into(),
            content_version: String::new(),
            started_at: at(h),
            finished_at: at(h),
            body: Body::Erasure {
                trainee: "x".into(),
                removed: Vec::new(),
            },
        };
        let mut head = ChainHead::new("dev");
        let rs: Vec<_> = [erasure("e", "a", 9)].into_iter().map(|n| n.chain(&mut head)).collect();
        assert!(activity_by_owner(&rs, &ps).is_empty(), "erasures are not results");
        let quiz = |id: &str, trainee: &str, h, dev: &str| {
            let raw = format!(
                r#"{{"id":"{id}","quiz":"q","content_version":"v","started_at":"2026-12-01T0{h}:00:00Z","finished_at":"2026-12-01T0{h}:00:00Z","responses":[],"result":{{"rubric":"r","criteria":[],"total":50.0,"printed_weight_total":110.0,"partial":false}},"correct":0,"passed":false}}"#
            );
            let mut head = ChainHead::new(dev);
            NewRecord {
                id: id.into(),
                trainee: trainee.into(),
                content_version: "v".into(),
                started_at: at(h),
                finished_at: at(h),
                body: Body::Quiz(serde_json::from_str(&raw).unwrap()),
            }
            .chain(&mut head)
        };
        let rs = vec![
            quiz("1", "a", 8, "d1"),
            quiz("2", "b", 9, "d2"),
            quiz("3", "ghost", 7, "d1"),
        ];
        let m = activity_by_owner(&rs, &ps);
        assert_eq!(m["a"].results, 2);
        assert_eq!(m["a"].last, Some(at(9)));
        assert_eq!(m["a"].devices.len(), 2);
        assert_eq!(m["ghost"].results, 1);
    }

    #[test]
    fn sizes_read_in_the_unit_that_fits() {
        assert_eq!(human_size(300.0 * 1024.0), "300 KB");
        assert_eq!(human_size(3.5 * 1024.0 * 1024.0), "3.5 MB");
        assert_eq!(human_size(10241.5 * 1024.0 * 1024.0), "10.0 GB");
        assert_eq!(human_size(f64::NAN), "0 KB");
    }
}
