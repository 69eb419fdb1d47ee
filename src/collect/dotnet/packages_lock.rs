//! NuGet `packages.lock.json` (version 1 and 2): per target framework, `Direct`,
//! `Transitive`, `CentralTransitive` and `Project` entries with `resolved`, `contentHash`
//! (base64 SHA-512 of the .nupkg) and `dependencies`, which resolve by name (NuGet names are
//! case-insensitive) within the same framework. The project of the lockfile is the root;
//! the frameworks a package is used in are the property `nuget:frameworks`.

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::SortedMap;
use crate::model::{Component, DependencyKind, Ecosystem, Edge, Hash, HashAlgorithm, Role, Source};
use crate::tree::parent;
use base64::Engine;
use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;

#[derive(Deserialize)]
struct Wire {
    version: Option<u32>,
    #[serde(default)]
    dependencies: SortedMap<String, SortedMap<String, Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    requested: Option<String>,
    resolved: Option<String>,
    #[serde(rename = "contentHash")]
    content_hash: Option<String>,
    #[serde(default)]
    dependencies: SortedMap<String, String>,
}

pub struct NugetLock;

impl Collector for NugetLock {
    fn id(&self) -> &'static str {
        "nuget-packages-lock"
    }

    fn file_names(&self) -> &'static str {
        "packages.lock.json (NuGet)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "packages.lock.json"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let wire: Wire = crate::collect::parse_json(file.path, text, "packages.lock.json")?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        if wire.version.is_some_and(|v| v > 2) {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                None,
                "lock version newer than bomsight knows (2)",
            ));
        }
        let project_name = super::project_name(ctx, dir).unwrap_or_else(|| crate::collect::dir_name(dir));
        let root = crate::collect::project(Ecosystem::Nuget, None, Some(&project_name), None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        for (framework, entries) in &wire.dependencies {
            let mut ids: HashMap<String, crate::model::ComponentId> = HashMap::with_capacity(entries.len());
            let mut built = Vec::with_capacity(entries.len());
            for (name, e) in entries {
                let c = component(name, e, framework)
                    .map_err(|m| Diagnostic::error(file.path, None, format!("{framework} / {name}: {m}")))?;
                let mut c = c;
                c.found_in(file.path, None);
                ids.insert(name.to_ascii_lowercase(), c.id.clone());
                built.push((name, e, c));
            }
            for (name, e, c) in &built {
                if matches!(e.kind.as_str(), "Direct" | "Project") {
                    out.edges.push(Edge {
                        from: root.id.clone(),
                        to: c.id.clone(),
                        kind: DependencyKind::Normal,
                    });
                }
                for dep in e.dependencies.keys() {
                    match ids.get(&dep.to_ascii_lowercase()) {
                        Some(to) => out.edges.push(Edge {
                            from: c.id.clone(),
                            to: to.clone(),
                            kind: DependencyKind::Normal,
                        }),
                        None => out.diagnostics.push(Diagnostic::warning(
                            file.path,
                            None,
                            format!("{framework} / {name}: dependency `{dep}` is not in the lock"),
                        )),
                    }
                }
            }
            out.components.extend(built.into_iter().map(|(_, _, c)| c));
        }
        out.components.push(root);
        Ok(out)
    }
}

fn component(name: &str, e: &Entry, framework: &str) -> Result<Component, String> {
    let project = e.kind == "Project";
    let source = if project {
        Source::Path { path: None }
    } else {
        Source::DefaultRegistry
    };
    let version = if project { None } else { e.resolved.clone() };
    let mut c = Component::new(Ecosystem::Nuget, None, name, version.as_deref(), source)
        .map_err(|e| format!("cannot build a purl: {e}"))?;
    if project {
        // Another project of the solution: its own lockfile describes it.
        c.id = crate::model::ComponentId::from(format!("{} (project reference)", c.purl.as_deref().unwrap_or(name)));
        c.purl = None;
        c.role = Role::Package;
        c.properties.insert("nuget:project-reference".into(), "true".into());
    }
    if let Some(h) = &e.content_hash {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(h)
            .map_err(|err| format!("contentHash: {err}"))?;
        c.hashes
            .insert(Hash::from_bytes(HashAlgorithm::Sha512, &bytes).map_err(|err| err.to_string())?);
    }
    if let Some(r) = &e.requested {
        c.properties.insert("nuget:requested".into(), r.clone());
    }
    c.properties.insert("nuget:type".into(), e.kind.clone());
    c.properties.insert("nuget:frameworks".into(), framework.to_string());
    Ok(c)
}
