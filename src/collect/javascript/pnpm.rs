//! `pnpm-lock.yaml`, lockfileVersion 5.x, 6.0 and 9.0: importers (the workspace's projects),
//! packages and (9.0) snapshots. Dependency references carry the exact version, with peer
//! suffixes (`1.0.0(react@18.2.0)`, 5.x: `1.0.0_react@18.2.0`) that name the variant the
//! dependent uses; variants of one name@version are one component.

use super::package_json::PackageJson;
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::fast_node::Node;
use crate::model::{Component, ComponentId, DependencyKind, Edge, Scope, Source};
use crate::tree::{join, parent};
use foldhash::{HashMap, HashMapExt};

pub struct PnpmLock;

/// Which key and reference syntax a lockfile uses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// 5.x: `/name/1.0.0_peer@1`
    V5,
    /// 6.0: `/name@1.0.0(peer@1)`
    V6,
    /// 9.0: `name@1.0.0(peer@1)`, with `snapshots`
    V9,
}

impl Collector for PnpmLock {
    fn id(&self) -> &'static str {
        "pnpm-lock"
    }

    fn file_names(&self) -> &'static str {
        "pnpm-lock.yaml (lockfileVersion 5.x, 6.0, 9.0)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "pnpm-lock.yaml"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let doc = crate::collect::parse_yaml_node(file.path, text, "pnpm-lock.yaml")?;
        let Some(version) = doc.get("lockfileVersion").and_then(str_of) else {
            return Err(Diagnostic::error(file.path, None, "no lockfileVersion"));
        };
        let syntax = match version.split('.').next().and_then(|m| m.parse::<u32>().ok()) {
            Some(5) => Syntax::V5,
            Some(6..=8) => Syntax::V6,
            Some(9..) => Syntax::V9,
            _ => {
                return Err(Diagnostic::error(
                    file.path,
                    None,
                    format!("lockfileVersion {version} is not one bomsight reads (5.x, 6.0, 9.0)"),
                ))
            }
        };
        let reader = Reader {
            file: file.path,
            dir: parent(file.path),
            doc: Map(doc.entries().unwrap_or_default()),
            syntax,
            lines: key_lines(text),
        };
        reader.read(ctx)
    }
}

struct Reader<'a> {
    file: &'a str,
    dir: &'a str,
    doc: Map<'a, 'a>,
    syntax: Syntax,
    lines: HashMap<&'a str, usize>,
}

/// A mapping of the document: its entries in document order.
#[derive(Clone, Copy, Default)]
struct Map<'n, 'a>(&'n [(Node<'a>, Node<'a>)]);

impl<'n, 'a> Map<'n, 'a> {
    /// The value of the entry whose key is the string `key`.
    fn get(self, key: &str) -> Option<&'n Node<'a>> {
        crate::fast_node::entry(self.0, key)
    }

    fn iter(self) -> impl Iterator<Item = (&'n Node<'a>, &'n Node<'a>)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    fn keys(self) -> impl Iterator<Item = &'n Node<'a>> {
        self.0.iter().map(|(k, _)| k)
    }

    fn values(self) -> impl Iterator<Item = &'n Node<'a>> {
        self.0.iter().map(|(_, v)| v)
    }

    fn len(self) -> usize {
        self.0.len()
    }

    /// [`Map::get`] for many lookups: by a hash of the string keys.
    fn index(self) -> HashMap<&'n str, &'n Node<'a>> {
        let mut index = HashMap::with_capacity(self.0.len());
        for (k, v) in self.0 {
            if let Some(k) = k.text() {
                index.insert(k, v);
            }
        }
        index
    }
}

fn map<'n, 'a>(v: Option<&'n Node<'a>>) -> Option<Map<'n, 'a>> {
    v.and_then(Node::entries).map(Map)
}

/// A string's text, or a number written as YAML wrote it (`lockfileVersion: 5.4`).
fn str_of(v: &Node<'_>) -> Option<String> {
    match v {
        Node::Str(s) => Some(s.to_string()),
        Node::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Reader<'_> {
    fn read(&self, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let mut out = Collected::default();
        let packages = map(self.doc.get("packages")).unwrap_or_default();
        let snapshots = map(self.doc.get("snapshots")).unwrap_or_default();
        let (package_at, snapshot_at) = (packages.index(), snapshots.index());
        // Every package (or snapshot) key → its component id; components by id.
        let mut ids: HashMap<String, ComponentId> = HashMap::with_capacity(packages.len().max(snapshots.len()));
        let mut components =
            crate::collect::distinct::DistinctComponents::with_capacity(packages.len().max(snapshots.len()));
        let variant_keys: Vec<String> = match self.syntax {
            Syntax::V9 => snapshots.keys().filter_map(str_of).collect(),
            _ => packages.keys().filter_map(str_of).collect(),
        };
        for key in &variant_keys {
            let base = self.base_key(key);
            let meta = map(package_at
                .get(base.as_str())
                .or_else(|| package_at.get(key.as_str()))
                .copied());
            let line = self.lines.get(key.as_str()).copied();
            let mut c = self
                .component(&base, meta)
                .map_err(|m| Diagnostic::error(self.file, line, m))?;
            c.found_in(self.file, line);
            ids.insert(key.clone(), c.id.clone());
            components.add(c);
        }
        let projects = self.importers(ctx, &ids, &mut out)?;
        for (dir, id) in &projects {
            ids.insert(format!("link:{dir}"), id.clone());
        }
        let entries = if self.syntax == Syntax::V9 {
            &snapshot_at
        } else {
            &package_at
        };
        for key in &variant_keys {
            let Some(entry) = map(entries.get(key.as_str()).copied()) else {
                continue;
            };
            for (section, kind) in [
                ("dependencies", DependencyKind::Normal),
                ("optionalDependencies", DependencyKind::Optional),
            ] {
                for (name, reference) in map(entry.get(section)).into_iter().flat_map(Map::iter) {
                    let (Some(name), Some(reference)) = (str_of(name), str_of(reference)) else {
                        continue;
                    };
                    // `link:packages/vue`: a workspace project, relative to the lockfile.
                    let linked = reference
                        .strip_prefix("link:")
                        .and_then(|rel| join(self.dir, rel))
                        .map(|d| format!("link:{d}"));
                    match ids.get(&linked.unwrap_or_else(|| self.reference_key(&name, &reference))) {
                        Some(to) => out.edges.push(Edge {
                            from: ids[key].clone(),
                            to: to.clone(),
                            kind,
                        }),
                        None if kind == DependencyKind::Optional => {}
                        None => out.diagnostics.push(Diagnostic::warning(
                            self.file,
                            self.lines.get(key.as_str()).copied(),
                            format!("`{key}`: `{name}: {reference}` names no package"),
                        )),
                    }
                }
            }
        }
        components.append_to(&mut out.components);
        Ok(out)
    }

    /// The projects: `importers` (workspaces), or the top-level maps of a single project.
    /// Returns each project's directory and id.
    fn importers(
        &self,
        ctx: &CollectContext<'_>,
        ids: &HashMap<String, ComponentId>,
        out: &mut Collected,
    ) -> Result<HashMap<String, ComponentId>, Diagnostic> {
        let importers: Vec<(String, Map)> = match map(self.doc.get("importers")) {
            Some(m) => m
                .iter()
                .filter_map(|(k, v)| Some((str_of(k)?, Map(v.entries()?))))
                .collect(),
            None => vec![(".".to_string(), self.doc)],
        };
        let link_names = self.link_names(&importers);
        let mut project_ids: HashMap<String, ComponentId> = HashMap::new();
        let mut projects = Vec::new();
        for (path, _) in &importers {
            let dir = join(self.dir, path).unwrap_or_else(|| self.dir.to_string());
            let manifest = PackageJson::load(ctx.tree, &dir).unwrap_or_else(|d| {
                out.diagnostics.push(d);
                None
            });
            // Without its package.json, a project is known by the name others link it as.
            let name = manifest
                .as_ref()
                .and_then(|m| m.name.as_deref())
                .or_else(|| link_names.get(&dir).map(String::as_str));
            if manifest.is_none() && name.is_none() && path != "." {
                out.diagnostics.push(Diagnostic::warning(
                    self.file,
                    None,
                    format!("importer `{path}`: no package.json and no link names it; named after its directory"),
                ));
            }
            let version = manifest.as_ref().and_then(|m| m.version.as_deref());
            let mut c =
                super::project(name, version, &dir, self.file).map_err(|m| Diagnostic::error(self.file, None, m))?;
            if manifest.is_some() {
                c.found_in(&join(&dir, "package.json").unwrap_or_default(), None);
            }
            project_ids.insert(dir.clone(), c.id.clone());
            projects.push(c);
        }
        for ((path, body), project) in importers.iter().zip(&projects) {
            let dir = join(self.dir, path).unwrap_or_else(|| self.dir.to_string());
            for (section, kind) in [
                ("dependencies", DependencyKind::Normal),
                ("devDependencies", DependencyKind::Dev),
                ("optionalDependencies", DependencyKind::Optional),
            ] {
                for (name, value) in map(body.get(section)).into_iter().flat_map(Map::iter) {
                    let Some(name) = str_of(name) else { continue };
                    // 6.0 and 9.0 write `{specifier, version}`; 5.x the version alone.
                    let reference = match value {
                        Node::Map(_) => value.get("version").and_then(str_of),
                        other => str_of(other),
                    };
                    let Some(reference) = reference else { continue };
                    let target = match reference.strip_prefix("link:") {
                        Some(rel) => join(&dir, rel).and_then(|d| project_ids.get(&d).cloned()),
                        None => ids.get(&self.reference_key(&name, &reference)).cloned(),
                    };
                    match target {
                        Some(to) => out.edges.push(Edge {
                            from: project.id.clone(),
                            to,
                            kind,
                        }),
                        None if reference.starts_with("link:") => {} // a link outside the workspace
                        None => out.diagnostics.push(Diagnostic::warning(
                            self.file,
                            None,
                            format!("importer `{path}`: `{name}: {reference}` names no package"),
                        )),
                    }
                }
            }
        }
        out.components.extend(projects);
        Ok(project_ids)
    }

    /// Project directories by the dependency name that `link:` references give them.
    fn link_names(&self, importers: &[(String, Map)]) -> HashMap<String, String> {
        let mut names = HashMap::new();
        let mut add = |base: &str, deps: Option<Map>| {
            for (name, value) in deps.into_iter().flat_map(Map::iter) {
                let reference = match value {
                    Node::Map(_) => value.get("version").and_then(str_of),
                    other => str_of(other),
                };
                if let (Some(name), Some(rel)) =
                    (str_of(name), reference.as_deref().and_then(|r| r.strip_prefix("link:")))
                {
                    if let Some(dir) = join(base, rel) {
                        names.entry(dir).or_insert(name);
                    }
                }
            }
        };
        for (path, body) in importers {
            let dir = join(self.dir, path).unwrap_or_else(|| self.dir.to_string());
            for section in ["dependencies", "devDependencies", "optionalDependencies"] {
                add(&dir, map(body.get(section)));
            }
        }
        for entries in [map(self.doc.get("snapshots")), map(self.doc.get("packages"))]
            .into_iter()
            .flatten()
        {
            for entry in entries.values().filter_map(|v| v.entries().map(Map)) {
                for section in ["dependencies", "optionalDependencies"] {
                    add(self.dir, map(entry.get(section)));
                }
            }
        }
        names
    }

    /// A key without its peer suffix.
    fn base_key(&self, key: &str) -> String {
        match self.syntax {
            Syntax::V5 => {
                // `/name/1.0.0_peer@1` → `/name/1.0.0`
                let (head, last) = key.rsplit_once('/').unwrap_or(("", key));
                format!("{head}/{}", last.split('_').next().unwrap_or(last))
            }
            _ => key.split('(').next().unwrap_or(key).to_string(),
        }
    }

    /// The package key a dependency reference names: a version (`1.0.0(peer@1)`), or a
    /// key of its own for aliases (`real@1.0.0`, 6.0: `/real@1.0.0`) and git packages
    /// (`github.com/o/r/COMMIT`).
    fn reference_key(&self, name: &str, reference: &str) -> String {
        match self.syntax {
            Syntax::V9 => {
                let bare = reference.split('(').next().unwrap_or(reference);
                let names_package = bare.get(1..).is_some_and(|b| b.contains('@'));
                if names_package {
                    reference.to_string()
                } else {
                    format!("{name}@{reference}")
                }
            }
            Syntax::V6 => {
                let bare = reference.split('(').next().unwrap_or(reference);
                if reference.starts_with('/') || bare.contains('/') {
                    reference.to_string()
                } else {
                    format!("/{name}@{reference}")
                }
            }
            Syntax::V5 => {
                let bare = reference.split('_').next().unwrap_or(reference);
                if reference.starts_with('/') || bare.contains('/') {
                    reference.to_string()
                } else {
                    format!("/{name}/{reference}")
                }
            }
        }
    }

    /// name and version of a base key (`name@1.0.0`, `/name@1.0.0`, `/name/1.0.0`), or of
    /// the entry's own `name`/`version` fields (git and tarball packages).
    fn name_version(&self, base: &str, meta: Option<Map>) -> Result<(String, Option<String>), String> {
        let field = |k: &str| meta.and_then(|m| m.get(k)).and_then(str_of);
        if let (Some(n), v) = (field("name"), field("version")) {
            return Ok((n, v));
        }
        let key = base.trim_start_matches('/');
        let split = match self.syntax {
            Syntax::V5 => key.rsplit_once('/'),
            _ => key
                .get(1..)
                .and_then(|k| k.find('@'))
                .map(|i| (&key[..i + 1], &key[i + 2..])),
        };
        let (name, version) = split.ok_or_else(|| format!("`{base}` is not NAME@VERSION"))?;
        Ok((name.to_string(), Some(version.to_string())))
    }

    fn component(&self, base: &str, meta: Option<Map>) -> Result<Component, String> {
        let (name, version) = self.name_version(base, meta)?;
        let resolution = meta.and_then(|m| map(m.get("resolution")));
        let get = |k: &str| resolution.and_then(|r| r.get(k)).and_then(str_of);
        let source = if let (Some(repo), Some(commit)) = (get("repo"), get("commit")) {
            Source::Git {
                url: repo,
                reference: None,
                revision: Some(commit),
            }
        } else if let Some(dir) = get("directory") {
            Source::Path {
                path: join(self.dir, &dir),
            }
        } else if let Some(tarball) = get("tarball") {
            super::resolved_source(Some(&tarball), self.dir)
        } else {
            Source::DefaultRegistry
        };
        // A version that is a URL (tarball and git dependencies of 9.0) is no version.
        let version = version.filter(|v| !v.contains("://") && !v.starts_with("file:"));
        let mut c = super::package(&name, version.as_deref(), source)?;
        if let Some(integrity) = get("integrity") {
            c.hashes = super::parse_integrity(&integrity)?;
        }
        let flag = |k: &str| meta.and_then(|m| m.get(k)).and_then(Node::as_bool) == Some(true);
        if flag("dev") {
            c.scope = Scope::Dev;
        } else if flag("optional") {
            c.scope = Scope::Optional;
        }
        if flag("requiresBuild") {
            c.properties.insert("npm:hasInstallScript".into(), "true".into());
        }
        if let Some(d) = meta.and_then(|m| m.get("deprecated")).and_then(str_of) {
            c.properties.insert("npm:deprecated".into(), d);
        }
        Ok(c)
    }
}

/// Line of each two-space-indented key (`  /ms@2.1.3:`, `  'ms@2.1.3':`).
fn key_lines(text: &str) -> HashMap<&str, usize> {
    super::key_lines_after(text, "  ", |rest| {
        let rest = (!rest.starts_with(' ')).then_some(rest)?.trim_end();
        let key = rest.strip_suffix(':').or_else(|| rest.strip_suffix(": {}"))?;
        Some(key.trim_matches('\''))
    })
}
