//! Components: each screen wires domain logic to the page; no rule lives here.

pub mod citation;
pub mod dashboard;
pub mod home;
pub mod lesson;
pub mod module_page;
pub mod not_found;
pub mod observe;
pub mod progress;
pub mod quiz;
pub mod result;
pub mod results;
pub mod roleplay;
pub mod scorecard;
pub mod search;
pub mod shell;
pub mod trainees;
pub mod trainer;
