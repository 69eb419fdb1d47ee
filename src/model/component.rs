//! A component: one package at one version from one source, or a project root.

use super::{Ecosystem, FilePath, Hashes, License, SortedMap, SortedSet, Source};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

/// The identity of a node: its purl, plus the directory for path sources (two local crates
/// may share a name and version). Also used as the CycloneDX `bom-ref`.
/// Shared, not copied: collectors and the merge hand ids around for every edge they see.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComponentId(pub Arc<str>);

impl ComponentId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for ComponentId {
    fn from(id: String) -> ComponentId {
        ComponentId(id.into())
    }
}

impl From<&str> for ComponentId {
    fn from(id: &str) -> ComponentId {
        ComponentId(id.into())
    }
}

impl fmt::Display for ComponentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text that is usually short (names, versions, property names): up to 24 bytes are kept
/// inline, so a sighting's name and version cost no allocation (and no free on the merging
/// core).
pub type ShortText = compact_str::CompactString;

/// Whether a node is a project the scan describes (a workspace member) or a package it uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Package,
    Project,
}

/// What a component is for, where the lockfile tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Purpose {
    Library,
    Application,
}

/// How a component is needed, weakest first: the strongest path from a root decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Only for tests and development.
    Dev,
    /// Only to build (build scripts, compilers, code generators).
    Build,
    /// Needed at run time only when an optional feature is on.
    Optional,
    /// Needed at run time.
    Required,
}

impl Scope {
    pub fn id(self) -> &'static str {
        match self {
            Scope::Dev => "dev",
            Scope::Build => "build",
            Scope::Optional => "optional",
            Scope::Required => "required",
        }
    }
}

/// Where a component was found: a file relative to the scan root, and the line when known.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub path: FilePath,
    pub line: Option<usize>,
}

/// One downloadable file of a release (a wheel, an sdist) with its own hashes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Artifact {
    pub file_name: String,
    pub url: Option<String>,
    pub hashes: Hashes,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Component {
    pub id: ComponentId,
    pub role: Role,
    pub purpose: Purpose,
    pub ecosystem: Ecosystem,
    /// Group or scope part of the name where the ecosystem has one (npm `@scope`, Maven group).
    pub namespace: Option<ShortText>,
    pub name: ShortText,
    /// `None` where the file declares only a range (unresolved).
    pub version: Option<ShortText>,
    /// Shared with the purl memo and, for a registry package, with the id.
    pub purl: Option<Arc<str>>,
    pub source: Source,
    pub hashes: Hashes,
    pub artifacts: SortedSet<Artifact>,
    pub scope: Scope,
    /// The strongest scope the lockfile allows (Poetry and PDM say which groups install a
    /// package); the graph's derivation never goes above it.
    pub max_scope: Scope,
    pub licenses: SortedSet<License>,
    pub locations: SortedSet<Location, 1>,
    pub description: Option<String>,
    pub authors: Vec<String>,
    pub homepage: Option<String>,
    pub repository: Option<String>,
    /// Who supplies the component, where a document says (lockfiles do not).
    pub supplier: Option<String>,
    pub properties: SortedMap<ShortText, String>,
}

/// Whether merging the property value `new` into `old` would give `old` again: `old` is
/// already sorted and without repeats, and has every one of `new`'s values.
fn already_merged(old: &str, new: &str) -> bool {
    let mut words = old.split(' ');
    let sorted = words.next().is_some_and(|first| {
        words
            .try_fold(first, |previous, word| (previous < word).then_some(word))
            .is_some()
    });
    sorted && new.split(' ').all(|value| old.split(' ').any(|word| word == value))
}

impl Component {
    /// A package with its purl and id derived from ecosystem, name, version and source.
    pub fn new(
        ecosystem: Ecosystem,
        namespace: Option<&str>,
        name: &str,
        version: Option<&str>,
        source: Source,
    ) -> Result<Component, packageurl::Error> {
        let purl = super::purl::shared_purl(ecosystem, namespace, name, version, &source)?;
        let id = match &source {
            Source::Path { path: Some(dir) } => ComponentId::from(format!("{purl} (path:{dir})")),
            Source::Path { path: None } => ComponentId::from(format!("{purl} (path)")),
            _ => ComponentId(purl.clone()),
        };
        Ok(Component::with_identity(
            id, purl, ecosystem, namespace, name, version, source,
        ))
    }

    /// A package whose id and purl are already known (an imported SBOM states them), taken
    /// as they are.
    pub fn with_identity(
        id: ComponentId,
        purl: Arc<str>,
        ecosystem: Ecosystem,
        namespace: Option<&str>,
        name: &str,
        version: Option<&str>,
        source: Source,
    ) -> Component {
        Component {
            id,
            role: Role::Package,
            purpose: Purpose::Library,
            ecosystem,
            namespace: namespace.map(ShortText::from),
            name: ShortText::from(name),
            version: version.map(ShortText::from),
            purl: Some(purl),
            source,
            hashes: Hashes::new(),
            artifacts: SortedSet::new(),
            scope: Scope::Required,
            max_scope: Scope::Required,
            licenses: SortedSet::new(),
            locations: SortedSet::new(),
            description: None,
            authors: Vec::new(),
            homepage: None,
            repository: None,
            supplier: None,
            properties: SortedMap::new(),
        }
    }

    /// Records where the component was found.
    pub fn found_in(&mut self, path: &str, line: Option<usize>) {
        self.locations.insert(Location {
            path: FilePath::from(path),
            line,
        });
    }

    /// Adds purl qualifiers and a subpath (see [`super::purl::extend_purl`]); the id follows.
    pub fn extend_purl(&mut self, qualifiers: &[(&str, &str)], subpath: Option<&str>) -> Result<(), packageurl::Error> {
        let Some(old) = self.purl.clone() else {
            return Ok(());
        };
        let new = super::purl::extend_purl(&old, qualifiers, subpath)?;
        if let Some(rest) = self.id.0.strip_prefix(&*old) {
            self.id = ComponentId::from(format!("{new}{rest}"));
        }
        self.purl = Some(new.into());
        Ok(())
    }

    /// `name@version` (with the namespace where there is one), for messages.
    pub fn display_name(&self) -> String {
        let name = self.display_name_without_version();
        match &self.version {
            Some(v) => format!("{name}@{v}"),
            None => name,
        }
    }

    /// `namespace/name` (npm `@scope/name`), or the name alone.
    pub fn display_name_without_version(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}/{}", self.name),
            None => self.name.to_string(),
        }
    }

    /// Folds what another sighting of the same component adds (another lockfile, enrichment).
    pub fn absorb(&mut self, other: Component) {
        // Two sightings with hashes of one algorithm and nothing in common disagree about
        // the artifact: kept, and said, for the `integrity-changed` signal. (Usually the new
        // sighting's hashes are all known already, and there is nothing to compare.)
        if !other.hashes.is_subset(&self.hashes) {
            self.note_integrity_conflict(&other);
            self.hashes.extend(other.hashes);
        }
        self.locations.extend(other.locations);
        self.artifacts.append(other.artifacts);
        self.licenses.append(other.licenses);
        if other.role == Role::Project {
            self.role = Role::Project;
        }
        if other.purpose == Purpose::Application {
            self.purpose = Purpose::Application;
        }
        self.scope = self.scope.max(other.scope);
        self.max_scope = self.max_scope.max(other.max_scope);
        self.description = self.description.take().or(other.description);
        self.homepage = self.homepage.take().or(other.homepage);
        self.repository = self.repository.take().or(other.repository);
        self.supplier = self.supplier.take().or(other.supplier);
        if self.authors.is_empty() {
            self.authors = other.authors;
        }
        // A property seen with different values keeps them all, space-separated and sorted.
        // (A repeated sighting usually has the same properties: one comparison of the two.)
        if self.properties != other.properties {
            for (k, v) in other.properties {
                let merged = match self.properties.get(&k) {
                    Some(old) if *old == v || already_merged(old, &v) => continue,
                    Some(old) => {
                        let mut all: Vec<&str> = old.split(' ').chain(v.split(' ')).collect();
                        all.sort_unstable();
                        all.dedup();
                        all.join(" ")
                    }
                    _ => v,
                };
                self.properties.insert(k, merged);
            }
        }
    }

    /// Marks `integrity-conflict` (where both were seen) when, for some algorithm, the two
    /// sightings have hashes with nothing in common.
    fn note_integrity_conflict(&mut self, other: &Component) {
        for alg in self.hashes.iter().map(|h| h.algorithm).collect::<BTreeSet<_>>() {
            let of = |c: &Component| -> BTreeSet<String> {
                c.hashes
                    .iter()
                    .filter(|h| h.algorithm == alg)
                    .map(|h| h.hex())
                    .collect()
            };
            let (mine, theirs) = (of(self), of(other));
            if !theirs.is_empty() && mine.is_disjoint(&theirs) {
                let places: Vec<String> = self
                    .locations
                    .iter()
                    .chain(&other.locations)
                    .map(|l| l.path.to_string())
                    .collect();
                self.properties.insert("integrity-conflict".into(), places.join(" "));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sighting(properties: &[(&str, &str)]) -> Component {
        let mut c = Component::new(Ecosystem::Npm, None, "left-pad", Some("1.3.0"), Source::DefaultRegistry).unwrap();
        for &(k, v) in properties {
            c.properties.insert(k.into(), v.to_string());
        }
        c
    }

    fn merged(sightings: &[&[(&str, &str)]]) -> Vec<(String, String)> {
        let mut first = sighting(sightings[0]);
        for s in &sightings[1..] {
            first.absorb(sighting(s));
        }
        first
            .properties
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn properties_seen_with_different_values_keep_them_all_sorted() {
        let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
            p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        assert_eq!(merged(&[&[("a", "x")], &[("a", "x")]]), pairs(&[("a", "x")]));
        assert_eq!(
            merged(&[&[("a", "y")], &[("a", "x")], &[("a", "y")]]),
            pairs(&[("a", "x y")])
        );
        // Already merged and sorted: a value it has changes nothing.
        assert_eq!(
            merged(&[&[("a", "x z")], &[("a", "z")], &[("a", "x")]]),
            pairs(&[("a", "x z")])
        );
        // Not sorted as first seen: a second sighting sorts it, even with nothing new.
        assert_eq!(merged(&[&[("a", "z x")], &[("a", "x")]]), pairs(&[("a", "x z")]));
        assert_eq!(merged(&[&[("a", "x x")], &[("a", "x")]]), pairs(&[("a", "x")]));
        assert_eq!(
            merged(&[&[("a", "x"), ("b", "1")], &[("b", "2"), ("c", "3")]]),
            pairs(&[("a", "x"), ("b", "1 2"), ("c", "3")])
        );
    }

    #[test]
    fn already_merged_needs_sorted_distinct_words_covering_the_new_value() {
        assert!(already_merged("a b c", "b"));
        assert!(already_merged("a b c", "c a"));
        assert!(!already_merged("a b c", "d"));
        assert!(!already_merged("b a", "a"));
        assert!(!already_merged("a a", "a"));
        assert!(already_merged("", ""));
    }
}
