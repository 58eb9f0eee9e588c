//! The only code that touches web APIs (web_sys / js_sys). Everything returns typed errors.

pub mod fetch;
pub mod idb;
pub mod platform;
pub mod storage;
pub mod sw;
