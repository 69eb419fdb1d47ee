//! PEP 751 `pylock.toml` (and `pylock.NAME.toml`): packages from an index, a VCS, a directory
//! or an archive, each file with its hashes under every algorithm given. The format's
//! optional `dependencies` give edges; without them the graph is flat (the project depends
//! on every package).

use super::ByName;
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Edge, Hash, HashAlgorithm, Source};
use crate::tree::parent;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Wire {
    #[serde(rename = "lock-version")]
    lock_version: Option<String>,
    #[serde(rename = "created-by")]
    created_by: Option<String>,
    #[serde(default)]
    packages: Vec<WirePackage>,
}

#[derive(Deserialize)]
struct WirePackage {
    name: String,
    version: Option<String>,
    marker: Option<String>,
    index: Option<String>,
    vcs: Option<WireVcs>,
    directory: Option<WireDirectory>,
    archive: Option<WireFile>,
    sdist: Option<WireFile>,
    #[serde(default)]
    wheels: Vec<WireFile>,
    dependencies: Option<Vec<WireDep>>,
}

#[derive(Deserialize)]
struct WireVcs {
    url: Option<String>,
    path: Option<String>,
    #[serde(rename = "requested-revision")]
    requested_revision: Option<String>,
    #[serde(rename = "commit-id")]
    commit_id: Option<String>,
}

#[derive(Deserialize)]
struct WireDirectory {
    path: String,
    #[serde(default)]
    editable: bool,
}

#[derive(Deserialize)]
struct WireFile {
    name: Option<String>,
    url: Option<String>,
    path: Option<String>,
    #[serde(default)]
    hashes: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct WireDep {
    name: String,
    version: Option<String>,
}

pub struct PyLock;

impl Collector for PyLock {
    fn id(&self) -> &'static str {
        "python-pylock"
    }

    fn file_names(&self) -> &'static str {
        "pylock.toml, pylock.NAME.toml (PEP 751)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "pylock.toml"
            || (name.starts_with("pylock.") && name.ends_with(".toml") && name.matches('.').count() == 2)
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let wire: Wire = super::parse_toml(file.path, file.bytes, "pylock.toml")?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        if wire.lock_version.as_deref().is_some_and(|v| !v.starts_with("1.")) {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                None,
                format!(
                    "lock-version {} is newer than bomsight knows (1.x)",
                    wire.lock_version.as_deref().unwrap_or("")
                ),
            ));
        }
        let lines = super::header_lines(file.bytes, "[[packages]]");
        let (root, _) = super::lock_root(ctx.tree, dir, file.path, &mut out)?;
        let mut components = Vec::with_capacity(wire.packages.len());
        for (i, p) in wire.packages.iter().enumerate() {
            let line = lines.get(i).copied();
            let mut c = component(p, dir).map_err(|m| Diagnostic::error(file.path, line, m))?;
            if let Some(tool) = &wire.created_by {
                c.properties.insert("locked-by".into(), tool.clone());
            }
            c.found_in(file.path, line);
            components.push(c);
        }
        let by_name = ByName::new(wire.packages.iter().map(|p| p.name.as_str()));
        let mut depended_on = vec![false; components.len()];
        for (i, p) in wire.packages.iter().enumerate() {
            for dep in p.dependencies.iter().flatten() {
                let found: Vec<usize> = by_name
                    .get(&dep.name)
                    .iter()
                    .copied()
                    .filter(|&j| dep.version.is_none() || wire.packages[j].version == dep.version)
                    .collect();
                if found.len() != 1 {
                    out.diagnostics.push(Diagnostic::error(
                        file.path,
                        lines.get(i).copied(),
                        format!(
                            "package `{}`: dependency `{}` matches {} packages",
                            p.name,
                            dep.name,
                            found.len()
                        ),
                    ));
                }
                for &j in &found {
                    depended_on[j] = true;
                    out.edges.push(Edge {
                        from: components[i].id.clone(),
                        to: components[j].id.clone(),
                        kind: DependencyKind::Normal,
                    });
                }
            }
        }
        for (j, c) in components.iter().enumerate() {
            if !depended_on[j] {
                out.edges.push(Edge {
                    from: root.id.clone(),
                    to: c.id.clone(),
                    kind: DependencyKind::Normal,
                });
            }
        }
        out.components.push(root);
        out.components.extend(components);
        Ok(out)
    }
}

fn component(p: &WirePackage, dir: &str) -> Result<Component, String> {
    let source = if let Some(vcs) = &p.vcs {
        match (&vcs.url, &vcs.path) {
            (Some(url), _) => Source::Git {
                url: url.clone(),
                reference: vcs.requested_revision.clone().map(|r| format!("rev={r}")),
                revision: vcs.commit_id.clone(),
            },
            (None, Some(path)) => super::url_source(path, dir),
            (None, None) => return Err(format!("package `{}`: vcs without url or path", p.name)),
        }
    } else if let Some(d) = &p.directory {
        super::url_source(&d.path, dir)
    } else if let Some(a) = &p.archive {
        match (&a.url, &a.path) {
            (Some(url), _) => Source::Url { url: url.clone() },
            (None, Some(path)) => super::url_source(path, dir),
            (None, None) => return Err(format!("package `{}`: archive without url or path", p.name)),
        }
    } else {
        super::index_source(p.index.as_deref())
    };
    let mut c = super::package(&p.name, p.version.as_deref(), source)?;
    if let Some(m) = &p.marker {
        c.properties.insert("marker".into(), m.clone());
    }
    if p.directory.as_ref().is_some_and(|d| d.editable) {
        c.properties.insert("editable".into(), "true".into());
    }
    for f in p.archive.iter().chain(&p.sdist).chain(&p.wheels) {
        let name = f
            .name
            .clone()
            .or_else(|| f.url.as_deref().or(f.path.as_deref()).map(super::file_name_of))
            .unwrap_or_default();
        let mut hashes = crate::model::Hashes::new();
        for (alg, hex) in &f.hashes {
            let algorithm = HashAlgorithm::parse(alg)
                .ok_or_else(|| format!("package `{}`: unknown hash algorithm `{alg}`", p.name))?;
            hashes.insert(Hash::from_hex(algorithm, hex).map_err(|e| format!("package `{}`: {e}", p.name))?);
        }
        super::add_artifact(&mut c, name, f.url.clone(), hashes);
    }
    super::finish_hashes(&mut c);
    Ok(c)
}
