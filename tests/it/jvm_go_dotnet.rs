//! Go, NuGet and Gradle collectors on hand-written fixtures and the corpus, checked against
//! `testdata/{go,dotnet,gradle}/EXPECTED.md` (computed by a separate script).

use crate::common::{fixture, repo, scan_dir};
use bomsight::model::{Component, HashAlgorithm, Role};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Sections of an EXPECTED.md: header → lines.
fn sections(ecosystem: &str) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(fixture(&format!("{ecosystem}/EXPECTED.md"))).unwrap();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            current = Some(h.trim().to_string());
            out.entry(h.trim().to_string()).or_default();
        } else if let Some(c) = &current {
            out.get_mut(c).unwrap().push(line.to_string());
        }
    }
    out
}

/// `testdata/x` or `corpus/x` as a path.
fn place(header: &str) -> PathBuf {
    match header.strip_prefix("corpus/") {
        Some(rest) => crate::common::corpus(rest),
        None => repo().join(header),
    }
}

#[test]
fn go_modules_match_the_expectation() {
    let mut checked = 0;
    for (header, lines) in sections("go") {
        if header.ends_with("broken") || !lines.iter().any(|l| l.starts_with("counts")) {
            continue;
        }
        let report = scan_dir(&place(&header));
        assert!(!report.is_partial(), "{header}: {:#?}", report.diagnostics);
        let root_module = lines.iter().find_map(|l| l.strip_prefix("root ")).unwrap();
        let sbom = &report.sbom;
        let root = sbom
            .graph
            .roots()
            .find(|r| r.display_name_without_version() == root_module)
            .unwrap_or_else(|| panic!("{header}: root"));
        let expected: BTreeSet<(String, String, bool)> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("require "))
            .map(|r| {
                let w: Vec<&str> = r.split_whitespace().collect();
                (w[0].to_string(), w[1].to_string(), w[2] == "indirect")
            })
            .collect();
        let ours: BTreeSet<(String, String, bool)> = sbom
            .graph
            .dependencies(&root.id)
            .into_iter()
            .map(|(c, _)| {
                let (module, version) = match c.properties.get("go:replaces") {
                    Some(r) => {
                        let (m, v) = r.split_once(' ').unwrap();
                        (m.to_string(), v.to_string())
                    }
                    None => (
                        c.display_name_without_version(),
                        c.version.as_deref().unwrap().to_string(),
                    ),
                };
                (module, version, c.properties.contains_key("go:indirect"))
            })
            .collect();
        assert_eq!(ours, expected, "{header}");
        let sums: BTreeSet<(String, String)> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("gosum "))
            .map(|s| {
                let (m, v) = s.split_once(' ').unwrap();
                (m.to_string(), v.to_string())
            })
            .collect();
        for (c, _) in sbom.graph.dependencies(&root.id) {
            let key = (
                c.display_name_without_version(),
                c.version.as_deref().unwrap_or_default().to_string(),
            );
            assert_eq!(
                c.properties.contains_key("go:h1"),
                sums.contains(&key),
                "{header}: {key:?}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 5);
    let broken = scan_dir(&fixture("go/broken"));
    let d: Vec<String> = broken.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(d.iter().any(|m| m.starts_with("error: go.mod:7: ")), "{d:#?}");
}

#[test]
fn nuget_locks_match_the_expectation() {
    let mut checked = 0;
    for (header, lines) in sections("dotnet") {
        if !header.ends_with("packages.lock.json") || header.contains("broken") {
            continue;
        }
        let path = place(&header);
        let report = scan_dir(path.parent().unwrap());
        let graph = &report.sbom.graph;
        let key = |c: &Component| {
            format!(
                "{} {}",
                c.name.to_ascii_lowercase(),
                c.version.as_deref().unwrap_or("-")
            )
        };
        let expected: BTreeSet<String> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("package "))
            .filter(|l| !l.contains("type=Project"))
            .map(|l| {
                let w: Vec<&str> = l.split_whitespace().collect();
                format!("{} {}", w[0].to_ascii_lowercase(), w[1])
            })
            .collect();
        let ours: BTreeSet<String> = graph
            .components()
            .filter(|c| c.role == Role::Package && c.version.is_some())
            .map(key)
            .collect();
        assert_eq!(ours, expected, "{header}");
        let expected_edges: BTreeSet<(String, String)> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("edge "))
            .map(|e| {
                let (a, b) = e.split_once(" -> ").unwrap();
                (
                    a.to_ascii_lowercase(),
                    b.split_whitespace().next().unwrap().to_ascii_lowercase(),
                )
            })
            .collect();
        let our_edges: BTreeSet<(String, String)> = graph
            .edges()
            .into_iter()
            .filter(|(a, _, _)| a.role == Role::Package)
            .map(|(a, b, _)| {
                (
                    a.name.as_str().to_ascii_lowercase(),
                    b.name.as_str().to_ascii_lowercase(),
                )
            })
            .collect();
        assert_eq!(our_edges, expected_edges, "{header}");
        assert!(graph
            .components()
            .filter(|c| c.version.is_some())
            .all(|c| c.hashes.iter().all(|h| h.algorithm == HashAlgorithm::Sha512)));
        checked += 1;
    }
    assert_eq!(checked, 5);
}

#[test]
fn gradle_locks_and_verification_metadata_match_the_expectation() {
    let mut checked = 0;
    for (header, lines) in sections("gradle") {
        if header.contains("broken")
            || header.contains("settings-gradle") && !lines.iter().any(|l| l.starts_with("package "))
        {
            continue;
        }
        let path = place(&header);
        let dir = if header.ends_with("verification-metadata.xml") {
            path.parent().unwrap().parent().unwrap().to_path_buf()
        } else {
            path.parent().unwrap().to_path_buf()
        };
        let report = scan_dir(&dir);
        assert!(!report.is_partial(), "{header}: {:#?}", report.diagnostics);
        let gav = |c: &Component| {
            format!(
                "{}:{}:{}",
                c.namespace.as_deref().unwrap_or(""),
                c.name,
                c.version.as_deref().unwrap_or("")
            )
        };
        let file = path.to_string_lossy().into_owned();
        let rel = file
            .rsplit(dir.to_string_lossy().as_ref())
            .next()
            .unwrap()
            .trim_start_matches('/')
            .to_string();
        if header.ends_with(".lockfile") {
            let expected: BTreeSet<String> = lines
                .iter()
                .filter_map(|l| l.strip_prefix("package "))
                .map(|l| l.split_whitespace().next().unwrap().to_string())
                .collect();
            let ours: BTreeSet<String> = report
                .sbom
                .graph
                .components()
                .filter(|c| c.locations.iter().any(|l| l.path == rel))
                .filter(|c| c.role == Role::Package)
                .map(gav)
                .collect();
            assert_eq!(ours, expected, "{header}");
        } else {
            for l in lines.iter().filter_map(|l| l.strip_prefix("verified ")) {
                let w: Vec<&str> = l.split_whitespace().collect();
                let c = report
                    .sbom
                    .graph
                    .components()
                    .find(|c| gav(c) == w[0])
                    .unwrap_or_else(|| panic!("{header}: {}", w[0]));
                let count = |alg: HashAlgorithm| {
                    c.artifacts
                        .iter()
                        .flat_map(|a| &a.hashes)
                        .filter(|h| h.algorithm == alg)
                        .count()
                        .to_string()
                };
                assert_eq!(
                    format!(
                        "sha256={} sha512={}",
                        count(HashAlgorithm::Sha256),
                        count(HashAlgorithm::Sha512)
                    ),
                    format!("{} {}", w[1], w[2]),
                    "{header}: {}",
                    w[0]
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 6, "{checked}");
    let broken = scan_dir(&fixture("gradle/broken"));
    assert_eq!(
        broken
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.path.clone(), d.line))
            .collect::<Vec<_>>(),
        [("gradle.lockfile".to_string(), Some(5))]
    );
}

#[test]
fn maven_poms_resolve_parents_properties_and_boms_offline() {
    let mut checked = 0;
    for (header, lines) in sections("maven") {
        if header.contains("broken") || !lines.iter().any(|l| l.starts_with("module ")) {
            continue;
        }
        let report = scan_dir(&place(&header));
        let graph = &report.sbom.graph;
        let gav = |c: &Component| {
            format!(
                "{}:{}:{}",
                c.namespace.as_deref().unwrap_or(""),
                c.name,
                c.version.as_deref().unwrap_or("")
            )
        };
        let modules: BTreeSet<String> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("module "))
            .map(str::to_string)
            .collect();
        let roots: BTreeSet<String> = graph.roots().map(gav).collect();
        assert_eq!(roots, modules, "{header}");
        let expected: BTreeSet<String> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("dependency "))
            .map(|l| {
                let w: Vec<&str> = l.split_whitespace().collect();
                let extra: Vec<&str> = w[5..].to_vec();
                format!("{} -> {} {} {} {}", w[0], w[2], w[3], w[4], extra.join(" "))
                    .trim_end()
                    .to_string()
            })
            .collect();
        let ours: BTreeSet<String> = graph
            .edges()
            .into_iter()
            .filter(|(_, to, _)| to.version.is_some())
            .map(|(from, to, kind)| {
                let scope = match (to.role, kind) {
                    (bomsight::model::Role::Project, _) => "compile".to_string(),
                    _ => to.properties.get("maven:scope").cloned().unwrap_or_default(),
                };
                let optional = kind == bomsight::model::DependencyKind::Optional;
                let purl = to.purl.clone().unwrap_or_default();
                let q = |k: &str| {
                    purl.split(['?', '&'])
                        .find_map(|p| p.strip_prefix(&format!("{k}=")))
                        .map(|v| format!("{k}={v}"))
                };
                let extra: Vec<String> = [q("classifier"), q("type")].into_iter().flatten().collect();
                format!(
                    "{} -> {} scope={scope} optional={optional} {}",
                    gav(from),
                    gav(to),
                    extra.join(" ")
                )
                .trim_end()
                .to_string()
            })
            .collect();
        assert_eq!(ours, expected, "{header}");
        let unresolved = lines.iter().filter(|l| l.starts_with("unresolved ")).count();
        assert_eq!(
            graph
                .components()
                .filter(|c| c.properties.get("declared-range").is_some_and(|r| r == "(unresolved)"))
                .count(),
            unresolved,
            "{header}"
        );
        checked += 1;
    }
    assert_eq!(checked, 3);
    let broken = scan_dir(&fixture("maven/broken"));
    let errors: Vec<String> = broken.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors
            .iter()
            .all(|e| e.contains("DOCTYPE declarations are not accepted")),
        "{errors:#?}"
    );
}

#[test]
fn dotnet_build_output_project_files_and_packages_config() {
    // deps.json: counted by the separate script (53 libraries, 99 edges in the runtime target).
    let report = scan_dir(&crate::common::corpus("dotnet/syft-testapp-net8-single-file"));
    let graph = &report.sbom.graph;
    assert_eq!((graph.len(), graph.edge_count()), (53, 99));
    assert_eq!(
        graph.components().filter(|c| !c.hashes.is_empty()).count(),
        51,
        "every package library has its sha512"
    );
    assert_eq!(
        graph.roots().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["dotnetapp"]
    );

    // A project without a lockfile: versions from Directory.Packages.props two levels up.
    let shared = scan_dir(&fixture("dotnet/lock/src/Shared"));
    let declared: BTreeMap<String, Option<String>> = shared
        .sbom
        .graph
        .components()
        .filter(|c| c.role == Role::Package)
        .map(|c| (c.name.to_string(), c.version.as_deref().map(str::to_string)))
        .collect();
    assert!(!declared.is_empty());
    let whole = scan_dir(&fixture("dotnet/lock"));
    let central: BTreeMap<String, Option<String>> = whole
        .sbom
        .graph
        .components()
        .filter(|c| c.locations.iter().any(|l| l.path.ends_with("Shared.csproj")))
        .map(|c| (c.name.to_string(), c.version.as_deref().map(str::to_string)))
        .collect();
    assert!(
        central.values().any(|v| v.is_some()),
        "central versions applied: {central:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("packages.config"), "<?xml version=\"1.0\"?>\n<packages>\n  <package id=\"Newtonsoft.Json\" version=\"13.0.3\" targetFramework=\"net48\" />\n  <package id=\"StyleCop.Analyzers\" version=\"1.1.118\" developmentDependency=\"true\" />\n</packages>\n").unwrap();
    std::fs::write(
        dir.path().join("Legacy.csproj"),
        "<Project><ItemGroup><PackageReference Include=\"Ignored\" Version=\"1.0.0\" /></ItemGroup></Project>",
    )
    .unwrap();
    let legacy = scan_dir(dir.path());
    let comps: BTreeMap<String, String> = legacy
        .sbom
        .graph
        .components()
        .map(|c| (c.name.to_string(), c.scope.id().to_string()))
        .collect();
    assert_eq!(
        comps,
        BTreeMap::from([
            ("Legacy".into(), "required".into()),
            ("Newtonsoft.Json".into(), "required".into()),
            ("StyleCop.Analyzers".into(), "dev".into())
        ])
    );
}

#[test]
fn declared_package_references_keep_their_ranges_and_private_assets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("App.csproj"),
        r#"<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>
  <PackageReference Include="Serilog" Version="3.1.1" />
  <PackageReference Include="Polly"><Version>[8.0.0, 9.0.0)</Version><PrivateAssets>compile</PrivateAssets></PackageReference>
  <PackageReference Include="StyleCop.Analyzers" Version="1.1.118" PrivateAssets="all" />
  <PackageReference Include="Microsoft.SourceLink.GitHub" Version="8.0.0"><PrivateAssets>All</PrivateAssets></PackageReference>
</ItemGroup></Project>"#,
    )
    .unwrap();
    let report = scan_dir(dir.path());
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let got: BTreeMap<String, (Option<String>, String, String)> = report
        .sbom
        .graph
        .components()
        .filter(|c| c.role == Role::Package)
        .map(|c| {
            (
                c.name.to_string(),
                (
                    c.version.as_deref().map(str::to_string),
                    c.properties["declared-range"].clone(),
                    c.scope.id().to_string(),
                ),
            )
        })
        .collect();
    let row = |v: Option<&str>, range: &str, scope: &str| (v.map(str::to_string), range.to_string(), scope.to_string());
    assert_eq!(
        got,
        BTreeMap::from([
            ("Serilog".into(), row(Some("3.1.1"), "[3.1.1, )", "required")),
            ("Polly".into(), row(None, "[8.0.0, 9.0.0)", "required")),
            (
                "StyleCop.Analyzers".into(),
                row(Some("1.1.118"), "[1.1.118, )", "build")
            ),
            (
                "Microsoft.SourceLink.GitHub".into(),
                row(Some("8.0.0"), "[8.0.0, )", "build")
            ),
        ])
    );

    std::fs::write(dir.path().join("App.csproj"), "<Project><ItemGroup>").unwrap();
    let broken = scan_dir(dir.path());
    assert_eq!(broken.diagnostics.len(), 1);
    let message = broken.diagnostics[0].to_string();
    assert!(
        message.contains("App.csproj") && message.contains("invalid project file"),
        "{message}"
    );
}

#[test]
fn gradle_version_catalog_without_a_lockfile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("gradle")).unwrap();
    std::fs::write(
        dir.path().join("gradle/libs.versions.toml"),
        "[versions]\nkotlin = \"1.9.22\"\nguava = { strictly = \"33.0.0-jre\" }\njunit = \"[5.10,6)\"\n\n[libraries]\nguava = { module = \"com.google.guava:guava\", version.ref = \"guava\" }\nkotlin-stdlib = { group = \"org.jetbrains.kotlin\", name = \"kotlin-stdlib\", version.ref = \"kotlin\" }\nokhttp = \"com.squareup.okhttp3:okhttp:4.12.0\"\njunit = { module = \"org.junit.jupiter:junit-jupiter\", version.ref = \"junit\" }\n\n[plugins]\nkotlin-jvm = { id = \"org.jetbrains.kotlin.jvm\", version.ref = \"kotlin\" }\n",
    )
    .unwrap();
    let report = scan_dir(dir.path());
    let purls: BTreeSet<String> = report
        .sbom
        .graph
        .components()
        .filter_map(|c| c.purl.as_deref().map(str::to_string))
        .collect();
    let expected: BTreeSet<String> = [
        "pkg:maven/com.google.guava/guava@33.0.0-jre",
        "pkg:maven/org.jetbrains.kotlin/kotlin-stdlib@1.9.22",
        "pkg:maven/com.squareup.okhttp3/okhttp@4.12.0",
        "pkg:maven/org.junit.jupiter/junit-jupiter",
        "pkg:maven/org.jetbrains.kotlin.jvm/org.jetbrains.kotlin.jvm.gradle.plugin@1.9.22",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(purls, expected);
    // With a lockfile, the lockfile speaks instead.
    std::fs::write(
        dir.path().join("gradle.lockfile"),
        "com.google.guava:guava:33.0.0-jre=runtimeClasspath\n",
    )
    .unwrap();
    assert_eq!(
        scan_dir(dir.path())
            .sbom
            .graph
            .components()
            .filter(|c| c.role == Role::Package)
            .count(),
        1
    );
}

/// A program file with Go 1.18+ build information laid out as the Go linker writes it.
fn go_program(modinfo: &str) -> Vec<u8> {
    let varint = |b: &mut Vec<u8>, s: &[u8]| {
        let mut n = s.len();
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            b.push(if n > 0 { byte | 0x80 } else { byte });
            if n == 0 {
                break;
            }
        }
        b.extend_from_slice(s);
    };
    let mut b = b"\x7fELF\x02\x01\x01".to_vec();
    b.resize(8192, 0);
    b.extend_from_slice(b"\xff Go buildinf:\x08\x02");
    b.resize(8192 + 32, 0);
    varint(&mut b, b"go1.22.3");
    varint(&mut b, &[&[0u8; 16][..], modinfo.as_bytes(), &[0u8; 16][..]].concat());
    b
}

#[test]
fn go_programs_are_inventoried_from_their_build_information() {
    let dir = tempfile::tempdir().unwrap();
    let info = "path\texample.com/app/cmd/app\nmod\texample.com/app\tv1.2.3\th1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ndep\tgolang.org/x/text\tv0.14.0\th1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=\ndep\tgithub.com/gogo/protobuf\tv1.3.2\n=>\tgithub.com/regen-network/protobuf\tv1.3.3-alpha.regen.1\th1:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=\nbuild\t-compiler=gc\n";
    std::fs::create_dir_all(dir.path().join("bin")).unwrap();
    std::fs::write(dir.path().join("bin/app"), go_program(info)).unwrap();
    std::fs::write(dir.path().join("bin/notes"), "just text, not a program").unwrap();
    std::fs::write(
        dir.path().join("bin/tool.exe"),
        b"MZ\x90\x00 a Windows program without Go build information",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/nonexistent", dir.path().join("bin/dangling")).unwrap();
    let report = scan_dir(dir.path());
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    // Files that turned out not to be Go programs are not counted as read.
    assert_eq!(report.files, ["bin/app"]);
    let graph = &report.sbom.graph;
    let root = graph.roots().next().unwrap();
    assert_eq!(root.purl.as_deref(), Some("pkg:golang/example.com/app@v1.2.3"));
    assert_eq!(root.properties["go:go"], "go1.22.3");
    let deps: BTreeSet<String> = graph
        .dependencies(&root.id)
        .into_iter()
        .map(|(c, _)| c.purl.as_deref().unwrap().to_string())
        .collect();
    assert_eq!(
        deps,
        BTreeSet::from([
            "pkg:golang/golang.org/x/text@v0.14.0".to_string(),
            "pkg:golang/github.com/regen-network/protobuf@v1.3.3-alpha.regen.1".to_string()
        ])
    );
    let replaced = graph.components().find(|c| c.name == "protobuf").unwrap();
    assert_eq!(replaced.properties["go:replaces"], "github.com/gogo/protobuf v1.3.2");
}

#[test]
fn broken_go_dotnet_and_gradle_files_are_reported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut truncated_program = go_program("path\texample.com/app\nmod\texample.com/app\tv1.0.0\n");
    truncated_program.truncate(8192 + 40);
    let files: [(&str, &[u8], &str); 5] = [
        (
            "app/App.deps.json",
            br#"{"runtimeTarget": {"name": ".NETCoreApp,Version=v8.0"}, "targets": {"#,
            "invalid",
        ),
        (
            "legacy/packages.config",
            b"<packages>\n<package id=\"A\" version=\"1.0\">\n</packages>\n",
            "invalid packages.config",
        ),
        (
            "jvm/gradle/verification-metadata.xml",
            b"<verification-metadata><components>",
            "invalid verification metadata",
        ),
        (
            "jvm/gradle/libs.versions.toml",
            b"[libraries]\nguava = { module = \"com.google.guava:guava\", version = ",
            "invalid",
        ),
        ("bin/tool", &truncated_program, "truncated"),
    ];
    for (path, bytes, _) in &files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }
    let report = scan_dir(dir.path());
    for (path, _, expected) in &files {
        let about: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.path == *path)
            .map(|d| d.to_string())
            .collect();
        assert_eq!(about.len(), 1, "{path}: {about:?}");
        assert!(about[0].contains(expected), "{path}: {}", about[0]);
    }
    assert_eq!(report.diagnostics.len(), files.len(), "{:#?}", report.diagnostics);
}
