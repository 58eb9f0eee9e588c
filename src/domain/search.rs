//! Search across lessons: titles, intros and every item, in both languages.

use crate::domain::content::Module;
use crate::domain::text::{Lang, Text};

/// One lesson's searchable text.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub module: String,
    pub lesson: String,
    pub title: Text,
    pub module_title: Text,
    /// Intro, headings and items, one per line, per language.
    pub body: Text,
}

/// Builds the entries of the given modules, in order.
pub fn entries<'a>(modules: impl IntoIterator<Item = &'a Module>) -> Vec<Entry> {
    let mut out = Vec::new();
    for m in modules {
        for l in &m.lessons {
            let mut zh = vec![l.intro.zh.clone()];
            let mut en = vec![l.intro.en.clone()];
            for b in &l.blocks {
                if let Some(h) = &b.heading {
                    zh.push(h.zh.clone());
                    en.push(h.en.clone());
                }
                for it in &b.items {
                    let (vz, ve) = it
                        .value
                        .as_ref()
                        .map(|v| (format!("{} ", v.zh), format!("{} ", v.en)))
                        .unwrap_or_default();
                    zh.push(format!("{vz}{}", it.text.zh));
                    en.push(format!("{ve}{}", it.text.en));
                }
            }
            out.push(Entry {
                module: m.id.clone(),
                lesson: l.id.clone(),
                title: l.title.clone(),
                module_title: m.title.clone(),
                body: Text {
                    zh: zh.join("\n"),
                    en: en.join("\n"),
                },
            });
        }
    }
    out
}

/// A lesson that matches, with a line of its text to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub module: String,
    pub lesson: String,
    pub title: String,
    pub module_title: String,
    /// The first matching line, in the reader's language when it matches there.
    pub snippet: String,
    /// True when the title itself matches (ranked first).
    pub in_title: bool,
}

fn terms(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(str::to_lowercase)
        .filter(|t| !t.is_empty())
        .collect()
}

fn has_all(haystack: &str, terms: &[String]) -> bool {
    let h = haystack.to_lowercase();
    terms.iter().all(|t| h.contains(t.as_str()))
}

/// Lessons whose title or text contains every term of `query` (case-insensitive), in
/// either language. Title matches come first; otherwise the order of `entries` is kept.
pub fn find(entries: &[Entry], query: &str, lang: Lang) -> Vec<Hit> {
    let terms = terms(query);
    if terms.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = entries
        .iter()
        .filter_map(|e| {
            let all = format!("{}\n{}\n{}\n{}", e.title.zh, e.title.en, e.body.zh, e.body.en);
            if !has_all(&all, &terms) {
                return None;
            }
            let in_title = has_all(&format!("{} {}", e.title.zh, e.title.en), &terms);
            let first = &terms[0];
            let line_of = |t: &str| {
                t.lines()
                    .find(|l| l.to_lowercase().contains(first.as_str()))
                    .map(str::to_string)
            };
            let snippet = line_of(e.body.get(lang))
                .or_else(|| line_of(e.body.get(lang.other())))
                .unwrap_or_else(|| e.body.get(lang).lines().next().unwrap_or("").to_string());
            Some(Hit {
                module: e.module.clone(),
                lesson: e.lesson.clone(),
                title: e.title.get(lang).to_string(),
                module_title: e.module_title.get(lang).to_string(),
                snippet,
                in_title,
            })
        })
        .collect();
    hits.sort_by_key(|h| !h.in_title);
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::content::{Block, BlockKind, Item, Lesson};

    fn module() -> Module {
        let item = |zh: &str, en: &str| Item {
            text: Text::new(zh, en),
            cite: vec!["m5 §三(三)".into()],
            value: None,
            tone: None,
        };
        let lesson = |id: &str, zh: &str, en: &str, items: Vec<Item>| Lesson {
            id: id.into(),
            title: Text::new(zh, en),
            intro: Text::new("介绍", "Intro"),
            blocks: vec![Block {
                kind: BlockKind::Points,
                heading: None,
                items,
            }],
        };
        Module {
            origin: String::new(),
            format_version: 1,
            id: "m".into(),
            title: Text::new("沟通", "Communication"),
            summary: Text::new("s", "s"),
            lessons: vec![
                lesson(
                    "email",
                    "邮件",
                    "Email",
                    vec![item("使用企业统一邮箱。", "Use the company mailbox.")],
                ),
                lesson(
                    "phone",
                    "电话礼仪",
                    "Phone etiquette",
                    vec![item("需在3声铃响内接听。", "Answer within 3 rings.")],
                ),
            ],
        }
    }

    #[test]
    fn finds_text_in_either_language_and_shows_the_readers_language() {
        let m = module();
        let e = entries([&m]);
        let hits = find(&e, "rings", Lang::Zh);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].lesson, "phone");
        assert_eq!(hits[0].title, "电话礼仪");
        assert_eq!(
            hits[0].snippet, "Answer within 3 rings.",
            "the English line matched, so it is shown"
        );
        // No English line has 铃响, so the Chinese line is shown to an English reader.
        assert_eq!(find(&e, "铃响", Lang::En)[0].snippet, "需在3声铃响内接听。");
    }

    #[test]
    fn every_term_must_match_and_case_does_not_matter() {
        let e = entries([&module()]);
        assert_eq!(find(&e, "COMPANY mailbox", Lang::En).len(), 1);
        assert!(find(&e, "company rings", Lang::En).is_empty());
        assert!(find(&e, "   ", Lang::En).is_empty());
    }

    #[test]
    fn title_matches_rank_first() {
        let e = entries([&module()]);
        let hits = find(&e, "e", Lang::En);
        assert!(hits[0].in_title);
        assert_eq!(hits.len(), 2);
        let hits = find(&e, "phone", Lang::En);
        assert_eq!(hits[0].lesson, "phone");
    }
}
