//! Text shortened for a narrow place; the full text in a `title` and one tap away.

use leptos::prelude::*;

use crate::domain::text::clip;

/// `text` in at most `max` characters (the rule is `domain::text::clip`); when cut, a
/// disclosure whose summary carries the full text as its `title`; opening it shows the full
/// text in place of the short one (closing shows the short one again).
#[component]
pub fn Clip(
    /// The full text.
    #[prop(into)]
    text: String,
    /// Characters shown before "…".
    max: usize,
) -> impl IntoView {
    let c = clip(&text, max);
    if c.cut {
        let title = text.clone();
        view! {
            <details class="clip">
                <summary title=title><span class="clip__short">{c.shown}</span><span class="clip__full">{text}</span></summary>
            </details>
        }
        .into_any()
    } else {
        view! { <span>{text}</span> }.into_any()
    }
}
