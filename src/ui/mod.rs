//! Components: each screen wires domain logic to the page; no rule lives here.
//!
//! `common` is what every screen shares; the other folders are one per screen family. No
//! module here imports the router (`app.rs`: the router imports the screens, never the reverse).

pub mod common;
pub mod lesson;
pub mod progress;
pub mod quiz;
pub mod scenario;
pub mod shell;
pub mod trainer;
