//! The content validator: every error names the file and the item.
//!
//! Checks ids (unique, references resolve), translations (both languages, never empty),
//! citations (well-formed and pointing at text that exists in the manuals), block and
//! question shapes, and computes the coverage report (which manual sections lessons cite).

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::checklist::Checklist;
use crate::domain::citation::Citation;
use crate::domain::content::{BlockKind, ContentError, Course};
use crate::domain::manual::Library;
use crate::domain::quiz::{Question, QuestionKind, Verdict};
use crate::domain::rubric::Rubric;
use crate::domain::scenario::{Place, Scenario};
use crate::domain::text::{Lang, Text};

struct Checker<'a> {
    library: &'a Library,
    errors: Vec<ContentError>,
}

impl Checker<'_> {
    fn err(&mut self, file: &str, item: impl Into<String>, message: impl Into<String>) {
        self.errors.push(ContentError {
            file: file.to_string(),
            item: item.into(),
            message: message.into(),
        });
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
            self.err(
                file,
                item,
                "has no citation: every rule must cite a manual section (`cite = [\"m1 §3.1\"]`)",
            );
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
            let pct = if total == 0 {
                100.0
            } else {
                cited as f64 * 100.0 / total as f64
            };
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
    let mut c = Checker {
        library,
        errors: Vec::new(),
    };
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
                c.err(
                    cf,
                    &item,
                    format!("unknown module `{m}` (no modules/{m}.toml with that id)"),
                );
            }
            listed.insert(m.as_str());
        }
    }

    // Rubrics.
    let rubric = course.default_rubric();
    if rubric.is_none() {
        c.err(
            cf,
            "default_rubric",
            format!("unknown rubric `{}`", course.file.default_rubric),
        );
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
            // Questions and choices are tagged with the default rubric's criteria: every
            // rubric scores those tags.
            if let Some(default) = course.default_rubric() {
                for tag in std::iter::once(&k.id).chain(&k.includes) {
                    if default.criterion(tag).is_none() {
                        c.err(
                            f,
                            &item,
                            format!(
                                "`{tag}` is not a criterion of the default rubric `{}`, so nothing is tagged with it",
                                default.id
                            ),
                        );
                    }
                }
            }
        }
    }
    let criteria: BTreeSet<&str> = rubric
        .map(|r| r.criteria.iter().map(|k| k.id.as_str()).collect())
        .unwrap_or_default();

    // Modules and lessons.
    c.unique("modules/", "module", course.modules.iter().map(|m| m.id.as_str()));
    for m in &course.modules {
        let f = m.origin.as_str();
        let expected = format!("modules/{}.toml", m.id);
        if f != expected {
            c.err(
                f,
                format!("module `{}`", m.id),
                format!("the file must be named {expected}"),
            );
        }
        if !listed.contains(m.id.as_str()) {
            c.err(
                f,
                format!("module `{}`", m.id),
                "is not listed in any track of course.toml",
            );
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
                        (BlockKind::DoDont, None) => {
                            c.err(f, &item, "a `do_dont` item needs `tone = \"do\"` or `\"dont\"`")
                        }
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
            c.err(
                f,
                "pass_mark",
                format!("{} is not a percent between 0 and 100", qz.pass_mark),
            );
        }
        if qz.pools.is_empty() {
            c.err(f, "pools", "a quiz needs at least one pool");
        }
        for (i, p) in qz.pools.iter().enumerate() {
            let item = format!("pool {}", i + 1);
            if let Some(m) = &p.module
                && !module_ids.contains(m.as_str())
            {
                c.err(f, &item, format!("unknown module `{m}`"));
            }
            if let Some(t) = &p.track
                && !course.file.tracks.iter().any(|tr| &tr.id == t)
            {
                c.err(f, &item, format!("unknown track `{t}`"));
            }
            if let Some(k) = &p.criterion
                && !criteria.contains(k.as_str())
            {
                c.err(f, &item, format!("unknown rubric criterion `{k}`"));
            }
        }
        let available = course.candidates(qz).len();
        if qz.count == 0 {
            c.err(f, "count", "must be at least 1");
        } else if qz.count > available {
            c.err(
                f,
                "count",
                format!("{} questions asked for, but the pools hold {available}", qz.count),
            );
        }
        if qz.time_limit_minutes == Some(0) {
            c.err(
                f,
                "time_limit_minutes",
                "must be at least 1 (leave it out for no limit)",
            );
        }
    }

    // Scenarios and checklists.
    c.unique("scenarios/", "scenario", course.scenarios.iter().map(|s| s.id.as_str()));
    for s in &course.scenarios {
        check_scenario(&mut c, s, &module_ids, &criteria, rubric);
    }
    c.unique(
        "checklists/",
        "checklist",
        course.checklists.iter().map(|x| x.id.as_str()),
    );
    for x in &course.checklists {
        check_checklist(&mut c, x, &module_ids, &criteria);
    }
    c.errors
}

/// Points must be integers in −3…+3 on the rubric's criteria.
fn check_points(c: &mut Checker<'_>, f: &str, item: &str, points: &BTreeMap<String, i32>, criteria: &BTreeSet<&str>) {
    for (k, v) in points {
        if !criteria.contains(k.as_str()) {
            c.err(f, item, format!("scores unknown rubric criterion `{k}`"));
        }
        if !(-3..=3).contains(v) {
            c.err(f, item, format!("score {v} for `{k}` is outside -3…+3"));
        }
    }
}

fn check_scenario(
    c: &mut Checker<'_>,
    s: &Scenario,
    modules: &BTreeSet<&str>,
    criteria: &BTreeSet<&str>,
    rubric: Option<&Rubric>,
) {
    let f = s.origin.as_str();
    let expected = format!("scenarios/{}.toml", s.id);
    if f != expected {
        c.err(
            f,
            format!("scenario `{}`", s.id),
            format!("the file must be named {expected}"),
        );
    }
    if !modules.contains(s.module.as_str()) {
        c.err(f, "module", format!("unknown module `{}`", s.module));
    }
    c.text(f, "", "title", &s.title);
    c.text(f, "", "summary", &s.summary);
    c.cites(f, "", &s.cite);
    if !(0.0..=100.0).contains(&s.pass_mark) {
        c.err(
            f,
            "pass_mark",
            format!("{} is not a percent between 0 and 100", s.pass_mark),
        );
    }
    for (field, t) in [
        ("role", &s.setting.role),
        ("place", &s.setting.place),
        ("knows", &s.setting.knows),
        ("customer", &s.setting.customer),
    ] {
        c.text(f, "setting", field, t);
    }
    if s.nodes.is_empty() {
        c.err(f, "nodes", "a scenario needs at least one decision node");
    }
    if s.endings.is_empty() {
        c.err(f, "endings", "a scenario needs at least one ending");
    }
    c.unique(
        f,
        "node or ending",
        s.nodes
            .iter()
            .map(|n| n.id.as_str())
            .chain(s.endings.iter().map(|e| e.id.as_str())),
    );
    if s.node(&s.start).is_none() {
        c.err(f, "start", format!("`{}` is not a node", s.start));
    }
    let mut structure_ok = s.node(&s.start).is_some();
    for n in &s.nodes {
        let item = format!("node `{}`", n.id);
        if n.scene.is_none() && n.line.is_none() {
            c.err(
                f,
                &item,
                "needs a `scene` or a `line` (what happens or what the customer says)",
            );
        }
        for (field, t) in [("scene", &n.scene), ("line", &n.line), ("acting", &n.acting)] {
            if let Some(t) = t {
                c.text(f, &item, field, t);
            }
        }
        if !(2..=4).contains(&n.choices.len()) {
            c.err(
                f,
                &item,
                format!("has {} choices; a decision offers 2 to 4", n.choices.len()),
            );
        }
        c.unique(f, &format!("{item} choice"), n.choices.iter().map(|ch| ch.id.as_str()));
        for ch in &n.choices {
            let ci = format!("{item} choice `{}`", ch.id);
            if ch.id == crate::domain::scenario::TIMEOUT {
                c.err(f, &ci, "`timeout` is reserved for the timed default outcome");
            }
            c.text(f, &ci, "text", &ch.text);
            c.text(f, &ci, "feedback", &ch.feedback);
            c.cites(f, &ci, &ch.cite);
            check_points(c, f, &ci, &ch.scores, criteria);
            if s.place(&ch.next).is_none() {
                c.err(
                    f,
                    &ci,
                    format!("`next = \"{}\"` is neither a node nor an ending", ch.next),
                );
                structure_ok = false;
            }
        }
        if let Some(t) = &n.timeout {
            let ti = format!("{item} timeout");
            if !(3..=120).contains(&t.seconds) {
                c.err(f, &ti, format!("seconds = {} must be 3 to 120", t.seconds));
            }
            c.text(f, &ti, "feedback", &t.feedback);
            c.cites(f, &ti, &t.cite);
            check_points(c, f, &ti, &t.scores, criteria);
            if s.place(&t.next).is_none() {
                c.err(
                    f,
                    &ti,
                    format!("`next = \"{}\"` is neither a node nor an ending", t.next),
                );
                structure_ok = false;
            }
        }
    }
    for e in &s.endings {
        let item = format!("ending `{}`", e.id);
        c.text(f, &item, "line", &e.line);
        c.text(f, &item, "debrief", &e.debrief);
        c.cites(f, &item, &e.cite);
    }
    if !structure_ok {
        return;
    }
    // Reachability from the start, and an ending reachable from every node.
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    let mut todo = vec![s.start.as_str()];
    while let Some(id) = todo.pop() {
        if !reached.insert(id) {
            continue;
        }
        if let Some(n) = s.node(id) {
            todo.extend(n.edges().map(|e| e.next));
        }
    }
    for id in s
        .nodes
        .iter()
        .map(|n| n.id.as_str())
        .chain(s.endings.iter().map(|e| e.id.as_str()))
    {
        if !reached.contains(id) {
            c.err(f, format!("`{id}`"), "cannot be reached from `start`");
        }
    }
    let mut ends: BTreeSet<&str> = s.endings.iter().map(|e| e.id.as_str()).collect();
    loop {
        let before = ends.len();
        for n in &s.nodes {
            if n.edges().any(|e| ends.contains(e.next)) {
                ends.insert(n.id.as_str());
            }
        }
        if ends.len() == before {
            break;
        }
    }
    let mut trapped = false;
    for n in &s.nodes {
        if !ends.contains(n.id.as_str()) {
            trapped = true;
            c.err(
                f,
                format!("node `{}`", n.id),
                "no ending can be reached from here: a cycle without an exit",
            );
        }
    }
    for (node, edge) in s.cycle_edges() {
        let points = s
            .node(&node)
            .and_then(|n| n.edge(&edge))
            .map(|e| e.scores.clone())
            .unwrap_or_default();
        if points.values().any(|v| *v > 0) {
            c.err(
                f,
                format!("node `{node}` choice `{edge}`"),
                "leads back to an earlier node (a cycle) and must not carry positive points",
            );
        }
    }
    if trapped {
        return;
    }
    let Some(rubric) = rubric else { return };
    let a = s.analyse(rubric);
    if a.truncated {
        c.err(
            f,
            "",
            format!("has more than {} paths; split it", crate::domain::scenario::PATH_LIMIT),
        );
    }
    if a.best.is_empty() {
        c.err(f, "", "no choice scores any criterion");
    } else if a.best_path.is_none() {
        let best: Vec<String> = a.best.iter().map(|(k, v)| format!("{k} {v}")).collect();
        c.err(
            f,
            "",
            format!(
                "has no best path: no single path reaches the best on every criterion at once ({})",
                best.join(", ")
            ),
        );
    }
    if a.failing_path.is_none() {
        c.err(f, "", format!("every path passes every criterion: at least one path must fall below the pass mark ({}%) on some criterion", s.pass_mark));
    }
}

fn check_checklist(c: &mut Checker<'_>, x: &Checklist, modules: &BTreeSet<&str>, criteria: &BTreeSet<&str>) {
    let f = x.origin.as_str();
    let expected = format!("checklists/{}.toml", x.id);
    if f != expected {
        c.err(
            f,
            format!("checklist `{}`", x.id),
            format!("the file must be named {expected}"),
        );
    }
    if !modules.contains(x.module.as_str()) {
        c.err(f, "module", format!("unknown module `{}`", x.module));
    }
    c.text(f, "", "title", &x.title);
    c.text(f, "", "summary", &x.summary);
    c.cites(f, "", &x.cite);
    if !(0.0..=100.0).contains(&x.pass_mark) {
        c.err(
            f,
            "pass_mark",
            format!("{} is not a percent between 0 and 100", x.pass_mark),
        );
    }
    if x.sections.is_empty() {
        c.err(f, "sections", "a checklist needs at least one section");
    }
    c.unique(f, "item", x.items().map(|i| i.id.as_str()));
    for (si, sec) in x.sections.iter().enumerate() {
        let sitem = format!("section {}", si + 1);
        c.text(f, &sitem, "title", &sec.title);
        if sec.items.is_empty() {
            c.err(f, &sitem, "has no items");
        }
        for it in &sec.items {
            let item = format!("item `{}`", it.id);
            c.text(f, &item, "text", &it.text);
            if let Some(l) = &it.look_for {
                c.text(f, &item, "look_for", l);
            }
            if !criteria.contains(it.criterion.as_str()) {
                c.err(f, &item, format!("unknown rubric criterion `{}`", it.criterion));
            }
            c.cites(f, &item, &it.cite);
        }
    }
}

/// One line per scenario: nodes, endings, path count, decision points on the longest and
/// shortest path, and the range of weighted totals over all paths; then the checklists.
pub fn roleplay_report(course: &Course) -> String {
    let mut out = format!(
        "role-play: {} scenarios, {} checklists\n",
        course.scenarios.len(),
        course.checklists.len()
    );
    let Some(rubric) = course.default_rubric() else {
        return out;
    };
    for s in &course.scenarios {
        let a = s.analyse(rubric);
        let range = match (a.min_total, a.max_total) {
            (Some(lo), Some(hi)) => format!("{lo:.1}–{hi:.1}%"),
            _ => "no score".into(),
        };
        let start_ok = matches!(s.place(&s.start), Some(Place::Node(_)));
        out.push_str(&format!(
            "  {}: {} nodes, {} endings, {} paths{}, decisions {}–{}, score range {range}{}\n",
            s.id,
            s.nodes.len(),
            s.endings.len(),
            a.paths,
            if a.truncated { "+" } else { "" },
            a.shortest,
            a.longest,
            if start_ok { "" } else { " (no start)" }
        ));
    }
    for x in &course.checklists {
        let mut per: BTreeMap<&str, usize> = BTreeMap::new();
        for i in x.items() {
            *per.entry(i.criterion.as_str()).or_default() += 1;
        }
        let per: Vec<String> = per.iter().map(|(k, n)| format!("{k} {n}")).collect();
        out.push_str(&format!(
            "  {}: {} items ({})\n",
            x.id,
            x.items().count(),
            per.join(", ")
        ));
    }
    out
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
            .map(|s| {
                (
                    s.key.clone(),
                    s.title.clone(),
                    Library::covers(&cites, m.number, &s.key),
                )
            })
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
                c.err(
                    f,
                    &oi,
                    "a situational option needs `verdict = \"best\" | \"acceptable\" | \"poor\"`",
                );
            }
            for k in o.scores.keys() {
                if !q.criteria.contains(k) {
                    c.err(
                        f,
                        &oi,
                        format!("scores criterion `{k}`, which the question does not list in `criteria`"),
                    );
                }
            }
        } else if o.feedback.is_some() || !o.scores.is_empty() || o.verdict.is_some() {
            c.err(
                f,
                &oi,
                "`feedback`, `scores` and `verdict` are only for situational questions",
            );
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
                c.err(
                    f,
                    item,
                    "`answer` must list every step id exactly once, in the correct order",
                );
            }
        }
        QuestionKind::Matching => {
            no_options(c, "matching");
            if !q.answer.is_empty() {
                c.err(
                    f,
                    item,
                    "a matching question has no `answer` (its pairs are the answer)",
                );
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
            let best: Vec<&str> = q
                .options
                .iter()
                .filter(|o| o.verdict == Some(Verdict::Best))
                .map(|o| o.id.as_str())
                .collect();
            let mut answer: Vec<&str> = q.answer.iter().map(String::as_str).collect();
            answer.sort();
            let mut best_sorted = best.clone();
            best_sorted.sort();
            if best.is_empty() {
                c.err(
                    f,
                    item,
                    "a situational question needs a response with `verdict = \"best\"`",
                );
            } else if answer != best_sorted {
                c.err(
                    f,
                    item,
                    "`answer` must list exactly the responses whose verdict is best",
                );
            }
            if !q.options.iter().any(|o| o.verdict == Some(Verdict::Poor)) {
                c.err(f, item, "a situational question needs at least one poor response");
            }
            for k in &q.criteria {
                if q.best_points(k) <= 0 {
                    c.err(
                        f,
                        item,
                        format!("no response earns points on `{k}`: score it or drop it from `criteria`"),
                    );
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
    let Some(part) = readme.split("## Notable facts").nth(1) else {
        return Vec::new();
    };
    let part = part.split("\n## ").next().unwrap_or(part);
    part.lines()
        .filter_map(|line| {
            let (num, rest) = line.split_once(". `")?;
            let number = num.trim().parse().ok()?;
            let (cite, text) = rest.split_once("`: ")?;
            Some(Fact {
                number,
                cite: Citation::parse(cite).ok()?,
                text: text.to_string(),
            })
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
        if self.total == 0 {
            0.0
        } else {
            *self.by_kind.get("situational").unwrap_or(&0) as f64 / self.total as f64
        }
    }

    /// Printable statistics.
    pub fn report(&self) -> String {
        let mut out = format!("question bank: {} questions\n", self.total);
        let join = |m: Vec<String>| m.join(", ");
        out.push_str(&format!(
            "  per manual cited: {}\n",
            join(self.by_manual.iter().map(|(m, n)| format!("m{m} {n}")).collect())
        ));
        out.push_str(&format!(
            "  per type: {}\n",
            join(self.by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect())
        ));
        out.push_str(&format!(
            "  per criterion: {}\n",
            join(self.by_criterion.iter().map(|(k, n)| format!("{k} {n}")).collect())
        ));
        out.push_str(&format!(
            "  situational judgement: {:.0}%\n",
            self.situational_share() * 100.0
        ));
        let untested: Vec<String> = self
            .untested_sections
            .iter()
            .map(|(m, k)| format!("m{m} §{k}"))
            .collect();
        out.push_str(&format!(
            "  sections without a question: {}\n",
            if untested.is_empty() {
                "none".into()
            } else {
                untested.join(", ")
            }
        ));
        let facts: Vec<String> = self.untested_facts.iter().map(u32::to_string).collect();
        out.push_str(&format!(
            "  notable facts not tested: {}\n",
            if facts.is_empty() {
                "none".into()
            } else {
                facts.join(", ")
            }
        ));
        for (q, n) in &self.fact_mismatches {
            out.push_str(&format!(
                "  question `{q}` tags fact {n} but does not cite its section\n"
            ));
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
                        || qc
                            .iter()
                            .any(|c| c.manual == fact.cite.manual && fact.cite.section.starts_with(&c.section));
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
