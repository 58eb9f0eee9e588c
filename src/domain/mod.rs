//! Pure domain logic: no leptos, no web_sys. Everything here compiles and is tested natively.

pub mod analysis;
pub mod bundle;
pub mod checklist;
pub mod citation;
pub mod content;
pub mod device;
pub mod engine;
pub mod exchange;
pub mod manual;
pub mod profiles;
pub mod quiz;
pub mod random;
pub mod records;
pub mod report;
pub mod review;
pub mod rubric;
pub mod scenario;
pub mod search;
#[cfg(not(target_arch = "wasm32"))]
pub mod source;
pub mod store;
pub mod text;
pub mod validate;
pub mod xapi;
