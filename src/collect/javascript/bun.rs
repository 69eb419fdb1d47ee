//! `bun.lock`, Bun's text lockfile (JSON with trailing commas): `workspaces` (the projects)
//! and `packages` keyed by install path (`dep`, `parent/dep` for a nested copy). A dependency
//! resolves from the dependent's own path upward to the top, as Node would find it.

use super::package_json::with_dependency_maps;
use crate::borrowed_text::Text;
use crate::collect::in_order::InOrder;
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, ComponentId, DependencyKind, Edge, Source};
use crate::tree::{join, parent};
use foldhash::{HashMap, HashMapExt};
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<u32>,
    #[serde(default)]
    workspaces: BTreeMap<String, Workspace>,
    /// In the file's order (see [`InOrder`]), texts pointing into the file (see [`Text`]).
    #[serde(default, borrow)]
    packages: InOrder<Text<'a>, Vec<Element<'a>>>,
}

/// One element of a package entry's array: `["name@1.0.0", "registry", {info}, "sha512-…"]`
/// for a registry package, shorter arrays for git, file and tarball ones. Read by kind as
/// the document is parsed (no JSON value built and read again).
enum Element<'a> {
    Text(Text<'a>),
    Info(Info<'a>),
    /// A number, boolean, null or array: no entry has one where bomsight looks.
    Other,
}

impl Element<'_> {
    fn text(&self) -> Option<&str> {
        match self {
            Element::Text(t) => Some(t),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Element<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Element<'a>, D::Error> {
        struct ElementVisitor;
        impl<'de> Visitor<'de> for ElementVisitor {
            type Value = Element<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an element of a bun.lock package entry")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Element<'de>, E> {
                Ok(Element::Text(Text(Cow::Borrowed(v))))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Element<'de>, E> {
                Ok(Element::Text(Text(Cow::Owned(v.to_string()))))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Element<'de>, E> {
                Ok(Element::Text(Text(Cow::Owned(v))))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Element<'de>, A::Error> {
                Info::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Element::Info)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Element::Other)
            }

            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Element<'de>, E> {
                Ok(Element::Other)
            }

            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Element<'de>, E> {
                Ok(Element::Other)
            }

            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Element<'de>, E> {
                Ok(Element::Other)
            }

            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Element<'de>, E> {
                Ok(Element::Other)
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Element<'de>, E> {
                Ok(Element::Other)
            }
        }
        deserializer.deserialize_any(ElementVisitor)
    }
}

with_dependency_maps! {
    String => IgnoredAny;
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Workspace {
        name: Option<String>,
        version: Option<String>,
    }
}

with_dependency_maps! {
    Text<'a> => IgnoredAny, #[serde(borrow)];
    /// The dependency information of a package entry (names only: no range is read).
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct Info<'a> {
        #[serde(default, borrow)]
        optional_peers: Vec<Text<'a>>,
    }
}

pub struct BunLock;

impl Collector for BunLock {
    fn id(&self) -> &'static str {
        "bun-lock"
    }

    fn file_names(&self) -> &'static str {
        "bun.lock (text lockfile, lockfileVersion 0, 1 and 2)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "bun.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let json = super::strip_jsonc(text);
        let wire: Wire = crate::collect::parse_json(file.path, &json, "bun.lock")?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        if let Some(v) = wire.lockfile_version.filter(|v| *v > 2) {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                None,
                format!("lockfileVersion {v} is newer than bomsight knows (2)"),
            ));
        }
        let lines = key_lines(text);
        let mut ids: HashMap<&str, ComponentId> = HashMap::with_capacity(wire.packages.0.len() + wire.workspaces.len());
        let mut infos: Vec<(&str, &Info)> = Vec::with_capacity(wire.packages.0.len());
        let mut components =
            crate::collect::distinct::DistinctComponents::with_capacity(wire.packages.0.len() + wire.workspaces.len());
        let mut workspace_ids: HashMap<String, ComponentId> = HashMap::new();
        // Workspaces first: packages entries of `name@workspace:path` point at them.
        let mut projects: Vec<(&str, &Workspace, Component)> = Vec::new();
        for (path, ws) in &wire.workspaces {
            let wdir = join(dir, path).unwrap_or_else(|| dir.to_string());
            // bun.lock leaves out the root's version: the package.json has it.
            let manifest = if ws.version.is_none() {
                super::package_json::PackageJson::load(ctx.tree, &wdir).ok().flatten()
            } else {
                None
            };
            let version = ws.version.clone().or_else(|| manifest.and_then(|m| m.version));
            let c = super::project(ws.name.as_deref(), version.as_deref(), &wdir, file.path)
                .map_err(|m| Diagnostic::error(file.path, None, m))?;
            workspace_ids.insert(path.clone(), c.id.clone());
            projects.push((path, ws, c));
        }
        let by_key = wire.packages.by_key();
        for (key, entry) in wire.packages.counted(&by_key) {
            let line = lines.get(key).copied();
            let ident = entry.first().and_then(Element::text).ok_or_else(|| {
                Diagnostic::error(
                    file.path,
                    line,
                    format!("`{key}`: entry does not start with NAME@VERSION"),
                )
            })?;
            let (name, reference) = super::yarn_berry::split_descriptor(ident)
                .ok_or_else(|| Diagnostic::error(file.path, line, format!("`{key}`: `{ident}` is not NAME@VERSION")))?;
            if let Some(path) = reference.strip_prefix("workspace:") {
                if let Some(id) = workspace_ids.get(path) {
                    ids.insert(key, id.clone());
                }
                continue;
            }
            let (c, info) = package(name, reference, entry, dir)
                .map_err(|m| Diagnostic::error(file.path, line, format!("`{key}`: {m}")))?;
            let mut c = c;
            c.found_in(file.path, line);
            ids.insert(key, c.id.clone());
            if let Some(info) = info {
                infos.push((key, info));
            }
            components.add(c);
        }
        for &(key, info) in &infos {
            for (dep, kind) in info.maps().edges(false) {
                let optional_peer = kind == DependencyKind::Peer && info.optional_peers.iter().any(|p| &**p == dep);
                let kind = if optional_peer { DependencyKind::Optional } else { kind };
                match resolve(&ids, key, dep) {
                    Some(to) => out.edges.push(Edge {
                        from: ids[key].clone(),
                        to,
                        kind,
                    }),
                    None if kind == DependencyKind::Optional => {}
                    None => out.diagnostics.push(Diagnostic::warning(
                        file.path,
                        lines.get(key).copied(),
                        format!("`{key}` depends on `{dep}`, which is not in the lockfile"),
                    )),
                }
            }
        }
        for (path, ws, c) in &projects {
            let start = if path.is_empty() {
                String::new()
            } else {
                ws.name.clone().unwrap_or_default()
            };
            for (dep, kind) in ws.maps().edges(true) {
                match resolve(&ids, &start, dep) {
                    Some(to) => out.edges.push(Edge {
                        from: c.id.clone(),
                        to,
                        kind,
                    }),
                    None if kind == DependencyKind::Optional => {}
                    None => out.diagnostics.push(Diagnostic::warning(
                        file.path,
                        None,
                        format!("workspace `{path}` depends on `{dep}`, which is not in the lockfile"),
                    )),
                }
            }
        }
        out.components.extend(projects.into_iter().map(|(_, _, c)| c));
        components.append_to(&mut out.components);
        Ok(out)
    }
}

fn package<'e, 'a>(
    name: &str,
    reference: &str,
    entry: &'e [Element<'a>],
    dir: &str,
) -> Result<(Component, Option<&'e Info<'a>>), String> {
    let info_at = |i: usize| match entry.get(i) {
        Some(Element::Info(info)) => Some(info),
        _ => None,
    };
    let (version, source, info, integrity) =
        if reference.starts_with("github:") || reference.starts_with("git+") || reference.starts_with("git:") {
            (None, super::git_source(reference), info_at(1), None)
        } else if let Some(path) = reference
            .strip_prefix("file:")
            .or_else(|| reference.strip_prefix("link:"))
        {
            (
                None,
                Source::Path {
                    path: join(dir, path).or_else(|| Some(path.to_string())),
                },
                info_at(1),
                None,
            )
        } else if reference.contains("://") {
            (
                None,
                Source::Url {
                    url: reference.to_string(),
                },
                info_at(1),
                entry.get(2).and_then(Element::text),
            )
        } else {
            let registry = entry.get(1).and_then(Element::text).filter(|r| !r.is_empty());
            let source = match registry {
                Some(r) => super::resolved_source(Some(r), dir),
                None => Source::DefaultRegistry,
            };
            (
                Some(reference.to_string()),
                source,
                info_at(2),
                entry.get(3).and_then(Element::text),
            )
        };
    let mut c = super::package(name, version.as_deref(), source)?;
    if let Some(i) = integrity {
        c.hashes = super::parse_integrity(i)?;
    }
    Ok((c, info))
}

/// `a/b/c` → `a/b`; scoped names count as one: `@s/a/b` → `@s/a`.
fn parent_key(key: &str) -> Option<&str> {
    let cut = key.rfind('/')?;
    let head = &key[..cut];
    match head.rfind('/') {
        Some(i) if head[i + 1..].starts_with('@') => Some(&head[..i]),
        None if head.starts_with('@') => None,
        _ => Some(head),
    }
}

/// `from/dep`, then the same from each key above, then `dep` at the top.
fn resolve(ids: &HashMap<&str, ComponentId>, from: &str, dep: &str) -> Option<ComponentId> {
    let mut at = Some(from).filter(|f| !f.is_empty());
    let mut path = String::with_capacity(from.len() + 1 + dep.len());
    while let Some(key) = at {
        if let Some(id) = ids.get(super::lookup_key(&mut path, &[key, "/", dep])) {
            return Some(id.clone());
        }
        at = parent_key(key);
    }
    ids.get(dep).cloned()
}

/// Line of each `    "KEY": [` under `packages`.
fn key_lines(text: &str) -> HashMap<&str, usize> {
    // One searcher for every line: `str::find` would set one up per line.
    let key_end = memchr::memmem::Finder::new("\": [");
    super::key_lines_after(text, "    \"", |rest| {
        key_end.find(rest.as_bytes()).map(|end| &rest[..end])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_keys_respect_scopes() {
        assert_eq!(parent_key("a/b"), Some("a"));
        assert_eq!(parent_key("@s/a/b"), Some("@s/a"));
        assert_eq!(parent_key("a/@s/b"), Some("a"));
        assert_eq!(parent_key("@s/a/@t/b"), Some("@s/a"));
        assert_eq!(parent_key("@s/a"), None);
        assert_eq!(parent_key("a"), None);
    }
}
