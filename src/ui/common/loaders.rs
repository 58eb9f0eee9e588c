//! Content fetched on demand (lesson bodies, manuals, scenarios, checklists, question banks),
//! each fetched once and then kept for the session.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use crate::browser::fetch::{LoadError, fetch_text};
use crate::domain::checklist::Checklist;
use crate::domain::content::{Course, Module};
use crate::domain::manual::Manual;
use crate::domain::scenario::Scenario;

thread_local! {
    static MODULES: RefCell<HashMap<String, Arc<Module>>> = RefCell::new(HashMap::new());
    static MANUALS: RefCell<HashMap<u8, Arc<Manual>>> = RefCell::new(HashMap::new());
    static WITH_QUESTIONS: RefCell<Option<Arc<Course>>> = const { RefCell::new(None) };
    static SCENARIOS: RefCell<HashMap<String, Arc<Scenario>>> = RefCell::new(HashMap::new());
    static CHECKLISTS: RefCell<HashMap<String, Arc<Checklist>>> = RefCell::new(HashMap::new());
}

/// A checklist with its items, fetched once from `content/checklists/<id>.json`.
pub async fn load_checklist(id: String) -> Result<Arc<Checklist>, LoadError> {
    if let Some(c) = CHECKLISTS.with(|c| c.borrow().get(&id).cloned()) {
        return Ok(c);
    }
    let text = fetch_text(&format!("/content/checklists/{id}.json")).await?;
    let c = Course::parse_checklist(&format!("checklists/{id}.toml"), &text).map_err(|_| LoadError::Damaged)?;
    let c = Arc::new(c);
    CHECKLISTS.with(|m| m.borrow_mut().insert(id, c.clone()));
    Ok(c)
}

/// A scenario with its nodes and endings, fetched once from `content/scenarios/<id>.json`.
pub async fn load_scenario(id: String) -> Result<Arc<Scenario>, LoadError> {
    if let Some(s) = SCENARIOS.with(|c| c.borrow().get(&id).cloned()) {
        return Ok(s);
    }
    let text = fetch_text(&format!("/content/scenarios/{id}.json")).await?;
    let s = Course::parse_scenario(&format!("scenarios/{id}.toml"), &text).map_err(|_| LoadError::Damaged)?;
    let s = Arc::new(s);
    SCENARIOS.with(|c| c.borrow_mut().insert(id, s.clone()));
    Ok(s)
}

/// The catalog with every question bank, fetched once from `content/questions.json`.
pub async fn load_questions(catalog: Arc<Course>) -> Result<Arc<Course>, LoadError> {
    if let Some(c) = WITH_QUESTIONS.with(|c| c.borrow().clone()) {
        return Ok(c);
    }
    let text = fetch_text("/content/questions.json").await?;
    let banks = Course::parse_banks(&text).map_err(|_| LoadError::Damaged)?;
    let mut full = (*catalog).clone();
    full.banks = banks;
    let full = Arc::new(full);
    WITH_QUESTIONS.with(|c| *c.borrow_mut() = Some(full.clone()));
    Ok(full)
}

/// A module with its lesson bodies, fetched once from `content/modules/<id>.json`.
pub async fn load_module(id: String) -> Result<Arc<Module>, LoadError> {
    if let Some(m) = MODULES.with(|c| c.borrow().get(&id).cloned()) {
        return Ok(m);
    }
    let text = fetch_text(&format!("/content/modules/{id}.json")).await?;
    let m = Course::parse_module(&format!("modules/{id}.toml"), &text).map_err(|_| LoadError::Damaged)?;
    let m = Arc::new(m);
    MODULES.with(|c| c.borrow_mut().insert(id, m.clone()));
    Ok(m)
}

/// A manual, fetched once from `content/manuals/m<N>.md` and parsed into sections.
pub async fn load_manual(n: u8) -> Result<Arc<Manual>, LoadError> {
    if let Some(m) = MANUALS.with(|c| c.borrow().get(&n).cloned()) {
        return Ok(m);
    }
    let text = fetch_text(&format!("/content/manuals/m{n}.md")).await?;
    let m = Arc::new(Manual::parse(n, &text).map_err(|_| LoadError::Damaged)?);
    MANUALS.with(|c| c.borrow_mut().insert(n, m.clone()));
    Ok(m)
}
