//! The collectors of Ruby, PHP, Dart, Swift, CocoaPods, Elixir, Erlang, Haskell and C/C++ on
//! hand-written fixtures and real corpus lockfiles, against `testdata/<ecosystem>/EXPECTED.md`
//! (graphs computed by a separate script from the formats' documentation).

use crate::common::{corpus, repo, scan_dir};
use bomsight::model::{Component, HashAlgorithm, Role};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// One `## directory` section of an EXPECTED.md.
struct Section {
    place: String,
    lines: Vec<String>,
}

fn sections(ecosystem: &str) -> Vec<Section> {
    let path = repo().join("testdata").join(ecosystem).join("EXPECTED.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out: Vec<Section> = Vec::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            out.push(Section {
                place: h.trim().to_string(),
                lines: Vec::new(),
            });
        } else if let Some(s) = out.last_mut() {
            if !line.trim().is_empty() {
                s.lines.push(line.trim().to_string());
            }
        }
    }
    out
}

fn dir_of(place: &str) -> PathBuf {
    match place.strip_prefix("corpus/") {
        Some(rest) => corpus(rest),
        None => repo().join(place),
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The purl without `pkg:` and qualifiers, subpath kept, percent-decoded.
fn key(c: &Component) -> String {
    let purl = c.purl.as_deref().unwrap_or_else(|| panic!("{} has no purl", c.id));
    let bare = purl.strip_prefix("pkg:").unwrap();
    let (main, subpath) = match bare.split_once('#') {
        Some((m, s)) => (m, Some(s)),
        None => (bare, None),
    };
    let main = main.split('?').next().unwrap();
    match subpath {
        Some(s) => percent_decode(&format!("{main}#{s}")),
        None => percent_decode(main),
    }
}

fn node_key(c: &Component) -> String {
    if c.role == Role::Package {
        return key(c);
    }
    // Members of a Dart pub workspace are named; every other project is the lockfile's root.
    let member = c.locations.iter().any(|l| l.path.ends_with("pubspec.yaml"));
    if member {
        format!("ROOT({})", c.name)
    } else {
        "ROOT".to_string()
    }
}

fn algorithm(a: HashAlgorithm) -> &'static str {
    match a {
        HashAlgorithm::Sha1 => "sha1",
        HashAlgorithm::Sha256 => "sha256",
        HashAlgorithm::Sha512 => "sha512",
        other => panic!("unexpected algorithm {other:?}"),
    }
}

fn check(ecosystem: &str) -> usize {
    let mut checked = 0;
    for section in sections(ecosystem) {
        let dir = dir_of(&section.place);
        let report = scan_dir(&dir);
        let errors: Vec<&String> = section.lines.iter().filter(|l| l.starts_with("error ")).collect();
        if !errors.is_empty() {
            let got: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
            for e in errors {
                let (file, line) = e["error ".len()..].rsplit_once(':').unwrap();
                let wanted = if line == "-" {
                    format!("error: {file}")
                } else {
                    format!("error: {file}:{line}: ")
                };
                assert!(
                    got.iter().any(|g| g.starts_with(&wanted)),
                    "{}: {wanted} in {got:#?}",
                    section.place
                );
            }
            assert!(report.is_partial(), "{}", section.place);
            checked += 1;
            continue;
        }
        assert!(!report.is_partial(), "{}: {:#?}", section.place, report.diagnostics);
        let graph = &report.sbom.graph;
        let mut packages: BTreeMap<String, (BTreeSet<&str>, BTreeSet<String>)> = BTreeMap::new();
        for c in graph.components().filter(|c| c.role == Role::Package) {
            let entry = packages.entry(key(c)).or_default();
            entry.0.insert(c.source.kind());
            entry.1.extend(
                c.hashes
                    .iter()
                    .map(|h| format!("{}:{}", algorithm(h.algorithm), h.hex())),
            );
        }
        let ours: BTreeSet<String> = packages
            .into_iter()
            .map(|(k, (sources, hashes))| {
                let sources: Vec<&str> = sources.into_iter().collect();
                let hashes: Vec<String> = hashes.into_iter().collect();
                let hashes = if hashes.is_empty() {
                    "-".to_string()
                } else {
                    hashes.join(",")
                };
                format!("{k} {} {hashes}", sources.join("+"))
            })
            .collect();
        let expected: BTreeSet<String> = section
            .lines
            .iter()
            .filter_map(|l| l.strip_prefix("package "))
            .map(str::to_string)
            .collect();
        assert_eq!(
            ours.difference(&expected).collect::<Vec<_>>(),
            expected.difference(&ours).collect::<Vec<_>>(),
            "{}: packages (ours | expected)",
            section.place
        );
        let our_edges: BTreeSet<String> = graph
            .edges()
            .into_iter()
            .map(|(a, b, kind)| format!("{} -> {} {}", node_key(a), node_key(b), kind.id()))
            .collect();
        let expected_edges: BTreeSet<String> = section
            .lines
            .iter()
            .filter_map(|l| l.strip_prefix("edge "))
            .map(str::to_string)
            .collect();
        assert_eq!(
            our_edges.difference(&expected_edges).collect::<Vec<_>>(),
            expected_edges.difference(&our_edges).collect::<Vec<_>>(),
            "{}: edges (ours | expected)",
            section.place
        );
        let counts = section.lines.iter().find(|l| l.starts_with("counts ")).unwrap();
        assert_eq!(
            counts,
            &format!("counts packages={} edges={}", expected.len(), expected_edges.len()),
            "{}: the expectation's own counts",
            section.place
        );
        checked += 1;
    }
    checked
}

#[test]
fn ruby_gemfile_locks_and_gemfiles() {
    assert_eq!(check("ruby"), 5);
}

#[test]
fn php_composer_locks() {
    assert_eq!(check("php"), 5);
}

#[test]
fn dart_pubspec_locks_and_workspaces() {
    assert_eq!(check("dart"), 6);
}

#[test]
fn swift_package_resolved_v1_to_v3() {
    assert_eq!(check("swift"), 8);
}

#[test]
fn cocoapods_podfile_locks() {
    assert_eq!(check("cocoapods"), 4);
}

#[test]
fn elixir_mix_locks() {
    assert_eq!(check("elixir"), 7);
}

#[test]
fn erlang_rebar_locks() {
    assert_eq!(check("erlang"), 5);
}

#[test]
fn haskell_stack_locks_and_cabal_freezes() {
    assert_eq!(check("haskell"), 9);
}

#[test]
fn cpp_conan_locks_conanfiles_and_vcpkg_manifests() {
    assert_eq!(check("cpp"), 11);
}
