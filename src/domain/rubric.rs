//! Rubric scoring: per-criterion percentages and a weighted total.
//!
//! The default rubric is m1 §8.1.1, whose printed weights (30/25/20/15/10/10) total 110%.
//! Weights are therefore normalised: each weight is divided by the printed total, and the
//! result says so. A criterion that nothing assessed is "not assessed", never zero, and the
//! weighted total is taken over the assessed criteria only (their weights renormalised).

use serde::{Deserialize, Serialize};

use crate::domain::text::Text;

/// `content/rubrics/<id>.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// Path of the file under `content/` (set by the loader, not authored).
    #[serde(skip)]
    pub origin: String,
    pub format_version: u32,
    pub id: String,
    pub title: Text,
    /// Where the rubric comes from.
    pub cite: Vec<String>,
    /// Shown with every result: e.g. that the printed weights total 110% and were normalised.
    pub note: Text,
    pub criteria: Vec<Criterion>,
}

/// One criterion and its weight as printed in the manual (percent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Stable id used by questions and records: `process`, `etiquette`, …
    pub id: String,
    pub name: Text,
    pub weight: f64,
    pub cite: Vec<String>,
    /// Other criterion ids (as tagged on questions and choices) this criterion also counts.
    #[serde(default)]
    pub includes: Vec<String>,
}

/// Points a criterion earned out of the points it could have earned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub earned: f64,
    pub possible: f64,
}

impl Tally {
    pub fn add(&mut self, earned: f64, possible: f64) {
        self.earned += earned;
        self.possible += possible;
    }
}

/// The score of one criterion in a result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionScore {
    pub criterion: String,
    /// Weight as printed (e.g. 30).
    pub printed_weight: f64,
    /// Weight after normalisation over all criteria (fraction of 1, e.g. 30/110).
    pub normalised_weight: f64,
    /// Percent (0–100, one decimal), or `None` when nothing assessed this criterion.
    pub percent: Option<f64>,
}

/// A scored result on a rubric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RubricResult {
    pub rubric: String,
    pub criteria: Vec<CriterionScore>,
    /// Weighted total, percent with one decimal; `None` when no criterion was assessed.
    pub total: Option<f64>,
    /// Sum of the printed weights (110 for m1 §8.1.1).
    pub printed_weight_total: f64,
    /// True when some criteria were not assessed and the total uses only the others.
    pub partial: bool,
}

impl RubricResult {
    /// Assessed criteria whose percent is below `pass_mark`.
    pub fn below(&self, pass_mark: f64) -> Vec<String> {
        self.criteria
            .iter()
            .filter(|c| c.percent.is_some_and(|p| p < pass_mark))
            .map(|c| c.criterion.clone())
            .collect()
    }

    /// Passes when the weighted total reaches `pass_mark` and no assessed criterion is below it
    /// (the rule for role-plays and observations).
    pub fn passes_every_criterion(&self, pass_mark: f64) -> bool {
        self.total.is_some_and(|t| t >= pass_mark) && self.below(pass_mark).is_empty()
    }
}

/// Rounds half away from zero to one decimal place.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl Rubric {
    /// Sum of the printed weights.
    pub fn printed_total(&self) -> f64 {
        self.criteria.iter().map(|c| c.weight).sum()
    }

    /// True when the printed weights do not total 100 and are normalised.
    pub fn is_normalised(&self) -> bool {
        (self.printed_total() - 100.0).abs() > 1e-9
    }

    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// Scores tallies (criterion id → tally). Tallies for criteria the rubric does not
    /// have are ignored; criteria with no possible points are not assessed.
    pub fn score(&self, tallies: &[(String, Tally)]) -> RubricResult {
        let printed_total = self.printed_total();
        let mut criteria = Vec::with_capacity(self.criteria.len());
        let (mut weighted, mut weight_assessed) = (0.0, 0.0);
        for c in &self.criteria {
            let mut t = Tally::default();
            for (_, tally) in tallies.iter().filter(|(id, _)| *id == c.id || c.includes.contains(id)) {
                t.add(tally.earned, tally.possible);
            }
            let normalised_weight = if printed_total > 0.0 {
                c.weight / printed_total
            } else {
                0.0
            };
            let percent = (t.possible > 0.0).then(|| (t.earned / t.possible * 100.0).clamp(0.0, 100.0));
            if let Some(p) = percent {
                weighted += p * normalised_weight;
                weight_assessed += normalised_weight;
            }
            criteria.push(CriterionScore {
                criterion: c.id.clone(),
                printed_weight: c.weight,
                normalised_weight,
                percent: percent.map(round1),
            });
        }
        let assessed = criteria.iter().filter(|c| c.percent.is_some()).count();
        RubricResult {
            rubric: self.id.clone(),
            total: (weight_assessed > 0.0).then(|| round1(weighted / weight_assessed)),
            partial: assessed > 0 && assessed < criteria.len(),
            criteria,
            printed_weight_total: printed_total,
        }
    }
}

/// A grade band: totals at or above `min` (percent) get `label`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub min: f64,
    pub label: Text,
}

/// Grade bands, highest first. The manuals give none, so the defaults are this app's
/// (labelled as such wherever they are shown) and a trainer may change the thresholds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeBands {
    pub bands: Vec<Band>,
}

impl Default for GradeBands {
    fn default() -> Self {
        let b = |min: f64, zh: &str, en: &str| Band {
            min,
            label: Text::new(zh, en),
        };
        GradeBands {
            bands: vec![
                b(90.0, "优秀", "Excellent"),
                b(75.0, "良好", "Good"),
                b(60.0, "合格", "Pass"),
                b(0.0, "未达标", "Not yet passed"),
            ],
        }
    }
}

impl GradeBands {
    /// The band of a total.
    pub fn band(&self, total: f64) -> Option<&Band> {
        self.bands.iter().find(|b| total >= b.min)
    }

    /// Changes a threshold; bands must stay strictly descending and within 0–100.
    pub fn set_min(&mut self, index: usize, min: f64) -> Result<(), String> {
        if !(0.0..=100.0).contains(&min) {
            return Err(format!("{min} is not between 0 and 100"));
        }
        let above = index.checked_sub(1).and_then(|i| self.bands.get(i)).map(|b| b.min);
        let below = self.bands.get(index + 1).map(|b| b.min);
        if above.is_some_and(|a| min >= a) || below.is_some_and(|b| min <= b) {
            return Err("bands must stay in order, highest first".into());
        }
        match self.bands.get_mut(index) {
            Some(b) => {
                b.min = min;
                Ok(())
            }
            None => Err("no such band".into()),
        }
    }
}

/// How a result passes. Quizzes pass on the weighted total alone; role-plays and observations
/// also need every assessed criterion at the pass mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassRule {
    /// The weighted total reaches the pass mark.
    Total,
    /// The weighted total and every assessed criterion reach the pass mark.
    EveryCriterion,
}

impl PassRule {
    /// Whether `result` passes at `pass_mark` (percent) under this rule.
    pub fn passes(self, result: &RubricResult, pass_mark: f64) -> bool {
        match self {
            PassRule::Total => result.total.is_some_and(|t| t >= pass_mark),
            PassRule::EveryCriterion => result.passes_every_criterion(pass_mark),
        }
    }
}

/// Why a result passed or did not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Passed,
    /// The weighted total is below the pass mark.
    TotalBelow,
    /// The total reaches the pass mark but this many assessed criteria are below it.
    CriteriaBelow(usize),
    /// Nothing was assessed, so there is no total to pass on.
    NothingAssessed,
}

/// How the grade band relates to the verdict, so it is never shown without its explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BandNote {
    /// Passed, and the band is not the lowest: the band needs no explanation.
    Agrees,
    /// Passed although the total sits in the lowest band (the pass mark is below that band's
    /// upper threshold): "… but the total reaches the pass mark, so passed".
    PassedInLowestBand,
    /// Not passed although the band sounds like a pass: "… but the total is below the pass mark".
    TotalBelowPassMark,
    /// Not passed although the band sounds like a pass: "… but n criteria are below the pass mark".
    CriteriaBelowPassMark(usize),
}

/// The grade band shown beside a verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownBand {
    pub label: Text,
    /// The band's lower threshold (percent).
    pub min: f64,
    /// The next band's threshold, when this is the lowest band (shown as "< next%").
    pub below: Option<f64>,
    pub note: BandNote,
}

/// The one verdict a result screen shows: passed or not by the pass rule, why, and the grade
/// band only where it does not contradict the verdict without saying why.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub passed: bool,
    pub reason: Reason,
    pub pass_mark: f64,
    /// `None` when there is no total, or when the result did not pass and its total is in the
    /// lowest band (that band would only repeat "not passed").
    pub band: Option<ShownBand>,
}

/// The verdict of `result` under `rule` at `pass_mark`, with its grade band from `bands`. Every
/// result screen (quiz, role-play debrief, observation) shows this and nothing else.
pub fn verdict(result: &RubricResult, rule: PassRule, pass_mark: f64, bands: &GradeBands) -> Verdict {
    let passed = rule.passes(result, pass_mark);
    let below = match rule {
        PassRule::Total => 0,
        PassRule::EveryCriterion => result.below(pass_mark).len(),
    };
    let reason = match result.total {
        None => Reason::NothingAssessed,
        Some(_) if passed => Reason::Passed,
        Some(t) if t < pass_mark => Reason::TotalBelow,
        Some(_) => Reason::CriteriaBelow(below),
    };
    let band = result.total.and_then(|t| {
        let i = bands.bands.iter().position(|b| t >= b.min)?;
        let b = &bands.bands[i];
        let lowest = i + 1 == bands.bands.len();
        let note = match (reason, lowest) {
            (Reason::Passed, false) => BandNote::Agrees,
            (Reason::Passed, true) => BandNote::PassedInLowestBand,
            (_, true) => return None,
            (Reason::CriteriaBelow(n), false) => BandNote::CriteriaBelowPassMark(n),
            (_, false) => BandNote::TotalBelowPassMark,
        };
        Some(ShownBand {
            label: b.label.clone(),
            min: b.min,
            below: lowest.then(|| i.checked_sub(1).map(|j| bands.bands[j].min)).flatten(),
            note,
        })
    });
    Verdict {
        passed,
        reason,
        pass_mark,
        band,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m1_rubric() -> Rubric {
        let c = |id: &str, w: f64| Criterion {
            id: id.into(),
            name: Text::new(id, id),
            weight: w,
            cite: vec!["m1 §8.1.1".into()],
            includes: vec![],
        };
        Rubric {
            origin: String::new(),
            format_version: 1,
            id: "m1".into(),
            title: Text::new("考核", "Assessment"),
            cite: vec!["m1 §8.1.1".into()],
            note: Text::new("110%", "110%"),
            criteria: vec![
                c("process", 30.0),
                c("etiquette", 25.0),
                c("efficiency", 20.0),
                c("satisfaction", 15.0),
                c("quality", 10.0),
                c("security", 10.0),
            ],
        }
    }

    fn t(id: &str, earned: f64, possible: f64) -> (String, Tally) {
        (id.into(), Tally { earned, possible })
    }

    #[test]
    fn printed_weights_total_110_and_are_normalised() {
        let r = m1_rubric();
        assert_eq!(r.printed_total(), 110.0);
        assert!(r.is_normalised());
        let res = r.score(&[]);
        // 30/110 = 0.272727…
        assert!((res.criteria[0].normalised_weight - 0.272_727_272_7).abs() < 1e-9);
        let sum: f64 = res.criteria.iter().map(|c| c.normalised_weight).sum();
        assert!((sum - 1.0).abs() < 1e-12);
    }

    #[test]
    fn all_criteria_assessed_gives_the_normalised_weighted_total() {
        // By hand: (100·30 + 80·25 + 50·20 + 0·15 + 100·10 + 60·10) / 110
        //        = (3000 + 2000 + 1000 + 0 + 1000 + 600) / 110 = 7600 / 110 = 69.0909… → 69.1
        let res = m1_rubric().score(&[
            t("process", 2.0, 2.0),
            t("etiquette", 4.0, 5.0),
            t("efficiency", 1.0, 2.0),
            t("satisfaction", 0.0, 1.0),
            t("quality", 3.0, 3.0),
            t("security", 3.0, 5.0),
        ]);
        assert_eq!(res.total, Some(69.1));
        assert!(!res.partial);
        let pct: Vec<_> = res.criteria.iter().map(|c| c.percent).collect();
        assert_eq!(
            pct,
            vec![Some(100.0), Some(80.0), Some(50.0), Some(0.0), Some(100.0), Some(60.0)]
        );
    }

    #[test]
    fn criteria_not_assessed_are_none_and_left_out_of_the_total() {
        // Only process (30) at 50% and security (10) at 100%:
        // (50·30 + 100·10) / (30 + 10) = 2500 / 40 = 62.5
        let res = m1_rubric().score(&[t("process", 1.0, 2.0), t("security", 1.0, 1.0)]);
        assert_eq!(res.total, Some(62.5));
        assert!(res.partial);
        assert_eq!(
            res.criteria[1].percent, None,
            "etiquette was not assessed, so it is not zero"
        );
        assert_eq!(res.criteria[3].percent, None);
    }

    #[test]
    fn nothing_assessed_has_no_total() {
        let res = m1_rubric().score(&[t("unknown", 1.0, 1.0)]);
        assert_eq!(res.total, None);
        assert!(res.criteria.iter().all(|c| c.percent.is_none()));
    }

    #[test]
    fn percentages_round_half_away_from_zero_to_one_decimal() {
        // 2/3 = 66.666… → 66.7; 1/8 = 12.5 stays; 1/6 = 16.666… → 16.7
        let res = m1_rubric().score(&[
            t("process", 2.0, 3.0),
            t("etiquette", 1.0, 8.0),
            t("efficiency", 1.0, 6.0),
        ]);
        assert_eq!(res.criteria[0].percent, Some(66.7));
        assert_eq!(res.criteria[1].percent, Some(12.5));
        assert_eq!(res.criteria[2].percent, Some(16.7));
        // Total from unrounded values: (66.666…·30 + 12.5·25 + 16.666…·20) / 75
        //   = (2000 + 312.5 + 333.333…) / 75 = 2645.833… / 75 = 35.2777… → 35.3
        assert_eq!(res.total, Some(35.3));
        assert_eq!(round1(0.05), 0.1);
        assert_eq!(round1(-0.05), -0.1);
    }

    #[test]
    fn a_criterion_can_count_other_tagged_criteria() {
        let mut r = m1_rubric();
        r.criteria.retain(|c| c.id == "quality" || c.id == "security");
        r.criteria[0].includes = vec!["satisfaction".into()];
        // quality 1/2 plus satisfaction 3/4 → 4/6 = 66.7%; security 1/1; weights 10 and 10.
        let res = r.score(&[
            t("quality", 1.0, 2.0),
            t("satisfaction", 3.0, 4.0),
            t("security", 1.0, 1.0),
            t("process", 0.0, 5.0),
        ]);
        assert_eq!(res.criteria[0].percent, Some(66.7));
        assert_eq!(res.total, Some(83.3));
    }

    #[test]
    fn grade_bands_pick_the_highest_band_reached() {
        let bands = GradeBands::default();
        assert_eq!(bands.band(95.0).map(|b| b.label.zh.as_str()), Some("优秀"));
        assert_eq!(bands.band(90.0).map(|b| b.label.en.as_str()), Some("Excellent"));
        assert_eq!(bands.band(74.9).map(|b| b.label.en.as_str()), Some("Pass"));
        assert_eq!(bands.band(10.0).map(|b| b.label.en.as_str()), Some("Not yet passed"));
        let mut custom = bands.clone();
        custom.set_min(0, 85.0).unwrap();
        assert_eq!(custom.band(87.0).map(|b| b.label.en.as_str()), Some("Excellent"));
        assert!(custom.set_min(1, 95.0).is_err(), "bands stay in order");
    }

    #[test]
    fn tallies_for_one_criterion_add_up_and_scores_stay_in_bounds() {
        let res = m1_rubric().score(&[t("quality", 1.0, 2.0), t("quality", 2.0, 2.0), t("security", 5.0, 1.0)]);
        assert_eq!(res.criteria[4].percent, Some(75.0));
        assert_eq!(
            res.criteria[5].percent,
            Some(100.0),
            "over-full tallies are clamped to 100"
        );
    }

    fn with_percents(percents: &[Option<f64>], total: Option<f64>) -> RubricResult {
        RubricResult {
            rubric: "m1".into(),
            criteria: percents
                .iter()
                .enumerate()
                .map(|(i, p)| CriterionScore {
                    criterion: format!("c{i}"),
                    printed_weight: 10.0,
                    normalised_weight: 1.0 / percents.len() as f64,
                    percent: *p,
                })
                .collect(),
            total,
            printed_weight_total: 10.0 * percents.len() as f64,
            partial: false,
        }
    }

    #[test]
    fn a_high_total_with_a_criterion_below_the_pass_mark_is_not_passed_and_the_band_says_why() {
        // 良好 (≥75) on the total, but one criterion at 40 < 60.
        let r = with_percents(&[Some(100.0), Some(90.0), Some(40.0)], Some(78.0));
        let v = verdict(&r, PassRule::EveryCriterion, 60.0, &GradeBands::default());
        assert!(!v.passed);
        assert_eq!(v.reason, Reason::CriteriaBelow(1));
        let band = v.band.expect("the band is shown, with its explanation");
        assert_eq!(band.label.zh, "良好");
        assert_eq!(band.min, 75.0);
        assert_eq!(band.note, BandNote::CriteriaBelowPassMark(1));
        // The same result on a quiz, which passes on the total alone, passes.
        let q = verdict(&r, PassRule::Total, 60.0, &GradeBands::default());
        assert!(q.passed);
        assert_eq!(q.band.map(|b| b.note), Some(BandNote::Agrees));
    }

    #[test]
    fn a_failed_total_with_a_good_band_explains_the_pass_mark() {
        // 良好 (≥75) but the quiz's pass mark is 80.
        let r = with_percents(&[Some(76.0)], Some(76.0));
        let v = verdict(&r, PassRule::Total, 80.0, &GradeBands::default());
        assert!(!v.passed);
        assert_eq!(v.reason, Reason::TotalBelow);
        assert_eq!(
            v.band.map(|b| (b.label.zh, b.note)),
            Some(("良好".to_string(), BandNote::TotalBelowPassMark))
        );
        // 合格 (≥60) beside a failed 80% pass mark is explained the same way.
        let r = with_percents(&[Some(65.0)], Some(65.0));
        let v = verdict(&r, PassRule::Total, 80.0, &GradeBands::default());
        assert_eq!(v.band.map(|b| b.note), Some(BandNote::TotalBelowPassMark));
    }

    #[test]
    fn a_failed_result_in_the_lowest_band_shows_no_band_so_not_passed_is_said_once() {
        let r = with_percents(&[Some(23.7)], Some(23.7));
        let v = verdict(&r, PassRule::EveryCriterion, 60.0, &GradeBands::default());
        assert!(!v.passed);
        assert_eq!(v.reason, Reason::TotalBelow);
        assert_eq!(v.band, None, "未达标 beside 未通过 would say the same thing twice");
    }

    #[test]
    fn a_pass_in_the_lowest_band_is_explained_by_the_pass_mark() {
        let r = with_percents(&[Some(55.0)], Some(55.0));
        let v = verdict(&r, PassRule::Total, 50.0, &GradeBands::default());
        assert!(v.passed);
        let band = v.band.unwrap();
        assert_eq!((band.note, band.below), (BandNote::PassedInLowestBand, Some(60.0)));
    }

    #[test]
    fn nothing_assessed_is_not_passed_and_has_no_band() {
        let r = with_percents(&[None], None);
        let v = verdict(&r, PassRule::Total, 80.0, &GradeBands::default());
        assert_eq!((v.passed, v.reason, v.band), (false, Reason::NothingAssessed, None));
    }

    #[test]
    fn a_clean_pass_shows_its_band_as_is() {
        let r = with_percents(&[Some(92.0), Some(95.0)], Some(93.5));
        let v = verdict(&r, PassRule::EveryCriterion, 60.0, &GradeBands::default());
        assert!(v.passed);
        assert_eq!(v.reason, Reason::Passed);
        assert_eq!(
            v.band.map(|b| (b.label.en, b.note)),
            Some(("Excellent".to_string(), BandNote::Agrees))
        );
    }
}
