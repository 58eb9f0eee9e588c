//! The router and the contexts every screen uses.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::browser::fetch::fetch_text;
use crate::domain::checklist::Checklist;
use crate::domain::content::{ContentError, Course, Module};
use crate::domain::manual::Manual;
use crate::domain::scenario::Scenario;
use crate::domain::text::Lang;
use crate::i18n::*;
use crate::ui;

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

thread_local! {
    static MODULES: RefCell<HashMap<String, Arc<Module>>> = RefCell::new(HashMap::new());
    static MANUALS: RefCell<HashMap<u8, Arc<Manual>>> = RefCell::new(HashMap::new());
    static WITH_QUESTIONS: RefCell<Option<Arc<Course>>> = const { RefCell::new(None) };
    static SCENARIOS: RefCell<HashMap<String, Arc<Scenario>>> = RefCell::new(HashMap::new());
    static CHECKLISTS: RefCell<HashMap<String, Arc<Checklist>>> = RefCell::new(HashMap::new());
}

/// A checklist with its items, fetched once from `content/checklists/<id>.json`.
pub async fn load_checklist(id: String) -> Result<Arc<Checklist>, String> {
    if let Some(c) = CHECKLISTS.with(|c| c.borrow().get(&id).cloned()) {
        return Ok(c);
    }
    let text = fetch_text(&format!("/content/checklists/{id}.json"))
        .await
        .map_err(|e| e.to_string())?;
    let c = Arc::new(Course::parse_checklist(&format!("checklists/{id}.toml"), &text).map_err(|e| e.to_string())?);
    CHECKLISTS.with(|m| m.borrow_mut().insert(id, c.clone()));
    Ok(c)
}

/// Loads `load(id)` and renders `f` with it; shows loading, and an error with a retry button.
#[component]
pub fn Fetched<T: Send + Sync + 'static, Fut: std::future::Future<Output = Result<Arc<T>, String>> + 'static>(
    id: String,
    load: fn(String) -> Fut,
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

/// A scenario with its nodes and endings, fetched once from `content/scenarios/<id>.json`.
pub async fn load_scenario(id: String) -> Result<Arc<Scenario>, String> {
    if let Some(s) = SCENARIOS.with(|c| c.borrow().get(&id).cloned()) {
        return Ok(s);
    }
    let text = fetch_text(&format!("/content/scenarios/{id}.json"))
        .await
        .map_err(|e| e.to_string())?;
    let s = Arc::new(Course::parse_scenario(&format!("scenarios/{id}.toml"), &text).map_err(|e| e.to_string())?);
    SCENARIOS.with(|c| c.borrow_mut().insert(id, s.clone()));
    Ok(s)
}

/// The catalog with every question bank, fetched once from `content/questions.json`.
pub async fn load_questions(catalog: Arc<Course>) -> Result<Arc<Course>, String> {
    if let Some(c) = WITH_QUESTIONS.with(|c| c.borrow().clone()) {
        return Ok(c);
    }
    let text = fetch_text("/content/questions.json").await.map_err(|e| e.to_string())?;
    let banks = Course::parse_banks(&text).map_err(|e| e.to_string())?;
    let mut full = (*catalog).clone();
    full.banks = banks;
    let full = Arc::new(full);
    WITH_QUESTIONS.with(|c| *c.borrow_mut() = Some(full.clone()));
    Ok(full)
}

/// A fetch failed: what went wrong and a retry button.
#[component]
pub fn LoadFailed(error: String, retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="banner banner--error" role="alert">
            <p>{t!(i18n, lesson_load_failed)} " (" {error} ")"</p>
            <button class="btn btn--primary" type="button" on:click=move |_| retry.run(())>{t!(i18n, retry)}</button>
        </div>
    }
}

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

/// A module with its lesson bodies, fetched once from `content/modules/<id>.json`.
pub async fn load_module(id: String) -> Result<Arc<Module>, String> {
    if let Some(m) = MODULES.with(|c| c.borrow().get(&id).cloned()) {
        return Ok(m);
    }
    let text = fetch_text(&format!("/content/modules/{id}.json"))
        .await
        .map_err(|e| e.to_string())?;
    let m = Arc::new(Course::parse_module(&format!("modules/{id}.toml"), &text).map_err(|e| e.to_string())?);
    MODULES.with(|c| c.borrow_mut().insert(id, m.clone()));
    Ok(m)
}

/// A manual, fetched once from `content/manuals/m<N>.md` and parsed into sections.
pub async fn load_manual(n: u8) -> Result<Arc<Manual>, String> {
    if let Some(m) = MANUALS.with(|c| c.borrow().get(&n).cloned()) {
        return Ok(m);
    }
    let text = fetch_text(&format!("/content/manuals/m{n}.md"))
        .await
        .map_err(|e| e.to_string())?;
    let m = Arc::new(Manual::parse(n, &text)?);
    MANUALS.with(|c| c.borrow_mut().insert(n, m.clone()));
    Ok(m)
}

pub use crate::session::ProgressCtx;

/// The content language, following the interface locale.
pub fn use_lang() -> Signal<Lang> {
    let i18n = use_i18n();
    Signal::derive(move || match i18n.get_locale() {
        Locale::en => Lang::En,
        Locale::zh_Hans => Lang::Zh,
    })
}

#[component]
pub fn App() -> impl IntoView {
    crate::browser::platform::remove_boot_screen();
    view! {
        <I18nContextProvider>
            {match crate::bundled::catalog() {
                Ok(course) => {
                    provide_context(CourseCtx(Arc::new(course)));
                    let loaded = LocalResource::new(crate::session::load);
                    let ctx = StoredValue::new(None::<ProgressCtx>);
                    (move || {
                        let l = loaded.get()?;
                        let c = ProgressCtx::new(l);
                        ctx.set_value(Some(c));
                        provide_context(c);
                        leptos::task::spawn_local(async {
                            let _ = crate::browser::idb::persist().await;
                        });
                        Some(view! { <Routed /> })
                    })
                    .into_any()
                }
                Err(errors) => view! { <ContentErrors errors /> }.into_any(),
            }}
        </I18nContextProvider>
    }
}

#[component]
fn Routed() -> impl IntoView {
    view! {
        <Router>
            <ui::shell::Shell>
                <Show when=move || { let c = ProgressCtx::expect(); c.trainee.get().is_some() || c.trainer.get() } fallback=ui::trainees::Picker>
                <Routes fallback=ui::not_found::NotFound>
                    <Route path=path!("/") view=ui::home::Home />
                    <Route path=path!("/module/:module") view=ui::module_page::ModulePage />
                    <Route path=path!("/lesson/:module/:lesson") view=ui::lesson::LessonPage />
                    <Route path=path!("/quiz/:quiz") view=|| view! { <WithQuestions><ui::quiz::QuizPage /></WithQuestions> } />
                    <Route path=path!("/result/:attempt") view=|| view! { <WithQuestions><ui::result::ResultPage /></WithQuestions> } />
                    <Route path=path!("/search") view=ui::search::SearchPage />
                    <Route path=path!("/scenario/:scenario") view=ui::roleplay::ScenarioPage />
                    <Route path=path!("/debrief/:run") view=ui::roleplay::DebriefPage />
                    <Route path=path!("/checklist/:checklist") view=ui::observe::ChecklistPage />
                    <Route path=path!("/observation/:record") view=ui::observe::ObservationPage />
                    <Route path=path!("/results") view=ui::results::ResultsPage />
                    <Route path=path!("/trainer") view=ui::trainer::TrainerPage />
                    <Route path=path!("/dashboard") view=|| view! { <WithQuestions><ui::dashboard::DashboardPage /></WithQuestions> } />
                    <Route path=path!("/progress") view=ui::progress::ProgressPage />
                    <Route path=path!("/report/:track") view=ui::progress::ReportPage />
                    <Route path=path!("/practice") view=|| view! { <WithQuestions><ui::quiz::PracticePage /></WithQuestions> } />
                </Routes>
                </Show>
            </ui::shell::Shell>
        </Router>
    }
}

/// Shown instead of the app when the bundled content does not load.
#[component]
fn ContentErrors(errors: Vec<ContentError>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="page">
            <div class="banner banner--error" role="alert">
                <p>{t!(i18n, content_error)}</p>
                <ul>{errors.into_iter().map(|e| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
            </div>
        </main>
    }
}
