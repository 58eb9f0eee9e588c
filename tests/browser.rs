//! Browser tests (wasm-bindgen-test in headless Chromium) for the storage adapters: the
//! IndexedDB device store driven through the real adapter (one transaction per action, two
//! tabs' changes both kept, a real quota error, a write failing half-way, quarantine of a
//! corrupt record, an unreadable document left as it is, migration of the version-1
//! document) and localStorage settings (a real quota error, blocked storage).
#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use lixun::browser::idb::{self, DOCUMENTS, QUARANTINE, RECORDS, Writes};
use lixun::browser::storage::{KeyValue, LocalStorage, StorageError};
use lixun::domain::device::{self, Action, Applied, Device, DeviceError, DocKind, Env, WorkPatch};
use lixun::domain::records::Progress;
use lixun::domain::store::{self, Body, NewRecord, Record};
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

/// Runs an action through the real adapter, as the app does.
async fn act(action: Action) -> Result<Result<Applied, DeviceError>, StorageError> {
    let env = Env {
        now: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
        new_device: "dev".into(),
    };
    idb::transact(move |stored| {
        let a = device::commit(stored, &action, &env)?;
        let w = Writes {
            docs: a.docs.clone(),
            delete_docs: a.delete_docs.clone(),
            records: a.records.iter().map(|r| (r.id.clone(), r.encode())).collect(),
            delete_records: a.delete_records.clone(),
            quarantine: a.quarantine.clone(),
        };
        Ok::<_, DeviceError>((a, w))
    })
    .await
}

fn lesson(trainee: &str, key: &str, finished: Vec<NewRecord>) -> Action {
    let mut patch = WorkPatch {
        trainee: trainee.into(),
        ..WorkPatch::default()
    };
    patch.lessons_done.insert(key.into());
    Action::SaveWork { patch, finished }
}

async fn stored_device() -> Device {
    Device::decode(&idb::all(DOCUMENTS).await.unwrap().into_iter().collect())
}

#[wasm_bindgen_test]
async fn an_action_stores_its_documents_and_chained_records_in_one_transaction() {
    reset().await;
    act(lesson(
        "t1",
        "m/l",
        vec![new_record("r1", "t1"), new_record("r2", "t1")],
    ))
    .await
    .unwrap()
    .unwrap();
    let raw = idb::all(RECORDS).await.unwrap();
    let (records, bad) = store::load_records(raw.iter().map(|(k, v)| (k.clone(), v.as_str())));
    assert!(bad.is_empty());
    assert_eq!(records.len(), 2);
    assert!(store::verify(&records).is_empty());
    let d = stored_device().await;
    assert!(d.state_or_empty().trainees["t1"].lessons_done.contains("m/l"));
    assert_eq!(d.head.value().map(|h| h.seq), Some(2));
}

#[wasm_bindgen_test]
async fn two_tabs_saving_different_lessons_both_keep_theirs() {
    reset().await;
    // Each action is applied to what is stored at that moment, whatever the tab last read.
    act(lesson("t1", "m/a", vec![])).await.unwrap().unwrap();
    act(lesson("t1", "m/b", vec![new_record("r1", "t1")]))
        .await
        .unwrap()
        .unwrap();
    act(Action::CreateTrainee {
        id: "t2".into(),
        name: "乙".into(),
        employee_id: String::new(),
        at: Utc::now(),
    })
    .await
    .unwrap()
    .unwrap();
    let d = stored_device().await;
    assert_eq!(d.state_or_empty().trainees["t1"].lessons_done.len(), 2);
    assert_eq!(d.profiles_or_empty().list.len(), 1);
}

/// Makes `IDBObjectStore.prototype.put` throw `error` on its `nth` call (1-based) from now.
fn break_put(nth: u32, error: &str) -> wasm_bindgen::JsValue {
    js_sys::eval(&format!(
        "(() => {{ const o = IDBObjectStore.prototype.put; let n = 0; IDBObjectStore.prototype.put = function (...a) {{ n += 1; if (n >= {nth}) throw new DOMException('failed', '{error}'); return o.apply(this, a); }}; return o; }})()"
    ))
    .unwrap()
}

fn mend_put(original: &wasm_bindgen::JsValue) {
    let restore = js_sys::Function::new_with_args("o", "IDBObjectStore.prototype.put = o;");
    restore.call1(&wasm_bindgen::JsValue::NULL, original).unwrap();
}

#[wasm_bindgen_test]
async fn a_full_store_is_a_quota_error_and_changes_nothing() {
    reset().await;
    act(lesson("t1", "m/a", vec![new_record("r1", "t1")]))
        .await
        .unwrap()
        .unwrap();
    let before = idb::all(DOCUMENTS).await.unwrap();
    let original = break_put(1, "QuotaExceededError");
    let result = act(lesson("t1", "m/b", vec![new_record("r2", "t1")])).await;
    mend_put(&original);
    assert!(matches!(result, Err(StorageError::Quota)), "got {result:?}");
    assert_eq!(
        idb::all(RECORDS).await.unwrap().len(),
        1,
        "the earlier record is intact"
    );
    assert_eq!(idb::all(DOCUMENTS).await.unwrap(), before);
}

#[wasm_bindgen_test]
async fn a_write_failing_half_way_leaves_the_previous_state_intact() {
    reset().await;
    act(lesson("t1", "m/a", vec![new_record("r1", "t1")]))
        .await
        .unwrap()
        .unwrap();
    let before_docs = idb::all(DOCUMENTS).await.unwrap();
    let before_records = idb::all(RECORDS).await.unwrap();
    // The third put of the next save throws: the records were already put, the documents not.
    let original = break_put(3, "UnknownError");
    let result = act(lesson(
        "t1",
        "m/b",
        vec![new_record("r2", "t1"), new_record("r3", "t1")],
    ))
    .await;
    mend_put(&original);
    assert!(result.is_err(), "got {result:?}");
    assert_eq!(
        idb::all(RECORDS).await.unwrap(),
        before_records,
        "no record of the failed save is stored"
    );
    assert_eq!(
        idb::all(DOCUMENTS).await.unwrap(),
        before_docs,
        "no document of the failed save is stored"
    );
}

#[wasm_bindgen_test]
async fn an_unreadable_trainee_list_is_kept_and_not_written_over() {
    reset().await;
    idb::put_documents(&[("profiles", "{damaged".to_string())], &[])
        .await
        .unwrap();
    let result = act(Action::CreateTrainee {
        id: "t1".into(),
        name: "甲".into(),
        employee_id: String::new(),
        at: Utc::now(),
    })
    .await
    .unwrap();
    assert!(
        matches!(
            result,
            Err(DeviceError::Unreadable {
                kind: DocKind::Profiles,
                ..
            })
        ),
        "got {result:?}"
    );
    assert_eq!(idb::get("profiles").await.unwrap().as_deref(), Some("{damaged"));
    let loaded = lixun::session::load().await;
    assert_eq!(loaded.device().unreadable().len(), 1);
}

#[wasm_bindgen_test]
async fn a_corrupt_record_is_quarantined_raw_and_the_rest_load() {
    reset().await;
    act(lesson("t1", "m/a", vec![new_record("good", "t1")]))
        .await
        .unwrap()
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
    let stored = stored_device().await.state_or_empty();
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

#[wasm_bindgen_test]
fn blocked_local_storage_is_an_unavailable_error_not_a_panic() {
    // The browser refuses storage (as with cookies blocked): every call throws SecurityError.
    let saved = js_sys::eval(
        "(() => { const p = Storage.prototype; const o = [p.getItem, p.setItem]; const no = () => { throw new DOMException('blocked', 'SecurityError'); }; p.getItem = no; p.setItem = no; return o; })()",
    )
    .unwrap();
    let get = LocalStorage.get("lixun.lang");
    let set = LocalStorage.set("lixun.lang", "en");
    let restore = js_sys::Function::new_with_args(
        "o",
        "Storage.prototype.getItem = o[0]; Storage.prototype.setItem = o[1];",
    );
    restore.call1(&wasm_bindgen::JsValue::NULL, &saved).unwrap();
    assert_eq!(get, Err(StorageError::Unavailable));
    assert_eq!(set, Err(StorageError::Unavailable));
    LocalStorage
        .set("lixun.lang", "zh-Hans")
        .expect("works again once unblocked");
}
