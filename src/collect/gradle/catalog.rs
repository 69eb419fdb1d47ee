//! `gradle/libs.versions.toml` (version catalogs) where the build has no dependency lockfile:
//! the declared libraries and plugins as the project's direct dependencies. `version.ref`
//! follows `[versions]`; rich versions use `strictly`, then `require`, then `prefer`; a range
//! or a missing version stays unresolved.

use crate::collect::{file_name, CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{DependencyKind, Ecosystem, Edge};
use crate::tree::{join, parent};
use toml::{Table, Value};

pub struct VersionCatalog;

impl Collector for VersionCatalog {
    fn id(&self) -> &'static str {
        "gradle-version-catalog"
    }

    fn file_names(&self) -> &'static str {
        "gradle/libs.versions.toml (only where the build has no gradle.lockfile)"
    }

    fn claims(&self, path: &str, name: &str) -> bool {
        name == "libs.versions.toml" && file_name(parent(path)) == "gradle"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let project_dir = parent(parent(file.path));
        let mut out = Collected::default();
        if ctx
            .tree
            .is_file(&join(project_dir, "gradle.lockfile").unwrap_or_default())
        {
            return Ok(out);
        }
        let table: Table = crate::collect::parse_toml(file.path, file.bytes, "libs.versions.toml")?;
        let versions = table
            .get("versions")
            .and_then(Value::as_table)
            .cloned()
            .unwrap_or_default();
        let version_of = |v: Option<&Value>| -> Option<String> {
            match v? {
                Value::String(s) => Some(s.clone()),
                Value::Table(t) => {
                    if let Some(r) = t.get("ref").and_then(Value::as_str) {
                        return versions.get(r).and_then(|x| match x {
                            Value::String(s) => Some(s.clone()),
                            Value::Table(rich) => ["strictly", "require", "prefer"]
                                .iter()
                                .find_map(|k| rich.get(*k))
                                .and_then(Value::as_str)
                                .map(str::to_string),
                            _ => None,
                        });
                    }
                    ["strictly", "require", "prefer"]
                        .iter()
                        .find_map(|k| t.get(*k))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                }
                _ => None,
            }
        };
        let root = crate::collect::project(Ecosystem::Maven, None, None, None, project_dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        for (section, kind) in [
            ("libraries", DependencyKind::Normal),
            ("plugins", DependencyKind::Build),
        ] {
            for (alias, spec) in table.get(section).and_then(Value::as_table).into_iter().flatten() {
                let (coordinates, version) = match spec {
                    Value::String(s) => match s.rsplitn(2, ':').collect::<Vec<_>>().as_slice() {
                        [v, rest] if section == "libraries" && rest.contains(':') => {
                            (rest.to_string(), Some(v.to_string()))
                        }
                        [v, rest] if section == "plugins" => (rest.to_string(), Some(v.to_string())),
                        _ => (s.clone(), None),
                    },
                    Value::Table(t) => {
                        let coords = t
                            .get("module")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .or_else(|| Some(format!("{}:{}", t.get("group")?.as_str()?, t.get("name")?.as_str()?)))
                            .or_else(|| t.get("id").and_then(Value::as_str).map(str::to_string));
                        let Some(coords) = coords else {
                            out.diagnostics.push(Diagnostic::warning(
                                file.path,
                                None,
                                format!("[{section}] {alias}: no module, group/name or id"),
                            ));
                            continue;
                        };
                        (coords, version_of(t.get("version")))
                    }
                    _ => continue,
                };
                let (group, artifact) = match coordinates.split_once(':') {
                    Some((g, a)) => (g.to_string(), a.to_string()),
                    // A plugin id: its marker artifact is ID:ID.gradle.plugin.
                    None => (coordinates.clone(), format!("{coordinates}.gradle.plugin")),
                };
                let exact = version.as_deref().filter(|v| !v.contains(['[', '(', '+', ',']));
                let mut c = crate::model::Component::new(
                    Ecosystem::Maven,
                    Some(&group),
                    &artifact,
                    exact,
                    crate::model::Source::DefaultRegistry,
                )
                .map_err(|e| Diagnostic::error(file.path, None, format!("{alias}: {e}")))?;
                if exact.is_none() {
                    c.properties
                        .insert("declared-range".into(), version.clone().unwrap_or_else(|| "*".into()));
                }
                c.properties.insert("gradle:alias".into(), alias.clone());
                c.found_in(file.path, None);
                out.edges.push(Edge {
                    from: root.id.clone(),
                    to: c.id.clone(),
                    kind,
                });
                out.components.push(c);
            }
        }
        out.components.push(root);
        Ok(out)
    }
}
