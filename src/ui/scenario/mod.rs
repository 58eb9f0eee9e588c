//! Practice: role-play scenarios and observation checklists.

pub mod observe;
pub mod roleplay;
