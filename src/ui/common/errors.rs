//! Typed errors of the device, storage and imports, as sentences in the interface language.

use crate::domain::device::{DeviceError, DocKind, Unreadable};
use crate::domain::exchange::ImportError;
use crate::domain::store::ChainIssue;
use crate::i18n::*;
use crate::session::ActError;
use crate::ui::common::labels::profile_error;

/// What a stored document holds, in words.
pub fn doc_name(i18n: I18n, kind: DocKind) -> String {
    match kind {
        DocKind::State => t_string!(i18n, doc_state),
        DocKind::Head => t_string!(i18n, doc_head),
        DocKind::Profiles => t_string!(i18n, doc_profiles),
        DocKind::Trainer => t_string!(i18n, doc_trainer),
        DocKind::Recovery => t_string!(i18n, doc_recovery),
        DocKind::Settings => t_string!(i18n, doc_settings),
        DocKind::Conflicts => t_string!(i18n, doc_conflicts),
    }
    .to_string()
}

/// Why a document cannot be read, in words.
pub fn unreadable_why(i18n: I18n, why: &Unreadable) -> String {
    match why {
        Unreadable::Damaged(_) => t_string!(i18n, doc_damaged),
        Unreadable::Newer(_) => t_string!(i18n, doc_newer),
    }
    .to_string()
}

/// A refusal of the device model as a sentence.
pub fn device_error(i18n: I18n, e: &DeviceError) -> String {
    match e {
        DeviceError::Unreadable { kind, why } => {
            let what = doc_name(i18n, *kind);
            let why = unreadable_why(i18n, why);
            t_string!(i18n, refused_unreadable, what = what, why = why).to_string()
        }
        DeviceError::Profile(p) => profile_error(i18n, p),
        DeviceError::NoSuchTrainee(_) => t_string!(i18n, refused_no_trainee).to_string(),
        DeviceError::PinAlreadySet => t_string!(i18n, refused_pin_set).to_string(),
        DeviceError::WrongRecoveryCode => t_string!(i18n, refused_wrong_code).to_string(),
        DeviceError::NothingToRestore(_) => t_string!(i18n, refused_nothing_to_restore).to_string(),
        DeviceError::MayNotStartAfresh(_) => t_string!(i18n, refused_may_not_afresh).to_string(),
        DeviceError::Migration(_) => t_string!(i18n, refused_migration).to_string(),
    }
}

/// An import refusal as a sentence.
pub fn import_error(i18n: I18n, e: &ImportError) -> String {
    match e {
        ImportError::TooLarge(bytes) => {
            let mb = format!("{:.1}", *bytes as f64 / 1_048_576.0);
            t_string!(i18n, import_err_too_large, mb = mb).to_string()
        }
        ImportError::NotUtf8 => t_string!(i18n, import_err_not_text).to_string(),
        ImportError::NotJson { line, .. } => t_string!(i18n, import_err_not_json, line = *line).to_string(),
        ImportError::TooDeep => t_string!(i18n, import_err_too_deep).to_string(),
        ImportError::NotABundle => t_string!(i18n, import_err_not_bundle).to_string(),
        ImportError::FutureVersion(v) | ImportError::UnknownVersion(v) => {
            t_string!(i18n, import_err_version, v = *v).to_string()
        }
        ImportError::TraineeUnreadable { .. }
        | ImportError::BadName { .. }
        | ImportError::BadEmployeeId { .. }
        | ImportError::DuplicateTrainee(_) => t_string!(i18n, import_err_trainee).to_string(),
        ImportError::DuplicateId(_) => t_string!(i18n, import_err_duplicate).to_string(),
        ImportError::TooMany { .. } => t_string!(i18n, import_err_too_many).to_string(),
        ImportError::FileUnreadable => t_string!(i18n, import_err_unreadable).to_string(),
        _ => t_string!(i18n, import_err_record).to_string(),
    }
}

/// Why a change was not saved, as a sentence.
pub fn act_error(i18n: I18n, e: &ActError) -> String {
    match e {
        ActError::Refused(d) => device_error(i18n, d),
        ActError::Import(i) => import_error(i18n, i),
        ActError::Storage(crate::browser::storage::StorageError::Quota) => t_string!(i18n, storage_full).to_string(),
        ActError::Storage(_) => t_string!(i18n, storage_unavailable).to_string(),
    }
}

/// A device id as people see it: its first eight characters.
pub fn short_device(id: &str) -> String {
    id.chars().take(8).collect()
}

/// A problem of a hash chain as a sentence.
pub fn chain_issue(i18n: I18n, issue: &ChainIssue) -> String {
    match issue {
        ChainIssue::Edited { device, seq, .. } => {
            t_string!(i18n, chain_edited, device = short_device(device), seq = *seq).to_string()
        }
        ChainIssue::Missing { device, from, to } => t_string!(
            i18n,
            chain_missing,
            device = short_device(device),
            from = *from,
            to = *to
        )
        .to_string(),
        ChainIssue::BrokenLink { device, seq, .. } => {
            t_string!(i18n, chain_broken, device = short_device(device), seq = *seq).to_string()
        }
        ChainIssue::Duplicate { device, seq } => {
            t_string!(i18n, chain_duplicate, device = short_device(device), seq = *seq).to_string()
        }
    }
}
