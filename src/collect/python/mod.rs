//! Python collectors: requirements files, poetry, Pipfile, uv, pdm and PEP 751 locks, and
//! pyproject.toml alone. Names are compared PEP 503-normalized; the original spelling is kept
//! for display. Per-file hashes go in artifacts; a component-level hash is set only where it
//! identifies the component (a release with one file, or requirements' accepted hashes).

mod pdm;
pub mod pep508;
mod pipfile;
mod poetry;
mod pylock;
mod pyproject;
mod requirements;
mod uv;

pub use pdm::PdmLock;
pub use pipfile::PipfileLock;
pub use poetry::PoetryLock;
pub use pylock::PyLock;
pub use pyproject::Declared;
pub use pyproject::PyprojectOnly;
pub use requirements::RequirementsTxt;
pub use uv::UvLock;

use crate::collect::Collected;
use crate::diagnostic::Diagnostic;
use crate::model::{
    Artifact, Component, ComponentId, DependencyKind, Ecosystem, Edge, Hash, HashAlgorithm, Hashes, Source,
};
use foldhash::{HashMap, HashMapExt};

/// The lockfile names that make a pyproject.toml beside (or above) them a lock's input.
pub const LOCK_NAMES: &[&str] = &["poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "pylock.toml"];

/// The index URLs that mean "PyPI itself".
fn is_pypi(url: &str) -> bool {
    let u = url.trim_end_matches('/');
    matches!(
        u,
        "https://pypi.org/simple"
            | "https://pypi.python.org/simple"
            | "https://pypi.org/pypi"
            | "https://upload.pypi.org/legacy"
    )
}

/// The source of a package from an index URL (`None`: PyPI).
pub fn index_source(url: Option<&str>) -> Source {
    match url {
        Some(u) if !is_pypi(u) => Source::Registry { url: u.to_string() },
        _ => Source::DefaultRegistry,
    }
}

/// The source of a direct reference (`git+https://…@rev`, `https://…/x.whl`, `file:///…`).
pub fn url_source(url: &str, base_dir: &str) -> Source {
    if let Some(rest) = url.strip_prefix("git+") {
        let rest = rest.split('#').next().unwrap_or(rest);
        // `git+https://host/repo.git@REV`: the revision follows the last `@` of the path.
        let path_start = rest.find("://").map_or(0, |i| i + 3);
        let (repo, revision) = match rest[path_start..].rfind('@') {
            Some(i) if rest[path_start..][i..].find('/').is_none() => {
                (&rest[..path_start + i], Some(rest[path_start + i + 1..].to_string()))
            }
            _ => (rest, None),
        };
        let full_commit = revision
            .as_deref()
            .is_some_and(|r| r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit()));
        return if full_commit {
            Source::Git {
                url: repo.to_string(),
                reference: None,
                revision,
            }
        } else {
            Source::Git {
                url: repo.to_string(),
                reference: revision.map(|r| format!("rev={r}")),
                revision: None,
            }
        };
    }
    if let Some(path) = url.strip_prefix("file://") {
        return Source::Path {
            path: Some(path.to_string()),
        };
    }
    if url.contains("://") {
        return Source::Url { url: url.to_string() };
    }
    Source::Path {
        path: crate::tree::join(base_dir, url).or_else(|| Some(url.to_string())),
    }
}

/// The root of a lockfile: the project of the pyproject.toml beside it (returned too, for its
/// declarations), or a project named after the directory.
pub fn lock_root(
    tree: &dyn crate::tree::Tree,
    dir: &str,
    lock: &str,
    out: &mut Collected,
) -> Result<(Component, Option<pyproject::PyProject>), Diagnostic> {
    let project = pyproject::PyProject::load(tree, dir).unwrap_or_else(|d| {
        out.diagnostics.push(d);
        None
    });
    let name = project.as_ref().and_then(|p| p.name.clone());
    let version = project.as_ref().and_then(|p| p.version.clone());
    let mut root =
        self::project(name.as_deref(), version.as_deref(), dir, lock).map_err(|m| Diagnostic::error(lock, None, m))?;
    if project.is_some() {
        root.found_in(&crate::tree::join(dir, "pyproject.toml").unwrap_or_default(), None);
    }
    Ok((root, project))
}

/// A PyPI package component.
pub fn package(name: &str, version: Option<&str>, source: Source) -> Result<Component, String> {
    Component::new(Ecosystem::Pypi, None, name, version, source)
        .map_err(|e| format!("package `{name}`: cannot build a purl: {e}"))
}

/// A project root: the pyproject's project, a requirements file, a Pipfile.
pub fn project(name: Option<&str>, version: Option<&str>, dir: &str, manifest: &str) -> Result<Component, String> {
    crate::collect::project(Ecosystem::Pypi, None, name, version, dir, manifest)
}

/// `sha256:HEX` (or `sha256=HEX`) as a hash.
pub fn parse_hash(text: &str) -> Result<Hash, String> {
    let (alg, hex) = text
        .split_once([':', '='])
        .ok_or_else(|| format!("hash `{text}` has no algorithm prefix"))?;
    let algorithm = HashAlgorithm::parse(alg).ok_or_else(|| format!("unknown hash algorithm `{alg}`"))?;
    Hash::from_hex(algorithm, hex).map_err(|e| e.to_string())
}

/// The file name at the end of a URL.
pub fn file_name_of(url: &str) -> String {
    // memchr2, not `split(['?', '#'])`, which decodes every character of a long wheel URL.
    let path = match memchr::memchr2(b'?', b'#', url.as_bytes()) {
        Some(end) => &url[..end],
        None => url,
    };
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// Adds one release file; when the release turns out to have exactly one file, its hashes
/// become the component's (see [`finish_hashes`]).
pub fn add_artifact(c: &mut Component, file_name: String, url: Option<String>, hashes: Hashes) {
    c.artifacts.insert(Artifact { file_name, url, hashes });
}

/// A component-level hash only where it identifies the component: a single file.
pub fn finish_hashes(c: &mut Component) {
    if c.artifacts.len() == 1 {
        let only = c.artifacts.iter().next().map(|a| a.hashes.clone()).unwrap_or_default();
        c.hashes.extend(only);
    }
}

/// Packages of one lockfile indexed by normalized name, for resolving dependency names.
pub struct ByName {
    index: HashMap<String, Vec<usize>>,
}

impl ByName {
    pub fn new<'a>(names: impl Iterator<Item = &'a str>) -> ByName {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in names.enumerate() {
            index.entry(Ecosystem::Pypi.normalize_name(n)).or_default().push(i);
        }
        ByName { index }
    }

    pub fn get(&self, name: &str) -> &[usize] {
        self.index
            .get(&Ecosystem::Pypi.normalize_name(name))
            .map_or(&[], Vec::as_slice)
    }
}

/// Edges from `from` to the candidates that satisfy `specifier` (all candidates when there is
/// one, or when the specifier cannot be read). Returns how many edges were added.
pub fn link(
    out: &mut Collected,
    from: &ComponentId,
    candidates: &[&Component],
    specifier: &str,
    kind: DependencyKind,
) -> usize {
    let chosen: Vec<&&Component> = if candidates.len() <= 1 {
        candidates.iter().collect()
    } else {
        match crate::model::pep440::Specifiers::parse(specifier) {
            Some(spec) => candidates
                .iter()
                .filter(|c| c.version.as_deref().is_some_and(|v| spec.matches(v)))
                .collect(),
            None => candidates.iter().collect(),
        }
    };
    for c in &chosen {
        out.edges.push(Edge {
            from: from.clone(),
            to: c.id.clone(),
            kind,
        });
    }
    chosen.len()
}

pub use crate::collect::{header_lines, parse_toml};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_references() {
        assert_eq!(
            url_source("git+https://github.com/a/b.git@v1.2.0#egg=b", ""),
            Source::Git {
                url: "https://github.com/a/b.git".into(),
                reference: Some("rev=v1.2.0".into()),
                revision: None
            }
        );
        let sha = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(
            url_source(&format!("git+ssh://git@github.com/a/b@{sha}"), ""),
            Source::Git {
                url: "ssh://git@github.com/a/b".into(),
                reference: None,
                revision: Some(sha.into())
            }
        );
        assert_eq!(
            url_source("git+https://github.com/a/b", ""),
            Source::Git {
                url: "https://github.com/a/b".into(),
                reference: None,
                revision: None
            }
        );
        assert_eq!(
            url_source("https://x.example/p-1.0.tar.gz", ""),
            Source::Url {
                url: "https://x.example/p-1.0.tar.gz".into()
            }
        );
        assert_eq!(
            url_source("./vendor/thing", "app"),
            Source::Path {
                path: Some("app/vendor/thing".into())
            }
        );
        assert_eq!(index_source(Some("https://pypi.org/simple/")), Source::DefaultRegistry);
        assert_eq!(
            file_name_of("https://f.example/a/six-1.0-py3-none-any.whl#sha256=x"),
            "six-1.0-py3-none-any.whl"
        );
        assert_eq!(
            parse_hash("sha256:AB").unwrap_err(),
            "SHA-256 digest `AB` should be 64 hex digits"
        );
    }
}
