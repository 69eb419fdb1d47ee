//! package.json: how a package declares its dependencies (shared by the lock readers), and
//! on its own, with no lockfile beside or above it, the project's direct dependencies as
//! declared ranges (never invented versions).

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::SortedMap;
use crate::model::{DependencyKind, Edge};
use crate::tree::{join, parent, Tree};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone, Debug)]
pub struct PeerMeta {
    #[serde(default)]
    pub optional: bool,
}

/// Declares a struct that carries package.json's dependency maps as its own fields, keyed
/// by name (`$key`: `String`, or [`Text`](crate::borrowed_text::Text) with
/// `#[serde(borrow)]` to point into the document) with values of type `$value`, and `maps()`
/// to read them as [`DepMaps`]. Lockfile entries use it rather than `#[serde(flatten)]`,
/// which makes serde buffer every other key of the entry.
macro_rules! with_dependency_maps {
    ($key:ty => $value:ty $(, #[$map_attr:meta])*;
     $(#[$attr:meta])* $vis:vis struct $name:ident $(<$lt:lifetime>)? { $($(#[$field_attr:meta])* $field_vis:vis $field:ident: $type:ty,)* }) => {
        $(#[$attr])*
        $vis struct $name $(<$lt>)? {
            #[serde(default)]
            $(#[$map_attr])*
            pub dependencies: $crate::model::SortedMap<$key, $value>,
            #[serde(default)]
            $(#[$map_attr])*
            pub dev_dependencies: $crate::model::SortedMap<$key, $value>,
            #[serde(default)]
            $(#[$map_attr])*
            pub optional_dependencies: $crate::model::SortedMap<$key, $value>,
            #[serde(default)]
            $(#[$map_attr])*
            pub peer_dependencies: $crate::model::SortedMap<$key, $value>,
            #[serde(default)]
            $(#[$map_attr])*
            pub peer_dependencies_meta: $crate::model::SortedMap<$key, $crate::collect::javascript::package_json::PeerMeta>,
            $($(#[$field_attr])* $field_vis $field: $type,)*
        }

        impl $(<$lt>)? $name $(<$lt>)? {
            /// The dependency maps, borrowed.
            pub fn maps(&self) -> $crate::collect::javascript::package_json::DepMaps<'_, $key, $value> {
                $crate::collect::javascript::package_json::DepMaps {
                    dependencies: &self.dependencies,
                    dev_dependencies: &self.dev_dependencies,
                    optional_dependencies: &self.optional_dependencies,
                    peer_dependencies: &self.peer_dependencies,
                    peer_dependencies_meta: &self.peer_dependencies_meta,
                }
            }
        }
    };
}
pub(crate) use with_dependency_maps;

with_dependency_maps! {
    String => String;
    /// The dependency maps of a package.json, ranges included.
    #[derive(Deserialize, Default, Clone, Debug)]
    #[serde(rename_all = "camelCase")]
    pub struct DeclaredDeps {}
}

impl DeclaredDeps {
    /// See [`DepMaps::edges`].
    pub fn edges(&self, include_dev: bool) -> Vec<(&str, DependencyKind)> {
        self.maps().edges(include_dev)
    }

    /// See [`DepMaps::range`].
    pub fn range(&self, name: &str) -> Option<&str> {
        self.maps().range(name)
    }
}

/// [`DeclaredDeps`] borrowed, also from lockfile entries that keep the maps as their own
/// fields (flattening a struct into another makes serde buffer every other field of it).
/// Readers that never look at the declared ranges keep `V = IgnoredAny`.
pub struct DepMaps<'a, K = String, V = String> {
    pub dependencies: &'a SortedMap<K, V>,
    pub dev_dependencies: &'a SortedMap<K, V>,
    pub optional_dependencies: &'a SortedMap<K, V>,
    pub peer_dependencies: &'a SortedMap<K, V>,
    pub peer_dependencies_meta: &'a SortedMap<K, PeerMeta>,
}

impl<K, V> Clone for DepMaps<'_, K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K, V> Copy for DepMaps<'_, K, V> {}

impl<'a, K: Ord + AsRef<str>, V> DepMaps<'a, K, V> {
    /// Each declared dependency with its edge kind. Dev dependencies only count for the
    /// project itself (`include_dev`): installed packages' dev dependencies are not installed.
    /// A name in both `dependencies` and `optionalDependencies` is optional, as npm treats it.
    pub fn edges(self, include_dev: bool) -> Vec<(&'a str, DependencyKind)> {
        let mut out: Vec<(&'a str, DependencyKind)> = Vec::new();
        for name in self
            .dependencies
            .keys()
            .filter(|n| !self.optional_dependencies.contains_key(*n))
        {
            out.push((name.as_ref(), DependencyKind::Normal));
        }
        out.extend(
            self.optional_dependencies
                .keys()
                .map(|n| (n.as_ref(), DependencyKind::Optional)),
        );
        // An optional peer is only used when something else installs it.
        out.extend(self.peer_dependencies.keys().map(|n| {
            let optional = self.peer_dependencies_meta.get(n).is_some_and(|m| m.optional);
            (
                n.as_ref(),
                if optional {
                    DependencyKind::Optional
                } else {
                    DependencyKind::Peer
                },
            )
        }));
        if include_dev {
            out.extend(self.dev_dependencies.keys().map(|n| (n.as_ref(), DependencyKind::Dev)));
        }
        out
    }
}

impl<'a> DepMaps<'a, String, String> {
    /// The range a dependency is declared with.
    pub fn range(self, name: &str) -> Option<&'a str> {
        [
            self.dependencies,
            self.optional_dependencies,
            self.dev_dependencies,
            self.peer_dependencies,
        ]
        .into_iter()
        .find_map(|m| m.get(name))
        .map(String::as_str)
    }
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct PackageJson {
    pub name: Option<String>,
    pub version: Option<String>,
    #[serde(flatten)]
    pub deps: DeclaredDeps,
    pub workspaces: Option<serde_json::Value>,
    pub resolutions: Option<serde_json::Value>,
}

impl PackageJson {
    pub fn parse(path: &str, bytes: &[u8]) -> Result<PackageJson, Diagnostic> {
        let text = crate::text::decode_utf8(bytes).map_err(|(line, msg)| Diagnostic::error(path, line, msg))?;
        crate::collect::parse_json(path, text, "package.json")
    }

    /// Reads `dir/package.json`; `Ok(None)` when there is none.
    pub fn load(tree: &dyn Tree, dir: &str) -> Result<Option<PackageJson>, Diagnostic> {
        let path = join(dir, "package.json").unwrap_or_default();
        if !tree.is_file(&path) {
            return Ok(None);
        }
        let bytes = tree
            .read(&path)
            .map_err(|e| Diagnostic::warning(&path, None, format!("cannot read: {e}")))?;
        PackageJson::parse(&path, &bytes)
            .map(Some)
            .map_err(|d| Diagnostic::warning(d.path, d.line, d.message))
    }
}

pub struct PackageJsonOnly;

impl Collector for PackageJsonOnly {
    fn id(&self) -> &'static str {
        "npm-package-json"
    }

    fn file_names(&self) -> &'static str {
        "package.json (only where no JavaScript lockfile is beside or above it)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "package.json"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let dir = parent(file.path);
        let mut out = Collected::default();
        if crate::collect::file_in_or_above(ctx.tree, dir, super::LOCK_NAMES) {
            return Ok(out);
        }
        let manifest = PackageJson::parse(file.path, file.bytes)?;
        let root = super::project(manifest.name.as_deref(), manifest.version.as_deref(), dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        for (dep, kind) in manifest.deps.edges(true) {
            let range = manifest.deps.range(dep).unwrap_or("*");
            // `npm:real@range` aliases name another package.
            let (real, range) = match range
                .strip_prefix("npm:")
                .and_then(|a| a.rfind('@').filter(|&i| i > 0).map(|i| (&a[..i], &a[i + 1..])))
            {
                Some((real, r)) => (real, r),
                None => (dep, range),
            };
            let source = if range.contains("://")
                || range.starts_with("git")
                || range.starts_with("github:")
                || range.starts_with("file:")
            {
                super::resolved_source(Some(range), dir)
            } else {
                crate::model::Source::DefaultRegistry
            };
            // An exact version (`1.3.0`, `npm:ms@2.1.3`) pins the package; a range does not.
            let exact = semver::Version::parse(range).is_ok().then_some(range);
            match super::package(real, exact, source) {
                Ok(mut c) => {
                    c.properties.insert(
                        "declared-range".into(),
                        manifest.deps.range(dep).unwrap_or("*").to_string(),
                    );
                    if real != dep {
                        c.properties.insert("npm:alias".into(), dep.to_string());
                    }
                    c.found_in(file.path, None);
                    out.edges.push(Edge {
                        from: root.id.clone(),
                        to: c.id.clone(),
                        kind,
                    });
                    out.components.push(c);
                }
                Err(m) => out.diagnostics.push(Diagnostic::error(file.path, None, m)),
            }
        }
        out.components.push(root);
        Ok(out)
    }
}
