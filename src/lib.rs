//! bomsight: accurate bills of materials for software releases, read from lockfiles.
//!
//! The pipeline is `collect` (lockfiles → [`model::DependencyGraph`]) followed by `export`
//! (graph → CycloneDX / SPDX). The model knows no file format: collectors produce it, exporters
//! translate it, and the `wire` module holds the serde shapes of the published formats.
#![forbid(unsafe_code)]

pub mod borrowed_text;
pub mod collect;
pub mod decimal;
pub mod diagnostic;
pub mod diff;
pub mod export;
pub mod fast_node;
pub mod git_tree;
pub mod import;
pub mod limits;
pub mod memory_tree;
pub mod model;
pub mod parallel;
pub mod policy;
pub mod scan;
pub mod signals;
pub mod text;
pub mod toml_simple;
pub mod tree;
pub mod wire;
pub mod xml;
pub mod yaml_block;

/// The process exit codes shared by every subcommand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything was read and written.
    Ok = 0,
    /// A policy matched (diff/audit `--fail-on`).
    PolicyFindings = 1,
    /// Usage error, or nothing could be done.
    Error = 2,
    /// Output written, but some inputs could not be read or parsed.
    Partial = 3,
}
