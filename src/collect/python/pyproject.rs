//! pyproject.toml: the project (PEP 621 `[project]` or Poetry's `[tool.poetry]`) and how it
//! declares its direct dependencies (main, optional extras, PEP 735 groups, Poetry groups,
//! pdm and uv dev dependencies). Used by the lock collectors for their roots, and on its own
//! (`PyprojectOnly`) when no lock exists, where versions stay unresolved ranges.

use super::pep508;
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Edge};
use crate::tree::{join, parent, Tree};
use toml::{Table, Value};

/// One declared direct dependency.
#[derive(Clone, Debug)]
pub struct Declared {
    pub name: String,
    /// PEP 440 specifier, or Poetry's constraint syntax as written (`^1.2`).
    pub specifier: String,
    pub url: Option<String>,
    pub path: Option<String>,
    pub kind: DependencyKind,
    /// The extra or group that declares it.
    pub group: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct PyProject {
    pub name: Option<String>,
    pub version: Option<String>,
    pub declared: Vec<Declared>,
}

impl PyProject {
    /// Reads `dir/pyproject.toml`; `Ok(None)` when there is none.
    pub fn load(tree: &dyn Tree, dir: &str) -> Result<Option<PyProject>, Diagnostic> {
        let path = join(dir, "pyproject.toml").unwrap_or_default();
        if !tree.is_file(&path) {
            return Ok(None);
        }
        let bytes = tree
            .read(&path)
            .map_err(|e| Diagnostic::warning(&path, None, format!("cannot read: {e}")))?;
        let table: Table = super::parse_toml(&path, &bytes, "pyproject.toml")
            .map_err(|d| Diagnostic::warning(d.path, d.line, d.message))?;
        Ok(Some(PyProject::from_table(&table)))
    }

    pub fn from_table(t: &Table) -> PyProject {
        let mut p = PyProject::default();
        let project = t.get("project").and_then(Value::as_table);
        let poetry = t.get("tool").and_then(|x| x.get("poetry")).and_then(Value::as_table);
        p.name = str_at(project, "name").or_else(|| str_at(poetry, "name"));
        p.version = str_at(project, "version").or_else(|| str_at(poetry, "version"));
        if let Some(project) = project {
            for req in strings(project.get("dependencies")) {
                p.add_pep508(&req, DependencyKind::Normal, None);
            }
            if let Some(extras) = project.get("optional-dependencies").and_then(Value::as_table) {
                for (extra, reqs) in extras {
                    for req in strings(Some(reqs)) {
                        p.add_pep508(&req, DependencyKind::Optional, Some(extra));
                    }
                }
            }
        }
        let dev_tables = [
            t.get("dependency-groups"),
            t.get("tool")
                .and_then(|x| x.get("pdm"))
                .and_then(|x| x.get("dev-dependencies")),
        ];
        for groups in dev_tables.into_iter().flatten().filter_map(Value::as_table) {
            for (group, reqs) in groups {
                for req in strings(Some(reqs)) {
                    p.add_pep508(&req, DependencyKind::Dev, Some(group));
                }
            }
        }
        let uv_dev = t
            .get("tool")
            .and_then(|x| x.get("uv"))
            .and_then(|x| x.get("dev-dependencies"));
        for req in strings(uv_dev) {
            p.add_pep508(&req, DependencyKind::Dev, Some("dev"));
        }
        if let Some(poetry) = poetry {
            p.add_poetry_table(poetry.get("dependencies"), DependencyKind::Normal, None);
            p.add_poetry_table(poetry.get("dev-dependencies"), DependencyKind::Dev, Some("dev"));
            if let Some(groups) = poetry.get("group").and_then(Value::as_table) {
                for (group, body) in groups {
                    let kind = if group == "main" {
                        DependencyKind::Normal
                    } else {
                        DependencyKind::Dev
                    };
                    p.add_poetry_table(body.get("dependencies"), kind, Some(group));
                }
            }
        }
        p
    }

    fn add_pep508(&mut self, text: &str, kind: DependencyKind, group: Option<&str>) {
        // `{include-group = "x"}` entries of PEP 735 are not strings and never reach here.
        if let Ok(r) = pep508::parse(text) {
            self.declared.push(Declared {
                name: r.name,
                specifier: r.specifier,
                url: r.url,
                path: None,
                kind,
                group: group.map(str::to_string),
            });
        }
    }

    fn add_poetry_table(&mut self, table: Option<&Value>, kind: DependencyKind, group: Option<&str>) {
        let Some(table) = table.and_then(Value::as_table) else {
            return;
        };
        for (name, spec) in table {
            if name.eq_ignore_ascii_case("python") {
                continue;
            }
            let entries: Vec<&Value> = match spec {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            for entry in entries {
                let mut d = Declared {
                    name: name.clone(),
                    specifier: String::new(),
                    url: None,
                    path: None,
                    kind,
                    group: group.map(str::to_string),
                };
                match entry {
                    Value::String(s) => d.specifier = s.clone(),
                    Value::Table(t) => {
                        d.specifier = str_at(Some(t), "version").unwrap_or_default();
                        d.url = str_at(Some(t), "git")
                            .map(|g| format!("git+{g}"))
                            .or_else(|| str_at(Some(t), "url"));
                        d.path = str_at(Some(t), "path");
                        if t.get("optional").and_then(Value::as_bool) == Some(true) && kind == DependencyKind::Normal {
                            d.kind = DependencyKind::Optional;
                        }
                    }
                    _ => {}
                }
                self.declared.push(d);
            }
        }
    }
}

fn str_at(t: Option<&Table>, key: &str) -> Option<String> {
    t.and_then(|t| t.get(key)).and_then(Value::as_str).map(str::to_string)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// pyproject.toml with no lock beside or above it: the project and its declared direct
/// dependencies, unresolved (a version only where the declaration pins one with `==`).
pub struct PyprojectOnly;

impl Collector for PyprojectOnly {
    fn id(&self) -> &'static str {
        "python-pyproject"
    }

    fn file_names(&self) -> &'static str {
        "pyproject.toml (only where no Python lockfile is beside or above it)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "pyproject.toml"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let dir = parent(file.path);
        let mut out = Collected::default();
        if crate::collect::file_in_or_above(ctx.tree, dir, super::LOCK_NAMES) {
            return Ok(out);
        }
        let table: Table = super::parse_toml(file.path, file.bytes, "pyproject.toml")?;
        let project = PyProject::from_table(&table);
        if project.name.is_none() && project.declared.is_empty() {
            return Ok(out); // a tool-configuration-only pyproject
        }
        let root = super::project(project.name.as_deref(), project.version.as_deref(), dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        for d in &project.declared {
            match declared_component(d, dir, file.path) {
                Ok(c) => {
                    out.edges.push(Edge {
                        from: root.id.clone(),
                        to: c.id.clone(),
                        kind: d.kind,
                    });
                    out.components.push(c);
                }
                Err(m) => out.diagnostics.push(Diagnostic::error(file.path, None, m)),
            }
        }
        out.components.push(root);
        Ok(out)
    }
}

/// A declared dependency as a component: pinned where `==` pins it, else unresolved with
/// the declared range kept.
pub fn declared_component(d: &Declared, dir: &str, manifest: &str) -> Result<Component, String> {
    let pinned = crate::model::pep440::Specifiers::parse(&d.specifier).and_then(|s| s.pinned().map(str::to_string));
    let source = match (&d.url, &d.path) {
        (Some(u), _) => super::url_source(u, dir),
        (None, Some(p)) => super::url_source(p, dir),
        _ => super::index_source(None),
    };
    let mut c = super::package(&d.name, pinned.as_deref(), source)?;
    if pinned.is_none() {
        c.properties.insert(
            "declared-range".into(),
            if d.specifier.is_empty() {
                "*".into()
            } else {
                d.specifier.clone()
            },
        );
    }
    c.found_in(manifest, None);
    Ok(c)
}
