//! What every screen shares: contexts, content loading, error banners, labels, small parts.

pub mod avatar;
pub mod clip;
pub mod context;
pub mod errors;
pub mod fetched;
pub mod labels;
pub mod load_failed;
pub mod loaders;
pub mod profile_chart;
pub mod with_questions;
