//! Integrity signals: missing hashes, weaker algorithms than before, two lockfiles that
//! disagree about one artifact, and packages that run code when installed.

use super::{finding, Before, Finding};
use crate::model::{Component, DependencyGraph, Ecosystem, HashAlgorithm, Source};

fn strongest(c: &Component) -> Option<HashAlgorithm> {
    c.hashes
        .iter()
        .chain(c.artifacts.iter().flat_map(|a| &a.hashes))
        .map(|h| h.algorithm)
        .max()
}

fn has_integrity(c: &Component) -> bool {
    strongest(c).is_some() || c.properties.contains_key("yarn:checksum")
}

/// Ecosystems whose lockfiles record no archive hash at all, or only in newer formats
/// (Bundler 2.5+ `CHECKSUMS`, Mix's outer checksum) or only for some archives (Composer leaves
/// `shasum` empty for GitHub's): there a missing hash says something only when the scan's
/// other packages of that ecosystem have one.
fn hashes_optional(e: Ecosystem) -> bool {
    matches!(
        e,
        Ecosystem::Gem
            | Ecosystem::Composer
            | Ecosystem::Hex
            | Ecosystem::Hackage
            | Ecosystem::Conan
            | Ecosystem::Swift
            | Ecosystem::Generic
    )
}

/// Registry packages with no hash at all (a path or git source has none by nature).
pub fn missing(components: &[&Component], graph: &DependencyGraph, out: &mut Vec<Finding>) {
    let hashed: std::collections::BTreeSet<Ecosystem> = graph
        .components()
        .filter(|c| has_integrity(c))
        .map(|c| c.ecosystem)
        .collect();
    for c in components
        .iter()
        .filter(|c| !hashes_optional(c.ecosystem) || hashed.contains(&c.ecosystem))
    {
        // Optional packages and other platforms' binaries (Yarn `conditions`) are locked
        // without a hash where they were never fetched.
        let platform_only = c.scope == crate::model::Scope::Optional || c.properties.contains_key("yarn:conditions");
        let from_registry = matches!(
            c.source,
            Source::DefaultRegistry | Source::Registry { .. } | Source::Url { .. }
        ) && !platform_only;
        if from_registry && c.version.is_some() && !has_integrity(c) && !c.properties.contains_key("spdx:file") {
            out.push(finding(
                "integrity-missing",
                c,
                graph,
                format!("{} has no integrity hash", c.display_name()),
                Vec::new(),
            ));
        }
    }
}

/// The same package's strongest algorithm is weaker than in the older document.
pub fn weakened(old: &Before<'_>, components: &[&Component], graph: &DependencyGraph, out: &mut Vec<Finding>) {
    for c in components {
        let Some(now) = strongest(c) else { continue };
        let before = old.same_package(c).iter().copied().filter_map(strongest).max();
        if let Some(before) = before.filter(|b| now < *b) {
            let message = format!(
                "{}: strongest hash is now {} (was {})",
                c.display_name(),
                now.cyclonedx_name(),
                before.cyclonedx_name()
            );
            out.push(finding("integrity-weakened", c, graph, message, Vec::new()));
        }
    }
}

/// Two lockfiles of one scan give one component different hashes of one algorithm.
pub fn conflicts(components: &[&Component], graph: &DependencyGraph, out: &mut Vec<Finding>) {
    for c in components {
        if let Some(conflict) = c.properties.get("integrity-conflict") {
            let evidence = conflict.split(' ').map(str::to_string).collect();
            out.push(finding(
                "integrity-changed",
                c,
                graph,
                format!("{}: the lockfiles disagree about its hash", c.display_name()),
                evidence,
            ));
        }
    }
}

/// npm and pnpm install scripts; Python releases with only a source distribution (building
/// one runs its setup code). Yarn, bun, Cargo and the other ecosystems do not record it.
pub fn install_scripts(old: &Before<'_>, components: &[&Component], graph: &DependencyGraph, out: &mut Vec<Finding>) {
    for c in components {
        let Some(why) = runs_code(c) else { continue };
        let already = old
            .same_package(c)
            .iter()
            .any(|o| o.version == c.version && runs_code(o).is_some());
        if !already {
            out.push(finding(
                "install-script-added",
                c,
                graph,
                format!("{}: {why}", c.display_name()),
                Vec::new(),
            ));
        }
    }
}

fn runs_code(c: &Component) -> Option<&'static str> {
    if c.properties.get("npm:hasInstallScript").map(String::as_str) == Some("true") {
        return Some("runs an install script");
    }
    let sdist_only = !c.artifacts.is_empty()
        && c.artifacts.iter().all(|a| !a.file_name.ends_with(".whl"))
        && c.artifacts
            .iter()
            .any(|a| a.file_name.ends_with(".tar.gz") || a.file_name.ends_with(".zip"));
    sdist_only.then_some("only a source distribution: installing it runs its build code")
}
