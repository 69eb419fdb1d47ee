//! `composer.lock`: `packages` and `packages-dev` (development only), each with `require`
//! (the edges, resolved by name or through another package's `replace`/`provide`), `source`
//! and `dist` (type, URL, reference, SHA-1 `shasum`), `license` (a list means a choice) and
//! descriptive fields. Platform requirements (`php`, `ext-*`) are not components.

use super::is_platform;
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Edge, Hash, HashAlgorithm, License, Scope, Source};
use crate::tree::{join, parent};
use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Wire {
    #[serde(default)]
    packages: Vec<Package>,
    #[serde(default, rename = "packages-dev")]
    packages_dev: Vec<Package>,
    #[serde(rename = "content-hash")]
    content_hash: Option<String>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    source: Option<Location2>,
    dist: Option<Dist>,
    #[serde(default)]
    require: BTreeMap<String, String>,
    #[serde(default)]
    replace: BTreeMap<String, String>,
    #[serde(default)]
    provide: BTreeMap<String, String>,
    #[serde(default)]
    license: Licenses,
    description: Option<String>,
    homepage: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "notification-url")]
    notification_url: Option<String>,
}

/// `source`: where the code lives in version control.
#[derive(Deserialize)]
struct Location2 {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    reference: Option<String>,
}

/// `dist`: the archive Composer downloads.
#[derive(Deserialize)]
struct Dist {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    reference: Option<String>,
    shasum: Option<String>,
}

/// `license` is a list, though old locks may hold a single string.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Licenses {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

/// `composer.json`: the project's own requirements.
#[derive(Deserialize)]
struct Manifest {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    require: BTreeMap<String, serde_json::Value>,
    #[serde(default, rename = "require-dev")]
    require_dev: BTreeMap<String, serde_json::Value>,
}

pub struct ComposerLock;

impl Collector for ComposerLock {
    fn id(&self) -> &'static str {
        "composer-lock"
    }

    fn file_names(&self) -> &'static str {
        "composer.lock (with composer.json)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "composer.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let wire: Wire = crate::collect::parse_json(file.path, text, "composer.lock")?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let manifest_path = join(dir, "composer.json").unwrap_or_default();
        let manifest: Option<Manifest> = match ctx.tree.read(&manifest_path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(m) => Some(m),
                Err(e) => {
                    out.diagnostics.push(Diagnostic::warning(
                        &manifest_path,
                        Some(e.line()),
                        format!("ignored: {}", crate::text::without_position(&e.to_string())),
                    ));
                    None
                }
            },
            Err(_) => None,
        };
        let (ns, name) = manifest
            .as_ref()
            .and_then(|m| m.name.as_deref())
            .map(split_name)
            .unzip();
        let version = manifest.as_ref().and_then(|m| m.version.as_deref());
        let mut root = crate::collect::project(Ecosystem::Composer, ns.flatten(), name, version, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        if let Some(h) = &wire.content_hash {
            root.properties.insert("composer:content-hash".into(), h.clone());
        }
        let all: Vec<(&Package, bool)> = wire
            .packages
            .iter()
            .map(|p| (p, false))
            .chain(wire.packages_dev.iter().map(|p| (p, true)))
            .collect();
        let mut built = Vec::with_capacity(all.len());
        for (p, dev) in &all {
            let c = component(p, *dev, dir, file.path)
                .map_err(|m| Diagnostic::error(file.path, None, format!("package `{}`: {m}", p.name)))?;
            built.push(c);
        }
        let resolver = Resolver::new(&all);
        for ((p, _), c) in all.iter().zip(&built) {
            for dep in p.require.keys().filter(|d| !is_platform(d)) {
                let targets = resolver.resolve(dep);
                if targets.is_empty() {
                    out.diagnostics.push(Diagnostic::warning(
                        file.path,
                        None,
                        format!("{}: requirement `{dep}` is not in the lock", p.name),
                    ));
                }
                for j in targets {
                    out.edges.push(edge(c, &built[j], DependencyKind::Normal));
                }
            }
        }
        match &manifest {
            Some(m) => {
                let requirements = m
                    .require
                    .keys()
                    .map(|d| (d, DependencyKind::Normal))
                    .chain(m.require_dev.keys().map(|d| (d, DependencyKind::Dev)));
                for (dep, kind) in requirements.filter(|(d, _)| !is_platform(d)) {
                    for j in resolver.resolve(dep) {
                        out.edges.push(edge(&root, &built[j], kind));
                    }
                }
            }
            None => {
                // Without the manifest, the packages nothing else requires are the direct ones.
                let required: foldhash::HashSet<usize> = all
                    .iter()
                    .flat_map(|(p, _)| p.require.keys().flat_map(|d| resolver.resolve(d)))
                    .collect();
                for (j, (_, dev)) in all.iter().enumerate().filter(|(j, _)| !required.contains(j)) {
                    let kind = if *dev {
                        DependencyKind::Dev
                    } else {
                        DependencyKind::Normal
                    };
                    out.edges.push(edge(&root, &built[j], kind));
                }
            }
        }
        out.components.extend(built);
        out.components.push(root);
        Ok(out)
    }
}

fn edge(from: &Component, to: &Component, kind: DependencyKind) -> Edge {
    Edge {
        from: from.id.clone(),
        to: to.id.clone(),
        kind,
    }
}

/// Finds the lock entries a requirement names: the package itself, or else the packages that
/// replace or provide that name. Composer names are case-insensitive.
struct Resolver {
    by_name: HashMap<String, usize>,
    by_alias: HashMap<String, Vec<usize>>,
}

impl Resolver {
    fn new(all: &[(&Package, bool)]) -> Resolver {
        let mut by_name = HashMap::with_capacity(all.len());
        let mut by_alias: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (p, _)) in all.iter().enumerate() {
            by_name.insert(p.name.to_ascii_lowercase(), i);
            for alias in p.replace.keys().chain(p.provide.keys()) {
                by_alias.entry(alias.to_ascii_lowercase()).or_default().push(i);
            }
        }
        Resolver { by_name, by_alias }
    }

    fn resolve(&self, name: &str) -> Vec<usize> {
        let key = name.to_ascii_lowercase();
        match self.by_name.get(&key) {
            Some(&i) => vec![i],
            None => self.by_alias.get(&key).cloned().unwrap_or_default(),
        }
    }
}

/// `vendor/name` → (vendor, name).
fn split_name(full: &str) -> (Option<&str>, &str) {
    match full.split_once('/') {
        Some((vendor, name)) => (Some(vendor), name),
        None => (None, full),
    }
}

fn component(p: &Package, dev: bool, dir: &str, path: &str) -> Result<Component, String> {
    let vcs = p.source.as_ref().filter(|s| s.kind.as_deref() == Some("git"));
    let dist_kind = p.dist.as_ref().and_then(|d| d.kind.as_deref());
    let branch = p.version.starts_with("dev-") || p.version.ends_with("-dev");
    let source = if dist_kind == Some("path") {
        Source::Path {
            path: p
                .dist
                .as_ref()
                .and_then(|d| d.url.as_deref())
                .and_then(|u| join(dir, u)),
        }
    } else if let (true, Some(v)) = (branch, vcs) {
        Source::Git {
            url: v.url.clone().unwrap_or_default(),
            reference: Some(format!("branch={}", p.version.trim_start_matches("dev-"))),
            revision: v.reference.clone(),
        }
    } else {
        Source::DefaultRegistry
    };
    let (vendor, name) = split_name(&p.name);
    let mut c = Component::new(Ecosystem::Composer, vendor, name, Some(&p.version), source)
        .map_err(|e| format!("cannot build a purl: {e}"))?;
    if let Some(sha) = p
        .dist
        .as_ref()
        .and_then(|d| d.shasum.as_deref())
        .filter(|s| !s.is_empty())
    {
        c.hashes
            .insert(Hash::from_hex(HashAlgorithm::Sha1, sha).map_err(|e| format!("dist shasum: {e}"))?);
    }
    let licenses: Vec<&String> = match &p.license {
        Licenses::None => Vec::new(),
        Licenses::One(l) => vec![l],
        Licenses::Many(ls) => ls.iter().collect(),
    };
    match licenses.as_slice() {
        [] => {}
        [one] => {
            c.licenses.insert(License::parse(one));
        }
        many => {
            let choice = many.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(" OR ");
            c.licenses.insert(License::parse(&format!("({choice})")));
        }
    }
    if dev {
        c.max_scope = Scope::Dev;
        c.properties.insert("composer:dev".into(), "true".into());
    }
    if let Some(v) = &p.source {
        if let Some(url) = &v.url {
            c.repository = Some(url.clone());
        }
        if let Some(r) = &v.reference {
            c.properties.insert("composer:source-reference".into(), r.clone());
        }
    }
    if let Some(d) = &p.dist {
        if let Some(url) = &d.url {
            c.properties.insert("composer:dist-url".into(), url.clone());
        }
        if let Some(r) = d.reference.as_ref().filter(|r| !r.is_empty()) {
            c.properties.insert("composer:dist-reference".into(), r.clone());
        }
    }
    if let Some(k) = &p.kind {
        c.properties.insert("composer:type".into(), k.clone());
    }
    if let Some(n) = &p.notification_url {
        c.properties.insert("composer:notification-url".into(), n.clone());
    }
    c.description = p.description.clone();
    c.homepage = p.homepage.clone();
    c.found_in(path, None);
    Ok(c)
}
