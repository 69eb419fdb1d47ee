//! The differ: two SBOMs (from files, directories or git revisions) compared component by
//! component. Components match by purl without version (normalized per ecosystem), never
//! fuzzily; every change has a stable kind id, and each new or re-versioned component says
//! why it is there (a shortest path from a project root).

mod compute;
mod keys;
pub use compute::match_key;
pub use keys::MatchKeys;
pub mod input;
pub mod report;
pub mod version;

pub use compute::{diff, diff_keyed};

use serde::Serialize;
use std::collections::BTreeMap;

/// The kinds of change, most important first. Their ids are stable: `--fail-on` and the JSON
/// report use them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    HashChanged,
    HashesRemoved,
    SourceChanged,
    Downgraded,
    Added,
    Removed,
    Upgraded,
    VersionChanged,
    ScopeChanged,
    LicenseChanged,
    SupplierChanged,
    NowDirect,
    NowTransitive,
    EdgeAdded,
    EdgeRemoved,
}

pub const ALL_KINDS: [ChangeKind; 15] = [
    ChangeKind::HashChanged,
    ChangeKind::HashesRemoved,
    ChangeKind::SourceChanged,
    ChangeKind::Downgraded,
    ChangeKind::Added,
    ChangeKind::Removed,
    ChangeKind::Upgraded,
    ChangeKind::VersionChanged,
    ChangeKind::ScopeChanged,
    ChangeKind::LicenseChanged,
    ChangeKind::SupplierChanged,
    ChangeKind::NowDirect,
    ChangeKind::NowTransitive,
    ChangeKind::EdgeAdded,
    ChangeKind::EdgeRemoved,
];

impl ChangeKind {
    pub fn id(self) -> &'static str {
        match self {
            ChangeKind::HashChanged => "hash-changed",
            ChangeKind::HashesRemoved => "hashes-removed",
            ChangeKind::SourceChanged => "source-changed",
            ChangeKind::Downgraded => "downgraded",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Upgraded => "upgraded",
            ChangeKind::VersionChanged => "version-changed",
            ChangeKind::ScopeChanged => "scope-changed",
            ChangeKind::LicenseChanged => "license-changed",
            ChangeKind::SupplierChanged => "supplier-changed",
            ChangeKind::NowDirect => "now-direct",
            ChangeKind::NowTransitive => "now-transitive",
            ChangeKind::EdgeAdded => "edge-added",
            ChangeKind::EdgeRemoved => "edge-removed",
        }
    }

    pub fn from_id(id: &str) -> Option<ChangeKind> {
        ALL_KINDS.iter().copied().find(|k| k.id() == id)
    }

    /// A one-line meaning, for `--help` and reports.
    pub fn meaning(self) -> &'static str {
        match self {
            ChangeKind::HashChanged => "same version, but a hash of the same algorithm (or of the same file) differs",
            ChangeKind::HashesRemoved => "same version, and integrity hashes it had are gone",
            ChangeKind::SourceChanged => "comes from elsewhere: registry, git repository or revision, path or URL",
            ChangeKind::Downgraded => "version went down",
            ChangeKind::Added => "new component",
            ChangeKind::Removed => "component gone",
            ChangeKind::Upgraded => "version went up",
            ChangeKind::VersionChanged => "version changed, and the two versions cannot be ordered",
            ChangeKind::ScopeChanged => "needed differently (for example dev → required)",
            ChangeKind::LicenseChanged => "declared license differs",
            ChangeKind::SupplierChanged => "the supplier named in the document differs",
            ChangeKind::NowDirect => "a project now depends on it directly",
            ChangeKind::NowTransitive => "no project depends on it directly any more",
            ChangeKind::EdgeAdded => "depends on a component it did not depend on",
            ChangeKind::EdgeRemoved => "no longer depends on a component",
        }
    }
}

/// One side of a change: what the component looked like there.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Side {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    pub source: String,
    pub scope: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
}

/// One change to one component.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub ecosystem: String,
    pub name: String,
    /// What the component was matched by (purl without version, normalized).
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Side>,
    pub detail: String,
    /// Why it is there: a shortest path from a project root, in the newer document
    /// (for removed components, in the older one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<String>,
}

/// What was compared.
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    pub label: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub components: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct DiffReport {
    pub old: Document,
    pub new: Document,
    /// Changes per kind.
    pub summary: BTreeMap<String, usize>,
    /// Changes per ecosystem and kind.
    pub by_ecosystem: BTreeMap<String, BTreeMap<String, usize>>,
    /// Risk signals raised by what changed, most severe first.
    pub signals: Vec<crate::signals::Finding>,
    pub changes: Vec<Change>,
}

impl DiffReport {
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_ids_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for k in ALL_KINDS {
            assert!(seen.insert(k.id()));
            assert_eq!(ChangeKind::from_id(k.id()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.id());
        }
        let mut sorted = ALL_KINDS;
        sorted.sort();
        assert_eq!(sorted, ALL_KINDS, "ALL_KINDS is in importance order");
    }
}
