//! Package ecosystems, each tied to its package-URL type.

use serde::{Deserialize, Serialize};

/// The package ecosystem a component belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ecosystem {
    Cargo,
    Npm,
    Pypi,
    Golang,
    Maven,
    Nuget,
    Gem,
    Composer,
    Pub,
    Swift,
    Cocoapods,
    Hex,
    Hackage,
    Conan,
    Generic,
}

impl Ecosystem {
    /// The package-URL `type` of this ecosystem.
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Golang => "golang",
            Ecosystem::Maven => "maven",
            Ecosystem::Nuget => "nuget",
            Ecosystem::Gem => "gem",
            Ecosystem::Composer => "composer",
            Ecosystem::Pub => "pub",
            Ecosystem::Swift => "swift",
            Ecosystem::Cocoapods => "cocoapods",
            Ecosystem::Hex => "hex",
            Ecosystem::Hackage => "hackage",
            Ecosystem::Conan => "conan",
            Ecosystem::Generic => "generic",
        }
    }

    /// The name as the ecosystem compares names: PEP 503 for PyPI (lowercase, each run of
    /// `-`, `_`, `.` one `-`), unchanged elsewhere.
    pub fn normalize_name(self, name: &str) -> String {
        match self {
            Ecosystem::Pypi => {
                let mut out = String::with_capacity(name.len());
                for c in name.trim().chars() {
                    if matches!(c, '-' | '_' | '.') {
                        if !out.ends_with('-') {
                            out.push('-');
                        }
                    } else {
                        out.push(c.to_ascii_lowercase());
                    }
                }
                out
            }
            _ => name.to_string(),
        }
    }

    /// The ecosystem of a package-URL type, if bomsight knows it.
    pub fn from_purl_type(ty: &str) -> Option<Ecosystem> {
        ALL.iter().copied().find(|e| e.purl_type().eq_ignore_ascii_case(ty))
    }
}

const ALL: [Ecosystem; 15] = [
    Ecosystem::Cargo,
    Ecosystem::Npm,
    Ecosystem::Pypi,
    Ecosystem::Golang,
    Ecosystem::Maven,
    Ecosystem::Nuget,
    Ecosystem::Gem,
    Ecosystem::Composer,
    Ecosystem::Pub,
    Ecosystem::Swift,
    Ecosystem::Cocoapods,
    Ecosystem::Hex,
    Ecosystem::Hackage,
    Ecosystem::Conan,
    Ecosystem::Generic,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_names_follow_pep_503() {
        assert_eq!(Ecosystem::Pypi.normalize_name("Typing_Extensions"), "typing-extensions");
        assert_eq!(Ecosystem::Pypi.normalize_name("zope.interface"), "zope-interface");
        assert_eq!(Ecosystem::Pypi.normalize_name("a-_.b"), "a-b");
        assert_eq!(Ecosystem::Cargo.normalize_name("Foo_bar"), "Foo_bar");
    }

    #[test]
    fn purl_types_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for e in ALL {
            assert!(seen.insert(e.purl_type()), "duplicate purl type {}", e.purl_type());
            assert_eq!(Ecosystem::from_purl_type(e.purl_type()), Some(e));
        }
    }
}
