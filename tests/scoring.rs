//! Golden scoring of every question kind (values worked out by hand in the comments), the
//! rubric result of a whole attempt, and property tests of the engine: draws never repeat,
//! the same seed gives the same draw, shuffles are permutations, scores stay in bounds.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use lixun::domain::engine::option_order;
use lixun::domain::quiz::{Answers, Question, QuestionBank, parse_number, score_quiz};
use lixun::domain::random::{draw, shuffle};
use lixun::domain::rubric::{Criterion, Rubric};
use lixun::domain::text::Text;

fn bank() -> QuestionBank {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scoring.toml")).unwrap();
    toml::from_str(&text).expect("fixture parses")
}

fn q(id: &str) -> Question {
    bank().questions.into_iter().find(|q| q.id == id).unwrap()
}

fn v(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn rubric() -> Rubric {
    let c = |id: &str, w: f64| Criterion {
        id: id.into(),
        name: Text::new(id, id),
        weight: w,
        cite: vec![],
        includes: vec![],
    };
    Rubric {
        origin: String::new(),
        format_version: 1,
        id: "r".into(),
        title: Text::new("r", "r"),
        cite: vec![],
        note: Text::new("n", "n"),
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

#[test]
fn single_choice_and_true_false_are_all_or_nothing() {
    assert_eq!(q("single").score(&v(&["b"])), 1.0);
    assert_eq!(q("single").score(&v(&["a"])), 0.0);
    assert_eq!(q("tf").score(&v(&["true"])), 1.0);
    assert_eq!(q("tf").score(&v(&["false"])), 0.0);
}

#[test]
fn multiple_choice_partial_credit_subtracts_wrong_picks() {
    let m = q("multiple");
    // 2 right of 3 → 2/3; 3 right + 1 wrong → (3−1)/3; 1 right + 2 wrong → 0 (not negative).
    assert!((m.score(&v(&["a", "b"])) - 2.0 / 3.0).abs() < 1e-12);
    assert!((m.score(&v(&["a", "b", "c", "d"])) - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(m.score(&v(&["a", "d"])), 0.0);
}

#[test]
fn ordering_scores_the_steps_in_their_correct_place() {
    let o = q("ordering");
    assert_eq!(o.score(&v(&["s1", "s2", "s3", "s4", "s5"])), 1.0);
    // s1 s2 in place, s3/s4 swapped, s5 in place → 3/5.
    assert_eq!(o.score(&v(&["s1", "s2", "s4", "s3", "s5"])), 0.6);
    // Everything shifted by one → 0.
    assert_eq!(o.score(&v(&["s5", "s1", "s2", "s3", "s4"])), 0.0);
    assert_eq!(o.score(&v(&[])), 0.0);
}

#[test]
fn matching_scores_the_pairs_matched_correctly() {
    let m = q("matching");
    assert_eq!(m.score(&v(&["l1", "l2", "l3", "l4"])), 1.0);
    // Level 2 and its solution swapped → 2/4.
    assert_eq!(m.score(&v(&["l1", "l4", "l3", "l2"])), 0.5);
    assert_eq!(m.score(&v(&["l1", "", "", ""])), 0.25);
}

#[test]
fn numeric_accepts_the_number_in_ascii_or_full_width_digits() {
    let n = q("numeric");
    assert_eq!(n.score(&v(&["12"])), 1.0);
    assert_eq!(n.score(&v(&["１２"])), 1.0);
    assert_eq!(n.score(&v(&[" 12.0 "])), 1.0);
    assert_eq!(n.score(&v(&["24"])), 0.0);
    assert_eq!(n.score(&v(&["twelve"])), 0.0);
    assert_eq!(parse_number("1,2"), None);
}

#[test]
fn situational_judgement_scores_each_criterion_against_the_best_response() {
    let s = q("situational");
    // Best per criterion: process 2, satisfaction 2, security 3.
    assert_eq!(
        s.tallies(&v(&["a"])),
        vec![
            ("process".into(), 2.0, 2.0),
            ("satisfaction".into(), 2.0, 2.0),
            ("security".into(), 3.0, 3.0)
        ]
    );
    // Acceptable b: process 1/2, satisfaction 0/2 (no points), security 3/3.
    assert_eq!(
        s.tallies(&v(&["b"])),
        vec![
            ("process".into(), 1.0, 2.0),
            ("satisfaction".into(), 0.0, 2.0),
            ("security".into(), 3.0, 3.0)
        ]
    );
    // Poor c: negative points count as 0 (never below), satisfaction 1/2.
    assert_eq!(
        s.tallies(&v(&["c"])),
        vec![
            ("process".into(), 0.0, 2.0),
            ("satisfaction".into(), 1.0, 2.0),
            ("security".into(), 0.0, 3.0)
        ]
    );
    assert_eq!(s.score(&v(&["a"])), 1.0);
    assert_eq!(s.score(&v(&["b"])), 0.5);
    assert_eq!(s.score(&v(&["c"])), 0.0);
}

#[test]
fn a_whole_attempt_scores_per_criterion_and_weighted_total() {
    let questions = bank().questions;
    let mut a = Answers::default();
    a.set("single", v(&["b"])); //        efficiency 1/1
    a.set("multiple", v(&["a", "b"])); // process 2/3, etiquette 2/3
    a.set("tf", v(&["false"])); //        etiquette 0/1
    a.set("ordering", v(&["s1", "s2", "s4", "s3", "s5"])); // process 0.6/1
    a.set("matching", v(&["l1", "l4", "l3", "l2"])); //       efficiency 0.5/1
    // numeric unanswered:                efficiency 0/1
    a.set("situational", v(&["b"])); //   process 1/2, satisfaction 0/2, security 3/3
    let out = score_quiz(&questions, &a, &rubric(), 80.0);
    let pct: Vec<Option<f64>> = out.result.criteria.iter().map(|c| c.percent).collect();
    // process: (2/3 + 0.6 + 1) / (1 + 1 + 2) = 2.2667/4 = 56.67 → 56.7
    // etiquette: (2/3 + 0) / 2 = 33.33 → 33.3
    // efficiency: (1 + 0.5 + 0) / 3 = 50.0
    // satisfaction: 0 / 2 = 0.0; quality: not assessed; security: 3/3 = 100.0
    assert_eq!(
        pct,
        vec![Some(56.7), Some(33.3), Some(50.0), Some(0.0), None, Some(100.0)]
    );
    // Total over assessed weights (30+25+20+15+10 = 100 of the printed 110):
    // (56.667·30 + 33.333·25 + 50·20 + 0·15 + 100·10) / 100 = (1700 + 833.33 + 1000 + 0 + 1000)/100 = 45.33 → 45.3
    assert_eq!(out.result.total, Some(45.3));
    assert!(out.result.partial);
    assert!(!out.passed);
    assert_eq!(out.correct, 1, "only the single-choice question is fully right");
}

#[test]
fn property_a_draw_never_repeats_and_is_reproducible_from_its_seed() {
    let ids: Vec<String> = (0..60).map(|i| format!("q{i}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    for seed in 0..500u64 {
        for count in [1usize, 7, 30, 60, 80] {
            let d = draw(&refs, count, seed);
            assert_eq!(d.len(), count.min(60));
            let unique: BTreeSet<&String> = d.iter().collect();
            assert_eq!(unique.len(), d.len(), "seed {seed}: a draw repeated a question");
            assert_eq!(d, draw(&refs, count, seed), "seed {seed}: same seed, same draw");
        }
    }
    assert_ne!(
        draw(&refs, 10, 1),
        draw(&refs, 10, 2),
        "different seeds give different draws"
    );
}

#[test]
fn property_a_shuffle_is_a_permutation() {
    for seed in 0..500u64 {
        for n in [0usize, 1, 2, 5, 9, 40] {
            let mut items: Vec<usize> = (0..n).collect();
            shuffle(&mut items, seed);
            let mut sorted = items.clone();
            sorted.sort();
            assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "seed {seed}, n {n}");
        }
    }
}

#[test]
fn property_option_orders_are_permutations_and_ordering_never_starts_solved() {
    for question in bank().questions {
        for seed in 0..300u64 {
            let order = option_order(&question, seed);
            let mut a: Vec<&str> = order.iter().map(String::as_str).collect();
            let mut b = question.option_ids();
            a.sort();
            b.sort();
            assert_eq!(a, b, "{} seed {seed}", question.id);
            if question.id == "ordering" {
                assert_ne!(order, question.answer, "seed {seed}: the steps start already in order");
            }
            if question.id == "tf" {
                assert_eq!(order, vec!["true", "false"]);
            }
        }
    }
}

#[test]
fn property_every_score_stays_within_its_bounds() {
    let questions = bank().questions;
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let pool = [
        "a", "b", "c", "d", "z", "s1", "s2", "s3", "s4", "s5", "l1", "l2", "l3", "l4", "", "true", "false", "12", "-3",
        "9e9",
    ];
    for _ in 0..5000 {
        let mut answers = Answers::default();
        for q in &questions {
            let n = (next() % 6) as usize;
            let picked: Vec<String> = (0..n)
                .map(|_| pool[(next() % pool.len() as u64) as usize].to_string())
                .collect();
            let s = q.score(&picked);
            assert!((0.0..=1.0).contains(&s), "{}: {s} for {picked:?}", q.id);
            for (_, earned, possible) in q.tallies(&picked) {
                assert!(earned >= 0.0 && earned <= possible, "{}: {earned}/{possible}", q.id);
            }
            answers.set(&q.id, picked);
        }
        let out = score_quiz(&questions, &answers, &rubric(), 80.0);
        for c in &out.result.criteria {
            if let Some(p) = c.percent {
                assert!((0.0..=100.0).contains(&p));
            }
        }
        assert!(out.result.total.is_some_and(|t| (0.0..=100.0).contains(&t)));
    }
}
