//! Quizzes: taking one, its result, and the per-criterion scorecard every result shows.

pub mod result;
pub mod scorecard;
pub mod take;
