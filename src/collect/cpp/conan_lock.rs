//! `conan.lock`. Conan 2 (`"version": "0.5"`): lists of references, `requires` (the host
//! graph), `build_requires` (tools) and `python_requires` (recipe code), with recipe revisions;
//! no edges, so the project links to each. Conan 1 graph locks (`"version": "0.4"`,
//! `graph_lock.nodes`): node `0` is the project, every node lists the nodes it `requires`,
//! `build_requires` and `python_requires`, so the edges are exact.

use super::conan_component;
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Edge};
use crate::tree::parent;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Wire {
    version: Option<String>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    build_requires: Vec<String>,
    #[serde(default)]
    python_requires: Vec<String>,
    graph_lock: Option<GraphLock>,
}

#[derive(Deserialize)]
struct GraphLock {
    nodes: BTreeMap<String, Node>,
}

#[derive(Deserialize)]
struct Node {
    #[serde(rename = "ref")]
    reference: Option<String>,
    prev: Option<String>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    build_requires: Vec<String>,
    #[serde(default)]
    python_requires: Vec<String>,
    path: Option<String>,
}

pub struct ConanLock;

impl Collector for ConanLock {
    fn id(&self) -> &'static str {
        "conan-lock"
    }

    fn file_names(&self) -> &'static str {
        "conan.lock (Conan 1 graph locks, Conan 2)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "conan.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, _ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let wire: Wire = crate::collect::parse_json(file.path, text, "conan.lock")?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let mut root = crate::collect::project(Ecosystem::Conan, None, None, None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        if let Some(v) = &wire.version {
            root.properties.insert("conan:lock-version".into(), v.clone());
        }
        let located = |mut c: Component| {
            c.found_in(file.path, None);
            c
        };
        match &wire.graph_lock {
            Some(graph) => {
                let mut ids = BTreeMap::new();
                for (key, node) in &graph.nodes {
                    let id = match (&node.reference, key.as_str()) {
                        (Some(r), k) if k != "0" || node.path.is_none() => {
                            let c = conan_component(r, node.prev.as_deref())
                                .map_err(|m| Diagnostic::error(file.path, None, format!("node {key}: {m}")))?;
                            let id = c.id.clone();
                            out.components.push(located(c));
                            id
                        }
                        _ => root.id.clone(),
                    };
                    ids.insert(key.as_str(), id);
                }
                for (key, node) in &graph.nodes {
                    let lists = [
                        (&node.requires, DependencyKind::Normal),
                        (&node.build_requires, DependencyKind::Build),
                        (&node.python_requires, DependencyKind::Build),
                    ];
                    for (list, kind) in lists {
                        for to in list {
                            match ids.get(to.as_str()) {
                                Some(target) => out.edges.push(Edge {
                                    from: ids[key.as_str()].clone(),
                                    to: target.clone(),
                                    kind,
                                }),
                                None => out.diagnostics.push(Diagnostic::warning(
                                    file.path,
                                    None,
                                    format!("node {key} requires node {to}, which is not in the lock"),
                                )),
                            }
                        }
                    }
                }
            }
            None => {
                let lists = [
                    (&wire.requires, DependencyKind::Normal),
                    (&wire.build_requires, DependencyKind::Build),
                    (&wire.python_requires, DependencyKind::Build),
                ];
                for (list, kind) in lists {
                    for reference in list {
                        let c = conan_component(reference, None).map_err(|m| Diagnostic::error(file.path, None, m))?;
                        out.edges.push(Edge {
                            from: root.id.clone(),
                            to: c.id.clone(),
                            kind,
                        });
                        out.components.push(located(c));
                    }
                }
            }
        }
        out.components.push(root);
        Ok(out)
    }
}
