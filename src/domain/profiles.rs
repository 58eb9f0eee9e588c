//! Trainees on a shared device: profiles picked by name or employee id (no password), and the
//! trainer's PIN, stored only as a salted PBKDF2-HMAC-SHA256 hash, with a back-off after wrong
//! tries. This protects against casual access on a shared tablet; a browser-only app cannot
//! stop someone with devtools.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::domain::text::{self, TextError};

/// A trainee.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub employee_id: Option<String>,
    /// Avatar colour index (0–7).
    pub colour: u8,
    #[serde(default)]
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    /// Ids of the same person's profiles on other devices (matched by employee id at import):
    /// their records are this trainee's.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Profiles merged into this one, so a merge can be read (and explained) later.
    #[serde(default)]
    pub merged: Vec<MergeNote>,
}

/// A profile that was merged into another: who it was and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MergeNote {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub employee_id: Option<String>,
    pub at: DateTime<Utc>,
}

/// Avatar colours (text on them is white).
pub const COLOURS: [&str; 8] = [
    "#8c2f39", "#24557a", "#1a7f4b", "#8a5a00", "#5b3f8c", "#0f6e6e", "#a3441b", "#4a5560",
];

impl Profile {
    /// Up to two characters for the avatar: the first two letters of a Chinese name's given
    /// name part (its last two characters), or the initials of a Latin name.
    pub fn initials(&self) -> String {
        let name = self.name.trim();
        let chars: Vec<char> = name.chars().collect();
        if chars.iter().any(|c| !c.is_ascii()) {
            let n = chars.len();
            return chars[n.saturating_sub(2)..].iter().collect();
        }
        let mut out: String = name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .take(2)
            .collect();
        out.make_ascii_uppercase();
        if out.is_empty() { "?".into() } else { out }
    }

    pub fn colour_css(&self) -> &'static str {
        COLOURS[self.colour as usize % COLOURS.len()]
    }
}

/// The profiles on a device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Profiles {
    pub list: Vec<Profile>,
}

/// Why a profile could not be created or renamed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileError {
    /// Nothing visible in the name (see `text::clean_name`).
    EmptyName,
    /// The name is longer than `text::MAX_NAME_CHARS`, or the employee id than
    /// `text::MAX_EMPLOYEE_ID_CHARS`.
    TooLong,
    /// Another trainee already has this employee id.
    EmployeeIdTaken(String),
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Profiles {
    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.list.iter().find(|p| p.id == id)
    }

    /// Active profiles, by name.
    pub fn active(&self) -> Vec<&Profile> {
        let mut v: Vec<&Profile> = self.list.iter().filter(|p| !p.archived).collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }

    /// Profiles whose name or employee id contains `query` (case-insensitive).
    pub fn search(&self, query: &str) -> Vec<&Profile> {
        let q = query.trim().to_lowercase();
        self.active()
            .into_iter()
            .filter(|p| {
                q.is_empty()
                    || p.name.to_lowercase().contains(&q)
                    || p.employee_id.as_ref().is_some_and(|e| e.to_lowercase().contains(&q))
            })
            .collect()
    }

    /// The profile with this employee id, or else exactly this name.
    pub fn find(&self, name_or_employee_id: &str) -> Option<&Profile> {
        let q = clean(name_or_employee_id);
        self.list
            .iter()
            .find(|p| p.employee_id.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(&q)))
            .or_else(|| self.list.iter().find(|p| p.name.eq_ignore_ascii_case(&q)))
    }

    fn check(&self, id: Option<&str>, employee_id: Option<&str>) -> Result<(), ProfileError> {
        if let Some(e) = employee_id
            && self.list.iter().any(|p| {
                Some(p.id.as_str()) != id && p.employee_id.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(e))
            })
        {
            return Err(ProfileError::EmployeeIdTaken(e.to_string()));
        }
        Ok(())
    }

    /// A name and employee id as typed, cleaned by `text::clean_name` and
    /// `text::clean_employee_id` (an employee id that is too long is `TooLong` too).
    fn cleaned(name: &str, employee_id: &str) -> Result<(String, Option<String>), ProfileError> {
        let name = text::clean_name(name).map_err(|e| match e {
            TextError::Empty => ProfileError::EmptyName,
            TextError::TooLong { .. } => ProfileError::TooLong,
        })?;
        let employee_id = text::clean_employee_id(employee_id).map_err(|_| ProfileError::TooLong)?;
        Ok((name, employee_id))
    }

    /// Adds a trainee; the colour follows the number of profiles.
    pub fn create(
        &mut self,
        id: String,
        name: &str,
        employee_id: &str,
        now: DateTime<Utc>,
    ) -> Result<&Profile, ProfileError> {
        let (name, employee_id) = Self::cleaned(name, employee_id)?;
        self.check(None, employee_id.as_deref())?;
        let colour = (self.list.len() % COLOURS.len()) as u8;
        self.list.push(Profile {
            id,
            name,
            employee_id,
            colour,
            archived: false,
            created_at: now,
            aliases: Vec::new(),
            merged: Vec::new(),
        });
        Ok(self.list.last().expect("just pushed"))
    }

    pub fn rename(&mut self, id: &str, name: &str, employee_id: &str) -> Result<(), ProfileError> {
        let (name, employee_id) = Self::cleaned(name, employee_id)?;
        self.check(Some(id), employee_id.as_deref())?;
        if let Some(p) = self.list.iter_mut().find(|p| p.id == id) {
            p.name = name;
            p.employee_id = employee_id;
        }
        Ok(())
    }

    /// Merges trainee `from` into `into` (the same person with two profiles, e.g. after an
    /// import without an employee id): `from`'s id and aliases become `into`'s aliases, so
    /// their records are `into`'s; `from`'s profile goes.
    pub fn merge_into(&mut self, from: &str, into: &str) -> bool {
        if from == into || self.get(into).is_none() {
            return false;
        }
        let Some(gone) = self.remove(from) else { return false };
        if let Some(p) = self.list.iter_mut().find(|p| p.id == into) {
            p.aliases.push(gone.id);
            p.aliases.extend(gone.aliases);
            p.aliases.sort();
            p.aliases.dedup();
        }
        true
    }

    /// As [`Profiles::merge_into`], keeping a note of who was merged and when.
    pub fn merge_into_at(&mut self, from: &str, into: &str, at: DateTime<Utc>) -> bool {
        let Some(gone) = self.get(from).cloned() else {
            return false;
        };
        if !self.merge_into(from, into) {
            return false;
        }
        if let Some(p) = self.list.iter_mut().find(|p| p.id == into) {
            p.merged.extend(gone.merged);
            p.merged.push(MergeNote {
                id: gone.id,
                name: gone.name,
                employee_id: gone.employee_id,
                at,
            });
        }
        true
    }

    /// Active trainees with this name (spaces and case ignored): a new trainee of the same
    /// name is probably one of them.
    pub fn named(&self, name: &str) -> Vec<&Profile> {
        let norm = |s: &str| clean(s).to_lowercase();
        let want = norm(name);
        if want.is_empty() {
            return Vec::new();
        }
        self.active().into_iter().filter(|p| norm(&p.name) == want).collect()
    }

    pub fn set_archived(&mut self, id: &str, archived: bool) {
        if let Some(p) = self.list.iter_mut().find(|p| p.id == id) {
            p.archived = archived;
        }
    }

    pub fn remove(&mut self, id: &str) -> Option<Profile> {
        let i = self.list.iter().position(|p| p.id == id)?;
        Some(self.list.remove(i))
    }

    /// The profile a record's trainee id belongs to: the profile with that id, or the one
    /// that took it as an alias at import.
    pub fn owner(&self, id: &str) -> Option<&Profile> {
        self.get(id)
            .or_else(|| self.list.iter().find(|p| p.aliases.iter().any(|a| a == id)))
    }

    /// The display name of a trainee id (the id itself if the profile is gone).
    /// The roster as the trainer reads it: active trainees first, then archived, each by name.
    pub fn roster(&self) -> Vec<&Profile> {
        let mut list: Vec<&Profile> = self.list.iter().collect();
        list.sort_by(|a, b| (a.archived, &a.name).cmp(&(b.archived, &b.name)));
        list
    }

    pub fn name_of(&self, id: &str) -> String {
        self.owner(id).map(|p| p.name.clone()).unwrap_or_else(|| id.to_string())
    }
}

/// PBKDF2 rounds for the trainer PIN (OWASP 2023 suggests 600,000 for SHA-256 on servers; a
/// tablet running WebAssembly takes about a quarter of a second for this many).
pub const PIN_ROUNDS: u32 = 100_000;

/// The trainer's PIN, hashed, and the back-off state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainerLock {
    /// Hex salt (16 random bytes).
    pub salt: String,
    pub rounds: u32,
    /// Hex PBKDF2-HMAC-SHA256 of the PIN.
    pub hash: String,
    /// Wrong tries since the last right one.
    #[serde(default)]
    pub failures: u32,
    /// No tries are accepted before this time.
    #[serde(default)]
    pub locked_until: Option<DateTime<Utc>>,
}

/// Why a PIN was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PinError {
    /// PINs are 4 to 12 digits.
    Format,
    /// Wrong PIN; tries left before a wait.
    Wrong { tries_before_wait: u32 },
    /// Too many wrong tries: wait until then.
    Locked(DateTime<Utc>),
}

impl PinError {
    /// For a wait: whole seconds left at `now`, at least 1 (shown as "try again in n s").
    pub fn wait_seconds(&self, now: DateTime<Utc>) -> Option<i64> {
        match self {
            PinError::Locked(until) => Some(until.signed_duration_since(now).num_seconds().max(1)),
            _ => None,
        }
    }
}

/// Trainer mode stays open in a tab (also across a reload) until this long without activity.
pub const TRAINER_IDLE_MINUTES: i64 = 15;

/// Until when trainer mode stays open after activity at `at`.
pub fn trainer_open_until(at: DateTime<Utc>) -> DateTime<Utc> {
    at.checked_add_signed(Duration::minutes(TRAINER_IDLE_MINUTES))
        .unwrap_or(at)
}

/// Whether trainer mode, open until `until` (as stored for the tab), is still open at `now`.
pub fn trainer_still_open(until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    until.is_some_and(|u| now < u && u <= trainer_open_until(now))
}

/// Wrong tries allowed before the first wait.
pub const FREE_TRIES: u32 = 3;

fn derive(pin: &str, salt: &[u8], rounds: u32) -> String {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(pin.as_bytes(), salt, rounds, &mut out);
    out.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok())
        .collect()
}

/// True for 4 to 12 ASCII digits.
pub fn valid_pin(pin: &str) -> bool {
    (4..=12).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

impl TrainerLock {
    /// Sets a PIN with a fresh salt (16 random bytes from the caller).
    pub fn set(pin: &str, salt: [u8; 16], rounds: u32) -> Result<TrainerLock, PinError> {
        if !valid_pin(pin) {
            return Err(PinError::Format);
        }
        let salt_hex: String = salt.iter().map(|b| format!("{b:02x}")).collect();
        Ok(TrainerLock {
            hash: derive(pin, &salt, rounds),
            salt: salt_hex,
            rounds,
            failures: 0,
            locked_until: None,
        })
    }

    /// The wait after `failures` wrong tries: none for the first three, then 30 s doubling
    /// with each further try, at most 15 minutes.
    pub fn backoff(failures: u32) -> Option<Duration> {
        if failures < FREE_TRIES {
            return None;
        }
        let secs = 30i64.saturating_mul(1i64 << (failures - FREE_TRIES).min(10));
        Some(Duration::seconds(secs.min(15 * 60)))
    }

    /// Checks a PIN. A wrong one counts a failure and may start a wait; a right one resets.
    /// While a wait runs, nothing is checked (the PIN is not even hashed).
    pub fn try_unlock(&mut self, pin: &str, now: DateTime<Utc>) -> Result<(), PinError> {
        let ok = self.check(pin, now)?;
        self.register(ok, now)
    }

    /// Whether `pin` is right, without counting anything; `Locked` while a wait runs.
    pub fn check(&self, pin: &str, now: DateTime<Utc>) -> Result<bool, PinError> {
        if let Some(until) = self.locked_until.filter(|u| now < *u) {
            return Err(PinError::Locked(until));
        }
        Ok(derive(pin, &unhex(&self.salt), self.rounds) == self.hash)
    }

    /// Counts a try checked with [`TrainerLock::check`]: a right one resets the back-off, a
    /// wrong one counts a failure and may start a wait.
    pub fn register(&mut self, ok: bool, now: DateTime<Utc>) -> Result<(), PinError> {
        if ok {
            self.failures = 0;
            self.locked_until = None;
            return Ok(());
        }
        self.failures = self.failures.saturating_add(1);
        match Self::backoff(self.failures) {
            Some(wait) => {
                // A clock at the end of time must not panic: the wait saturates.
                let until = now.checked_add_signed(wait).unwrap_or(DateTime::<Utc>::MAX_UTC);
                self.locked_until = Some(until);
                Err(PinError::Locked(until))
            }
            None => Err(PinError::Wrong {
                tries_before_wait: FREE_TRIES - self.failures,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_new_name_matching_an_existing_trainee_is_found_whatever_its_spacing_or_case() {
        let mut ps = Profiles::default();
        ps.create("a".into(), "Wang  Fang", "", t0()).unwrap();
        ps.create("b".into(), "李雷", "E1", t0()).unwrap();
        assert_eq!(ps.named(" wang fang ").len(), 1);
        assert_eq!(ps.named("李雷")[0].id, "b");
        assert!(ps.named("韩梅梅").is_empty());
        assert!(ps.named("  ").is_empty());
    }

    #[test]
    fn trainer_mode_stays_open_for_fifteen_idle_minutes_and_no_longer() {
        let until = trainer_open_until(t0());
        assert!(trainer_still_open(Some(until), t0() + Duration::minutes(14)));
        assert!(!trainer_still_open(Some(until), t0() + Duration::minutes(15)));
        assert!(!trainer_still_open(None, t0()));
        // A stamp far in the future (a hand edit) does not keep it open.
        assert!(!trainer_still_open(Some(t0() + Duration::days(3)), t0()));
    }

    #[test]
    fn a_merge_keeps_a_note_of_who_was_merged_and_when() {
        let mut ps = Profiles::default();
        ps.create("a".into(), "王芳", "", t0()).unwrap();
        ps.create("b".into(), "王芳", "E7", t0()).unwrap();
        assert!(ps.merge_into_at("a", "b", t0()));
        let b = ps.get("b").unwrap();
        assert_eq!(b.aliases, vec!["a".to_string()]);
        assert_eq!(b.merged[0].name, "王芳");
        assert_eq!(b.merged[0].at, t0());
        assert!(!ps.merge_into_at("a", "b", t0()), "a is gone");
    }

    #[test]
    fn the_pin_is_stored_only_as_a_salted_hash() {
        let lock = TrainerLock::set("2468", [7; 16], 1000).unwrap();
        assert!(!lock.hash.contains("2468") && lock.hash.len() == 64);
        assert_eq!(lock.salt, "07".repeat(16));
        // Same PIN, other salt: another hash.
        assert_ne!(TrainerLock::set("2468", [8; 16], 1000).unwrap().hash, lock.hash);
        // PBKDF2-HMAC-SHA256 test vector (RFC 7914 §11): P="passwd", S="salt", c=1, dkLen=32.
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut out);
        assert_eq!(out[..8], [0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f]);
        assert_eq!(TrainerLock::set("12a4", [0; 16], 1000), Err(PinError::Format));
        assert_eq!(TrainerLock::set("123", [0; 16], 1000), Err(PinError::Format));
    }

    #[test]
    fn a_wait_is_shown_in_whole_seconds_and_never_as_zero() {
        let until = t0() + Duration::seconds(30);
        let e = PinError::Locked(until);
        assert_eq!(e.wait_seconds(t0()), Some(30));
        assert_eq!(e.wait_seconds(t0() + Duration::milliseconds(29_500)), Some(1));
        assert_eq!(e.wait_seconds(t0() + Duration::seconds(40)), Some(1));
        assert_eq!(PinError::Format.wait_seconds(t0()), None);
    }

    #[test]
    fn the_roster_lists_active_trainees_by_name_then_archived_ones() {
        let mut ps = Profiles::default();
        for (id, name) in [("1", "赵六"), ("2", "Anna"), ("3", "李四")] {
            ps.create(id.into(), name, "", t0()).unwrap();
        }
        ps.list[1].archived = true;
        let order: Vec<&str> = ps.roster().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(order, ["3", "1", "2"]);
    }

    #[test]
    fn wrong_tries_back_off_and_a_right_one_resets() {
        let mut lock = TrainerLock::set("2468", [1; 16], 1000).unwrap();
        assert_eq!(
            lock.try_unlock("1111", t0()),
            Err(PinError::Wrong { tries_before_wait: 2 })
        );
        assert_eq!(
            lock.try_unlock("1111", t0()),
            Err(PinError::Wrong { tries_before_wait: 1 })
        );
        let until = t0() + Duration::seconds(30);
        assert_eq!(lock.try_unlock("1111", t0()), Err(PinError::Locked(until)));
        // During the wait even the right PIN is refused.
        assert_eq!(
            lock.try_unlock("2468", t0() + Duration::seconds(29)),
            Err(PinError::Locked(until))
        );
        // After it, another wrong try doubles the wait.
        assert_eq!(
            lock.try_unlock("0000", t0() + Duration::seconds(31)),
            Err(PinError::Locked(t0() + Duration::seconds(91)))
        );
        assert_eq!(lock.try_unlock("2468", t0() + Duration::seconds(92)), Ok(()));
        assert_eq!((lock.failures, lock.locked_until), (0, None));
        assert_eq!(TrainerLock::backoff(20), Some(Duration::minutes(15)));
    }

    #[test]
    fn profiles_are_found_by_employee_id_or_name_and_ids_stay_unique() {
        let mut ps = Profiles::default();
        ps.create("a".into(), "  王芳 ", "E-001", t0()).unwrap();
        ps.create("b".into(), "Li Ming", "", t0()).unwrap();
        assert_eq!(ps.find("e-001").map(|p| p.id.as_str()), Some("a"));
        assert_eq!(ps.find("li ming").map(|p| p.id.as_str()), Some("b"));
        assert_eq!(
            ps.create("c".into(), "王芳", "E-001", t0()).map(|_| ()),
            Err(ProfileError::EmployeeIdTaken("E-001".into()))
        );
        assert_eq!(
            ps.create("c".into(), "   ", "", t0()).map(|_| ()),
            Err(ProfileError::EmptyName)
        );
        assert_eq!(ps.get("a").unwrap().initials(), "王芳");
        assert_eq!(ps.get("b").unwrap().initials(), "LM");
        assert_eq!(ps.search("ming").len(), 1);
        ps.set_archived("b", true);
        assert_eq!(ps.active().len(), 1);
        ps.rename("a", "王芳芳", "E-001").unwrap();
        assert_eq!(ps.name_of("a"), "王芳芳");
        // The same person twice: b's records become a's.
        assert!(ps.merge_into("b", "a"));
        assert!(ps.get("b").is_none());
        assert_eq!(ps.owner("b").map(|p| p.id.as_str()), Some("a"));
        assert!(!ps.merge_into("a", "a"));
    }

    #[test]
    fn creating_and_renaming_a_trainee_cleans_the_name_like_an_import_does() {
        let mut ps = Profiles::default();
        let p = ps
            .create("a".into(), " \u{202E}王芳\u{200B} ", " E-1\u{0000} ", t0())
            .unwrap();
        assert_eq!((p.name.as_str(), p.employee_id.as_deref()), ("王芳", Some("E-1")));
        assert_eq!(
            ps.create("b".into(), "\u{200B}\u{FEFF}\u{2060}", "", t0()).map(|_| ()),
            Err(ProfileError::EmptyName)
        );
        assert_eq!(
            ps.create("b".into(), &"x".repeat(10 * 1024 * 1024), "", t0())
                .map(|_| ()),
            Err(ProfileError::TooLong)
        );
        assert_eq!(
            ps.create("b".into(), "x", &"9".repeat(33), t0()).map(|_| ()),
            Err(ProfileError::TooLong)
        );
        assert_eq!(ps.rename("a", "\u{2066}\u{2069}", ""), Err(ProfileError::EmptyName));
        ps.rename("a", "王\u{202D}芳芳", "").unwrap();
        assert_eq!(ps.name_of("a"), "王芳芳");
    }
}
