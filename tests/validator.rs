//! The content validator, one test per error kind, on the small fixture course in
//! `tests/fixtures/content/`. Every error must name the file and the item.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use lixun::domain::bundle;
use lixun::domain::content::{ContentError, SourceFile};
use lixun::domain::source;
use lixun::domain::validate;
use serde_json::{Value, json};

fn fixture() -> (Vec<SourceFile>, Vec<(u8, String)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content");
    let files = source::read_toml_files(&root).expect("fixture toml parses");
    let manuals = source::read_manuals(&root).expect("fixture manuals");
    (
        files
            .into_iter()
            .map(|(path, value)| SourceFile { path, value })
            .collect(),
        manuals,
    )
}

fn file<'a>(files: &'a mut [SourceFile], path: &str) -> &'a mut Value {
    &mut files
        .iter_mut()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no fixture {path}"))
        .value
}

/// Loads and validates; returns every error as text.
fn errors_of(files: &[SourceFile], manuals: &[(u8, String)]) -> Vec<String> {
    let refs: Vec<(u8, &str)> = manuals.iter().map(|(n, t)| (*n, t.as_str())).collect();
    match bundle::load(files, &refs) {
        Err(errs) => errs.iter().map(ContentError::to_string).collect(),
        Ok(b) => validate::validate(&b.course, &b.library)
            .iter()
            .map(ContentError::to_string)
            .collect(),
    }
}

fn assert_one(errors: &[String], file: &str, item: &str, message: &str) {
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(file) && e.contains(item) && e.contains(message)),
        "expected an error in {file} about {item}: {message}\ngot:\n{}",
        errors.join("\n")
    );
}

#[test]
fn the_fixture_course_is_valid_and_fully_covered() {
    let (files, manuals) = fixture();
    assert_eq!(errors_of(&files, &manuals), Vec::<String>::new());
    let refs: Vec<(u8, &str)> = manuals.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let b = bundle::load(&files, &refs).expect("loads");
    let cov = validate::coverage(&b.course, &b.library);
    assert_eq!(cov.counts(1), (2, 2));
    assert_eq!(cov.counts(5), (1, 1));
}

#[test]
fn a_duplicate_lesson_id_names_the_file_and_the_lesson() {
    let (mut files, manuals) = fixture();
    let m = file(&mut files, "modules/mod.toml");
    let lesson = m["lessons"][0].clone();
    m["lessons"].as_array_mut().unwrap().push(lesson);
    assert_one(
        &errors_of(&files, &manuals),
        "modules/mod.toml",
        "lesson `l1`",
        "duplicate id",
    );
}

#[test]
fn an_unknown_module_in_a_track_is_reported() {
    let (mut files, manuals) = fixture();
    file(&mut files, "course.toml")["tracks"][0]["modules"]
        .as_array_mut()
        .unwrap()
        .push(json!("ghost"));
    assert_one(
        &errors_of(&files, &manuals),
        "course.toml",
        "track `t`",
        "unknown module `ghost`",
    );
}

#[test]
fn an_unknown_rubric_criterion_on_a_question_is_reported() {
    let (mut files, manuals) = fixture();
    file(&mut files, "questions/mod.toml")["questions"][0]["criteria"] = json!(["speed"]);
    assert_one(
        &errors_of(&files, &manuals),
        "questions/mod.toml",
        "question `q1`",
        "unknown rubric criterion `speed`",
    );
}

#[test]
fn a_missing_translation_is_reported_with_its_language() {
    let (mut files, manuals) = fixture();
    file(&mut files, "modules/mod.toml")["lessons"][0]["title"]["en"] = json!("");
    assert_one(
        &errors_of(&files, &manuals),
        "modules/mod.toml",
        "lesson `l1`",
        "`title` is missing its `en` translation",
    );
}

#[test]
fn empty_text_is_reported() {
    let (mut files, manuals) = fixture();
    file(&mut files, "modules/mod.toml")["lessons"][0]["blocks"][0]["items"][0]["text"] = json!({"zh": " ", "en": ""});
    assert_one(
        &errors_of(&files, &manuals),
        "modules/mod.toml",
        "lesson `l1` block 1 item 1",
        "`text` is empty",
    );
}

#[test]
fn a_citation_to_a_section_that_does_not_exist_is_reported() {
    let (mut files, manuals) = fixture();
    file(&mut files, "modules/mod.toml")["lessons"][0]["blocks"][0]["items"][0]["cite"] = json!(["m1 §9.9"]);
    assert_one(
        &errors_of(&files, &manuals),
        "modules/mod.toml",
        "block 1 item 1",
        "`m1 §9.9` does not resolve",
    );
}

#[test]
fn a_citation_to_a_missing_list_item_or_label_is_reported() {
    let (mut files, manuals) = fixture();
    file(&mut files, "modules/mod.toml")["lessons"][0]["blocks"][0]["items"][0]["cite"] =
        json!(["m1 §1.1 (7)", "m1 §1.2.1 ¶2.3"]);
    let errs = errors_of(&files, &manuals);
    assert_one(&errs, "modules/mod.toml", "block 1 item 1", "no list item (7)");
    assert_one(&errs, "modules/mod.toml", "block 1 item 1", "no sub-label 2.3");
}

#[test]
fn a_malformed_citation_is_reported() {
    let (mut files, manuals) = fixture();
    file(&mut files, "questions/mod.toml")["questions"][0]["cite"] = json!(["section 1.1"]);
    assert_one(
        &errors_of(&files, &manuals),
        "questions/mod.toml",
        "question `q1`",
        "must start with `m`",
    );
}

#[test]
fn an_item_without_a_citation_is_reported() {
    let (mut files, manuals) = fixture();
    file(&mut files, "modules/mod.toml")["lessons"][0]["blocks"][0]["items"][0]["cite"] = json!([]);
    assert_one(
        &errors_of(&files, &manuals),
        "modules/mod.toml",
        "block 1 item 1",
        "has no citation",
    );
}

#[test]
fn an_unknown_field_is_an_error_with_its_path() {
    let (mut files, manuals) = fixture();
    file(&mut files, "modules/mod.toml")["lessons"][0]["titel"] = json!({"zh": "x", "en": "x"});
    assert_one(
        &errors_of(&files, &manuals),
        "modules/mod.toml",
        "lessons[0]",
        "unknown field `titel`",
    );
}

#[test]
fn a_numbers_item_without_a_value_is_reported() {
    let (mut files, manuals) = fixture();
    file(&mut files, "modules/mod.toml")["lessons"][0]["blocks"][0]["items"][0]
        .as_object_mut()
        .unwrap()
        .remove("value");
    assert_one(
        &errors_of(&files, &manuals),
        "modules/mod.toml",
        "block 1 item 1",
        "needs a `value`",
    );
}

#[test]
fn a_differ_block_must_cite_two_different_sections() {
    let (mut files, manuals) = fixture();
    file(&mut files, "modules/mod.toml")["lessons"][0]["blocks"][1]["items"][1]["cite"] = json!(["m1 §1.2.1"]);
    assert_one(
        &errors_of(&files, &manuals),
        "modules/mod.toml",
        "block 2",
        "at least two different sections",
    );
}

#[test]
fn an_answer_that_is_not_an_option_is_reported() {
    let (mut files, manuals) = fixture();
    file(&mut files, "questions/mod.toml")["questions"][0]["answer"] = json!(["z"]);
    assert_one(
        &errors_of(&files, &manuals),
        "questions/mod.toml",
        "question `q1`",
        "answer `z` is not one of its options",
    );
}

#[test]
fn a_future_format_version_is_refused() {
    let (mut files, manuals) = fixture();
    file(&mut files, "modules/mod.toml")["format_version"] = json!(2);
    assert_one(
        &errors_of(&files, &manuals),
        "modules/mod.toml",
        "format_version",
        "this build reads format_version 1",
    );
}

#[test]
fn a_module_no_track_lists_is_reported() {
    let (mut files, manuals) = fixture();
    file(&mut files, "course.toml")["tracks"][0]["modules"] = json!([]);
    let errs = errors_of(&files, &manuals);
    assert_one(&errs, "modules/mod.toml", "module `mod`", "is not listed in any track");
    assert_one(&errs, "course.toml", "track `t`", "lists no modules");
}

#[test]
fn invalid_toml_names_the_file_and_line() {
    let dir = std::env::temp_dir().join(format!("lixun-bad-toml-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("modules")).unwrap();
    std::fs::write(
        dir.join("modules/broken.toml"),
        "id = \"x\"\ntitle = { zh = \"a\" en = \"b\" }\n",
    )
    .unwrap();
    let errs = source::read_toml_files(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        errs[0].starts_with("modules/broken.toml: not valid TOML") && errs[0].contains("line 2"),
        "{errs:?}"
    );
}

#[test]
fn a_quiz_asking_for_more_questions_than_its_pools_hold_is_reported() {
    let (mut files, manuals) = fixture();
    file(&mut files, "quizzes/q.toml")["count"] = json!(5);
    assert_one(
        &errors_of(&files, &manuals),
        "quizzes/q.toml",
        "count",
        "5 questions asked for, but the pools hold 1",
    );
}

#[test]
fn an_ordering_answer_must_list_every_step_once() {
    let (mut files, manuals) = fixture();
    let q = &mut file(&mut files, "questions/mod.toml")["questions"][0];
    q["kind"] = json!("ordering");
    q["options"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "c", "text": {"zh": "丙", "en": "C"}}));
    q["answer"] = json!(["a", "b"]);
    assert_one(
        &errors_of(&files, &manuals),
        "questions/mod.toml",
        "question `q1`",
        "every step id exactly once",
    );
}

#[test]
fn a_situational_question_needs_scored_responses_with_a_best_and_a_poor_one() {
    let (mut files, manuals) = fixture();
    let q = &mut file(&mut files, "questions/mod.toml")["questions"][0];
    q["kind"] = json!("situational");
    q["options"] = json!([
        {"id": "a", "text": {"zh": "甲", "en": "A"}, "verdict": "best", "feedback": {"zh": "好", "en": "Good"}, "scores": {"process": 0}},
        {"id": "b", "text": {"zh": "乙", "en": "B"}, "verdict": "acceptable", "feedback": {"zh": "可", "en": "OK"}},
        {"id": "c", "text": {"zh": "丙", "en": "C"}, "feedback": {"zh": "差", "en": "Bad"}, "scores": {"speed": 1}}
    ]);
    let errs = errors_of(&files, &manuals);
    assert_one(&errs, "questions/mod.toml", "option `c`", "needs `verdict");
    assert_one(&errs, "questions/mod.toml", "option `c`", "scores criterion `speed`");
    assert_one(
        &errs,
        "questions/mod.toml",
        "question `q1`",
        "at least one poor response",
    );
    assert_one(
        &errs,
        "questions/mod.toml",
        "question `q1`",
        "no response earns points on `process`",
    );
}

#[test]
fn a_matching_question_needs_three_pairs() {
    let (mut files, manuals) = fixture();
    let q = &mut file(&mut files, "questions/mod.toml")["questions"][0];
    q["kind"] = json!("matching");
    q.as_object_mut().unwrap().remove("options");
    q.as_object_mut().unwrap().remove("answer");
    q["pairs"] = json!([{"id": "p1", "left": {"zh": "甲", "en": "A"}, "right": {"zh": "一", "en": "1"}}]);
    assert_one(
        &errors_of(&files, &manuals),
        "questions/mod.toml",
        "question `q1`",
        "at least three pairs",
    );
}

#[test]
fn a_numeric_question_needs_its_number() {
    let (mut files, manuals) = fixture();
    let q = &mut file(&mut files, "questions/mod.toml")["questions"][0];
    q["kind"] = json!("numeric");
    q.as_object_mut().unwrap().remove("options");
    q.as_object_mut().unwrap().remove("answer");
    assert_one(
        &errors_of(&files, &manuals),
        "questions/mod.toml",
        "question `q1`",
        "needs `number`",
    );
}
