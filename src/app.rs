//! The router: the app's contexts are provided here and each address maps to a screen.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::i18n::*;
use crate::ui;
use crate::ui::common::context::{CourseCtx, ProgressCtx};
use crate::ui::common::with_questions::WithQuestions;

#[component]
pub fn App() -> impl IntoView {
    crate::browser::platform::remove_boot_screen();
    ui::shell::update::UpdateCtx::provide();
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
                Err(errors) => view! { <ui::shell::content_errors::ContentErrors errors /> }.into_any(),
            }}
        </I18nContextProvider>
    }
}

#[component]
fn Routed() -> impl IntoView {
    view! {
        <Router>
            <ui::shell::frame::Shell>
                <Show when=move || { let c = ProgressCtx::expect(); c.trainee.get().is_some() || c.trainer.get() } fallback=ui::trainer::trainees::Picker>
                <Routes fallback=ui::shell::not_found::NotFound>
                    <Route path=path!("/") view=ui::shell::home::Home />
                    <Route path=path!("/module/:module") view=ui::lesson::module_page::ModulePage />
                    <Route path=path!("/lesson/:module/:lesson") view=ui::lesson::reader::LessonPage />
                    <Route path=path!("/quiz/:quiz") view=|| view! { <WithQuestions><ui::quiz::take::QuizPage /></WithQuestions> } />
                    <Route path=path!("/result/:attempt") view=|| view! { <WithQuestions><ui::quiz::result::ResultPage /></WithQuestions> } />
                    <Route path=path!("/search") view=ui::lesson::search::SearchPage />
                    <Route path=path!("/scenario/:scenario") view=ui::scenario::roleplay::ScenarioPage />
                    <Route path=path!("/debrief/:run") view=ui::scenario::roleplay::DebriefPage />
                    <Route path=path!("/checklist/:checklist") view=ui::scenario::observe::ChecklistPage />
                    <Route path=path!("/observation/:record") view=ui::scenario::observe::ObservationPage />
                    <Route path=path!("/results") view=ui::progress::results::ResultsPage />
                    <Route path=path!("/trainer") view=ui::trainer::panel::TrainerPage />
                    <Route path=path!("/dashboard") view=|| view! { <WithQuestions><ui::trainer::dashboard::DashboardPage /></WithQuestions> } />
                    <Route path=path!("/progress") view=ui::progress::my_progress::ProgressPage />
                    <Route path=path!("/report/:track") view=ui::progress::report::ReportPage />
                    <Route path=path!("/practice") view=|| view! { <WithQuestions><ui::quiz::take::PracticePage /></WithQuestions> } />
                </Routes>
                </Show>
            </ui::shell::frame::Shell>
        </Router>
    }
}
