//! Trainer mode: unlocking, the panel, the dashboard, and picking who uses the tablet.

pub mod dashboard;
pub mod panel;
pub mod trainees;
pub mod unlock;
