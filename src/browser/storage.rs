//! Saving progress in the browser's localStorage, with typed errors.
//!
//! Nothing here panics: storage that is missing (private mode, disabled, sandboxed),
//! full, or holding unreadable data becomes a `StorageError` the app shows as a banner
//! while it keeps working in memory.

use web_sys::Storage;

use crate::domain::records::{DecodeError, Progress};

/// The key progress is stored under.
pub const PROGRESS_KEY: &str = "lixun.progress.v1";
/// Where an unreadable progress document is moved so it is never lost.
pub const QUARANTINE_KEY: &str = "lixun.progress.v1.unreadable";

/// Why storage could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// No storage (disabled, private mode, blocked by the browser).
    Unavailable,
    /// The write did not fit.
    Quota,
    /// Stored data could not be read; its raw text was kept at `QUARANTINE_KEY` when possible.
    Corrupt(String),
    /// Stored data is from a newer app version; it is left untouched and not overwritten.
    FromTheFuture(u32),
}

fn local_storage() -> Result<Storage, StorageError> {
    let window = web_sys::window().ok_or(StorageError::Unavailable)?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        _ => Err(StorageError::Unavailable),
    }
}

fn is_quota_error(err: &wasm_bindgen::JsValue) -> bool {
    use wasm_bindgen::JsCast;
    err.dyn_ref::<web_sys::DomException>().is_some_and(|e| {
        let name = e.name();
        // Chromium/WebKit, Firefox; code 22 / 1014 on older engines.
        name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" || e.code() == 22 || e.code() == 1014
    })
}

/// A place to keep one string, so tests can swap in a failing or full store.
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError>;
}

/// The browser's localStorage.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalStorage;

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        local_storage()?.get_item(key).map_err(|_| StorageError::Unavailable)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        local_storage()?
            .set_item(key, value)
            .map_err(|e| if is_quota_error(&e) { StorageError::Quota } else { StorageError::Unavailable })
    }
}

/// Loads progress. Missing data is empty progress. Unreadable data is copied to
/// `QUARANTINE_KEY` (so a later save cannot destroy it) and reported.
pub fn load_progress(store: &impl KeyValue) -> Result<Progress, StorageError> {
    let Some(raw) = store.get(PROGRESS_KEY)? else {
        return Ok(Progress::default());
    };
    match Progress::decode(&raw) {
        Ok(p) => Ok(p),
        Err(DecodeError::FromTheFuture(v)) => Err(StorageError::FromTheFuture(v)),
        Err(DecodeError::Corrupt(why)) => {
            // Keep the raw text; if even that fails, report it without overwriting anything.
            store.set(QUARANTINE_KEY, &raw)?;
            Err(StorageError::Corrupt(why))
        }
    }
}

/// Saves progress.
pub fn save_progress(store: &impl KeyValue, progress: &Progress) -> Result<(), StorageError> {
    store.set(PROGRESS_KEY, &progress.encode())
}
