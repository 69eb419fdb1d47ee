//! `uv.lock` (version 1): packages with registry, git, path, directory, editable, virtual
//! and URL sources; `dependencies`, `optional-dependencies` and `dev-dependencies` edges that
//! name their target by name (plus version and source where several exist); sdist and wheel
//! hashes per file. Workspace members (`[manifest] members`, or the project at `.`) are roots.

use super::ByName;
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Edge, Role, Source};
use crate::tree::{join, parent};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::{Table, Value};

#[derive(Deserialize)]
struct Wire {
    #[serde(default)]
    manifest: WireManifest,
    #[serde(default)]
    package: Vec<WirePackage>,
}

#[derive(Deserialize, Default)]
struct WireManifest {
    #[serde(default)]
    members: Vec<String>,
}

#[derive(Deserialize)]
struct WirePackage {
    name: String,
    version: Option<String>,
    source: Option<Table>,
    #[serde(default)]
    dependencies: Vec<WireDep>,
    #[serde(rename = "optional-dependencies", default)]
    optional_dependencies: BTreeMap<String, Vec<WireDep>>,
    #[serde(rename = "dev-dependencies", default)]
    dev_dependencies: BTreeMap<String, Vec<WireDep>>,
    sdist: Option<WireFile>,
    #[serde(default)]
    wheels: Vec<WireFile>,
}

#[derive(Deserialize)]
struct WireDep {
    name: String,
    version: Option<String>,
    source: Option<Table>,
    marker: Option<String>,
}

#[derive(Deserialize)]
struct WireFile {
    url: Option<String>,
    path: Option<String>,
    filename: Option<String>,
    hash: Option<String>,
}

pub struct UvLock;

impl Collector for UvLock {
    fn id(&self) -> &'static str {
        "python-uv-lock"
    }

    fn file_names(&self) -> &'static str {
        "uv.lock"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "uv.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, _ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let wire: Wire = super::parse_toml(file.path, file.bytes, "uv.lock")?;
        let dir = parent(file.path);
        let lines = super::header_lines(file.bytes, "[[package]]");
        let mut out = Collected::default();
        let members: Vec<String> = wire
            .manifest
            .members
            .iter()
            .map(|m| crate::model::Ecosystem::Pypi.normalize_name(m))
            .collect();
        let mut components = Vec::with_capacity(wire.package.len());
        for (i, p) in wire.package.iter().enumerate() {
            let line = lines.get(i).copied();
            let mut c = component(p, dir).map_err(|m| Diagnostic::error(file.path, line, m))?;
            let local_root = p.source.as_ref().is_some_and(|s| {
                ["editable", "virtual"]
                    .iter()
                    .any(|k| s.get(*k).and_then(Value::as_str) == Some("."))
            });
            let normalized = crate::model::Ecosystem::Pypi.normalize_name(&p.name);
            if members.contains(&normalized) || (members.is_empty() && local_root) {
                c.role = Role::Project;
            }
            c.found_in(file.path, line);
            components.push(c);
        }
        let by_name = ByName::new(wire.package.iter().map(|p| p.name.as_str()));
        for (i, p) in wire.package.iter().enumerate() {
            let groups = std::iter::once((DependencyKind::Normal, &p.dependencies))
                .chain(p.optional_dependencies.values().map(|d| (DependencyKind::Optional, d)))
                .chain(p.dev_dependencies.values().map(|d| (DependencyKind::Dev, d)));
            for (kind, deps) in groups {
                for dep in deps {
                    match resolve(&wire.package, &by_name, dep) {
                        Ok(j) => out.edges.push(Edge {
                            from: components[i].id.clone(),
                            to: components[j].id.clone(),
                            kind,
                        }),
                        Err(m) => out.diagnostics.push(Diagnostic::error(
                            file.path,
                            lines.get(i).copied(),
                            format!("package `{}`: {m}", p.name),
                        )),
                    }
                }
            }
        }
        if !components.iter().any(|c| c.role == Role::Project) {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                None,
                "no workspace member found; the lock has no project root",
            ));
        }
        out.components = components;
        Ok(out)
    }
}

fn resolve(packages: &[WirePackage], by_name: &ByName, dep: &WireDep) -> Result<usize, String> {
    let candidates: Vec<usize> = by_name
        .get(&dep.name)
        .iter()
        .copied()
        .filter(|&j| dep.version.is_none() || packages[j].version == dep.version)
        .filter(|&j| dep.source.is_none() || packages[j].source == dep.source)
        .collect();
    match candidates.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("dependency `{}` names no package in the lock", dep.name)),
        _ => Err(format!(
            "dependency `{}` is ambiguous ({} packages match{})",
            dep.name,
            candidates.len(),
            dep.marker
                .as_deref()
                .map(|m| format!("; marker {m}"))
                .unwrap_or_default()
        )),
    }
}

fn component(p: &WirePackage, dir: &str) -> Result<Component, String> {
    let source = match &p.source {
        None => Source::DefaultRegistry,
        Some(s) => source(s, dir).ok_or_else(|| format!("package `{}`: unknown source {s:?}", p.name))?,
    };
    let mut c = super::package(&p.name, p.version.as_deref(), source)?;
    for f in p.sdist.iter().chain(&p.wheels) {
        let name = f
            .filename
            .clone()
            .or_else(|| f.url.as_deref().or(f.path.as_deref()).map(super::file_name_of))
            .unwrap_or_default();
        let hashes = f
            .hash
            .iter()
            .map(|h| super::parse_hash(h))
            .collect::<Result<_, _>>()
            .map_err(|m| format!("package `{}`: {m}", p.name))?;
        super::add_artifact(&mut c, name, f.url.clone(), hashes);
    }
    super::finish_hashes(&mut c);
    Ok(c)
}

fn source(s: &Table, dir: &str) -> Option<Source> {
    let get = |k: &str| s.get(k).and_then(Value::as_str);
    if let Some(url) = get("registry") {
        return Some(if url.contains("://") {
            super::index_source(Some(url))
        } else {
            Source::Path { path: join(dir, url) }
        });
    }
    if let Some(git) = get("git") {
        let (rest, revision) = match git.split_once('#') {
            Some((r, rev)) => (r, Some(rev.to_string())),
            None => (git, None),
        };
        let (url, reference) = match rest.split_once('?') {
            Some((u, q)) => (u, Some(q.to_string())),
            None => (rest, None),
        };
        return Some(Source::Git {
            url: url.to_string(),
            reference,
            revision,
        });
    }
    if let Some(url) = get("url") {
        return Some(Source::Url { url: url.to_string() });
    }
    ["path", "directory", "editable", "virtual"]
        .iter()
        .find_map(|k| get(k))
        .map(|p| Source::Path {
            path: join(dir, p).map(|j| if j.is_empty() { ".".into() } else { j }),
        })
}
