//! Browser tests (wasm-bindgen-test in headless Chromium) for the storage adapters: the
//! IndexedDB results store (round trip, hash chain, a stale second tab, a real quota error,
//! quarantine of a corrupt record, migration of the version-1 document) and localStorage
//! settings (a real quota error, blocked storage).
#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use lixun::browser::idb::{self, DOCUMENTS, QUARANTINE, RECORDS, STATE_KEY};
use lixun::browser::storage::{KeyValue, LocalStorage, StorageError};
use lixun::domain::records::Progress;
use lixun::domain::store::{self, Body, ChainHead, NewRecord, Record, WorkState};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window()
        .expect("window")
        .local_storage()
        .expect("no error")
        .expect("localStorage")
}

/// Empties the three stores (tests share one database).
async fn reset() {
    for s in [DOCUMENTS, RECORDS, QUARANTINE] {
        idb::clear(s).await.expect("clear");
    }
    storage().clear().expect("clear localStorage");
}

fn new_record(id: &str, trainee: &str) -> NewRecord {
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let attempt: lixun::domain::records::AttemptRecord = serde_json::from_str(&format!(
        r#"{{"id":"{id}","quiz":"q","content_version":"v","started_at":"2026-11-23T09:00:00Z","finished_at":"2026-11-23T09:05:00Z","responses":[],"result":{{"rubric":"r","criteria":[],"total":75.0,"printed_weight_total":110.0,"partial":false}},"correct":3,"passed":false}}"#
    ))
    .expect("attempt json");
    NewRecord {
        id: id.into(),
        trainee: trainee.into(),
        content_version: "v".into(),
        started_at: at,
        finished_at: at,
        body: Body::Quiz(attempt),
    }
}

fn state(writer: &str, revision: u64) -> WorkState {
    let mut s = WorkState {
        writer: writer.into(),
        revision,
        ..WorkState::default()
    };
    s.trainees
        .entry("t1".into())
        .or_default()
        .lessons_done
        .insert("m/l".into());
    s
}

#[wasm_bindgen_test]
async fn a_commit_stores_the_state_and_chained_records_in_one_transaction() {
    reset().await;
    let c = idb::commit(
        &state("tab-a", 1),
        0,
        ChainHead::new("dev-1"),
        vec![new_record("r1", "t1"), new_record("r2", "t1")],
        vec![],
    )
    .await
    .expect("commit");
    assert!(!c.stale);
    assert_eq!(c.records.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![1, 2]);
    let raw = idb::all(RECORDS).await.expect("records");
    let (records, bad) = store::load_records(raw.iter().map(|(k, v)| (k.clone(), v.as_str())));
    assert!(bad.is_empty());
    assert_eq!(records.len(), 2);
    assert!(store::verify(&records).is_empty(), "the stored chain verifies");
    let stored = WorkState::decode(&idb::get(STATE_KEY).await.unwrap().unwrap()).unwrap();
    assert_eq!(stored, state("tab-a", 1));
    // A second commit continues the stored chain.
    let c = idb::commit(
        &state("tab-a", 2),
        0,
        ChainHead::new("ignored"),
        vec![new_record("r3", "t1")],
        vec![],
    )
    .await
    .unwrap();
    assert_eq!((c.records[0].seq, c.records[0].device.as_str()), (3, "dev-1"));
}

#[wasm_bindgen_test]
async fn a_stale_tab_keeps_its_records_but_cannot_overwrite_the_state() {
    reset().await;
    idb::commit(&state("tab-b", 8), 0, ChainHead::new("dev"), vec![], vec![])
        .await
        .unwrap();
    // Tab A loaded revision 5 before B saved 8.
    let c = idb::commit(
        &state("tab-a", 6),
        5,
        ChainHead::new("dev"),
        vec![new_record("r1", "t1")],
        vec![],
    )
    .await
    .unwrap();
    assert!(c.stale);
    assert_eq!(
        WorkState::decode(&idb::get(STATE_KEY).await.unwrap().unwrap())
            .unwrap()
            .writer,
        "tab-b"
    );
    assert_eq!(
        idb::all(RECORDS).await.unwrap().len(),
        1,
        "the finished attempt is still saved"
    );
}

#[wasm_bindgen_test]
async fn a_full_store_is_a_quota_error_and_changes_nothing() {
    reset().await;
    idb::commit(
        &state("tab", 1),
        0,
        ChainHead::new("dev"),
        vec![new_record("r1", "t1")],
        vec![],
    )
    .await
    .unwrap();
    let original = js_sys::eval(
        "(() => { const o = IDBObjectStore.prototype.put; IDBObjectStore.prototype.put = function () { throw new DOMException('full', 'QuotaExceededError'); }; return o; })()",
    )
    .unwrap();
    let result = idb::commit(
        &state("tab", 2),
        0,
        ChainHead::new("dev"),
        vec![new_record("r2", "t1")],
        vec![],
    )
    .await;
    let restore = js_sys::Function::new_with_args("o", "IDBObjectStore.prototype.put = o;");
    restore.call1(&wasm_bindgen::JsValue::NULL, &original).unwrap();
    assert!(matches!(result, Err(StorageError::Quota)), "got {result:?}");
    assert_eq!(
        idb::all(RECORDS).await.unwrap().len(),
        1,
        "the earlier record is intact"
    );
    assert_eq!(
        WorkState::decode(&idb::get(STATE_KEY).await.unwrap().unwrap())
            .unwrap()
            .revision,
        1
    );
}

#[wasm_bindgen_test]
async fn a_corrupt_record_is_quarantined_raw_and_the_rest_load() {
    reset().await;
    idb::commit(
        &state("tab", 1),
        0,
        ChainHead::new("dev"),
        vec![new_record("good", "t1")],
        vec![],
    )
    .await
    .unwrap();
    // A damaged record, as a crash or a hand edit might leave it.
    let db = idb::open().await.unwrap();
    let tx = db
        .transaction_with_str_and_mode(RECORDS, web_sys::IdbTransactionMode::Readwrite)
        .unwrap();
    tx.object_store(RECORDS)
        .unwrap()
        .put_with_key(&"{\"schema_version\":2,\"id\":".into(), &"bad".into())
        .unwrap();
    let done = js_sys::Promise::new(&mut |resolve, _| tx.set_oncomplete(Some(&resolve)));
    wasm_bindgen_futures::JsFuture::from(done).await.unwrap();
    let loaded = lixun::session::load().await;
    let records: Vec<Record> = loaded.records().to_vec();
    assert_eq!(records.len(), 1);
    assert_eq!(
        loaded.quarantined(),
        &[("bad".to_string(), "{\"schema_version\":2,\"id\":".to_string())]
    );
    assert!(matches!(loaded.error(), Some(StorageError::Corrupt(_))));
    assert_eq!(
        idb::all(RECORDS).await.unwrap().len(),
        1,
        "the bad record left the records store"
    );
}

#[wasm_bindgen_test]
async fn a_version_1_document_in_local_storage_is_migrated_and_kept() {
    reset().await;
    let mut v1 = Progress::default();
    v1.lessons_done.insert("communication-standards/channels".into());
    storage().set_item("lixun.progress.v1", &v1.encode()).unwrap();
    let loaded = lixun::session::load().await;
    assert!(loaded.error().is_none(), "{:?}", loaded.error());
    let stored = WorkState::decode(&idb::get(STATE_KEY).await.unwrap().expect("state saved")).unwrap();
    let work = stored.trainees.values().next().expect("one trainee");
    assert!(work.lessons_done.contains("communication-standards/channels"));
    assert_eq!(
        idb::get("lixun.progress.v1.migrated").await.unwrap(),
        Some(v1.encode()),
        "the old document is kept"
    );
}

#[wasm_bindgen_test]
fn a_setting_over_the_local_storage_quota_is_a_quota_error() {
    storage().clear().unwrap();
    let big = "x".repeat(6 * 1024 * 1024);
    assert_eq!(LocalStorage.set("lixun.big", &big), Err(StorageError::Quota));
    LocalStorage.set("lixun.lang", "en").expect("small settings still fit");
    assert_eq!(LocalStorage.get("lixun.lang"), Ok(Some("en".into())));
}

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
    assert_eq!(Blocked.get("k"), Err(StorageError::Unavailable));
    assert_eq!(Blocked.set("k", "v"), Err(StorageError::Unavailable));
}
