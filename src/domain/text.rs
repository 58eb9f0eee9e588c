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

#[cfg(test)]
mod tests {
    use super::*;

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
}
