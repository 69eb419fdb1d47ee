//! `Package.resolved`, version 1 (`object.pins` with `package`, `repositoryURL`) and versions
//! 2 and 3 (`pins` with `identity`, `kind`, `location`; 3 adds `originHash`). Each pin has a
//! `state` with the `revision` and a `version` or `branch`. The file records no edges: the
//! project links to every pin, and the `.package(url:)` calls of `Package.swift` beside it say
//! which are direct. Xcode keeps the file inside `*.xcodeproj`/`*.xcworkspace`; the project is
//! then named after that bundle.

use crate::collect::{file_name, CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Source};
use crate::tree::{join, parent};
use serde::Deserialize;

#[derive(Deserialize)]
struct Wire {
    version: Option<u32>,
    object: Option<V1>,
    #[serde(default)]
    pins: Vec<Pin>,
    #[serde(rename = "originHash")]
    origin_hash: Option<String>,
}

#[derive(Deserialize)]
struct V1 {
    #[serde(default)]
    pins: Vec<Pin>,
}

/// A pin of any version: v1 names `package` and `repositoryURL`, v2/v3 `identity` and
/// `location`.
#[derive(Deserialize)]
struct Pin {
    package: Option<String>,
    #[serde(rename = "repositoryURL")]
    repository_url: Option<String>,
    identity: Option<String>,
    kind: Option<String>,
    location: Option<String>,
    state: State,
}

#[derive(Deserialize)]
struct State {
    revision: Option<String>,
    version: Option<String>,
    branch: Option<String>,
}

pub struct PackageResolved;

impl Collector for PackageResolved {
    fn id(&self) -> &'static str {
        "swift-package-resolved"
    }

    fn file_names(&self) -> &'static str {
        "Package.resolved (v1-v3, with Package.swift)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "Package.resolved"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let wire: Wire = crate::collect::parse_json(file.path, text, "Package.resolved")?;
        let mut out = Collected::default();
        if wire.version.is_some_and(|v| v > 3) {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                None,
                "format version newer than bomsight knows (3)",
            ));
        }
        let (dir, bundle) = project_dir(file.path);
        let manifest = ctx
            .tree
            .read(&join(dir, "Package.swift").unwrap_or_default())
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        let name = bundle.or_else(|| manifest.as_deref().and_then(package_name));
        let mut root = crate::collect::project(Ecosystem::Swift, None, name.as_deref(), None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        root.purl = None;
        if let Some(h) = &wire.origin_hash {
            root.properties.insert("swift:origin-hash".into(), h.clone());
        }
        let direct: Vec<String> = manifest.as_deref().map(package_urls).unwrap_or_default();
        let pins = wire.object.map(|o| o.pins).unwrap_or(wire.pins);
        for (i, pin) in pins.iter().enumerate() {
            let mut c =
                component(pin, dir).map_err(|m| Diagnostic::error(file.path, None, format!("pin {}: {m}", i + 1)))?;
            if manifest.is_some() {
                let url = pin
                    .location
                    .as_deref()
                    .or(pin.repository_url.as_deref())
                    .unwrap_or_default();
                let is_direct = direct.iter().any(|d| same_repository(d, url));
                c.properties.insert("swift:direct".into(), is_direct.to_string());
            }
            c.found_in(file.path, None);
            out.depend(&root.id, c, DependencyKind::Normal);
        }
        out.components.push(root);
        Ok(out)
    }
}

/// The project directory and, for Xcode, the bundle's name: `App.xcodeproj/project.xcworkspace/
/// xcshareddata/swiftpm/Package.resolved` belongs to `App` in the directory above the bundle.
fn project_dir(path: &str) -> (&str, Option<String>) {
    let dir = parent(path);
    let mut start = 0;
    for piece in dir.split('/') {
        if let Some(name) = piece
            .strip_suffix(".xcodeproj")
            .or_else(|| piece.strip_suffix(".xcworkspace"))
        {
            let above = dir[..start].trim_end_matches('/');
            return (above, Some(name.to_string()));
        }
        start += piece.len() + 1;
    }
    (dir, None)
}

/// `Package(name: "X", ...)` in Package.swift.
fn package_name(manifest: &str) -> Option<String> {
    let at = manifest.find("Package(")?;
    let rest = &manifest[at..];
    let name_at = rest.find("name:")?;
    let after = rest[name_at + 5..].trim_start().strip_prefix('"')?;
    Some(after[..after.find('"')?].to_string())
}

/// The URLs of the `.package(url: "...")` calls of Package.swift.
fn package_urls(manifest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = manifest;
    while let Some(at) = rest.find(".package(") {
        rest = &rest[at + 9..];
        let call = &rest[..rest.find(')').unwrap_or(rest.len())];
        if let Some(u) = call.find("url:") {
            if let Some(s) = call[u + 4..].trim_start().strip_prefix('"') {
                out.push(s[..s.find('"').unwrap_or(s.len())].to_string());
            }
        }
    }
    out
}

fn same_repository(a: &str, b: &str) -> bool {
    let norm = |u: &str| {
        let (host, path) = repository_parts(u).unwrap_or_default();
        format!("{host}/{path}").to_ascii_lowercase()
    };
    norm(a) == norm(b)
}

/// `https://github.com/apple/swift-nio.git` or `git@github.com:apple/swift-nio.git` →
/// (`github.com`, `apple/swift-nio`).
fn repository_parts(url: &str) -> Option<(String, String)> {
    let url = url.trim().trim_end_matches('/');
    let url = url.strip_suffix(".git").unwrap_or(url);
    let (host, path) = if let Some((_, rest)) = url.split_once("://") {
        let rest = rest
            .rsplit_once('@')
            .filter(|(user, _)| !user.contains('/'))
            .map_or(rest, |(_, r)| r);
        rest.split_once('/')?
    } else {
        // scp-like `git@host:owner/repo`
        let rest = url.split_once('@').map_or(url, |(_, r)| r);
        rest.split_once(':')?
    };
    let host = host.split(':').next().unwrap_or(host);
    Some((host.to_ascii_lowercase(), path.trim_matches('/').to_string()))
}

fn component(pin: &Pin, dir: &str) -> Result<Component, String> {
    let version = pin.state.version.as_deref().or(pin.state.revision.as_deref());
    let location = pin.location.as_deref().or(pin.repository_url.as_deref());
    let kind = pin.kind.as_deref().unwrap_or("remoteSourceControl");
    let (namespace, name, source) = match kind {
        "registry" => {
            let identity = pin.identity.as_deref().ok_or("registry pin without identity")?;
            let (scope, name) = identity
                .split_once('.')
                .ok_or_else(|| format!("registry identity `{identity}` is not scope.name"))?;
            let source = match location {
                Some(url) if !url.is_empty() => Source::Registry { url: url.to_string() },
                _ => Source::DefaultRegistry,
            };
            (scope.to_string(), name.to_string(), source)
        }
        "localSourceControl" | "fileSystem" => {
            let at = location.ok_or("local pin without a location")?;
            // The directory's own name (case kept); where it is on one machine is no identity.
            let last = file_name(at.trim_end_matches('/'));
            let name = last.strip_suffix(".git").unwrap_or(last).to_string();
            let path = if at.starts_with('/') { None } else { join(dir, at) };
            (String::new(), name, Source::Path { path })
        }
        _ => {
            let url = location.ok_or("pin without a repository URL")?;
            let (host, path) = repository_parts(url).ok_or_else(|| format!("cannot read repository URL `{url}`"))?;
            let (owner, repo) = path
                .rsplit_once('/')
                .map_or((String::new(), path.clone()), |(o, r)| (o.to_string(), r.to_string()));
            let namespace = if owner.is_empty() {
                host
            } else {
                format!("{host}/{owner}")
            };
            let source = Source::Git {
                url: url.to_string(),
                reference: pin.state.branch.as_ref().map(|b| format!("branch={b}")),
                revision: pin.state.revision.clone(),
            };
            (namespace, repo, source)
        }
    };
    let ns = Some(namespace.as_str()).filter(|n| !n.is_empty());
    let mut c = Component::new(Ecosystem::Swift, ns, &name, version, source)
        .map_err(|e| format!("cannot build a purl: {e}"))?;
    if let Some(identity) = &pin.identity {
        c.properties.insert("swift:identity".into(), identity.clone());
    }
    if let Some(package) = &pin.package {
        c.properties.insert("swift:package".into(), package.clone());
    }
    if let Some(branch) = &pin.state.branch {
        c.properties.insert("swift:branch".into(), branch.clone());
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_urls_become_namespace_and_name() {
        assert_eq!(
            repository_parts("https://github.com/apple/swift-nio.git"),
            Some(("github.com".into(), "apple/swift-nio".into()))
        );
        assert_eq!(
            repository_parts("git@github.com:Apple/swift-nio.git"),
            Some(("github.com".into(), "Apple/swift-nio".into()))
        );
        assert_eq!(
            repository_parts("ssh://git@gitlab.example.com:2222/group/sub/repo"),
            Some(("gitlab.example.com".into(), "group/sub/repo".into()))
        );
        assert!(same_repository(
            "https://github.com/apple/swift-nio",
            "https://github.com/Apple/swift-nio.git"
        ));
    }

    #[test]
    fn xcode_bundles_name_the_project() {
        assert_eq!(
            project_dir("ios/App.xcodeproj/project.xcworkspace/xcshareddata/swiftpm/Package.resolved"),
            ("ios", Some("App".to_string()))
        );
        assert_eq!(project_dir("Package.resolved"), ("", None));
    }
}
