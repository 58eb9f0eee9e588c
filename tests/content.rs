//! The bundled content: every file parses, every citation is well-formed and resolves,
//! the validator finds nothing, and the coverage report is printed.
#![cfg(not(target_arch = "wasm32"))]

use lixun::domain::bundle::Bundle;
use lixun::domain::citation::Citation;
use lixun::domain::validate;

fn content() -> Bundle {
    lixun::load_content_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .unwrap_or_else(|errs| panic!("content does not load:\n{}", errs.join("\n")))
}

#[test]
fn every_content_file_parses_into_the_typed_model() {
    let b = content();
    assert!(!b.course.file.tracks.is_empty());
    assert!(!b.course.modules.is_empty());
    assert_eq!(b.library.manuals.len(), 5, "all five manuals are bundled");
}

#[test]
fn every_citation_has_the_form_m_n_section() {
    let b = content();
    let mut all: Vec<(String, String)> = Vec::new();
    for m in &b.course.modules {
        for l in &m.lessons {
            for (bi, blk) in l.blocks.iter().enumerate() {
                for it in &blk.items {
                    for c in &it.cite {
                        all.push((format!("{} lesson `{}` block {}", m.origin, l.id, bi + 1), c.clone()));
                    }
                }
            }
        }
    }
    for bank in &b.course.banks {
        for qu in &bank.questions {
            for c in &qu.cite {
                all.push((format!("{} question `{}`", bank.origin, qu.id), c.clone()));
            }
        }
    }
    for r in &b.course.rubrics {
        for c in r.cite.iter().chain(r.criteria.iter().flat_map(|k| &k.cite)) {
            all.push((r.origin.clone(), c.clone()));
        }
    }
    assert!(!all.is_empty());
    let bad: Vec<String> = all
        .iter()
        .filter_map(|(where_, c)| Citation::parse(c).err().map(|e| format!("{where_}: {e}")))
        .collect();
    assert!(bad.is_empty(), "malformed citations:\n{}", bad.join("\n"));
}

#[test]
fn the_bundled_content_passes_the_validator_and_prints_its_coverage() {
    let b = content();
    let errors = validate::validate(&b.course, &b.library);
    let cov = validate::coverage(&b.course, &b.library);
    println!("{}", cov.report());
    assert!(
        errors.is_empty(),
        "content errors:\n{}",
        errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_default_rubric_is_m1_8_1_1_with_its_printed_weights() {
    let b = content();
    let r = b.course.default_rubric().expect("default rubric");
    let weights: Vec<f64> = r.criteria.iter().map(|c| c.weight).collect();
    assert_eq!(weights, vec![30.0, 25.0, 20.0, 15.0, 10.0, 10.0]);
    assert_eq!(r.printed_total(), 110.0);
    assert!(r.is_normalised());
    assert!(
        r.note.zh.contains("110%") && r.note.en.contains("110%"),
        "the note says the weights total 110%"
    );
    let names: Vec<&str> = r.criteria.iter().map(|c| c.name.zh.as_str()).collect();
    assert_eq!(
        names,
        [
            "接待流程规范性",
            "服务态度与礼仪",
            "服务效率与响应速度",
            "客户满意度与反馈",
            "服务内容与质量",
            "安全与保密"
        ]
    );
}

#[test]
fn the_first_quiz_draws_five_or_more_questions_each_tagged_with_a_criterion() {
    let b = content();
    let q = b.course.quiz("communication-standards-check").expect("quiz exists");
    let candidates = b.course.candidates(q);
    assert!(q.count >= 5 && candidates.len() >= q.count);
    assert!(candidates.iter().all(|x| !x.criteria.is_empty()));
}

#[test]
fn the_question_bank_tests_every_section_and_fact_and_prints_its_statistics() {
    let b = content();
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/manuals/README.md"))
            .expect("manuals README");
    let facts = validate::parse_facts(&readme);
    assert_eq!(facts.len(), 54, "the README lists 54 notable facts");
    let r = validate::bank_report(&b.course, &b.library, &facts);
    println!("{}", r.report());
    assert!(r.total >= 180, "at least 180 questions, found {}", r.total);
    assert!(
        r.situational_share() >= 0.30,
        "at least 30% situational judgement, found {:.1}%",
        r.situational_share() * 100.0
    );
    assert!(
        r.untested_sections.is_empty(),
        "sections without a question: {:?}",
        r.untested_sections
    );
    assert!(
        r.untested_facts.is_empty(),
        "notable facts without a question: {:?}",
        r.untested_facts
    );
    assert!(
        r.fact_mismatches.is_empty() && r.unknown_facts.is_empty(),
        "{}",
        r.report()
    );
}

#[test]
fn the_catalog_compiled_into_the_app_matches_the_content_without_lesson_bodies() {
    let full = content();
    let catalog = lixun::bundled::catalog().expect("catalog loads");
    assert_eq!(catalog.file, full.course.file);
    assert_eq!(catalog.quizzes.len(), full.course.quizzes.len());
    for (c, f) in catalog.quizzes.iter().zip(&full.course.quizzes) {
        assert_eq!((&c.id, c.count, &c.pools), (&f.id, f.count, &f.pools));
    }
    assert!(catalog.banks.is_empty(), "question banks are fetched, not compiled in");
    assert_eq!(catalog.modules.len(), full.course.modules.len());
    for (c, f) in catalog.modules.iter().zip(&full.course.modules) {
        assert_eq!((&c.id, &c.title, c.lessons.len()), (&f.id, &f.title, f.lessons.len()));
        assert!(
            c.lessons.iter().all(|l| l.blocks.is_empty()),
            "lesson bodies are fetched, not compiled in"
        );
    }
}

#[test]
fn the_coverage_of_every_manual_is_complete() {
    let b = content();
    let cov = validate::coverage(&b.course, &b.library);
    for m in 1..=5 {
        let (cited, total) = cov.counts(m);
        assert_eq!(cited, total, "m{m}: {cited}/{total} sections taught\n{}", cov.report());
    }
    let total: usize = (1..=5).map(|m| cov.counts(m).1).sum();
    assert_eq!(total, 119, "the five manuals have 119 `###` sections with text");
}

#[test]
fn role_play_has_twelve_scenarios_and_six_checklists_covering_the_manuals() {
    let b = content();
    let rubric = b.course.default_rubric().expect("default rubric");
    print!("{}", validate::roleplay_report(&b.course));
    assert!(
        b.course.scenarios.len() >= 12,
        "at least 12 scenarios, found {}",
        b.course.scenarios.len()
    );
    for s in &b.course.scenarios {
        let a = s.analyse(rubric);
        assert!(
            a.longest >= 6,
            "{}: the longest path has {} decision points; at least 6 are required",
            s.origin,
            a.longest
        );
        assert!(
            a.best_path.is_some() && a.failing_path.is_some(),
            "{}: needs a best path and a failing path",
            s.origin
        );
    }
    assert!(
        b.course.checklists.len() >= 6,
        "at least 6 checklists, found {}",
        b.course.checklists.len()
    );
    let cited = |cites: &mut dyn Iterator<Item = &String>| -> std::collections::BTreeSet<u8> {
        cites
            .filter_map(|c| Citation::parse(c).ok())
            .map(|c| c.manual)
            .collect()
    };
    let scenario_manuals = cited(&mut b.course.scenarios.iter().flat_map(|s| {
        s.nodes
            .iter()
            .flat_map(|n| n.choices.iter().flat_map(|c| c.cite.iter()))
    }));
    assert_eq!(
        scenario_manuals.into_iter().collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5],
        "scenarios cite every manual"
    );
    let checklist_manuals = cited(
        &mut b
            .course
            .checklists
            .iter()
            .flat_map(|c| c.items().flat_map(|i| i.cite.iter())),
    );
    for m in [1, 3, 4, 5] {
        assert!(checklist_manuals.contains(&m), "checklists cite m{m}");
    }
    // The catalog the app compiles in has every scenario, without its dialogue.
    let catalog = lixun::domain::content::Course::from_catalog(lixun::bundled::CATALOG_JSON).expect("catalog parses");
    assert_eq!(catalog.scenarios.len(), b.course.scenarios.len());
    assert!(
        catalog
            .scenarios
            .iter()
            .all(|s| s.nodes.is_empty() && s.endings.is_empty())
    );
    assert_eq!(catalog.checklists.len(), b.course.checklists.len());
    assert!(catalog.checklists.iter().all(|c| c.sections.is_empty()));
}
