//! Collectors turn one lockfile or manifest into components and edges.
//!
//! Every collector implements [`Collector`] and is listed once in [`COLLECTORS`]. Adding an
//! ecosystem means one new module, one line in that list, and one `testdata/` folder.

mod cargo;

use crate::diagnostic::Diagnostic;
use crate::model::{Component, Edge};
use crate::tree::Tree;

/// Every collector bomsight runs, in the order they are tried on each file name.
pub static COLLECTORS: &[&dyn Collector] = &[&cargo::CargoLock];

/// A lockfile reader.
pub trait Collector: Sync {
    /// Stable kebab-case id (`cargo-lock`), used in messages and SBOM properties.
    fn id(&self) -> &'static str;
    /// The file names this collector reads (for the README's table and `--help`).
    fn file_names(&self) -> &'static str;
    /// Whether this collector reads a file of this name.
    fn claims(&self, file_name: &str) -> bool;
    /// Reads one file. Problems that spoil the whole file are the `Err`; problems with parts
    /// of it go in [`Collected::diagnostics`] and the rest is kept.
    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic>;
}

/// The file being read: its root-relative path and its bytes.
pub struct SourceFile<'a> {
    pub path: &'a str,
    pub bytes: &'a [u8],
}

/// What a collector may use besides the file: the tree it sits in (for neighbouring
/// manifests) and the user's options.
pub struct CollectContext<'a> {
    pub tree: &'a dyn Tree,
    pub options: &'a CollectOptions,
}

/// Opt-in behaviour of collectors.
#[derive(Clone, Debug, Default)]
pub struct CollectOptions {
    /// Run `cargo metadata --locked --offline` to add licenses, authors and descriptions.
    pub cargo_metadata: bool,
}

/// The result of reading one file.
#[derive(Debug, Default)]
pub struct Collected {
    pub components: Vec<Component>,
    pub edges: Vec<Edge>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The collectors that read a file of this name.
pub fn collectors_for(file_name: &str) -> impl Iterator<Item = &'static dyn Collector> + '_ {
    COLLECTORS.iter().copied().filter(move |c| c.claims(file_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collector_ids_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for c in COLLECTORS {
            assert!(seen.insert(c.id()), "duplicate collector id {}", c.id());
            assert!(
                c.id()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                c.id()
            );
        }
    }
}
