//! `Podfile.lock`: `PODS` (every pod and subspec with its version, and the dependencies nested
//! under it: the edges), `DEPENDENCIES` (what the Podfile asks for: the project's edges),
//! `SPEC REPOS` (trunk or another spec repository), `EXTERNAL SOURCES` and `CHECKOUT OPTIONS`
//! (git pods with the branch or tag asked for and the commit checked out, local pods) and
//! `SPEC CHECKSUMS` (SHA-1 of each pod's podspec). A subspec `Pod/Sub` is the purl subpath.

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Edge, Hash, HashAlgorithm, Source};
use crate::tree::{join, parent};
use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;
use serde_yaml_ng::Value;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Wire {
    #[serde(rename = "PODS", default)]
    pods: Vec<Value>,
    #[serde(rename = "DEPENDENCIES", default)]
    dependencies: Vec<String>,
    #[serde(rename = "SPEC REPOS", default)]
    spec_repos: BTreeMap<String, Vec<String>>,
    #[serde(rename = "EXTERNAL SOURCES", default)]
    external_sources: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(rename = "CHECKOUT OPTIONS", default)]
    checkout_options: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(rename = "SPEC CHECKSUMS", default)]
    spec_checksums: BTreeMap<String, String>,
    #[serde(rename = "PODFILE CHECKSUM")]
    podfile_checksum: Option<String>,
    #[serde(rename = "COCOAPODS")]
    cocoapods: Option<Value>,
}

pub struct PodfileLock;

impl Collector for PodfileLock {
    fn id(&self) -> &'static str {
        "podfile-lock"
    }

    fn file_names(&self) -> &'static str {
        "Podfile.lock"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "Podfile.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, _ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let wire: Wire = crate::collect::parse_yaml(file.path, text, "Podfile.lock")?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let mut root = crate::collect::project(Ecosystem::Cocoapods, None, None, None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        if let Some(c) = &wire.podfile_checksum {
            root.properties.insert("cocoapods:podfile-checksum".into(), c.clone());
        }
        if let Some(v) = wire.cocoapods.as_ref().map(scalar) {
            root.properties.insert("cocoapods:version".into(), v);
        }
        let repo_of: HashMap<&str, &str> = wire
            .spec_repos
            .iter()
            .flat_map(|(repo, pods)| pods.iter().map(move |p| (p.as_str(), repo.as_str())))
            .collect();
        let mut entries: Vec<(String, String, Vec<String>)> = Vec::new();
        for (i, pod) in wire.pods.iter().enumerate() {
            let (head, deps) = match pod {
                Value::String(s) => (s.clone(), Vec::new()),
                Value::Mapping(m) if m.len() == 1 => {
                    let (k, v) = m.iter().next().expect("one entry");
                    let deps = v
                        .as_sequence()
                        .map(|s| s.iter().map(scalar).collect())
                        .unwrap_or_default();
                    (scalar(k), deps)
                }
                _ => {
                    return Err(Diagnostic::error(
                        file.path,
                        None,
                        format!("PODS entry {} is not `Name (version)`", i + 1),
                    ))
                }
            };
            let (name, version) = name_and_parenthesis(&head)
                .filter(|(_, v)| v.is_some())
                .ok_or_else(|| Diagnostic::error(file.path, None, format!("PODS entry `{head}` has no version")))?;
            let deps = deps
                .iter()
                .map(|d| name_and_parenthesis(d).map_or(d.clone(), |(n, _)| n))
                .collect();
            entries.push((name, version.unwrap_or_default(), deps));
        }
        let mut ids: HashMap<&str, crate::model::ComponentId> = HashMap::with_capacity(entries.len());
        let mut built = Vec::with_capacity(entries.len());
        for (name, version, _) in &entries {
            let pod = name.split('/').next().unwrap_or(name);
            let c = component(name, version, &wire, repo_of.get(pod).copied(), dir)
                .map_err(|m| Diagnostic::error(file.path, None, format!("pod `{name}`: {m}")))?;
            ids.insert(name.as_str(), c.id.clone());
            built.push(c);
        }
        for ((name, _, deps), c) in entries.iter().zip(&built) {
            for dep in deps {
                match ids.get(dep.as_str()) {
                    Some(to) => out.edges.push(Edge {
                        from: c.id.clone(),
                        to: to.clone(),
                        kind: DependencyKind::Normal,
                    }),
                    None => out.diagnostics.push(Diagnostic::warning(
                        file.path,
                        None,
                        format!("{name}: dependency `{dep}` is not in PODS"),
                    )),
                }
            }
        }
        for dep in &wire.dependencies {
            let name = name_and_parenthesis(dep).map_or(dep.clone(), |(n, _)| n);
            match ids.get(name.as_str()) {
                Some(to) => out.edges.push(Edge {
                    from: root.id.clone(),
                    to: to.clone(),
                    kind: DependencyKind::Normal,
                }),
                None => out.diagnostics.push(Diagnostic::warning(
                    file.path,
                    None,
                    format!("DEPENDENCIES: `{name}` is not in PODS"),
                )),
            }
        }
        for mut c in built {
            c.found_in(file.path, None);
            out.components.push(c);
        }
        out.components.push(root);
        Ok(out)
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_yaml_ng::to_string(other).unwrap_or_default().trim().to_string(),
    }
}

/// `Name (text)` → (Name, text); `Name` → (Name, None).
fn name_and_parenthesis(entry: &str) -> Option<(String, Option<String>)> {
    let entry = entry.trim();
    match entry.split_once(" (") {
        Some((name, rest)) => Some((name.to_string(), Some(rest.strip_suffix(')')?.to_string()))),
        None => (!entry.is_empty()).then(|| (entry.to_string(), None)),
    }
}

fn component(
    full_name: &str,
    version: &str,
    wire: &Wire,
    spec_repo: Option<&str>,
    dir: &str,
) -> Result<Component, String> {
    let (pod, subspec) = match full_name.split_once('/') {
        Some((p, s)) => (p, Some(s)),
        None => (full_name, None),
    };
    let external = wire.external_sources.get(pod);
    let checkout = wire.checkout_options.get(pod);
    let source = match external {
        Some(e) if e.contains_key(":git") => {
            let asked = [":branch", ":tag", ":commit"]
                .iter()
                .find_map(|k| e.get(*k).map(|v| format!("{}={v}", k.trim_start_matches(':'))));
            Source::Git {
                url: e[":git"].clone(),
                reference: asked,
                revision: checkout.and_then(|c| c.get(":commit")).cloned(),
            }
        }
        Some(e) if e.contains_key(":path") => Source::Path {
            path: join(dir, &e[":path"]),
        },
        Some(e) if e.contains_key(":podspec") => Source::Url {
            url: e[":podspec"].clone(),
        },
        _ => match spec_repo {
            None
            | Some("trunk")
            | Some("https://github.com/CocoaPods/Specs.git")
            | Some("https://cdn.cocoapods.org/") => Source::DefaultRegistry,
            Some(other) => Source::Registry { url: other.to_string() },
        },
    };
    let mut c = Component::new(Ecosystem::Cocoapods, None, pod, Some(version), source)
        .map_err(|e| format!("cannot build a purl: {e}"))?;
    if let Some(sub) = subspec {
        c.extend_purl(&[], Some(sub)).map_err(|e| e.to_string())?;
        c.properties.insert("cocoapods:subspec".into(), sub.to_string());
    }
    if let Some(sum) = wire.spec_checksums.get(pod) {
        // The SHA-1 of the podspec (its JSON form) the pod was installed from.
        c.hashes
            .insert(Hash::from_hex(HashAlgorithm::Sha1, sum).map_err(|e| format!("SPEC CHECKSUMS: {e}"))?);
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_split_into_name_and_version() {
        assert_eq!(
            name_and_parenthesis("GoogleUtilities/Environment (7.12.0)"),
            Some(("GoogleUtilities/Environment".into(), Some("7.12.0".into())))
        );
        assert_eq!(
            name_and_parenthesis("Eureka (from `https://github.com/xmartlabs/Eureka`, branch `master`)"),
            Some((
                "Eureka".into(),
                Some("from `https://github.com/xmartlabs/Eureka`, branch `master`".into())
            ))
        );
        assert_eq!(name_and_parenthesis("HAKit/Core"), Some(("HAKit/Core".into(), None)));
        assert_eq!(name_and_parenthesis("Broken (1.0"), None);
    }
}
