//! The source manuals: parsed from their Markdown into sections keyed by citation key,
//! so a citation can be checked and its original passage shown.

use crate::domain::citation::Citation;

/// One line of a section's body, as printed in the manual.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Passage {
    /// A paragraph. May contain `**bold**` runs.
    Para(String),
    /// A list item with its marker (`3.` or `•`).
    Item { marker: String, text: String },
}

/// A heading of the manual and the text directly under it (not its sub-sections').
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Citation key without the manual: `3.4`, `8.1.1`, `7`, `四`, `四(二)`.
    pub key: String,
    /// Heading level: 2 chapter / part, 3 section, 4 sub-section.
    pub level: u8,
    /// The heading text without its number.
    pub title: String,
    pub body: Vec<Passage>,
}

impl Section {
    pub fn has_body(&self) -> bool {
        !self.body.is_empty()
    }

    /// True when the body has a numbered list item `n.`.
    pub fn has_item(&self, n: u32) -> bool {
        let marker = format!("{n}.");
        self.body
            .iter()
            .any(|p| matches!(p, Passage::Item { marker: m, .. } if *m == marker))
    }

    /// True when the body has a sub-label such as `**1.1 …**` or a paragraph opening with `1.1`.
    pub fn has_label(&self, label: &str) -> bool {
        self.body.iter().any(|p| match p {
            Passage::Para(t) => {
                let t = t.trim_start_matches("**");
                t.strip_prefix(label)
                    .is_some_and(|rest| rest.starts_with([' ', '　']) || rest.is_empty())
            }
            Passage::Item { .. } => false,
        })
    }
}

/// A whole manual.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manual {
    /// 1 to 5.
    pub number: u8,
    pub title: String,
    pub sections: Vec<Section>,
}

/// Why a citation does not point at text in the manuals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unresolved {
    NoManual,
    NoSection,
    NoItem(u32),
    NoLabel(String),
}

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unresolved::NoManual => write!(f, "that manual is not in content/manuals"),
            Unresolved::NoSection => write!(f, "the manual has no such section"),
            Unresolved::NoItem(n) => write!(f, "the section has no list item ({n})"),
            Unresolved::NoLabel(l) => write!(f, "the section has no sub-label {l}"),
        }
    }
}

fn chapter_number(heading: &str) -> Option<String> {
    // `第3章 …`; the cleaned manuals use Arabic numerals, but accept `第三章` and `第VIII章` too.
    let inner = heading.strip_prefix('第')?.split('章').next()?;
    if inner.chars().all(|c| c.is_ascii_digit()) && !inner.is_empty() {
        return Some(inner.to_string());
    }
    if let Some(n) = roman(inner) {
        return Some(n.to_string());
    }
    chinese_number(inner).map(|n| n.to_string())
}

fn roman(s: &str) -> Option<u32> {
    let value = |c| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        _ => None,
    };
    let digits: Option<Vec<u32>> = s.chars().map(value).collect();
    let digits = digits.filter(|d| !d.is_empty())?;
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|next| next > d) {
            total -= *d as i64;
        } else {
            total += *d as i64;
        }
    }
    u32::try_from(total).ok()
}

fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c| "一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// Splits `3.4 客户拜访` into (`3.4`, `客户拜访`) when the first word is a dotted number.
fn numbered(heading: &str) -> Option<(String, String)> {
    let (num, title) = heading.split_once(' ')?;
    let ok = num
        .split('.')
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    ok.then(|| (num.to_string(), title.trim().to_string()))
}

impl Manual {
    /// Parses a cleaned manual. `number` is the manual's number (the `manual-id: mN` line is
    /// checked when present). Everything before the first `## ` heading (title, metadata,
    /// table of contents) is not body text.
    pub fn parse(number: u8, markdown: &str) -> Result<Manual, String> {
        let mut title = String::new();
        let mut sections: Vec<Section> = Vec::new();
        let mut part = String::new();
        let mut in_body = false;
        for raw in markdown.lines() {
            let line = raw.trim_end();
            if let Some(t) = line.strip_prefix("# ") {
                title = t.trim().to_string();
                continue;
            }
            if let Some(id) = line.strip_prefix("manual-id: ") {
                if id.trim() != format!("m{number}") {
                    return Err(format!("manual-id is `{}`, expected `m{number}`", id.trim()));
                }
                continue;
            }
            let (level, heading) = if let Some(h) = line.strip_prefix("#### ") {
                (4, h)
            } else if let Some(h) = line.strip_prefix("### ") {
                (3, h)
            } else if let Some(h) = line.strip_prefix("## ") {
                (2, h)
            } else {
                (0, "")
            };
            if level > 0 {
                in_body = true;
                let heading = heading.trim();
                let (key, title) = if number == 5 {
                    match level {
                        2 => {
                            let (num, t) = heading
                                .split_once('、')
                                .ok_or_else(|| format!("m5 part heading without `、`: {heading}"))?;
                            part = num.to_string();
                            (num.to_string(), t.to_string())
                        }
                        _ => {
                            let h = heading.replace('（', "(").replace('）', ")");
                            let close = h
                                .find(')')
                                .ok_or_else(|| format!("m5 section heading without `(…)`: {heading}"))?;
                            (format!("{part}{}", &h[..=close]), h[close + 1..].trim().to_string())
                        }
                    }
                } else if level == 2 {
                    let (head, t) = heading.split_once(' ').unwrap_or((heading, ""));
                    let n = chapter_number(head).ok_or_else(|| format!("chapter heading not `第N章`: {heading}"))?;
                    (n, t.trim_start_matches([':', ':']).trim().to_string())
                } else {
                    numbered(heading).ok_or_else(|| format!("section heading without a number: {heading}"))?
                };
                if sections.iter().any(|s| s.key == key) {
                    return Err(format!("section {key} appears twice"));
                }
                sections.push(Section {
                    key,
                    level,
                    title,
                    body: Vec::new(),
                });
                continue;
            }
            if !in_body || line.trim().is_empty() {
                continue;
            }
            let Some(section) = sections.last_mut() else { continue };
            let trimmed = line.trim();
            let passage = if let Some(t) = trimmed.strip_prefix("- ") {
                Passage::Item {
                    marker: "•".into(),
                    text: t.to_string(),
                }
            } else if let Some((n, t)) = trimmed
                .split_once(". ")
                .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            {
                Passage::Item {
                    marker: format!("{n}."),
                    text: t.to_string(),
                }
            } else {
                Passage::Para(trimmed.to_string())
            };
            section.body.push(passage);
        }
        if sections.is_empty() {
            return Err("no `## ` headings found".into());
        }
        Ok(Manual {
            number,
            title,
            sections,
        })
    }

    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The section itself and every section nested under it, in order.
    pub fn section_with_children(&self, key: &str) -> Vec<&Section> {
        let m5_child = format!("{key}(");
        let child = format!("{key}.");
        self.sections
            .iter()
            .filter(|s| s.key == key || s.key.starts_with(&child) || (self.number == 5 && s.key.starts_with(&m5_child)))
            .collect()
    }

    /// The `###` sections (level 3) that have body text, directly or in their sub-sections.
    pub fn coverage_sections(&self) -> Vec<&Section> {
        self.sections
            .iter()
            .filter(|s| s.level == 3)
            .filter(|s| self.section_with_children(&s.key).iter().any(|c| c.has_body()))
            .collect()
    }
}

/// The five manuals, loaded once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Library {
    pub manuals: Vec<Manual>,
}

impl Library {
    pub fn manual(&self, number: u8) -> Option<&Manual> {
        self.manuals.iter().find(|m| m.number == number)
    }

    /// Checks that a citation points at existing text.
    pub fn resolve(&self, c: &Citation) -> Result<&Section, Unresolved> {
        let manual = self.manual(c.manual).ok_or(Unresolved::NoManual)?;
        let section = manual.section(&c.section).ok_or(Unresolved::NoSection)?;
        if let Some(n) = c.item {
            let found = manual.section_with_children(&c.section).iter().any(|s| s.has_item(n));
            if !found {
                return Err(Unresolved::NoItem(n));
            }
        }
        if let Some(l) = &c.label
            && !section.has_label(l)
        {
            return Err(Unresolved::NoLabel(l.clone()));
        }
        Ok(section)
    }

    /// True when the `###` section `key` of manual `m` is cited by one of `cites`
    /// (directly, or through one of its sub-sections).
    pub fn covers(cites: &[Citation], m: u8, key: &str) -> bool {
        cites.iter().any(|c| {
            c.manual == m
                && (c.section == key
                    || c.section.starts_with(&format!("{key}."))
                    || (m == 5 && c.section.starts_with(&format!("{key}("))))
        })
    }
}

/// Splits text with `**bold**` runs into (is_bold, text) pieces, for display.
pub fn bold_runs(text: &str) -> Vec<(bool, &str)> {
    text.split("**")
        .enumerate()
        .filter(|(_, s)| !s.is_empty())
        .map(|(i, s)| (i % 2 == 1, s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# 手册\n\nmanual-id: m1\n\n**目录**\n\n- 第一章 概述\n\n## 第1章 概述\n\n### 1.1 原则\n\n开头一段。\n\n1. **甲** 第一条\n2. 第二条\n\n### 1.2 流程\n\n#### 1.2.1 准备\n\n- 要点\n\n**1.1 小标题**\n\n正文\n\n## 第VIII章 考核\n";

    #[test]
    fn headings_become_sections_keyed_by_their_numbers() {
        let m = Manual::parse(1, SAMPLE).unwrap();
        let keys: Vec<_> = m.sections.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["1", "1.1", "1.2", "1.2.1", "8"]);
        assert_eq!(m.title, "手册");
        assert!(m.section("1.1").unwrap().has_item(2));
        assert!(!m.section("1.1").unwrap().has_item(3));
        assert!(m.section("1.2.1").unwrap().has_label("1.1"));
    }

    #[test]
    fn coverage_counts_level_three_sections_with_text_in_them_or_below() {
        let m = Manual::parse(1, SAMPLE).unwrap();
        let keys: Vec<_> = m.coverage_sections().iter().map(|s| s.key.clone()).collect();
        assert_eq!(keys, ["1.1", "1.2"]);
    }

    #[test]
    fn m5_sections_are_keyed_by_part_and_bracketed_numeral() {
        let m = Manual::parse(
            5,
            "# 规范\n\n## 一、理念\n\n正文\n\n## 三、沟通\n\n### (三)渠道\n\n- 电话\n",
        )
        .unwrap();
        assert!(m.section("三(三)").is_some());
        assert_eq!(m.section_with_children("三").len(), 2);
    }

    #[test]
    fn a_wrong_manual_id_is_an_error() {
        assert!(Manual::parse(2, SAMPLE).unwrap_err().contains("manual-id"));
    }

    #[test]
    fn bold_runs_split_on_double_stars() {
        assert_eq!(
            bold_runs("1. **甲** 第一条"),
            vec![(false, "1. "), (true, "甲"), (false, " 第一条")]
        );
    }

    #[test]
    fn chinese_and_roman_chapter_numbers_are_read() {
        assert_eq!(chapter_number("第十二章"), Some("12".into()));
        assert_eq!(chapter_number("第VIII章"), Some("8".into()));
        assert_eq!(chapter_number("第4章"), Some("4".into()));
    }
}
