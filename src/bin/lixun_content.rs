//! `lixun-content`: checks a content folder and prints its coverage report.
//!
//!     cargo run --bin lixun-content -- [CONTENT_DIR]      (default: ./content)
//!
//! Exit code 0 when the content is valid, 1 when it has errors (each names file and item).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use lixun::domain::validate;
    use std::path::PathBuf;

    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("content"));
    let b = match lixun::load_content_dir(&dir) {
        Ok(b) => b,
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!("{} error(s) in {}", errors.len(), dir.display());
            std::process::exit(1);
        }
    };
    let errors = validate::validate(&b.course, &b.library);
    print!("{}", validate::coverage(&b.course, &b.library).report());
    let lessons: usize = b.course.modules.iter().map(|m| m.lessons.len()).sum();
    let questions = b.course.questions().count();
    let readme = std::fs::read_to_string(dir.join("manuals/README.md")).unwrap_or_default();
    let facts = validate::parse_facts(&readme);
    print!("{}", validate::bank_report(&b.course, &b.library, &facts).report());
    print!("{}", validate::roleplay_report(&b.course));
    println!(
        "{} tracks, {} modules, {lessons} lessons, {} quizzes, {questions} questions",
        b.course.file.tracks.len(),
        b.course.modules.len(),
        b.course.quizzes.len()
    );
    if errors.is_empty() {
        println!("{}: content is valid", dir.display());
    } else {
        for e in &errors {
            eprintln!("error: {e}");
        }
        eprintln!("{} error(s) in {}", errors.len(), dir.display());
        std::process::exit(1);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
