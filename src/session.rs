//! The device's results store as the app sees it: loaded from IndexedDB at start (migrating
//! a version-1 progress document, quarantining unreadable records), the current trainee,
//! trainer mode, and `update`, which saves every change as one transaction.

use leptos::prelude::*;

use crate::browser::idb::{self, Committed, DOCUMENTS, HEAD_KEY, QUARANTINE, RECORDS, STATE_KEY};
use crate::browser::platform::{new_id, now};
use crate::browser::storage::{KeyValue, LocalStorage, StorageError};
use crate::domain::content::Course;
use crate::domain::exchange::{self, MergeReport, Merged};
use crate::domain::profiles::{Profiles, TrainerLock};
use crate::domain::records::{DecodeError, Progress};
use crate::domain::rubric::{GradeBands, Rubric};
use crate::domain::store::{self, Body, ChainHead, NewRecord, Record, Removed, WorkState};

/// The version-1 progress document (localStorage and IndexedDB), migrated at first start.
pub const V1_KEY: &str = "lixun.progress.v1";
/// Where the version-1 document is kept after migration.
pub const V1_KEPT: &str = "lixun.progress.v1.migrated";
/// The last trainee picked on this device (a setting, in localStorage).
pub const TRAINEE_KEY: &str = "lixun.trainee";
const PROFILES_KEY: &str = "profiles";
const TRAINER_KEY: &str = "trainer";
const SETTINGS_KEY: &str = "settings";
/// Imported records that clashed with a different record under the same UUID.
const CONFLICTS_KEY: &str = "conflicts";

/// The trainer's choices: the rubric new results are scored on, and the grade bands.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// Rubric id; `None` is the course's default (m1 §8.1.1).
    #[serde(default)]
    pub rubric: Option<String>,
    #[serde(default)]
    pub bands: GradeBands,
}
/// The id the trainer's own work (observations in progress) is kept under.
pub const TRAINER_ID: &str = "trainer";

/// What `load` found.
#[derive(Clone)]
pub struct Loaded {
    state: WorkState,
    head: ChainHead,
    records: Vec<Record>,
    profiles: Profiles,
    lock: Option<TrainerLock>,
    settings: Settings,
    conflicts: Vec<Record>,
    quarantined: Vec<(String, String)>,
    /// Records found unreadable during this load.
    quarantined_now: Vec<(String, String)>,
    error: Option<StorageError>,
    read_only: bool,
    /// False when IndexedDB could not be opened.
    durable: bool,
}

impl Loaded {
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    pub fn quarantined(&self) -> &[(String, String)] {
        &self.quarantined
    }

    pub fn error(&self) -> Option<&StorageError> {
        self.error.as_ref()
    }
}

fn decode_error(e: DecodeError) -> StorageError {
    match e {
        DecodeError::Corrupt(why) => StorageError::Corrupt(why),
        DecodeError::FromTheFuture(v) => StorageError::FromTheFuture(v),
    }
}

/// Reads everything. Never fails: problems come back as `error` (and the app runs in memory).
pub async fn load() -> Loaded {
    let mut l = Loaded {
        state: WorkState::default(),
        head: ChainHead::new(new_id()),
        records: Vec::new(),
        profiles: Profiles::default(),
        lock: None,
        settings: Settings::default(),
        conflicts: Vec::new(),
        quarantined: Vec::new(),
        quarantined_now: Vec::new(),
        error: None,
        read_only: false,
        durable: true,
    };
    let docs = match idb::all(DOCUMENTS).await {
        Ok(d) => d,
        Err(e) => {
            l.error = Some(e);
            l.durable = false;
            return l;
        }
    };
    let doc = |k: &str| docs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    if let Some(raw) = doc(STATE_KEY) {
        match WorkState::decode(&raw) {
            Ok(s) => l.state = s,
            Err(e) => {
                // Never overwrite what cannot be read (a newer app's, or damaged): read only.
                l.read_only = true;
                l.error = Some(decode_error(e));
            }
        }
    }
    if let Some(h) = doc(HEAD_KEY).and_then(|h| serde_json::from_str::<ChainHead>(&h).ok()) {
        l.head = h;
    }
    if let Some(p) = doc(PROFILES_KEY).and_then(|p| serde_json::from_str::<Profiles>(&p).ok()) {
        l.profiles = p;
    }
    l.lock = doc(TRAINER_KEY).and_then(|t| serde_json::from_str::<TrainerLock>(&t).ok());
    l.conflicts = doc(CONFLICTS_KEY)
        .and_then(|t| serde_json::from_str::<Vec<Record>>(&t).ok())
        .unwrap_or_default();
    l.settings = doc(SETTINGS_KEY)
        .and_then(|t| serde_json::from_str::<Settings>(&t).ok())
        .unwrap_or_default();
    match idb::all(RECORDS).await {
        Ok(raw) => {
            let (ok, bad) = store::load_records(raw.iter().map(|(k, v)| (k.clone(), v.as_str())));
            l.records = ok;
            if !bad.is_empty() {
                let items: Vec<(String, String)> = bad.iter().map(|(k, raw, _)| (k.clone(), raw.clone())).collect();
                // If moving them fails they stay where they are (and are skipped again next time).
                let moved = idb::quarantine(&items).await;
                l.quarantined_now = items;
                l.error = Some(match moved {
                    Ok(()) => StorageError::Corrupt(format!("{} records could not be read", bad.len())),
                    Err(e) => e,
                });
            }
        }
        Err(e) => l.error = Some(e),
    }
    l.quarantined = match idb::all(QUARANTINE).await {
        Ok(q) => q,
        // The quarantine store could not be read: show at least what was found just now.
        Err(_) => std::mem::take(&mut l.quarantined_now),
    };
    if doc(STATE_KEY).is_none() && !l.read_only {
        migrate_v1(&mut l, doc(V1_KEY)).await;
    }
    l
}

/// Migrates the version-1 document (the newer of the localStorage and IndexedDB copies) into
/// records of a first trainee, saves them, and keeps the old document under `V1_KEPT`.
async fn migrate_v1(l: &mut Loaded, idb_copy: Option<String>) {
    let local = LocalStorage.get(V1_KEY).ok().flatten();
    let revision = |raw: &Option<String>| {
        raw.as_deref()
            .and_then(|r| Progress::decode(r).ok())
            .map(|p| p.revision)
    };
    let raw = match (revision(&local), revision(&idb_copy)) {
        (Some(a), Some(b)) if b > a => idb_copy,
        (Some(_), _) => local,
        (None, Some(_)) => idb_copy,
        (None, None) => match local.or(idb_copy) {
            // Unreadable: keep it aside and say so.
            Some(bad) => {
                l.error = Some(
                    match idb::put_documents(&[(&format!("{V1_KEY}.unreadable"), bad)], &[]).await {
                        Ok(()) => StorageError::Corrupt("saved progress could not be read".into()),
                        Err(e) => e,
                    },
                );
                return;
            }
            None => return,
        },
    };
    let Some(raw) = raw else { return };
    let id = new_id();
    let mut head = l.head.clone();
    let migrated = match store::migrate_v1(&raw, &id, &mut head.clone()) {
        Ok(m) => m,
        Err(e) => {
            l.error = Some(decode_error(e));
            if matches!(l.error, Some(StorageError::FromTheFuture(_))) {
                l.read_only = true;
            }
            return;
        }
    };
    if let Err(e) = l.profiles.create(id.clone(), "学员 1", "", now()) {
        l.error = Some(StorageError::Corrupt(format!("{e:?}")));
        return;
    }
    let new: Vec<NewRecord> = migrated
        .records
        .iter()
        .map(|r| NewRecord {
            id: r.id.clone(),
            trainee: r.trainee.clone(),
            content_version: r.content_version.clone(),
            started_at: r.started_at,
            finished_at: r.finished_at,
            body: r.body.clone(),
        })
        .collect();
    let mut state = migrated.state;
    state.writer = new_id();
    let profiles = serde_json::to_string(&l.profiles).unwrap_or_default();
    if let Err(e) = idb::put_documents(&[(PROFILES_KEY, profiles), (V1_KEPT, raw.clone())], &[V1_KEY]).await {
        // Nothing was migrated; the old document is untouched and is tried again next time.
        l.profiles = Profiles::default();
        l.error = Some(e);
        return;
    }
    match idb::commit(&state, 0, head.clone(), new, Vec::new()).await {
        Ok(c) => {
            head = c.head;
            l.records.extend(c.records);
            l.head = head;
            l.state = state;
            let _ = LocalStorage.set(TRAINEE_KEY, &id);
        }
        Err(e) => l.error = Some(e),
    }
}

/// The trainee's progress, the device's records and the state of storage.
#[derive(Clone, Copy)]
pub struct ProgressCtx {
    /// What the current trainee sees (everyone's finished records in trainer mode).
    pub progress: RwSignal<Progress>,
    /// The last storage problem, shown as a banner; `None` while saving works.
    pub storage: RwSignal<Option<StorageError>>,
    /// Saves still in flight (0 when everything is durable).
    pub pending: RwSignal<u32>,
    /// Every readable record on the device.
    pub records: RwSignal<Vec<Record>>,
    pub profiles: RwSignal<Profiles>,
    /// The trainee using the app now.
    pub trainee: RwSignal<Option<String>>,
    /// Trainer mode is unlocked (until the page is reloaded or locked again).
    pub trainer: RwSignal<bool>,
    pub lock: RwSignal<Option<TrainerLock>>,
    pub settings: RwSignal<Settings>,
    /// Imported records kept aside: a different record was already here under their UUID.
    pub conflicts: RwSignal<Vec<Record>>,
    /// Records kept aside because they could not be read: (key, raw text).
    pub quarantined: RwSignal<Vec<(String, String)>>,
    /// Finished records not yet written (storage full or unavailable).
    pub unsaved: RwSignal<Vec<NewRecord>>,
    inner: StoredValue<Inner>,
}

struct Inner {
    state: WorkState,
    /// Revision of the state when this page loaded it: a later save by another tab makes
    /// this page's saves stale.
    base: u64,
    head: ChainHead,
    read_only: bool,
    /// False when IndexedDB could not be opened: nothing is written.
    durable: bool,
}

impl ProgressCtx {
    pub fn expect() -> Self {
        expect_context::<ProgressCtx>()
    }

    pub fn new(l: Loaded) -> Self {
        let last = LocalStorage
            .get(TRAINEE_KEY)
            .ok()
            .flatten()
            .filter(|id| l.profiles.get(id).is_some_and(|p| !p.archived));
        let durable = l.durable;
        let mut state = l.state;
        let base = state.revision;
        state.writer = new_id();
        let ctx = ProgressCtx {
            progress: RwSignal::new(Progress::default()),
            storage: RwSignal::new(l.error),
            pending: RwSignal::new(0),
            records: RwSignal::new(l.records),
            profiles: RwSignal::new(l.profiles),
            trainee: RwSignal::new(last.clone()),
            trainer: RwSignal::new(false),
            lock: RwSignal::new(l.lock),
            settings: RwSignal::new(l.settings),
            conflicts: RwSignal::new(l.conflicts),
            quarantined: RwSignal::new(l.quarantined),
            unsaved: RwSignal::new(Vec::new()),
            inner: StoredValue::new(Inner {
                state,
                base,
                head: l.head,
                read_only: l.read_only,
                durable,
            }),
        };
        ctx.refresh();
        ctx
    }

    /// The id progress is kept under: the trainee, or the trainer's own.
    fn owner(&self) -> String {
        self.trainee.get_untracked().unwrap_or_else(|| TRAINER_ID.to_string())
    }

    /// Rebuilds the progress view from the state and the records the viewer may see.
    pub fn refresh(&self) {
        let owner = self.owner();
        let all = self.trainer.get_untracked();
        let view = self.records.with_untracked(|rs| {
            let visible: Vec<Record> = self.profiles.with_untracked(|ps| {
                rs.iter()
                    .filter(|r| all || r.trainee == owner || ps.owner(&r.trainee).is_some_and(|p| p.id == owner))
                    .cloned()
                    .collect()
            });
            self.inner.with_value(|i| i.state.view(&owner, &visible))
        });
        self.progress.set(view);
    }

    /// Switches to another trainee (or none: the picker shows).
    pub fn switch(&self, trainee: Option<String>) {
        match &trainee {
            Some(id) => {
                let _ = LocalStorage.set(TRAINEE_KEY, id);
            }
            None => {
                let _ = web_sys::window()
                    .and_then(|w| w.local_storage().ok().flatten())
                    .map(|s| s.remove_item(TRAINEE_KEY));
            }
        }
        self.trainee.set(trainee);
        self.refresh();
    }

    pub fn set_trainer(&self, on: bool) {
        self.trainer.set(on);
        self.refresh();
    }

    /// Whether a record may be shown to the current viewer.
    pub fn may_see(&self, r: &Record) -> bool {
        self.trainer.get()
            || self
                .trainee
                .get()
                .is_some_and(|t| t == r.trainee || self.owner_of(&r.trainee) == t)
    }

    /// The local profile id a record's trainee id belongs to (aliases from imports resolved).
    pub fn owner_of(&self, trainee: &str) -> String {
        self.profiles
            .with(|ps| ps.owner(trainee).map(|p| p.id.clone()))
            .unwrap_or_else(|| trainee.to_string())
    }

    /// Changes the progress view, then saves: the working state and any finished attempt,
    /// role-play or observation added, as new chained records, in one transaction.
    pub fn update(&self, f: impl FnOnce(&mut Progress)) {
        let counts = self
            .progress
            .with_untracked(|p| (p.attempts.len(), p.scenario_runs.len(), p.observations.len()));
        self.progress.update(f);
        let owner = self.owner();
        let mut new = Vec::new();
        self.progress.with_untracked(|p| {
            self.inner
                .update_value(|i| new = i.state.absorb_tail(&owner, counts, p))
        });
        self.save(new, Vec::new());
    }

    /// Writes the state and `new` records (plus any left unsaved earlier), deleting `delete`.
    fn save(&self, new: Vec<NewRecord>, delete: Vec<String>) {
        let (read_only, durable) = self.inner.with_value(|i| (i.read_only, i.durable));
        if read_only {
            return;
        }
        let mut batch = self.unsaved.get_untracked();
        batch.extend(new);
        if !durable {
            // In memory only: keep the records visible and waiting to be exported.
            self.unsaved.set(batch);
            return;
        }
        let (state, base, head) = self.inner.with_value(|i| {
            let mut s = i.state.clone();
            s.revision += 1;
            (s, i.base, i.head.clone())
        });
        self.inner.update_value(|i| i.state.revision = state.revision);
        let ctx = *self;
        ctx.pending.update(|n| *n += 1);
        leptos::task::spawn_local(async move {
            let started = js_sys::Date::now();
            let result = idb::commit(&state, base, head, batch.clone(), delete).await;
            crate::browser::platform::record_save_time(js_sys::Date::now() - started);
            match result {
                Ok(Committed { records, head, stale }) => {
                    ctx.inner.update_value(|i| i.head = head);
                    ctx.unsaved.set(Vec::new());
                    ctx.records.update(|rs| rs.extend(records));
                    if stale {
                        ctx.storage.set(Some(StorageError::Stale));
                    } else if !matches!(
                        ctx.storage.get_untracked(),
                        Some(StorageError::Corrupt(_)) | Some(StorageError::Stale)
                    ) {
                        ctx.storage.set(None);
                    }
                }
                Err(e) => {
                    // Kept in memory, offered for export, retried with the next save.
                    ctx.unsaved.set(batch);
                    ctx.storage.set(Some(e));
                }
            }
            ctx.pending.update(|n| *n = n.saturating_sub(1));
        });
    }

    async fn put_doc(&self, key: &'static str, json: String) {
        if self.inner.with_value(|i| i.read_only || !i.durable) {
            return;
        }
        self.pending.update(|n| *n += 1);
        if let Err(e) = idb::put_documents(&[(key, json)], &[]).await {
            self.storage.set(Some(e));
        }
        self.pending.update(|n| *n = n.saturating_sub(1));
    }

    /// The trainee called `name` (or with that employee id); a new profile if there is none.
    pub fn trainee_for_name(&self, name: &str) -> Option<String> {
        if let Some(p) = self.profiles.with_untracked(|ps| ps.find(name).map(|p| p.id.clone())) {
            return Some(p);
        }
        let id = new_id();
        let mut ok = false;
        self.profiles
            .update(|ps| ok = ps.create(id.clone(), name, "", now()).is_ok());
        if ok {
            self.save_profiles();
            Some(id)
        } else {
            None
        }
    }

    /// The display name of a trainee id.
    pub fn name_of(&self, id: &str) -> String {
        self.profiles.with(|p| p.name_of(id))
    }

    /// Saves the profiles.
    pub fn save_profiles(&self) {
        let json = self
            .profiles
            .with_untracked(|p| serde_json::to_string(p).unwrap_or_default());
        let ctx = *self;
        leptos::task::spawn_local(async move { ctx.put_doc(PROFILES_KEY, json).await });
    }

    /// The rubric new results are scored on: the trainer's choice, else the course default.
    pub fn rubric(&self, course: &Course) -> Option<Rubric> {
        let chosen = self.settings.with_untracked(|s| s.rubric.clone());
        chosen
            .and_then(|id| course.rubric(&id).cloned())
            .or_else(|| course.default_rubric().cloned())
    }

    pub fn save_settings(&self) {
        let json = self
            .settings
            .with_untracked(|s| serde_json::to_string(s).unwrap_or_default());
        let ctx = *self;
        leptos::task::spawn_local(async move { ctx.put_doc(SETTINGS_KEY, json).await });
    }

    /// Every role-play in progress on this device (all trainees): where runs were left.
    pub fn scenario_runs_in_progress(&self) -> Vec<crate::domain::scenario::ScenarioRun> {
        self.inner.with_value(|i| {
            i.state
                .trainees
                .values()
                .flat_map(|w| w.scenarios_in_progress.values().cloned())
                .collect()
        })
    }

    /// How many lessons a trainee has marked done on this device.
    pub fn lessons_done_of(&self, trainee: &str) -> usize {
        self.inner
            .with_value(|i| i.state.trainees.get(trainee).map(|w| w.lessons_done.len()).unwrap_or(0))
    }

    /// Dismisses an import conflict (the record on this device stays as it is).
    pub fn dismiss_conflict(&self, index: usize) {
        self.conflicts.update(|c| {
            if index < c.len() {
                c.remove(index);
            }
        });
        let json = self
            .conflicts
            .with_untracked(|c| serde_json::to_string(c).unwrap_or_default());
        let ctx = *self;
        leptos::task::spawn_local(async move { ctx.put_doc(CONFLICTS_KEY, json).await });
    }

    /// The device's id (its hash chain's).
    pub fn device(&self) -> String {
        self.inner.with_value(|i| i.head.device.clone())
    }

    /// Imports bundles one after another. A file that is refused changes nothing; each
    /// accepted one is saved (new trainees, new records, conflicts kept aside) before the next.
    pub async fn import(
        &self,
        files: Vec<(String, Result<Vec<u8>, String>)>,
    ) -> Vec<(String, Result<MergeReport, String>)> {
        let mut out = Vec::new();
        for (name, bytes) in files {
            let result = match bytes.and_then(|b| exchange::parse(&b).map_err(|e| e.to_string())) {
                Err(e) => Err(e),
                Ok(bundle) => {
                    let local = Merged {
                        profiles: self.profiles.get_untracked(),
                        records: self.records.get_untracked(),
                        conflicts: self.conflicts.get_untracked(),
                    };
                    let (merged, report) = exchange::merge(&local, &bundle, &self.device());
                    let known: std::collections::BTreeSet<&str> = local.records.iter().map(|r| r.id.as_str()).collect();
                    let new: Vec<Record> = merged
                        .records
                        .iter()
                        .filter(|r| !known.contains(r.id.as_str()))
                        .cloned()
                        .collect();
                    // Kept aside, de-duplicated by merge: conflicts and claims of this device.
                    let conflicts: Vec<Record> = merged.conflicts.clone();
                    let docs = [
                        (
                            PROFILES_KEY,
                            serde_json::to_string(&merged.profiles).unwrap_or_default(),
                        ),
                        (CONFLICTS_KEY, serde_json::to_string(&conflicts).unwrap_or_default()),
                    ];
                    let saved = if self.inner.with_value(|i| i.read_only || !i.durable) {
                        Err(StorageError::Unavailable)
                    } else {
                        idb::put_records(&new, &docs).await
                    };
                    match saved {
                        Ok(()) => {
                            self.profiles.set(merged.profiles);
                            self.records.set(merged.records);
                            self.conflicts.set(conflicts);
                            Ok(report)
                        }
                        Err(e) => Err(format!("{e:?}")),
                    }
                }
            };
            out.push((name, result));
        }
        self.refresh();
        out
    }

    /// Saves the trainer lock (PIN hash and back-off).
    pub fn save_lock(&self) {
        let json = self
            .lock
            .with_untracked(|l| serde_json::to_string(l).unwrap_or_default());
        let ctx = *self;
        leptos::task::spawn_local(async move { ctx.put_doc(TRAINER_KEY, json).await });
    }

    /// Deletes a trainee: their profile, working state and records. An erasure record names
    /// what was removed, so the hash chain still verifies.
    pub fn delete_trainee(&self, id: &str) {
        let removed: Vec<Removed> = self.records.with_untracked(|rs| {
            rs.iter()
                .filter(|r| r.trainee == id)
                .map(|r| Removed {
                    id: r.id.clone(),
                    device: r.device.clone(),
                    seq: r.seq,
                    hash: r.hash.clone(),
                    prev_hash: r.prev_hash.clone(),
                })
                .collect()
        });
        let ids: Vec<String> = removed.iter().map(|r| r.id.clone()).collect();
        self.records.update(|rs| rs.retain(|r| r.trainee != id));
        self.profiles.update(|p| {
            p.remove(id);
        });
        self.inner.update_value(|i| {
            i.state.trainees.remove(id);
        });
        if self.trainee.get_untracked().as_deref() == Some(id) {
            self.trainee.set(None);
        }
        self.save_profiles();
        let at = now();
        let erasure = NewRecord {
            id: new_id(),
            trainee: id.to_string(),
            content_version: String::new(),
            started_at: at,
            finished_at: at,
            body: Body::Erasure {
                trainee: id.to_string(),
                removed,
            },
        };
        self.save(vec![erasure], ids);
        self.refresh();
    }

    /// Export of what is not yet saved (and the working state), for the storage banner.
    pub fn unsaved_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Export<'a> {
            unsaved_records: &'a [NewRecord],
            state: &'a WorkState,
        }
        self.unsaved.with_untracked(|u| {
            self.inner.with_value(|i| {
                serde_json::to_string(&Export {
                    unsaved_records: u,
                    state: &i.state,
                })
                .unwrap_or_default()
            })
        })
    }
}
