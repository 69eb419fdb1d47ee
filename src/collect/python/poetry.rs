//! `poetry.lock` (lock-version 1.x with `category` and `[metadata.files]`, 2.x with `groups`
//! and inline `files`), with the project's pyproject.toml for the root's direct edges.

use super::{ByName, Declared};
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Scope, Source};
use crate::tree::parent;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Value;

#[derive(Deserialize)]
struct Wire {
    #[serde(default)]
    package: Vec<WirePackage>,
    #[serde(default)]
    metadata: WireMetadata,
}

#[derive(Deserialize, Default)]
struct WireMetadata {
    #[serde(default)]
    files: BTreeMap<String, Vec<WireFile>>,
}

#[derive(Deserialize)]
struct WirePackage {
    name: String,
    version: String,
    #[serde(default)]
    optional: bool,
    category: Option<String>,
    groups: Option<Vec<String>>,
    description: Option<String>,
    markers: Option<Value>,
    #[serde(default)]
    files: Vec<WireFile>,
    #[serde(default)]
    dependencies: BTreeMap<String, Value>,
    source: Option<WireSource>,
}

#[derive(Deserialize, Clone)]
struct WireFile {
    file: String,
    hash: Option<String>,
}

#[derive(Deserialize)]
struct WireSource {
    #[serde(rename = "type")]
    kind: String,
    url: String,
    reference: Option<String>,
    resolved_reference: Option<String>,
}

pub struct PoetryLock;

impl Collector for PoetryLock {
    fn id(&self) -> &'static str {
        "python-poetry"
    }

    fn file_names(&self) -> &'static str {
        "poetry.lock (with pyproject.toml)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "poetry.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let wire: Wire = super::parse_toml(file.path, file.bytes, "poetry.lock")?;
        let dir = parent(file.path);
        let lines = super::header_lines(file.bytes, "[[package]]");
        let mut out = Collected::default();
        let mut components = Vec::with_capacity(wire.package.len());
        for (i, p) in wire.package.iter().enumerate() {
            let line = lines.get(i).copied();
            match component(p, &wire.metadata, dir) {
                Ok(mut c) => {
                    c.found_in(file.path, line);
                    components.push(c);
                }
                Err(m) => return Err(Diagnostic::error(file.path, line, m)),
            }
        }
        let by_name = ByName::new(wire.package.iter().map(|p| p.name.as_str()));
        let mut depended_on = vec![false; components.len()];
        for (i, p) in wire.package.iter().enumerate() {
            for (dep, spec) in &p.dependencies {
                for (specifier, optional) in constraints(spec) {
                    let candidates: Vec<&Component> = by_name.get(dep).iter().map(|&j| &components[j]).collect();
                    let kind = if optional {
                        DependencyKind::Optional
                    } else {
                        DependencyKind::Normal
                    };
                    super::link(&mut out, &components[i].id, &candidates, &specifier, kind);
                    by_name.get(dep).iter().for_each(|&j| depended_on[j] = true);
                }
            }
        }
        let root = super::lock_root(ctx.tree, dir, file.path, &mut out)?;
        let declared = root.1.map(|p| p.declared).unwrap_or_default();
        link_root(
            &mut out,
            &root.0,
            &declared,
            &components,
            &by_name,
            &wire.package,
            &depended_on,
        );
        out.components.push(root.0);
        out.components.extend(components);
        Ok(out)
    }
}

fn component(p: &WirePackage, metadata: &WireMetadata, dir: &str) -> Result<Component, String> {
    let source = match &p.source {
        None => Source::DefaultRegistry,
        Some(s) => match s.kind.as_str() {
            "git" => Source::Git {
                url: s.url.clone(),
                reference: s.reference.clone().map(|r| format!("rev={r}")),
                revision: s.resolved_reference.clone(),
            },
            "legacy" => super::index_source(Some(&s.url)),
            "url" => Source::Url { url: s.url.clone() },
            "file" | "directory" => super::url_source(&s.url, dir),
            other => return Err(format!("package `{}`: unknown source type `{other}`", p.name)),
        },
    };
    let mut c = super::package(&p.name, Some(&p.version), source)?;
    c.description = p.description.clone();
    c.scope = scope_hint(p);
    c.max_scope = c.scope;
    if let Some(Value::String(m)) = &p.markers {
        c.properties.insert("marker".into(), m.clone());
    }
    let files = if p.files.is_empty() {
        metadata.files.get(&p.name).cloned().unwrap_or_default()
    } else {
        p.files.clone()
    };
    for f in files {
        let hashes = f
            .hash
            .iter()
            .map(|h| super::parse_hash(h))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("package `{}`: {e}", p.name))?;
        super::add_artifact(&mut c, f.file, None, hashes);
    }
    super::finish_hashes(&mut c);
    Ok(c)
}

/// The scope the lock itself gives, used where the graph from the root does not decide.
fn scope_hint(p: &WirePackage) -> Scope {
    let main = match (&p.groups, &p.category) {
        (Some(groups), _) => groups.iter().any(|g| g == "main"),
        (None, Some(category)) => category == "main",
        (None, None) => true,
    };
    match (main, p.optional) {
        (false, _) => Scope::Dev,
        (true, true) => Scope::Optional,
        (true, false) => Scope::Required,
    }
}

/// A dependency value: `"^1.2"`, `{version, optional, markers}`, or a list of those for
/// marker-split constraints.
fn constraints(spec: &Value) -> Vec<(String, bool)> {
    match spec {
        Value::String(s) => vec![(s.clone(), false)],
        Value::Table(t) => vec![(
            t.get("version").and_then(Value::as_str).unwrap_or("*").to_string(),
            t.get("optional").and_then(Value::as_bool).unwrap_or(false),
        )],
        Value::Array(a) => a.iter().flat_map(constraints).collect(),
        _ => Vec::new(),
    }
}

/// Root edges: from the pyproject's declarations where there is one, else to every package
/// no other package depends on (main group → normal, other groups → dev).
fn link_root(
    out: &mut Collected,
    root: &Component,
    declared: &[Declared],
    components: &[Component],
    by_name: &ByName,
    packages: &[WirePackage],
    depended_on: &[bool],
) {
    if !declared.is_empty() {
        for d in declared {
            let candidates: Vec<&Component> = by_name.get(&d.name).iter().map(|&j| &components[j]).collect();
            super::link(out, &root.id, &candidates, &d.specifier, d.kind);
        }
        return;
    }
    for (j, c) in components.iter().enumerate() {
        if !depended_on[j] {
            let kind = match scope_hint(&packages[j]) {
                Scope::Dev => DependencyKind::Dev,
                Scope::Optional => DependencyKind::Optional,
                _ => DependencyKind::Normal,
            };
            out.edges.push(crate::model::Edge {
                from: root.id.clone(),
                to: c.id.clone(),
                kind,
            });
        }
    }
}
