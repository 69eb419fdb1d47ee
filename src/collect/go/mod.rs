//! Go modules: `go.mod` (with the `go.sum` beside it) and `go.work`. The module is the root;
//! every requirement, direct or `// indirect`, is one of its dependencies (go.mod lists the
//! whole build list, flat: it records no edges between modules). `replace` directives change
//! a requirement's module, version or source. The `h1:` sums of go.sum are hashes of a
//! module's file tree, not of an archive: they are kept as the properties `go:h1` and
//! `go:h1-go.mod`, never as component hashes.

mod binary;
mod gomod;
mod gowork;

pub use binary::GoBinary;
pub use gomod::GoMod;
pub use gowork::GoWork;

use crate::model::{Component, Ecosystem, Source};

/// `github.com/a/b/v2` → namespace `github.com/a/b`, name `v2` (as the purl spec splits Go
/// module paths).
pub fn package(module: &str, version: Option<&str>, source: Source) -> Result<Component, String> {
    let (namespace, name) = match module.rsplit_once('/') {
        Some((ns, n)) => (Some(ns), n),
        None => (None, module),
    };
    let mut c = Component::new(Ecosystem::Golang, namespace, name, version, source)
        .map_err(|e| format!("module `{module}`: cannot build a purl: {e}"))?;
    c.namespace = namespace.map(crate::model::ShortText::from);
    Ok(c)
}
