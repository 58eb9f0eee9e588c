//! The lesson reader: blocks rendered by kind, every item with its citations,
//! position in the module, mark as done, previous / next.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::browser::platform::scroll_to_top;
use crate::domain::content::{Block, BlockKind, LessonRef, Tone};
use crate::domain::report::share_percent;
use crate::domain::text::Lang;
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::common::load_failed::LoadFailed;
use crate::ui::common::loaders::load_module;
use crate::ui::lesson::citation::Cites;
use crate::ui::shell::not_found::NotFound;

#[component]
pub fn LessonPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    let lang = use_lang();
    Effect::new(move |_| {
        params.track();
        scroll_to_top();
    });
    let module_id = move || params.with(|p| p.get("module").unwrap_or_default());
    let loaded = LocalResource::new(move || load_module(module_id()));
    move || {
        let (mid, lid) = params.with(|p| (p.get("module").unwrap_or_default(), p.get("lesson").unwrap_or_default()));
        if course.module(&mid).is_none() {
            return view! { <NotFound /> }.into_any();
        }
        let m = match loaded.get() {
            None => return view! { <p class="muted loading">{t!(i18n, loading)}</p> }.into_any(),
            Some(Err(e)) => {
                return view! { <LoadFailed error=e retry=Callback::new(move |()| loaded.refetch()) /> }.into_any();
            }
            Some(Ok(m)) if m.id == mid => m,
            Some(Ok(_)) => return view! { <p class="muted loading">{t!(i18n, loading)}</p> }.into_any(),
        };
        let Some(index) = m.lessons.iter().position(|l| l.id == lid) else {
            return view! { <NotFound /> }.into_any();
        };
        let lang = lang.get();
        let lesson = m.lessons[index].clone();
        let total = m.lessons.len();
        let key = LessonRef::new(&m.id, &lesson.id).key();
        let k2 = key.clone();
        let done = Signal::derive(move || ctx.progress.with(|p| p.is_lesson_done(&k2)));
        let toggle = move |_| {
            let key = key.clone();
            ctx.update(move |p| p.toggle_lesson(&key));
        };
        let prev = index.checked_sub(1).map(|i| m.lessons[i].id.clone());
        let next = m.lessons.get(index + 1).map(|l| l.id.clone());
        let quiz = course.quizzes_for_module(&m.id).next().map(|q| q.id.clone());
        let (module_href, module_title) = (format!("/module/{}", m.id), m.title.get(lang).to_string());
        let mid = m.id.clone();
        let blocks = lesson.blocks.iter().map(|b| render_block(b, lang)).collect_view();
        view! {
            <nav class="crumbs">
                <A href="/">{t!(i18n, nav_home)}</A>
                " / "
                <A href=module_href.clone()>{module_title}</A>
            </nav>
            <div class="reader">
                <div class="reader__progress" aria-hidden="true">
                    <div class="meter"><div class="meter__fill" style:width=format!("{}%", share_percent(index + 1, total))></div></div>
                </div>
                <p class="eyebrow">{t_string!(i18n, lesson_position, n = index + 1, total = total).to_string()}</p>
                <h1 data-testid="lesson-title">{lesson.title.get(lang).to_string()}</h1>
                <p class="lead">{lesson.intro.get(lang).to_string()}</p>
                {blocks}
                <div class="reader__done">
                    <button
                        class=move || if done.get() { "btn btn--done" } else { "btn btn--primary" }
                        type="button"
                        on:click=toggle
                        aria-pressed=move || done.get().to_string()
                        data-testid="mark-done"
                    >
                        {move || if done.get() {
                            view! { <span>"✓ " {t!(i18n, lesson_done)}</span> }.into_any()
                        } else {
                            view! { <span>{t!(i18n, mark_done)}</span> }.into_any()
                        }}
                    </button>
                </div>
                <nav class="pager">
                    {prev.map(|p| view! {
                        <A href=format!("/lesson/{}/{}", mid, p) attr:class="btn btn--ghost">"← " {t!(i18n, previous_lesson)}</A>
                    })}
                    <span class="pager__gap"></span>
                    {match (next, quiz) {
                        (Some(n), _) => view! {
                            <A href=format!("/lesson/{}/{}", mid, n) attr:class="btn btn--primary">{t!(i18n, next_lesson)} " →"</A>
                        }.into_any(),
                        (None, Some(q)) => view! {
                            <A href=format!("/quiz/{q}") attr:class="btn btn--primary">{t!(i18n, quiz_start)} " →"</A>
                        }.into_any(),
                        (None, None) => view! {
                            <A href=module_href attr:class="btn btn--ghost">{t!(i18n, back_to_module)}</A>
                        }.into_any(),
                    }}
                </nav>
            </div>
        }
        .into_any()
    }
}

/// Renders one block; the block kind picks the layout (and a CSS modifier class).
fn render_block(b: &Block, lang: Lang) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let heading = b.heading.as_ref().map(|h| h.get(lang).to_string());
    let class = format!("block block--{}", b.kind.as_str());
    let items = b.items.clone();
    let body = match b.kind {
        BlockKind::Steps => view! {
            <ol class="steps">
                {items.into_iter().map(|it| view! {
                    <li class="steps__item">
                        <span class="steps__text">{it.text.get(lang).to_string()}</span>
                        <Cites cites=it.cite />
                    </li>
                }).collect_view()}
            </ol>
        }
        .into_any(),
        BlockKind::Numbers => view! {
            <dl class="numbers">
                {items.into_iter().map(|it| view! {
                    <div class="numbers__row">
                        <dt class="numbers__value">{it.value.map(|v| v.get(lang).to_string()).unwrap_or_default()}</dt>
                        <dd>{it.text.get(lang).to_string()} <Cites cites=it.cite /></dd>
                    </div>
                }).collect_view()}
            </dl>
        }
        .into_any(),
        BlockKind::DoDont => view! {
            <ul class="dodont">
                {items.into_iter().map(|it| {
                    let (cls, label) = match it.tone {
                        Some(Tone::Dont) => ("dodont__item dodont__item--dont", view! { <span>"✗ " {t!(i18n, dont_label)}</span> }.into_any()),
                        _ => ("dodont__item dodont__item--do", view! { <span>"✓ " {t!(i18n, do_label)}</span> }.into_any()),
                    };
                    view! {
                        <li class=cls>
                            <span class="dodont__label">{label}</span>
                            <span>{it.text.get(lang).to_string()} <Cites cites=it.cite /></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any(),
        BlockKind::Phrases => view! {
            <div class="phrases">
                {items.into_iter().map(|it| view! {
                    <blockquote class="phrase">
                        <p>{it.text.get(lang).to_string()}</p>
                        <Cites cites=it.cite />
                    </blockquote>
                }).collect_view()}
            </div>
        }
        .into_any(),
        BlockKind::Points | BlockKind::Differ => view! {
            <ul class="points">
                {items.into_iter().map(|it| view! {
                    <li>{it.text.get(lang).to_string()} <Cites cites=it.cite /></li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
    };
    let differ =
        (b.kind == BlockKind::Differ).then(|| view! { <p class="block__flag">"⚠ " {t!(i18n, differ_label)}</p> });
    view! {
        <section class=class>
            {differ}
            {heading.map(|h| view! { <h2 class="block__heading">{h}</h2> })}
            {body}
        </section>
    }
}
