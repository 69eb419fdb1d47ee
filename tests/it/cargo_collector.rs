//! The Cargo collector on every fixture scenario and on a real 700-package workspace lockfile.

use crate::common::{corpus, find, fixture, scan_dir};
use bomsight::model::{DependencyKind, HashAlgorithm, Purpose, Role, Scope, Source};
use std::collections::{BTreeMap, BTreeSet};

/// One scenario of `testdata/cargo/EXPECTED.md`, which a separate script computed from the
/// lockfiles with Python's `tomllib`.
#[derive(Default)]
struct Expected {
    packages: BTreeSet<String>,
    edges: BTreeMap<String, BTreeSet<String>>,
}

fn expected_scenarios() -> BTreeMap<String, Expected> {
    let text = std::fs::read_to_string(fixture("cargo/EXPECTED.md")).unwrap();
    let mut out: BTreeMap<String, Expected> = BTreeMap::new();
    let mut current = String::new();
    let mut in_edges = false;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("## ") {
            current = name.trim().to_string();
            out.entry(current.clone()).or_default();
            in_edges = false;
            continue;
        }
        let Some(e) = out.get_mut(&current) else { continue };
        if line.starts_with("- resolved dependencies") {
            in_edges = true;
        } else if let Some(list) = line.strip_prefix("- path/workspace packages (no source): ") {
            e.packages.extend(list.split(", ").map(str::to_string));
        } else if let Some(item) = line.strip_prefix("  - ") {
            if in_edges {
                let (from, to) = item.split_once(" -> ").unwrap();
                let targets = if to == "(none)" {
                    BTreeSet::new()
                } else {
                    to.split(", ").map(str::to_string).collect()
                };
                e.edges.insert(from.to_string(), targets);
            } else {
                e.packages.insert(item.split_whitespace().next().unwrap().to_string());
            }
        }
    }
    out
}

#[test]
fn every_fixture_matches_the_independently_computed_graph() {
    let scenarios = expected_scenarios();
    assert_eq!(scenarios.len(), 7, "scenarios in EXPECTED.md");
    for (name, expected) in scenarios {
        let report = scan_dir(&fixture(&format!("cargo/{name}")));
        assert!(!report.is_partial(), "{name}: {:?}", report.diagnostics);
        let graph = &report.sbom.graph;
        let key = |c: &bomsight::model::Component| format!("{}@{}", c.name, c.version.as_deref().unwrap());
        let packages: BTreeSet<String> = graph.components().map(key).collect();
        assert_eq!(packages, expected.packages, "{name}: packages");
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for c in graph.components() {
            edges.insert(
                key(c),
                graph.dependencies(&c.id).into_iter().map(|(d, _)| key(d)).collect(),
            );
        }
        assert_eq!(edges, expected.edges, "{name}: edges");
    }
}

#[test]
fn workspace_members_are_roots_and_manifests_give_edge_kinds() {
    let report = scan_dir(&fixture("cargo/workspace"));
    let sbom = &report.sbom;
    let roots: Vec<_> = sbom.graph.roots().map(|r| r.name.as_str()).collect();
    assert_eq!(roots, ["app", "wscore"], "the excluded vendored/helper is not a member");
    let app = find(sbom, "app", "0.3.0");
    assert_eq!(app.purpose, Purpose::Application);
    assert_eq!(
        app.source,
        Source::Path {
            path: Some("crates/app".into())
        }
    );
    let helper = find(sbom, "helper", "0.1.2");
    assert_eq!(helper.role, Role::Package);
    assert_eq!(
        helper.source,
        Source::Path {
            path: Some("vendored/helper".into())
        }
    );
    assert_eq!(helper.id.as_str(), "pkg:cargo/helper@0.1.2 (path:vendored/helper)");

    let kinds: BTreeMap<String, DependencyKind> = sbom
        .graph
        .dependencies(&app.id)
        .into_iter()
        .map(|(d, k)| (d.display_name(), k))
        .collect();
    assert_eq!(kinds["autocfg@1.4.0"], DependencyKind::Build);
    assert_eq!(kinds["fnv@1.0.7"], DependencyKind::Dev);
    assert_eq!(kinds["either@1.13.0"], DependencyKind::Optional);
    assert_eq!(
        kinds["itoa@0.4.8"],
        DependencyKind::Normal,
        "renamed dependency matched by version"
    );
    assert_eq!(kinds["itoa@1.0.11"], DependencyKind::Normal);
    assert_eq!(kinds["wscore@0.3.0"], DependencyKind::Normal);

    assert_eq!(find(sbom, "autocfg", "1.4.0").scope, Scope::Build);
    assert_eq!(find(sbom, "fnv", "1.0.7").scope, Scope::Dev);
    assert_eq!(find(sbom, "either", "1.13.0").scope, Scope::Optional);
    assert_eq!(
        find(sbom, "hex", "0.4.3").scope,
        Scope::Required,
        "through the path dependency"
    );

    let ryu = find(sbom, "ryu", "1.0.18");
    assert_eq!(ryu.purl.as_deref(), Some("pkg:cargo/ryu@1.0.18"));
    assert_eq!(ryu.source, Source::DefaultRegistry);
    let hash = ryu.hashes.iter().next().unwrap();
    assert_eq!(hash.algorithm, HashAlgorithm::Sha256);
    let lock = std::fs::read_to_string(fixture("cargo/workspace/Cargo.lock")).unwrap();
    assert!(lock.contains(&format!("checksum = \"{}\"", hash.hex())));
    let loc = ryu.locations.iter().next().unwrap();
    assert_eq!(loc.path, "Cargo.lock");
    assert_eq!(lock.lines().nth(loc.line.unwrap() - 1), Some("[[package]]"));
    assert_eq!(lock.lines().nth(loc.line.unwrap()), Some("name = \"ryu\""));
}

#[test]
fn git_sources_keep_url_reference_and_revision() {
    let report = scan_dir(&fixture("cargo/git-dependency"));
    let tinygit = find(&report.sbom, "tinygit", "0.2.1");
    assert_eq!(
        tinygit.source,
        Source::Git {
            url: "https://github.com/example-org/tinygit".into(),
            reference: Some("tag=v0.2.1".into()),
            revision: Some("6dc83129995983dedfc32c4a993c430a2e919489".into()),
        }
    );
    assert_eq!(
        tinygit.purl.as_deref(),
        Some("pkg:cargo/tinygit@0.2.1?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fexample-org%2Ftinygit%406dc83129995983dedfc32c4a993c430a2e919489")
    );
    assert!(tinygit.hashes.is_empty(), "git packages have no checksum");
    let branch = find(&report.sbom, "tinybranch", "0.1.0");
    assert!(matches!(&branch.source, Source::Git { reference: Some(r), .. } if r == "branch=main"));
}

#[test]
fn registries_default_sparse_and_alternative() {
    let report = scan_dir(&fixture("cargo/alt-registry"));
    assert_eq!(
        find(&report.sbom, "fnv", "1.0.7").source,
        Source::DefaultRegistry,
        "sparse crates.io is the default"
    );
    assert_eq!(find(&report.sbom, "base64", "0.22.1").source, Source::DefaultRegistry);
    let internal = find(&report.sbom, "internal-utils", "2.1.0");
    assert_eq!(
        internal.source,
        Source::Registry {
            url: "https://cargo.example.com/index/".into()
        }
    );
    assert_eq!(
        internal.purl.as_deref(),
        Some("pkg:cargo/internal-utils@2.1.0?repository_url=https:%2F%2Fcargo.example.com%2Findex%2F")
    );
    assert_eq!(internal.hashes.len(), 1);
}

#[test]
fn v1_checksums_come_from_the_metadata_table() {
    for scenario in ["v1-handwritten", "v1-root-table"] {
        let dir = fixture(&format!("cargo/{scenario}"));
        let lock = std::fs::read_to_string(dir.join("Cargo.lock")).unwrap();
        let report = scan_dir(&dir);
        let registry: Vec<_> = report
            .sbom
            .graph
            .components()
            .filter(|c| c.source == Source::DefaultRegistry)
            .collect();
        assert!(!registry.is_empty());
        for c in registry {
            let hash = c
                .hashes
                .iter()
                .next()
                .unwrap_or_else(|| panic!("{scenario}: {} has no hash", c.display_name()));
            let key = format!("\"checksum {} {} (registry+", c.name, c.version.as_deref().unwrap());
            let line = lock.lines().find(|l| l.starts_with(&key)).unwrap();
            assert!(line.ends_with(&format!("= \"{}\"", hash.hex())), "{scenario}: {line}");
        }
    }
    let report = scan_dir(&fixture("cargo/v1-root-table"));
    assert_eq!(
        report.sbom.graph.roots().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["ancient-app"]
    );
}

#[test]
fn uv_workspace_lockfile_from_the_corpus() {
    for (version, edges, checksums) in [("0.9.9", 2752, 631), ("0.9.10", 2754, 636)] {
        let report = scan_dir(&corpus(&format!("rust/uv-{version}")));
        let graph = &report.sbom.graph;
        assert!(!report.is_partial(), "{:?}", report.diagnostics);
        assert_eq!(graph.len(), 698, "uv {version}: every [[package]] is a node");
        assert_eq!(
            graph.roots().count(),
            62,
            "uv {version}: the path packages are the workspace's crates"
        );
        assert_eq!(
            graph.edge_count(),
            edges,
            "uv {version}: every dependency string resolves to one edge"
        );
        assert_eq!(graph.components().filter(|c| !c.hashes.is_empty()).count(), checksums);
        // The member manifests are not in the corpus, so the collector says it is guessing.
        assert!(report.diagnostics.iter().any(|d| d.message.contains("crates/*")));
        let uv = graph.roots().find(|r| r.name == "uv").unwrap();
        assert_eq!(uv.version.as_deref(), Some(version));
    }
    let git_in_old: BTreeSet<String> = scan_dir(&corpus("rust/uv-0.9.9"))
        .sbom
        .graph
        .components()
        .filter(|c| c.source.kind() == "git")
        .map(|c| c.display_name())
        .collect();
    let expected = [
        "async_zip@0.0.17",
        "pubgrub@0.3.0",
        "reqwest-middleware@0.4.2",
        "reqwest-retry@0.7.0",
        "version-ranges@0.1.1",
    ];
    assert_eq!(git_in_old, expected.iter().map(|s| s.to_string()).collect());
    let still_git = scan_dir(&corpus("rust/uv-0.9.10"))
        .sbom
        .graph
        .components()
        .filter(|c| c.source.kind() == "git")
        .count();
    assert_eq!(still_git, 0, "0.9.10 moved the five crates to crates.io");
}

#[test]
fn two_lockfiles_sharing_a_package_give_one_node_with_two_locations() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        let to = dir.path().join(sub);
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(fixture("cargo/single-crate-v3/Cargo.lock"), to.join("Cargo.lock")).unwrap();
    }
    let report = scan_dir(dir.path());
    let cfg_if = find(&report.sbom, "cfg-if", "1.0.0");
    let paths: Vec<_> = cfg_if.locations.iter().map(|l| l.path.as_str()).collect();
    assert_eq!(paths, ["a/Cargo.lock", "b/Cargo.lock"]);
    assert_eq!(report.sbom.graph.components().filter(|c| c.name == "cfg-if").count(), 1);
}
