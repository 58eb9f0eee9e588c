//! Citation keys into the five manuals: `m1 §3.4`, `m1 §3.4 (5)`, `m1 §6.3 ¶1.1`, `m5 §四(二)`.

use std::fmt;

/// A parsed citation key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Citation {
    /// Manual number, 1 to 5.
    pub manual: u8,
    /// Section key as printed after `§`: `3.4`, `8.1.1`, `7`, `四`, `四(二)`.
    pub section: String,
    /// Optional list item number, written ` (5)` after the section.
    pub item: Option<u32>,
    /// Optional bold sub-label inside a section, written ` ¶1.1`.
    pub label: Option<String>,
}

/// Why a citation string could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitationError {
    pub input: String,
    pub reason: &'static str,
}

impl fmt::Display for CitationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "citation `{}`: {} (expected e.g. `m1 §3.4`, `m4 §7.3 (4)`, `m1 §6.3 ¶1.1`, `m5 §四(二)`)",
            self.input, self.reason
        )
    }
}

const CN_NUMERALS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

fn is_arabic_section(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

fn is_chinese_section(s: &str) -> bool {
    let (part, rest) = match s.find('(') {
        Some(i) => (&s[..i], Some(&s[i..])),
        None => (s, None),
    };
    let numeral = |t: &str| !t.is_empty() && t.chars().all(|c| CN_NUMERALS.contains(&c));
    if !numeral(part) {
        return false;
    }
    match rest {
        None => true,
        Some(r) => r.len() > 2 && r.ends_with(')') && numeral(&r[1..r.len() - 1]),
    }
}

impl Citation {
    /// Parses a citation key. Full-width brackets `（）` are accepted in m5 keys.
    pub fn parse(input: &str) -> Result<Citation, CitationError> {
        let err = |reason| CitationError {
            input: input.to_string(),
            reason,
        };
        let s = input.trim().replace('（', "(").replace('）', ")");
        let rest = s
            .strip_prefix('m')
            .ok_or_else(|| err("must start with `m` and the manual number"))?;
        let mut chars = rest.chars();
        let manual = chars
            .next()
            .and_then(|c| c.to_digit(10))
            .filter(|d| (1..=5).contains(d))
            .ok_or_else(|| err("manual number must be 1 to 5"))? as u8;
        let rest = chars.as_str();
        let rest = rest
            .strip_prefix(" §")
            .ok_or_else(|| err("the manual number must be followed by ` §`"))?;
        let (rest, label) = match rest.split_once(" ¶") {
            Some((a, b)) => {
                if !is_arabic_section(b) {
                    return Err(err("a `¶` label must be numbers like `1.1`"));
                }
                (a, Some(b.to_string()))
            }
            None => (rest, None),
        };
        let (section, item) = match rest.split_once(" (") {
            Some((a, b)) => {
                let n = b
                    .strip_suffix(')')
                    .and_then(|n| n.parse::<u32>().ok())
                    .ok_or_else(|| err("a list item must be a number in brackets, like ` (4)`"))?;
                (a, Some(n))
            }
            None => (rest, None),
        };
        let ok = if manual == 5 {
            is_chinese_section(section)
        } else {
            is_arabic_section(section)
        };
        if !ok {
            return Err(err(if manual == 5 {
                "m5 sections are Chinese numerals like `四` or `四(二)`"
            } else {
                "m1–m4 sections are numbers like `3.4` or `8.1.1`"
            }));
        }
        Ok(Citation {
            manual,
            section: section.to_string(),
            item,
            label,
        })
    }

    /// The key of the manual section this citation points into (without item or label).
    pub fn section_key(&self) -> String {
        format!("m{} §{}", self.manual, self.section)
    }
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m{} §{}", self.manual, self.section)?;
        if let Some(item) = self.item {
            write!(f, " ({item})")?;
        }
        if let Some(label) = &self.label {
            write!(f, " ¶{label}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_form_parses_and_prints_back() {
        for key in [
            "m1 §8.1.1",
            "m3 §7.2",
            "m4 §7",
            "m4 §7.3 (4)",
            "m1 §6.3 ¶1.1",
            "m5 §一",
            "m5 §四(二)",
            "m5 §三(三) (2)",
        ] {
            let c = Citation::parse(key).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(c.to_string(), key);
        }
    }

    #[test]
    fn full_width_brackets_are_accepted_for_m5() {
        assert_eq!(Citation::parse("m5 §四（二）").unwrap().section, "四(二)");
    }

    #[test]
    fn malformed_keys_are_rejected_with_a_reason() {
        for bad in [
            "m6 §1.1",
            "M1 §1.1",
            "m1 1.1",
            "m1 §",
            "m1 §1..2",
            "m5 §4.1",
            "m1 §一",
            "m1 §3.4 (x)",
            "m1 §6.3 ¶a",
        ] {
            assert!(Citation::parse(bad).is_err(), "{bad} should not parse");
        }
    }
}
