//! Renders content once it is loaded, with a loading line and a retry on failure.

use std::sync::Arc;

use leptos::prelude::*;

use crate::browser::fetch::LoadError;
use crate::i18n::*;
use crate::ui::common::load_failed::LoadFailed;

/// Loads `load(id)` and renders `f` with it; shows loading, and an error with a retry button.
#[component]
pub fn Fetched<T: Send + Sync + 'static, Fut: std::future::Future<Output = Result<Arc<T>, LoadError>> + 'static>(
    /// The id passed to `load`.
    id: String,
    /// Fetches the content.
    load: fn(String) -> Fut,
    /// Renders the loaded content.
    f: Arc<dyn Fn(Arc<T>) -> AnyView + Send + Sync>,
) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new(move || load(id.clone()));
    move || match loaded.get() {
        None => view! { <p class="muted loading">{t!(i18n, loading)}</p> }.into_any(),
        Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |()| loaded.refetch()) /> }.into_any(),
        Some(Ok(x)) => f(x),
    }
}
