//! The bundled content: every file parses, every citation is well-formed and resolves,
//! the validator finds nothing, and the coverage report is printed.

use lixun::bundled;
use lixun::domain::citation::Citation;
use lixun::domain::validate;

#[test]
fn every_content_file_parses_into_the_typed_model() {
    let b = bundled::load().unwrap_or_else(|errs| {
        panic!("content does not load:\n{}", errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))
    });
    assert!(!b.course.file.tracks.is_empty());
    assert!(!b.course.modules.is_empty());
    assert_eq!(b.library.manuals.len(), 5, "all five manuals are bundled");
}

#[test]
fn every_citation_has_the_form_m_n_section() {
    let b = bundled::load().expect("content loads");
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
    for q in &b.course.quizzes {
        for qu in &q.questions {
            for c in &qu.cite {
                all.push((format!("{} question `{}`", q.origin, qu.id), c.clone()));
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
    let b = bundled::load().expect("content loads");
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
    let b = bundled::load().expect("content loads");
    let r = b.course.default_rubric().expect("default rubric");
    let weights: Vec<f64> = r.criteria.iter().map(|c| c.weight).collect();
    assert_eq!(weights, vec![30.0, 25.0, 20.0, 15.0, 10.0, 10.0]);
    assert_eq!(r.printed_total(), 110.0);
    assert!(r.is_normalised());
    assert!(r.note.zh.contains("110%") && r.note.en.contains("110%"), "the note says the weights total 110%");
    let names: Vec<&str> = r.criteria.iter().map(|c| c.name.zh.as_str()).collect();
    assert_eq!(names, ["接待流程规范性", "服务态度与礼仪", "服务效率与响应速度", "客户满意度与反馈", "服务内容与质量", "安全与保密"]);
}

#[test]
fn the_first_quiz_has_five_or_more_questions_each_tagged_with_a_criterion() {
    let b = bundled::load().expect("content loads");
    let q = b.course.quiz("communication-standards-check").expect("quiz exists");
    assert!(q.questions.len() >= 5);
    assert!(q.questions.iter().all(|x| !x.criteria.is_empty()));
}
