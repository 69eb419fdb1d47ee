//! Package URLs built with the `packageurl` crate, with the source in the qualifiers.

use super::{Ecosystem, Source};
use packageurl::PackageUrl;
use std::cell::RefCell;
use std::fmt::Write;
use std::sync::Arc;

/// Builds the purl of a package. Non-default registries go in `repository_url`, git sources
/// in `vcs_url` (`git+URL@REVISION`, the form the purl spec borrows from SPDX).
///
/// Remembered per thread: a monorepo names the same package in many lockfiles, and the
/// crate's validation and escaping cost some 2,000 instructions a purl (4% of a scan).
pub fn build_purl(
    ecosystem: Ecosystem,
    namespace: Option<&str>,
    name: &str,
    version: Option<&str>,
    source: &Source,
) -> Result<String, packageurl::Error> {
    shared_purl(ecosystem, namespace, name, version, source).map(|purl| purl.to_string())
}

/// [`build_purl`]'s purl as the remembered shared copy (a component's id is its purl, so
/// the id can share it instead of copying).
pub(crate) fn shared_purl(
    ecosystem: Ecosystem,
    namespace: Option<&str>,
    name: &str,
    version: Option<&str>,
    source: &Source,
) -> Result<Arc<str>, packageurl::Error> {
    let inputs = Inputs {
        ecosystem,
        namespace,
        name,
        version,
        source: PurlSource::of(source),
    };
    BUILT.with(|cell| {
        let mut built = cell.borrow_mut();
        let hash = inputs.hash(&built.hasher);
        if let Some(entry) = built.table.find(hash, |entry| entry.matches(&inputs)) {
            return Ok(entry.purl.clone());
        }
        let purl: Arc<str> = Arc::from(encode(ecosystem, namespace, name, version, source)?);
        if built.table.len() >= REMEMBERED {
            built.table.clear();
        }
        let entry = Remembered::new(&inputs, source, hash, purl.clone());
        built.table.insert_unique(hash, entry, |entry| entry.hash);
        Ok(purl)
    })
}

/// The purls built on this thread, by their inputs.
#[derive(Default)]
struct Built {
    hasher: foldhash::fast::RandomState,
    table: hashbrown::HashTable<Remembered>,
}

thread_local! {
    static BUILT: RefCell<Built> = RefCell::default();
}

/// Purls remembered per thread before starting afresh (a few megabytes).
const REMEMBERED: usize = 1 << 16;

/// What of a source goes into a purl: nothing for the default registry and for paths.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum PurlSource<'a> {
    None,
    Registry(&'a str),
    Git {
        url: &'a str,
        revision: Option<&'a str>,
        reference: Option<&'a str>,
    },
    Url(&'a str),
}

impl PurlSource<'_> {
    fn of(source: &Source) -> PurlSource<'_> {
        match source {
            Source::DefaultRegistry | Source::Path { .. } => PurlSource::None,
            Source::Registry { url } => PurlSource::Registry(url),
            Source::Git {
                url,
                revision,
                reference,
            } => PurlSource::Git {
                url,
                revision: revision.as_deref(),
                reference: reference.as_deref(),
            },
            Source::Url { url } => PurlSource::Url(url),
        }
    }
}

/// Every input `encode` reads, borrowed: the memo is searched without building a key.
#[derive(PartialEq, Eq, Hash)]
struct Inputs<'a> {
    ecosystem: Ecosystem,
    namespace: Option<&'a str>,
    name: &'a str,
    version: Option<&'a str>,
    source: PurlSource<'a>,
}

impl Inputs<'_> {
    fn hash(&self, hasher: &foldhash::fast::RandomState) -> u64 {
        use std::hash::BuildHasher;
        hasher.hash_one(self)
    }
}

/// One remembered purl with its inputs, the short ones inline (compared without following a
/// pointer), and their hash (the table regrows without hashing again).
struct Remembered {
    hash: u64,
    ecosystem: Ecosystem,
    namespace: Option<super::ShortText>,
    name: super::ShortText,
    version: Option<super::ShortText>,
    source: Option<Box<Source>>,
    purl: Arc<str>,
}

impl Remembered {
    /// `source` is the one `inputs` were taken from; kept only when the purl depends on it.
    fn new(inputs: &Inputs<'_>, source: &Source, hash: u64, purl: Arc<str>) -> Remembered {
        Remembered {
            hash,
            ecosystem: inputs.ecosystem,
            namespace: inputs.namespace.map(Into::into),
            name: inputs.name.into(),
            version: inputs.version.map(Into::into),
            source: (inputs.source != PurlSource::None).then(|| Box::new(source.clone())),
            purl,
        }
    }

    fn matches(&self, inputs: &Inputs<'_>) -> bool {
        self.ecosystem == inputs.ecosystem
            && self.name == inputs.name
            && self.version.as_deref() == inputs.version
            && self.namespace.as_deref() == inputs.namespace
            && match &self.source {
                None => inputs.source == PurlSource::None,
                Some(source) => PurlSource::of(source) == inputs.source,
            }
    }
}

fn encode(
    ecosystem: Ecosystem,
    namespace: Option<&str>,
    name: &str,
    version: Option<&str>,
    source: &Source,
) -> Result<String, packageurl::Error> {
    let mut purl = PackageUrl::new(ecosystem.purl_type(), ecosystem.normalize_name(name))?;
    if let Some(ns) = namespace.filter(|ns| !ns.is_empty()) {
        purl.with_namespace(ns)?;
    }
    if let Some(v) = version.filter(|v| !v.is_empty()) {
        purl.with_version(v)?;
    }
    match source {
        Source::Registry { url } => {
            purl.add_qualifier("repository_url", url.as_str())?;
        }
        Source::Git {
            url,
            revision,
            reference,
        } => {
            let url = url.strip_prefix("git+").unwrap_or(url);
            // The pinned commit; where the lockfile pins none, the tag or branch asked for.
            let asked = reference.as_deref().map(|r| r.split_once('=').map_or(r, |(_, v)| v));
            let vcs = match revision.as_deref().or(asked) {
                Some(rev) => format!("git+{url}@{rev}"),
                None => format!("git+{url}"),
            };
            purl.add_qualifier("vcs_url", vcs)?;
        }
        Source::Url { url } => {
            purl.add_qualifier("download_url", url.as_str())?;
        }
        Source::DefaultRegistry | Source::Path { .. } => {}
    }
    // Sized up front: `to_string` grows the string a piece at a time (a third of the cost).
    let mut text = String::with_capacity(
        16 + name.len() + namespace.map_or(0, str::len) + version.map_or(0, str::len) + source_len(source),
    );
    write!(text, "{purl}").expect("writing to a String cannot fail");
    Ok(text)
}

/// Bytes of the source's URL in a purl qualifier, before escaping.
fn source_len(source: &Source) -> usize {
    match source {
        Source::Registry { url } | Source::Url { url } => 20 + url.len(),
        Source::Git {
            url,
            revision,
            reference,
        } => 20 + url.len() + revision.as_ref().or(reference.as_ref()).map_or(0, String::len),
        Source::DefaultRegistry | Source::Path { .. } => 0,
    }
}

/// Adds qualifiers and a subpath to a built purl: a gem's `platform`, a CocoaPods subspec, a
/// Conan recipe's `user`, `channel` and `rrev`.
pub fn extend_purl(
    purl: &str,
    qualifiers: &[(&str, &str)],
    subpath: Option<&str>,
) -> Result<String, packageurl::Error> {
    use std::str::FromStr;
    let mut parsed = PackageUrl::from_str(purl)?;
    for (key, value) in qualifiers.iter().filter(|(_, v)| !v.is_empty()) {
        parsed.add_qualifier(*key, *value)?;
    }
    if let Some(sub) = subpath.filter(|s| !s.is_empty()) {
        parsed.with_subpath(sub)?;
    }
    Ok(parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_purl_is_the_one_the_crate_builds_for_the_same_inputs() {
        let git = Source::Git {
            url: "https://github.com/o/r".into(),
            reference: Some("tag=v1".into()),
            revision: None,
        };
        let registry = Source::Registry {
            url: "https://r.example/simple".into(),
        };
        // The same texts in other fields must not find the entries above.
        let swapped = Source::Git {
            url: "https://github.com/o/r".into(),
            reference: None,
            revision: Some("tag=v1".into()),
        };
        let url = Source::Url {
            url: "https://r.example/simple".into(),
        };
        let cases = [
            (Ecosystem::Cargo, None, "x", None, &swapped),
            (Ecosystem::Cargo, None, "x", None, &git),
            (Ecosystem::Pypi, None, "x", None, &url),
            (Ecosystem::Pypi, None, "x", None, &registry),
            (Ecosystem::Npm, Some(""), "x", Some(""), &Source::DefaultRegistry),
            (Ecosystem::Npm, None, "x", None, &Source::DefaultRegistry),
            (Ecosystem::Golang, None, "x", None, &Source::DefaultRegistry),
            (
                Ecosystem::Npm,
                Some("@types"),
                "node",
                Some("20.1.0"),
                &Source::DefaultRegistry,
            ),
            (
                Ecosystem::Npm,
                None,
                "@types/node",
                Some("20.1.0"),
                &Source::DefaultRegistry,
            ),
            (Ecosystem::Pypi, None, "Typing_Extensions", Some("4.0"), &registry),
            (Ecosystem::Pypi, None, "typing-extensions", Some("4.0"), &registry),
            (Ecosystem::Cargo, None, "a1:b", None, &git),
            (Ecosystem::Cargo, Some("a1"), "b", None, &git),
            (
                Ecosystem::Cargo,
                None,
                "x",
                Some("1"),
                &Source::Path { path: Some("p".into()) },
            ),
            (
                Ecosystem::Cargo,
                None,
                "x",
                Some("1"),
                &Source::Url { url: "1:x".into() },
            ),
        ];
        // Twice over: built the first time, remembered the second.
        for _ in 0..2 {
            for (eco, ns, name, version, source) in cases {
                let direct = encode(eco, ns, name, version, source).map_err(|e| e.to_string());
                let remembered = build_purl(eco, ns, name, version, source).map_err(|e| e.to_string());
                assert_eq!(remembered, direct, "{eco:?} {ns:?} {name} {version:?}");
            }
        }
    }

    #[test]
    fn cargo_purls_carry_their_source() {
        let p = build_purl(Ecosystem::Cargo, None, "serde", Some("1.0.0"), &Source::DefaultRegistry).unwrap();
        assert_eq!(p, "pkg:cargo/serde@1.0.0");
        let git = Source::Git {
            url: "https://github.com/a/b".into(),
            reference: Some("branch=main".into()),
            revision: Some("0123abc".into()),
        };
        let p = build_purl(Ecosystem::Cargo, None, "b", Some("0.1.0"), &git).unwrap();
        assert_eq!(
            p,
            "pkg:cargo/b@0.1.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fa%2Fb%400123abc"
        );
        let reg = Source::Registry {
            url: "https://example.com/index/".into(),
        };
        let p = build_purl(Ecosystem::Cargo, None, "x", Some("1.0.0"), &reg).unwrap();
        assert_eq!(p, "pkg:cargo/x@1.0.0?repository_url=https:%2F%2Fexample.com%2Findex%2F");
    }

    #[test]
    fn npm_scopes_are_encoded_once() {
        let p = build_purl(
            Ecosystem::Npm,
            Some("@types"),
            "node",
            Some("20.1.0"),
            &Source::DefaultRegistry,
        )
        .unwrap();
        assert_eq!(p, "pkg:npm/%40types/node@20.1.0");
    }

    #[test]
    fn qualifiers_and_subpaths_are_added_in_canonical_form() {
        let p = build_purl(
            Ecosystem::Gem,
            None,
            "nokogiri",
            Some("1.16.0"),
            &Source::DefaultRegistry,
        )
        .unwrap();
        assert_eq!(
            extend_purl(&p, &[("platform", "x86_64-linux")], None).unwrap(),
            "pkg:gem/nokogiri@1.16.0?platform=x86_64-linux"
        );
        let p = build_purl(
            Ecosystem::Cocoapods,
            None,
            "GoogleUtilities",
            Some("7.12.0"),
            &Source::DefaultRegistry,
        )
        .unwrap();
        assert_eq!(
            extend_purl(&p, &[], Some("NSData+zlib")).unwrap(),
            "pkg:cocoapods/GoogleUtilities@7.12.0#NSData%2Bzlib"
        );
    }
}
