//! Lixun (礼训): staff training and assessment for customer-service and reception teams.
//!
//! `domain` holds every rule and is pure Rust; `browser` is the only code touching web APIs;
//! `ui` wires the domain to the page.

pub mod domain;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
pub mod i18n;
#[cfg(target_arch = "wasm32")]
pub mod session;

/// The content catalog compiled into the app at build time (see `build.rs`): every content
/// file, with lesson bodies left out; the app fetches `content/modules/<id>.json` and
/// `content/manuals/m<N>.md` when a lesson or a citation is opened.
pub mod bundled {
    use crate::domain::content::{ContentError, Course};

    /// The catalog as one JSON object (`course`, `modules`, `quizzes`, `rubrics`).
    pub const CATALOG_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));

    /// Loads the catalog. The test suite validates the full content, so this only fails if
    /// a build skipped the tests.
    pub fn catalog() -> Result<Course, Vec<ContentError>> {
        Course::from_catalog(CATALOG_JSON).map_err(|e| vec![e])
    }
}

/// Loads the full `content/` folder of this repository (native only: tests and tools).
#[cfg(not(target_arch = "wasm32"))]
pub fn load_content_dir(dir: &std::path::Path) -> Result<domain::bundle::Bundle, Vec<String>> {
    use domain::content::SourceFile;
    let files = domain::source::read_toml_files(dir)?;
    let files: Vec<SourceFile> = files
        .into_iter()
        .filter(|(p, _)| !p.starts_with("locales/"))
        .map(|(path, value)| SourceFile { path, value })
        .collect();
    let manuals = domain::source::read_manuals(dir).map_err(|e| vec![e])?;
    let refs: Vec<(u8, &str)> = manuals.iter().map(|(n, t)| (*n, t.as_str())).collect();
    domain::bundle::load(&files, &refs).map_err(|errs| errs.iter().map(|e| e.to_string()).collect())
}
