//! Resolving a pom offline: its parent chain, properties and managed versions, then its
//! dependencies as components and edges.

use super::pom::{Dep, Pom};
use crate::collect::{file_name, CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, ComponentId, DependencyKind, Ecosystem, Edge, Source};
use crate::tree::{join, parent, Tree, WalkFilter};
use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;

pub struct PomXml;

/// Every `pom.xml` of the repository (outside the directories a scan skips by default),
/// parsed once per scan, by path and by coordinates.
#[derive(Default)]
struct PomIndex {
    by_path: HashMap<String, Pom>,
    by_coordinates: HashMap<(String, String, String), Vec<String>>,
}

impl PomIndex {
    fn build(tree: &dyn Tree, walked: Option<&[String]>) -> PomIndex {
        let is_pom = |p: &str| file_name(p) == "pom.xml";
        // The scan's own list when it walked the same way (this collector claims every
        // pom.xml): a second walk of a monorepo costs as much as the first.
        let paths: Vec<String> = match walked {
            Some(files) => files.iter().filter(|p| is_pom(p)).cloned().collect(),
            None => tree.walk(&WalkFilter::new(&[], true).expect("no globs"), &is_pom).0,
        };
        // Read and parsed on every core: the scan's other threads wait for the index (or for
        // the memo's lock) meanwhile. By threads of the index's own: see `map_runs`.
        let read = crate::parallel::map_runs(&paths, 8, |run| {
            run.iter().map(|path| read_pom(tree, path)).collect::<Vec<_>>()
        });
        let mut index = PomIndex::default();
        for (path, pom) in paths.iter().zip(read.into_iter().flatten()) {
            let Some(pom) = pom else { continue };
            if let (Some(g), Some(v)) = (pom.group_id(), pom.version_id()) {
                let key = (g.to_string(), pom.artifact.clone(), v.to_string());
                index.by_coordinates.entry(key).or_default().push(path.clone());
            }
            index.by_path.insert(path.clone(), pom);
        }
        index
    }
}

fn read_pom(tree: &dyn Tree, path: &str) -> Option<Pom> {
    let text = String::from_utf8(tree.read(path).ok()?).ok()?;
    let root = crate::xml::parse(&text).ok()?;
    Pom::from_xml(path, &root).ok()
}

/// The poms of the repository: the shared index, plus parents named by a `relativePath`
/// that is not called `pom.xml`, read on demand.
struct Repo<'a> {
    tree: &'a dyn Tree,
    index: std::sync::Arc<PomIndex>,
    others: HashMap<String, Option<Pom>>,
}

impl<'a> Repo<'a> {
    fn new(ctx: &CollectContext<'a>) -> Repo<'a> {
        Repo {
            tree: ctx.tree,
            index: ctx
                .memo
                .get_or_init("maven-poms", || PomIndex::build(ctx.tree, ctx.walked)),
            others: HashMap::new(),
        }
    }

    fn load(&mut self, path: &str) -> Option<Pom> {
        if let Some(p) = self.index.by_path.get(path) {
            return Some(p.clone());
        }
        let tree = self.tree;
        self.others
            .entry(path.to_string())
            .or_insert_with(|| read_pom(tree, path))
            .clone()
    }

    /// The pom with these coordinates, preferring `hint` (a parent's relativePath).
    fn find(&mut self, group: &str, artifact: &str, version: &str, hint: Option<&str>) -> Option<Pom> {
        let matches =
            |p: &Pom| p.artifact == artifact && p.group_id() == Some(group) && p.version_id() == Some(version);
        if let Some(h) = hint {
            if let Some(p) = self.load(h).filter(matches) {
                return Some(p);
            }
        }
        let key = (group.to_string(), artifact.to_string(), version.to_string());
        let path = self.index.by_coordinates.get(&key)?.first()?;
        self.index.by_path.get(path).cloned()
    }
}

/// A pom with its parent chain (child first) and what the chain left unresolved.
struct Effective {
    chain: Vec<Pom>,
    properties: BTreeMap<String, String>,
    /// (group:artifact:type:classifier) → managed dependency
    managed: BTreeMap<String, Dep>,
    remote: Vec<String>,
}

fn key(d: &Dep) -> String {
    format!(
        "{}:{}:{}:{}",
        d.group,
        d.artifact,
        d.kind.as_deref().unwrap_or("jar"),
        d.classifier.as_deref().unwrap_or("")
    )
}

fn interpolate(text: &str, props: &BTreeMap<String, String>) -> String {
    let mut s = text.to_string();
    for _ in 0..10 {
        let Some(start) = s.find("${") else { break };
        let Some(len) = s[start..].find('}') else { break };
        let name = &s[start + 2..start + len];
        let Some(value) = props.get(name) else { break };
        s = format!("{}{}{}", &s[..start], value, &s[start + len + 1..]);
    }
    s
}

fn effective(pom: &Pom, repo: &mut Repo<'_>, depth: usize) -> Effective {
    let mut chain = vec![pom.clone()];
    let mut remote = Vec::new();
    while let Some((g, a, v, rel)) = chain.last().and_then(|p| p.parent.clone()) {
        if chain.len() > 32 {
            break;
        }
        let here = parent(&chain.last().expect("non-empty").path).to_string();
        let hint = join(&here, rel.as_deref().unwrap_or("../pom.xml")).map(|h| {
            if h.ends_with(".xml") {
                h
            } else {
                format!("{h}/pom.xml")
            }
        });
        match repo.find(&g, &a, &v, hint.as_deref()) {
            Some(p) => chain.push(p),
            None => {
                remote.push(format!("parent {g}:{a}:{v}"));
                break;
            }
        }
    }
    let mut properties = BTreeMap::new();
    for p in chain.iter().rev() {
        properties.extend(p.properties.clone());
    }
    let me = &chain[0];
    for (k, v) in [
        ("project.groupId", me.group_id()),
        ("project.artifactId", Some(me.artifact.as_str())),
        ("project.version", me.version_id()),
        ("pom.version", me.version_id()),
        ("version", me.version_id()),
        ("project.parent.version", me.parent.as_ref().map(|p| p.2.as_str())),
        ("project.parent.groupId", me.parent.as_ref().map(|p| p.0.as_str())),
    ] {
        if let Some(v) = v {
            properties.insert(k.to_string(), v.to_string());
        }
    }
    let mut managed: BTreeMap<String, Dep> = BTreeMap::new();
    let mut imports = Vec::new();
    for p in &chain {
        for d in &p.managed {
            let mut d = d.clone();
            d.group = interpolate(&d.group, &properties);
            d.artifact = interpolate(&d.artifact, &properties);
            d.version = d.version.map(|v| interpolate(&v, &properties));
            if d.scope.as_deref() == Some("import") && d.kind.as_deref() == Some("pom") {
                imports.push(d);
            } else {
                managed.entry(key(&d)).or_insert(d);
            }
        }
    }
    for bom in imports {
        let version = bom.version.clone().unwrap_or_default();
        let found = if depth < 8 {
            repo.find(&bom.group, &bom.artifact, &version, None)
        } else {
            None
        };
        match found {
            Some(b) => {
                let inner = effective(&b, repo, depth + 1);
                for (k, d) in inner.managed {
                    managed.entry(k).or_insert(d);
                }
                remote.extend(inner.remote);
            }
            None => remote.push(format!("{}:{}:{version}", bom.group, bom.artifact)),
        }
    }
    Effective {
        chain,
        properties,
        managed,
        remote,
    }
}

impl Collector for PomXml {
    fn id(&self) -> &'static str {
        "maven-pom"
    }

    fn file_names(&self) -> &'static str {
        "pom.xml (with the repository's parent and BOM poms)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "pom.xml"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let root = crate::collect::parse_xml(file.path, file.bytes, "pom.xml")?;
        let pom = Pom::from_xml(file.path, &root).map_err(|m| Diagnostic::error(file.path, None, m))?;
        let mut repo = Repo::new(ctx);
        let eff = effective(&pom, &mut repo, 0);
        let mut out = Collected::default();
        let group = pom
            .group_id()
            .map(|g| interpolate(g, &eff.properties))
            .unwrap_or_default();
        let version = pom.version_id().map(|v| interpolate(v, &eff.properties));
        let dir = parent(file.path);
        let me = project(&group, &pom.artifact, version.as_deref(), dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        // Dependencies are inherited from parents too (child first: its own win).
        let mut seen = std::collections::BTreeSet::new();
        let declared: Vec<Dep> = eff
            .chain
            .iter()
            .flat_map(|p| p.deps.clone())
            .filter(|d| seen.insert((d.group.clone(), d.artifact.clone(), d.classifier.clone())))
            .collect();
        for d in declared {
            let mut d = d;
            d.group = interpolate(&d.group, &eff.properties);
            d.artifact = interpolate(&d.artifact, &eff.properties);
            let managed = eff.managed.get(&key(&d));
            let version = d
                .version
                .as_ref()
                .map(|v| interpolate(v, &eff.properties))
                .or_else(|| managed.and_then(|m| m.version.clone()));
            let scope = d
                .scope
                .clone()
                .or_else(|| managed.and_then(|m| m.scope.clone()))
                .unwrap_or_else(|| "compile".into());
            let optional = d.optional.as_deref() == Some("true");
            let resolved = version.filter(|v| !v.contains("${"));
            let kind = match (scope.as_str(), optional) {
                ("test", _) => DependencyKind::Dev,
                ("provided", _) => DependencyKind::Build,
                (_, true) => DependencyKind::Optional,
                _ => DependencyKind::Normal,
            };
            let target = match reactor_module(&mut repo, &d, resolved.as_deref()) {
                Some(id) => id,
                None => {
                    let mut c =
                        dependency(&d, resolved.as_deref()).map_err(|m| Diagnostic::error(file.path, None, m))?;
                    c.properties.insert("maven:scope".into(), scope.clone());
                    if resolved.is_none() {
                        let reason = if eff.remote.is_empty() {
                            "no version declared or managed".to_string()
                        } else {
                            format!("the version can only come from {}", eff.remote.join(", "))
                        };
                        c.properties.insert("declared-range".into(), "(unresolved)".into());
                        out.diagnostics.push(Diagnostic::warning(
                            file.path,
                            None,
                            format!("{}:{}: {reason}; left unresolved", d.group, d.artifact),
                        ));
                    }
                    c.found_in(file.path, None);
                    let id = c.id.clone();
                    out.components.push(c);
                    id
                }
            };
            out.edges.push(Edge {
                from: me.id.clone(),
                to: target,
                kind,
            });
        }
        out.components.push(me);
        Ok(out)
    }
}

fn project(group: &str, artifact: &str, version: Option<&str>, dir: &str, manifest: &str) -> Result<Component, String> {
    crate::collect::project(
        Ecosystem::Maven,
        Some(group).filter(|g| !g.is_empty()),
        Some(artifact),
        version,
        dir,
        manifest,
    )
}

/// A dependency on another module of this repository is an edge to that project.
fn reactor_module(repo: &mut Repo<'_>, d: &Dep, version: Option<&str>) -> Option<ComponentId> {
    let p = repo.find(&d.group, &d.artifact, version?, None)?;
    let dir = parent(&p.path).to_string();
    project(&d.group, &d.artifact, version, &dir, &p.path)
        .ok()
        .map(|c| c.id)
}

fn dependency(d: &Dep, version: Option<&str>) -> Result<Component, String> {
    let mut c = Component::new(
        Ecosystem::Maven,
        Some(&d.group),
        &d.artifact,
        version,
        Source::DefaultRegistry,
    )
    .map_err(|e| format!("{}:{}: {e}", d.group, d.artifact))?;
    let mut qualifiers = Vec::new();
    if let Some(cl) = &d.classifier {
        qualifiers.push(("classifier", cl.as_str()));
    }
    if let Some(t) = d.kind.as_deref().filter(|t| *t != "jar") {
        qualifiers.push(("type", t));
    }
    if !qualifiers.is_empty() {
        let mut purl = packageurl::PackageUrl::new("maven", d.artifact.as_str()).map_err(|e| e.to_string())?;
        purl.with_namespace(d.group.as_str()).map_err(|e| e.to_string())?;
        if let Some(v) = version {
            purl.with_version(v).map_err(|e| e.to_string())?;
        }
        for (k, v) in qualifiers {
            purl.add_qualifier(k, v).map_err(|e| e.to_string())?;
        }
        c.purl = Some(purl.to_string().into());
        c.id = ComponentId::from(purl.to_string());
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory_tree::MemoryTree;

    #[test]
    fn the_index_from_the_scans_walk_is_the_index_from_a_walk_of_its_own() {
        let pom = |artifact: &str| {
            format!("<project><groupId>g</groupId><artifactId>{artifact}</artifactId><version>1</version></project>")
                .into_bytes()
        };
        let tree = MemoryTree::new([
            ("pom.xml".to_string(), pom("root")),
            ("a/pom.xml".to_string(), pom("a")),
            ("a/b/c/pom.xml".to_string(), pom("c")),
            ("a/parent.xml".to_string(), pom("other-name")),
            ("node_modules/x/pom.xml".to_string(), pom("skipped")),
            ("target/pom.xml".to_string(), pom("skipped-too")),
            ("Cargo.lock".to_string(), b"version = 3\n".to_vec()),
        ]);
        let filter = WalkFilter::new(&[], true).unwrap();
        let (walked, _) = tree.walk(&filter, &|p| crate::collect::collectors_for(p).next().is_some());
        let paths = |index: &PomIndex| {
            let mut p: Vec<String> = index.by_path.keys().cloned().collect();
            p.sort();
            p
        };
        let own = PomIndex::build(&tree, None);
        let shared = PomIndex::build(&tree, Some(&walked));
        assert_eq!(paths(&own), ["a/b/c/pom.xml", "a/pom.xml", "pom.xml"]);
        assert_eq!(paths(&shared), paths(&own));
        assert_eq!(shared.by_coordinates.len(), 3);
    }
}
