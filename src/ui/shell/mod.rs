//! The frame around every screen, the home page and the unknown-address page.

pub mod content_errors;
pub mod frame;
pub mod home;
pub mod not_found;
pub mod update;
