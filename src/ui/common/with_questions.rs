//! Screens that need the question banks (quizzes, results, the dashboard) wait for them here.

use leptos::prelude::*;

use crate::i18n::*;
use crate::ui::common::context::CourseCtx;
use crate::ui::common::load_failed::LoadFailed;
use crate::ui::common::loaders::load_questions;

/// Renders its children once the question banks are loaded, with `CourseCtx` holding them.
#[component]
pub fn WithQuestions(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let catalog = CourseCtx::expect().0;
    let loaded = LocalResource::new(move || load_questions(catalog.clone()));
    let children = StoredValue::new(children);
    move || match loaded.get() {
        None => view! { <p class="muted loading">{t!(i18n, loading)}</p> }.into_any(),
        Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |()| loaded.refetch()) /> }.into_any(),
        Some(Ok(full)) => {
            provide_context(CourseCtx(full));
            children.with_value(|c| c()).into_any()
        }
    }
}
