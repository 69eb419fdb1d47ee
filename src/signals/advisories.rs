//! Offline advisories in OSV format (`--advisories PATH`): a directory of OSV JSON files, an
//! OSV `all.zip` export, or a checkout of the OpenSSF malicious-packages repository (whose
//! `withdrawn/` entries are ignored). `MAL-` records are `known-malicious`; RustSec's
//! informational ones (unmaintained, unsound, notice) `advisory-notice`; others
//! `known-vulnerable`. Matching: ecosystem, normalized name, and the version against the
//! record's `versions` list or its `SEMVER`/`ECOSYSTEM` ranges in the ecosystem's order.

use super::{finding, Context, Finding};
use crate::model::{Component, DependencyGraph, Ecosystem};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

#[derive(Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    affected: Vec<Affected>,
}

#[derive(Deserialize, Clone)]
struct Affected {
    package: Option<Package>,
    #[serde(default)]
    versions: Vec<String>,
    #[serde(default)]
    ranges: Vec<Range>,
    database_specific: Option<AffectedDetails>,
}

/// RustSec's word on an affected package: `informational` names an advisory that is no
/// vulnerability (`unmaintained`, `unsound`, `notice`).
#[derive(Deserialize, Clone)]
struct AffectedDetails {
    #[serde(default)]
    informational: Option<String>,
}

#[derive(Deserialize, Clone)]
struct Package {
    ecosystem: String,
    name: String,
}

#[derive(Deserialize, Clone)]
struct Range {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    events: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// One advisory about one package.
#[derive(Clone)]
struct Entry {
    id: String,
    summary: String,
    aliases: Vec<String>,
    affected: Affected,
}

/// Advisories indexed by (ecosystem, normalized name).
#[derive(Default)]
pub struct Advisories {
    by_package: HashMap<(Ecosystem, String), Vec<Entry>>,
    /// Records read, for messages.
    pub records: usize,
    /// Files that could not be read, with why.
    pub problems: Vec<String>,
}

/// OSV ecosystem names.
fn ecosystem(osv: &str) -> Option<Ecosystem> {
    let base = osv.split(':').next().unwrap_or(osv);
    Some(match base {
        "PyPI" => Ecosystem::Pypi,
        "npm" => Ecosystem::Npm,
        "crates.io" => Ecosystem::Cargo,
        "Go" => Ecosystem::Golang,
        "Maven" => Ecosystem::Maven,
        "NuGet" => Ecosystem::Nuget,
        "RubyGems" => Ecosystem::Gem,
        "Packagist" => Ecosystem::Composer,
        "Pub" => Ecosystem::Pub,
        "Hex" => Ecosystem::Hex,
        "SwiftURL" => Ecosystem::Swift,
        "Hackage" => Ecosystem::Hackage,
        "ConanCenter" => Ecosystem::Conan,
        _ => return None,
    })
}

impl Advisories {
    pub fn none() -> Advisories {
        Advisories::default()
    }

    /// Loads every OSV record under `path` (a file, a directory, or a `.zip`).
    pub fn load(path: &Path) -> Result<Advisories, String> {
        let mut a = Advisories::default();
        if path.is_dir() {
            let walker = walkdir::WalkDir::new(path)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter();
            for entry in walker.filter_entry(|e| e.file_name() != "withdrawn" && e.file_name() != ".git") {
                let entry = entry.map_err(|e| e.to_string())?;
                if entry.file_type().is_file() && entry.path().extension().is_some_and(|x| x == "json") {
                    match std::fs::read(entry.path()) {
                        Ok(bytes) => a.add(&entry.path().display().to_string(), &bytes),
                        Err(e) => a.problems.push(format!("{}: {e}", entry.path().display())),
                    }
                }
            }
        } else if path.extension().is_some_and(|x| x == "zip") {
            let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("{}: {e}", path.display()))?;
            for i in 0..zip.len() {
                let mut f = zip.by_index(i).map_err(|e| format!("{}: {e}", path.display()))?;
                let name = f.name().map_err(|e| format!("{}: {e}", path.display()))?.to_string();
                if !name.ends_with(".json") || name.contains("withdrawn/") {
                    continue;
                }
                let mut bytes = Vec::new();
                if let Err(e) = f.by_ref().take(crate::tree::MAX_FILE_BYTES).read_to_end(&mut bytes) {
                    a.problems.push(format!("{name}: {e}"));
                    continue;
                }
                a.add(&name, &bytes);
            }
        } else {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            a.add(&path.display().to_string(), &bytes);
        }
        Ok(a)
    }

    fn add(&mut self, label: &str, bytes: &[u8]) {
        let record: Record = match serde_json::from_slice(bytes) {
            Ok(r) => r,
            Err(e) => {
                self.problems.push(format!("{label}: not an OSV record: {e}"));
                return;
            }
        };
        if record.withdrawn.is_some() {
            return;
        }
        self.records += 1;
        for affected in &record.affected {
            let Some(p) = &affected.package else { continue };
            let Some(e) = ecosystem(&p.ecosystem) else { continue };
            let entry = Entry {
                id: record.id.clone(),
                summary: record.summary.clone().unwrap_or_default(),
                aliases: record.aliases.clone(),
                affected: affected.clone(),
            };
            self.by_package
                .entry((e, normalize(e, &p.name)))
                .or_default()
                .push(entry);
        }
    }
}

fn normalize(e: Ecosystem, name: &str) -> String {
    match e {
        Ecosystem::Pypi => e.normalize_name(name),
        Ecosystem::Nuget | Ecosystem::Composer => name.to_ascii_lowercase(),
        _ => name.to_string(),
    }
}

/// Whether `version` is affected according to one `affected` entry.
fn affects(e: Ecosystem, a: &Affected, version: &str) -> bool {
    if a.versions.is_empty() && a.ranges.is_empty() {
        return true; // no versions named: every version
    }
    let same =
        |v: &str| v == version || crate::diff::version::compare(e, v, version) == Some(std::cmp::Ordering::Equal);
    if a.versions.iter().any(|v| same(v)) {
        return true;
    }
    a.ranges
        .iter()
        .filter(|r| r.kind == "SEMVER" || r.kind == "ECOSYSTEM")
        .any(|r| in_range(e, r, version))
}

/// OSV range semantics: the events, in order, open (`introduced`) and close (`fixed`,
/// `last_affected`, `limit`) intervals.
fn in_range(e: Ecosystem, r: &Range, version: &str) -> bool {
    let e = if r.kind == "SEMVER" { Ecosystem::Cargo } else { e };
    let cmp = |a: &str, b: &str| crate::diff::version::compare(e, a, b);
    let mut affected = false;
    for event in &r.events {
        for (k, v) in event {
            let Some(v) = v.as_str() else { continue };
            match k.as_str() {
                "introduced" if v == "0" || cmp(v, version).is_some_and(|o| o.is_le()) => affected = true,
                "fixed" | "limit" if cmp(v, version).is_some_and(|o| o.is_le()) => affected = false,
                "last_affected" if cmp(v, version).is_some_and(|o| o.is_lt()) => affected = false,
                _ => {}
            }
        }
    }
    affected
}

pub fn check(components: &[&Component], graph: &DependencyGraph, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for c in components {
        let key = (c.ecosystem, normalize(c.ecosystem, &c.display_name_without_version()));
        let Some(entries) = ctx.advisories.by_package.get(&key) else {
            continue;
        };
        for entry in entries {
            let hit = match &c.version {
                Some(v) => affects(c.ecosystem, &entry.affected, v),
                None => true, // unresolved: any version may be installed
            };
            if !hit {
                continue;
            }
            let informational = entry
                .affected
                .database_specific
                .as_ref()
                .and_then(|d| d.informational.as_deref());
            let (signal, kind) = match informational {
                _ if entry.id.starts_with("MAL-") => ("known-malicious", String::new()),
                Some(kind) => ("advisory-notice", format!(" ({kind})")),
                None => ("known-vulnerable", String::new()),
            };
            let mut evidence = vec![entry.id.clone()];
            evidence.extend(entry.aliases.iter().cloned());
            let message = format!("{}: {}{kind} {}", c.display_name(), entry.id, entry.summary)
                .trim_end()
                .to_string();
            out.push(finding(signal, c, graph, message, evidence));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_osv_semantics() {
        let r = |events: serde_json::Value| Range {
            kind: "ECOSYSTEM".into(),
            events: serde_json::from_value(events).unwrap(),
        };
        let range = r(
            serde_json::json!([{"introduced": "1.0"}, {"fixed": "1.5"}, {"introduced": "2.0"}, {"last_affected": "2.1"}]),
        );
        for (v, hit) in [
            ("0.9", false),
            ("1.0", true),
            ("1.4.9", true),
            ("1.5", false),
            ("2.0.1", true),
            ("2.1", true),
            ("2.2", false),
        ] {
            assert_eq!(in_range(Ecosystem::Pypi, &range, v), hit, "{v}");
        }
        assert!(in_range(
            Ecosystem::Npm,
            &r(serde_json::json!([{"introduced": "0"}])),
            "9.9.9"
        ));
    }
}
