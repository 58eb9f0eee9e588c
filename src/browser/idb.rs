//! A durable copy of progress in IndexedDB.
//!
//! localStorage is read and written synchronously, but Chromium writes it to disk only about a
//! second after a change, so a killed browser can lose the last answer. Every save is therefore
//! also put into IndexedDB, whose transaction completes once the browser has written it; on start
//! the newer of the two copies (by `revision`) wins.

use std::cell::RefCell;

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

use crate::browser::storage::StorageError;

const DB_NAME: &str = "lixun";
const STORE: &str = "documents";

thread_local! {
    static DB: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

/// Resolves when `req` succeeds, rejects when it fails.
fn request_done(req: &IdbRequest) -> JsFuture {
    let mut init = |resolve: js_sys::Function, reject: js_sys::Function| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    };
    JsFuture::from(Promise::new(&mut init))
}

fn error_of(e: &JsValue) -> StorageError {
    let name = e
        .dyn_ref::<web_sys::DomException>()
        .map(|d| d.name())
        .or_else(|| e.dyn_ref::<web_sys::Event>().and_then(|ev| ev.target()).and_then(|t| t.dyn_into::<IdbRequest>().ok()).and_then(|r| r.error().ok().flatten()).map(|d| d.name()))
        .unwrap_or_default();
    if name == "QuotaExceededError" { StorageError::Quota } else { StorageError::Unavailable }
}

/// Opens (and on first use creates) the database.
async fn open() -> Result<IdbDatabase, StorageError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .ok_or(StorageError::Unavailable)?
        .indexed_db()
        .map_err(|_| StorageError::Unavailable)?
        .ok_or(StorageError::Unavailable)?;
    let req: IdbOpenDbRequest = factory.open_with_u32(DB_NAME, 1).map_err(|e| error_of(&e))?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let db = ev
            .target()
            .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db {
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = request_done(&req).await;
    req.set_onupgradeneeded(None);
    drop(upgrade);
    result.map_err(|e| error_of(&e))?;
    let db: IdbDatabase = req.result().map_err(|e| error_of(&e))?.dyn_into().map_err(|_| StorageError::Unavailable)?;
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// Reads the text stored under `key`.
pub async fn get(key: &str) -> Result<Option<String>, StorageError> {
    let db = open().await?;
    let tx = db.transaction_with_str(STORE).map_err(|e| error_of(&e))?;
    let store = tx.object_store(STORE).map_err(|e| error_of(&e))?;
    let req = store.get(&JsValue::from_str(key)).map_err(|e| error_of(&e))?;
    request_done(&req).await.map_err(|e| error_of(&e))?;
    Ok(req.result().map_err(|e| error_of(&e))?.as_string())
}

/// Stores `value` under `key`; resolves once the transaction has completed (written).
pub async fn put(key: &str, value: &str) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite).map_err(|e| error_of(&e))?;
    let store = tx.object_store(STORE).map_err(|e| error_of(&e))?;
    store.put_with_key(&JsValue::from_str(value), &JsValue::from_str(key)).map_err(|e| error_of(&e))?;
    let mut init = |resolve: js_sys::Function, reject: js_sys::Function| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    };
    JsFuture::from(Promise::new(&mut init)).await.map_err(|e| {
        tx.error().map(|d| if d.name() == "QuotaExceededError" { StorageError::Quota } else { StorageError::Unavailable }).unwrap_or_else(|| error_of(&e))
    })?;
    Ok(())
}
