//! Trainer mode: set the PIN on first use, unlock it (with a back-off after wrong tries), and
//! once unlocked manage trainees (rename, archive, delete with confirmation), see storage use,
//! verify the hash chain and see records kept aside.

use leptos::prelude::*;

use crate::domain::device::{Action, DocKind};
use crate::ui::common::errors::{act_error, chain_issue, short_device};
use crate::ui::common::labels::when;
use leptos_router::components::A;

use crate::browser::platform::{FileInput, download, now};
use crate::domain::report::{StorageUse, activity_by_owner};
use crate::domain::store;
use crate::i18n::*;
use crate::ui::common::avatar::Avatar;
use crate::ui::common::context::ProgressCtx;
use crate::ui::trainer::unlock::Unlock;

fn mb(bytes: f64) -> String {
    crate::domain::report::human_size(bytes)
}

#[component]
pub fn TrainerPage() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    view! {
        <nav class="crumbs"><A href="/">{t!(i18n, nav_home)}</A> " / " {t!(i18n, trainer_mode)}</nav>
        <h1>{t!(i18n, trainer_mode)}</h1>
        <Show when=move || ctx.trainer.get() fallback=|| view! { <Unlock /> }>
            <TrainerPanel />
        </Show>
    }
}

#[component]
fn TrainerPanel() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    let estimate = LocalResource::new(crate::browser::idb::estimate);
    let verified = RwSignal::new(None::<Vec<String>>);
    let editing = RwSignal::new(None::<String>);
    let edit_name = RwSignal::new(String::new());
    let edit_id = RwSignal::new(String::new());
    let edit_error = RwSignal::new(None::<String>);
    let confirm_delete = RwSignal::new(None::<String>);
    // Merging: the row being merged, what was typed to find the other profile, and the pair
    // waiting for confirmation.
    let merging = RwSignal::new(None::<String>);
    let merge_query = RwSignal::new(String::new());
    let merge_pending = RwSignal::new(None::<(String, String)>);
    let verify = move |_| {
        let issues = ctx.records.with_untracked(|rs| store::verify(rs));
        let mut lines: Vec<String> = issues.iter().map(|i| chain_issue(i18n, i)).collect();
        // Imported records that claimed this device were kept aside: verification says so.
        let me = ctx.device_id();
        let claims = ctx
            .conflicts
            .with_untracked(|c| c.iter().filter(|r| r.device == me).count());
        if claims > 0 {
            lines.push(t_string!(i18n, claims_this_device, n = claims).to_string());
        }
        verified.set(Some(lines));
    };
    let usage = move || {
        estimate.get().flatten().map(|(used, quota)| {
            let (share, warn) = (StorageUse { used, quota }.share(), StorageUse { used, quota }.nearly_full());
            view! {
                <p data-testid="storage-usage" class=if warn { "banner banner--warn" } else { "" }>
                    {t_string!(i18n, storage_usage, used = mb(used), quota = mb(quota), share = format!("{share:.1}")).to_string()}
                    {warn.then(|| view! { " " <strong>{t!(i18n, storage_nearly_full)}</strong> })}
                </p>
            }
        })
    };
    let rows = move || {
        let activity = ctx.records.with(|rs| ctx.profiles.with(|ps| activity_by_owner(rs, ps)));
        ctx.profiles.with(|ps| {
            ps.roster()
                .into_iter()
                .map(|p| {
                    let id = p.id.clone();
                    let act = activity.get(&p.id).cloned().unwrap_or_default();
                    let n = act.results;
                    let last = act.last.map(when);
                    let devices: Vec<String> = act.devices.iter().map(|d| short_device(d)).collect();
                    let merged_names: Vec<String> = p.merged.iter().map(|m| format!("{}（{}）", m.name, when(m.at))).collect();
                    let (id1, id2, id3, id4, id5) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
                    let id6 = id.clone();
                    let p2 = p.clone();
                    let archived = p.archived;
                    view! {
                        <li class="trainee-row" data-trainee=p.name.clone()>
                            <Avatar profile=p.clone() small=true />
                            <span class="row-link__main">
                                <strong>{p.name.clone()}</strong>
                                <span class="muted">
                                    {p.employee_id.clone().map(|e| format!("{e} · "))} {t_string!(i18n, records_count, n = n).to_string()}
                                    {last.map(|l| view! { " · " {t_string!(i18n, last_active, when = l).to_string()} })}
                                    {(!devices.is_empty()).then(|| view! { " · " {t_string!(i18n, on_devices, devices = devices.join("、")).to_string()} })}
                                    {archived.then(|| view! { " · " {t!(i18n, archived)} })}
                                </span>
                                {(!merged_names.is_empty()).then(|| view! {
                                    <span class="muted" data-testid="merged-note">{t_string!(i18n, merged_from, names = merged_names.join("、")).to_string()}</span>
                                })}
                            </span>
                            <button class="btn btn--ghost" type="button" data-testid="rename-trainee" on:click=move |_| {
                                editing.set(Some(id1.clone()));
                                edit_name.set(p2.name.clone());
                                edit_id.set(p2.employee_id.clone().unwrap_or_default());
                                edit_error.set(None);
                            }>{t!(i18n, rename)}</button>
                            <button class="btn btn--ghost" type="button" on:click=move |_| {
                                ctx.act_later(Action::ArchiveTrainee { id: id2.clone(), archived: !archived });
                            }>{if archived { t_string!(i18n, unarchive) } else { t_string!(i18n, archive) }}</button>
<button class="btn btn--ghost" type="button" data-testid="merge-trainee" on:click={
                                let from = id.clone();
                                move |_| { merge_query.set(String::new()); merge_pending.set(None); merging.set(Some(from.clone())); }
                            }>{t!(i18n, merge_into)}</button>
                            <button class="btn btn--ghost btn--danger-text" type="button" data-testid="delete-trainee" on:click=move |_| confirm_delete.set(Some(id3.clone()))>{t!(i18n, delete)}</button>
                            <Show when=move || editing.get().as_deref() == Some(id4.as_str())>
                                <form class="trainee-edit" on:submit=move |ev: leptos::ev::SubmitEvent| {
                                    ev.prevent_default();
                                    let target = editing.get_untracked().unwrap_or_default();
                                    let action = Action::RenameTrainee { id: target, name: edit_name.get_untracked(), employee_id: edit_id.get_untracked() };
                                    leptos::task::spawn_local(async move {
                                        match ctx.act(action).await {
                                            Ok(_) => editing.set(None),
                                            Err(e) => edit_error.set(Some(act_error(i18n, &e))),
                                        }
                                    });
                                }>
                                    <input type="text" maxlength="60" data-testid="rename-name" prop:value=move || edit_name.get() on:input=move |ev| edit_name.set(event_target_value(&ev)) />
                                    <input type="text" maxlength="30" prop:value=move || edit_id.get() on:input=move |ev| edit_id.set(event_target_value(&ev)) />
                                    <button class="btn btn--primary" type="submit" data-testid="rename-save">{t!(i18n, save)}</button>
                                    {move || edit_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                                </form>
                            </Show>
                            <Show when={
                                let me = id6.clone();
                                move || merging.get().as_deref() == Some(me.as_str())
                            }>
                                <MergePanel from=id6.clone() query=merge_query pending=merge_pending merging=merging />
                            </Show>
                            <Show when=move || confirm_delete.get().as_deref() == Some(id5.as_str())>
                                <div class="confirm-row" role="alert">
                                    <span>{t_string!(i18n, delete_confirm, n = n).to_string()}</span>
                                    <button class="btn btn--danger" type="button" data-testid="confirm-delete" on:click={
                                        let id = id.clone();
                                        move |_| { confirm_delete.set(None); ctx.delete_trainee(&id); }
                                    }>{t!(i18n, delete)}</button>
                                    <button class="btn btn--ghost" type="button" on:click=move |_| confirm_delete.set(None)>{t!(i18n, cancel)}</button>
                                </div>
                            </Show>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="trainer-actions">
            <A href="/dashboard" attr:class="btn btn--primary" attr:data-testid="open-dashboard">{t!(i18n, dashboard)}</A>
            <A href="/results" attr:class="btn btn--ghost">{t!(i18n, all_results)}</A>
            <button class="btn btn--ghost" type="button" on:click=move |_| { ctx.set_trainer(false); } data-testid="lock-trainer">{t!(i18n, lock_trainer)}</button>
        </div>
        <section class="card">
            <h2 class="card__title">{t!(i18n, trainees_heading)}</h2>
            <ul class="trainee-list" data-testid="trainee-list">{rows}</ul>
        </section>
        <Exchange />
        <RubricSettings />
        <section class="card">
            <h2 class="card__title">{t!(i18n, storage_heading)}</h2>
            {usage}
            <StorageLasting />
            <StoredDocuments />
            <p>{move || t_string!(i18n, records_on_device, n = ctx.records.with(|r| r.len())).to_string()}</p>
            <button class="btn btn--ghost" type="button" on:click=verify data-testid="verify-chain">{t!(i18n, verify_chain)}</button>
            {move || verified.get().map(|issues| if issues.is_empty() {
                view! { <p class="pill pill--ok" data-testid="chain-ok">{t!(i18n, chain_ok)}</p> }.into_any()
            } else {
                view! {
                    <div class="banner banner--warn" data-testid="chain-issues">
                        <p>{t!(i18n, chain_issues)}</p>
                        <ul>{issues.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                    </div>
                }.into_any()
            })}
            {move || {
                let q = ctx.quarantined.get();
                (!q.is_empty()).then(|| {
                    let json = serde_json::to_string(&q).unwrap_or_default();
                    view! {
                        <div class="banner banner--warn" data-testid="quarantine">
                            <p>{t_string!(i18n, quarantined_records, n = q.len()).to_string()}</p>
                            <button class="btn btn--ghost" type="button" on:click=move |_| download("lixun-quarantine.json", &json, "application/json")>{t!(i18n, export_quarantine)}</button>
                        </div>
                    }
                })
            }}
        </section>
    }
}

/// Which rubric new results are scored on, its weights and normalisation, and the grade bands.
#[component]
fn RubricSettings() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    let course = crate::ui::common::context::CourseCtx::expect();
    let lang = crate::ui::common::context::use_lang();
    let band_error = RwSignal::new(None::<String>);
    let c2 = course.clone();
    let options = move || {
        let chosen = ctx.rubric(&c2).map(|r| r.id).unwrap_or_default();
        c2.rubrics
            .iter()
            .map(|r| {
                let id = r.id.clone();
                let selected = id == chosen;
                view! { <option value=id selected=selected>{r.title.get(lang.get()).to_string()}</option> }
            })
            .collect_view()
    };
    let c3 = course.clone();
    let table = move || {
        ctx.settings.track();
        let l = lang.get();
        ctx.rubric(&c3).map(|r| {
            let total = r.printed_total();
            let rows = r
                .criteria
                .iter()
                .map(|k| {
                    view! {
                        <tr>
                            <th scope="row">{k.name.get(l).to_string()}</th>
                            <td class="crit__weight">{format!("{}", k.weight)}</td>
                            <td class="crit__weight">{format!("{:.1}%", k.weight / total * 100.0)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="crit-table" data-testid="rubric-weights">
                    <thead><tr><th scope="col">{t!(i18n, criterion)}</th><th scope="col">{t!(i18n, printed_weight_col)}</th><th scope="col">{t!(i18n, weight)}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <p class="note">{r.note.get(l).to_string()} " " <crate::ui::lesson::citation::Cites cites=r.cite.clone() /></p>
            }
        })
    };
    let bands =
        move || {
            let l = lang.get();
            ctx.settings.with(|s| s.bands.bands.clone()).into_iter().enumerate().map(|(i, b)| {
            view! {
                <label class="band-row">
                    <span class="pill pill--band">{b.label.get(l).to_string()}</span>
                    <span>"≥"</span>
                    <input type="number" min="0" max="100" step="1" value=b.min.to_string() data-testid="band-min"
                        on:change=move |ev| {
                            let v: f64 = event_target_value(&ev).trim().parse().unwrap_or(-1.0);
                            let mut s = ctx.settings.get_untracked();
                            match s.bands.set_min(i, v) {
                                Ok(()) => { band_error.set(None); ctx.act_later(Action::SaveSettings(s)); }
                                Err(_) => band_error.set(Some(t_string!(i18n, bands_invalid).to_string())),
                            }
                        } />
                    <span>"%"</span>
                </label>
            }
        }).collect_view()
        };
    view! {
        <section class="card" data-testid="rubric-settings">
            <h2 class="card__title">{t!(i18n, rubric_heading)}</h2>
            <label class="field">
                <span>{t!(i18n, rubric_choice)}</span>
                <select data-testid="rubric-choice" on:change=move |ev| {
                    let id = event_target_value(&ev);
                    let mut s = ctx.settings.get_untracked();
                    s.rubric = Some(id);
                    ctx.act_later(Action::SaveSettings(s));
                }>{options}</select>
            </label>
            <p class="muted">{t!(i18n, rubric_applies)}</p>
            {table}
            <h3>{t!(i18n, bands_heading)}</h3>
            <p class="muted">{t!(i18n, bands_default_note)}</p>
            <div class="bands">{bands}</div>
            {move || band_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </section>
    }
}

/// Export (JSON bundle, CSV, xAPI) and import of bundles from other tablets, with the report.
#[component]
fn Exchange() -> impl IntoView {
    use crate::domain::exchange::{self, ResultsBundle, TraineeMatch};
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    let course = crate::ui::common::context::CourseCtx::expect();
    let with_names = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let report = RwSignal::new(Vec::<crate::session::ImportOutcome>::new());
    let stamp = move || crate::ui::common::labels::when(now()).replace([' ', ':'], "-");
    let version = course.file.content_version.clone();
    let export_json = move |_| {
        let b = ctx.records.with_untracked(|rs| {
            ctx.profiles
                .with_untracked(|ps| ResultsBundle::new(&ctx.device_id(), &version, now(), ps, rs))
        });
        download(
            &format!("lixun-results-{}.json", stamp()),
            &b.to_json(),
            "application/json",
        );
    };
    let c2 = course.clone();
    let export_csv = move |_| {
        let criteria: Vec<String> = c2
            .default_rubric()
            .map(|r| r.criteria.iter().map(|c| c.id.clone()).collect())
            .unwrap_or_default();
        let text = ctx.records.with_untracked(|rs| {
            ctx.profiles
                .with_untracked(|ps| exchange::attempts_csv(rs, ps, &criteria))
        });
        download(
            &format!("lixun-attempts-{}.csv", stamp()),
            &text,
            "text/csv;charset=utf-8",
        );
    };
    let export_responses = move |_| {
        let text = ctx
            .records
            .with_untracked(|rs| ctx.profiles.with_untracked(|ps| exchange::responses_csv(rs, ps)));
        download(
            &format!("lixun-responses-{}.csv", stamp()),
            &text,
            "text/csv;charset=utf-8",
        );
    };
    let c3 = course.clone();
    let export_xapi = move |_| {
        use crate::domain::xapi::{Identify, XapiConfig};
        // Until the organisation's IRI is a setting: the address the app is served from.
        let Some(config) = crate::browser::platform::app_address()
            .and_then(|a| XapiConfig::new(&a, Identify::Opaque, with_names.get_untracked()).ok())
        else {
            return;
        };
        let v = ctx
            .records
            .with_untracked(|rs| ctx.profiles.with_untracked(|ps| exchange::xapi(rs, ps, &config, &*c3)));
        download(
            &format!("lixun-xapi-{}.json", stamp()),
            &serde_json::to_string_pretty(&v).unwrap_or_default(),
            "application/json",
        );
    };
    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = FileInput::of_event(&ev) else {
            return;
        };
        busy.set(true);
        report.set(Vec::new());
        leptos::task::spawn_local(async move {
            let files = input.read().await;
            let r = ctx.import(files).await;
            input.clear();
            report.set(r);
            busy.set(false);
        });
    };
    let report_view = move || {
        report.get().into_iter().map(|o| { let name = o.file; match o.result {
            Err(e) => view! {
                <li class="import-file import-file--bad" data-testid="import-error"><strong>{name}</strong> ": " {t!(i18n, import_refused)} " " {act_error(i18n, &e)}</li>
            }.into_any(),
            Ok(rep) => {
                let new: Vec<String> = rep.trainees.iter().filter_map(|t| match t { TraineeMatch::New { name, .. } => Some(name.clone()), _ => None }).collect();
                let matched = rep.trainees.iter().filter(|t| matches!(t, TraineeMatch::ByEmployeeId { .. })).count();
                let issues: Vec<String> = rep.chain_issues.iter().map(|i| chain_issue(i18n, i)).collect();
                let claims = rep.own_device.len();
                let dropped = rep.dropped_aliases.len();
                let proposals = rep.proposals.clone();
                view! {
                    <li class="import-file" data-testid="import-ok">
                        <strong>{name}</strong> ": "
                        {t_string!(i18n, import_summary, added = rep.added, duplicates = rep.duplicates, conflicts = rep.conflicts.len()).to_string()}
                        {(!new.is_empty()).then(|| view! { <p>{t!(i18n, import_new_trainees)} " " {new.join("、")}</p> })}
                        {(matched > 0).then(|| view! { <p>{t_string!(i18n, import_matched, n = matched).to_string()}</p> })}
                        {(claims > 0).then(|| view! { <p class="banner banner--warn" data-testid="import-claims-device">{t_string!(i18n, claims_this_device, n = claims).to_string()}</p> })}
                        {(dropped > 0).then(|| view! { <p class="banner banner--warn">{t_string!(i18n, import_dropped_aliases, n = dropped).to_string()}</p> })}
                        {(!proposals.is_empty()).then(|| view! {
                            <ul class="proposals" data-testid="import-proposals">
                                {proposals.into_iter().map(|p| view! { <Proposal proposal=p /> }).collect_view()}
                            </ul>
                        })}
                        {(!issues.is_empty()).then(|| view! {
                            <div class="banner banner--warn" data-testid="import-chain-issues"><p>{t!(i18n, chain_issues)}</p><ul>{issues.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul></div>
                        })}
                    </li>
                }.into_any()
            }
        }}).collect_view()
    };
    view! {
        <section class="card" data-testid="exchange">
            <h2 class="card__title">{t!(i18n, exchange_heading)}</h2>
            <p class="banner banner--warn">{t!(i18n, export_personal)}</p>
            <div class="trainer-actions">
                <button class="btn btn--primary" type="button" on:click=export_json data-testid="export-json">{t!(i18n, export_json)}</button>
                <button class="btn btn--ghost" type="button" on:click=export_csv data-testid="export-csv">{t!(i18n, export_csv)}</button>
                <button class="btn btn--ghost" type="button" on:click=export_responses data-testid="export-responses">{t!(i18n, export_responses)}</button>
                <button class="btn btn--ghost" type="button" on:click=export_xapi data-testid="export-xapi">{t!(i18n, export_xapi)}</button>
            </div>
            <label class="check-line">
                <input type="checkbox" prop:checked=move || with_names.get() on:change=move |ev| with_names.set(event_target_checked(&ev)) />
                {t!(i18n, xapi_names)}
            </label>
            <label class="field">
                <span>{t!(i18n, import_label)}</span>
                <input type="file" accept=".json,application/json" multiple on:change=on_files data-testid="import-files" />
            </label>
            <p class="muted">{t!(i18n, import_hint)}</p>
            {move || busy.get().then(|| view! { <p class="muted">{t!(i18n, loading)}</p> })}
            <ul class="import-report" data-testid="import-report">{report_view}</ul>
            {move || {
                let conflicts = ctx.conflicts.get();
                let n = conflicts.len();
                (n > 0).then(|| {
                    let rows = conflicts.into_iter().enumerate().map(|(i, theirs)| {
                        let ours = ctx.records.with(|rs| rs.iter().find(|r| r.id == theirs.id).cloned());
                        let both = serde_json::to_string_pretty(&(ours.clone(), theirs.clone())).unwrap_or_default();
                        let fmt = |t: Option<f64>| t.map(|t| format!("{t:.1}%")).unwrap_or_else(|| "—".into());
                        let id = theirs.id.clone();
                        view! {
                            <li class="conflict">
                                <span>{ctx.name_of(&theirs.trainee)} " · " {theirs.kind()} " · " {crate::ui::common::labels::when(theirs.finished_at)}
                                    " · " {t!(i18n, conflict_here)} " " {fmt(ours.as_ref().and_then(|o| o.total()))} " / " {t!(i18n, conflict_imported)} " " {fmt(theirs.total())}</span>
                                <button class="btn btn--ghost" type="button" on:click=move |_| download(&format!("lixun-conflict-{id}.json"), &both, "application/json")>{t!(i18n, conflict_download)}</button>
                                <button class="btn btn--ghost" type="button" data-testid="dismiss-conflict" on:click=move |_| ctx.dismiss_conflict(i)>{t!(i18n, conflict_keep_ours)}</button>
                            </li>
                        }
                    }).collect_view();
                    view! {
                        <div class="banner banner--warn" data-testid="conflicts">
                            <p>{t_string!(i18n, import_conflicts_kept, n = n).to_string()}</p>
                            <ul class="conflicts">{rows}</ul>
                        </div>
                    }
                })
            }}
        </section>
    }
}

/// Each stored document that cannot be read, with what the trainer can do about it: restore
/// the previous good copy, start afresh (not the trainer lock), or export the raw data.
#[component]
fn StoredDocuments() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    move || {
        let (bad, previous) = ctx.device.with(|d| (d.unreadable(), d.previous.clone()));
        if bad.is_empty() {
            return view! { <p class="muted" data-testid="documents-ok">{t!(i18n, storage_all_readable)}</p> }
                .into_any();
        }
        bad.into_iter()
            .map(|(kind, why)| {
                let what = crate::ui::common::errors::doc_name(i18n, kind);
                let why = crate::ui::common::errors::unreadable_why(i18n, &why);
                let can_restore = previous.contains(&kind);
                view! {
                    <div class="banner banner--warn" data-testid="document-problem" data-doc=kind.key()>
                        <p>{what} "（" {why} "）"</p>
                        <div class="trainer-actions">
                            {can_restore.then(|| view! {
                                <button class="btn btn--primary" type="button" data-testid="restore-document" on:click=move |_| {
                                    if kind == DocKind::Head { ctx.repair_head() } else { ctx.act_later(Action::Restore(kind)) }
                                }>{t!(i18n, restore_previous)}</button>
                            })}
                            {kind.may_start_afresh().then(|| view! {
                                <button class="btn btn--ghost" type="button" data-testid="start-afresh" on:click=move |_| ctx.act_later(Action::StartAfresh(kind))>{t!(i18n, start_afresh)}</button>
                            })}
                            <button class="btn btn--ghost" type="button" data-testid="export-kept-aside" on:click=move |_| {
                                download("lixun-kept-aside.json", &ctx.kept_aside_json(), "application/json")
                            }>{t!(i18n, export_kept_aside)}</button>
                        </div>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    }
}

/// An imported trainee who may be a local one: says why, and merges them only when the trainer
/// confirms.
#[component]
fn Proposal(proposal: crate::domain::exchange::Proposal) -> impl IntoView {
    use crate::domain::exchange::ProposalReason;
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    let done = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let incoming = ctx.name_of(&proposal.incoming);
    let local = ctx.name_of(&proposal.local);
    let (text, differ) = match proposal.reason {
        ProposalReason::SameEmployeeId { names_differ } => (
            t_string!(i18n, proposal_same_employee_id, incoming = incoming, local = local).to_string(),
            names_differ,
        ),
        ProposalReason::SameName => (
            t_string!(i18n, proposal_same_name, incoming = incoming, local = local).to_string(),
            false,
        ),
    };
    let merge = move |_| {
        let action = Action::MergeTrainees {
            from: proposal.incoming.clone(),
            into: proposal.local.clone(),
        };
        leptos::task::spawn_local(async move {
            match ctx.act(action).await {
                Ok(_) => done.set(true),
                Err(e) => error.set(Some(act_error(i18n, &e))),
            }
        });
    };
    view! {
        <li class="proposal" data-testid="import-proposal">
            <p>{text} {differ.then(|| view! { " " <strong>{t!(i18n, proposal_names_differ)}</strong> })}</p>
            {move || if done.get() {
                view! { <span class="pill pill--ok">{t!(i18n, proposal_merged)}</span> }.into_any()
            } else {
                view! { <button class="btn btn--ghost" type="button" data-testid="confirm-proposal" on:click=merge.clone()>{t!(i18n, proposal_merge)}</button> }.into_any()
            }}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </li>
    }
}

/// Merging one trainee into another: find the other profile by name or employee id (at most
/// a screenful of matches, so a device with thousands of trainees stays fast), then confirm a
/// sentence that names both and what moves.
#[component]
fn MergePanel(
    /// The profile being merged away.
    from: String,
    query: RwSignal<String>,
    pending: RwSignal<Option<(String, String)>>,
    merging: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = ProgressCtx::expect();
    let from_c = from.clone();
    let candidates = move || {
        let q = query.get();
        let activity = ctx
            .records
            .with_untracked(|rs| ctx.profiles.with_untracked(|ps| activity_by_owner(rs, ps)));
        ctx.profiles.with(|ps| {
            ps.search(&q)
                .into_iter()
                .filter(|o| o.id != from_c)
                .take(20)
                .map(|o| {
                    let label = match &o.employee_id {
                        Some(e) => format!("{} · {e}", o.name),
                        None => o.name.clone(),
                    };
                    let last = activity.get(&o.id).and_then(|a| a.last).map(when).unwrap_or_default();
                    let pair = (from_c.clone(), o.id.clone());
                    view! {
                        <li><button class="btn btn--ghost" type="button" data-testid="merge-candidate" data-name=o.name.clone()
                            on:click=move |_| pending.set(Some(pair.clone()))>{label} " " <span class="muted">{last}</span></button></li>
                    }
                })
                .collect_view()
        })
    };
    let confirm = move || {
        pending.get().map(|(from, into)| {
            let (a, b) = (ctx.name_of(&from), ctx.name_of(&into));
            let n = ctx.records.with(|rs| ctx.profiles.with(|ps| activity_by_owner(rs, ps).get(&from).map(|x| x.results).unwrap_or(0)));
            let lessons = ctx.lessons_done_of(&from);
            let text = t_string!(i18n, merge_confirm, from = a, into = b, n = n, lessons = lessons).to_string();
            view! {
                <div class="confirm-row" role="alert" data-testid="merge-confirm">
                    <span>{text}</span>
                    <button class="btn btn--danger" type="button" data-testid="confirm-merge" on:click=move |_| {
                        let action = Action::MergeTrainees { from: from.clone(), into: into.clone() };
                        pending.set(None);
                        merging.set(None);
                        ctx.act_later(action);
                    }>{t!(i18n, merge_do)}</button>
                    <button class="btn btn--ghost" type="button" on:click=move |_| pending.set(None)>{t!(i18n, cancel)}</button>
                </div>
            }
        })
    };
    view! {
        <div class="merge-panel" data-testid="merge-panel">
            <label class="field">
                <span>{t!(i18n, merge_find)}</span>
                <input type="search" data-testid="merge-search" prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
            </label>
            <ul class="merge-candidates">{candidates}</ul>
            {confirm}
            <button class="btn btn--ghost" type="button" on:click=move |_| { pending.set(None); merging.set(None); }>{t!(i18n, cancel)}</button>
        </div>
    }
}

/// Whether the browser keeps this site's storage for good, and whether the app runs installed.
#[component]
fn StorageLasting() -> impl IntoView {
    let i18n = use_i18n();
    let persisted = LocalResource::new(crate::browser::platform::storage_persisted);
    let installed = crate::browser::platform::runs_installed();
    view! {
        <p data-testid="storage-persisted">{move || match persisted.get().flatten() {
            Some(true) => t_string!(i18n, storage_persistent).to_string(),
            _ => t_string!(i18n, storage_not_persistent).to_string(),
        }}</p>
        <p data-testid="app-installed">{if installed { t_string!(i18n, runs_installed) } else { t_string!(i18n, runs_in_browser) }}</p>
    }
}
