//! The Cargo collector: `Cargo.lock` (v1–v4) with the workspace's `Cargo.toml` files.
//!
//! The lockfile gives the exact packages, sources, checksums and edges; the manifests tell
//! which path packages are workspace members (the roots) and whether each of their
//! dependencies is normal, optional, dev or build. Edges of non-member packages are all
//! `normal`: Cargo.lock does not record their kind.

mod lockfile;
mod manifest;
mod metadata;
mod source;

use super::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Component, ComponentId, DependencyKind, Ecosystem, Edge, Hash, HashAlgorithm, Purpose, Role, Source,
};
use lockfile::{LockPackage, Lockfile};
use manifest::{DeclaredKind, Member, Workspace};
use std::collections::BTreeSet;

pub struct CargoLock;

impl Collector for CargoLock {
    fn id(&self) -> &'static str {
        "cargo-lock"
    }

    fn file_names(&self) -> &'static str {
        "Cargo.lock (with the workspace's Cargo.toml files)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "Cargo.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let fail = |line, msg: String| Diagnostic::error(file.path, line, msg);
        if file.bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(fail(
                None,
                "empty file: a Cargo.lock lists at least its own package".into(),
            ));
        }
        let text = crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| fail(line, msg))?;
        let lock = Lockfile::parse(text).map_err(|(line, msg)| fail(line, msg))?;
        if lock.packages.is_empty() {
            return Err(fail(None, "no [[package]] entries".into()));
        }
        let mut out = Collected::default();
        if lock.format > 4 {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                None,
                format!(
                    "lockfile version {} is newer than bomsight knows (4); read as version 4",
                    lock.format
                ),
            ));
        }
        let dir = crate::tree::parent(file.path);
        let workspace = manifest::load_workspace(ctx.tree, dir, &mut out.diagnostics);
        let reader = LockReader {
            file: file.path,
            lock: &lock,
            workspace: &workspace,
        };
        let nodes = reader.components(&mut out.diagnostics);
        reader.edges(&nodes, &mut out);
        for member in &workspace.members {
            if !nodes
                .iter()
                .flatten()
                .any(|n| n.member.is_some_and(|m| m.dir == member.dir))
            {
                out.diagnostics.push(Diagnostic::warning(
                    &member.manifest,
                    None,
                    format!(
                        "workspace member `{}` is not in {} (is the lockfile out of date?)",
                        member.name, file.path
                    ),
                ));
            }
        }
        out.components = nodes.into_iter().flatten().map(|n| n.component).collect();
        if ctx.options.cargo_metadata {
            metadata::enrich(ctx.tree, dir, &mut out.components, &mut out.diagnostics);
        }
        Ok(out)
    }
}

/// A lockfile package turned into a component, remembering the member it is (if any).
struct Node<'w> {
    component: Component,
    member: Option<&'w Member>,
}

struct LockReader<'a> {
    file: &'a str,
    lock: &'a Lockfile,
    workspace: &'a Workspace,
}

impl<'a> LockReader<'a> {
    /// One node per package, indexed like `lock.packages`; `None` for packages that are
    /// replaced (their dependents are pointed at the replacement) or could not be read.
    fn components(&self, diagnostics: &mut Vec<Diagnostic>) -> Vec<Option<Node<'a>>> {
        self.lock
            .packages
            .iter()
            .map(|p| {
                if p.replace.is_some() {
                    return None;
                }
                match self.component(p, diagnostics) {
                    Ok(node) => Some(node),
                    Err(message) => {
                        diagnostics.push(Diagnostic::error(self.file, p.line, message));
                        None
                    }
                }
            })
            .collect()
    }

    fn component(&self, p: &LockPackage, diagnostics: &mut Vec<Diagnostic>) -> Result<Node<'a>, String> {
        semver::Version::parse(&p.version)
            .map_err(|e| format!("package `{}`: version `{}` is not SemVer: {e}", p.name, p.version))?;
        let (source, member) = match &p.source {
            Some(s) => (
                source::parse_source(s).ok_or_else(|| format!("package `{}`: unknown source `{s}`", p.name))?,
                None,
            ),
            None => self.path_source(p),
        };
        let mut c = Component::new(Ecosystem::Cargo, None, &p.name, Some(&p.version), source)
            .map_err(|e| format!("package `{}`: cannot build a purl: {e}", p.name))?;
        if c.source == (Source::Path { path: None }) {
            // Unknown directory: the lockfile keeps two unrelated local crates apart.
            c.id = ComponentId::from(format!(
                "{} (path in {})",
                c.purl.as_deref().unwrap_or(&p.name),
                self.file
            ));
        }
        if member.is_some() || (p.source.is_none() && !self.workspace.complete && !self.is_known_path_dependency(p)) {
            c.role = Role::Project;
        }
        if member.is_some_and(|m| m.application) {
            c.purpose = Purpose::Application;
        }
        if let Some(sum) = &p.checksum {
            match Hash::from_hex(HashAlgorithm::Sha256, sum) {
                Ok(h) => {
                    c.hashes.insert(h);
                }
                Err(e) => diagnostics.push(Diagnostic::warning(
                    self.file,
                    p.line,
                    format!("package `{}`: checksum ignored: {e}", p.name),
                )),
            }
        }
        c.found_in(self.file, p.line);
        if let Some(m) = member {
            c.found_in(m.manifest.as_str(), None);
        }
        Ok(Node { component: c, member })
    }

    /// A package without `source` is a workspace member or a path dependency.
    fn path_source(&self, p: &LockPackage) -> (Source, Option<&'a Member>) {
        if let Some(m) = self
            .workspace
            .members
            .iter()
            .find(|m| m.name == p.name && m.version == p.version)
        {
            return (
                Source::Path {
                    path: Some(m.dir.clone()),
                },
                Some(m),
            );
        }
        let dirs = self.workspace.path_dependencies.get(&p.name);
        let path = dirs.filter(|d| d.len() == 1).and_then(|d| d.iter().next().cloned());
        (Source::Path { path }, None)
    }

    fn is_known_path_dependency(&self, p: &LockPackage) -> bool {
        self.workspace.path_dependencies.contains_key(&p.name)
    }

    fn edges(&self, nodes: &[Option<Node<'a>>], out: &mut Collected) {
        for (i, p) in self.lock.packages.iter().enumerate() {
            let Some(from) = &nodes[i] else { continue };
            for dep in &p.dependencies {
                let target = self.lock.resolve(dep).and_then(|t| self.follow_replace(t));
                let to = match target {
                    Ok(t) => match &nodes[t] {
                        Some(n) => n,
                        None => continue, // already reported as unreadable
                    },
                    Err(message) => {
                        out.diagnostics.push(Diagnostic::error(
                            self.file,
                            p.line,
                            format!("package `{}`: {message}", p.name),
                        ));
                        continue;
                    }
                };
                for kind in edge_kinds(from.member, &to.component) {
                    out.edges.push(Edge {
                        from: from.component.id.clone(),
                        to: to.component.id.clone(),
                        kind,
                    });
                }
            }
        }
    }

    fn follow_replace(&self, mut index: usize) -> Result<usize, String> {
        for _ in 0..self.lock.packages.len() {
            match &self.lock.packages[index].replace {
                Some(r) => index = self.lock.resolve(r)?,
                None => return Ok(index),
            }
        }
        Err("`replace` entries form a cycle".into())
    }
}

/// The kinds of a member's edge to a package, from how the member's manifest declares it.
/// Packages that are not members (or whose manifest does not mention the dependency, as
/// with `[patch]`) get `normal`.
fn edge_kinds(member: Option<&Member>, target: &Component) -> BTreeSet<DependencyKind> {
    let version = target.version.as_deref().and_then(|v| semver::Version::parse(v).ok());
    let declared = member
        .into_iter()
        .flat_map(|m| &m.deps)
        .filter(|d| d.package == target.name)
        .filter(|d| match (&d.req, &version) {
            (Some(req), Some(v)) => semver::VersionReq::parse(req).map_or(true, |r| r.matches(v)),
            _ => true,
        });
    let mut kinds: BTreeSet<DependencyKind> = declared
        .map(|d| match (d.kind, d.optional) {
            (DeclaredKind::Dev, _) => DependencyKind::Dev,
            (DeclaredKind::Build, _) => DependencyKind::Build,
            (DeclaredKind::Normal, true) => DependencyKind::Optional,
            (DeclaredKind::Normal, false) => DependencyKind::Normal,
        })
        .collect();
    if kinds.is_empty() {
        kinds.insert(DependencyKind::Normal);
    }
    kinds
}
