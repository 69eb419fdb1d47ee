//! Yarn 2+ ("berry") `yarn.lock`: YAML with `__metadata`, entries keyed by descriptors
//! (`name@npm:^1.0.0, name@npm:^1.1.0`) with `resolution`, `checksum`, `languageName`,
//! `linkType`, and the `workspace:`, `patch:`, `npm:` alias, git, file and link protocols.
//! Dependencies name descriptors, which resolve to exactly one entry.

use super::package_json::PeerMeta;
use crate::borrowed_text::Text;
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::SortedMap;
use crate::model::{Component, ComponentId, DependencyKind, Edge, Role, Source};
use crate::tree::{join, parent};
use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;

/// An entry's texts point into the file where the fast reader read it (see [`Text`]).
#[derive(Deserialize)]
struct Entry<'a> {
    version: Option<serde_yaml_ng::Value>,
    #[serde(borrow)]
    resolution: Option<Text<'a>>,
    #[serde(borrow, default)]
    dependencies: SortedMap<Text<'a>, Text<'a>>,
    #[serde(rename = "peerDependencies", borrow, default)]
    peer_dependencies: SortedMap<Text<'a>, Text<'a>>,
    #[serde(rename = "peerDependenciesMeta", borrow, default)]
    peer_dependencies_meta: SortedMap<Text<'a>, PeerMeta>,
    #[serde(rename = "dependenciesMeta", borrow, default)]
    dependencies_meta: SortedMap<Text<'a>, PeerMeta>,
    #[serde(borrow)]
    checksum: Option<Text<'a>>,
    /// `os=linux & cpu=x64`: installed only on matching platforms.
    #[serde(borrow)]
    conditions: Option<Text<'a>>,
    #[serde(rename = "linkType", borrow)]
    link_type: Option<Text<'a>>,
}

pub struct YarnBerryLock;

impl Collector for YarnBerryLock {
    fn id(&self) -> &'static str {
        "yarn-berry-lock"
    }

    fn file_names(&self) -> &'static str {
        "yarn.lock (Yarn 2 and later: YAML with __metadata)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "yarn.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        if !is_berry(text) {
            return Ok(Collected::default()); // yarn classic: the other collector's
        }
        // Typed at once (`__metadata` reads as an entry of unknown fields): a bad entry is
        // reported by the full parser, at the line of the bad value.
        let doc: SortedMap<Text, Entry> = crate::collect::parse_yaml(file.path, text, "yarn.lock")?;
        let dir = parent(file.path);
        let lines = header_lines(text);
        let mut out = Collected::default();
        let resolutions = resolutions(ctx, dir, &mut out);
        let entries: Vec<(Text, Entry)> = doc.into_iter().filter(|(key, _)| &**key != "__metadata").collect();
        let mut by_descriptor: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
        let mut ids: Vec<ComponentId> = Vec::with_capacity(entries.len());
        out.components.reserve(entries.len());
        for (i, (key, entry)) in entries.iter().enumerate() {
            for d in key.split(", ") {
                by_descriptor.insert(d.trim(), i);
            }
            let line = lines.get(&**key).copied();
            let mut c = component(key, entry, dir, ctx.tree).map_err(|m| Diagnostic::error(file.path, line, m))?;
            c.found_in(file.path, line);
            ids.push(c.id.clone());
            out.components.push(c);
        }
        let mut key_buf = String::new();
        for (i, (key, entry)) in entries.iter().enumerate() {
            // A workspace's entry lists dev and optional dependencies as plain ones: its
            // package.json tells them apart.
            let declared = workspace_manifest(key, entry, dir, ctx.tree);
            let kind_of = |name: &str| {
                if entry.dependencies_meta.get(name).is_some_and(|m| m.optional) {
                    return DependencyKind::Optional;
                }
                match &declared {
                    Some(d) if d.optional_dependencies.contains_key(name) => DependencyKind::Optional,
                    Some(d) if d.dev_dependencies.contains_key(name) && !d.dependencies.contains_key(name) => {
                        DependencyKind::Dev
                    }
                    _ => DependencyKind::Normal,
                }
            };
            let deps = entry.dependencies.iter().map(|(n, r)| (n, r, kind_of(n)));
            let peers = entry.peer_dependencies.iter().map(|(n, r)| {
                let optional = entry.peer_dependencies_meta.get(n).is_some_and(|m| m.optional);
                (
                    n,
                    r,
                    if optional {
                        DependencyKind::Optional
                    } else {
                        DependencyKind::Peer
                    },
                )
            });
            for (name, range, kind) in deps.chain(peers) {
                let mut lookup = |range: &str| {
                    by_descriptor
                        .get(super::lookup_key(&mut key_buf, &[&**name, "@", range]))
                        .or_else(|| by_descriptor.get(super::lookup_key(&mut key_buf, &[&**name, "@npm:", range])))
                        .copied()
                };
                // A `resolutions` override replaces the range the dependent asked for.
                let found = lookup(range).or_else(|| resolutions.get(&**name).and_then(|r| lookup(r)));
                match found {
                    Some(j) => out.edges.push(Edge {
                        from: ids[i].clone(),
                        to: ids[j].clone(),
                        kind,
                    }),
                    // Peers are provided by the dependent's parent, not locked per entry.
                    None if kind == DependencyKind::Peer || entry.peer_dependencies.contains_key(name) => {}
                    None if entry.peer_dependencies_meta.get(name).is_some_and(|m| m.optional) => {}
                    None => out.diagnostics.push(Diagnostic::warning(
                        file.path,
                        lines.get(&**key).copied(),
                        format!("`{key}`: dependency `{name}@{range}` has no entry"),
                    )),
                }
            }
        }
        Ok(out)
    }
}

/// The root package.json's `resolutions` that apply to a package wherever it is
/// (`"trim": "1.0.1"`, `"**/trim": "1.0.1"`), by package name.
fn resolutions(ctx: &CollectContext<'_>, dir: &str, out: &mut Collected) -> HashMap<String, String> {
    let manifest = super::package_json::PackageJson::load(ctx.tree, dir).unwrap_or_else(|d| {
        out.diagnostics.push(d);
        None
    });
    let Some(serde_json::Value::Object(map)) = manifest.and_then(|m| m.resolutions) else {
        return HashMap::new();
    };
    map.into_iter()
        .filter_map(|(pattern, range)| {
            let name = pattern.strip_prefix("**/").unwrap_or(&pattern);
            let plain = !name.contains('/') || name.starts_with('@') && name.matches('/').count() == 1;
            Some((name.to_string(), range.as_str()?.to_string())).filter(|_| plain)
        })
        .collect()
}

/// The declared dependencies of a workspace entry, from its package.json.
fn workspace_manifest(
    key: &str,
    e: &Entry,
    dir: &str,
    tree: &dyn crate::tree::Tree,
) -> Option<super::package_json::DeclaredDeps> {
    let resolution = e.resolution.as_deref().unwrap_or(key);
    let path = split_descriptor(resolution)?.1.strip_prefix("workspace:")?;
    let wdir = join(dir, path)?;
    super::package_json::PackageJson::load(tree, &wdir)
        .ok()
        .flatten()
        .map(|m| m.deps)
}

/// Berry lockfiles carry `__metadata`; classic ones say `# yarn lockfile v1`. Without
/// either, the first field line decides: `  version: 1.0.0` (YAML) or `  version "1.0.0"`.
pub fn is_berry(text: &str) -> bool {
    let head: Vec<&str> = text.lines().take(40).collect();
    if head.iter().any(|l| l.trim_end() == "__metadata:") {
        return true;
    }
    if head.iter().any(|l| l.starts_with("# yarn lockfile v1")) {
        return false;
    }
    let first_field = text.lines().find(|l| l.starts_with("  ") && !l.starts_with("   "));
    first_field.is_some_and(|l| l.trim_start().split_once(' ').is_some_and(|(k, _)| k.ends_with(':')))
}

fn component(key: &str, e: &Entry, dir: &str, tree: &dyn crate::tree::Tree) -> Result<Component, String> {
    let resolution: &str = match &e.resolution {
        Some(r) => r,
        None => key.split(", ").next().unwrap_or(key),
    };
    let (name, reference) =
        split_descriptor(resolution).ok_or_else(|| format!("`{resolution}` is not NAME@REFERENCE"))?;
    let version = e.version.as_ref().map(|v| match v {
        serde_yaml_ng::Value::String(s) => s.clone(),
        other => serde_yaml_ng::to_string(other).unwrap_or_default().trim().to_string(),
    });
    if let Some(path) = reference.strip_prefix("workspace:") {
        let dir = join(dir, path).unwrap_or_else(|| path.to_string());
        // Workspaces are locked as `0.0.0-use.local`; their package.json has the version.
        let version = version.filter(|v| v != "0.0.0-use.local").or_else(|| {
            super::package_json::PackageJson::load(tree, &dir)
                .ok()
                .flatten()
                .and_then(|m| m.version)
        });
        let mut c = super::project(
            Some(name),
            version.as_deref(),
            &dir,
            &join(&dir, "package.json").unwrap_or_default(),
        )?;
        c.role = Role::Project;
        return Ok(c);
    }
    let (source, patch) = match reference.split_once(':') {
        Some(("npm", _)) => (Source::DefaultRegistry, None),
        Some(("patch", inner)) => {
            // `patch:NAME@npm%3A1.0.0#PATCHFILE::version=1.0.0&hash=…`
            let patch_file = inner
                .split_once('#')
                .map(|(_, p)| p.split("::").next().unwrap_or(p).to_string());
            (Source::DefaultRegistry, patch_file)
        }
        Some(("file" | "portal" | "link", path)) => (
            Source::Path {
                path: join(dir, path.split("::").next().unwrap_or(path)),
            },
            None,
        ),
        _ if reference.starts_with("https://") || reference.starts_with("http://") => {
            if reference.contains(".git#") || reference.contains("#commit=") {
                (git_reference(reference), None)
            } else {
                (
                    Source::Url {
                        url: reference.to_string(),
                    },
                    None,
                )
            }
        }
        _ if reference.starts_with("git") || reference.starts_with("github:") => (git_reference(reference), None),
        _ => (
            Source::Url {
                url: reference.to_string(),
            },
            None,
        ),
    };
    let mut c = super::package(name, version.as_deref(), source)?;
    // Yarn's checksum is of its own cache archive, not of the package: it goes in a
    // property, so no consumer takes it for the registry tarball's digest.
    if let Some(sum) = &e.checksum {
        super::parse_hex_checksum(sum).map_err(|m| format!("`{key}`: {m}"))?;
        c.properties.insert("yarn:checksum".into(), sum.to_string());
    }
    if let Some(p) = patch {
        c.properties.insert("yarn:patch".into(), p);
    }
    if let Some(cond) = &e.conditions {
        c.properties.insert("yarn:conditions".into(), cond.to_string());
    }
    if e.link_type.as_deref() == Some("soft") {
        c.properties.insert("yarn:linkType".into(), "soft".into());
    }
    Ok(c)
}

/// `https://github.com/a/b.git#commit=abc` as a git source.
fn git_reference(reference: &str) -> Source {
    let (url, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let commit = fragment
        .split('&')
        .find_map(|kv| kv.strip_prefix("commit="))
        .map(str::to_string);
    let asked = fragment
        .split('&')
        .find(|kv| !kv.starts_with("commit=") && !kv.is_empty())
        .map(str::to_string);
    match commit {
        Some(c) => Source::Git {
            url: url.trim_start_matches("git+").to_string(),
            reference: asked,
            revision: Some(c),
        },
        None => super::git_source(reference),
    }
}

/// `@scope/name@npm:1.0.0` → (`@scope/name`, `npm:1.0.0`).
/// The first character is skipped (a scope's `@`); an empty or one-character descriptor has
/// no reference.
pub fn split_descriptor(d: &str) -> Option<(&str, &str)> {
    let first = d.chars().next()?.len_utf8();
    let at = d[first..].find('@')? + first;
    Some((&d[..at], &d[at + 1..]))
}

/// Line of each top-level entry header.
fn header_lines(text: &str) -> HashMap<&str, usize> {
    super::key_lines_after(text, "", |line| {
        (!line.starts_with([' ', '#']) && line.ends_with(':')).then(|| line.trim_end_matches(':').trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::split_descriptor;

    #[test]
    fn descriptors_split_at_the_at_after_the_first_character() {
        assert_eq!(
            split_descriptor("@scope/name@npm:1.0.0"),
            Some(("@scope/name", "npm:1.0.0"))
        );
        assert_eq!(split_descriptor("left-pad@npm:1.3.0"), Some(("left-pad", "npm:1.3.0")));
        assert_eq!(split_descriptor("é@1"), Some(("é", "1")));
        // Found by fuzzing: these used to panic on slicing.
        assert_eq!(split_descriptor(""), None);
        assert_eq!(split_descriptor("@"), None);
        assert_eq!(split_descriptor("é"), None);
    }
}
