//! Pure domain logic: no leptos, no web_sys. Everything here compiles and is tested natively.

pub mod checklist;
pub mod citation;
pub mod engine;
pub mod exchange;
pub mod content;
pub mod manual;
pub mod quiz;
pub mod report;
pub mod records;
pub mod rubric;
pub mod scenario;
pub mod profiles;
pub mod search;
pub mod store;
pub mod text;
pub mod validate;
pub mod analysis;
pub mod bundle;
#[cfg(not(target_arch = "wasm32"))]
pub mod source;
