//! The JavaScript collectors on lockfiles generated here by npm 6 and 11, yarn 1 and 4,
//! pnpm 7, 8 and 9 and bun, checked against `testdata/javascript/EXPECTED.md` (computed by a
//! separate script), and on the real locks of `../shared/corpus/javascript`.

use crate::common::{corpus, fixture, scan_dir};
use bomsight::model::{Component, Role, Source};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Default, Debug)]
struct Expected {
    /// name@version → (scope, integrity count)
    packages: BTreeMap<String, (String, usize)>,
    edges: BTreeSet<(String, String)>,
    roots: BTreeSet<String>,
    /// declared name → (range, scope)
    declared: BTreeMap<String, (String, String)>,
}

fn expected() -> BTreeMap<String, Expected> {
    let text = std::fs::read_to_string(fixture("javascript/EXPECTED.md")).unwrap();
    let mut out: BTreeMap<String, Expected> = BTreeMap::new();
    let mut current = String::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("## ") {
            current = name.trim().to_string();
            out.entry(current.clone()).or_default();
            continue;
        }
        let Some(e) = out.get_mut(&current) else { continue };
        let words: Vec<&str> = line.split_whitespace().collect();
        let field = |k: &str| words.iter().find_map(|w| w.strip_prefix(k)).unwrap_or("").to_string();
        match words.first().copied() {
            Some("package") => {
                e.packages.insert(
                    words[1].to_string(),
                    (field("scope="), field("integrity=").parse().unwrap()),
                );
            }
            Some("edge") => {
                e.edges.insert((words[1].to_string(), words[3].to_string()));
            }
            Some("root") => {
                e.roots.insert(words[1].to_string());
            }
            Some("declared") => {
                e.declared.insert(
                    words[1].to_string(),
                    (field("range=").replace('_', " "), field("scope=")),
                );
            }
            _ => {}
        }
    }
    out
}

fn key(c: &Component) -> String {
    format!(
        "{}@{}",
        c.display_name_without_version(),
        c.version.as_deref().unwrap_or("-")
    )
}

#[test]
fn every_fixture_matches_the_independently_computed_expectation() {
    let all = expected();
    assert_eq!(all.len(), 12, "scenarios in EXPECTED.md");
    for (scenario, exp) in &all {
        let report = scan_dir(&fixture(&format!("javascript/{scenario}")));
        assert!(!report.is_partial(), "{scenario}: {:#?}", report.diagnostics);
        let warnings: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(warnings.is_empty(), "{scenario}: {warnings:#?}");
        let graph = &report.sbom.graph;
        let roots: BTreeSet<String> = graph.roots().map(key).collect();
        assert_eq!(roots, exp.roots, "{scenario}: roots");
        if !exp.packages.is_empty() {
            let ours: BTreeMap<String, (String, usize)> = graph
                .components()
                .filter(|c| c.role == Role::Package)
                .map(|c| {
                    // Yarn 2+ checksums cover Yarn's cache archive: a property, not a hash.
                    let yarn = c.properties.get("yarn:checksum").map_or(0, |v| v.split(' ').count());
                    (key(c), (c.scope.id().to_string(), c.hashes.len() + yarn))
                })
                .collect();
            assert_eq!(
                ours.keys().collect::<Vec<_>>(),
                exp.packages.keys().collect::<Vec<_>>(),
                "{scenario}: packages"
            );
            for (k, (scope, integrity)) in &exp.packages {
                // bomsight has no `peer` scope: an installed peer is needed at run time.
                let scope = if scope == "peer" { "required" } else { scope.as_str() };
                assert_eq!(ours[k].0, scope, "{scenario} {k}: scope");
                assert_eq!(ours[k].1, *integrity, "{scenario} {k}: hashes");
            }
            let edges: BTreeSet<(String, String)> =
                graph.edges().into_iter().map(|(a, b, _)| (key(a), key(b))).collect();
            assert_eq!(edges, exp.edges, "{scenario}: edges");
        }
        for (name, (range, scope)) in &exp.declared {
            let c = graph
                .components()
                .find(|c| c.display_name_without_version() == *name || c.properties.get("npm:alias") == Some(name))
                .unwrap_or_else(|| panic!("{scenario}: declared {name}"));
            assert_eq!(&c.properties["declared-range"], range, "{scenario} {name}");
            // `ajv` is an optional peer (peerDependenciesMeta): used only where something else
            // installs it, so bomsight scopes it `optional`; other peers are needed: `required`.
            let scope = match (scope.as_str(), name.as_str()) {
                ("peer", "ajv") => "optional",
                ("peer", _) => "required",
                (s, _) => s,
            };
            assert_eq!(c.scope.id(), scope, "{scenario} {name}");
            // Only an exact version pins; a range stays unresolved.
            let exact = semver::Version::parse(range.trim_start_matches("npm:ms@")).is_ok();
            assert_eq!(
                c.version.is_some(),
                exact,
                "{scenario} {name}: version only where the range is exact"
            );
        }
    }
}

#[test]
fn npm_details_aliases_install_scripts_and_scoped_purls() {
    let report = scan_dir(&fixture("javascript/npm-v3"));
    let graph = &report.sbom.graph;
    let find = |k: &str| {
        graph
            .components()
            .find(|c| key(c) == k)
            .unwrap_or_else(|| panic!("{k}"))
    };
    let esbuild = find("esbuild@0.20.2");
    assert_eq!(esbuild.properties["npm:hasInstallScript"], "true");
    let is = find("@sindresorhus/is@4.6.0");
    assert_eq!(is.purl.as_deref(), Some("pkg:npm/%40sindresorhus/is@4.6.0"));
    assert_eq!(is.source, Source::DefaultRegistry);
    let hash = is.hashes.iter().next().unwrap();
    assert_eq!(hash.algorithm, bomsight::model::HashAlgorithm::Sha512);
    assert_eq!(hash.hex().len(), 128);
    // Both `ms@2.1.3` (direct) and the alias `my-ms` (npm:ms@2.1.3) are one component.
    let ms = find("ms@2.1.3");
    assert_eq!(ms.properties.get("npm:alias").map(String::as_str), Some("my-ms"));
    // Nested duplicates: debug@2 uses ms@2.0.0, debug@4 uses ms@2.1.3.
    let debug2 = find("debug@2.6.9");
    let targets: Vec<String> = graph.dependencies(&debug2.id).iter().map(|(d, _)| key(d)).collect();
    assert_eq!(targets, ["ms@2.0.0"]);
}

#[test]
fn every_lockfile_of_the_same_project_gives_the_same_graph() {
    let graph_of = |scenario: &str| {
        let report = scan_dir(&fixture(&format!("javascript/{scenario}")));
        let nodes: BTreeSet<String> = report.sbom.graph.components().map(key).collect();
        let edges: BTreeSet<(String, String)> = report
            .sbom
            .graph
            .edges()
            .into_iter()
            .map(|(a, b, _)| (key(a), key(b)))
            .collect();
        (nodes, edges)
    };
    let reference = graph_of("npm-v3");
    for scenario in ["npm-v2", "pnpm-v9", "pnpm-v6", "pnpm-v5", "bun"] {
        assert_eq!(graph_of(scenario), reference, "{scenario} differs from npm-v3");
    }
    assert_eq!(graph_of("npm-v1"), graph_of("yarn-classic"));
}

#[test]
fn real_locks_from_the_corpus() {
    // (folder, distinct name@version packages) counted independently from the files with
    // Python's json and PyYAML; every dependency must resolve (no diagnostics).
    let cases: [(&str, usize); 8] = [
        ("javascript/firebase-tools-v15.22.1", 1508),
        ("javascript/firebase-tools-v15.22.2", 1507),
        ("javascript/hono-v4.12.33", 1017),
        ("javascript/hono-v4.12.34", 1012),
        ("javascript/prettier-3.9.5", 1043),
        ("javascript/prettier-3.9.6", 1061),
        ("javascript/vue-core-v3.5.40", 632),
        ("javascript/vue-core-v3.5.41", 620),
    ];
    for (dir, packages) in cases {
        let report = scan_dir(&corpus(dir));
        // vue's corpus copy has only the root package.json; six of its 18 importers are linked
        // by nothing, so nothing names them (bomsight says so). Every dependency resolves.
        let unnamed: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| d.message.split('`').nth(1).unwrap_or("").to_string())
            .collect();
        let expected_unnamed: &[&str] = if dir.contains("vue-core") {
            &[
                "packages-private/dts-test",
                "packages-private/sfc-playground",
                "packages-private/template-explorer",
                "packages-private/vite-debug",
                "packages/runtime-test",
                "packages/vue-compat",
            ]
        } else {
            &[]
        };
        assert_eq!(unnamed, expected_unnamed, "{dir}");
        if dir.contains("vue-core") {
            let names: BTreeSet<String> = report
                .sbom
                .graph
                .roots()
                .map(|r| r.display_name_without_version())
                .collect();
            assert!(
                names.contains("@vue/runtime-core") && names.contains("@vue/compiler-sfc"),
                "named by the links to them: {names:?}"
            );
        }
        let graph = &report.sbom.graph;
        assert_eq!(
            graph.components().filter(|c| c.role == Role::Package).count(),
            packages,
            "{dir}"
        );
    }
}

#[test]
fn npm_git_tarball_file_alias_and_private_registry_sources() {
    let report = scan_dir(&fixture("javascript/npm-v3-sources"));
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let graph = &report.sbom.graph;
    let find = |k: &str| {
        graph
            .components()
            .find(|c| key(c) == k)
            .unwrap_or_else(|| panic!("{k}"))
    };
    assert_eq!(
        find("gitdep@1.0.0").source,
        Source::Git {
            url: "ssh://git@github.com/example-org/gitdep.git".into(),
            reference: None,
            revision: Some("4f1a2b3c4d5e6f708192a3b4c5d6e7f809102132".into())
        }
    );
    assert_eq!(
        find("tardep@2.0.0").source,
        Source::Url {
            url: "https://example.com/downloads/tardep-2.0.0.tgz".into()
        }
    );
    assert_eq!(
        find("local-util@0.0.3").source,
        Source::Path {
            path: Some("lib/local-util".into())
        }
    );
    assert_eq!(
        find("local-util@0.0.3").role,
        Role::Package,
        "a file: dependency, not a workspace"
    );
    let private = find("private-pkg@3.1.4");
    assert_eq!(
        private.source,
        Source::Registry {
            url: "https://npm.example.com/artifactory/api/npm/npm-remote/".into()
        }
    );
    assert_eq!(private.hashes.len(), 2, "sha1 and sha512 both kept");
    assert_eq!(private.properties["npm:deprecated"], "use private-pkg@4");
    assert_eq!(
        private.licenses.iter().next().unwrap().expression.as_deref(),
        Some("Apache-2.0")
    );
    // The alias is the real package, used by the root and by gitdep alike.
    let ms = find("ms@2.0.0");
    let dependents: BTreeSet<String> = graph
        .edges()
        .into_iter()
        .filter(|(_, to, _)| to.id == ms.id)
        .map(|(from, _, _)| key(from))
        .collect();
    assert_eq!(
        dependents,
        BTreeSet::from(["gitdep@1.0.0".to_string(), "sources-demo@0.1.0".to_string()])
    );
}

/// Scans a directory holding just `name` with `text`.
fn scan_one_file(dir: &tempfile::TempDir, name: &str, text: &str) -> bomsight::scan::ScanReport {
    std::fs::write(dir.path().join(name), text).unwrap();
    scan_dir(dir.path())
}

#[test]
fn npm_keys_with_escapes_and_keys_written_twice() {
    // npm never writes either, but JSON allows both: an escaped key is the text it spells,
    // and a key written twice is its last entry (as in any JSON object).
    let dir = tempfile::tempdir().unwrap();
    let lock = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "app", "version": "1.0.0", "dependencies": { "\u0061": "*", "b": "*" } },
    "node_modules/a": { "version": "1.0.0" },
    "node_modules/\u0062": { "version": "3.0.0" },
    "node_modules/a": { "version": "2.0.0" }
  }
}"#;
    let report = scan_one_file(&dir, "package-lock.json", lock);
    let graph = &report.sbom.graph;
    let names: BTreeSet<String> = graph.components().map(key).collect();
    assert_eq!(
        names,
        BTreeSet::from(["a@2.0.0".to_string(), "app@1.0.0".into(), "b@3.0.0".into()])
    );
    let app = graph.components().find(|c| c.name == "app").unwrap();
    let deps: Vec<String> = graph.dependencies(&app.id).iter().map(|(d, _)| key(d)).collect();
    assert_eq!(deps, ["a@2.0.0", "b@3.0.0"]);
}

#[test]
fn npm_v1_tree_read_only_without_packages_with_errors_at_their_line() {
    // v2 repeats the v1 tree beside `packages` for older npm versions: `packages` is what
    // counts, so a v1 section npm itself would not read does not spoil the lock.
    let dir = tempfile::tempdir().unwrap();
    let v2 = r#"{
  "name": "app",
  "lockfileVersion": 2,
  "packages": {
    "": { "name": "app", "version": "1.0.0", "dependencies": { "a": "*" } },
    "node_modules/a": { "version": "1.0.0" }
  },
  "dependencies": { "a": { "resolved": "no version here" } }
}"#;
    let report = scan_one_file(&dir, "package-lock.json", v2);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let names: BTreeSet<String> = report.sbom.graph.components().map(key).collect();
    assert_eq!(names, BTreeSet::from(["a@1.0.0".to_string(), "app@1.0.0".into()]));

    // In a v1 lock the tree is all there is: its shape errors name the line in the file.
    let dir = tempfile::tempdir().unwrap();
    let v1 = r#"{
  "name": "app",
  "lockfileVersion": 1,
  "dependencies": {
    "a": { "version": "1.0.0" },
    "b": {
      "version": 2
    }
  }
}"#;
    let report = scan_one_file(&dir, "package-lock.json", v1);
    assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
    let d = &report.diagnostics[0];
    assert_eq!((d.path.as_str(), d.line), ("package-lock.json", Some(7)), "{d:?}");
    assert!(d.message.starts_with("invalid package-lock.json: "), "{d:?}");
}

#[test]
fn pnpm_lock_in_flow_style_reads_as_in_block_style() {
    // pnpm writes block YAML, which the fast reader reads; the same document in flow style
    // (JSON is YAML) after a comment the fast reader does not take (not ASCII) goes through
    // the full parser, and must give the same graph.
    for scenario in ["pnpm-v5", "pnpm-v6", "pnpm-v9"] {
        let original = fixture(&format!("javascript/{scenario}"));
        let copy = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        crate::common::files_named(&original, &|_| true, &mut files);
        for file in files {
            let to = copy.path().join(file.strip_prefix(&original).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&file, &to).unwrap();
        }
        let lock = copy.path().join("pnpm-lock.yaml");
        let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(&std::fs::read_to_string(&lock).unwrap()).unwrap();
        let flow = format!("# copié\n{}", serde_json::to_string(&value).unwrap());
        assert!(bomsight::yaml_block::parse_within(&flow, 100).is_none());
        std::fs::write(&lock, flow).unwrap();
        let graph_of = |dir: &std::path::Path| {
            let sbom = scan_dir(dir).sbom;
            let nodes: BTreeSet<String> = sbom.graph.components().map(key).collect();
            let edges: BTreeSet<(String, String)> =
                sbom.graph.edges().iter().map(|(a, b, _)| (key(a), key(b))).collect();
            (nodes, edges)
        };
        let (block, flow) = (graph_of(&original), graph_of(copy.path()));
        assert!(block.0.len() > 5, "{scenario}: {:?}", block.0);
        assert_eq!(block, flow, "{scenario}");
    }
}

#[test]
fn bun_texts_with_escapes_and_keys_written_twice() {
    // As for npm: an escaped text is the text it spells, and a key written twice is its
    // last entry.
    let dir = tempfile::tempdir().unwrap();
    let sri = |c: char| format!("sha512-{}A==", c.to_string().repeat(85));
    let lock = r#"{
  "lockfileVersion": 1,
  "workspaces": {
    "": { "name": "app", "dependencies": { "a": "*", "b": "*", }, },
  },
  "packages": {
    "a": ["a@1.0.0", "", {}, "SRI_A"],
    "b": ["\u0062@3.0.0", "", { "dependencies": { "\u0061": "*" } }, "SRI_B"],
    "a": ["a@2.0.0", "", {}, "SRI_C"],
  }
}"#
    .replace("SRI_A", &sri('A'))
    .replace("SRI_B", &sri('B'))
    .replace("SRI_C", &sri('C'));
    let report = scan_one_file(&dir, "bun.lock", &lock);
    let graph = &report.sbom.graph;
    let names: BTreeSet<String> = graph.components().map(key).collect();
    assert_eq!(
        names,
        BTreeSet::from(["a@2.0.0".to_string(), "app@-".into(), "b@3.0.0".into()]),
        "{:?}",
        report.diagnostics
    );
    let b = graph.components().find(|c| c.name == "b").unwrap();
    let deps: Vec<String> = graph.dependencies(&b.id).iter().map(|(d, _)| key(d)).collect();
    assert_eq!(deps, ["a@2.0.0"]);
}
