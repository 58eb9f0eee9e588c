//! Browser tests (wasm-bindgen-test in headless Chromium) for the storage adapter:
//! save and load, a real quota error, unreadable and future data.
#![cfg(target_arch = "wasm32")]

use lixun::browser::storage::{
    KeyValue, LocalStorage, PROGRESS_KEY, QUARANTINE_KEY, StorageError, load_progress, save_progress,
};
use lixun::domain::records::Progress;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window().expect("window").local_storage().expect("no error").expect("localStorage")
}

fn reset() {
    storage().clear().expect("clear");
}

#[wasm_bindgen_test]
fn nothing_stored_loads_as_empty_progress() {
    reset();
    assert_eq!(load_progress(&LocalStorage), Ok(Progress::default()));
}

#[wasm_bindgen_test]
fn saved_progress_loads_back_unchanged() {
    reset();
    let mut p = Progress::default();
    p.lessons_done.insert("communication-standards/channels".into());
    save_progress(&LocalStorage, &p).expect("save");
    assert_eq!(load_progress(&LocalStorage), Ok(p));
}

#[wasm_bindgen_test]
fn a_write_over_the_quota_is_a_quota_error_and_keeps_the_last_save() {
    reset();
    let mut small = Progress::default();
    small.lessons_done.insert("a/b".into());
    save_progress(&LocalStorage, &small).expect("save small");
    let mut huge = small.clone();
    // localStorage holds about 5 MB per origin: 12 million characters cannot fit.
    huge.lessons_done.insert("x".repeat(12_000_000));
    assert_eq!(save_progress(&LocalStorage, &huge), Err(StorageError::Quota));
    assert_eq!(load_progress(&LocalStorage), Ok(small), "the previous save is intact");
}

#[wasm_bindgen_test]
fn unreadable_progress_is_reported_and_its_raw_text_kept_aside() {
    reset();
    storage().set_item(PROGRESS_KEY, "{\"schema_version\":1,\"attempts\":\"oops").expect("seed");
    let result = load_progress(&LocalStorage);
    assert!(matches!(result, Err(StorageError::Corrupt(_))), "got {result:?}");
    assert_eq!(
        LocalStorage.get(QUARANTINE_KEY).expect("read"),
        Some("{\"schema_version\":1,\"attempts\":\"oops".to_string())
    );
}

#[wasm_bindgen_test]
fn progress_from_a_newer_app_is_refused_and_left_untouched() {
    reset();
    storage().set_item(PROGRESS_KEY, "{\"schema_version\":99}").expect("seed");
    assert_eq!(load_progress(&LocalStorage), Err(StorageError::FromTheFuture(99)));
    assert_eq!(storage().get_item(PROGRESS_KEY).expect("read"), Some("{\"schema_version\":99}".to_string()));
}

/// A store that always fails, as when the browser blocks storage.
struct Blocked;

impl KeyValue for Blocked {
    fn get(&self, _: &str) -> Result<Option<String>, StorageError> {
        Err(StorageError::Unavailable)
    }
    fn set(&self, _: &str, _: &str) -> Result<(), StorageError> {
        Err(StorageError::Unavailable)
    }
}

#[wasm_bindgen_test]
fn blocked_storage_is_an_unavailable_error_not_a_panic() {
    assert_eq!(load_progress(&Blocked), Err(StorageError::Unavailable));
    assert_eq!(save_progress(&Blocked, &Progress::default()), Err(StorageError::Unavailable));
}

#[wasm_bindgen_test]
async fn indexeddb_keeps_what_was_put_and_reads_nothing_for_an_unknown_key() {
    use lixun::browser::idb;
    idb::put("test.key", "{\"a\":1}").await.expect("put");
    assert_eq!(idb::get("test.key").await, Ok(Some("{\"a\":1}".to_string())));
    idb::put("test.key", "second").await.expect("overwrite");
    assert_eq!(idb::get("test.key").await, Ok(Some("second".to_string())));
    assert_eq!(idb::get("test.missing").await, Ok(None));
}
