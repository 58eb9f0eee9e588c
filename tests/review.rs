//! Spaced review: golden FSRS-5 intervals worked out by hand, the rating rules per kind, the
//! session (order, mixing, cap), next due, counts, the group view, merging histories from
//! several tablets (idempotent and order-independent, checked on seeded random books), and the
//! stored format (round trip, a newer version refused).
#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, Duration, TimeZone, Utc};
use lixun::domain::review::{
    self, FSRS5_DEFAULT_WEIGHTS, ItemKey, ItemKind, Outcome, Phase, Rating, ReviewBook, ReviewError, SESSION_MAX,
    rating_for,
};

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("a valid test date")
}

fn q(score: f64, seconds: Option<f64>) -> Outcome {
    Outcome {
        score,
        seconds,
        kind: ItemKind::Question,
    }
}

const RIGHT_SLOW: Outcome = Outcome {
    score: 1.0,
    seconds: Some(40.0),
    kind: ItemKind::Question,
};
const RIGHT_FAST: Outcome = Outcome {
    score: 1.0,
    seconds: Some(5.0),
    kind: ItemKind::Question,
};
const WRONG: Outcome = Outcome {
    score: 0.0,
    seconds: Some(40.0),
    kind: ItemKind::Question,
};

// ---------------------------------------------------------------------------------------------
// Golden intervals, worked out by hand from the FSRS-5 formulas.
// ---------------------------------------------------------------------------------------------

/// The FSRS-5 formulas, written out here independently of the crate (w = the default weights,
/// r = desired retention 0.9, G = 1 Again, 2 Hard, 3 Good, 4 Easy):
///
///   DECAY = −0.5, FACTOR = 0.9^(1/DECAY) − 1 = 19/81
///   R(t, S)        = (1 + FACTOR·t/S)^DECAY                       forgetting curve, t in days
///   I(S)           = clamp(round(S/FACTOR·(r^(1/DECAY) − 1)), 1, 36500)   (= round(S) at r = 0.9)
///   S0(G)          = w[G−1]                                        initial stability
///   D0(G)          = clamp(w4 − e^(w5·(G−1)) + 1, 1, 10)           initial difficulty
///   D'(D, G)       = clamp(w7·D0(4) + (1 − w7)·(D − w6·(G−3)), 1, 10)   next difficulty
///   S'_short(S, G) = S·e^(w17·(G − 3 + w18))                       same-day (learning) step
///   S'_r(D,S,R,G)  = S·(1 + e^w8·(11 − D)·S^(−w9)·(e^(w10·(1−R)) − 1)·(w15 if G=2)·(w16 if G=4))
///   S'_f(D,S,R)    = w11·D^(−w12)·((S+1)^w13 − 1)·e^(w14·(1−R))    stability after a lapse
///
/// Scheduling (the FSRS-5 short-term scheduler): a new card rated Again/Hard/Good is Learning,
/// due in 1/5/10 minutes, Easy goes to Review after I(S0(4)). In (Re)learning, Good goes to
/// Review after I(S'); Again/Hard stay, due in 5/10 minutes. In Review, Again goes to
/// Relearning due in 5 minutes (a lapse); otherwise hard = min(I(S_hard), I(S_good)),
/// good = max(I(S_good), hard + 1), easy = max(I(S_easy), good + 1).
struct Hand {
    w: [f64; 19],
    r: f64,
}

impl Hand {
    const DECAY: f64 = -0.5;
    const FACTOR: f64 = 19.0 / 81.0;

    fn retrievability(&self, t: f64, s: f64) -> f64 {
        (1.0 + Self::FACTOR * t / s).powf(Self::DECAY)
    }
    fn interval(&self, s: f64) -> i64 {
        (s / Self::FACTOR * (self.r.powf(1.0 / Self::DECAY) - 1.0))
            .round()
            .clamp(1.0, 36500.0) as i64
    }
    fn d0(&self, g: f64) -> f64 {
        (self.w[4] - (self.w[5] * (g - 1.0)).exp() + 1.0).clamp(1.0, 10.0)
    }
    fn next_d(&self, d: f64, g: f64) -> f64 {
        let w = &self.w;
        (w[7] * self.d0(4.0) + (1.0 - w[7]) * (d - w[6] * (g - 3.0))).clamp(1.0, 10.0)
    }
    /// The later FSRS-5 revision (fsrs-rs): ΔD = −w6·(G−3) damped by (10 − D)/9.
    fn next_d_damped(&self, d: f64, g: f64) -> f64 {
        let w = &self.w;
        let delta = -w[6] * (g - 3.0);
        (w[7] * self.d0(4.0) + (1.0 - w[7]) * (d + delta * (10.0 - d) / 9.0)).clamp(1.0, 10.0)
    }
    fn short(&self, s: f64, g: f64) -> f64 {
        s * (self.w[17] * (g - 3.0 + self.w[18])).exp()
    }
    fn recall(&self, d: f64, s: f64, r: f64, g: f64) -> f64 {
        let w = &self.w;
        let modifier = if g == 2.0 {
            w[15]
        } else if g == 4.0 {
            w[16]
        } else {
            1.0
        };
        s * (1.0 + w[8].exp() * (11.0 - d) * s.powf(-w[9]) * ((w[10] * (1.0 - r)).exp() - 1.0) * modifier)
    }
    fn forget(&self, d: f64, s: f64, r: f64) -> f64 {
        let w = &self.w;
        w[11] * d.powf(-w[12]) * ((s + 1.0).powf(w[13]) - 1.0) * (w[14] * (1.0 - r)).exp()
    }
}

/// The fixed review times of the golden sequence (each review made when the item came due).
struct Times {
    t1: DateTime<Utc>,
    t2: DateTime<Utc>,
    t3: DateTime<Utc>,
    t4: DateTime<Utc>,
    t5: DateTime<Utc>,
}

fn golden_times() -> Times {
    let t1 = at(2025, 3, 3, 9, 0); // Good on a new card → due 10 min later
    let t2 = at(2025, 3, 3, 9, 10); // Good in Learning → Review, 4 days
    let t3 = at(2025, 3, 7, 9, 10); // Again in Review (4 days elapsed) → Relearning, 5 min
    let t4 = at(2025, 3, 7, 9, 15); // Good in Relearning → Review, 2 days
    let t5 = at(2025, 3, 9, 9, 15); // Easy in Review (2 days elapsed) → 13 days
    Times { t1, t2, t3, t4, t5 }
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 1e-9, "{what}: {a} vs hand-computed {b}");
}

#[test]
fn good_good_again_good_easy_on_a_new_card_gives_the_hand_computed_fsrs5_schedule() {
    let h = Hand {
        w: FSRS5_DEFAULT_WEIGHTS,
        r: 0.9,
    };
    let t = golden_times();
    let key = ItemKey::question("q-greeting");
    let mut book = ReviewBook::new();
    let card = |b: &ReviewBook| b.item("ana", &key).expect("recorded").card.clone();

    // 1. Good on a new card: S = w2 = 3.1262; D = D0(3) = w4 − e^(2·w5) + 1 ≈ 5.3146.
    let (s1, d1) = (h.w[2], h.d0(3.0));
    close(s1, 3.1262, "S1");
    close(d1, 7.2102 - (2.0_f64 * 0.5316).exp() + 1.0, "D1");
    assert_eq!(book.record("ana", &key, RIGHT_SLOW, t.t1), Some(Rating::Good));
    let c = card(&book);
    close(c.stability, s1, "S1");
    close(c.difficulty, d1, "D1");
    assert_eq!((c.state, c.due), (Phase::Learning, t.t1 + Duration::minutes(10)));

    // 2. Good in Learning (same day): S = S1·e^(w17·w18) ≈ 4.3510; D = D'(D1, 3) (G = 3 moves D
    //    only by mean reversion) ≈ 5.2670; interval I(S) = round(4.351) = 4 days.
    let s2 = h.short(s1, 3.0);
    let d2 = h.next_d(d1, 3.0);
    close(s2, 3.1262 * (0.5034_f64 * 0.6567).exp(), "S2");
    let i2 = h.interval(s2);
    assert_eq!(i2, 4);
    assert_eq!(book.record("ana", &key, RIGHT_SLOW, t.t2), Some(Rating::Good));
    let c = card(&book);
    close(c.stability, s2, "S2");
    close(c.difficulty, d2, "D2");
    assert_eq!(
        (c.state, c.scheduled_days, c.due),
        (Phase::Review, i2, t.t2 + Duration::days(i2))
    );
    assert_eq!(t.t3, c.due, "the lapse is reviewed when due");

    // 3. Again in Review after t = 4 days: R = (1 + 19/81·4/S2)^−0.5 ≈ 0.9070;
    //    S = S'_f(D2, S2, R) ≈ 1.3433; D = D'(D2, 1) ≈ 7.3010; Relearning, due in 5 min.
    let r3 = h.retrievability(4.0, s2);
    let s3 = h.forget(d2, s2, r3);
    let d3 = h.next_d(d2, 1.0);
    assert!((r3 - 0.9070).abs() < 1e-4 && (s3 - 1.3433).abs() < 1e-4 && (d3 - 7.3010).abs() < 1e-4);
    assert_eq!(book.record("ana", &key, WRONG, t.t3), Some(Rating::Again));
    let c = card(&book);
    close(c.stability, s3, "S3");
    close(c.difficulty, d3, "D3");
    assert_eq!(
        (c.state, c.lapses, c.due),
        (Phase::Relearning, 1, t.t3 + Duration::minutes(5))
    );

    // 4. Good in Relearning (same day): S = S3·e^(w17·w18) ≈ 1.8696; D = D'(D3, 3) ≈ 7.2069;
    //    interval round(1.8696) = 2 days.
    let s4 = h.short(s3, 3.0);
    let d4 = h.next_d(d3, 3.0);
    let i4 = h.interval(s4);
    assert_eq!(i4, 2);
    assert_eq!(book.record("ana", &key, RIGHT_SLOW, t.t4), Some(Rating::Good));
    let c = card(&book);
    close(c.stability, s4, "S4");
    close(c.difficulty, d4, "D4");
    assert_eq!(
        (c.state, c.scheduled_days, c.due),
        (Phase::Review, i4, t.t4 + Duration::days(i4))
    );
    assert_eq!(t.t5, c.due);

    // 5. Easy in Review after t = 2 days: R ≈ 0.8941; S_hard ≈ 2.817, S_good ≈ 5.805,
    //    S_easy = S'_r(D4, S4, R, 4) ≈ 13.467; intervals hard = min(3, 6) = 3, good = max(6, 4) = 6,
    //    easy = max(13, 7) = 13 days; D = D'(D4, 4) ≈ 6.0749.
    let r5 = h.retrievability(2.0, s4);
    let (s_hard, s_good, s_easy) = (
        h.recall(d4, s4, r5, 2.0),
        h.recall(d4, s4, r5, 3.0),
        h.recall(d4, s4, r5, 4.0),
    );
    let hard = h.interval(s_hard).min(h.interval(s_good));
    let good = h.interval(s_good).max(hard + 1);
    let easy = h.interval(s_easy).max(good + 1);
    assert_eq!((hard, good, easy), (3, 6, 13));
    let d5 = h.next_d(d4, 4.0);
    assert!((s_easy - 13.4668).abs() < 1e-3 && (d5 - 6.0749).abs() < 1e-4);
    assert_eq!(book.record("ana", &key, RIGHT_FAST, t.t5), Some(Rating::Easy));
    let c = card(&book);
    close(c.stability, s_easy, "S5");
    close(c.difficulty, d5, "D5");
    assert_eq!((c.state, c.reps, c.lapses), (Phase::Review, 5, 1));
    assert_eq!((c.scheduled_days, c.due), (13, at(2025, 3, 22, 9, 15)));
}

/// rs-fsrs 1.2.1 implements FSRS-5 as first published (above). The later revision of FSRS-5 in
/// the reference implementation (fsrs-rs) damps the difficulty change by (10 − D)/9; with it the
/// same sequence would end with a 16-day interval instead of 13. This test pins that the crate
/// does not damp, so an upgrade that changes it is noticed.
#[test]
fn rs_fsrs_does_not_apply_the_later_linear_damping_of_difficulty() {
    let h = Hand {
        w: FSRS5_DEFAULT_WEIGHTS,
        r: 0.9,
    };
    let t = golden_times();
    // Damped: same S1, D1, S2, D2 (Good leaves D to mean reversion); the lapse raises D less.
    let (s1, d1) = (h.w[2], h.d0(3.0));
    let (s2, d2) = (h.short(s1, 3.0), h.next_d_damped(d1, 3.0));
    let s3 = h.forget(d2, s2, h.retrievability(4.0, s2));
    let d3 = h.next_d_damped(d2, 1.0);
    let (s4, d4) = (h.short(s3, 3.0), h.next_d_damped(d3, 3.0));
    let r5 = h.retrievability(2.0, s4);
    let good = h
        .interval(h.recall(d4, s4, r5, 3.0))
        .max(h.interval(h.recall(d4, s4, r5, 2.0)) + 1);
    let damped_easy = h.interval(h.recall(d4, s4, r5, 4.0)).max(good + 1);
    assert_eq!(damped_easy, 16);

    let key = ItemKey::question("q");
    let mut book = ReviewBook::new();
    for (o, when) in [
        (RIGHT_SLOW, t.t1),
        (RIGHT_SLOW, t.t2),
        (WRONG, t.t3),
        (RIGHT_SLOW, t.t4),
        (RIGHT_FAST, t.t5),
    ] {
        book.record("ana", &key, o, when);
    }
    assert_eq!(book.item("ana", &key).expect("recorded").card.scheduled_days, 13);
}

#[test]
fn the_stored_default_weights_are_the_crates_fsrs5_defaults() {
    // Parameters::default() reads the clock (for a seed), so the domain keeps its own copy.
    assert_eq!(rs_fsrs::Parameters::default().w, FSRS5_DEFAULT_WEIGHTS);
    let book = ReviewBook::new();
    assert_eq!(book.parameters.weights, FSRS5_DEFAULT_WEIGHTS);
    assert_eq!(book.retention, 0.90);
}

#[test]
fn a_higher_desired_retention_brings_items_back_sooner_and_out_of_range_is_refused() {
    let key = ItemKey::question("q");
    let mut book = ReviewBook::new();
    book.record("ana", &key, RIGHT_FAST, at(2025, 1, 1, 9, 0));
    let at_90 = book.item("ana", &key).expect("recorded").card.due;
    book.set_retention(0.97, at(2025, 1, 2, 9, 0)).expect("in range");
    let at_97 = book.item("ana", &key).expect("recorded").card.due;
    assert!(at_97 < at_90, "{at_97} should be before {at_90}");
    for bad in [0.69, 0.98, f64::NAN, 1.0] {
        let err = book.set_retention(bad, at(2025, 1, 3, 9, 0)).expect_err("out of range");
        assert!(matches!(err, ReviewError::RetentionOutOfRange(_)));
    }
    assert_eq!(book.retention, 0.97, "a refused setting changes nothing");
}

// ---------------------------------------------------------------------------------------------
// Rating rules.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_rating_follows_score_and_speed_per_kind() {
    use ItemKind::*;
    use Rating::*;
    let table: &[(f64, Option<f64>, ItemKind, Rating)] = &[
        // wrong, half, right, right and fast: questions (fast ≤ 15 s)
        (0.0, Some(3.0), Question, Again),
        (0.49, None, Question, Again),
        (0.5, Some(3.0), Question, Hard),
        (0.998, Some(3.0), Question, Hard),
        (0.999, Some(30.0), Question, Good),
        (1.0, None, Question, Good),
        (1.0, Some(15.0), Question, Easy),
        (1.0, Some(15.01), Question, Good),
        (1.0, Some(0.0), Question, Easy),
        // role-play decisions (fast ≤ 10 s)
        (0.0, Some(2.0), Decision, Again),
        (0.5, Some(2.0), Decision, Hard),
        (1.0, Some(10.0), Decision, Easy),
        (1.0, Some(12.0), Decision, Good),
        // observation items are never Easy
        (0.0, None, Observation, Again),
        (0.6, None, Observation, Hard),
        (1.0, Some(1.0), Observation, Good),
        (1.0, None, Observation, Good),
        // nonsense input never panics and is never generous
        (f64::NAN, Some(1.0), Question, Again),
        (7.0, Some(1.0), Question, Easy),
        (-1.0, Some(1.0), Question, Again),
        (1.0, Some(f64::NAN), Question, Good),
        (1.0, Some(-5.0), Question, Good),
        (1.0, Some(f64::INFINITY), Decision, Good),
    ];
    for &(score, seconds, kind, want) in table {
        assert_eq!(
            rating_for(Outcome { score, seconds, kind }),
            want,
            "{score} {seconds:?} {kind:?}"
        );
    }
}

#[test]
fn record_uses_the_keys_kind_and_ignores_a_second_event_at_the_same_time() {
    let mut book = ReviewBook::new();
    let obs = ItemKey::observation("front-desk", "eye-contact");
    let now = at(2025, 5, 1, 10, 0);
    // Said to be a fast question, but it is an observation item: Good, not Easy.
    assert_eq!(book.record("ana", &obs, q(1.0, Some(1.0)), now), Some(Rating::Good));
    let before = book.clone();
    assert_eq!(book.record("ana", &obs, q(0.0, None), now), None);
    assert_eq!(book, before);
    let item = book.item("ana", &obs).expect("recorded");
    assert_eq!(item.history.len(), 1);
    assert_eq!(item.history[0].outcome.kind, ItemKind::Observation);
}

#[test]
fn a_rating_recorded_late_is_put_in_time_order_and_the_card_replayed() {
    let key = ItemKey::decision("complaint-phone", "greet");
    let (a, b, c) = (at(2025, 1, 1, 9, 0), at(2025, 1, 5, 9, 0), at(2025, 1, 20, 9, 0));
    let mut in_order = ReviewBook::new();
    let mut late = ReviewBook::new();
    for (o, t) in [(RIGHT_SLOW, a), (WRONG, b), (RIGHT_SLOW, c)] {
        in_order.record("bo", &key, o, t);
    }
    for (o, t) in [(RIGHT_SLOW, a), (RIGHT_SLOW, c), (WRONG, b)] {
        late.record("bo", &key, o, t);
    }
    assert_eq!(in_order, late);
}

// ---------------------------------------------------------------------------------------------
// Due items, sessions, counts, the group view.
// ---------------------------------------------------------------------------------------------

/// A book where `trainee` has `n` items of `kind`, each rated Good once: the k-th at day k of
/// 2025 (so it is due 10 minutes later: the first ones are the most overdue).
fn backlog(book: &mut ReviewBook, trainee: &str, kind: ItemKind, n: usize, first_day: i64) {
    let start = at(2025, 1, 1, 8, 0);
    for k in 0..n {
        let key = match kind {
            ItemKind::Question => ItemKey::question(&format!("q{k:03}")),
            ItemKind::Decision => ItemKey::decision("s", &format!("n{k:03}")),
            ItemKind::Observation => ItemKey::observation("c", &format!("i{k:03}")),
        };
        let when = start + Duration::days(first_day + k as i64) + Duration::minutes(kind as i64);
        book.record(
            trainee,
            &key,
            Outcome {
                score: 1.0,
                seconds: None,
                kind,
            },
            when,
        );
    }
}

#[test]
fn a_trainee_back_after_months_gets_ten_items_most_overdue_first() {
    let mut book = ReviewBook::new();
    backlog(&mut book, "ana", ItemKind::Question, 200, 0);
    let now = at(2025, 12, 1, 9, 0);
    assert_eq!(book.due("ana", now).len(), 200);
    let session = book.session("ana", now, SESSION_MAX, 1);
    assert_eq!(session.len(), 10);
    let want: Vec<ItemKey> = (0..10).map(|k| ItemKey::question(&format!("q{k:03}"))).collect();
    assert_eq!(session, want);
    assert!(book.session("ana", now, 0, 1).is_empty());
    assert!(book.session("nobody", now, SESSION_MAX, 1).is_empty());
}

#[test]
fn a_session_interleaves_the_kinds_that_are_due() {
    let mut book = ReviewBook::new();
    backlog(&mut book, "ana", ItemKind::Question, 30, 0);
    backlog(&mut book, "ana", ItemKind::Decision, 3, 40);
    backlog(&mut book, "ana", ItemKind::Observation, 2, 50);
    let now = at(2025, 12, 1, 9, 0);
    let kinds: Vec<ItemKind> = book
        .session("ana", now, SESSION_MAX, 7)
        .iter()
        .map(ItemKey::kind)
        .collect();
    use ItemKind::*;
    // Questions are the most overdue so each round starts with one; decisions and observation
    // items take turns until they run out; the rest of the ten are the next questions.
    assert_eq!(
        kinds,
        [
            Question,
            Decision,
            Observation,
            Question,
            Decision,
            Observation,
            Question,
            Decision,
            Question,
            Question
        ]
    );
}

#[test]
fn items_due_at_the_same_moment_are_ordered_by_the_seed_and_the_same_seed_repeats() {
    let mut book = ReviewBook::new();
    let t = at(2025, 2, 1, 9, 0);
    for k in 0..20 {
        book.record("ana", &ItemKey::question(&format!("q{k:02}")), RIGHT_SLOW, t);
    }
    let now = at(2025, 3, 1, 9, 0);
    let a = book.session("ana", now, SESSION_MAX, 11);
    assert_eq!(a, book.session("ana", now, SESSION_MAX, 11));
    let differs = (0..20).any(|s| book.session("ana", now, SESSION_MAX, s) != a);
    assert!(differs, "some other seed picks another order");
}

#[test]
fn nothing_is_due_before_its_time_and_next_due_is_the_earliest() {
    let mut book = ReviewBook::new();
    let t = at(2025, 4, 1, 9, 0);
    assert_eq!(book.next_due("ana"), None);
    book.record("ana", &ItemKey::question("a"), RIGHT_FAST, t); // Easy: due in days
    book.record("ana", &ItemKey::question("b"), RIGHT_SLOW, t); // Good: due in 10 minutes
    book.record("bo", &ItemKey::question("c"), WRONG, t); // another trainee: 1 minute
    assert_eq!(book.next_due("ana"), Some(t + Duration::minutes(10)));
    assert!(book.due("ana", t + Duration::minutes(9)).is_empty());
    let due: Vec<&ItemKey> = book
        .due("ana", t + Duration::minutes(10))
        .iter()
        .map(|i| &i.key)
        .collect();
    assert_eq!(due, [&ItemKey::question("b")]);
    assert!(book.session("ana", t + Duration::minutes(9), SESSION_MAX, 0).is_empty());
}

#[test]
fn stats_count_due_overdue_learned_and_total() {
    let mut book = ReviewBook::new();
    let t = at(2025, 1, 1, 9, 0);
    // Learned: Easy, then Easy again when due, until stability is at least 21 days.
    let strong = ItemKey::question("strong");
    let mut when = t;
    while book.item("ana", &strong).is_none_or(|i| i.card.stability < 21.0) {
        book.record("ana", &strong, RIGHT_FAST, when);
        when = book.item("ana", &strong).expect("recorded").card.due;
    }
    book.record("ana", &ItemKey::question("weak"), WRONG, t); // due 1 minute after t
    let now = t + Duration::hours(1);
    let s = book.stats("ana", now);
    assert_eq!((s.due, s.overdue, s.learned, s.total), (1, 0, 1, 2));
    let later = t + Duration::days(2);
    assert_eq!(book.stats("ana", later).overdue, 1);
    assert_eq!(book.stats("nobody", later), review::ReviewStats::default());
}

#[test]
fn the_hardest_items_have_the_lowest_mean_retrievability_across_trainees() {
    let mut book = ReviewBook::new();
    let t = at(2025, 1, 1, 9, 0);
    let (easy, hard) = (ItemKey::question("easy"), ItemKey::question("hard"));
    for trainee in ["ana", "bo", "chen"] {
        book.record(trainee, &easy, RIGHT_FAST, t);
        book.record(trainee, &hard, WRONG, t);
    }
    book.record("ana", &ItemKey::decision("s", "n"), RIGHT_SLOW, t);
    let now = t + Duration::days(10);
    let rows = book.hardest(now, 2);
    assert_eq!(rows.len(), 2);
    assert_eq!((&rows[0].0, rows[0].2), (&hard, 3));
    assert!(rows[0].1 <= rows[1].1);
    let item = book.item("bo", &hard).expect("recorded");
    assert!((rows[0].1 - review::retrievability(item, now)).abs() < 1e-12);
    assert!((0.0..=1.0).contains(&rows[0].1));
}

// ---------------------------------------------------------------------------------------------
// Merging histories from several tablets.
// ---------------------------------------------------------------------------------------------

const TRAINEES: [&str; 3] = ["ana", "bo", "chen"];

fn keys() -> Vec<ItemKey> {
    vec![
        ItemKey::question("q1"),
        ItemKey::question("q2"),
        ItemKey::decision("complaint-phone", "greet"),
        ItemKey::decision("complaint-phone", "apologise"),
        ItemKey::observation("front-desk", "eye-contact"),
    ]
}

/// A random event: trainee, key, outcome, time (minutes into 90 days).
type Event = (&'static str, ItemKey, Outcome, DateTime<Utc>);

fn random_events(rng: &mut oorandom::Rand64, n: usize) -> Vec<Event> {
    let keys = keys();
    let start = at(2025, 1, 1, 0, 0);
    (0..n)
        .map(|_| {
            let trainee = TRAINEES[rng.rand_range(0..3) as usize];
            let key = keys[rng.rand_range(0..keys.len() as u64) as usize].clone();
            let score = [0.0, 0.5, 0.75, 1.0][rng.rand_range(0..4) as usize];
            let seconds = (rng.rand_range(0..4) > 0).then(|| rng.rand_range(1..40) as f64);
            let when = start + Duration::minutes(rng.rand_range(0..90 * 24 * 60) as i64);
            (
                trainee,
                key.clone(),
                Outcome {
                    score,
                    seconds,
                    kind: key.kind(),
                },
                when,
            )
        })
        .collect()
}

fn book_of(events: &[Event]) -> ReviewBook {
    let mut book = ReviewBook::new();
    for (trainee, key, outcome, when) in events {
        book.record(trainee, key, *outcome, *when);
    }
    book
}

fn random_book(rng: &mut oorandom::Rand64) -> ReviewBook {
    let n = rng.rand_range(0..25) as usize;
    let mut book = book_of(&random_events(rng, n));
    if rng.rand_range(0..3) == 0 {
        let r = [0.8, 0.85, 0.95][rng.rand_range(0..3) as usize];
        let set_at = at(2025, 1, 1, 0, 0) + Duration::hours(rng.rand_range(0..4) as i64);
        book.set_retention(r, set_at).expect("in range");
    }
    book
}

#[test]
fn merging_is_idempotent_and_commutative_on_random_books() {
    for seed in 0..300u64 {
        let mut rng = oorandom::Rand64::new(seed as u128);
        let n = rng.rand_range(0..25) as usize;
        let a_events = random_events(&mut rng, n);
        let a = book_of(&a_events);
        let mut b = random_book(&mut rng);
        // Tablets that shared some history: b also holds some of a's events.
        for (trainee, key, outcome, when) in a_events.iter().filter(|_| rng.rand_range(0..2) == 0) {
            b.record(trainee, key, *outcome, *when);
        }
        let ab = a.merge(&b);
        assert_eq!(a.merge(&a), a, "seed {seed}: a ∪ a = a");
        assert_eq!(ab, b.merge(&a), "seed {seed}: a ∪ b = b ∪ a");
        assert_eq!(ab.merge(&a), ab, "seed {seed}: merging again changes nothing");
        assert_eq!(ab.merge(&ab), ab, "seed {seed}");
        assert_eq!(ab.encode(), b.merge(&a).encode(), "seed {seed}: the same stored bytes");
    }
}

#[test]
fn merging_three_tablets_in_any_order_gives_the_same_book() {
    for seed in 0..200u64 {
        let mut rng = oorandom::Rand64::new(1_000 + seed as u128);
        let (a, b, c) = (random_book(&mut rng), random_book(&mut rng), random_book(&mut rng));
        let left = a.merge(&b).merge(&c);
        assert_eq!(left, a.merge(&b.merge(&c)), "seed {seed}");
        assert_eq!(left, c.merge(&a).merge(&b), "seed {seed}");
    }
}

#[test]
fn a_history_split_across_tablets_merges_into_the_book_one_tablet_would_have() {
    for seed in 0..300u64 {
        let mut rng = oorandom::Rand64::new(5_000 + seed as u128);
        let n = rng.rand_range(1..30) as usize;
        let events = random_events(&mut rng, n);
        let whole = book_of(&events);
        // Each event went to one tablet or the other, some to both (synced then re-recorded).
        let (mut left, mut right) = (Vec::new(), Vec::new());
        for e in &events {
            match rng.rand_range(0..3) {
                0 => left.push(e.clone()),
                1 => right.push(e.clone()),
                _ => {
                    left.push(e.clone());
                    right.push(e.clone());
                }
            }
        }
        let (l, r) = (book_of(&left), book_of(&right));
        // The single tablet keeps only the first event at a given time; where both tablets hold
        // different outcomes at the same minute, the merge keeps both ratings, so compare only
        // when no two events for the same item share a time.
        let mut times: Vec<(&str, &ItemKey, DateTime<Utc>)> = events.iter().map(|(t, k, _, w)| (*t, k, *w)).collect();
        times.sort();
        let clash = times.windows(2).any(|w| w[0] == w[1]);
        if !clash {
            assert_eq!(l.merge(&r), whole, "seed {seed}");
        }
    }
}

#[test]
fn the_same_rating_from_two_tablets_is_counted_once() {
    let key = ItemKey::question("q1");
    let t = at(2025, 6, 1, 9, 0);
    let mut a = ReviewBook::new();
    a.record("ana", &key, RIGHT_SLOW, t);
    let mut b = ReviewBook::new();
    b.record("ana", &key, RIGHT_SLOW, t);
    b.record("ana", &key, WRONG, t + Duration::days(3));
    let m = a.merge(&b);
    assert_eq!(m, b);
    assert_eq!(m.item("ana", &key).expect("merged").history.len(), 2);
}

#[test]
fn the_retention_set_later_wins_a_merge_and_reschedules_every_item() {
    let key = ItemKey::question("q1");
    let t = at(2025, 6, 1, 9, 0);
    let mut a = ReviewBook::new();
    a.record("ana", &key, RIGHT_FAST, t);
    let mut b = ReviewBook::new();
    b.set_retention(0.95, t + Duration::days(1)).expect("in range");
    let m = a.merge(&b);
    assert_eq!(m.retention, 0.95);
    let mut expected = a.clone();
    expected.set_retention(0.95, t + Duration::days(1)).expect("in range");
    assert_eq!(m, expected);
}

// ---------------------------------------------------------------------------------------------
// The stored format.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_book_survives_a_json_round_trip_exactly() {
    let mut rng = oorandom::Rand64::new(42);
    for _ in 0..20 {
        let book = random_book(&mut rng);
        let decoded = ReviewBook::decode(&book.encode()).expect("own output decodes");
        assert_eq!(decoded, book);
    }
    let mut book = ReviewBook::new();
    book.record("ana", &ItemKey::decision("s", "n"), RIGHT_FAST, at(2025, 1, 1, 9, 0));
    let json: serde_json::Value = serde_json::from_str(&book.encode()).expect("json");
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["retention"], 0.9);
    assert_eq!(json["parameters"]["weights"].as_array().map(Vec::len), Some(19));
    assert_eq!(
        json["items"][0]["key"],
        serde_json::json!({"kind": "decision", "scenario": "s", "node": "n"})
    );
    assert_eq!(json["items"][0]["history"][0]["rating"], "easy");
    assert_eq!(json["items"][0]["card"]["state"], "review");
}

#[test]
fn a_book_from_a_newer_app_is_refused_with_a_typed_error() {
    let mut json: serde_json::Value = serde_json::from_str(&ReviewBook::new().encode()).expect("json");
    json["schema_version"] = 2.into();
    json["something_new"] = true.into();
    assert_eq!(
        ReviewBook::decode(&json.to_string()),
        Err(ReviewError::FromTheFuture(2))
    );
}

#[test]
fn unreadable_or_invalid_books_are_refused_not_defaulted() {
    assert!(matches!(ReviewBook::decode("not json"), Err(ReviewError::Corrupt(_))));
    assert!(matches!(ReviewBook::decode("{}"), Err(ReviewError::Corrupt(_))));
    let good: serde_json::Value = serde_json::from_str(&ReviewBook::new().encode()).expect("json");

    let mut v = good.clone();
    v["retention"] = 0.5.into();
    assert_eq!(
        ReviewBook::decode(&v.to_string()),
        Err(ReviewError::RetentionOutOfRange(0.5))
    );

    let mut v = good.clone();
    v["parameters"]["maximum_interval_days"] = 2_000_000_000.into();
    assert_eq!(ReviewBook::decode(&v.to_string()), Err(ReviewError::InvalidParameters));

    let mut v = good.clone();
    v["retention_typo"] = 0.9.into();
    assert!(matches!(
        ReviewBook::decode(&v.to_string()),
        Err(ReviewError::Corrupt(_))
    ));

    let mut book = ReviewBook::new();
    book.record("ana", &ItemKey::question("q"), RIGHT_SLOW, at(2025, 1, 1, 9, 0));
    let mut v: serde_json::Value = serde_json::from_str(&book.encode()).expect("json");
    let item = v["items"][0].clone();
    v["items"].as_array_mut().expect("items").push(item);
    assert!(matches!(
        ReviewBook::decode(&v.to_string()),
        Err(ReviewError::DuplicateItem { .. })
    ));
}
