//! The router and the contexts every screen uses.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::browser::storage::{self, LocalStorage, StorageError};
use crate::browser::fetch::fetch_text;
use crate::domain::content::{ContentError, Course, Module};
use crate::domain::manual::Manual;
use crate::domain::records::Progress;
use crate::domain::checklist::Checklist;
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
    let text = fetch_text(&format!("/content/checklists/{id}.json")).await.map_err(|e| e.to_string())?;
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
        Some(Err(e)) => view! {
            <div class="banner banner--error" role="alert">
                <p>{t!(i18n, lesson_load_failed)} " (" {e} ")"</p>
                <button class="btn btn--primary" type="button" on:click=move |_| loaded.refetch()>{t!(i18n, retry)}</button>
            </div>
        }
        .into_any(),
        Some(Ok(x)) => f(x),
    }
}

/// A scenario with its nodes and endings, fetched once from `content/scenarios/<id>.json`.
pub async fn load_scenario(id: String) -> Result<Arc<Scenario>, String> {
    if let Some(s) = SCENARIOS.with(|c| c.borrow().get(&id).cloned()) {
        return Ok(s);
    }
    let text = fetch_text(&format!("/content/scenarios/{id}.json")).await.map_err(|e| e.to_string())?;
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

/// Renders its children once the question banks are loaded, with `CourseCtx` holding them.
#[component]
pub fn WithQuestions(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let catalog = CourseCtx::expect().0;
    let loaded = LocalResource::new(move || load_questions(catalog.clone()));
    let children = StoredValue::new(children);
    move || match loaded.get() {
        None => view! { <p class="muted loading">{t!(i18n, loading)}</p> }.into_any(),
        Some(Err(e)) => view! {
            <div class="banner banner--error" role="alert">
                <p>{t!(i18n, lesson_load_failed)} " (" {e} ")"</p>
                <button class="btn btn--primary" type="button" on:click=move |_| loaded.refetch()>{t!(i18n, retry)}</button>
            </div>
        }
        .into_any(),
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
    let text = fetch_text(&format!("/content/modules/{id}.json")).await.map_err(|e| e.to_string())?;
    let m = Arc::new(Course::parse_module(&format!("modules/{id}.toml"), &text).map_err(|e| e.to_string())?);
    MODULES.with(|c| c.borrow_mut().insert(id, m.clone()));
    Ok(m)
}

/// A manual, fetched once from `content/manuals/m<N>.md` and parsed into sections.
pub async fn load_manual(n: u8) -> Result<Arc<Manual>, String> {
    if let Some(m) = MANUALS.with(|c| c.borrow().get(&n).cloned()) {
        return Ok(m);
    }
    let text = fetch_text(&format!("/content/manuals/m{n}.md")).await.map_err(|e| e.to_string())?;
    let m = Arc::new(Manual::parse(n, &text)?);
    MANUALS.with(|c| c.borrow_mut().insert(n, m.clone()));
    Ok(m)
}

/// The trainee's progress and the state of its storage.
#[derive(Clone, Copy)]
pub struct ProgressCtx {
    pub progress: RwSignal<Progress>,
    /// The last storage problem, shown as a banner; `None` while saving works.
    pub storage: RwSignal<Option<StorageError>>,
    /// True when what is stored must not be overwritten (newer schema).
    read_only: StoredValue<bool>,
    /// Saves to IndexedDB still in flight (0 when everything is durable).
    pub pending: RwSignal<u32>,
}

impl ProgressCtx {
    pub fn expect() -> Self {
        expect_context::<ProgressCtx>()
    }

    fn load() -> Self {
        let (progress, error) = match storage::load_progress(&LocalStorage) {
            Ok(p) => (p, None),
            Err(e) => (Progress::default(), Some(e)),
        };
        let read_only = matches!(error, Some(StorageError::FromTheFuture(_)));
        ProgressCtx {
            progress: RwSignal::new(progress),
            storage: RwSignal::new(error),
            read_only: StoredValue::new(read_only),
            pending: RwSignal::new(0),
        }
    }

    /// Takes the IndexedDB copy when it is newer than the localStorage one (a browser killed
    /// before localStorage reached the disk), and writes it back to localStorage.
    fn reconcile(&self, durable: Option<String>) {
        if self.read_only.get_value() {
            return;
        }
        let Some(newer) = durable.and_then(|raw| Progress::decode(&raw).ok()) else { return };
        if newer.revision > self.progress.with_untracked(|p| p.revision) {
            let _ = storage::save_progress(&LocalStorage, &newer);
            self.progress.set(newer);
        }
    }

    /// Changes progress in memory, then saves it. A failed save keeps the change in memory
    /// and shows the banner; a later successful save clears it.
    pub fn update(&self, f: impl FnOnce(&mut Progress)) {
        self.progress.update(|p| {
            f(p);
            p.revision += 1;
        });
        if self.read_only.get_value() {
            return;
        }
        let json = self.progress.with_untracked(|p| p.encode());
        let pending = self.pending;
        pending.update(|n| *n += 1);
        leptos::task::spawn_local(async move {
            // A failure here leaves the localStorage copy, which the banner reports on.
            let _ = crate::browser::idb::put(storage::PROGRESS_KEY, &json).await;
            pending.update(|n| *n = n.saturating_sub(1));
        });
        let result = self.progress.with_untracked(|p| storage::save_progress(&LocalStorage, p));
        match result {
            Ok(()) => {
                // A corrupt-data notice stays until reload: the trainee should see it once.
                if !matches!(self.storage.get_untracked(), Some(StorageError::Corrupt(_))) {
                    self.storage.set(None);
                }
            }
            Err(e) => self.storage.set(Some(e)),
        }
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

#[component]
pub fn App() -> impl IntoView {
    crate::browser::platform::remove_boot_screen();
    view! {
        <I18nContextProvider>
            {match crate::bundled::catalog() {
                Ok(course) => {
                    provide_context(CourseCtx(Arc::new(course)));
                    let progress = ProgressCtx::load();
                    provide_context(progress);
                    let durable = LocalResource::new(|| crate::browser::idb::get(storage::PROGRESS_KEY));
                    let reconciled = StoredValue::new(false);
                    (move || {
                        let copy = durable.get()?;
                        if !reconciled.get_value() {
                            reconciled.set_value(true);
                            progress.reconcile(copy.ok().flatten());
                        }
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
                    <Route path=path!("/practice") view=|| view! { <WithQuestions><ui::quiz::PracticePage /></WithQuestions> } />
                </Routes>
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
