//! The content validator: every error names the file and the item.
//!
//! Checks ids (unique, references resolve), translations (both languages, never empty),
//! citations (well-formed and pointing at text that exists in the manuals), block and
//! question shapes, and computes the coverage report (which manual sections lessons cite).

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::citation::Citation;
use crate::domain::content::{BlockKind, ContentError, Course};
use crate::domain::manual::Library;
use crate::domain::quiz::QuestionKind;
use crate::domain::text::{Lang, Text};

struct Checker<'a> {
    library: &'a Library,
    errors: Vec<ContentError>,
}

impl Checker<'_> {
    fn err(&mut self, file: &str, item: impl Into<String>, message: impl Into<String>) {
        self.errors.push(ContentError { file: file.to_string(), item: item.into(), message: message.into() });
    }

    fn text(&mut self, file: &str, item: &str, field: &str, t: &Text) {
        for lang in t.missing() {
            let which = match lang {
                Lang::Zh => "zh",
                Lang::En => "en",
            };
            let msg = if t.zh.trim().is_empty() && t.en.trim().is_empty() {
                format!("`{field}` is empty")
            } else {
                format!("`{field}` is missing its `{which}` translation")
            };
            self.err(file, item, msg);
        }
    }

    fn cites(&mut self, file: &str, item: &str, cites: &[String]) -> Vec<Citation> {
        if cites.is_empty() {
            self.err(file, item, "has no citation: every rule must cite a manual section (`cite = [\"m1 §3.1\"]`)");
        }
        let mut out = Vec::new();
        for raw in cites {
            match Citation::parse(raw) {
                Ok(c) => match self.library.resolve(&c) {
                    Ok(_) => out.push(c),
                    Err(why) => self.err(file, item, format!("citation `{raw}` does not resolve: {why}")),
                },
                Err(e) => self.err(file, item, e.to_string()),
            }
        }
        out
    }

    fn unique<'b>(&mut self, file: &str, what: &str, ids: impl IntoIterator<Item = &'b str>) {
        let mut seen = BTreeSet::new();
        for id in ids {
            if id.trim().is_empty() {
                self.err(file, format!("{what} ``"), "id is empty");
            } else if !seen.insert(id) {
                self.err(file, format!("{what} `{id}`"), "duplicate id");
            }
        }
    }
}

/// Which lessons cite which manual sections.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coverage {
    /// Per manual number: (section key, title, cited by a lesson?).
    pub manuals: BTreeMap<u8, Vec<(String, String, bool)>>,
}

impl Coverage {
    /// (cited, total) for one manual.
    pub fn counts(&self, manual: u8) -> (usize, usize) {
        let rows = self.manuals.get(&manual).map(Vec::as_slice).unwrap_or(&[]);
        (rows.iter().filter(|r| r.2).count(), rows.len())
    }

    /// Printable report, one line per manual, and the sections not yet cited.
    pub fn report(&self) -> String {
        let mut out = String::from("content coverage (### sections with body text cited by at least one lesson):\n");
        let (mut all_cited, mut all_total) = (0, 0);
        for (m, rows) in &self.manuals {
            let (cited, total) = self.counts(*m);
            all_cited += cited;
            all_total += total;
            let pct = if total == 0 { 100.0 } else { cited as f64 * 100.0 / total as f64 };
            out.push_str(&format!("  m{m}: {cited}/{total} sections ({pct:.0}%)\n"));
            let missing: Vec<_> = rows.iter().filter(|r| !r.2).map(|r| format!("§{}", r.0)).collect();
            if !missing.is_empty() {
                out.push_str(&format!("      not yet taught: {}\n", missing.join(", ")));
            }
        }
        out.push_str(&format!("  all: {all_cited}/{all_total} sections\n"));
        out
    }
}

/// Validates a loaded course against the manuals. Returns every error found.
pub fn validate(course: &Course, library: &Library) -> Vec<ContentError> {
    let mut c = Checker { library, errors: Vec::new() };
    let cf = "course.toml";
    c.text(cf, "", "title", &course.file.title);
    if course.file.content_version.trim().is_empty() {
        c.err(cf, "content_version", "is empty");
    }
    c.unique(cf, "track", course.file.tracks.iter().map(|t| t.id.as_str()));
    let module_ids: BTreeSet<&str> = course.modules.iter().map(|m| m.id.as_str()).collect();
    let mut listed = BTreeSet::new();
    for t in &course.file.tracks {
        let item = format!("track `{}`", t.id);
        c.text(cf, &item, "title", &t.title);
        c.text(cf, &item, "summary", &t.summary);
        if t.modules.is_empty() {
            c.err(cf, &item, "lists no modules");
        }
        for m in &t.modules {
            if !module_ids.contains(m.as_str()) {
                c.err(cf, &item, format!("unknown module `{m}` (no modules/{m}.toml with that id)"));
            }
            listed.insert(m.as_str());
        }
    }

    // Rubrics.
    let rubric = course.default_rubric();
    if rubric.is_none() {
        c.err(cf, "default_rubric", format!("unknown rubric `{}`", course.file.default_rubric));
    }
    c.unique("rubrics/", "rubric", course.rubrics.iter().map(|r| r.id.as_str()));
    for r in &course.rubrics {
        let f = r.origin.as_str();
        c.text(f, "", "title", &r.title);
        c.text(f, "", "note", &r.note);
        c.cites(f, "", &r.cite);
        c.unique(f, "criterion", r.criteria.iter().map(|k| k.id.as_str()));
        if r.criteria.is_empty() {
            c.err(f, "", "has no criteria");
        }
        for k in &r.criteria {
            let item = format!("criterion `{}`", k.id);
            c.text(f, &item, "name", &k.name);
            c.cites(f, &item, &k.cite);
            if !(k.weight > 0.0 && k.weight.is_finite()) {
                c.err(f, &item, format!("weight {} must be a positive number", k.weight));
            }
        }
    }
    let criteria: BTreeSet<&str> = rubric.map(|r| r.criteria.iter().map(|k| k.id.as_str()).collect()).unwrap_or_default();

    // Modules and lessons.
    c.unique("modules/", "module", course.modules.iter().map(|m| m.id.as_str()));
    for m in &course.modules {
        let f = m.origin.as_str();
        let expected = format!("modules/{}.toml", m.id);
        if f != expected {
            c.err(f, format!("module `{}`", m.id), format!("the file must be named {expected}"));
        }
        if !listed.contains(m.id.as_str()) {
            c.err(f, format!("module `{}`", m.id), "is not listed in any track of course.toml");
        }
        c.text(f, "", "title", &m.title);
        c.text(f, "", "summary", &m.summary);
        if m.lessons.is_empty() {
            c.err(f, "", "has no lessons");
        }
        c.unique(f, "lesson", m.lessons.iter().map(|l| l.id.as_str()));
        for l in &m.lessons {
            let li = format!("lesson `{}`", l.id);
            c.text(f, &li, "title", &l.title);
            c.text(f, &li, "intro", &l.intro);
            if l.blocks.is_empty() {
                c.err(f, &li, "has no blocks");
            }
            for (bi, b) in l.blocks.iter().enumerate() {
                let bitem = format!("{li} block {}", bi + 1);
                if let Some(h) = &b.heading {
                    c.text(f, &bitem, "heading", h);
                }
                if b.items.is_empty() {
                    c.err(f, &bitem, "has no items");
                }
                if b.kind == BlockKind::Differ && b.items.len() < 2 {
                    c.err(f, &bitem, "a `differ` block shows at least two manuals' values");
                }
                let mut differ_manuals = BTreeSet::new();
                for (ii, it) in b.items.iter().enumerate() {
                    let item = format!("{bitem} item {}", ii + 1);
                    c.text(f, &item, "text", &it.text);
                    let cites = c.cites(f, &item, &it.cite);
                    differ_manuals.extend(cites.iter().map(|k| (k.manual, k.section.clone())));
                    match (b.kind, &it.value) {
                        (BlockKind::Numbers, None) => c.err(f, &item, "a `numbers` item needs a `value`"),
                        (BlockKind::Numbers, Some(v)) => c.text(f, &item, "value", v),
                        (_, Some(_)) => c.err(f, &item, "`value` is only for `numbers` blocks"),
                        (_, None) => {}
                    }
                    match (b.kind, it.tone) {
                        (BlockKind::DoDont, None) => c.err(f, &item, "a `do_dont` item needs `tone = \"do\"` or `\"dont\"`"),
                        (BlockKind::DoDont, Some(_)) | (_, None) => {}
                        (_, Some(_)) => c.err(f, &item, "`tone` is only for `do_dont` blocks"),
                    }
                }
                if b.kind == BlockKind::Differ && b.items.len() >= 2 && differ_manuals.len() < 2 {
                    c.err(f, &bitem, "a `differ` block must cite at least two different sections");
                }
            }
        }
    }

    // Quizzes and questions.
    c.unique("quizzes/", "quiz", course.quizzes.iter().map(|q| q.id.as_str()));
    let mut question_ids = BTreeSet::new();
    for qz in &course.quizzes {
        let f = qz.origin.as_str();
        c.text(f, "", "title", &qz.title);
        if !module_ids.contains(qz.module.as_str()) {
            c.err(f, "module", format!("unknown module `{}`", qz.module));
        }
        if !(0.0..=100.0).contains(&qz.pass_mark) {
            c.err(f, "pass_mark", format!("{} is not a percent between 0 and 100", qz.pass_mark));
        }
        if qz.questions.is_empty() {
            c.err(f, "", "has no questions");
        }
        for q in &qz.questions {
            let item = format!("question `{}`", q.id);
            if !question_ids.insert(q.id.as_str()) {
                c.err(f, &item, "duplicate id (question ids are unique across all quizzes)");
            }
            c.text(f, &item, "prompt", &q.prompt);
            c.text(f, &item, "explanation", &q.explanation);
            c.cites(f, &item, &q.cite);
            if q.criteria.is_empty() {
                c.err(f, &item, "assesses no rubric criterion (`criteria = [\"process\"]`)");
            }
            for k in &q.criteria {
                if !criteria.contains(k.as_str()) {
                    c.err(f, &item, format!("unknown rubric criterion `{k}`"));
                }
            }
            if !(1..=3).contains(&q.difficulty) {
                c.err(f, &item, format!("difficulty {} must be 1, 2 or 3", q.difficulty));
            }
            c.unique(f, &format!("{item} option"), q.options.iter().map(|o| o.id.as_str()));
            for o in &q.options {
                c.text(f, &format!("{item} option `{}`", o.id), "text", &o.text);
            }
            let ids = q.option_ids();
            for a in &q.answer {
                if !ids.contains(&a.as_str()) {
                    c.err(f, &item, format!("answer `{a}` is not one of its options"));
                }
            }
            match q.kind {
                QuestionKind::TrueFalse => {
                    if !q.options.is_empty() {
                        c.err(f, &item, "a true_false question has no `options`");
                    }
                    if q.answer.len() != 1 {
                        c.err(f, &item, "a true_false question has one answer, `true` or `false`");
                    }
                }
                QuestionKind::Single | QuestionKind::Multiple => {
                    if q.options.len() < 2 {
                        c.err(f, &item, "needs at least two options");
                    }
                    if q.kind == QuestionKind::Single && q.answer.len() != 1 {
                        c.err(f, &item, "a single-choice question has exactly one answer");
                    }
                    if q.kind == QuestionKind::Multiple && q.answer.is_empty() {
                        c.err(f, &item, "a multiple-choice question needs at least one answer");
                    }
                }
            }
        }
    }
    c.errors
}

/// Every citation of every lesson item, parsed (unparseable ones are skipped: `validate` reports them).
pub fn lesson_citations(course: &Course) -> Vec<Citation> {
    course
        .modules
        .iter()
        .flat_map(|m| &m.lessons)
        .flat_map(|l| &l.blocks)
        .flat_map(|b| &b.items)
        .flat_map(|i| &i.cite)
        .filter_map(|raw| Citation::parse(raw).ok())
        .collect()
}

/// Which `###` sections with body text are cited by at least one lesson.
pub fn coverage(course: &Course, library: &Library) -> Coverage {
    let cites = lesson_citations(course);
    let mut cov = Coverage::default();
    for m in &library.manuals {
        let rows = m
            .coverage_sections()
            .into_iter()
            .map(|s| (s.key.clone(), s.title.clone(), Library::covers(&cites, m.number, &s.key)))
            .collect();
        cov.manuals.insert(m.number, rows);
    }
    cov
}
