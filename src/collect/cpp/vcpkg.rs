//! `vcpkg.json` manifests: the declared `dependencies` (names, or objects with `features`,
//! `platform`, `host` for build tools, `version>=` minimums), `overrides` (exact versions) and
//! the `builtin-baseline` (the commit of the vcpkg registry the ports come from). vcpkg has no
//! purl type: components are `pkg:generic`, with the registry commit in `vcs_url`.

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Source};
use crate::tree::parent;
use serde::Deserialize;
use serde_json::Value;

const VCPKG_REGISTRY: &str = "https://github.com/microsoft/vcpkg";

#[derive(Deserialize)]
struct Manifest {
    name: Option<String>,
    #[serde(flatten)]
    version: Version,
    #[serde(rename = "builtin-baseline")]
    builtin_baseline: Option<String>,
    #[serde(default)]
    dependencies: Vec<Value>,
    #[serde(default)]
    overrides: Vec<Override>,
}

/// vcpkg's four spellings of a version field; a manifest uses one.
#[derive(Deserialize)]
struct Version {
    version: Option<String>,
    #[serde(rename = "version-string")]
    version_string: Option<String>,
    #[serde(rename = "version-semver")]
    version_semver: Option<String>,
    #[serde(rename = "version-date")]
    version_date: Option<String>,
}

impl Version {
    fn get(&self) -> Option<&str> {
        [
            &self.version,
            &self.version_string,
            &self.version_semver,
            &self.version_date,
        ]
        .into_iter()
        .find_map(|v| v.as_deref())
    }
}

#[derive(Deserialize)]
struct Override {
    name: String,
    #[serde(flatten)]
    version: Version,
}

pub struct VcpkgManifest;

impl Collector for VcpkgManifest {
    fn id(&self) -> &'static str {
        "vcpkg-json"
    }

    fn file_names(&self) -> &'static str {
        "vcpkg.json"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "vcpkg.json"
    }

    fn collect(&self, file: &SourceFile<'_>, _ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let manifest: Manifest = crate::collect::parse_json(file.path, text, "vcpkg.json")?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let version = manifest.version.get();
        let mut root = crate::collect::project(
            Ecosystem::Generic,
            None,
            manifest.name.as_deref(),
            version,
            dir,
            file.path,
        )
        .map_err(|m| Diagnostic::error(file.path, None, m))?;
        if let Some(b) = &manifest.builtin_baseline {
            root.properties.insert("vcpkg:builtin-baseline".into(), b.clone());
        }
        let source = match &manifest.builtin_baseline {
            Some(commit) => Source::Git {
                url: VCPKG_REGISTRY.to_string(),
                reference: None,
                revision: Some(commit.clone()),
            },
            None => Source::DefaultRegistry,
        };
        for (i, dep) in manifest.dependencies.iter().enumerate() {
            let (name, host) = match dep {
                Value::String(n) => (n.as_str(), false),
                Value::Object(o) => (
                    o.get("name").and_then(Value::as_str).ok_or_else(|| {
                        Diagnostic::error(file.path, None, format!("dependency {} has no name", i + 1))
                    })?,
                    o.get("host").and_then(Value::as_bool).unwrap_or(false),
                ),
                _ => {
                    return Err(Diagnostic::error(
                        file.path,
                        None,
                        format!("dependency {} is neither a name nor an object", i + 1),
                    ))
                }
            };
            let pinned = manifest
                .overrides
                .iter()
                .find(|o| o.name == name)
                .and_then(|o| o.version.get());
            let mut c = Component::new(Ecosystem::Generic, None, name, pinned, source.clone())
                .map_err(|e| Diagnostic::error(file.path, None, format!("`{name}`: {e}")))?;
            if let Value::Object(o) = dep {
                if let Some(min) = o.get("version>=").and_then(Value::as_str) {
                    c.properties.insert("declared-range".into(), format!(">={min}"));
                }
                if let Some(p) = o.get("platform").and_then(Value::as_str) {
                    c.properties.insert("vcpkg:platform".into(), p.to_string());
                }
                let features: Vec<&str> = o
                    .get("features")
                    .and_then(Value::as_array)
                    .map(|f| {
                        f.iter()
                            .filter_map(|x| x.as_str().or_else(|| x.get("name").and_then(Value::as_str)))
                            .collect()
                    })
                    .unwrap_or_default();
                if !features.is_empty() {
                    c.properties.insert("vcpkg:features".into(), features.join(" "));
                }
            }
            c.properties.insert("vcpkg:port".into(), "true".into());
            c.found_in(file.path, None);
            out.depend(
                &root.id,
                c,
                if host {
                    DependencyKind::Build
                } else {
                    DependencyKind::Normal
                },
            );
        }
        out.components.push(root);
        Ok(out)
    }
}
