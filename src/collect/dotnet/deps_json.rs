//! `*.deps.json`, what `dotnet build`/`publish` writes beside an application: the runtime
//! libraries (`libraries`: type, `sha512`) and, per target (framework and runtime), each
//! library's dependencies by exact version. The `project` library is the root.

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, ComponentId, DependencyKind, Ecosystem, Edge, Source};
use crate::tree::parent;
use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Wire {
    #[serde(default)]
    targets: BTreeMap<String, BTreeMap<String, Target>>,
    #[serde(default)]
    libraries: BTreeMap<String, Library>,
}

#[derive(Deserialize, Default)]
struct Target {
    #[serde(default)]
    dependencies: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Library {
    #[serde(rename = "type")]
    kind: String,
    sha512: Option<String>,
}

pub struct DepsJson;

impl Collector for DepsJson {
    fn id(&self) -> &'static str {
        "dotnet-deps-json"
    }

    fn file_names(&self) -> &'static str {
        "*.deps.json (.NET build output)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name.ends_with(".deps.json")
    }

    fn collect(&self, file: &SourceFile<'_>, _ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let wire: Wire = crate::collect::parse_json(file.path, text, "deps.json")?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let mut ids: HashMap<String, ComponentId> = HashMap::new();
        for (key, lib) in &wire.libraries {
            let (name, version) = key
                .rsplit_once('/')
                .ok_or_else(|| Diagnostic::error(file.path, None, format!("library `{key}` is not NAME/VERSION")))?;
            let mut c = if lib.kind == "project" {
                crate::collect::project(Ecosystem::Nuget, None, Some(name), Some(version), dir, file.path)
                    .map_err(|m| Diagnostic::error(file.path, None, m))?
            } else {
                Component::new(Ecosystem::Nuget, None, name, Some(version), Source::DefaultRegistry)
                    .map_err(|e| Diagnostic::error(file.path, None, format!("{key}: {e}")))?
            };
            if let Some(h) = lib.sha512.as_deref().filter(|h| !h.is_empty()) {
                c.hashes = crate::model::parse_sri(h)
                    .map_err(|m| Diagnostic::error(file.path, None, format!("{key}: {m}")))?;
            }
            c.properties.insert("dotnet:library-type".into(), lib.kind.clone());
            c.found_in(file.path, None);
            ids.insert(key.to_ascii_lowercase(), c.id.clone());
            out.components.push(c);
        }
        // The most specific target (with a runtime identifier) lists the most.
        let target = wire.targets.values().max_by_key(|t| t.len());
        for (key, entry) in target.into_iter().flatten() {
            let Some(from) = ids.get(&key.to_ascii_lowercase()) else {
                continue;
            };
            for (dep, version) in &entry.dependencies {
                match ids.get(&format!("{dep}/{version}").to_ascii_lowercase()) {
                    Some(to) => out.edges.push(Edge {
                        from: from.clone(),
                        to: to.clone(),
                        kind: DependencyKind::Normal,
                    }),
                    None => out.diagnostics.push(Diagnostic::warning(
                        file.path,
                        None,
                        format!("{key}: dependency `{dep}/{version}` is not a library of this file"),
                    )),
                }
            }
        }
        Ok(out)
    }
}
