//! The contexts every screen reads: the course catalog, the progress of the current user and
//! the content language.

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::content::Course;
use crate::domain::text::Lang;
use crate::i18n::*;

pub use crate::session::ProgressCtx;

/// The course catalog (everything but lesson bodies), shared read-only by every screen.
#[derive(Clone)]
pub struct CourseCtx(pub Arc<Course>);

impl CourseCtx {
    pub fn expect() -> Self {
        expect_context::<CourseCtx>()
    }
}

impl std::ops::Deref for CourseCtx {
    type Target = Course;
    fn deref(&self) -> &Course {
        &self.0
    }
}

/// The content language, following the interface locale.
pub fn use_lang() -> Signal<Lang> {
    let i18n = use_i18n();
    Signal::derive(move || match i18n.get_locale() {
        Locale::en => Lang::En,
        Locale::zh_Hans => Lang::Zh,
    })
}
