//! Every exporter's output on every fixture, judged by the official validators (CycloneDX
//! JSON schema, pyspdxtools, NTIA checker) and loaded by the Rust clients `cyclonedx-bom` and
//! `spdx-rs`; plus byte-for-byte determinism.

use crate::common::{corpus, fixture, oracle, pyspdxtools, scan_dir};
use bomsight::export::{find_format, FORMATS};
use bomsight::model::{Component, Ecosystem, GraphBuilder, License, Role, Sbom, Source, Subject, Timestamp};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn render(sbom: &Sbom, format: &str) -> Vec<u8> {
    find_format(format).unwrap().render(sbom)
}

/// Every fixture scenario (broken ones aside) and one real project per ecosystem; the last
/// element says whether to use the validator's cheap URL check (the full RFC 3987 check costs
/// ~45 ms per URL, and the corpus locks list thousands of file URLs).
fn fixture_dirs() -> Vec<(PathBuf, bool)> {
    let mut dirs: Vec<(PathBuf, bool)> = crate::common::fixture_scenarios()
        .into_iter()
        .map(|d| (d, false))
        .collect();
    dirs.push((corpus("rust/uv-0.9.10"), false));
    dirs.push((corpus("python/pydantic-v2.13.0"), true));
    dirs.push((corpus("python/pipenv-v2026.8.0"), true));
    dirs.push((corpus("javascript/vue-core-v3.5.41"), true));
    dirs.push((corpus("javascript/prettier-3.9.6"), true));
    dirs.push((corpus("ruby/maybe-v0.6.0"), true));
    dirs.push((corpus("php/bookstack-v24.10"), true));
    dirs.push((corpus("cocoapods/home-assistant-ios-2026.5.0"), true));
    dirs.push((corpus("elixir/supabase-realtime-v2.129.5"), true));
    dirs
}

/// Writes every format of one SBOM and runs the matching validator on each; returns failures.
fn validate_all_formats(label: &str, sbom: &Sbom, out: &Path, fast: bool) -> Vec<String> {
    let checks: [(&str, &str); 5] = [
        ("cyclonedx-json", "cdx.json"),
        ("cyclonedx-json@1.5", "cdx15.json"),
        ("spdx-json", "spdx.json"),
        ("spdx-tag-value", "spdx"),
        ("spdx-tag-value-pyspdxtools-json", ""),
    ];
    let mut failures = Vec::new();
    for (format, ext) in checks.iter().filter(|(_, e)| !e.is_empty()) {
        let file = out.join(format!("{label}.{ext}"));
        std::fs::write(&file, render(sbom, format)).unwrap();
        let (ok, text) = match *format {
            "spdx-json" => oracle("validate-spdx.sh", &[], &file),
            "spdx-tag-value" => pyspdxtools(&file),
            _ if fast => oracle("validate-cdx.sh", &["--semantic", "--fast"], &file),
            _ => oracle("validate-cdx.sh", &["--semantic"], &file),
        };
        if !ok {
            failures.push(format!("{label} {format}:\n{text}"));
        }
    }
    failures
}

#[test]
fn every_format_of_every_fixture_passes_the_official_validators() {
    let out = tempfile::tempdir().unwrap();
    let failures: Vec<String> = fixture_dirs()
        .par_iter()
        .flat_map(|(dir, fast)| {
            let parent = dir.parent().unwrap().file_name().unwrap().to_string_lossy();
            let label = format!("{parent}-{}", dir.file_name().unwrap().to_string_lossy());
            let report = scan_dir(dir);
            validate_all_formats(&label, &report.sbom, out.path(), *fast)
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A hand-built graph with licenses of every shape, authors, a URL source and an optional,
/// dev and build edge, so the exporters' rarer branches meet the validators too.
fn sbom_with_every_field() -> Sbom {
    let mut b = GraphBuilder::new();
    let mut app = Component::new(
        Ecosystem::Cargo,
        None,
        "app",
        Some("1.0.0"),
        Source::Path {
            path: Some("app".into()),
        },
    )
    .unwrap();
    app.role = Role::Project;
    app.licenses.insert(License::parse("MIT/Apache-2.0"));
    app.licenses.insert(License::parse("ISC"));
    let mut single = Component::new(Ecosystem::Cargo, None, "single", Some("2.0.0"), Source::DefaultRegistry).unwrap();
    single.licenses.insert(License::parse("MIT"));
    single.licenses.insert(License::parse("Zlib"));
    single.authors = vec!["Jane Doe <jane@example.com>".into()];
    single.description = Some("two lines\nof description".into());
    single.repository = Some("https://example.com/single".into());
    single.homepage = Some("https://example.com/".into());
    let mut odd = Component::new(
        Ecosystem::Npm,
        Some("@scope"),
        "odd",
        Some("0.1.0-beta.1"),
        Source::Url {
            url: "https://example.com/odd.tgz".into(),
        },
    )
    .unwrap();
    odd.licenses.insert(License::parse("see LICENSE.txt </text> & more"));
    odd.licenses.insert(License::parse("MIT"));
    let dev = Component::new(
        Ecosystem::Pypi,
        None,
        "pytest",
        Some("8.0.0"),
        Source::Registry {
            url: "https://pypi.example.com/simple".into(),
        },
    )
    .unwrap();
    let build = Component::new(Ecosystem::Cargo, None, "cc", Some("1.0.0"), Source::DefaultRegistry).unwrap();
    use bomsight::model::{DependencyKind as K, Edge};
    for (to, kind) in [
        (&single, K::Normal),
        (&odd, K::Optional),
        (&dev, K::Dev),
        (&build, K::Build),
    ] {
        b.add_edge(Edge {
            from: app.id.clone(),
            to: to.id.clone(),
            kind,
        });
    }
    for c in [app, single, odd, dev, build] {
        b.add_component(c);
    }
    let (graph, dangling) = b.build();
    assert!(dangling.is_empty());
    Sbom {
        subject: Subject {
            name: "every field".into(),
            version: Some("3.0".into()),
        },
        created: Timestamp(1_700_000_000),
        graph,
    }
}

#[test]
fn rare_fields_pass_the_official_validators() {
    let out = tempfile::tempdir().unwrap();
    let failures = validate_all_formats("every-field", &sbom_with_every_field(), out.path(), false);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let cdx: serde_json::Value = serde_json::from_slice(&render(&sbom_with_every_field(), "cyclonedx-json")).unwrap();
    let app = cdx["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "app")
        .unwrap();
    assert_eq!(
        app["licenses"],
        serde_json::json!([{"expression": "(ISC) AND (MIT OR Apache-2.0)", "acknowledgement": "declared"}])
    );
    let spdx: serde_json::Value = serde_json::from_slice(&render(&sbom_with_every_field(), "spdx-json")).unwrap();
    let odd = spdx["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "@scope/odd")
        .unwrap();
    assert!(odd["licenseDeclared"]
        .as_str()
        .unwrap()
        .contains("LicenseRef-see-LICENSE.txt"));
    assert_eq!(
        spdx["hasExtractedLicensingInfos"][0]["extractedText"],
        "see LICENSE.txt </text> & more"
    );
}

#[test]
fn cyclonedx_1_5_output_passes_the_cyclonedx_bom_crate_validation() {
    use cyclonedx_bom::models::bom::{Bom, SpecVersion};
    use cyclonedx_bom::validation::Validate;
    for sbom in [
        scan_dir(&fixture("cargo/workspace")).sbom,
        sbom_with_every_field(),
        scan_dir(&corpus("rust/uv-0.9.9")).sbom,
    ] {
        let bytes = render(&sbom, "cyclonedx-json@1.5");
        let bom = Bom::parse_from_json_v1_5(bytes.as_slice()).expect("cyclonedx-bom reads our 1.5 JSON");
        let result = bom.validate_version(SpecVersion::V1_5);
        assert!(result.passed(), "{result:?}");
        assert_eq!(bom.components.map(|c| c.0.len()), Some(sbom.graph.len()));
    }
}

#[test]
fn spdx_json_output_loads_with_spdx_rs() {
    for sbom in [scan_dir(&fixture("cargo/workspace")).sbom, sbom_with_every_field()] {
        let bytes = render(&sbom, "spdx-json");
        let doc: spdx_rs::models::SPDX = serde_json::from_slice(&bytes).expect("spdx-rs reads our SPDX JSON");
        assert_eq!(doc.package_information.len(), sbom.graph.len() + 1);
        assert_eq!(doc.document_creation_information.spdx_version, "SPDX-2.3");
    }
}

#[test]
fn ntia_minimum_elements_all_but_supplier() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("ws.spdx.json");
    std::fs::write(&file, render(&scan_dir(&fixture("cargo/workspace")).sbom, "spdx-json")).unwrap();
    let (conformant, text) = oracle("ntia.sh", &[], &file);
    assert!(
        !conformant,
        "a lockfile names no suppliers, so the document cannot be conformant:\n{text}"
    );
    for (element, met) in [
        ("All component names provided?", "True"),
        ("All component versions provided?", "True"),
        ("All component identifiers provided?", "True"),
        ("All component suppliers provided?", "False"),
        ("SBOM author name provided?", "True"),
        ("SBOM creation timestamp provided?", "True"),
        ("Dependency relationships provided?", "True"),
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(element))
            .unwrap_or_else(|| panic!("{element} not in:\n{text}"));
        assert!(line.trim_end().ends_with(met), "{line}");
    }
}

#[test]
fn output_is_byte_identical_and_serials_follow_the_content() {
    let dir = fixture("cargo/workspace");
    for format in FORMATS {
        let a = format.render(&scan_dir(&dir).sbom);
        let b = format.render(&scan_dir(&dir).sbom);
        assert!(a == b, "{} differs between two runs", format.id);
    }
    let serial = |sbom: &Sbom| {
        let v: serde_json::Value = serde_json::from_slice(&render(sbom, "cyclonedx-json")).unwrap();
        v["serialNumber"].as_str().unwrap().to_string()
    };
    let mut later = scan_dir(&dir).sbom;
    later.created = Timestamp(1_800_000_000);
    assert_eq!(
        serial(&scan_dir(&dir).sbom),
        serial(&later),
        "the timestamp does not change the serial number"
    );
    let other = scan_dir(&fixture("cargo/git-dependency")).sbom;
    assert_ne!(serial(&scan_dir(&dir).sbom), serial(&other));
    let cdx: serde_json::Value = serde_json::from_slice(&render(&later, "cyclonedx-json")).unwrap();
    assert_eq!(cdx["metadata"]["timestamp"], "2027-01-15T08:00:00Z");
}

#[test]
fn cyclonedx_shape_root_dependencies_and_version_differences() {
    let sbom = scan_dir(&fixture("cargo/workspace")).sbom;
    let v16: serde_json::Value = serde_json::from_slice(&render(&sbom, "cyclonedx-json")).unwrap();
    let v15: serde_json::Value = serde_json::from_slice(&render(&sbom, "cyclonedx-json@1.5")).unwrap();
    assert_eq!(v16["specVersion"], "1.6");
    assert_eq!(v15["specVersion"], "1.5");
    assert_eq!(v16["metadata"]["component"]["name"], "fixture");
    assert_eq!(v16["metadata"]["tools"]["components"][0]["name"], "bomsight");
    let deps = v16["dependencies"].as_array().unwrap();
    assert_eq!(
        deps.len(),
        sbom.graph.len() + 1,
        "every node, and the subject, has an entry"
    );
    let subject = deps.iter().find(|d| d["ref"] == "bomsight:subject").unwrap();
    assert_eq!(
        subject["dependsOn"],
        serde_json::json!([
            "pkg:cargo/app@0.3.0 (path:crates/app)",
            "pkg:cargo/wscore@0.3.0 (path:crates/core)"
        ])
    );
    let leaf = deps.iter().find(|d| d["ref"] == "pkg:cargo/ryu@1.0.18").unwrap();
    assert_eq!(leaf["dependsOn"], serde_json::json!([]));
    let fnv = v16["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "fnv")
        .unwrap();
    assert_eq!(fnv["scope"], "excluded");
    assert_eq!(fnv["evidence"]["occurrences"][0]["line"], 30);
    assert_eq!(fnv["hashes"][0]["alg"], "SHA-256");
    let fnv15 = v15["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "fnv")
        .unwrap();
    assert!(
        fnv15["evidence"]["occurrences"][0].get("line").is_none(),
        "1.5 has no occurrence lines"
    );
}
