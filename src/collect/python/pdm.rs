//! `pdm.lock` (lock_version 4.x): packages with groups, PEP 508 `dependencies`, per-file
//! hashes, and git, path and URL sources; the project's pyproject.toml gives the root's
//! direct edges.

use super::{pep508, ByName};
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Edge, Scope, Source};
use crate::tree::parent;
use serde::Deserialize;

#[derive(Deserialize)]
struct Wire {
    #[serde(default)]
    package: Vec<WirePackage>,
}

#[derive(Deserialize)]
struct WirePackage {
    name: String,
    version: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    dependencies: Vec<String>,
    #[serde(default)]
    files: Vec<WireFile>,
    git: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    revision: Option<String>,
    path: Option<String>,
    url: Option<String>,
    #[serde(default)]
    editable: bool,
}

#[derive(Deserialize)]
struct WireFile {
    file: Option<String>,
    url: Option<String>,
    hash: Option<String>,
}

pub struct PdmLock;

impl Collector for PdmLock {
    fn id(&self) -> &'static str {
        "python-pdm-lock"
    }

    fn file_names(&self) -> &'static str {
        "pdm.lock (with pyproject.toml)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "pdm.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let wire: Wire = super::parse_toml(file.path, file.bytes, "pdm.lock")?;
        let dir = parent(file.path);
        let lines = super::header_lines(file.bytes, "[[package]]");
        let mut out = Collected::default();
        let (root, project) = super::lock_root(ctx.tree, dir, file.path, &mut out)?;
        let optional_groups: Vec<String> = project
            .as_ref()
            .map(|p| {
                p.declared
                    .iter()
                    .filter(|d| d.kind == DependencyKind::Optional)
                    .filter_map(|d| d.group.clone())
                    .collect()
            })
            .unwrap_or_default();
        let mut components = Vec::with_capacity(wire.package.len());
        for (i, p) in wire.package.iter().enumerate() {
            let line = lines.get(i).copied();
            let mut c = component(p, dir).map_err(|m| Diagnostic::error(file.path, line, m))?;
            c.scope = if p.groups.iter().any(|g| g == "default") {
                Scope::Required
            } else if p.groups.iter().any(|g| optional_groups.contains(g)) {
                Scope::Optional
            } else {
                Scope::Dev
            };
            c.found_in(file.path, line);
            components.push(c);
        }
        let by_name = ByName::new(wire.package.iter().map(|p| p.name.as_str()));
        let mut depended_on = vec![false; components.len()];
        for (i, p) in wire.package.iter().enumerate() {
            for text in &p.dependencies {
                let req = match pep508::parse(text) {
                    Ok(r) => r,
                    Err(m) => {
                        out.diagnostics.push(Diagnostic::error(
                            file.path,
                            lines.get(i).copied(),
                            format!("package `{}`: {m}", p.name),
                        ));
                        continue;
                    }
                };
                let found = by_name.get(&req.name);
                // A dependency missing from the lock is one the lock's targets never install
                // (its marker is false for them).
                if found.is_empty() && req.marker.is_none() {
                    out.diagnostics.push(Diagnostic::warning(
                        file.path,
                        lines.get(i).copied(),
                        format!("package `{}`: dependency `{}` is not in the lock", p.name, req.name),
                    ));
                }
                let candidates: Vec<&Component> = found.iter().map(|&j| &components[j]).collect();
                super::link(
                    &mut out,
                    &components[i].id,
                    &candidates,
                    &req.specifier,
                    DependencyKind::Normal,
                );
                found.iter().for_each(|&j| depended_on[j] = true);
            }
        }
        match project.filter(|p| !p.declared.is_empty()) {
            Some(p) => {
                for d in &p.declared {
                    let candidates: Vec<&Component> = by_name.get(&d.name).iter().map(|&j| &components[j]).collect();
                    super::link(&mut out, &root.id, &candidates, &d.specifier, d.kind);
                }
            }
            None => {
                for (j, c) in components.iter().enumerate().filter(|(j, _)| !depended_on[*j]) {
                    let kind = if c.scope == Scope::Dev {
                        DependencyKind::Dev
                    } else {
                        DependencyKind::Normal
                    };
                    let _ = j;
                    out.edges.push(Edge {
                        from: root.id.clone(),
                        to: c.id.clone(),
                        kind,
                    });
                }
            }
        }
        out.components.push(root);
        out.components.extend(components);
        Ok(out)
    }
}

fn component(p: &WirePackage, dir: &str) -> Result<Component, String> {
    let source = if let Some(git) = &p.git {
        Source::Git {
            url: git.trim_start_matches("git+").to_string(),
            reference: p.reference.clone().map(|r| format!("rev={r}")),
            revision: p.revision.clone(),
        }
    } else if let Some(path) = &p.path {
        super::url_source(path, dir)
    } else if let Some(url) = &p.url {
        super::url_source(url, dir)
    } else {
        Source::DefaultRegistry
    };
    let mut c = super::package(&p.name, p.version.as_deref(), source)?;
    c.description = p.summary.clone();
    if p.editable {
        c.properties.insert("editable".into(), "true".into());
    }
    for f in &p.files {
        let name = f
            .file
            .clone()
            .or_else(|| f.url.as_deref().map(super::file_name_of))
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
