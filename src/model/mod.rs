//! The format-neutral inventory: components, their sources, hashes and licenses, and the
//! dependency graph that links project roots to what they use.

mod component;
mod document;
mod ecosystem;
mod file_path;
mod graph;
mod hash;
mod hashes;
mod license;
pub mod pep440;
mod purl;
mod sorted_map;
mod sorted_set;
mod source;
mod timestamp;

pub use component::{Artifact, Component, ComponentId, Location, Purpose, Role, Scope, ShortText};
pub use document::{Sbom, Subject};
pub use ecosystem::Ecosystem;
pub use file_path::FilePath;
pub use graph::{DependencyGraph, DependencyKind, Edge, GraphBuilder};
pub use hash::{parse_sri, Hash, HashAlgorithm, HashError};
pub use hashes::Hashes;
pub use license::License;
pub use purl::build_purl;
pub(crate) use sorted_map::map_entries;
pub use sorted_map::SortedMap;
pub use sorted_set::SortedSet;
pub use source::{git_url_as_uri, Source};
pub use timestamp::Timestamp;
