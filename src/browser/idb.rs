//! IndexedDB: the results store.
//!
//! Database `lixun`, version 2:
//! - `records`: one finished attempt, role-play or observation per entry (key: its UUID,
//!   value: the record's JSON), append-only and hash-chained per device;
//! - `documents`: small documents by name: `state` (lessons done and everything in progress,
//!   per trainee), `head` (this device's id and chain head), `profiles`, `trainer`; and the
//!   version-1 progress document, kept after migration as `lixun.progress.v1.migrated`;
//! - `quarantine`: records that could not be read, kept raw.
//!
//! A save (`commit`) is one transaction: it reads `state` and `head`, refuses the state if
//! another tab saved since this one loaded (the records are still kept: they cannot conflict),
//! chains the new records after the stored head, and writes. It resolves once the transaction
//! has completed, i.e. the browser has written it.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

use crate::browser::storage::StorageError;
use std::collections::BTreeMap;

const DB_NAME: &str = "lixun";
const DB_VERSION: u32 = 2;
pub const DOCUMENTS: &str = "documents";
pub const RECORDS: &str = "records";
pub const QUARANTINE: &str = "quarantine";

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

fn name_of(e: &JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>()
        .map(|d| d.name())
        .or_else(|| {
            e.dyn_ref::<web_sys::Event>()
                .and_then(|ev| ev.target())
                .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                .and_then(|r| r.error().ok().flatten())
                .map(|d| d.name())
        })
        .unwrap_or_default()
}

fn error_of(e: &JsValue) -> StorageError {
    if name_of(e) == "QuotaExceededError" {
        StorageError::Quota
    } else {
        StorageError::Unavailable
    }
}

/// Opens (and creates or upgrades) the database.
pub async fn open() -> Result<IdbDatabase, StorageError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .ok_or(StorageError::Unavailable)?
        .indexed_db()
        .map_err(|_| StorageError::Unavailable)?
        .ok_or(StorageError::Unavailable)?;
    let req: IdbOpenDbRequest = factory.open_with_u32(DB_NAME, DB_VERSION).map_err(|e| error_of(&e))?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let db = ev
            .target()
            .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db {
            for store in [DOCUMENTS, RECORDS, QUARANTINE] {
                if !db.object_store_names().contains(store) {
                    let _ = db.create_object_store(store);
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = request_done(&req).await;
    req.set_onupgradeneeded(None);
    drop(upgrade);
    result.map_err(|e| error_of(&e))?;
    let db: IdbDatabase = req
        .result()
        .map_err(|e| error_of(&e))?
        .dyn_into()
        .map_err(|_| StorageError::Unavailable)?;
    // Another tab upgrading the database later: close this connection rather than block it.
    let on_version = Closure::<dyn FnMut()>::new({
        let db = db.clone();
        move || {
            db.close();
            DB.with(|d| *d.borrow_mut() = None);
        }
    });
    db.set_onversionchange(Some(on_version.as_ref().unchecked_ref()));
    on_version.forget();
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

fn tx_done(tx: &IdbTransaction) -> JsFuture {
    let mut init = |resolve: js_sys::Function, reject: js_sys::Function| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    };
    JsFuture::from(Promise::new(&mut init))
}

fn tx_error(tx: &IdbTransaction, e: &JsValue) -> StorageError {
    tx.error()
        .map(|d| {
            if d.name() == "QuotaExceededError" {
                StorageError::Quota
            } else {
                StorageError::Unavailable
            }
        })
        .unwrap_or_else(|| error_of(e))
}

/// Reads the document stored under `key`.
pub async fn get(key: &str) -> Result<Option<String>, StorageError> {
    let db = open().await?;
    let tx = db.transaction_with_str(DOCUMENTS).map_err(|e| error_of(&e))?;
    let store = tx.object_store(DOCUMENTS).map_err(|e| error_of(&e))?;
    let req = store.get(&JsValue::from_str(key)).map_err(|e| error_of(&e))?;
    request_done(&req).await.map_err(|e| error_of(&e))?;
    Ok(req.result().map_err(|e| error_of(&e))?.as_string())
}

/// Writes documents (key, text) and deletes documents, in one transaction.
pub async fn put_documents(puts: &[(&str, String)], deletes: &[&str]) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db
        .transaction_with_str_and_mode(DOCUMENTS, IdbTransactionMode::Readwrite)
        .map_err(|e| error_of(&e))?;
    let store = tx.object_store(DOCUMENTS).map_err(|e| error_of(&e))?;
    for (k, v) in puts {
        store
            .put_with_key(&JsValue::from_str(v), &JsValue::from_str(k))
            .map_err(|e| error_of(&e))?;
    }
    for k in deletes {
        store.delete(&JsValue::from_str(k)).map_err(|e| error_of(&e))?;
    }
    tx_done(&tx).await.map_err(|e| tx_error(&tx, &e))?;
    Ok(())
}

/// Every (key, text) of a store.
pub async fn all(store_name: &str) -> Result<Vec<(String, String)>, StorageError> {
    let db = open().await?;
    let tx = db.transaction_with_str(store_name).map_err(|e| error_of(&e))?;
    let store = tx.object_store(store_name).map_err(|e| error_of(&e))?;
    let keys = store.get_all_keys().map_err(|e| error_of(&e))?;
    let values = store.get_all().map_err(|e| error_of(&e))?;
    request_done(&keys).await.map_err(|e| error_of(&e))?;
    request_done(&values).await.map_err(|e| error_of(&e))?;
    let keys: Array = keys.result().map_err(|e| error_of(&e))?.unchecked_into();
    let values: Array = values.result().map_err(|e| error_of(&e))?.unchecked_into();
    Ok(keys
        .iter()
        .zip(values.iter())
        .map(|(k, v)| {
            (
                k.as_string().unwrap_or_default(),
                v.as_string()
                    .unwrap_or_else(|| js_sys::JSON::stringify(&v).map(String::from).unwrap_or_default()),
            )
        })
        .collect())
}

/// Empties a store (tests and a trainer's reset only).
pub async fn clear(store_name: &str) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db
        .transaction_with_str_and_mode(store_name, IdbTransactionMode::Readwrite)
        .map_err(|e| error_of(&e))?;
    tx.object_store(store_name)
        .map_err(|e| error_of(&e))?
        .clear()
        .map_err(|e| error_of(&e))?;
    tx_done(&tx).await.map_err(|e| tx_error(&tx, &e))?;
    Ok(())
}

/// Moves unreadable records to the quarantine store (kept raw).
pub async fn quarantine(items: &[(String, String)]) -> Result<(), StorageError> {
    let db = open().await?;
    let stores = Array::of2(&JsValue::from_str(RECORDS), &JsValue::from_str(QUARANTINE));
    let tx = db
        .transaction_with_str_sequence_and_mode(&stores, IdbTransactionMode::Readwrite)
        .map_err(|e| error_of(&e))?;
    let records = tx.object_store(RECORDS).map_err(|e| error_of(&e))?;
    let q = tx.object_store(QUARANTINE).map_err(|e| error_of(&e))?;
    for (k, raw) in items {
        q.put_with_key(&JsValue::from_str(raw), &JsValue::from_str(k))
            .map_err(|e| error_of(&e))?;
        records.delete(&JsValue::from_str(k)).map_err(|e| error_of(&e))?;
    }
    tx_done(&tx).await.map_err(|e| tx_error(&tx, &e))?;
    Ok(())
}

/// Runs one change of the device in one transaction over `documents`, `records` and
/// `quarantine`: reads every document as stored now, lets `decide` (the device model's
/// `commit`) work out what to write from that fresh copy, and writes it. Any failed write, or
/// an error from `decide`, aborts the whole transaction, so nothing of it is stored. Resolves
/// once the browser has written it.
pub async fn transact<T: 'static, E: 'static>(
    decide: impl FnOnce(&BTreeMap<String, String>) -> Result<(T, Writes), E> + 'static,
) -> Result<Result<T, E>, StorageError> {
    let db = open().await?;
    let stores = Array::of3(
        &JsValue::from_str(DOCUMENTS),
        &JsValue::from_str(RECORDS),
        &JsValue::from_str(QUARANTINE),
    );
    let tx = db
        .transaction_with_str_sequence_and_mode(&stores, IdbTransactionMode::Readwrite)
        .map_err(|e| error_of(&e))?;
    let docs = tx.object_store(DOCUMENTS).map_err(|e| error_of(&e))?;
    let keys = docs.get_all_keys().map_err(|e| error_of(&e))?;
    let values = docs.get_all().map_err(|e| error_of(&e))?;
    type Outcome<T, E> = Option<Result<Result<T, E>, StorageError>>;
    let out: Rc<RefCell<Outcome<T, E>>> = Rc::new(RefCell::new(None));
    let on_read = Closure::once({
        let out = out.clone();
        let tx = tx.clone();
        let keys = keys.clone();
        let values = values.clone();
        move || {
            let stored = pairs(&keys, &values).into_iter().collect::<BTreeMap<_, _>>();
            let result = match decide(&stored) {
                Err(e) => {
                    let _ = tx.abort();
                    Ok(Err(e))
                }
                Ok((value, writes)) => match write(&tx, &writes) {
                    Ok(()) => Ok(Ok(value)),
                    Err(e) => {
                        let _ = tx.abort();
                        Err(e)
                    }
                },
            };
            *out.borrow_mut() = Some(result);
        }
    });
    values.set_onsuccess(Some(on_read.as_ref().unchecked_ref()));
    let done = tx_done(&tx).await;
    values.set_onsuccess(None);
    drop(on_read);
    let decided = out.borrow_mut().take();
    match (decided, done) {
        // The action refused: the transaction was aborted on purpose.
        (Some(Ok(Err(e))), _) => Ok(Err(e)),
        (Some(Err(e)), _) => Err(e),
        (Some(Ok(Ok(v))), Ok(_)) => Ok(Ok(v)),
        (_, Err(e)) => Err(tx_error(&tx, &e)),
        (None, Ok(_)) => Err(StorageError::Unavailable),
    }
}

/// What one transaction writes.
#[derive(Debug, Default)]
pub struct Writes {
    pub docs: Vec<(String, String)>,
    pub delete_docs: Vec<String>,
    /// (key, text) of records to put.
    pub records: Vec<(String, String)>,
    pub delete_records: Vec<String>,
    pub quarantine: Vec<(String, String)>,
}

fn write(tx: &IdbTransaction, w: &Writes) -> Result<(), StorageError> {
    let docs = tx.object_store(DOCUMENTS).map_err(|e| error_of(&e))?;
    let records = tx.object_store(RECORDS).map_err(|e| error_of(&e))?;
    let quarantine = tx.object_store(QUARANTINE).map_err(|e| error_of(&e))?;
    for (k, v) in &w.quarantine {
        quarantine
            .put_with_key(&JsValue::from_str(v), &JsValue::from_str(k))
            .map_err(|e| error_of(&e))?;
    }
    for (k, v) in &w.records {
        records
            .put_with_key(&JsValue::from_str(v), &JsValue::from_str(k))
            .map_err(|e| error_of(&e))?;
    }
    for k in &w.delete_records {
        records.delete(&JsValue::from_str(k)).map_err(|e| error_of(&e))?;
    }
    for (k, v) in &w.docs {
        docs.put_with_key(&JsValue::from_str(v), &JsValue::from_str(k))
            .map_err(|e| error_of(&e))?;
    }
    for k in &w.delete_docs {
        docs.delete(&JsValue::from_str(k)).map_err(|e| error_of(&e))?;
    }
    Ok(())
}

fn pairs(keys: &IdbRequest, values: &IdbRequest) -> Vec<(String, String)> {
    let (Ok(keys), Ok(values)) = (keys.result(), values.result()) else {
        return Vec::new();
    };
    let keys: Array = keys.unchecked_into();
    let values: Array = values.unchecked_into();
    keys.iter()
        .zip(values.iter())
        .map(|(k, v)| {
            let text = v
                .as_string()
                .unwrap_or_else(|| js_sys::JSON::stringify(&v).map(String::from).unwrap_or_default());
            (k.as_string().unwrap_or_default(), text)
        })
        .collect()
}

/// Asks the browser to keep this site's storage (not evict it under pressure).
pub async fn persist() -> bool {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return false;
    };
    let Ok(p) = storage.persist() else { return false };
    JsFuture::from(p).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// (usage, quota) in bytes, when the browser tells.
pub async fn estimate() -> Option<(f64, f64)> {
    let storage = web_sys::window()?.navigator().storage();
    let est: web_sys::StorageEstimate = JsFuture::from(storage.estimate().ok()?).await.ok()?.unchecked_into();
    Some((est.get_usage()?, est.get_quota()?))
}
