//! The only code that touches web APIs (web_sys / js_sys). Everything returns typed errors.

pub mod storage;
pub mod platform;
pub mod fetch;
pub mod idb;
