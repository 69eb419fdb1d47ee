//! The Python collectors on lockfiles generated here by pip-compile, poetry (1.2, 1.8, 2.5),
//! pipenv, uv, pdm and pip, checked against `testdata/python/EXPECTED.md` (computed by a
//! separate script), and on the real locks of `../shared/corpus/python`.

use crate::common::{corpus, fixture, scan_dir};
use bomsight::model::{Component, HashAlgorithm, Role, Scope, Source};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Default, Debug)]
struct Expected {
    /// name@version → (sha256 count, file count or None, scope)
    packages: BTreeMap<String, (usize, Option<usize>, String)>,
    edges: BTreeSet<(String, String)>,
    roots: BTreeSet<String>,
    unresolved: BTreeSet<String>,
    declared: BTreeMap<String, String>,
}

fn expected() -> BTreeMap<String, Expected> {
    let text = std::fs::read_to_string(fixture("python/EXPECTED.md")).unwrap();
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
                let files = field("files=");
                e.packages.insert(
                    words[1].to_string(),
                    (field("hashes=").parse().unwrap(), files.parse().ok(), field("scope=")),
                );
            }
            Some("edge") => {
                e.edges.insert((words[1].to_string(), words[3].to_string()));
            }
            Some("root") => {
                e.roots.insert(words[1].to_string());
            }
            Some("unresolved") => {
                e.unresolved.insert(words[1].to_string());
            }
            Some("declared") => {
                e.declared.insert(words[1].to_string(), field("scope="));
            }
            _ => {}
        }
    }
    out
}

fn key(c: &Component) -> String {
    format!(
        "{}@{}",
        bomsight::model::Ecosystem::Pypi.normalize_name(&c.name),
        c.version.as_deref().unwrap_or("-")
    )
}

fn sha256_count(c: &Component) -> usize {
    let all = c.hashes.iter().chain(c.artifacts.iter().flat_map(|a| &a.hashes));
    all.filter(|h| h.algorithm == HashAlgorithm::Sha256)
        .map(|h| h.hex())
        .collect::<BTreeSet<_>>()
        .len()
}

#[test]
fn every_fixture_matches_the_independently_computed_expectation() {
    let all = expected();
    assert_eq!(all.len(), 12, "scenarios in EXPECTED.md");
    for (scenario, exp) in &all {
        let report = scan_dir(&fixture(&format!("python/{scenario}")));
        assert!(!report.is_partial(), "{scenario}: {:#?}", report.diagnostics);
        let graph = &report.sbom.graph;
        // The lock's own packages: everything except the project bomsight adds for a lock
        // that has no member of its own (poetry, pdm, Pipfile, pylock, requirements).
        let synthetic: BTreeSet<String> = graph
            .roots()
            .filter(|r| !exp.roots.contains(&key(r)))
            .map(key)
            .collect();
        let locked: Vec<&Component> = graph.components().filter(|c| !synthetic.contains(&key(c))).collect();
        if !exp.packages.is_empty() {
            let ours: BTreeMap<String, (usize, Option<usize>, String)> = locked
                .iter()
                .filter(|c| c.version.is_some() || exp.packages.contains_key(&key(c)))
                .map(|c| {
                    (
                        key(c),
                        (sha256_count(c), Some(c.artifacts.len()), c.scope.id().to_string()),
                    )
                })
                .collect();
            let names: BTreeSet<&String> = ours.keys().collect();
            assert_eq!(names, exp.packages.keys().collect(), "{scenario}: packages");
            for (k, (hashes, files, scope)) in &exp.packages {
                let (h, f, s) = &ours[k];
                assert_eq!(h, hashes, "{scenario} {k}: sha256 hashes");
                if files.is_some() {
                    assert_eq!(f, files, "{scenario} {k}: files");
                }
                // poetry 1.8 writes neither `groups` nor `category`, so the lock alone calls
                // everything required; bomsight derives scopes from the pyproject's groups.
                let scope = match (scenario.as_str(), k.as_str()) {
                    ("poetry-1.8", "exceptiongroup@1.2.2" | "iniconfig@2.0.0" | "pluggy@1.5.0" | "pytest@8.3.2") => {
                        "dev"
                    }
                    _ => scope.as_str(),
                };
                assert_eq!(s, scope, "{scenario} {k}: scope");
            }
        }
        if !exp.edges.is_empty() {
            let ours: BTreeSet<(String, String)> = graph
                .edges()
                .into_iter()
                .filter(|(from, _, _)| !synthetic.contains(&key(from)))
                .map(|(a, b, _)| (key(a), key(b)))
                .collect();
            assert_eq!(ours, exp.edges, "{scenario}: edges");
        }
        if !exp.roots.is_empty() {
            assert_eq!(
                graph.roots().map(key).collect::<BTreeSet<_>>(),
                exp.roots,
                "{scenario}: roots"
            );
        }
        for u in &exp.unresolved {
            let found = locked.iter().any(|c| match u.strip_prefix("./") {
                Some(path) => matches!(&c.source, Source::Path { path: Some(p) } if p.ends_with(path)),
                None => bomsight::model::Ecosystem::Pypi.normalize_name(&c.name) == *u && c.version.is_none(),
            });
            assert!(found, "{scenario}: unresolved {u} not found");
        }
        for (name, scope) in &exp.declared {
            let c = locked
                .iter()
                .find(|c| &bomsight::model::Ecosystem::Pypi.normalize_name(&c.name) == name)
                .unwrap_or_else(|| panic!("{scenario}: {name}"));
            assert_eq!(c.scope.id(), scope, "{scenario}: declared {name}");
        }
    }
}

#[test]
fn requirements_options_includes_and_constraints() {
    let report = scan_dir(&fixture("python/requirements-handwritten"));
    let sbom = &report.sbom;
    let by_name = |n: &str| {
        sbom.graph
            .components()
            .find(|c| c.name == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert_eq!(
        by_name("six").source,
        Source::Registry {
            url: "https://pypi.example.com/simple".into()
        }
    );
    assert_eq!(
        by_name("six").properties["extra-index-url"],
        "https://mirror.example.org/simple"
    );
    assert_eq!(
        by_name("click").locations.iter().next().unwrap().path,
        "other.txt",
        "from the -r include, CRLF and all"
    );
    assert_eq!(by_name("MarkupSafe").properties["marker"], "python_version >= \"3.7\"");
    assert!(by_name("Typing_Extensions")
        .purl
        .as_deref()
        .unwrap()
        .starts_with("pkg:pypi/typing-extensions@4.12.2?repository_url="));
    assert_eq!(by_name("attrs").properties["extras"], "tests,docs");
    assert_eq!(by_name("requests").properties["declared-range"], ">=2");
    assert!(by_name("idna").version.as_deref() == Some("3.7"));
    assert!(
        !sbom.graph.components().any(|c| c.name == "certifi"),
        "constraints add no packages"
    );
    assert!(
        matches!(&by_name("tool").source, Source::Git { url, reference: Some(r), .. } if url == "https://github.com/example-org/tool.git" && r == "rev=v1.2.0")
    );
    assert_eq!(
        by_name("pkg").source,
        Source::Url {
            url: "https://example.com/pkg-1.0.tar.gz".into()
        }
    );
    assert_eq!(by_name("path").properties["editable"], "true");
    let packaging = by_name("packaging");
    assert_eq!(packaging.hashes.len(), 2);
    assert_eq!(packaging.locations.iter().next().unwrap().line, Some(36));
}

#[test]
fn python_artifacts_keep_each_file_and_component_hashes_only_when_one_file() {
    let report = scan_dir(&fixture("python/uv-workspace"));
    let attrs = report.sbom.graph.components().find(|c| c.name == "attrs").unwrap();
    let files: Vec<&str> = attrs.artifacts.iter().map(|a| a.file_name.as_str()).collect();
    assert_eq!(files, ["attrs-23.2.0-py3-none-any.whl", "attrs-23.2.0.tar.gz"]);
    assert!(
        attrs.hashes.is_empty(),
        "two files: no single hash identifies the release"
    );
    let report = scan_dir(&fixture("python/pylock-pip"));
    let six = report.sbom.graph.components().find(|c| c.name == "six").unwrap();
    assert_eq!(six.hashes.len(), 1, "one wheel: its hash identifies the component");
    let local = scan_dir(&fixture("python/uv-workspace"));
    let localpkg = local.sbom.graph.components().find(|c| c.name == "localpkg").unwrap();
    assert_eq!(
        localpkg.source,
        Source::Path {
            path: Some("vendored/localpkg".into())
        }
    );
    assert_eq!(localpkg.role, Role::Package);
}

#[test]
fn real_locks_from_the_corpus() {
    // (folder, nodes, edges between lock packages) computed with tomllib/json by hand: pdm
    // repeats a package once per extra (132 entries, 125 distinct); Pipfile.lock pins five
    // packages at different versions in `default` and `develop`; uv edges resolve by name,
    // version and source. `None`: that lock records no edges.
    let cases = [
        ("python/poetry-2.3.4", 78, Some(84)),
        ("python/poetry-2.4.0", 79, Some(87)),
        ("python/pdm-2.26.9", 126, None),
        ("python/pdm-2.27.0", 97, None),
        ("python/pipenv-v2026.7.1", 107, None),
        ("python/pipenv-v2026.8.0", 106, None),
        ("python/pydantic-v2.12.5", 129, Some(247)),
        ("python/pydantic-v2.13.0", 167, Some(346)),
    ];
    for (dir, nodes, edges) in cases {
        let report = scan_dir(&corpus(dir));
        let graph = &report.sbom.graph;
        assert!(!report.is_partial(), "{dir}: {:#?}", report.diagnostics);
        assert_eq!(graph.len(), nodes, "{dir}: nodes");
        if let Some(edges) = edges {
            let between = graph
                .edges()
                .iter()
                .filter(|(from, _, _)| from.role == Role::Package || dir.contains("pydantic"))
                .count();
            assert_eq!(between, edges, "{dir}: edges");
        }
        assert!(
            graph.components().filter(|c| c.scope == Scope::Dev).count() > 0,
            "{dir}: dev packages"
        );
    }
    let members: Vec<String> = scan_dir(&corpus("python/pydantic-v2.13.0"))
        .sbom
        .graph
        .roots()
        .map(|r| r.name.to_string())
        .collect();
    assert_eq!(members, ["pydantic", "pydantic-core"]);
}
