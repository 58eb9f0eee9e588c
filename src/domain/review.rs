//! Spaced review ("learning that sticks"): what each trainee got right or wrong is rated and
//! scheduled again with FSRS, so questions, role-play decisions and observation items come back
//! just before they would be forgotten.
//!
//! The scheduling itself is the `rs-fsrs` crate's; this module decides how an answer becomes a
//! rating, keeps every rating so a schedule can be explained and replayed, and picks a short
//! mixed session from what is due. Time and seeds are always passed in: nothing here reads the
//! clock or a random source (note that `rs_fsrs::Card::new()` and `rs_fsrs::Parameters::default()`
//! both read the clock, so they are never called here).
//!
//! Invariant: every item's `card` is the replay of its `history` (in time order, from a new card)
//! under the book's retention and parameters. `record`, `set_retention` and `merge` keep it.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The version of the stored [`ReviewBook`] this app writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// The desired retention when none was set: 90 % of reviews should be remembered.
pub const DEFAULT_RETENTION: f64 = 0.90;
/// The lowest desired retention a trainer may set (below it reviews come too seldom to help).
pub const MIN_RETENTION: f64 = 0.70;
/// The highest desired retention a trainer may set (above it the review load explodes).
pub const MAX_RETENTION: f64 = 0.97;

/// The FSRS-5 default weights `w0..w18`, as shipped by `rs-fsrs` 1.2.1 (the crate keeps its
/// own copy private). `w0..w3`: initial stability after Again/Hard/Good/Easy; `w4, w5`: initial
/// difficulty; `w6, w7`: difficulty change and mean reversion; `w8..w10`: stability after a
/// success; `w11..w14`: stability after a lapse; `w15, w16`: Hard penalty and Easy bonus;
/// `w17, w18`: same-day (short-term) stability.
pub const FSRS5_DEFAULT_WEIGHTS: [f64; 19] = [
    0.4072, 1.1829, 3.1262, 15.4722, 7.2102, 0.5316, 1.0651, 0.0234, 1.616, 0.1544, 1.0824, 1.9813, 0.0953, 0.2975,
    2.2042, 0.2407, 2.9466, 0.5034, 0.6567,
];

/// The longest interval the scheduler may give, in days (100 years: no cap in practice).
pub const MAXIMUM_INTERVAL_DAYS: i32 = 36_500;

/// A score at or above this is right (1.0 with room for rounding).
pub const RIGHT_SCORE: f64 = 0.999;
/// A score at or above this (and below [`RIGHT_SCORE`]) is half credit.
pub const HALF_SCORE: f64 = 0.5;
/// A question answered right within this many seconds is rated Easy.
pub const FAST_QUESTION_SECONDS: f64 = 15.0;
/// A role-play decision chosen right within this many seconds is rated Easy.
pub const FAST_DECISION_SECONDS: f64 = 10.0;

/// The session size the app asks for: a trainee back after a month gets 10 items, not 200.
pub const SESSION_MAX: usize = 10;
/// An item is overdue once it has been due for more than this many days.
pub const OVERDUE_AFTER_DAYS: i64 = 1;
/// An item counts as learned once it is in the Review state with a stability of at least this
/// many days (memory lasts three weeks at 90 % recall).
pub const LEARNED_STABILITY_DAYS: f64 = 21.0;

/// The kind of thing being reviewed; each kind has its own "fast" threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Question,
    Decision,
    Observation,
}

impl ItemKind {
    /// The longest answer time (seconds) that still counts as fast, if this kind can be Easy.
    /// Observation items are never Easy: an observer ticks them, there is no answer time.
    pub fn fast_seconds(self) -> Option<f64> {
        match self {
            ItemKind::Question => Some(FAST_QUESTION_SECONDS),
            ItemKind::Decision => Some(FAST_DECISION_SECONDS),
            ItemKind::Observation => None,
        }
    }
}

/// What is reviewed: a question, a decision point of a role-play, or an observation item.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ItemKey {
    /// A quiz question, by id.
    Question { question: String },
    /// A decision point: role-play scenario id and node id.
    Decision { scenario: String, node: String },
    /// An observation item: checklist id and item id.
    Observation { checklist: String, item: String },
}

impl ItemKey {
    pub fn question(id: &str) -> ItemKey {
        ItemKey::Question {
            question: id.to_string(),
        }
    }

    pub fn decision(scenario: &str, node: &str) -> ItemKey {
        ItemKey::Decision {
            scenario: scenario.to_string(),
            node: node.to_string(),
        }
    }

    pub fn observation(checklist: &str, item: &str) -> ItemKey {
        ItemKey::Observation {
            checklist: checklist.to_string(),
            item: item.to_string(),
        }
    }

    pub fn kind(&self) -> ItemKind {
        match self {
            ItemKey::Question { .. } => ItemKind::Question,
            ItemKey::Decision { .. } => ItemKind::Decision,
            ItemKey::Observation { .. } => ItemKind::Observation,
        }
    }
}

/// How one answer went.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Credit earned, 0 (wrong) to 1 (right); partial credit in between.
    pub score: f64,
    /// Seconds taken to answer, when known.
    #[serde(default)]
    pub seconds: Option<f64>,
    /// What was answered (decides the "fast" threshold).
    pub kind: ItemKind,
}

impl Outcome {
    /// The outcome made storable: a score that is not a number becomes 0, others are clamped to
    /// 0..=1; a time that is not finite or is negative is dropped.
    pub fn sanitized(self) -> Outcome {
        let score = if self.score.is_nan() {
            0.0
        } else {
            self.score.clamp(0.0, 1.0)
        };
        let seconds = self.seconds.filter(|s| s.is_finite() && *s >= 0.0);
        Outcome {
            score,
            seconds,
            kind: self.kind,
        }
    }
}

/// The FSRS rating of one review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Again,
    Hard,
    Good,
    Easy,
}

impl Rating {
    fn to_fsrs(self) -> rs_fsrs::Rating {
        match self {
            Rating::Again => rs_fsrs::Rating::Again,
            Rating::Hard => rs_fsrs::Rating::Hard,
            Rating::Good => rs_fsrs::Rating::Good,
            Rating::Easy => rs_fsrs::Rating::Easy,
        }
    }
}

/// The rating an answer earns, the same rule for every kind:
/// - score ≥ [`RIGHT_SCORE`] (0.999): right → Good, or Easy when also fast;
/// - score ≥ [`HALF_SCORE`] (0.5): half credit → Hard;
/// - otherwise (and a score that is not a number): wrong → Again.
///
/// "Fast" is an answer time known and at most the kind's threshold: a question within
/// [`FAST_QUESTION_SECONDS`] (15 s), a role-play decision within [`FAST_DECISION_SECONDS`]
/// (10 s). Observation items are never Easy. Without a time, right is Good.
pub fn rating_for(outcome: Outcome) -> Rating {
    let o = outcome.sanitized();
    if o.score >= RIGHT_SCORE {
        match (o.kind.fast_seconds(), o.seconds) {
            (Some(limit), Some(s)) if s <= limit => Rating::Easy,
            _ => Rating::Good,
        }
    } else if o.score >= HALF_SCORE {
        Rating::Hard
    } else {
        Rating::Again
    }
}

/// The FSRS learning state of a card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    #[default]
    New,
    Learning,
    Review,
    Relearning,
}

/// What the scheduler needs to resume a card (the fields of `rs_fsrs::Card`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardState {
    /// When the item is next due.
    pub due: DateTime<Utc>,
    /// Days until recall drops to 90 %.
    pub stability: f64,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f64,
    /// Whole days between the last two reviews.
    pub elapsed_days: i64,
    /// Whole days the last review scheduled (0 for a same-day step).
    pub scheduled_days: i64,
    /// Reviews so far.
    pub reps: i32,
    /// Times a learned item was forgotten.
    pub lapses: i32,
    pub state: Phase,
    /// When the item was last reviewed.
    pub last_review: DateTime<Utc>,
}

impl CardState {
    /// A card never reviewed, due at `at`.
    fn new(at: DateTime<Utc>) -> CardState {
        CardState {
            due: at,
            stability: 0.0,
            difficulty: 0.0,
            elapsed_days: 0,
            scheduled_days: 0,
            reps: 0,
            lapses: 0,
            state: Phase::New,
            last_review: at,
        }
    }

    fn to_fsrs(&self) -> rs_fsrs::Card {
        rs_fsrs::Card {
            due: self.due,
            stability: self.stability,
            difficulty: self.difficulty,
            elapsed_days: self.elapsed_days,
            scheduled_days: self.scheduled_days,
            reps: self.reps,
            lapses: self.lapses,
            state: match self.state {
                Phase::New => rs_fsrs::State::New,
                Phase::Learning => rs_fsrs::State::Learning,
                Phase::Review => rs_fsrs::State::Review,
                Phase::Relearning => rs_fsrs::State::Relearning,
            },
            last_review: self.last_review,
        }
    }

    fn from_fsrs(c: rs_fsrs::Card) -> CardState {
        CardState {
            due: c.due,
            stability: c.stability,
            difficulty: c.difficulty,
            elapsed_days: c.elapsed_days,
            scheduled_days: c.scheduled_days,
            reps: c.reps,
            lapses: c.lapses,
            state: match c.state {
                rs_fsrs::State::New => Phase::New,
                rs_fsrs::State::Learning => Phase::Learning,
                rs_fsrs::State::Review => Phase::Review,
                rs_fsrs::State::Relearning => Phase::Relearning,
            },
            last_review: c.last_review,
        }
    }
}

/// One rating, kept so the schedule can be explained and replayed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingEvent {
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub outcome: Outcome,
}

/// One trainee's review of one item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewItem {
    /// Trainee profile id.
    pub trainee: String,
    pub key: ItemKey,
    /// The scheduler's state after the last rating.
    pub card: CardState,
    /// Every rating, oldest first.
    pub history: Vec<RatingEvent>,
}

impl ReviewItem {
    /// The probability (0..=1) that the trainee still recalls the item at `now`, by the FSRS
    /// forgetting curve in whole days since the last review (as the scheduler counts them).
    pub fn retrievability(&self, now: DateTime<Utc>) -> f64 {
        let now = now.max(self.card.last_review);
        self.card.to_fsrs().get_retrievability(now)
    }
}

/// See [`ReviewItem::retrievability`].
pub fn retrievability(item: &ReviewItem, now: DateTime<Utc>) -> f64 {
    item.retrievability(now)
}

/// The FSRS parameter set a book's schedules were computed with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FsrsParameters {
    /// The 19 FSRS-5 weights `w0..w18` (see [`FSRS5_DEFAULT_WEIGHTS`]).
    pub weights: [f64; 19],
    /// The longest interval, in days (1..=[`MAXIMUM_INTERVAL_DAYS`]).
    pub maximum_interval_days: i32,
}

impl Default for FsrsParameters {
    fn default() -> Self {
        FsrsParameters {
            weights: FSRS5_DEFAULT_WEIGHTS,
            maximum_interval_days: MAXIMUM_INTERVAL_DAYS,
        }
    }
}

/// Counts for one trainee at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReviewStats {
    /// Items due now (overdue ones included).
    pub due: usize,
    /// Items due for more than [`OVERDUE_AFTER_DAYS`] (one day).
    pub overdue: usize,
    /// Items in the Review state with stability ≥ [`LEARNED_STABILITY_DAYS`] (21 days).
    pub learned: usize,
    /// All the trainee's items.
    pub total: usize,
}

/// Why a review book or a setting was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum ReviewError {
    /// Not JSON of the expected shape (the serde message).
    Corrupt(String),
    /// Written by a newer version of the app; must not be overwritten.
    FromTheFuture(u32),
    /// A desired retention outside [`MIN_RETENTION`]..=[`MAX_RETENTION`].
    RetentionOutOfRange(f64),
    /// Weights that are not finite numbers, or a maximum interval outside 1..=36500 days.
    InvalidParameters,
    /// A rating dated outside the years 1970..=9999.
    DateOutOfRange(DateTime<Utc>),
    /// The same trainee and item listed twice.
    DuplicateItem { trainee: String, key: ItemKey },
}

impl std::fmt::Display for ReviewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReviewError::Corrupt(e) => write!(f, "the review schedule could not be read: {e}"),
            ReviewError::FromTheFuture(v) => write!(
                f,
                "the review schedule has schema_version {v}, newer than this app ({SCHEMA_VERSION})"
            ),
            ReviewError::RetentionOutOfRange(r) => {
                write!(f, "desired retention {r} is outside {MIN_RETENTION}..={MAX_RETENTION}")
            }
            ReviewError::InvalidParameters => write!(f, "the review schedule's FSRS parameters are invalid"),
            ReviewError::DateOutOfRange(at) => write!(f, "a review is dated {at}, outside the years 1970..=9999"),
            ReviewError::DuplicateItem { trainee, key } => {
                write!(f, "trainee `{trainee}`: item {key:?} is listed twice")
            }
        }
    }
}

impl std::error::Error for ReviewError {}

/// Every trainee's review items on one device, with the settings that scheduled them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewBook {
    pub schema_version: u32,
    /// Desired retention: the recall probability at which an item comes due.
    pub retention: f64,
    /// When a trainer last changed the retention (None: never). A merge keeps the later setting.
    #[serde(default)]
    pub retention_set_at: Option<DateTime<Utc>>,
    /// The FSRS parameters used.
    pub parameters: FsrsParameters,
    /// Sorted by trainee, then key; one per (trainee, key).
    #[serde(default)]
    pub items: Vec<ReviewItem>,
}

impl Default for ReviewBook {
    fn default() -> Self {
        ReviewBook {
            schema_version: SCHEMA_VERSION,
            retention: DEFAULT_RETENTION,
            retention_set_at: None,
            parameters: FsrsParameters::default(),
            items: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct VersionOnly {
    schema_version: u32,
}

fn check_retention(retention: f64) -> Result<(), ReviewError> {
    if (MIN_RETENTION..=MAX_RETENTION).contains(&retention) {
        Ok(())
    } else {
        Err(ReviewError::RetentionOutOfRange(retention))
    }
}

/// The order history is kept in: time, then rating, then outcome (so a merge is deterministic).
fn event_order(a: &RatingEvent, b: &RatingEvent) -> Ordering {
    a.at.cmp(&b.at)
        .then(a.rating.cmp(&b.rating))
        .then(a.outcome.score.total_cmp(&b.outcome.score))
        .then(match (a.outcome.seconds, b.outcome.seconds) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        })
        .then(a.outcome.kind.cmp(&b.outcome.kind))
}

impl ReviewBook {
    /// An empty book with the default retention and parameters.
    pub fn new() -> ReviewBook {
        ReviewBook::default()
    }

    /// Reads a stored book: a newer `schema_version` is refused (never overwritten), and the
    /// settings, dates and item list are checked.
    pub fn decode(raw: &str) -> Result<ReviewBook, ReviewError> {
        let v: VersionOnly = serde_json::from_str(raw).map_err(|e| ReviewError::Corrupt(e.to_string()))?;
        if v.schema_version > SCHEMA_VERSION {
            return Err(ReviewError::FromTheFuture(v.schema_version));
        }
        let mut book: ReviewBook = serde_json::from_str(raw).map_err(|e| ReviewError::Corrupt(e.to_string()))?;
        check_retention(book.retention)?;
        let p = &book.parameters;
        if !p.weights.iter().all(|w| w.is_finite()) || !(1..=MAXIMUM_INTERVAL_DAYS).contains(&p.maximum_interval_days) {
            return Err(ReviewError::InvalidParameters);
        }
        for ev in book.items.iter().flat_map(|i| &i.history) {
            if !(1970..=9999).contains(&ev.at.year()) {
                return Err(ReviewError::DateOutOfRange(ev.at));
            }
        }
        book.items
            .sort_by(|a, b| (&a.trainee, &a.key).cmp(&(&b.trainee, &b.key)));
        if let Some(w) = book
            .items
            .windows(2)
            .find(|w| (&w[0].trainee, &w[0].key) == (&w[1].trainee, &w[1].key))
        {
            return Err(ReviewError::DuplicateItem {
                trainee: w[0].trainee.clone(),
                key: w[0].key.clone(),
            });
        }
        for item in &mut book.items {
            item.history.sort_by(event_order);
        }
        Ok(book)
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("a review book is plain data and always serialises")
    }

    /// Sets the desired retention (0.70..=0.97) and reschedules every item under it.
    pub fn set_retention(&mut self, retention: f64, now: DateTime<Utc>) -> Result<(), ReviewError> {
        check_retention(retention)?;
        self.retention = retention;
        self.retention_set_at = Some(now);
        self.replay_all();
        Ok(())
    }

    fn scheduler(&self) -> rs_fsrs::FSRS {
        rs_fsrs::FSRS::new(rs_fsrs::Parameters {
            request_retention: self.retention,
            maximum_interval: self.parameters.maximum_interval_days,
            w: self.parameters.weights,
            decay: rs_fsrs::Parameters::DECAY,
            factor: rs_fsrs::Parameters::FACTOR,
            enable_short_term: true,
            // Fuzz off: the same history gives the same schedule on every tablet.
            enable_fuzz: false,
            // Replaced by the scheduler from the review time; given so no clock is read.
            seed: rs_fsrs::Seed::from("lixun"),
        })
    }

    /// The card reached by rating a new card with `history`, oldest first.
    fn replay(fsrs: &rs_fsrs::FSRS, history: &[RatingEvent]) -> CardState {
        let Some(first) = history.first() else {
            return CardState::new(DateTime::<Utc>::UNIX_EPOCH);
        };
        let mut card = CardState::new(first.at).to_fsrs();
        for ev in history {
            card = fsrs.next(card, ev.at, ev.rating.to_fsrs()).card;
        }
        CardState::from_fsrs(card)
    }

    fn replay_all(&mut self) {
        let fsrs = self.scheduler();
        for item in &mut self.items {
            item.card = Self::replay(&fsrs, &item.history);
        }
    }

    fn position(&self, trainee: &str, key: &ItemKey) -> Result<usize, usize> {
        self.items
            .binary_search_by(|i| (i.trainee.as_str(), &i.key).cmp(&(trainee, key)))
    }

    /// The item of `trainee` for `key`, if it was ever rated.
    pub fn item(&self, trainee: &str, key: &ItemKey) -> Option<&ReviewItem> {
        self.position(trainee, key).ok().map(|i| &self.items[i])
    }

    /// Rates an answer (see [`rating_for`]; the key's kind is used, whatever `outcome.kind`
    /// says) and schedules the item again, creating it on its first answer. A second event for
    /// the same trainee and key at the same `now` is ignored, so recording twice is harmless:
    /// returns the rating given, or None when ignored.
    pub fn record(&mut self, trainee: &str, key: &ItemKey, outcome: Outcome, now: DateTime<Utc>) -> Option<Rating> {
        let outcome = Outcome {
            kind: key.kind(),
            ..outcome
        }
        .sanitized();
        let rating = rating_for(outcome);
        let event = RatingEvent {
            at: now,
            rating,
            outcome,
        };
        let fsrs = self.scheduler();
        let index = match self.position(trainee, key) {
            Ok(i) => i,
            Err(i) => {
                let item = ReviewItem {
                    trainee: trainee.to_string(),
                    key: key.clone(),
                    card: CardState::new(now),
                    history: Vec::new(),
                };
                self.items.insert(i, item);
                i
            }
        };
        let item = &mut self.items[index];
        if item.history.iter().any(|e| e.at == now) {
            return None;
        }
        let at = item
            .history
            .partition_point(|e| event_order(e, &event) == Ordering::Less);
        item.history.insert(at, event);
        item.card = Self::replay(&fsrs, &item.history);
        Some(rating)
    }

    /// The trainee's items (a run of the sorted list).
    fn of(&self, trainee: &str) -> &[ReviewItem] {
        let start = self.items.partition_point(|i| i.trainee.as_str() < trainee);
        let end = self.items.partition_point(|i| i.trainee.as_str() <= trainee);
        &self.items[start..end]
    }

    /// The trainee's items due at `now`, most overdue first.
    pub fn due(&self, trainee: &str, now: DateTime<Utc>) -> Vec<&ReviewItem> {
        let mut due: Vec<&ReviewItem> = self.of(trainee).iter().filter(|i| i.card.due <= now).collect();
        due.sort_by(|a, b| a.card.due.cmp(&b.card.due).then(a.key.cmp(&b.key)));
        due
    }

    /// A review session for the trainee: at most `max` due items (the app passes
    /// [`SESSION_MAX`]), most overdue first, kinds mixed. Each kind is queued most overdue
    /// first; the session takes one item from each kind in turn (in each round the kind whose
    /// next item is most overdue goes first), so a long backlog of one kind does not crowd out
    /// the others. Items due at the same moment are ordered by `seed`.
    pub fn session(&self, trainee: &str, now: DateTime<Utc>, max: usize, seed: u64) -> Vec<ItemKey> {
        let mut due: Vec<&ReviewItem> = self.of(trainee).iter().filter(|i| i.card.due <= now).collect();
        crate::domain::random::shuffle(&mut due, seed);
        due.sort_by_key(|i| i.card.due);
        let mut queues: BTreeMap<ItemKind, std::collections::VecDeque<&ReviewItem>> = BTreeMap::new();
        for item in due {
            queues.entry(item.key.kind()).or_default().push_back(item);
        }
        let mut session = Vec::new();
        while session.len() < max && queues.values().any(|q| !q.is_empty()) {
            let mut heads: Vec<(DateTime<Utc>, ItemKind)> = queues
                .iter()
                .filter_map(|(k, q)| q.front().map(|i| (i.card.due, *k)))
                .collect();
            heads.sort();
            for (_, kind) in heads {
                if session.len() == max {
                    break;
                }
                if let Some(item) = queues.get_mut(&kind).and_then(|q| q.pop_front()) {
                    session.push(item.key.clone());
                }
            }
        }
        session
    }

    /// When the trainee's next item comes due (possibly already past), if they have any.
    pub fn next_due(&self, trainee: &str) -> Option<DateTime<Utc>> {
        self.of(trainee).iter().map(|i| i.card.due).min()
    }

    /// The trainee's counts at `now` (see [`ReviewStats`]).
    pub fn stats(&self, trainee: &str, now: DateTime<Utc>) -> ReviewStats {
        let overdue_before = now.checked_sub_signed(Duration::days(OVERDUE_AFTER_DAYS));
        let mut s = ReviewStats::default();
        for i in self.of(trainee) {
            s.total += 1;
            if i.card.due <= now {
                s.due += 1;
            }
            if overdue_before.is_some_and(|t| i.card.due < t) {
                s.overdue += 1;
            }
            if i.card.state == Phase::Review && i.card.stability >= LEARNED_STABILITY_DAYS {
                s.learned += 1;
            }
        }
        s
    }

    /// The group view: the `n` items with the lowest mean retrievability at `now` across the
    /// trainees who have them, as (key, mean retrievability, number of trainees), lowest first.
    pub fn hardest(&self, now: DateTime<Utc>, n: usize) -> Vec<(ItemKey, f64, usize)> {
        let mut by_key: BTreeMap<&ItemKey, (f64, usize)> = BTreeMap::new();
        for item in &self.items {
            let e = by_key.entry(&item.key).or_default();
            e.0 += item.retrievability(now);
            e.1 += 1;
        }
        let mut rows: Vec<(ItemKey, f64, usize)> = by_key
            .into_iter()
            .map(|(k, (sum, count))| (k.clone(), sum / count as f64, count))
            .collect();
        rows.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        rows.truncate(n);
        rows
    }

    /// The union of two devices' review histories. Ratings are pooled per (trainee, key) and
    /// de-duplicated by (time, rating); each card is recomputed by replaying its merged history
    /// in time order from a new card. The retention set later wins (ties: the higher one); the
    /// parameters go with it. The result does not depend on the order of merging.
    pub fn merge(&self, other: &ReviewBook) -> ReviewBook {
        let settings = |b: &ReviewBook| (b.retention_set_at, b.retention, b.parameters.clone());
        let newer = |a: &ReviewBook, b: &ReviewBook| {
            a.retention_set_at
                .cmp(&b.retention_set_at)
                .then(a.retention.total_cmp(&b.retention))
                .then_with(|| {
                    let (pa, pb) = (&a.parameters, &b.parameters);
                    let weights = pa.weights.iter().zip(&pb.weights).map(|(x, y)| x.total_cmp(y));
                    weights.fold(Ordering::Equal, Ordering::then)
                })
                .then(
                    a.parameters
                        .maximum_interval_days
                        .cmp(&b.parameters.maximum_interval_days),
                )
        };
        let (retention_set_at, retention, parameters) = if newer(self, other) == Ordering::Less {
            settings(other)
        } else {
            settings(self)
        };

        let mut pooled: BTreeMap<(&str, &ItemKey), Vec<RatingEvent>> = BTreeMap::new();
        for item in self.items.iter().chain(&other.items) {
            pooled
                .entry((&item.trainee, &item.key))
                .or_default()
                .extend(item.history.iter().cloned());
        }
        let mut book = ReviewBook {
            schema_version: SCHEMA_VERSION,
            retention,
            retention_set_at,
            parameters,
            items: Vec::with_capacity(pooled.len()),
        };
        let fsrs = book.scheduler();
        for ((trainee, key), mut history) in pooled {
            history.sort_by(event_order);
            history.dedup_by(|later, earlier| later.at == earlier.at && later.rating == earlier.rating);
            let card = Self::replay(&fsrs, &history);
            book.items.push(ReviewItem {
                trainee: trainee.to_string(),
                key: key.clone(),
                card,
                history,
            });
        }
        book
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_card_converts_to_the_crates_card_and_back_unchanged() {
        let t = Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).single().expect("date");
        let card = CardState {
            due: t + Duration::days(3),
            stability: 3.5,
            difficulty: 6.25,
            elapsed_days: 2,
            scheduled_days: 3,
            reps: 4,
            lapses: 1,
            state: Phase::Relearning,
            last_review: t,
        };
        assert_eq!(CardState::from_fsrs(card.to_fsrs()), card);
    }

    #[test]
    fn history_is_ordered_by_time_then_rating() {
        let t = Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).single().expect("date");
        let ev = |at, rating| RatingEvent {
            at,
            rating,
            outcome: Outcome {
                score: 1.0,
                seconds: None,
                kind: ItemKind::Question,
            },
        };
        assert_eq!(
            event_order(&ev(t, Rating::Easy), &ev(t + Duration::seconds(1), Rating::Again)),
            Ordering::Less
        );
        assert_eq!(event_order(&ev(t, Rating::Again), &ev(t, Rating::Good)), Ordering::Less);
    }
}
