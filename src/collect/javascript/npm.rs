//! `package-lock.json` and `npm-shrinkwrap.json`, lockfileVersion 1, 2 and 3.
//!
//! v2 and v3 key every installed package by its `node_modules/...` path; a dependency
//! resolves as Node resolves it: the dependent's own `node_modules`, then each directory
//! above it, up to the root. Workspace packages (keys without `node_modules/`, reached through
//! `link: true` entries) are project roots. v1 nests `dependencies` trees with `requires`;
//! the same upward search applies to the nesting.

use super::package_json::{with_dependency_maps, PackageJson};
use crate::borrowed_text::Text;
use crate::collect::in_order::InOrder;
use crate::collect::{file_name, CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, ComponentId, DependencyKind, Edge, License, Role, Scope};
use crate::tree::{join, parent};
use foldhash::{HashMap, HashMapExt};
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::BTreeMap;

/// The lock's texts point into the file (see [`Text`]): most of an entry is names, versions
/// and URLs the reader only looks at.
#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
    #[serde(borrow)]
    version: Option<Text<'a>>,
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<u32>,
    /// In the file's order (see [`InOrder`]).
    #[serde(borrow)]
    packages: Option<InOrder<Text<'a>, WirePackage<'a>>>,
    /// v1's tree, kept unread: v2 repeats it beside `packages` for older npm versions, and
    /// only a lock without `packages` reads it.
    #[serde(borrow)]
    dependencies: Option<&'a RawValue>,
}

with_dependency_maps! {
    Text<'a> => IgnoredAny, #[serde(borrow)];
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct WirePackage<'a> {
        #[serde(borrow)]
        name: Option<Text<'a>>,
        #[serde(borrow)]
        version: Option<Text<'a>>,
        #[serde(borrow)]
        resolved: Option<Text<'a>>,
        #[serde(borrow)]
        integrity: Option<Text<'a>>,
        #[serde(default)]
        link: bool,
        #[serde(default)]
        dev: bool,
        #[serde(default)]
        optional: bool,
        #[serde(default)]
        dev_optional: bool,
        #[serde(default)]
        in_bundle: bool,
        #[serde(default)]
        has_install_script: bool,
        license: Option<Value>,
        deprecated: Option<Value>,
        workspaces: Option<Value>,
    }
}

#[derive(Deserialize)]
struct WireV1 {
    version: String,
    resolved: Option<String>,
    integrity: Option<String>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    bundled: bool,
    #[serde(default)]
    requires: BTreeMap<String, String>,
    #[serde(default)]
    dependencies: BTreeMap<String, WireV1>,
}

pub struct PackageLock;

impl Collector for PackageLock {
    fn id(&self) -> &'static str {
        "npm-package-lock"
    }

    fn file_names(&self) -> &'static str {
        "package-lock.json, npm-shrinkwrap.json (lockfileVersion 1, 2, 3)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        matches!(name, "package-lock.json" | "npm-shrinkwrap.json")
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let wire: Wire = crate::collect::parse_json(file.path, text, file_name(file.path))?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        if let Some(v) = wire.lockfile_version.filter(|v| *v > 3) {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                None,
                format!("lockfileVersion {v} is newer than bomsight knows (3); read as 3"),
            ));
        }
        match &wire.packages {
            Some(packages) => PackagesReader {
                file: file.path,
                dir,
                text,
                packages,
                by_key: packages.by_key(),
            }
            .read(&wire, &mut out)?,
            None => read_v1(file.path, dir, text, ctx, &wire, &mut out)?,
        }
        Ok(out)
    }
}

struct PackagesReader<'a> {
    file: &'a str,
    dir: &'a str,
    text: &'a str,
    /// In the file's order, for reading; `by_key` answers the lookups of Node's resolution (a
    /// few per edge, on keys that share long `node_modules/` prefixes), and says which entry
    /// of a key written twice counts (the last).
    packages: &'a InOrder<Text<'a>, WirePackage<'a>>,
    by_key: HashMap<&'a str, &'a WirePackage<'a>>,
}

impl<'a> PackagesReader<'a> {
    /// The entries that count, in the file's order.
    fn entries(&self) -> impl Iterator<Item = (&str, &WirePackage<'a>)> + '_ {
        self.packages.counted(&self.by_key)
    }

    fn read(&self, wire: &Wire, out: &mut Collected) -> Result<(), Diagnostic> {
        let lines = key_lines(self.text);
        // npm leaves `name` out of a workspace entry when it equals the folder name; the link
        // to it carries the name the workspace is installed under.
        let link_names: HashMap<&str, &str> = self
            .entries()
            .filter(|(_, e)| e.link)
            .filter_map(|(k, e)| Some((e.resolved.as_deref()?, installed_name(k)?)))
            .collect();
        let root_entry = self.by_key.get("");
        let workspace_globs = workspace_patterns(root_entry.and_then(|r| r.workspaces.as_ref()));
        let mut ids: HashMap<&str, ComponentId> = HashMap::with_capacity(self.by_key.len());
        let mut components = crate::collect::distinct::DistinctComponents::with_capacity(self.by_key.len());
        for (key, entry) in self.entries() {
            if entry.link {
                continue;
            }
            let line = lines.get(key).copied();
            let c = self
                .component(key, entry, wire, &workspace_globs, link_names.get(key).copied())
                .map_err(|m| Diagnostic::error(self.file, line, m))?;
            let mut c = c;
            c.found_in(self.file, line);
            ids.insert(key, c.id.clone());
            components.add(c);
        }
        for (key, entry) in self.entries() {
            if entry.link {
                continue;
            }
            let from = &ids[key];
            let is_local = installed_name(key).is_none();
            for (name, kind) in entry.maps().edges(is_local) {
                match self.resolve(key, name) {
                    Some(target) => match ids.get(target) {
                        Some(to) => out.edges.push(Edge {
                            from: from.clone(),
                            to: to.clone(),
                            kind,
                        }),
                        None => out.diagnostics.push(Diagnostic::warning(
                            self.file,
                            lines.get(key).copied(),
                            format!("`{key}`: link for `{name}` points at `{target}`, which is not in the lockfile"),
                        )),
                    },
                    None if kind == DependencyKind::Optional => {}
                    None => out.diagnostics.push(Diagnostic::warning(
                        self.file,
                        lines.get(key).copied(),
                        format!(
                            "`{}` depends on `{name}`, which is not installed anywhere it can see",
                            if key.is_empty() { "(root)" } else { key }
                        ),
                    )),
                }
            }
        }
        components.append_to(&mut out.components);
        Ok(())
    }

    fn component(
        &self,
        key: &str,
        e: &WirePackage,
        wire: &Wire,
        workspaces: &[globset::GlobMatcher],
        link_name: Option<&str>,
    ) -> Result<Component, String> {
        if key.is_empty() {
            let name = e.name.as_deref().or(wire.name.as_deref());
            return super::project(
                name,
                e.version.as_deref().or(wire.version.as_deref()),
                self.dir,
                self.file,
            );
        }
        let Some(installed_as) = installed_name(key) else {
            let dir = join(self.dir, key).unwrap_or_else(|| key.to_string());
            let mut c = super::project(e.name.as_deref().or(link_name), e.version.as_deref(), &dir, self.file)?;
            if !workspaces.iter().any(|g| g.is_match(key)) {
                c.role = Role::Package; // a `file:` dependency, not a workspace
            }
            return Ok(c);
        };
        let name = e.name.as_deref().unwrap_or(installed_as);
        let mut c = super::package(
            name,
            e.version.as_deref(),
            super::resolved_source(e.resolved.as_deref(), self.dir),
        )?;
        if let Some(i) = &e.integrity {
            c.hashes = super::parse_integrity(i).map_err(|m| format!("`{key}`: {m}"))?;
        }
        if let Some(r) = e.resolved.as_ref().filter(|r| r.contains("://")) {
            c.properties.insert("npm:resolved".into(), r.to_string());
        }
        // The lock's flags hold for every copy at this path; merged copies take the
        // strongest, and the graph never makes a package more needed than npm says it is.
        c.scope = match (e.dev, e.optional, e.dev_optional) {
            (true, _, _) => Scope::Dev,
            (false, true, _) | (false, false, true) => Scope::Optional,
            _ => Scope::Required,
        };
        c.max_scope = c.scope;
        if name != installed_as {
            c.properties.insert("npm:alias".into(), installed_as.to_string());
        }
        if e.has_install_script {
            c.properties.insert("npm:hasInstallScript".into(), "true".into());
        }
        if e.in_bundle {
            c.properties.insert("npm:bundled".into(), "true".into());
        }
        if let Some(d) = &e.deprecated {
            c.properties.insert(
                "npm:deprecated".into(),
                d.as_str().map_or_else(|| d.to_string(), str::to_string),
            );
        }
        if let Some(l) = e.license.as_ref().and_then(license_text) {
            c.licenses.insert(License::parse(&l));
        }
        Ok(c)
    }

    /// Node's lookup: `KEY/node_modules/NAME`, then the same from each directory above.
    fn resolve<'k>(&'k self, from: &str, name: &str) -> Option<&'k str> {
        let mut candidate = String::with_capacity(from.len() + name.len() + 14);
        let mut dir = from;
        loop {
            if !dir.ends_with("node_modules") {
                candidate.clear();
                if !dir.is_empty() {
                    candidate.push_str(dir);
                    candidate.push('/');
                }
                candidate.push_str("node_modules/");
                candidate.push_str(name);
                if let Some((&k, e)) = self.by_key.get_key_value(candidate.as_str()) {
                    return Some(if e.link {
                        e.resolved
                            .as_deref()
                            .map_or(k, |r| self.by_key.get_key_value(r).map_or(r, |(&rk, _)| rk))
                    } else {
                        k
                    });
                }
            }
            if dir.is_empty() {
                return None;
            }
            dir = parent(dir);
        }
    }
}

/// The name a `packages` key installs its package under: what follows its last
/// `node_modules/`; `None` for a key outside any (the root, a workspace, a `file:` folder).
/// (memchr's search: `str`'s sets up a two-way searcher on every call, three times an entry.)
fn installed_name(key: &str) -> Option<&str> {
    const DIR: &str = "node_modules/";
    memchr::memmem::rfind(key.as_bytes(), DIR.as_bytes()).map(|at| &key[at + DIR.len()..])
}

/// Line of each `"KEY": {` at the indentation npm writes `packages` keys with.
fn key_lines(text: &str) -> HashMap<&str, usize> {
    super::key_lines_after(text, "    \"", |rest| rest.strip_suffix("\": {"))
}

fn license_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("type").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

/// `workspaces` as an array of globs or `{ "packages": [...] }`.
pub fn workspace_globs(v: Option<&Value>) -> Vec<String> {
    let list = match v {
        Some(Value::Array(a)) => a.clone(),
        Some(Value::Object(o)) => o.get("packages").and_then(Value::as_array).cloned().unwrap_or_default(),
        _ => Vec::new(),
    };
    list.iter()
        .filter_map(Value::as_str)
        .map(|p| p.trim_start_matches("./").trim_end_matches('/').to_string())
        .collect()
}

fn workspace_patterns(v: Option<&Value>) -> Vec<globset::GlobMatcher> {
    workspace_globs(v)
        .iter()
        .filter_map(|p| globset::GlobBuilder::new(p).literal_separator(true).build().ok())
        .map(|g| g.compile_matcher())
        .collect()
}

/// One entry of a v1 tree, flattened: its parent entry and its nested entries by name.
struct V1Node<'a> {
    name: &'a str,
    dep: &'a WireV1,
    parent: Option<usize>,
    children: HashMap<&'a str, usize>,
}

/// lockfileVersion 1: the nested tree. The root's direct dependencies come from the
/// package.json beside the lock (v1 does not record them).
fn read_v1(
    path: &str,
    dir: &str,
    text: &str,
    ctx: &CollectContext<'_>,
    wire: &Wire,
    out: &mut Collected,
) -> Result<(), Diagnostic> {
    let manifest = PackageJson::load(ctx.tree, dir).unwrap_or_else(|d| {
        out.diagnostics.push(d);
        None
    });
    let name = wire
        .name
        .as_deref()
        .or_else(|| manifest.as_ref().and_then(|m| m.name.as_deref()));
    let root =
        super::project(name, wire.version.as_deref(), dir, path).map_err(|m| Diagnostic::error(path, None, m))?;
    let top_level: BTreeMap<String, WireV1> = match wire.dependencies {
        Some(raw) => crate::collect::parse_json_part(path, text, raw.get(), file_name(path))?,
        None => BTreeMap::new(),
    };
    // Flatten with an explicit work list: no recursion, however deep the tree.
    let mut nodes: Vec<V1Node> = Vec::new();
    let mut top: HashMap<&str, usize> = HashMap::new();
    let mut pending: Vec<(Option<usize>, &BTreeMap<String, WireV1>)> = vec![(None, &top_level)];
    while let Some((parent_node, entries)) = pending.pop() {
        for (name, dep) in entries {
            let index = nodes.len();
            nodes.push(V1Node {
                name,
                dep,
                parent: parent_node,
                children: HashMap::new(),
            });
            match parent_node {
                Some(p) => {
                    nodes[p].children.insert(name, index);
                }
                None => {
                    top.insert(name, index);
                }
            }
            if !dep.dependencies.is_empty() {
                pending.push((Some(index), &dep.dependencies));
            }
        }
    }
    let mut ids = Vec::with_capacity(nodes.len());
    for node in &nodes {
        let c = v1_component(node.name, node.dep, dir).map_err(|m| Diagnostic::error(path, None, m))?;
        ids.push(c.id.clone());
        out.components.push(c);
    }
    let resolve = |from: Option<usize>, name: &str| -> Option<usize> {
        let mut at = from;
        while let Some(i) = at {
            if let Some(&found) = nodes[i].children.get(name) {
                return Some(found);
            }
            at = nodes[i].parent;
        }
        top.get(name).copied()
    };
    for (i, node) in nodes.iter().enumerate() {
        for required in node.dep.requires.keys() {
            match resolve(Some(i), required) {
                Some(t) => out.edges.push(Edge {
                    from: ids[i].clone(),
                    to: ids[t].clone(),
                    kind: DependencyKind::Normal,
                }),
                None => out.diagnostics.push(Diagnostic::warning(
                    path,
                    None,
                    format!("`{}` requires `{required}`, which is not in the lockfile", node.name),
                )),
            }
        }
    }
    match &manifest {
        Some(m) => {
            for (dep, kind) in m.deps.edges(true) {
                if let Some(t) = resolve(None, dep) {
                    out.edges.push(Edge {
                        from: root.id.clone(),
                        to: ids[t].clone(),
                        kind,
                    });
                }
            }
        }
        None => {
            // Without package.json: the top-level entries nothing else requires.
            let required: foldhash::HashSet<&str> = nodes
                .iter()
                .flat_map(|n| n.dep.requires.keys())
                .map(String::as_str)
                .collect();
            for (name, &t) in top.iter().filter(|(n, _)| !required.contains(**n)) {
                let dep = nodes[t].dep;
                let kind = if dep.dev {
                    DependencyKind::Dev
                } else if dep.optional {
                    DependencyKind::Optional
                } else {
                    DependencyKind::Normal
                };
                let _ = name;
                out.edges.push(Edge {
                    from: root.id.clone(),
                    to: ids[t].clone(),
                    kind,
                });
            }
        }
    }
    out.components.push(root);
    Ok(())
}

fn v1_component(installed_as: &str, dep: &WireV1, dir: &str) -> Result<Component, String> {
    // `npm:real@1.0.0` aliases; `git+…#commit` and `file:` versions have no semver version.
    let (name, version, source) = if let Some(alias) = dep.version.strip_prefix("npm:") {
        let at = alias
            .rfind('@')
            .filter(|&i| i > 0)
            .ok_or_else(|| format!("`{installed_as}`: alias `{}` has no version", dep.version))?;
        (
            alias[..at].to_string(),
            Some(alias[at + 1..].to_string()),
            super::resolved_source(dep.resolved.as_deref(), dir),
        )
    } else if dep.version.contains(':') {
        (
            installed_as.to_string(),
            None,
            super::resolved_source(Some(&dep.version), dir),
        )
    } else {
        (
            installed_as.to_string(),
            Some(dep.version.clone()),
            super::resolved_source(dep.resolved.as_deref(), dir),
        )
    };
    let mut c = super::package(&name, version.as_deref(), source)?;
    if let Some(i) = &dep.integrity {
        c.hashes = super::parse_integrity(i).map_err(|m| format!("`{installed_as}`: {m}"))?;
    }
    if let Some(r) = dep.resolved.as_ref().filter(|r| r.contains("://")) {
        c.properties.insert("npm:resolved".into(), r.clone());
    }
    c.scope = if dep.dev {
        Scope::Dev
    } else if dep.optional {
        Scope::Optional
    } else {
        Scope::Required
    };
    c.max_scope = c.scope;
    if name != installed_as {
        c.properties.insert("npm:alias".into(), installed_as.to_string());
    }
    if dep.bundled {
        c.properties.insert("npm:bundled".into(), "true".into());
    }
    Ok(c)
}
