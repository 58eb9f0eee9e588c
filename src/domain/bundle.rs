//! Loads the course from its files: the typed content and the manuals.

use crate::domain::content::{ContentError, Course, SourceFile};
use crate::domain::manual::{Library, Manual};

/// The course and the manuals it cites.
#[derive(Clone, Debug, PartialEq)]
pub struct Bundle {
    pub course: Course,
    pub library: Library,
}

/// Builds the manuals library from (number, markdown) pairs.
pub fn library(manuals: &[(u8, &str)]) -> Result<Library, Vec<ContentError>> {
    let mut errors = Vec::new();
    let mut lib = Library::default();
    for (n, text) in manuals {
        match Manual::parse(*n, text) {
            Ok(m) => lib.manuals.push(m),
            Err(e) => errors.push(ContentError {
                file: format!("manuals/m{n}"),
                item: String::new(),
                message: e,
            }),
        }
    }
    if errors.is_empty() { Ok(lib) } else { Err(errors) }
}

/// Types the content files and parses the manuals. Does not validate: see `validate`.
pub fn load(files: &[SourceFile], manuals: &[(u8, &str)]) -> Result<Bundle, Vec<ContentError>> {
    let library = library(manuals);
    let course = Course::load(files);
    match (course, library) {
        (Ok(course), Ok(library)) => Ok(Bundle { course, library }),
        (c, l) => {
            let mut errors = c.err().unwrap_or_default();
            errors.extend(l.err().unwrap_or_default());
            Err(errors)
        }
    }
}
