//! Storage errors, and the browser's localStorage for small settings (the language, the last
//! trainee) and for reading the version-1 progress document once, to migrate it.
//!
//! Nothing here panics: storage that is missing (private mode, disabled, sandboxed),
//! full, or holding unreadable data becomes a `StorageError` the app shows as a banner
//! while it keeps working in memory.

use web_sys::Storage;

/// Why storage could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// No storage (disabled, private mode, blocked by the browser).
    Unavailable,
    /// The write did not fit.
    Quota,
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
    /// Forgets a key (nothing happens when storage is unavailable).
    fn remove(&self, key: &str);
}

/// The browser's localStorage.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalStorage;

impl KeyValue for LocalStorage {
    fn remove(&self, key: &str) {
        if let Ok(s) = local_storage() {
            let _ = s.remove_item(key);
        }
    }

    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        local_storage()?.get_item(key).map_err(|_| StorageError::Unavailable)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        local_storage()?.set_item(key, value).map_err(|e| {
            if is_quota_error(&e) {
                StorageError::Quota
            } else {
                StorageError::Unavailable
            }
        })
    }
}

/// This tab's sessionStorage (kept across a reload, gone when the tab closes).
#[derive(Clone, Copy, Debug, Default)]
pub struct TabStorage;

impl KeyValue for TabStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        let s = web_sys::window()
            .and_then(|w| w.session_storage().ok().flatten())
            .ok_or(StorageError::Unavailable)?;
        s.get_item(key).map_err(|_| StorageError::Unavailable)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let s = web_sys::window()
            .and_then(|w| w.session_storage().ok().flatten())
            .ok_or(StorageError::Unavailable)?;
        s.set_item(key, value).map_err(|e| {
            if is_quota_error(&e) {
                StorageError::Quota
            } else {
                StorageError::Unavailable
            }
        })
    }

    fn remove(&self, key: &str) {
        if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
            let _ = s.remove_item(key);
        }
    }
}
