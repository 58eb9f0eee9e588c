//! The reactive holder of the device model: it loads the device from IndexedDB, keeps it in
//! signals for the screens, and persists every action in one transaction. It decides nothing:
//! every rule is in `domain::device` (what an action changes, what may be written) and the
//! rest of `domain`.
//!
//! Every write goes through [`ProgressCtx::act`]: the action is applied inside the transaction
//! to the documents as stored at that moment, so another tab's changes are never lost; the
//! other tabs are then told (BroadcastChannel) and read the documents again.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::browser::idb::{self, DOCUMENTS, QUARANTINE, RECORDS, Writes};
use crate::browser::platform::{self, new_id, now};
use crate::browser::storage::{KeyValue, LocalStorage, StorageError, TabStorage};
use crate::domain::content::Course;
use crate::domain::device::{self, Action, Applied, Device, DeviceError, DocKind, Env, Slot, WorkPatch};
use crate::domain::exchange::{self, ImportError, MergeReport, Merged};
use crate::domain::profiles::{Profiles, TrainerLock};
use crate::domain::records::Progress;
use crate::domain::rubric::Rubric;
use crate::domain::store::{self, NewRecord, Record, WorkState};

pub use crate::domain::device::{Settings, TRAINER_ID};

/// The version-1 progress document (localStorage and IndexedDB), migrated at first start.
pub const V1_KEY: &str = "lixun.progress.v1";
/// Where the version-1 document is kept after migration.
pub const V1_KEPT: &str = "lixun.progress.v1.migrated";
/// The last trainee picked on this device (a setting, in localStorage).
pub const TRAINEE_KEY: &str = "lixun.trainee";
/// Until when trainer mode stays open in this tab (sessionStorage, RFC 3339).
const TRAINER_UNTIL_KEY: &str = "lixun.trainer-until";

/// What `load` found.
#[derive(Clone)]
pub struct Loaded {
    device: Device,
    records: Vec<Record>,
    quarantined: Vec<(String, String)>,
    /// Records found unreadable in this load (moved to the quarantine).
    quarantined_now: usize,
    error: Option<StorageError>,
    /// The version-1 document could not be migrated (it stays where it is).
    refused: Option<DeviceError>,
    /// False when IndexedDB could not be opened.
    durable: bool,
    /// A device id for a chain that does not exist yet.
    fresh_device: String,
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

    pub fn device(&self) -> &Device {
        &self.device
    }
}

async fn read_records() -> Result<(Vec<Record>, usize), StorageError> {
    let raw = idb::all(RECORDS).await?;
    let (ok, bad) = store::load_records(raw.iter().map(|(k, v)| (k.clone(), v.as_str())));
    if !bad.is_empty() {
        let items: Vec<(String, String)> = bad.iter().map(|(k, raw, _)| (k.clone(), raw.clone())).collect();
        // If moving them fails they stay where they are (and are skipped again next time).
        idb::quarantine(&items).await?;
    }
    Ok((ok, bad.len()))
}

/// Reads everything. Never fails: problems come back as `error` (and the app runs in memory)
/// or as unreadable documents in the device.
pub async fn load() -> Loaded {
    let mut l = Loaded {
        device: Device::decode(&BTreeMap::new()),
        records: Vec::new(),
        quarantined: Vec::new(),
        quarantined_now: 0,
        error: None,
        refused: None,
        durable: true,
        fresh_device: new_id(),
    };
    let docs = match idb::all(DOCUMENTS).await {
        Ok(d) => d.into_iter().collect::<BTreeMap<_, _>>(),
        Err(e) => {
            l.error = Some(e);
            l.durable = false;
            return l;
        }
    };
    l.device = Device::decode(&docs);
    match read_records().await {
        Ok((records, bad)) => {
            l.records = records;
            l.quarantined_now = bad;
        }
        Err(e) => l.error = Some(e),
    }
    l.quarantined = idb::all(QUARANTINE).await.unwrap_or_default();
    if matches!(l.device.state, Slot::Absent) {
        migrate_v1(&mut l, docs.get(V1_KEY).cloned()).await;
    }
    l
}

/// Migrates the version-1 document (the newer of the localStorage and IndexedDB copies) into
/// records of a first trainee, in one transaction, keeping the old document under `V1_KEPT`.
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
        (None, None) => local.or(idb_copy),
    };
    let Some(raw) = raw else { return };
    let trainee = new_id();
    let action = Action::MigrateV1 {
        raw: raw.clone(),
        trainee: trainee.clone(),
        name: "学员 1".into(),
        at: now(),
    };
    let env = Env {
        now: now(),
        new_device: l.fresh_device.clone(),
    };
    let result = idb::transact(move |stored| {
        let applied = device::commit(stored, &action, &env)?;
        let mut writes = writes_of(&applied);
        writes.docs.push((V1_KEPT.to_string(), raw.clone()));
        writes.delete_docs.push(V1_KEY.to_string());
        Ok::<_, DeviceError>((applied, writes))
    })
    .await;
    match result {
        Ok(Ok(applied)) => {
            l.records.extend(applied.records);
            l.device = applied.device;
            let _ = LocalStorage.set(TRAINEE_KEY, &trainee);
        }
        // Unreadable: the old document stays where it is, reported.
        Ok(Err(e)) => l.refused = Some(e),
        Err(e) => l.error = Some(e),
    }
}

fn writes_of(a: &Applied) -> Writes {
    Writes {
        docs: a.docs.clone(),
        delete_docs: a.delete_docs.clone(),
        records: a.records.iter().map(|r| (r.id.clone(), r.encode())).collect(),
        delete_records: a.delete_records.clone(),
        quarantine: a.quarantine.clone(),
    }
}

/// The trainee's progress, the device's records and the state of storage.
#[derive(Clone, Copy)]
pub struct ProgressCtx {
    /// What the current trainee sees (everyone's finished records in trainer mode).
    pub progress: RwSignal<Progress>,
    /// The last storage problem, shown as a banner; `None` while saving works.
    pub storage: RwSignal<Option<StorageError>>,
    /// The last change the device model refused (nothing of it was written), shown as a banner.
    pub refused: RwSignal<Option<DeviceError>>,
    /// Saves still in flight (0 when everything is durable).
    pub pending: RwSignal<u32>,
    /// Every readable record on the device.
    pub records: RwSignal<Vec<Record>>,
    /// The device's documents as last read or written (unreadable ones kept as raw text).
    pub device: RwSignal<Device>,
    pub profiles: RwSignal<Profiles>,
    /// The trainee using the app now.
    pub trainee: RwSignal<Option<String>>,
    /// Trainer mode is unlocked (until the page is reloaded or locked again).
    pub trainer: RwSignal<bool>,
    pub lock: RwSignal<Option<TrainerLock>>,
    pub settings: RwSignal<Settings>,
    /// Imported records kept aside: a different record was already here under their UUID.
    pub conflicts: RwSignal<Vec<Record>>,
    /// What was kept aside because it could not be read: (key, raw text).
    pub quarantined: RwSignal<Vec<(String, String)>>,
    /// Records found unreadable when this page loaded.
    pub quarantined_now: RwSignal<usize>,
    /// Finished records not yet written (storage full or unavailable).
    pub unsaved: RwSignal<Vec<NewRecord>>,
    /// The recovery code just made with a new PIN, shown once until the trainer dismisses it.
    pub recovery_code: RwSignal<Option<String>>,
    /// Someone left with "switch trainee": whoever is picked next starts on their home page.
    pub switched_away: RwSignal<bool>,
    inner: StoredValue<Inner>,
}

struct Inner {
    /// The working state as this page knows it: the stored one plus the changes still being
    /// saved.
    state: WorkState,
    /// Changes of the working state sent to storage and not yet written, in order.
    in_flight: Vec<(u64, WorkPatch)>,
    next_patch: u64,
    /// Records finished on this page by the person using it now (a pair run of a colleague,
    /// an observation of someone else): they stay on screen until the user switches.
    shown_here: std::collections::BTreeSet<String>,
    /// A device id for a chain that does not exist yet.
    fresh_device: String,
    /// False when IndexedDB could not be opened: nothing is written.
    durable: bool,
    /// Without durable storage, the documents as this page holds them in memory (the same
    /// actions apply to them, so the app keeps working until it is closed).
    memory: BTreeMap<String, String>,
}

impl ProgressCtx {
    pub fn expect() -> Self {
        expect_context::<ProgressCtx>()
    }

    pub fn new(l: Loaded) -> Self {
        let profiles = l.device.profiles_or_empty();
        let last = LocalStorage
            .get(TRAINEE_KEY)
            .ok()
            .flatten()
            .filter(|id| profiles.get(id).is_some_and(|p| !p.archived));
        let ctx = ProgressCtx {
            progress: RwSignal::new(Progress::default()),
            storage: RwSignal::new(l.error),
            refused: RwSignal::new(l.refused),
            pending: RwSignal::new(0),
            records: RwSignal::new(l.records),
            device: RwSignal::new(l.device.clone()),
            profiles: RwSignal::new(profiles),
            trainee: RwSignal::new(last),
            trainer: RwSignal::new(false),
            lock: RwSignal::new(None),
            settings: RwSignal::new(Settings::default()),
            conflicts: RwSignal::new(Vec::new()),
            quarantined: RwSignal::new(l.quarantined),
            quarantined_now: RwSignal::new(l.quarantined_now),
            unsaved: RwSignal::new(Vec::new()),
            recovery_code: RwSignal::new(None),
            switched_away: RwSignal::new(false),
            inner: StoredValue::new(Inner {
                state: l.device.state_or_empty(),
                in_flight: Vec::new(),
                next_patch: 0,
                shown_here: Default::default(),
                fresh_device: l.fresh_device,
                durable: l.durable,
                memory: BTreeMap::new(),
            }),
        };
        ctx.adopt(l.device);
        ctx.listen();
        ctx.keep_trainer_session();
        ctx
    }

    /// Takes a device as read or written: every signal follows it.
    fn adopt(&self, d: Device) {
        self.profiles.set(d.profiles_or_empty());
        self.lock.set(d.trainer.value().cloned());
        self.settings.set(d.settings_or_default());
        self.conflicts.set(d.conflicts.value().cloned().unwrap_or_default());
        // What is stored, plus this page's changes still on their way (so a save landing
        // never undoes a later change on the screen).
        self.inner.update_value(|i| {
            let mut state = d.state_or_empty();
            for (_, p) in &i.in_flight {
                p.apply(&mut state);
            }
            i.state = state;
        });
        self.device.set(d);
        self.refresh();
    }

    /// Another tab wrote: read the documents and any new records again.
    fn listen(&self) {
        let ctx = *self;
        platform::on_other_tab_change(move || {
            leptos::task::spawn_local(async move {
                if let Ok(docs) = idb::all(DOCUMENTS).await {
                    ctx.adopt(Device::decode(&docs.into_iter().collect()));
                }
                if let Ok((records, _)) = read_records().await {
                    ctx.records.set(records);
                    ctx.refresh();
                }
            });
        });
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
                self.inner.with_value(|i| {
                    rs.iter()
                        .filter(|r| may_see(ps, all, Some(&owner), &r.trainee) || i.shown_here.contains(&r.id))
                        .cloned()
                        .collect()
                })
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
                LocalStorage.remove(TRAINEE_KEY);
                self.switched_away.set(true);
            }
        }
        self.trainee.set(trainee);
        self.inner.update_value(|i| i.shown_here.clear());
        self.refresh();
    }

    pub fn set_trainer(&self, on: bool) {
        if on {
            self.touch_trainer();
        } else {
            TabStorage.remove(TRAINER_UNTIL_KEY);
        }
        self.trainer.set(on);
        self.refresh();
    }

    /// Trainer activity: keeps trainer mode open in this tab for the idle time from now.
    pub fn touch_trainer(&self) {
        let until = crate::domain::profiles::trainer_open_until(now());
        let _ = TabStorage.set(TRAINER_UNTIL_KEY, &until.to_rfc3339());
    }

    /// Reopens trainer mode after a reload of this tab while it was open and not idle; and
    /// closes it once it has been idle too long.
    fn keep_trainer_session(&self) {
        let stored_until = || {
            TabStorage
                .get(TRAINER_UNTIL_KEY)
                .ok()
                .flatten()
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
                .map(|d| d.with_timezone(&chrono::Utc))
        };
        let open = crate::domain::profiles::trainer_still_open(stored_until(), now());
        if open && self.device.with_untracked(|d| d.pin_is_set()) {
            self.trainer.set(true);
            self.refresh();
        } else {
            TabStorage.remove(TRAINER_UNTIL_KEY);
        }
        let ctx = *self;
        platform::every_seconds(30, move || {
            if ctx.trainer.get_untracked() && !crate::domain::profiles::trainer_still_open(stored_until(), now()) {
                ctx.set_trainer(false);
            }
        });
    }

    /// Whether a record may be shown to the current viewer.
    pub fn may_see(&self, r: &Record) -> bool {
        let all = self.trainer.get();
        let viewer = self.trainee.get();
        self.profiles.with(|ps| may_see(ps, all, viewer.as_deref(), &r.trainee))
    }

    /// The local profile id a record's trainee id belongs to (aliases from imports resolved).
    pub fn owner_of(&self, trainee: &str) -> String {
        self.profiles
            .with(|ps| ps.owner(trainee).map(|p| p.id.clone()))
            .unwrap_or_else(|| trainee.to_string())
    }

    /// Applies an action in one transaction (to the documents as stored now) and adopts the
    /// result. Without durable storage it is refused as unavailable.
    pub async fn act(&self, action: Action) -> Result<Applied, ActError> {
        if self.trainer.get_untracked() {
            self.touch_trainer();
        }
        let env = Env {
            now: now(),
            new_device: self.inner.with_value(|i| i.fresh_device.clone()),
        };
        if !self.inner.with_value(|i| i.durable) {
            let applied = self
                .inner
                .with_value(|i| device::commit(&i.memory, &action, &env))
                .map_err(|e| {
                    self.refused.set(Some(e.clone()));
                    ActError::Refused(e)
                })?;
            self.inner.update_value(|i| {
                for (k, v) in &applied.docs {
                    i.memory.insert(k.clone(), v.clone());
                }
            });
            let added = applied.records.clone();
            self.records.update(|rs| rs.extend(added));
            self.adopt(applied.device.clone());
            return Ok(applied);
        }
        self.pending.update(|n| *n += 1);
        let started = platform::now_ms();
        let result = idb::transact(move |stored| {
            let applied = device::commit(stored, &action, &env)?;
            let writes = writes_of(&applied);
            Ok::<_, DeviceError>((applied, writes))
        })
        .await;
        platform::record_save_time(platform::now_ms() - started);
        self.pending.update(|n| *n = n.saturating_sub(1));
        match result {
            Ok(Ok(applied)) => {
                let deleted: std::collections::BTreeSet<&str> =
                    applied.delete_records.iter().map(String::as_str).collect();
                let added = applied.records.clone();
                self.records.update(|rs| {
                    rs.retain(|r| !deleted.contains(r.id.as_str()));
                    rs.extend(added);
                });
                let kept: Vec<(String, String)> = applied.quarantine.clone();
                if !kept.is_empty() {
                    self.quarantined.update(|q| q.extend(kept));
                }
                self.adopt(applied.device.clone());
                self.refused.set(None);
                if matches!(
                    self.storage.get_untracked(),
                    Some(StorageError::Quota | StorageError::Unavailable)
                ) {
                    self.storage.set(None);
                }
                platform::tell_other_tabs();
                Ok(applied)
            }
            Ok(Err(e)) => {
                self.refused.set(Some(e.clone()));
                Err(ActError::Refused(e))
            }
            Err(e) => {
                self.storage.set(Some(e.clone()));
                Err(ActError::Storage(e))
            }
        }
    }

    /// Runs an action whose outcome the caller does not wait for; a refusal is shown in the
    /// storage banner.
    pub fn act_later(&self, action: Action) {
        let ctx = *self;
        leptos::task::spawn_local(async move {
            // A refusal or a storage failure is already shown by `act`.
            let _ = ctx.act(action).await;
        });
    }

    /// Changes the progress view, then saves: the change of the working state and any
    /// finished attempt, role-play or observation, as new chained records, in one transaction.
    pub fn update(&self, f: impl FnOnce(&mut Progress)) {
        let before = self.progress.get_untracked();
        self.progress.update(f);
        let owner = self.owner();
        let after = self.progress.get_untracked();
        let patch = WorkPatch::diff(&owner, &before, &after);
        let mut finished = Vec::new();
        let mut ticket = 0;
        self.inner.update_value(|i| {
            // The page's own copy follows at once; the stored one when the save lands.
            let mut scratch = i.state.clone();
            finished = scratch.absorb(&owner, &before, &after);
            patch.apply(&mut i.state);
            ticket = i.next_patch;
            i.next_patch += 1;
            i.in_flight.push((ticket, patch.clone()));
            i.shown_here.extend(finished.iter().map(|n| n.id.clone()));
        });
        let mut batch = self.unsaved.get_untracked();
        batch.extend(finished);
        if !self.inner.with_value(|i| i.durable) {
            // In memory only: keep the records visible and waiting to be exported.
            self.unsaved.set(batch);
            return;
        }
        self.unsaved.set(Vec::new());
        let ctx = *self;
        leptos::task::spawn_local(async move {
            let action = Action::SaveWork {
                patch,
                finished: batch.clone(),
            };
            let result = ctx.act(action).await;
            ctx.inner.update_value(|i| i.in_flight.retain(|(t, _)| *t != ticket));
            match result {
                Ok(_) => {}
                Err(e) => {
                    // Kept in memory, offered for export, retried with the next save.
                    ctx.unsaved.update(|u| {
                        let mut b = batch;
                        b.append(u);
                        *u = b;
                    });
                    let _ = e;
                }
            }
        });
    }

    /// The trainee called `name` (or with that employee id); a new profile if there is none.
    pub async fn trainee_for_name(&self, name: &str) -> Result<String, ActError> {
        if let Some(p) = self.profiles.with_untracked(|ps| ps.find(name).map(|p| p.id.clone())) {
            return Ok(p);
        }
        self.create_trainee(name, "").await
    }

    /// Adds a trainee; their id.
    pub async fn create_trainee(&self, name: &str, employee_id: &str) -> Result<String, ActError> {
        let id = new_id();
        let action = Action::CreateTrainee {
            id: id.clone(),
            name: name.into(),
            employee_id: employee_id.into(),
            at: now(),
        };
        self.act(action).await.map(|_| id)
    }

    /// The display name of a trainee id.
    pub fn name_of(&self, id: &str) -> String {
        self.profiles.with(|p| p.name_of(id))
    }

    /// The rubric new results are scored on: the trainer's choice, else the course default.
    pub fn rubric(&self, course: &Course) -> Option<Rubric> {
        let chosen = self.settings.with_untracked(|s| s.rubric.clone());
        chosen
            .and_then(|id| course.rubric(&id).cloned())
            .or_else(|| course.default_rubric().cloned())
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
        if let Some(hash) = self.conflicts.with_untracked(|c| c.get(index).map(|r| r.hash.clone())) {
            self.act_later(Action::DismissConflict { hash });
        }
    }

    /// The device's id (its hash chain's).
    pub fn device_id(&self) -> String {
        self.device
            .with_untracked(|d| d.device_id().map(str::to_string))
            .unwrap_or_else(|| self.inner.with_value(|i| i.fresh_device.clone()))
    }

    /// Imports bundles one after another. A file that is refused changes nothing; each
    /// accepted one is saved (new trainees, new records, records kept aside) before the next.
    pub async fn import(&self, files: Vec<(String, Result<Vec<u8>, ImportError>)>) -> Vec<ImportOutcome> {
        let mut out = Vec::new();
        for (name, bytes) in files {
            let result = match bytes.and_then(|b| exchange::parse(&b)) {
                Err(e) => Err(ActError::Import(e)),
                Ok(bundle) => {
                    let local = Merged {
                        profiles: self.profiles.get_untracked(),
                        records: self.records.get_untracked(),
                        conflicts: self.conflicts.get_untracked(),
                    };
                    let (merged, report) = exchange::merge(&local, &bundle, &self.device_id());
                    let known: std::collections::BTreeSet<&str> = local.records.iter().map(|r| r.id.as_str()).collect();
                    let records: Vec<Record> = merged
                        .records
                        .iter()
                        .filter(|r| !known.contains(r.id.as_str()))
                        .cloned()
                        .collect();
                    let profiles = merged
                        .profiles
                        .list
                        .iter()
                        .filter(|p| local.profiles.get(&p.id).is_none())
                        .cloned()
                        .collect();
                    let action = Action::Import {
                        profiles,
                        records,
                        conflicts: merged.conflicts.clone(),
                    };
                    self.act(action).await.map(|_| report)
                }
            };
            out.push(ImportOutcome { file: name, result });
        }
        self.refresh();
        out
    }

    /// Deletes a trainee (or the records of a trainee id no profile has): their profile,
    /// working state and records. An erasure record names what was removed, so the hash chain
    /// still verifies.
    pub fn delete_trainee(&self, id: &str) {
        let removed = self.records.with_untracked(|rs| {
            self.device
                .with_untracked(|d| device::removed_for(d.profiles.value(), id, rs))
        });
        if self.trainee.get_untracked().as_deref() == Some(id) {
            self.switch(None);
        }
        self.act_later(Action::DeleteTrainee {
            id: id.to_string(),
            erasure: new_id(),
            removed,
            at: now(),
        });
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

    /// Everything kept aside (unreadable documents and records, import conflicts), as one
    /// JSON file for the trainer.
    pub fn kept_aside_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Export {
            unreadable_documents: Vec<(String, String)>,
            quarantine: Vec<(String, String)>,
        }
        let unreadable_documents = self.device.with_untracked(|d| {
            DocKind::ALL
                .into_iter()
                .filter_map(|k| d.raw_of(k).map(|r| (k.key().to_string(), r.to_string())))
                .collect()
        });
        let export = Export {
            unreadable_documents,
            quarantine: self.quarantined.get_untracked(),
        };
        serde_json::to_string_pretty(&export).unwrap_or_default()
    }

    /// Rebuilds an unreadable chain head from its previous copy and the records.
    pub fn repair_head(&self) {
        let heads = self.records.with_untracked(|rs| store::heads(rs));
        self.act_later(Action::RepairHead { heads });
    }
}

/// Whether a record of `trainee` may be shown: the trainer sees all, a trainee their own
/// (aliases from imports and merges resolved).
fn may_see(profiles: &Profiles, trainer: bool, viewer: Option<&str>, trainee: &str) -> bool {
    let owner = profiles.owner(trainee).map(|p| p.id.as_str()).unwrap_or(trainee);
    crate::domain::records::may_see(trainer, viewer, owner)
}

/// Why a change was not saved, for the view to translate.
#[derive(Clone, Debug, PartialEq)]
pub enum ActError {
    /// The device model refused (an unreadable document, a rule); nothing was written.
    Refused(DeviceError),
    /// Storage failed (full, unavailable); nothing of the transaction was written.
    Storage(StorageError),
    /// An imported file was refused before anything changed.
    Import(ImportError),
}

/// What became of one imported file.
#[derive(Clone, Debug)]
pub struct ImportOutcome {
    pub file: String,
    pub result: Result<MergeReport, ActError>,
}
