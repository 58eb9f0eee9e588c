//! Bilingual text and the two languages the course is taught in.

use serde::{Deserialize, Serialize};

/// A language the course and the interface are available in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Simplified Chinese, the manuals' own language and the default.
    #[default]
    #[serde(rename = "zh-Hans")]
    Zh,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The BCP 47 tag, as used in `<html lang>` and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }

    /// Reads a stored tag; anything unknown is `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag {
            "zh-Hans" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language to start in, given the browser's preferred languages in order:
    /// the first that is English or Chinese wins; zh-Hans when none is.
    pub fn from_browser_preferences<'a>(prefs: impl IntoIterator<Item = &'a str>) -> Lang {
        for tag in prefs {
            let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
            match primary.as_str() {
                "en" => return Lang::En,
                "zh" => return Lang::Zh,
                _ => {}
            }
        }
        Lang::Zh
    }

    /// The other language (the switch offers it).
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// A piece of text in both languages. Authored in content as `{ zh = "…", en = "…" }`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Which languages are missing (empty or only white space).
    pub fn missing(&self) -> Vec<Lang> {
        let mut out = Vec::new();
        if self.zh.trim().is_empty() {
            out.push(Lang::Zh);
        }
        if self.en.trim().is_empty() {
            out.push(Lang::En);
        }
        out
    }

    /// True when either language contains `needle` (case-insensitive for English).
    pub fn contains(&self, needle: &str) -> bool {
        let n = needle.trim().to_lowercase();
        !n.is_empty() && (self.zh.to_lowercase().contains(&n) || self.en.to_lowercase().contains(&n))
    }
}

// ---- User text: names, employee ids, notes ----------------------------------------------

/// A trainee name holds at most this many characters (after cleaning).
pub const MAX_NAME_CHARS: usize = 60;
/// An employee id holds at most this many characters (after cleaning).
pub const MAX_EMPLOYEE_ID_CHARS: usize = 32;
/// A free note holds at most this many characters (before control characters are escaped).
pub const MAX_NOTE_CHARS: usize = 2000;
/// A name or employee id longer than this many bytes is refused before it is looked at, so a
/// 10 MB name costs nothing (60 characters of 4 bytes each, plus room for spaces).
pub const MAX_SHORT_TEXT_BYTES: usize = 1024;

/// Why a piece of user text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextError {
    /// Nothing visible remains once spaces, control, bidi and zero-width characters are gone.
    Empty,
    /// Longer than `max` characters.
    TooLong { max: usize },
}

impl std::fmt::Display for TextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TextError::Empty => write!(f, "nothing visible"),
            TextError::TooLong { max } => write!(f, "longer than {max} characters"),
        }
    }
}

/// Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) and
/// the invisible direction marks (U+200E, U+200F, U+061C): they can make text display in
/// another order than it is stored ("Trojan Source", CVE-2021-42574).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that take no room and show nothing: zero-width space, non-joiner and joiner,
/// word joiner, byte-order mark / zero-width no-break space, soft hyphen.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// A one-line text: control, bidi and zero-width characters removed, runs of white space
/// made one space, trimmed; refused when empty or longer than `max` characters.
fn clean_line(raw: &str, max: usize) -> Result<String, TextError> {
    if raw.len() > MAX_SHORT_TEXT_BYTES {
        return Err(TextError::TooLong { max });
    }
    let kept: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| !is_bidi_control(*c) && !is_invisible(*c))
        .collect();
    let out = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.is_empty() {
        return Err(TextError::Empty);
    }
    if out.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    Ok(out)
}

/// A trainee's name as stored: trimmed, inner white space collapsed, control, bidi and
/// zero-width characters removed; at most `MAX_NAME_CHARS`; refused if nothing visible
/// remains. `clean_name(x)` is `Ok(x)` for every name it returns.
pub fn clean_name(raw: &str) -> Result<String, TextError> {
    clean_line(raw, MAX_NAME_CHARS)
}

/// An employee id as stored (cleaned as a name, at most `MAX_EMPLOYEE_ID_CHARS`); `None` when
/// nothing visible was given (the id is optional).
pub fn clean_employee_id(raw: &str) -> Result<Option<String>, TextError> {
    match clean_line(raw, MAX_EMPLOYEE_ID_CHARS) {
        Ok(id) => Ok(Some(id)),
        Err(TextError::Empty) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A free note as shown and stored: trimmed, `\r\n` made `\n`, and every other control or bidi
/// character (tab and newline excepted) shown as `⟨U+202E⟩` rather than silently dropped, so a
/// reader sees that something was there. At most `MAX_NOTE_CHARS` characters as written (the
/// escapes do not count). An empty note is `Ok("")`.
pub fn clean_note(raw: &str) -> Result<String, TextError> {
    // Every character takes at most 4 bytes: more bytes than this is too many characters.
    if raw.len() > MAX_NOTE_CHARS.saturating_mul(4) || raw.chars().count() > MAX_NOTE_CHARS {
        return Err(TextError::TooLong { max: MAX_NOTE_CHARS });
    }
    let raw = raw.replace("\r\n", "\n");
    let mut out = String::with_capacity(raw.len());
    for c in raw.trim().chars() {
        if (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

// ---- Shortened text ---------------------------------------------------------------------

/// Text shortened for a narrow place: what to show, and whether anything was cut (then the
/// full text belongs in a `title` and the place should let it be expanded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clipped {
    pub shown: String,
    pub cut: bool,
}

/// `text` in at most `max` characters plus "…". A cut inside a word (Latin letters or digits
/// on both sides) moves back to the last space, unless that would drop more than half; spaces
/// and punctuation left at the cut are removed before the "…".
pub fn clip(text: &str, max: usize) -> Clipped {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return Clipped {
            shown: text.to_string(),
            cut: false,
        };
    }
    let mut end = max;
    let wordy = |c: char| c.is_ascii_alphanumeric();
    if end > 0
        && wordy(chars[end - 1])
        && wordy(chars[end])
        && let Some(space) = chars[..end].iter().rposition(|c| c.is_whitespace())
        && space >= max / 2
    {
        end = space;
    }
    let shown: String = chars[..end].iter().collect();
    let shown = shown.trim_end_matches(|c: char| c.is_whitespace() || ",.;:，。；：、".contains(c));
    Clipped {
        shown: format!("{shown}…"),
        cut: true,
    }
}

/// A device as a person can tell it apart until devices have names: the first 8 characters of
/// its id (by character, so an imported id of any script never splits a character).
pub fn device_label(id: &str) -> String {
    id.chars().take(8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipped_text_ends_in_an_ellipsis_and_never_mid_word() {
        assert_eq!(
            clip("短句", 10),
            Clipped {
                shown: "短句".into(),
                cut: false
            }
        );
        // Chinese: cut by character, the trailing comma dropped.
        assert_eq!(clip("请在三声之内接听，并主动问候", 9).shown, "请在三声之内接听…");
        // English: "Answer within three rings" cut at 16 would split "three": back to the space.
        let c = clip("Answer within three rings", 16);
        assert_eq!((c.shown.as_str(), c.cut), ("Answer within…", true));
        // One long word: backing up would drop everything, so it is cut inside the word.
        assert_eq!(clip("Supercalifragilistic", 5).shown, "Super…");
    }

    #[test]
    fn a_device_shows_as_the_first_eight_characters_of_its_id() {
        assert_eq!(device_label("3f2a9c1e-77b0-4c2d"), "3f2a9c1e");
        assert_eq!(device_label("设备甲乙丙丁戊己庚辛"), "设备甲乙丙丁戊己");
        assert_eq!(device_label("abc"), "abc");
    }

    #[test]
    fn browser_preferences_pick_the_first_supported_language() {
        assert_eq!(Lang::from_browser_preferences(["fr-FR", "en-GB", "zh-CN"]), Lang::En);
        assert_eq!(Lang::from_browser_preferences(["zh-TW", "en"]), Lang::Zh);
        assert_eq!(Lang::from_browser_preferences(["de", "fr"]), Lang::Zh);
        assert_eq!(Lang::from_browser_preferences([]), Lang::Zh);
    }

    #[test]
    fn missing_translations_are_reported_per_language() {
        assert_eq!(Text::new("好", " ").missing(), vec![Lang::En]);
        assert!(Text::new("好", "good").missing().is_empty());
    }

    #[test]
    fn a_name_is_trimmed_collapsed_and_stripped_of_controls_and_bidi_overrides() {
        assert_eq!(clean_name("  王芳 \t 组长 ").as_deref(), Ok("王芳 组长"));
        assert_eq!(clean_name("Li\u{202E}gnim\u{202C}").as_deref(), Ok("Lignim"));
        assert_eq!(clean_name("a\u{2066}b\u{2069}\u{0007}c").as_deref(), Ok("ab c"));
        assert_eq!(
            clean_name("<img src=x onerror=alert(1)>").as_deref(),
            Ok("<img src=x onerror=alert(1)>")
        );
        // Cleaning is stable: a clean name cleans to itself.
        let once = clean_name(" \u{200B}x\u{FEFF} y ").unwrap();
        assert_eq!(clean_name(&once), Ok(once.clone()));
    }

    #[test]
    fn a_name_of_only_invisible_characters_is_refused() {
        for raw in [
            "",
            "   ",
            "\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}",
            "\u{202E}\u{2066}",
            "\n\t\u{0000}",
        ] {
            assert_eq!(clean_name(raw), Err(TextError::Empty), "{raw:?}");
        }
    }

    #[test]
    fn a_name_longer_than_sixty_characters_is_refused_and_a_ten_megabyte_one_cheaply() {
        assert!(clean_name(&"字".repeat(60)).is_ok());
        assert_eq!(
            clean_name(&"字".repeat(61)),
            Err(TextError::TooLong { max: MAX_NAME_CHARS })
        );
        let huge = "a".repeat(10 * 1024 * 1024);
        let t = std::time::Instant::now();
        assert_eq!(clean_name(&huge), Err(TextError::TooLong { max: MAX_NAME_CHARS }));
        assert!(t.elapsed() < std::time::Duration::from_millis(50));
    }

    #[test]
    fn an_employee_id_is_optional_and_at_most_thirty_two_characters() {
        assert_eq!(clean_employee_id("  "), Ok(None));
        assert_eq!(clean_employee_id(" E-001\u{202E} "), Ok(Some("E-001".into())));
        assert_eq!(
            clean_employee_id(&"9".repeat(33)),
            Err(TextError::TooLong {
                max: MAX_EMPLOYEE_ID_CHARS
            })
        );
    }

    #[test]
    fn a_note_shows_control_and_bidi_characters_escaped_and_keeps_new_lines() {
        assert_eq!(
            clean_note(" ok\r\nthen \u{202E}evil\u{0007} ").as_deref(),
            Ok("ok\nthen ⟨U+202E⟩evil⟨U+0007⟩")
        );
        assert_eq!(clean_note("   ").as_deref(), Ok(""));
        assert!(clean_note(&"x".repeat(MAX_NOTE_CHARS)).is_ok());
        assert_eq!(
            clean_note(&"x".repeat(MAX_NOTE_CHARS + 1)),
            Err(TextError::TooLong { max: MAX_NOTE_CHARS })
        );
        assert!(clean_note(&"x".repeat(10 * 1024 * 1024)).is_err());
    }
}
