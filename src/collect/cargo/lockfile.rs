//! `Cargo.lock`, versions 1 to 4: the wire shape, and the resolved package list.
//!
//! v1 wrote every dependency as `name version (source)` and kept checksums in a `[metadata]`
//! table (the oldest files also have the root package in `[root]`); v2 moved checksums inline
//! and shortened dependency strings to what is unambiguous; v3 added `version = 3`; v4
//! percent-encodes git source queries. Dependency strings resolve by name, then version, then
//! source, and must name exactly one package.

use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct WireLockfile {
    version: Option<toml::Value>,
    #[serde(default)]
    package: Vec<WirePackage>,
    root: Option<WirePackage>,
    #[serde(default)]
    metadata: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct WirePackage {
    name: String,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
    replace: Option<String>,
}

/// One `[[package]]` (or `[root]`) entry.
#[derive(Debug)]
pub struct LockPackage {
    pub name: String,
    pub version: String,
    pub source: Option<String>,
    pub checksum: Option<String>,
    pub dependencies: Vec<String>,
    pub replace: Option<String>,
    pub line: Option<usize>,
}

#[derive(Debug)]
pub struct Lockfile {
    /// Format version: 1 to 4 are known; newer ones are read like 4.
    pub format: u32,
    pub packages: Vec<LockPackage>,
    by_name: HashMap<String, Vec<usize>>,
}

/// A dependency string split into its parts.
#[derive(Debug, PartialEq, Eq)]
pub struct DependencyRef<'a> {
    pub name: &'a str,
    pub version: Option<&'a str>,
    pub source: Option<&'a str>,
}

impl<'a> DependencyRef<'a> {
    pub fn parse(text: &'a str) -> DependencyRef<'a> {
        let text = text.trim();
        let (head, source) = match text.find(" (") {
            Some(i) if text.ends_with(')') => (&text[..i], Some(&text[i + 2..text.len() - 1])),
            _ => (text, None),
        };
        let mut parts = head.split_whitespace();
        let name = parts.next().unwrap_or("");
        DependencyRef {
            name,
            version: parts.next(),
            source,
        }
    }
}

impl Lockfile {
    /// Parses the text of a `Cargo.lock`. Errors carry the line when the TOML parser knows it.
    pub fn parse(text: &str) -> Result<Lockfile, (Option<usize>, String)> {
        let wire: WireLockfile = crate::collect::from_toml(text).map_err(|e| {
            let line = e.span().map(|s| crate::text::line_of_offset(text.as_bytes(), s.start));
            (line, format!("invalid Cargo.lock: {}", e.message().trim()))
        })?;
        let format = match &wire.version {
            Some(toml::Value::Integer(n)) if (1..=i64::from(u32::MAX)).contains(n) => *n as u32,
            Some(other) => {
                return Err((
                    line_of_key(text, "version"),
                    format!("unsupported lockfile `version = {other:?}`"),
                ))
            }
            None => detect_unversioned_format(&wire),
        };
        let mut headers = header_lines(text);
        let mut packages = Vec::with_capacity(wire.package.len() + 1);
        if let Some(root) = wire.root {
            packages.push(LockPackage::from_wire(root, line_of_header(text, "[root]")));
        }
        for p in wire.package {
            packages.push(LockPackage::from_wire(p, headers.next().flatten()));
        }
        attach_metadata_checksums(&mut packages, &wire.metadata);
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::with_capacity(packages.len());
        for (i, p) in packages.iter().enumerate() {
            by_name.entry(p.name.clone()).or_default().push(i);
        }
        Ok(Lockfile {
            format,
            packages,
            by_name,
        })
    }

    /// The index of the one package a dependency string names.
    pub fn resolve(&self, dependency: &str) -> Result<usize, String> {
        let dep = DependencyRef::parse(dependency);
        let candidates: Vec<usize> = self
            .by_name
            .get(dep.name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| dep.version.is_none_or(|v| self.packages[i].version == v))
            .filter(|&i| {
                dep.source
                    .is_none_or(|s| self.packages[i].source.as_deref().is_some_and(|ps| same_source(ps, s)))
            })
            .collect();
        match candidates.as_slice() {
            [one] => Ok(*one),
            [] => Err(format!("dependency `{dependency}` names no package in the lockfile")),
            many => {
                let versions: Vec<String> = many.iter().map(|&i| self.packages[i].version.clone()).collect();
                Err(format!(
                    "dependency `{dependency}` is ambiguous: {} packages match (versions {})",
                    many.len(),
                    versions.join(", ")
                ))
            }
        }
    }
}

impl LockPackage {
    fn from_wire(p: WirePackage, line: Option<usize>) -> LockPackage {
        LockPackage {
            name: p.name,
            version: p.version,
            source: p.source,
            checksum: p.checksum,
            dependencies: p.dependencies,
            replace: p.replace,
            line,
        }
    }
}

/// Sources compare equal ignoring the commit fragment only when one side has none
/// (v1 dependency strings of git packages carry it, package entries too).
fn same_source(a: &str, b: &str) -> bool {
    a == b || a.split('#').next() == b.split('#').next() && (!a.contains('#') || !b.contains('#'))
}

fn detect_unversioned_format(wire: &WireLockfile) -> u32 {
    let v1_checksums = wire.metadata.keys().any(|k| k.starts_with("checksum "));
    let v1_deps = wire.root.is_some()
        || wire
            .package
            .iter()
            .flat_map(|p| &p.dependencies)
            .any(|d| d.split_whitespace().count() >= 2 && d.ends_with(')'));
    if v1_checksums || v1_deps {
        1
    } else {
        2
    }
}

/// v1 kept checksums as `"checksum NAME VERSION (SOURCE)" = "HEX"` in `[metadata]`.
fn attach_metadata_checksums(packages: &mut [LockPackage], metadata: &BTreeMap<String, toml::Value>) {
    for (key, value) in metadata {
        let (Some(spec), toml::Value::String(sum)) = (key.strip_prefix("checksum "), value) else {
            continue;
        };
        if sum == "<none>" {
            continue;
        }
        let dep = DependencyRef::parse(spec);
        if let Some(p) = packages.iter_mut().find(|p| {
            p.name == dep.name
                && Some(p.version.as_str()) == dep.version
                && p.source.as_deref() == dep.source
                && p.checksum.is_none()
        }) {
            p.checksum = Some(sum.clone());
        }
    }
}

/// Line numbers of the `[[package]]` headers, in file order.
fn header_lines(text: &str) -> impl Iterator<Item = Option<usize>> {
    crate::collect::header_lines(text.as_bytes(), "[[package]]")
        .into_iter()
        .map(Some)
        .chain(std::iter::repeat(None))
}

fn line_of_header(text: &str, header: &str) -> Option<usize> {
    text.lines().position(|l| l.trim() == header).map(|i| i + 1)
}

fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(key) && l.contains('='))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_strings_of_every_version() {
        assert_eq!(
            DependencyRef::parse("serde"),
            DependencyRef {
                name: "serde",
                version: None,
                source: None
            }
        );
        assert_eq!(
            DependencyRef::parse("serde 1.0.1"),
            DependencyRef {
                name: "serde",
                version: Some("1.0.1"),
                source: None
            }
        );
        assert_eq!(
            DependencyRef::parse("serde 1.0.1 (registry+https://github.com/rust-lang/crates.io-index)"),
            DependencyRef {
                name: "serde",
                version: Some("1.0.1"),
                source: Some("registry+https://github.com/rust-lang/crates.io-index")
            }
        );
    }

    #[test]
    fn resolves_by_name_version_and_source() {
        let lock = Lockfile::parse(
            r#"version = 4
[[package]]
name = "a"
version = "1.0.0"
dependencies = ["b 1.0.0", "b 2.0.0 (git+https://x/b#abc)", "c"]

[[package]]
name = "b"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "b"
version = "2.0.0"
source = "git+https://x/b#abc"

[[package]]
name = "c"
version = "0.1.0"
"#,
        )
        .unwrap();
        assert_eq!(lock.format, 4);
        assert_eq!(lock.packages[1].line, Some(7));
        let deps: Vec<_> = lock.packages[0]
            .dependencies
            .iter()
            .map(|d| lock.resolve(d).unwrap())
            .collect();
        assert_eq!(deps, vec![1, 2, 3]);
        assert!(lock.resolve("b").unwrap_err().contains("ambiguous"));
        assert!(lock.resolve("nope").unwrap_err().contains("names no package"));
    }

    #[test]
    fn errors_carry_lines() {
        let (line, msg) = Lockfile::parse("version = 3\n\n[[package]]\nname = \"a\nversion = \"1\"\n").unwrap_err();
        assert_eq!(line, Some(4), "{msg}");
    }
}
