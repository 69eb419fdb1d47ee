//! `Cargo.toml` of the workspace root and its members: which path packages are workspace
//! members (the roots), their names and versions, and how each declares its dependencies.

use crate::diagnostic::Diagnostic;
use crate::tree::{join, Tree};
use std::collections::{BTreeMap, BTreeSet};
use toml::{Table, Value};

/// How a manifest declares a dependency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeclaredKind {
    Normal,
    Dev,
    Build,
}

/// One entry of a `[*dependencies]` table, with workspace inheritance applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredDep {
    /// The real package name (`package = "..."` of a renamed dependency, else the key).
    pub package: String,
    pub req: Option<String>,
    pub kind: DeclaredKind,
    pub optional: bool,
    /// Root-relative directory of a `path` dependency.
    pub path: Option<String>,
}

/// A workspace member: a project root of the scan.
#[derive(Clone, Debug)]
pub struct Member {
    pub dir: String,
    pub manifest: String,
    pub name: String,
    pub version: String,
    pub deps: Vec<DeclaredDep>,
    pub application: bool,
}

/// What the manifests beside a `Cargo.lock` say.
#[derive(Debug, Default)]
pub struct Workspace {
    pub members: Vec<Member>,
    /// False when some member could not be found or read: path packages the manifests do not
    /// explain are then taken to be members too.
    pub complete: bool,
    /// Root-relative directories of path dependencies that are not members, by package name.
    pub path_dependencies: BTreeMap<String, BTreeSet<String>>,
}

/// Reads the manifest in `dir` (the lockfile's directory) and every member's manifest.
pub fn load_workspace(tree: &dyn Tree, dir: &str, diagnostics: &mut Vec<Diagnostic>) -> Workspace {
    let root_manifest = join(dir, "Cargo.toml").unwrap_or_else(|| "Cargo.toml".into());
    let root = match read_manifest(tree, &root_manifest) {
        Ok(table) => table,
        Err(d) => {
            diagnostics.push(Diagnostic::warning(
                d.path,
                d.line,
                format!(
                    "{}; every path package in the lockfile is taken to be a project root",
                    d.message
                ),
            ));
            return Workspace::default();
        }
    };
    let ws = root.get("workspace").and_then(Value::as_table);
    let inherited = Inherited::from_workspace(dir, ws);
    let mut complete = true;
    let mut member_dirs: BTreeSet<String> = BTreeSet::new();
    if root.contains_key("package") {
        member_dirs.insert(dir.to_string());
    }
    let excluded: Vec<String> = strings(ws, "exclude").iter().filter_map(|e| join(dir, e)).collect();
    let is_excluded = |d: &str| excluded.iter().any(|e| d == e || d.starts_with(&format!("{e}/")));
    for pattern in strings(ws, "members") {
        let found = expand_member_pattern(tree, dir, &pattern);
        if found.is_empty() {
            diagnostics.push(Diagnostic::warning(
                &root_manifest,
                None,
                format!("workspace member `{pattern}` matches no directory with a Cargo.toml; path packages the manifests do not explain are taken to be project roots"),
            ));
            complete = false;
        }
        member_dirs.extend(found.into_iter().filter(|d| !is_excluded(d)));
    }

    let mut members: Vec<Member> = Vec::new();
    let mut pending: Vec<String> = member_dirs.iter().cloned().collect();
    let mut seen: BTreeSet<String> = member_dirs;
    while let Some(member_dir) = pending.pop() {
        let manifest_path = join(&member_dir, "Cargo.toml").unwrap_or_default();
        let table = if member_dir == dir {
            Ok(root.clone())
        } else {
            read_manifest(tree, &manifest_path)
        };
        match table.and_then(|t| member_from_manifest(tree, &member_dir, &manifest_path, &t, &inherited)) {
            Ok(member) => {
                // Cargo makes path dependencies inside the workspace directory members too.
                if ws.is_some() {
                    for p in member.deps.iter().filter_map(|d| d.path.as_ref()) {
                        let inside = dir.is_empty() || p == dir || p.starts_with(&format!("{dir}/"));
                        if inside && !is_excluded(p) && seen.insert(p.clone()) {
                            pending.push(p.clone());
                        }
                    }
                }
                members.push(member);
            }
            Err(d) => {
                diagnostics.push(Diagnostic::warning(
                    d.path,
                    d.line,
                    format!("workspace member skipped: {}", d.message),
                ));
                complete = false;
            }
        }
    }
    members.sort_by(|a, b| a.dir.cmp(&b.dir));
    let member_dirs: BTreeSet<&str> = members.iter().map(|m| m.dir.as_str()).collect();
    let mut path_dependencies: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for dep in members.iter().flat_map(|m| &m.deps) {
        if let Some(p) = dep.path.as_ref().filter(|p| !member_dirs.contains(p.as_str())) {
            path_dependencies
                .entry(dep.package.clone())
                .or_default()
                .insert(p.clone());
        }
    }
    Workspace {
        members,
        complete,
        path_dependencies,
    }
}

fn read_manifest(tree: &dyn Tree, path: &str) -> Result<Table, Diagnostic> {
    let bytes = tree
        .read(path)
        .map_err(|e| Diagnostic::warning(path, None, format!("cannot read manifest: {e}")))?;
    let text = crate::text::decode_utf8(&bytes).map_err(|(line, msg)| Diagnostic::warning(path, line, msg))?;
    crate::collect::from_toml::<Table>(text).map_err(|e| {
        let line = e.span().map(|s| crate::text::line_of_offset(text.as_bytes(), s.start));
        Diagnostic::warning(path, line, format!("invalid Cargo.toml: {}", e.message().trim()))
    })
}

/// `[workspace.package]` and `[workspace.dependencies]`, for `x.workspace = true`.
struct Inherited {
    root: String,
    version: Option<String>,
    dependencies: Table,
}

impl Inherited {
    fn from_workspace(root: &str, ws: Option<&Table>) -> Inherited {
        let version = ws
            .and_then(|w| w.get("package"))
            .and_then(|p| p.get("version"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let dependencies = ws
            .and_then(|w| w.get("dependencies"))
            .and_then(Value::as_table)
            .cloned()
            .unwrap_or_default();
        Inherited {
            root: root.to_string(),
            version,
            dependencies,
        }
    }
}

fn member_from_manifest(
    tree: &dyn Tree,
    dir: &str,
    manifest: &str,
    table: &Table,
    inherited: &Inherited,
) -> Result<Member, Diagnostic> {
    let package = table
        .get("package")
        .and_then(Value::as_table)
        .ok_or_else(|| Diagnostic::warning(manifest, None, "no [package] table"))?;
    let name = package
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| Diagnostic::warning(manifest, None, "[package] has no name"))?;
    let version = match package.get("version") {
        Some(Value::String(v)) => v.clone(),
        Some(Value::Table(t)) if t.get("workspace").and_then(Value::as_bool) == Some(true) => {
            inherited.version.clone().ok_or_else(|| {
                Diagnostic::warning(
                    manifest,
                    None,
                    "version.workspace = true, but [workspace.package] has no version",
                )
            })?
        }
        // Cargo 1.75+ treats a missing version as 0.0.0.
        _ => "0.0.0".to_string(),
    };
    let mut deps = Vec::new();
    collect_dependency_tables(table, dir, inherited, &mut deps);
    if let Some(targets) = table.get("target").and_then(Value::as_table) {
        for target in targets.values().filter_map(Value::as_table) {
            collect_dependency_tables(target, dir, inherited, &mut deps);
        }
    }
    let application = table
        .get("bin")
        .is_some_and(|b| b.as_array().is_some_and(|a| !a.is_empty()))
        || tree.is_file(&join(dir, "src/main.rs").unwrap_or_default());
    Ok(Member {
        dir: dir.to_string(),
        manifest: manifest.to_string(),
        name: name.to_string(),
        version,
        deps,
        application,
    })
}

fn collect_dependency_tables(table: &Table, dir: &str, inherited: &Inherited, out: &mut Vec<DeclaredDep>) {
    let tables = [
        ("dependencies", DeclaredKind::Normal),
        ("dev-dependencies", DeclaredKind::Dev),
        ("dev_dependencies", DeclaredKind::Dev),
        ("build-dependencies", DeclaredKind::Build),
        ("build_dependencies", DeclaredKind::Build),
    ];
    for (key, kind) in tables {
        let Some(entries) = table.get(key).and_then(Value::as_table) else {
            continue;
        };
        for (name, spec) in entries {
            out.push(declared_dep(name, spec, kind, dir, inherited));
        }
    }
}

fn declared_dep(key: &str, spec: &Value, kind: DeclaredKind, dir: &str, inherited: &Inherited) -> DeclaredDep {
    let mut dep = DeclaredDep {
        package: key.to_string(),
        req: None,
        kind,
        optional: false,
        path: None,
    };
    let mut apply = |spec: &Value, base: &str| match spec {
        Value::String(req) => dep.req = Some(req.clone()),
        Value::Table(t) => {
            if let Some(p) = t.get("package").and_then(Value::as_str) {
                dep.package = p.to_string();
            }
            if let Some(v) = t.get("version").and_then(Value::as_str) {
                dep.req = Some(v.to_string());
            }
            if let Some(p) = t.get("path").and_then(Value::as_str) {
                dep.path = join(base, p);
            }
            if t.get("optional").and_then(Value::as_bool) == Some(true) {
                dep.optional = true;
            }
        }
        _ => {}
    };
    let inherits = spec.get("workspace").and_then(Value::as_bool) == Some(true);
    if inherits {
        if let Some(ws_spec) = inherited.dependencies.get(key) {
            // Paths in [workspace.dependencies] are relative to the workspace root.
            apply(ws_spec, &inherited.root);
        }
    }
    apply(spec, dir);
    dep
}

/// Expands a `members` entry (`crates/*`, `tools/cli`) to directories holding a Cargo.toml.
fn expand_member_pattern(tree: &dyn Tree, base: &str, pattern: &str) -> Vec<String> {
    let mut dirs = crate::tree::expand_dirs(tree, base, pattern);
    dirs.retain(|d| tree.is_file(&join(d, "Cargo.toml").unwrap_or_default()));
    dirs
}

fn strings(table: Option<&Table>, key: &str) -> Vec<String> {
    table
        .and_then(|t| t.get(key))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}
