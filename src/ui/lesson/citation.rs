//! Citation chips and the panel that shows the cited manual passage.

use leptos::ev;
use leptos::prelude::*;

use crate::domain::citation::Citation;
use crate::domain::manual::{Passage, bold_runs};
use crate::domain::text::Lang;
use crate::i18n::*;
use crate::ui::common::context::use_lang;
use crate::ui::common::loaders::load_manual;

/// Which citation the panel shows, if any.
#[derive(Clone, Copy)]
pub struct CitationCtx {
    pub open: RwSignal<Option<String>>,
}

impl CitationCtx {
    pub fn provide() {
        provide_context(CitationCtx {
            open: RwSignal::new(None),
        });
    }

    pub fn expect() -> Self {
        expect_context::<CitationCtx>()
    }
}

/// The citation keys of an item, as tappable chips.
#[component]
pub fn Cites(
    /// Citation keys, e.g. `m5 §三(三)`.
    cites: Vec<String>,
) -> impl IntoView {
    let ctx = CitationCtx::expect();
    view! {
        <span class="cites">
            {cites
                .into_iter()
                .map(|c| {
                    let key = c.clone();
                    view! {
                        <button
                            class="cite"
                            type="button"
                            on:click=move |_| ctx.open.set(Some(key.clone()))
                        >
                            {c}
                        </button>
                    }
                })
                .collect_view()}
        </span>
    }
}

fn rich(text: &str) -> impl IntoView + use<> {
    bold_runs(text)
        .into_iter()
        .map(|(bold, s)| {
            let s = s.to_string();
            if bold {
                view! { <strong>{s}</strong> }.into_any()
            } else {
                s.into_any()
            }
        })
        .collect_view()
}

/// The side (tablet) or bottom (phone) sheet with the manual's original text.
#[component]
pub fn CitationPanel() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = CitationCtx::expect();
    let lang = use_lang();
    let manual_no = move || {
        ctx.open
            .with(|o| o.as_deref().and_then(|k| Citation::parse(k).ok()).map(|c| c.manual))
    };
    let loaded = LocalResource::new(move || {
        let n = manual_no();
        async move {
            match n {
                Some(n) => load_manual(n).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let close = move || ctx.open.set(None);
    let handle = window_event_listener(ev::keydown, move |e| {
        if e.key() == "Escape" {
            ctx.open.set(None);
        }
    });
    on_cleanup(move || handle.remove());
    move || {
        let key = ctx.open.get()?;
        let parsed = Citation::parse(&key).ok();
        let fetched = loaded.get();
        let failed = matches!(fetched, Some(Err(_)));
        let manual = fetched
            .and_then(|r| r.ok())
            .flatten()
            .filter(|m| parsed.as_ref().is_some_and(|c| c.manual == m.number));
        // While the resource still holds the previous manual (or none), this one is loading.
        let loading = parsed.is_some() && manual.is_none() && !failed;
        let sections: Vec<_> = match (&parsed, &manual) {
            (Some(c), Some(m)) => m.section_with_children(&c.section).into_iter().cloned().collect(),
            _ => Vec::new(),
        };
        let title = manual
            .as_ref()
            .map(|m| format!("m{} · {}", m.number, m.title))
            .unwrap_or_default();
        let body = if loading {
            view! { <p class="muted">{t!(i18n, loading)}</p> }.into_any()
        } else if sections.is_empty() {
            view! { <p>{t!(i18n, citation_not_found)}</p> }.into_any()
        } else {
            sections
                .into_iter()
                .map(|s| {
                    let heading = format!("§{} {}", s.key, s.title);
                    let passages = s
                        .body
                        .iter()
                        .map(|p| match p {
                            Passage::Para(t) => view! { <p>{rich(t)}</p> }.into_any(),
                            Passage::Item { marker, text } => view! {
                                <p class="passage__item">
                                    <span class="passage__marker">{marker.clone()}</span>
                                    <span>{rich(text)}</span>
                                </p>
                            }
                            .into_any(),
                        })
                        .collect_view();
                    view! {
                        <section class="passage">
                            <h3>{heading}</h3>
                            {passages}
                        </section>
                    }
                })
                .collect_view()
                .into_any()
        };
        let note = (lang.get() == Lang::En).then(|| {
            view! { <p class="sheet__note">{t!(i18n, manual_in_chinese)}</p> }
        });
        Some(view! {
            <div class="sheet-backdrop" on:click=move |_| close()></div>
            <aside class="sheet" role="dialog" aria-modal="true" aria-labelledby="sheet-title" data-testid="citation-panel">
                <header class="sheet__head">
                    <div>
                        <p class="sheet__eyebrow">{t!(i18n, manual_passage)} " · " {key.clone()}</p>
                        <h2 id="sheet-title">{title}</h2>
                    </div>
                    <button class="btn btn--ghost" type="button" on:click=move |_| close()>
                        {t!(i18n, close)}
                    </button>
                </header>
                {note}
                <div class="sheet__body" lang="zh-Hans">{body}</div>
            </aside>
        })
    }
}
