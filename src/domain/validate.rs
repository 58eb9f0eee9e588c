//! The content validator: every error names the file and the item.
//!
//! Checks ids (unique, references resolve), translations (both languages, never empty),
//! citations (well-formed and pointing at text that exists in the manuals), block and
//! question shapes, and computes the coverage report (which manual sections lessons cite).

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::citation::Citation;
use crate::domain::content::{BlockKind, ContentError, Course};
use crate::domain::manual::Library;
use crate::domain::quiz::{Question, QuestionKind, Verdict};
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

    // Question banks.
    c.unique("questions/", "bank", course.banks.iter().map(|b| b.module.as_str()));
    let mut question_ids = BTreeSet::new();
    for bank in &course.banks {
        let f = bank.origin.as_str();
        let expected = format!("questions/{}.toml", bank.module);
        if f != expected {
            c.err(f, "module", format!("the file must be named {expected}"));
        }
        if !module_ids.contains(bank.module.as_str()) {
            c.err(f, "module", format!("unknown module `{}`", bank.module));
        }
        for q in &bank.questions {
            let item = format!("question `{}`", q.id);
            if !question_ids.insert(q.id.as_str()) {
                c.err(f, &item, "duplicate id (question ids are unique across all banks)");
            }
            check_question(&mut c, f, &item, q, &criteria);
        }
    }

    // Quizzes.
    c.unique("quizzes/", "quiz", course.quizzes.iter().map(|q| q.id.as_str()));
    for qz in &course.quizzes {
        let f = qz.origin.as_str();
        c.text(f, "", "title", &qz.title);
        if !module_ids.contains(qz.module.as_str()) {
            c.err(f, "module", format!("unknown module `{}`", qz.module));
        }
        if !(0.0..=100.0).contains(&qz.pass_mark) {
            c.err(f, "pass_mark", format!("{} is not a percent between 0 and 100", qz.pass_mark));
        }
        if qz.pools.is_empty() {
            c.err(f, "pools", "a quiz needs at least one pool");
        }
        for (i, p) in qz.pools.iter().enumerate() {
            let item = format!("pool {}", i + 1);
            if let Some(m) = &p.module {
                if !module_ids.contains(m.as_str()) {
                    c.err(f, &item, format!("unknown module `{m}`"));
                }
            }
            if let Some(t) = &p.track {
                if !course.file.tracks.iter().any(|tr| &tr.id == t) {
                    c.err(f, &item, format!("unknown track `{t}`"));
                }
            }
            if let Some(k) = &p.criterion {
                if !criteria.contains(k.as_str()) {
                    c.err(f, &item, format!("unknown rubric criterion `{k}`"));
                }
            }
        }
        let available = course.candidates(qz).len();
        if qz.count == 0 {
            c.err(f, "count", "must be at least 1");
        } else if qz.count > available {
            c.err(f, "count", format!("{} questions asked for, but the pools hold {available}", qz.count));
        }
        if qz.time_limit_minutes == Some(0) {
            c.err(f, "time_limit_minutes", "must be at least 1 (leave it out for no limit)");
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

fn check_question(c: &mut Checker<'_>, f: &str, item: &str, q: &Question, criteria: &BTreeSet<&str>) {
    c.text(f, item, "prompt", &q.prompt);
    c.text(f, item, "explanation", &q.explanation);
    c.cites(f, item, &q.cite);
    if q.criteria.is_empty() {
        c.err(f, item, "assesses no rubric criterion (`criteria = [\"process\"]`)");
    }
    for k in &q.criteria {
        if !criteria.contains(k.as_str()) {
            c.err(f, item, format!("unknown rubric criterion `{k}`"));
        }
    }
    if !(1..=3).contains(&q.difficulty) {
        c.err(f, item, format!("difficulty {} must be 1, 2 or 3", q.difficulty));
    }
    c.unique(f, &format!("{item} option"), q.options.iter().map(|o| o.id.as_str()));
    for o in &q.options {
        let oi = format!("{item} option `{}`", o.id);
        c.text(f, &oi, "text", &o.text);
        if q.kind == QuestionKind::Situational {
            match &o.feedback {
                Some(fb) => c.text(f, &oi, "feedback", fb),
                None => c.err(f, &oi, "a situational option needs `feedback`"),
            }
            if o.verdict.is_none() {
                c.err(f, &oi, "a situational option needs `verdict = \"best\" | \"acceptable\" | \"poor\"`");
            }
            for k in o.scores.keys() {
                if !q.criteria.contains(k) {
                    c.err(f, &oi, format!("scores criterion `{k}`, which the question does not list in `criteria`"));
                }
            }
        } else if o.feedback.is_some() || !o.scores.is_empty() || o.verdict.is_some() {
            c.err(f, &oi, "`feedback`, `scores` and `verdict` are only for situational questions");
        }
    }
    let ids = q.option_ids();
    for a in &q.answer {
        if !ids.contains(&a.as_str()) {
            c.err(f, item, format!("answer `{a}` is not one of its options"));
        }
    }
    let no_options = |c: &mut Checker<'_>, kind: &str| {
        if !q.options.is_empty() {
            c.err(f, item, format!("a {kind} question has no `options`"));
        }
    };
    if q.kind != QuestionKind::Matching && !q.pairs.is_empty() {
        c.err(f, item, "`pairs` are only for matching questions");
    }
    if q.kind != QuestionKind::Numeric && (q.number.is_some() || q.unit.is_some()) {
        c.err(f, item, "`number` and `unit` are only for numeric questions");
    }
    match q.kind {
        QuestionKind::TrueFalse => {
            no_options(c, "true_false");
            if q.answer.len() != 1 {
                c.err(f, item, "a true_false question has one answer, `true` or `false`");
            }
        }
        QuestionKind::Single | QuestionKind::Multiple => {
            if q.options.len() < 2 {
                c.err(f, item, "needs at least two options");
            }
            if q.kind == QuestionKind::Single && q.answer.len() != 1 {
                c.err(f, item, "a single-choice question has exactly one answer");
            }
            if q.kind == QuestionKind::Multiple && q.answer.is_empty() {
                c.err(f, item, "a multiple-choice question needs at least one answer");
            }
        }
        QuestionKind::Ordering => {
            if q.options.len() < 3 {
                c.err(f, item, "an ordering question needs at least three steps");
            }
            let mut a: Vec<&str> = q.answer.iter().map(String::as_str).collect();
            let mut o: Vec<&str> = q.options.iter().map(|o| o.id.as_str()).collect();
            a.sort();
            o.sort();
            if a != o {
                c.err(f, item, "`answer` must list every step id exactly once, in the correct order");
            }
        }
        QuestionKind::Matching => {
            no_options(c, "matching");
            if !q.answer.is_empty() {
                c.err(f, item, "a matching question has no `answer` (its pairs are the answer)");
            }
            if q.pairs.len() < 3 {
                c.err(f, item, "a matching question needs at least three pairs");
            }
            c.unique(f, &format!("{item} pair"), q.pairs.iter().map(|p| p.id.as_str()));
            for p in &q.pairs {
                let pi = format!("{item} pair `{}`", p.id);
                c.text(f, &pi, "left", &p.left);
                c.text(f, &pi, "right", &p.right);
            }
        }
        QuestionKind::Numeric => {
            no_options(c, "numeric");
            if !q.answer.is_empty() {
                c.err(f, item, "a numeric question has `number`, not `answer`");
            }
            match q.number {
                Some(n) if n.is_finite() => {}
                _ => c.err(f, item, "a numeric question needs `number`"),
            }
            if let Some(u) = &q.unit {
                c.text(f, item, "unit", u);
            }
        }
        QuestionKind::Situational => {
            if q.options.len() < 3 {
                c.err(f, item, "a situational question needs at least three responses");
            }
            let best: Vec<&str> = q.options.iter().filter(|o| o.verdict == Some(Verdict::Best)).map(|o| o.id.as_str()).collect();
            let mut answer: Vec<&str> = q.answer.iter().map(String::as_str).collect();
            answer.sort();
            let mut best_sorted = best.clone();
            best_sorted.sort();
            if best.is_empty() {
                c.err(f, item, "a situational question needs a response with `verdict = \"best\"`");
            } else if answer != best_sorted {
                c.err(f, item, "`answer` must list exactly the responses whose verdict is best");
            }
            if !q.options.iter().any(|o| o.verdict == Some(Verdict::Poor)) {
                c.err(f, item, "a situational question needs at least one poor response");
            }
            for k in &q.criteria {
                if q.best_points(k) <= 0 {
                    c.err(f, item, format!("no response earns points on `{k}`: score it or drop it from `criteria`"));
                }
            }
        }
    }
}

/// One of the manuals README's "Notable facts": its number and the section it quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub number: u32,
    pub cite: Citation,
    pub text: String,
}

/// Reads the numbered "Notable facts" list of `content/manuals/README.md`.
pub fn parse_facts(readme: &str) -> Vec<Fact> {
    let Some(part) = readme.split("## Notable facts").nth(1) else { return Vec::new() };
    let part = part.split("\n## ").next().unwrap_or(part);
    part.lines()
        .filter_map(|line| {
            let (num, rest) = line.split_once(". `")?;
            let number = num.trim().parse().ok()?;
            let (cite, text) = rest.split_once("`: ")?;
            Some(Fact { number, cite: Citation::parse(cite).ok()?, text: text.to_string() })
        })
        .collect()
}

/// The question bank measured against issue-level requirements.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BankReport {
    pub total: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
    pub by_manual: BTreeMap<u8, usize>,
    pub by_criterion: BTreeMap<String, usize>,
    /// `###` sections with text that no question cites: (manual, key).
    pub untested_sections: Vec<(u8, String)>,
    /// Fact numbers no question tags.
    pub untested_facts: Vec<u32>,
    /// Questions tagging a fact whose section they do not cite: (question, fact).
    pub fact_mismatches: Vec<(String, u32)>,
    /// Fact numbers that do not exist.
    pub unknown_facts: Vec<(String, u32)>,
}

impl BankReport {
    pub fn situational_share(&self) -> f64 {
        if self.total == 0 { 0.0 } else { *self.by_kind.get("situational").unwrap_or(&0) as f64 / self.total as f64 }
    }

    /// Printable statistics.
    pub fn report(&self) -> String {
        let mut out = format!("question bank: {} questions\n", self.total);
        let join = |m: Vec<String>| m.join(", ");
        out.push_str(&format!("  per manual cited: {}\n", join(self.by_manual.iter().map(|(m, n)| format!("m{m} {n}")).collect())));
        out.push_str(&format!("  per type: {}\n", join(self.by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect())));
        out.push_str(&format!("  per criterion: {}\n", join(self.by_criterion.iter().map(|(k, n)| format!("{k} {n}")).collect())));
        out.push_str(&format!("  situational judgement: {:.0}%\n", self.situational_share() * 100.0));
        let untested: Vec<String> = self.untested_sections.iter().map(|(m, k)| format!("m{m} §{k}")).collect();
        out.push_str(&format!("  sections without a question: {}\n", if untested.is_empty() { "none".into() } else { untested.join(", ") }));
        let facts: Vec<String> = self.untested_facts.iter().map(u32::to_string).collect();
        out.push_str(&format!("  notable facts not tested: {}\n", if facts.is_empty() { "none".into() } else { facts.join(", ") }));
        for (q, n) in &self.fact_mismatches {
            out.push_str(&format!("  question `{q}` tags fact {n} but does not cite its section\n"));
        }
        for (q, n) in &self.unknown_facts {
            out.push_str(&format!("  question `{q}` tags fact {n}, which is not in the list\n"));
        }
        out
    }
}

/// Measures the question bank: counts, untested sections and facts.
pub fn bank_report(course: &Course, library: &Library, facts: &[Fact]) -> BankReport {
    let mut r = BankReport::default();
    let mut cites = Vec::new();
    let mut tagged = BTreeSet::new();
    for (_, q) in course.questions() {
        r.total += 1;
        *r.by_kind.entry(q.kind.as_str()).or_default() += 1;
        for k in &q.criteria {
            *r.by_criterion.entry(k.clone()).or_default() += 1;
        }
        let qc: Vec<Citation> = q.cite.iter().filter_map(|c| Citation::parse(c).ok()).collect();
        let manuals: BTreeSet<u8> = qc.iter().map(|c| c.manual).collect();
        for m in manuals {
            *r.by_manual.entry(m).or_default() += 1;
        }
        for n in &q.facts {
            match facts.iter().find(|f| f.number == *n) {
                None => r.unknown_facts.push((q.id.clone(), *n)),
                Some(fact) => {
                    tagged.insert(*n);
                    let covered = Library::covers(&qc, fact.cite.manual, &fact.cite.section)
                        || qc.iter().any(|c| c.manual == fact.cite.manual && fact.cite.section.starts_with(&c.section));
                    if !covered {
                        r.fact_mismatches.push((q.id.clone(), *n));
                    }
                }
            }
        }
        cites.extend(qc);
    }
    for m in &library.manuals {
        for s in m.coverage_sections() {
            if !Library::covers(&cites, m.number, &s.key) {
                r.untested_sections.push((m.number, s.key.clone()));
            }
        }
    }
    r.untested_facts = facts.iter().map(|f| f.number).filter(|n| !tagged.contains(n)).collect();
    r
}
