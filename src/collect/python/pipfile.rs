//! `Pipfile.lock` (pipenv, spec 6): `default` and `develop` sections with pins, hashes,
//! markers, and index, git, path and file entries. The lock records no edges: the project
//! depends on each package directly (normal for `default`, dev for `develop`).

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Edge, Hashes, Source};
use crate::tree::parent;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Wire {
    #[serde(rename = "_meta", default)]
    meta: WireMeta,
    #[serde(default)]
    default: BTreeMap<String, WireEntry>,
    #[serde(default)]
    develop: BTreeMap<String, WireEntry>,
}

#[derive(Deserialize, Default)]
struct WireMeta {
    #[serde(default)]
    sources: Vec<WireIndex>,
}

#[derive(Deserialize)]
struct WireIndex {
    name: String,
    url: String,
}

#[derive(Deserialize)]
struct WireEntry {
    version: Option<String>,
    #[serde(default)]
    hashes: Vec<String>,
    index: Option<String>,
    markers: Option<String>,
    #[serde(default)]
    extras: Vec<String>,
    git: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    path: Option<String>,
    file: Option<String>,
    #[serde(default)]
    editable: bool,
}

pub struct PipfileLock;

impl Collector for PipfileLock {
    fn id(&self) -> &'static str {
        "python-pipfile-lock"
    }

    fn file_names(&self) -> &'static str {
        "Pipfile.lock"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "Pipfile.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let wire: Wire = crate::collect::parse_json(file.path, text, "Pipfile.lock")?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let (root, _) = super::lock_root(ctx.tree, dir, file.path, &mut out)?;
        let indexes: BTreeMap<&str, &str> = wire
            .meta
            .sources
            .iter()
            .map(|s| (s.name.as_str(), s.url.as_str()))
            .collect();
        let lines = crate::text::LineIndex::new(text);
        for (section, entries, kind) in [
            ("default", &wire.default, DependencyKind::Normal),
            ("develop", &wire.develop, DependencyKind::Dev),
        ] {
            let section_at = text.find(&format!("\"{section}\"")).unwrap_or(0);
            // pipenv writes the entries sorted, as they are read here: each name is looked for
            // after the one before (from the section's start only if it is not found there),
            // so a large lock is not searched from the top once per entry.
            let mut cursor = section_at;
            for (name, entry) in entries {
                let quoted = format!("\"{name}\"");
                let found = text[cursor..]
                    .find(&quoted)
                    .map(|at| cursor + at)
                    .or_else(|| text[section_at..].find(&quoted).map(|at| section_at + at));
                if let Some(at) = found {
                    cursor = at + quoted.len();
                }
                let line = found.map(|at| lines.line(at));
                match component(name, entry, &indexes, dir) {
                    Ok(mut c) => {
                        c.found_in(file.path, line);
                        out.edges.push(Edge {
                            from: root.id.clone(),
                            to: c.id.clone(),
                            kind,
                        });
                        out.components.push(c);
                    }
                    Err(m) => out.diagnostics.push(Diagnostic::error(file.path, line, m)),
                }
            }
        }
        out.components.push(root);
        Ok(out)
    }
}

fn component(name: &str, e: &WireEntry, indexes: &BTreeMap<&str, &str>, dir: &str) -> Result<Component, String> {
    let version = e
        .version
        .as_deref()
        .map(|v| v.trim_start_matches("==").trim_start_matches('=').to_string());
    let source = if let Some(git) = &e.git {
        let revision = e
            .reference
            .clone()
            .filter(|r| r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit()));
        let reference = if revision.is_none() {
            e.reference.clone().map(|r| format!("rev={r}"))
        } else {
            None
        };
        Source::Git {
            url: git.trim_start_matches("git+").to_string(),
            reference,
            revision,
        }
    } else if let Some(p) = e.path.as_ref().or(e.file.as_ref()) {
        super::url_source(p, dir)
    } else {
        super::index_source(e.index.as_deref().and_then(|i| indexes.get(i).copied()))
    };
    let mut c = super::package(name, version.as_deref(), source)?;
    let hashes: Hashes = e
        .hashes
        .iter()
        .map(|h| super::parse_hash(h))
        .collect::<Result<_, _>>()
        .map_err(|m| format!("`{name}`: {m}"))?;
    c.hashes = hashes;
    if let Some(m) = &e.markers {
        c.properties.insert("marker".into(), m.clone());
    }
    if !e.extras.is_empty() {
        c.properties.insert("extras".into(), e.extras.join(","));
    }
    if e.editable {
        c.properties.insert("editable".into(), "true".into());
    }
    Ok(c)
}
