//! `rebar.lock` (format 1.2.0 and the older bare list): `{App, {pkg, Name, Version}, Level}`
//! and `{App, {git, Url, {ref|tag|branch, X}}, Level}`, then the `pkg_hash` (inner) and
//! `pkg_hash_ext` (outer: the SHA-256 of the package tarball) tables. The lock records levels
//! (0 = the project's own dependencies), not edges: the project links to every entry.

use super::terms::{parse_all, Dialect, Term};
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Hash, HashAlgorithm, Source};
use crate::tree::parent;
use std::collections::HashMap;

pub struct RebarLock;

impl Collector for RebarLock {
    fn id(&self) -> &'static str {
        "rebar-lock"
    }

    fn file_names(&self) -> &'static str {
        "rebar.lock"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "rebar.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, _ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let terms = parse_all(text, Dialect::Erlang).map_err(|(offset, msg)| {
            Diagnostic::error(
                file.path,
                Some(crate::text::line_of_offset(text.as_bytes(), offset)),
                msg,
            )
        })?;
        let (version, locks, tables) = match terms.as_slice() {
            [Term::Tuple(v), rest @ ..] if v.len() == 2 => (v[0].as_str(), &v[1], rest.first()),
            [list @ Term::List(_)] => (None, list, None),
            [] => return Err(Diagnostic::error(file.path, None, "empty file")),
            _ => {
                return Err(Diagnostic::error(
                    file.path,
                    None,
                    "not a rebar.lock: expected {Version, [Locks]}",
                ))
            }
        };
        let mut out = Collected::default();
        if let Some(v) = version.filter(|v| *v != "1.2.0" && *v != "1.1.0") {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                None,
                format!("lock format {v} is not one bomsight knows (1.2.0)"),
            ));
        }
        let hashes = |table: &str| -> HashMap<String, String> {
            tables
                .map(|t| t.items())
                .unwrap_or_default()
                .iter()
                .filter(|t| t.items().first().and_then(Term::as_str) == Some(table))
                .flat_map(|t| t.items().get(1).map(Term::items).unwrap_or_default())
                .filter_map(|pair| {
                    Some((
                        pair.items().first()?.as_str()?.to_string(),
                        pair.items().get(1)?.as_str()?.to_string(),
                    ))
                })
                .collect()
        };
        let inner = hashes("pkg_hash");
        let outer = hashes("pkg_hash_ext");
        let dir = parent(file.path);
        let root = crate::collect::project(Ecosystem::Hex, None, None, None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        for (i, lock) in locks.items().iter().enumerate() {
            let mut c = entry(lock, &inner, &outer)
                .map_err(|m| Diagnostic::error(file.path, None, format!("lock entry {}: {m}", i + 1)))?;
            c.found_in(file.path, None);
            out.depend(&root.id, c, DependencyKind::Normal);
        }
        out.components.push(root);
        Ok(out)
    }
}

fn entry(lock: &Term, inner: &HashMap<String, String>, outer: &HashMap<String, String>) -> Result<Component, String> {
    let parts = lock.items();
    let app = parts.first().and_then(Term::as_str).ok_or("no app name")?;
    let spec = parts.get(1).ok_or("no source")?.items();
    let level = match parts.get(2) {
        Some(Term::Number(n)) => n.clone(),
        _ => return Err(format!("`{app}`: no level")),
    };
    let mut c = match spec.first().and_then(Term::as_str) {
        Some("pkg") => {
            let name = spec.get(1).and_then(Term::as_str).unwrap_or(app);
            let version = spec
                .get(2)
                .and_then(Term::as_str)
                .ok_or_else(|| format!("`{app}`: no version"))?;
            let (org, source) = super::repository(spec.get(3).and_then(Term::as_str).unwrap_or("hexpm"));
            let mut c = Component::new(Ecosystem::Hex, org.as_deref(), name, Some(version), source)
                .map_err(|e| format!("`{app}`: cannot build a purl: {e}"))?;
            if let Some(h) = outer.get(app) {
                c.hashes.insert(
                    Hash::from_hex(HashAlgorithm::Sha256, h).map_err(|e| format!("`{app}` pkg_hash_ext: {e}"))?,
                );
            }
            if let Some(h) = inner.get(app) {
                c.properties.insert("hex:inner-checksum".into(), h.to_ascii_lowercase());
            }
            if name != app {
                c.properties.insert("hex:app".into(), app.to_string());
            }
            c
        }
        Some("git") => {
            let url = spec
                .get(1)
                .and_then(Term::as_str)
                .ok_or_else(|| format!("`{app}`: git without a URL"))?;
            let (kind, value) = match spec.get(2).map(Term::items) {
                Some([Term::Atom(k), v]) => (k.as_str(), v.as_str().unwrap_or_default()),
                _ => ("", ""),
            };
            // Locks pin `{ref, Commit}`; a branch or tag is what was asked for.
            let (reference, revision) = match kind {
                "ref" => (None, Some(value.to_string())),
                k => (super::git_reference(k, value), None),
            };
            Component::new(
                Ecosystem::Hex,
                None,
                app,
                None,
                Source::Git {
                    url: url.to_string(),
                    reference,
                    revision,
                },
            )
            .map_err(|e| format!("`{app}`: cannot build a purl: {e}"))?
        }
        other => return Err(format!("`{app}`: unknown source {other:?}")),
    };
    c.properties.insert("rebar:level".into(), level);
    Ok(c)
}
