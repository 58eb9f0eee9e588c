//! The device's stored documents, each read one way.
//!
//! Every document is stored as an envelope `{"schema_version": 3, "revision": n, "data": …}`.
//! Documents written by earlier versions of the app had no envelope (`profiles`, `trainer`,
//! `settings`, `conflicts`, `head`) or only a `schema_version` of 2 (`state`): they are
//! migrated when read (revision 0) and written back in the envelope with the next change.
//!
//! A document that cannot be read — damaged, or written by a newer version of the app — is a
//! [`Slot::Bad`] holding its raw text: it is never replaced by a default. Only a trainer's
//! explicit restore (the previous good copy, kept as `<key>.prev` by every write) or "start
//! afresh" replaces it, and both keep the raw text in the quarantine first.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The schema of the envelope this build writes.
pub const DOC_SCHEMA: u32 = 3;

/// A document of the device (besides the records).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    /// Lessons done and work in progress, per trainee.
    State,
    /// This device's id and the end of its hash chain.
    Head,
    /// The trainees.
    Profiles,
    /// The trainer's PIN (hash) and back-off.
    Trainer,
    /// The hash of the one-time recovery code shown when the PIN was set.
    Recovery,
    /// The trainer's choices (rubric, grade bands).
    Settings,
    /// Imported records kept aside because a different record had their id here.
    Conflicts,
}

impl DocKind {
    pub const ALL: [DocKind; 7] = [
        DocKind::State,
        DocKind::Head,
        DocKind::Profiles,
        DocKind::Trainer,
        DocKind::Recovery,
        DocKind::Settings,
        DocKind::Conflicts,
    ];

    /// The document's key in the `documents` store.
    pub fn key(self) -> &'static str {
        match self {
            DocKind::State => "state",
            DocKind::Head => "head",
            DocKind::Profiles => "profiles",
            DocKind::Trainer => "trainer",
            DocKind::Recovery => "recovery",
            DocKind::Settings => "settings",
            DocKind::Conflicts => "conflicts",
        }
    }

    /// Where the previous good copy is kept.
    pub fn prev_key(self) -> String {
        format!("{}.prev", self.key())
    }

    pub fn from_key(key: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Whether "start afresh" may replace it with an empty document. The trainer lock and
    /// its recovery code may not: that would hand trainer mode to whoever asks.
    pub fn may_start_afresh(self) -> bool {
        !matches!(self, DocKind::Trainer | DocKind::Recovery)
    }
}

/// Why a stored document could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Not JSON of the expected shape (the parser's message, for the trainer's export).
    Damaged(String),
    /// Written by a newer version of the app (its schema version).
    Newer(u32),
}

/// A document as read from storage.
#[derive(Clone, Debug, PartialEq)]
pub enum Slot<T> {
    /// Never written.
    Absent,
    /// Read, at this revision.
    Good { value: T, revision: u64 },
    /// Could not be read: kept as it is, never written over.
    Bad { raw: String, why: Unreadable },
}

impl<T> Slot<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Slot::Good { value, .. } => Some(value),
            _ => None,
        }
    }

    pub fn revision(&self) -> u64 {
        match self {
            Slot::Good { revision, .. } => *revision,
            _ => 0,
        }
    }

    pub fn unreadable(&self) -> Option<&Unreadable> {
        match self {
            Slot::Bad { why, .. } => Some(why),
            _ => None,
        }
    }

    pub fn is_bad(&self) -> bool {
        matches!(self, Slot::Bad { .. })
    }
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    schema_version: u32,
    revision: u64,
    data: &'a T,
}

/// The stored text of a document at `revision`.
pub fn encode<T: Serialize>(value: &T, revision: u64) -> String {
    serde_json::to_string(&Envelope {
        schema_version: DOC_SCHEMA,
        revision,
        data: value,
    })
    .expect("documents are plain data")
}

/// Reads a stored document: the current envelope, or a document of an earlier version
/// (migrated), or `Bad` with the raw text kept. `null` (an earlier version's "no trainer
/// lock") is `Absent`.
pub fn decode<T: DeserializeOwned>(raw: &str) -> Slot<T> {
    let bad = |why| Slot::Bad {
        raw: raw.to_string(),
        why,
    };
    let value: serde_json::Value = match serde_json::from_str(raw) {
        Ok(v) => v,
        Err(e) => return bad(Unreadable::Damaged(e.to_string())),
    };
    if value.is_null() {
        return Slot::Absent;
    }
    let version = match value.get("schema_version") {
        None => None,
        Some(v) => match v.as_u64().and_then(|v| u32::try_from(v).ok()) {
            Some(v) => Some(v),
            None => return bad(Unreadable::Damaged("schema_version is not a version number".into())),
        },
    };
    match version {
        Some(v) if v > DOC_SCHEMA => bad(Unreadable::Newer(v)),
        Some(DOC_SCHEMA) => {
            let revision = match value.get("revision").and_then(|r| r.as_u64()) {
                Some(r) => r,
                None => return bad(Unreadable::Damaged("the document has no revision".into())),
            };
            let Some(data) = value.get("data") else {
                return bad(Unreadable::Damaged("the document has no data".into()));
            };
            match T::deserialize(data) {
                Ok(value) => Slot::Good { value, revision },
                Err(e) => bad(Unreadable::Damaged(e.to_string())),
            }
        }
        // Version 2 and the unversioned documents before it: the value itself.
        _ => match T::deserialize(&value) {
            Ok(value) => Slot::Good { value, revision: 0 },
            Err(e) => bad(Unreadable::Damaged(e.to_string())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profiles::Profiles;
    use crate::domain::store::{ChainHead, WorkState};

    #[test]
    fn a_document_round_trips_through_its_envelope() {
        let head = ChainHead {
            device: "d".into(),
            seq: 3,
            hash: "h".into(),
        };
        let raw = encode(&head, 7);
        assert_eq!(
            decode::<ChainHead>(&raw),
            Slot::Good {
                value: head,
                revision: 7
            }
        );
    }

    #[test]
    fn documents_of_earlier_versions_are_migrated_at_revision_zero() {
        let p: Slot<Profiles> = decode(r#"{"list":[]}"#);
        assert_eq!(
            p,
            Slot::Good {
                value: Profiles::default(),
                revision: 0
            }
        );
        let s: Slot<WorkState> = decode(r#"{"schema_version":2,"revision":5,"writer":"w"}"#);
        assert!(matches!(s, Slot::Good { revision: 0, .. }));
        assert_eq!(s.value().map(|s| s.revision), Some(5));
    }

    #[test]
    fn a_null_document_is_absent() {
        assert_eq!(decode::<Profiles>("null"), Slot::Absent);
    }

    #[test]
    fn damaged_and_newer_documents_keep_their_raw_text() {
        match decode::<Profiles>("{not json") {
            Slot::Bad {
                raw,
                why: Unreadable::Damaged(_),
            } => assert_eq!(raw, "{not json"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            decode::<Profiles>(r#"{"schema_version":9,"anything":1}"#).unreadable(),
            Some(&Unreadable::Newer(9))
        );
        assert!(decode::<Profiles>(r#"{"list":"nope"}"#).is_bad());
        assert!(decode::<Profiles>(r#"{"schema_version":3,"revision":1}"#).is_bad());
        assert!(decode::<Profiles>(r#"{"schema_version":"3"}"#).is_bad());
        assert!(decode::<Profiles>(r#"{"schema_version":-1}"#).is_bad());
    }

    #[test]
    fn every_kind_has_a_distinct_key_that_reads_back() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::from_key(k.key()), Some(k));
            assert_eq!(DocKind::from_key(&k.prev_key()), None);
        }
    }
}
