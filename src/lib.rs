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
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// The content bundled at build time from `content/` (see `build.rs`).
pub mod bundled {
    use crate::domain::bundle::{self, Bundle};
    use crate::domain::content::ContentError;

    /// The `*.toml` content files as a JSON array.
    pub const CONTENT_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/content.json"));

    /// The five manuals' Markdown, by number.
    pub const MANUALS: [(u8, &str); 5] = [
        (1, include_str!("../content/manuals/m1-enterprise-reception.md")),
        (2, include_str!("../content/manuals/m2-service-etiquette.md")),
        (3, include_str!("../content/manuals/m3-business-center.md")),
        (4, include_str!("../content/manuals/m4-logistics.md")),
        (5, include_str!("../content/manuals/m5-service-standards.md")),
    ];

    /// Loads the bundled course. The test suite validates the same content, so this only
    /// fails if a build skipped the tests.
    pub fn load() -> Result<Bundle, Vec<ContentError>> {
        let files = bundle::files_from_json(CONTENT_JSON)
            .map_err(|e| vec![ContentError { file: "content.json".into(), item: String::new(), message: e }])?;
        bundle::load(&files, &MANUALS)
    }
}
