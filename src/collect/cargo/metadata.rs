//! `--cargo-metadata`: licenses, authors, descriptions and links from `cargo metadata
//! --locked --offline`, for the packages whose sources Cargo already has. Opt-in, because it
//! runs a program; nothing is fetched, and a failure leaves the lockfile data as it was.

use super::source::parse_source;
use crate::diagnostic::Diagnostic;
use crate::model::{Component, License, Source};
use crate::tree::Tree;

pub fn enrich(tree: &dyn Tree, dir: &str, components: &mut [Component], diagnostics: &mut Vec<Diagnostic>) {
    let manifest_rel = crate::tree::join(dir, "Cargo.toml").unwrap_or_else(|| "Cargo.toml".into());
    let warn = |message: String| Diagnostic::warning(&manifest_rel, None, message);
    let Some(root) = tree.disk_root() else {
        diagnostics.push(warn(
            "--cargo-metadata needs a directory on disk; continuing with the lockfile data".into(),
        ));
        return;
    };
    let manifest = root.join(&manifest_rel);
    if !manifest.is_file() {
        diagnostics.push(warn(
            "--cargo-metadata: no Cargo.toml beside the lockfile; continuing with the lockfile data".into(),
        ));
        return;
    }
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(&manifest)
        .other_options(vec!["--locked".to_string(), "--offline".to_string()])
        .exec();
    let metadata = match metadata {
        Ok(m) => m,
        Err(e) => {
            let reason = e
                .to_string()
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("failed")
                .trim()
                .to_string();
            diagnostics.push(warn(format!(
                "cargo metadata failed ({reason}); continuing with the lockfile data"
            )));
            return;
        }
    };
    for package in &metadata.packages {
        let version = package.version.to_string();
        let source = package.source.as_ref().and_then(|s| parse_source(&s.repr));
        let Some(c) = components.iter_mut().find(|c| {
            c.name == package.name.as_str()
                && c.version.as_deref() == Some(version.as_str())
                && match (&source, &c.source) {
                    (None, Source::Path { .. }) => true,
                    (Some(s), cs) => same_origin(s, cs),
                    _ => false,
                }
        }) else {
            continue;
        };
        if let Some(license) = &package.license {
            c.licenses.insert(License::parse(license));
        }
        if c.authors.is_empty() {
            c.authors = package.authors.clone();
        }
        c.description = c.description.take().or_else(|| package.description.clone());
        c.repository = c.repository.take().or_else(|| package.repository.clone());
        c.homepage = c.homepage.take().or_else(|| package.homepage.clone());
    }
}

/// Git sources from `cargo metadata` carry the same URL and revision as the lockfile's.
fn same_origin(a: &Source, b: &Source) -> bool {
    match (a, b) {
        (
            Source::Git {
                url: ua, revision: ra, ..
            },
            Source::Git {
                url: ub, revision: rb, ..
            },
        ) => ua == ub && ra == rb,
        _ => a == b,
    }
}
