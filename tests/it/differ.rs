//! The differ on real release pairs from the corpus, with the expected changes worked out
//! independently (from the lockfiles themselves), on round trips (always empty), on git
//! revisions, and through the command line's exit codes and report formats.

use crate::common::{corpus, fixture, scan_dir};
use bomsight::diff::{diff, ChangeKind, DiffReport};
use bomsight::export::find_format;
use bomsight::import::import;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn details(report: &DiffReport, kind: ChangeKind) -> BTreeSet<String> {
    report
        .changes
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.detail.clone())
        .collect()
}

fn names(report: &DiffReport, kind: ChangeKind) -> BTreeSet<String> {
    report
        .changes
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.name.clone())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn diff_dirs(old: &str, new: &str) -> DiffReport {
    diff(&scan_dir(&corpus(old)).sbom, &scan_dir(&corpus(new)).sbom, old, new)
}

#[test]
fn uv_release_renames_its_git_forks_to_registry_crates() {
    // From the two Cargo.lock files by name: six crates appear, six disappear (the git forks
    // were replaced by renamed crates.io releases: never matched fuzzily), six change version.
    let r = diff_dirs("rust/uv-0.9.9", "rust/uv-0.9.10");
    let added = [
        "astral-pubgrub",
        "astral-reqwest-middleware",
        "astral-reqwest-retry",
        "astral-version-ranges",
        "astral_async_http_range_reader",
        "astral_async_zip",
    ];
    let removed = [
        "async_http_range_reader",
        "async_zip",
        "pubgrub",
        "reqwest-middleware",
        "reqwest-retry",
        "version-ranges",
    ];
    assert_eq!(names(&r, ChangeKind::Added), set(&added));
    assert_eq!(names(&r, ChangeKind::Removed), set(&removed));
    assert_eq!(
        details(&r, ChangeKind::Upgraded),
        set(&[
            "ambient-id 0.0.5 → 0.0.6",
            "indicatif 0.18.2 → 0.18.3",
            "rustls-native-certs 0.8.1 → 0.8.2",
            "uv 0.9.9 → 0.9.10",
            "uv-build 0.9.9 → 0.9.10",
            "uv-version 0.9.9 → 0.9.10"
        ])
    );
    for kind in [
        ChangeKind::Downgraded,
        ChangeKind::HashChanged,
        ChangeKind::SourceChanged,
        ChangeKind::VersionChanged,
    ] {
        assert_eq!(r.count(kind), 0, "{kind:?}");
    }
    // Every added crate says why it is there.
    let pubgrub = r
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::Added && c.name == "astral-pubgrub")
        .unwrap();
    assert_eq!(pubgrub.path, ["uv-resolver 0.0.1", "astral-pubgrub 0.3.2"]);
}

#[test]
fn hono_release_holds_a_real_downgrade() {
    // hono 4.12.33's bun.lock has @typescript-eslint/* at 8.62.1 and a nested 8.63.0 copy;
    // 4.12.34 keeps only 8.62.1: the dependents of 8.63.0 went down.
    let r = diff_dirs("javascript/hono-v4.12.33", "javascript/hono-v4.12.34");
    let expected: Vec<String> = [
        "project-service",
        "scope-manager",
        "typescript-estree",
        "utils",
        "visitor-keys",
    ]
    .iter()
    .map(|p| format!("@typescript-eslint/{p} 8.63.0 → 8.62.1"))
    .collect();
    assert_eq!(details(&r, ChangeKind::Downgraded), expected.into_iter().collect());
    assert_eq!(details(&r, ChangeKind::Upgraded), set(&["hono 4.12.33 → 4.12.34"]));
    assert_eq!(r.count(ChangeKind::Added) + r.count(ChangeKind::Removed), 0);
}

#[test]
fn cyclonedx_sboms_of_two_releases() {
    let read = |p: &str| import(p, &std::fs::read(corpus(p)).unwrap()).unwrap().sbom;
    let (a, b) = (
        "sboms/mongo-c-driver-2.4.0/cyclonedx.sbom.json",
        "sboms/mongo-c-driver-2.5.0/cyclonedx.sbom.json",
    );
    let r = diff(&read(a), &read(b), a, b);
    assert_eq!(r.changes.len(), 1, "{:#?}", r.changes);
    assert_eq!(
        details(&r, ChangeKind::Upgraded),
        set(&["juliastrings/utf8proc v2.8.0 → v2.11.3"])
    );
}

/// The files of an SPDX tag-value document and their SHA-1, read here line by line.
fn spdx_files(path: &Path) -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut files = std::collections::BTreeMap::new();
    let mut current = None;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("FileName: ") {
            current = Some(name.trim().to_string());
        } else if let Some(sum) = line.strip_prefix("FileChecksum: SHA1: ") {
            files.insert(current.clone().unwrap(), sum.trim().to_string());
        }
    }
    files
}

#[test]
fn spdx_file_checksums_of_two_releases() {
    let (a, b) = (
        "sboms/freertos-kernel-V11.1.0/sbom.spdx",
        "sboms/freertos-kernel-V11.2.0/sbom.spdx",
    );
    let (fa, fb) = (spdx_files(&corpus(a)), spdx_files(&corpus(b)));
    let changed = fa.iter().filter(|(f, h)| fb.get(*f).is_some_and(|g| g != *h)).count();
    let gone = fa.keys().filter(|f| !fb.contains_key(*f)).count();
    let new = fb.keys().filter(|f| !fa.contains_key(*f)).count();
    let read = |p: &str| import(p, &std::fs::read(corpus(p)).unwrap()).unwrap().sbom;
    let r = diff(&read(a), &read(b), a, b);
    assert_eq!(r.count(ChangeKind::HashChanged), changed);
    assert_eq!(r.count(ChangeKind::Removed), gone);
    assert_eq!(r.count(ChangeKind::Added), new);
    assert_eq!(
        details(&r, ChangeKind::Upgraded),
        set(&["FreeRTOS-Kernel v11.1.0 → V11.2.0"]),
        "the document spells it V11.2.0"
    );
}

#[test]
fn a_document_diffed_with_its_own_export_is_unchanged() {
    let mut dirs = vec![
        corpus("rust/uv-0.9.10"),
        corpus("javascript/hono-v4.12.34"),
        corpus("python/pydantic-v2.13.0"),
    ];
    for ecosystem in ["cargo", "python", "javascript"] {
        dirs.push(fixture(&format!(
            "{ecosystem}/{}",
            if ecosystem == "cargo" {
                "workspace"
            } else if ecosystem == "python" {
                "uv-workspace"
            } else {
                "npm-v3"
            }
        )));
    }
    for dir in dirs {
        let original = scan_dir(&dir).sbom;
        for format in ["cyclonedx-json", "cyclonedx-json@1.5", "spdx-json", "spdx-tag-value"] {
            let back = import("x", &find_format(format).unwrap().render(&original))
                .unwrap()
                .sbom;
            let r = diff(&original, &back, "scan", format);
            assert!(
                r.changes.is_empty(),
                "{} via {format}: {:#?}",
                dir.display(),
                &r.changes[..r.changes.len().min(5)]
            );
        }
    }
}

#[test]
fn names_never_match_across_packages() {
    use bomsight::model::{Component, Ecosystem, GraphBuilder, Sbom, Source, Subject, Timestamp};
    let sbom = |items: &[(Ecosystem, Option<&str>, &str)]| {
        let mut b = GraphBuilder::new();
        for (e, ns, n) in items {
            b.add_component(Component::new(*e, *ns, n, Some("1.0.0"), Source::DefaultRegistry).unwrap());
        }
        Sbom {
            subject: Subject {
                name: "x".into(),
                version: None,
            },
            created: Timestamp(0),
            graph: b.build().0,
        }
    };
    let old = sbom(&[
        (Ecosystem::Npm, Some("@types"), "react"),
        (Ecosystem::Pypi, None, "Typing_Extensions"),
    ]);
    let new = sbom(&[
        (Ecosystem::Npm, None, "react"),
        (Ecosystem::Pypi, None, "typing.extensions"),
    ]);
    let r = diff(&old, &new, "a", "b");
    assert_eq!(
        names(&r, ChangeKind::Added),
        set(&["react"]),
        "@types/react is not react"
    );
    assert_eq!(names(&r, ChangeKind::Removed), set(&["@types/react"]));
    assert_eq!(r.changes.len(), 2, "PEP 503 names match: {:#?}", r.changes);
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn two_git_revisions_are_read_without_checkout() {
    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    git(r, &["init", "-q"]);
    git(r, &["config", "user.email", "t@example.com"]);
    git(r, &["config", "user.name", "t"]);
    for (i, version) in ["0.9.9", "0.9.10"].iter().enumerate() {
        for f in ["Cargo.lock", "Cargo.toml"] {
            std::fs::copy(corpus(&format!("rust/uv-{version}/{f}")), r.join(f)).unwrap();
        }
        git(r, &["add", "."]);
        git(r, &["commit", "-q", "-m", &format!("release {i}")]);
        git(r, &["tag", &format!("v{version}")]);
    }
    // The working tree now differs from both revisions: the diff must not look at it.
    std::fs::write(r.join("Cargo.lock"), "garbage").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_bomsight"))
        .args([
            "diff",
            "v0.9.9",
            "HEAD",
            "--repo",
            r.to_str().unwrap(),
            "--format",
            "json",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_dirs = diff_dirs("rust/uv-0.9.9", "rust/uv-0.9.10");
    assert_eq!(report["changes"].as_array().unwrap().len(), by_dirs.changes.len());
    assert_eq!(report["summary"]["added"], 6);
}

fn bomsight(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bomsight"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn fail_on_sets_the_exit_code() {
    let (a, b) = (corpus("javascript/hono-v4.12.33"), corpus("javascript/hono-v4.12.34"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    assert_eq!(
        bomsight(&["diff", a, b, "-q", "--fail-on", "downgraded"]).status.code(),
        Some(1)
    );
    assert_eq!(
        bomsight(&["diff", a, b, "-q", "--fail-on", "hash-changed,source-changed"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        bomsight(&["diff", a, a, "-q", "--fail-on", "any"]).status.code(),
        Some(0)
    );
    let bad = bomsight(&["diff", a, b, "--fail-on", "bogus"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown change kind or signal `bogus`"));
    let missing = bomsight(&["diff", "no-such-thing", b, "--repo", a]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-thing"));
    // A broken input still gives a report, with exit 3.
    let broken = fixture("cargo/broken");
    let partial = bomsight(&["diff", broken.to_str().unwrap(), b, "-q"]);
    assert_eq!(partial.status.code(), Some(3));
    assert!(!partial.stdout.is_empty());
}

#[test]
fn json_report_follows_its_published_schema_and_markdown_stays_short() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("diff.json");
    let md = dir.path().join("diff.md");
    let (a, b) = (corpus("rust/uv-0.9.9"), corpus("rust/uv-0.9.10"));
    let out = bomsight(&[
        "diff",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-q",
        "-o",
        &format!("json={}", json.display()),
        "-o",
        &format!("markdown={}", md.display()),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with(
            "6 added, 6 removed, 6 upgraded, 2 now-direct, 1 now-transitive, 26 edge-added, 24 edge-removed\n"
        ),
        "{text}"
    );
    let schema = crate::common::repo().join("formats/diff-report.schema.json");
    let venv = std::env::var("ORACLES_HOME").unwrap_or_else(|_| "/tmp/oracles".into());
    let check = Command::new(format!("{venv}/venv/bin/python"))
        .args(["-c", "import json,sys,jsonschema; s=json.load(open(sys.argv[1])); jsonschema.Draft202012Validator.check_schema(s); jsonschema.Draft202012Validator(s).validate(json.load(open(sys.argv[2])))"])
        .arg(&schema)
        .arg(&json)
        .output()
        .expect("the validators are installed by scripts/test");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let markdown = std::fs::read_to_string(&md).unwrap();
    assert!(markdown.starts_with("### bomsight:"));
    assert!(markdown.contains("| `added` | 6 |"));
    assert!(markdown.contains("<details>"), "long lists fold");
    let small =
        bomsight::diff::report::render_markdown_with_limit(&diff_dirs("rust/uv-0.9.9", "rust/uv-0.9.10"), 1_500);
    assert!(small.len() <= 1_500, "{}", small.len());
    assert!(small.contains("not shown to stay under 1500 characters"));
}

/// One pair of `testdata/diff/EXPECTED.md`, computed by a separate script from the files.
#[derive(Default, Debug)]
struct ExpectedPair {
    added: BTreeSet<(String, String)>,
    removed: BTreeSet<(String, String)>,
    /// name → (old, new, direction)
    changed: std::collections::BTreeMap<String, (String, String, String)>,
    multi: BTreeSet<String>,
}

fn expected_pairs() -> Vec<(String, String, ExpectedPair)> {
    let text = std::fs::read_to_string(fixture("diff/EXPECTED.md")).unwrap();
    let mut out: Vec<(String, String, ExpectedPair)> = Vec::new();
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("## ") {
            let (a, b) = header.split_once(" -> ").unwrap();
            out.push((a.to_string(), b.to_string(), ExpectedPair::default()));
            continue;
        }
        let Some((_, _, e)) = out.last_mut() else { continue };
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.first().copied() {
            Some("added") => {
                e.added.insert((w[1].to_string(), w[2].to_string()));
            }
            Some("removed") => {
                e.removed.insert((w[1].to_string(), w[2].to_string()));
            }
            Some("changed") => {
                e.changed
                    .insert(w[1].to_string(), (w[2].to_string(), w[4].to_string(), w[5].to_string()));
            }
            Some("multi") => {
                e.multi.insert(w[1].to_string());
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_corpus_release_pair_matches_the_independent_expectation() {
    let pairs = expected_pairs();
    assert_eq!(pairs.len(), 8);
    for (old, new, exp) in pairs {
        // A release folder of lockfiles is scanned; one of `sboms/` holds a single SBOM.
        let load = |p: &str| -> bomsight::model::Sbom {
            let path = corpus(p);
            if p.starts_with("sboms/") {
                let file = std::fs::read_dir(&path).unwrap().next().unwrap().unwrap().path();
                import("x", &std::fs::read(file).unwrap()).unwrap().sbom
            } else {
                scan_dir(&path).sbom
            }
        };
        let r = diff(&load(&old), &load(&new), &old, &new);
        let norm = |c: &bomsight::diff::Change| {
            if c.ecosystem == "pypi" {
                bomsight::model::Ecosystem::Pypi.normalize_name(&c.name)
            } else {
                c.name.clone()
            }
        };
        let version = |s: &Option<bomsight::diff::Side>| s.as_ref().and_then(|s| s.version.clone()).unwrap_or_default();
        let pick = |kind: ChangeKind| -> BTreeSet<(String, String)> {
            r.changes
                .iter()
                .filter(|c| c.kind == kind && !exp.multi.contains(&norm(c)))
                .filter(|c| {
                    c.old
                        .as_ref()
                        .or(c.new.as_ref())
                        .is_some_and(|s| !s.source.starts_with("path"))
                })
                .map(|c| {
                    (
                        norm(c),
                        version(if kind == ChangeKind::Added { &c.new } else { &c.old }),
                    )
                })
                .collect()
        };
        assert_eq!(pick(ChangeKind::Added), exp.added, "{old} -> {new}: added");
        // pydantic-core moves from PyPI to the workspace (editable, unversioned): bomsight
        // pairs it and says so; the script, which skips unversioned packages, calls it removed.
        let mut removed = exp.removed.clone();
        if old.contains("pydantic") {
            assert!(removed.remove(&("pydantic-core".to_string(), "2.41.5".to_string())));
            let moved = r
                .changes
                .iter()
                .find(|c| c.name == "pydantic-core" && c.kind == ChangeKind::SourceChanged)
                .expect("source change");
            assert_eq!(moved.detail, "pydantic-core: default registry → path+pydantic-core");
        }
        assert_eq!(pick(ChangeKind::Removed), removed, "{old} -> {new}: removed");
        let versioned: std::collections::BTreeMap<String, (String, String, String)> = r
            .changes
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    ChangeKind::Upgraded | ChangeKind::Downgraded | ChangeKind::VersionChanged
                )
            })
            .filter(|c| !(exp.multi.contains(&norm(c)) || old.contains("pydantic") && c.name == "pydantic-core"))
            // The projects themselves (local paths) are not in the script's package lists.
            .filter(|c| c.new.as_ref().is_some_and(|s| !s.source.starts_with("path")))
            .map(|c| {
                let dir = match c.kind {
                    ChangeKind::Upgraded => "up",
                    ChangeKind::Downgraded => "down",
                    _ => "?",
                };
                (norm(c), (version(&c.old), version(&c.new), dir.to_string()))
            })
            .collect();
        assert_eq!(versioned, exp.changed, "{old} -> {new}: version changes");
        let mentioned: BTreeSet<String> = r.changes.iter().map(norm).collect();
        for m in &exp.multi {
            assert!(
                mentioned.contains(m),
                "{old} -> {new}: {m} has different versions but no change"
            );
        }
    }
}
