//! Supply-chain risk signals: what a reviewer must not miss in a release (`audit`) or in a
//! change between releases (`diff`). Each signal has a stable kebab-case id, a severity and a
//! one-line meaning; each finding names the component, says why, and shows the evidence.
//! Everything works offline, from the documents plus files the user passes.

mod advisories;
mod integrity;
mod license;
pub mod report;
mod source;
mod typosquat;

pub use advisories::Advisories;
pub use typosquat::PopularNames;

use crate::diff::{ChangeKind, DiffReport, MatchKeys};
use crate::model::{Component, DependencyGraph, Sbom};
use crate::policy::Policy;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(id: &str) -> Option<Severity> {
        [Severity::Low, Severity::Medium, Severity::High, Severity::Critical]
            .into_iter()
            .find(|s| s.id() == id)
    }
}

/// A kind of signal: its stable id, default severity and meaning.
pub struct SignalKind {
    pub id: &'static str,
    pub severity: Severity,
    pub meaning: &'static str,
}

/// Every signal bomsight raises, most severe first.
pub static SIGNALS: &[SignalKind] = &[
    SignalKind {
        id: "known-malicious",
        severity: Severity::Critical,
        meaning: "an advisory says this package (at this version) is malicious",
    },
    SignalKind {
        id: "integrity-changed",
        severity: Severity::Critical,
        meaning: "same package and version, different hash: the artifact was replaced",
    },
    SignalKind {
        id: "known-vulnerable",
        severity: Severity::High,
        meaning: "an advisory lists this version as vulnerable",
    },
    SignalKind {
        id: "typosquat",
        severity: Severity::High,
        meaning: "a new name one typo away from a popular package",
    },
    SignalKind {
        id: "source-changed",
        severity: Severity::High,
        meaning: "the package now comes from elsewhere (registry → git/URL/path, another registry)",
    },
    SignalKind {
        id: "insecure-source",
        severity: Severity::High,
        meaning: "fetched over http:// or git://",
    },
    SignalKind {
        id: "url-name-mismatch",
        severity: Severity::High,
        meaning: "the registry URL it is downloaded from is not the package's own",
    },
    SignalKind {
        id: "dependency-confusion",
        severity: Severity::High,
        meaning: "an internal package name resolved from a public registry",
    },
    SignalKind {
        id: "integrity-weakened",
        severity: Severity::Medium,
        meaning: "only weaker hash algorithms than before",
    },
    SignalKind {
        id: "integrity-missing",
        severity: Severity::Medium,
        meaning: "no hash records what was downloaded",
    },
    SignalKind {
        id: "install-script-added",
        severity: Severity::Medium,
        meaning: "runs code when installed (npm install scripts, Python sdist-only releases)",
    },
    SignalKind {
        id: "version-downgraded",
        severity: Severity::Medium,
        meaning: "version went down",
    },
    SignalKind {
        id: "license-policy",
        severity: Severity::Medium,
        meaning: "a license outside the allowed set, or a change to a copyleft license",
    },
    SignalKind {
        id: "advisory-notice",
        severity: Severity::Low,
        meaning: "an informational advisory names this version (RustSec: unmaintained, unsound, notice)",
    },
    SignalKind {
        id: "unpinned",
        severity: Severity::Low,
        meaning: "a declared range with no resolved version, or git without a pinned revision",
    },
];

pub fn kind(id: &str) -> Option<&'static SignalKind> {
    SIGNALS.iter().find(|k| k.id == id)
}

/// One signal raised for one component.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Finding {
    pub signal: &'static str,
    pub severity: Severity,
    pub ecosystem: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Where the component is declared: `PATH` or `PATH:LINE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Why it is there: a shortest path from a project root.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<String>,
    /// Set when a policy exception accepts the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// What the signals may consult besides the documents.
pub struct Context<'a> {
    pub popular: &'a PopularNames,
    pub advisories: &'a Advisories,
    pub policy: &'a Policy,
}

fn finding(
    signal: &'static str,
    c: &Component,
    graph: &DependencyGraph,
    message: String,
    evidence: Vec<String>,
) -> Finding {
    let location = c
        .locations
        .iter()
        .next()
        .map(|l| l.line.map_or_else(|| l.path.to_string(), |n| format!("{}:{n}", l.path)));
    let path = graph
        .path_from_root(&c.id)
        .map(|p| {
            p.iter()
                .map(|x| {
                    x.version.as_ref().map_or_else(
                        || x.display_name_without_version(),
                        |v| format!("{} {v}", x.display_name_without_version()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Finding {
        signal,
        severity: kind(signal).map_or(Severity::Medium, |k| k.severity),
        ecosystem: c.ecosystem.purl_type().to_string(),
        name: c.display_name_without_version(),
        version: c.version.as_deref().map(str::to_string),
        message,
        evidence,
        location,
        path,
        accepted: None,
    }
}

/// The older release's components by match key (built once: a lookup per changed component
/// must not walk the whole older graph).
pub struct Before<'a> {
    by_key: foldhash::HashMap<&'a str, Vec<&'a Component>>,
}

impl<'a> Before<'a> {
    /// `keys`: the match keys of `old`'s graph.
    pub fn new(old: &'a Sbom, keys: &'a MatchKeys) -> Before<'a> {
        Before {
            by_key: keys.group(&old.graph),
        }
    }

    /// The older components that are the same package as `c` (any version).
    pub fn same_package(&self, c: &Component) -> &[&'a Component] {
        self.by_key
            .get(crate::diff::match_key(c).as_str())
            .map_or(&[], Vec::as_slice)
    }
}

/// The signals of one release: everything in it is "new".
pub fn audit(sbom: &Sbom, ctx: &Context<'_>) -> Vec<Finding> {
    let all: Vec<&Component> = sbom.graph.components().collect();
    let mut out = Vec::new();
    advisories::check(&all, &sbom.graph, ctx, &mut out);
    typosquat::check(&all, &sbom.graph, ctx, &mut out);
    source::insecure(&all, &sbom.graph, &mut out);
    source::url_name_mismatch(&all, &sbom.graph, &mut out);
    source::unpinned(&all, &sbom.graph, &mut out);
    source::confusion(&all, &sbom.graph, ctx, &mut out);
    source::disallowed_hosts(&all, &sbom.graph, ctx, &mut out);
    integrity::missing(&all, &sbom.graph, &mut out);
    integrity::conflicts(&all, &sbom.graph, &mut out);
    license::check(&all, None, &sbom.graph, ctx, &mut out);
    finish(out, ctx)
}

/// The signals of a change: about what is new or different in `new`.
pub fn for_diff(old: &Sbom, new: &Sbom, report: &DiffReport, ctx: &Context<'_>) -> Vec<Finding> {
    for_diff_keyed(old, &MatchKeys::new(&old.graph), new, report, ctx)
}

/// `for_diff` with the match keys of `old` already computed (by the differ).
pub fn for_diff_keyed(
    old: &Sbom,
    old_keys: &MatchKeys,
    new: &Sbom,
    report: &DiffReport,
    ctx: &Context<'_>,
) -> Vec<Finding> {
    let new_by_id: HashMap<(&str, Option<&str>), Vec<&Component>> = {
        let mut m: HashMap<(&str, Option<&str>), Vec<&Component>> = HashMap::new();
        for c in new.graph.components() {
            m.entry((c.purl.as_deref().unwrap_or(c.id.as_str()), c.version.as_deref()))
                .or_default()
                .push(c);
        }
        m
    };
    let lookup = |change: &crate::diff::Change| -> Option<&Component> {
        let side = change.new.as_ref()?;
        new_by_id
            .get(&(side.purl.as_deref().unwrap_or(""), side.version.as_deref()))
            .and_then(|v| v.first().copied())
            .or_else(|| {
                new.graph.components().find(|c| {
                    c.display_name_without_version() == change.name && c.version.as_deref() == side.version.as_deref()
                })
            })
    };
    let touched: Vec<&Component> = report
        .changes
        .iter()
        .filter(|c| {
            matches!(
                c.kind,
                ChangeKind::Added
                    | ChangeKind::Upgraded
                    | ChangeKind::Downgraded
                    | ChangeKind::VersionChanged
                    | ChangeKind::SourceChanged
                    | ChangeKind::HashChanged
            )
        })
        .filter_map(lookup)
        .collect();
    let mut seen = HashSet::new();
    let touched_unique: Vec<&Component> = touched.into_iter().filter(|c| seen.insert(&c.id)).collect();
    let added: Vec<&Component> = report
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Added)
        .filter_map(lookup)
        .collect();
    let mut out = Vec::new();
    for change in &report.changes {
        let Some(c) = lookup(change) else { continue };
        let (signal, message) = match change.kind {
            // A file of an SPDX document has no version: a new checksum is new content.
            ChangeKind::HashChanged if c.version.is_some() && !c.properties.contains_key("spdx:file") => {
                ("integrity-changed", change.detail.clone())
            }
            // A private registry's package now resolved from the public one.
            ChangeKind::SourceChanged
                if change.old.as_ref().is_some_and(|o| o.source.starts_with("registry+"))
                    && change.new.as_ref().is_some_and(|n| n.source == "registry") =>
            {
                (
                    "dependency-confusion",
                    format!("{} moved from a private registry to the public one", change.name),
                )
            }
            ChangeKind::SourceChanged => ("source-changed", change.detail.clone()),
            ChangeKind::Downgraded => ("version-downgraded", change.detail.clone()),
            _ => continue,
        };
        let evidence = [change.old.as_ref(), change.new.as_ref()]
            .iter()
            .zip(["old", "new"])
            .filter_map(|(s, label)| {
                s.map(|s| {
                    format!(
                        "{label}: {} {} {}",
                        s.version.as_deref().unwrap_or("-"),
                        s.source,
                        s.hashes.join(" ")
                    )
                })
            })
            .collect();
        out.push(finding(signal, c, &new.graph, message, evidence));
    }
    advisories::check(&touched_unique, &new.graph, ctx, &mut out);
    typosquat::check(&added, &new.graph, ctx, &mut out);
    source::insecure(&touched_unique, &new.graph, &mut out);
    source::url_name_mismatch(&touched_unique, &new.graph, &mut out);
    source::unpinned(&touched_unique, &new.graph, &mut out);
    source::confusion(&touched_unique, &new.graph, ctx, &mut out);
    source::disallowed_hosts(&touched_unique, &new.graph, ctx, &mut out);
    integrity::missing(&touched_unique, &new.graph, &mut out);
    let before = Before::new(old, old_keys);
    integrity::weakened(&before, &touched_unique, &new.graph, &mut out);
    integrity::install_scripts(&before, &touched_unique, &new.graph, &mut out);
    license::check(&touched_unique, Some(&before), &new.graph, ctx, &mut out);
    finish(out, ctx)
}

/// Applies the policy's severities and exceptions, then sorts: most severe first.
fn finish(mut out: Vec<Finding>, ctx: &Context<'_>) -> Vec<Finding> {
    for f in &mut out {
        if let Some(s) = ctx.policy.severity_of(f.signal) {
            f.severity = s;
        }
        f.accepted = ctx.policy.exception_for(f);
    }
    out.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.severity),
            a.signal,
            &a.ecosystem,
            &a.name,
            &a.version,
            &a.message,
        )
            .cmp(&(
                std::cmp::Reverse(b.severity),
                b.signal,
                &b.ecosystem,
                &b.name,
                &b.version,
                &b.message,
            ))
    });
    out.dedup_by(|a, b| a.signal == b.signal && a.name == b.name && a.version == b.version && a.message == b.message);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_ids_are_unique_kebab_case_and_sorted_by_severity() {
        let mut seen = std::collections::BTreeSet::new();
        for k in SIGNALS {
            assert!(seen.insert(k.id), "{}", k.id);
            assert!(k.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
        }
        assert!(SIGNALS.windows(2).all(|w| w[0].severity >= w[1].severity));
        // Signal and change ids never collide: --fail-on takes both.
        for k in crate::diff::ALL_KINDS {
            assert!(!seen.contains(k.id()) || k.id() == "source-changed", "{}", k.id());
        }
    }
}
