//! The document being produced: what was scanned (the subject), when, and the graph.

use super::{DependencyGraph, Timestamp};

/// The scanned project as a whole: `metadata.component` in CycloneDX, the described package
/// in SPDX.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub name: String,
    pub version: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Sbom {
    pub subject: Subject,
    pub created: Timestamp,
    pub graph: DependencyGraph,
}
