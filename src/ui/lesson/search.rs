//! Search across all lessons (titles and text, both languages).

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser::fetch::LoadError;
use crate::domain::search::{Entry, entries, find};
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, use_lang};
use crate::ui::common::load_failed::LoadFailed;
use crate::ui::common::loaders::load_module;

#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let lang = use_lang();
    let query = RwSignal::new(String::new());
    // Lesson bodies are fetched on demand; search fetches every module once (then cached).
    let ids: Vec<String> = course.file.tracks.iter().flat_map(|t| t.modules.clone()).collect();
    let index = LocalResource::new(move || {
        let ids = ids.clone();
        async move {
            let mut modules = Vec::with_capacity(ids.len());
            for id in ids {
                modules.push(load_module(id).await?);
            }
            Ok::<Arc<Vec<Entry>>, LoadError>(Arc::new(entries(modules.iter().map(|m| m.as_ref()))))
        }
    });
    let results = move || {
        let lang = lang.get();
        let q = query.get();
        match index.get() {
            None => view! { <p class="muted">{t!(i18n, search_loading)}</p> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |()| index.refetch()) /> }.into_any(),
            Some(Ok(entries)) => {
                if q.trim().is_empty() {
                    return ().into_any();
                }
                let hits = find(&entries, &q, lang);
                if hits.is_empty() {
                    return view! { <p class="muted" data-testid="search-none">{t!(i18n, search_none)}</p> }.into_any();
                }
                let count = hits.len();
                view! {
                    <p class="muted" data-testid="search-count">{t_string!(i18n, search_results, count = count).to_string()}</p>
                    <ul class="lesson-list">
                        {hits.into_iter().map(|h| view! {
                            <li>
                                <A href=format!("/lesson/{}/{}", h.module, h.lesson) attr:class="row-link" attr:data-testid="search-hit">
                                    <span class="row-link__main">
                                        <strong>{h.title}</strong>
                                        <span class="muted">{h.module_title}</span>
                                        <span class="search__snippet">{h.snippet}</span>
                                    </span>
                                </A>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }
        }
    };
    view! {
        <h1>{t!(i18n, search_heading)}</h1>
        <input
            class="search__input"
            type="search"
            autofocus
            data-testid="search-input"
            placeholder=move || t_string!(i18n, search_placeholder).to_string()
            aria-label=move || t_string!(i18n, search_heading).to_string()
            prop:value=move || query.get()
            on:input=move |ev| query.set(event_target_value(&ev))
        />
        <div class="search__results">{results}</div>
    }
}
