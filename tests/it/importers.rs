//! Importers: every fixture scanned, written in each format and read back gives the same
//! graph; real SBOMs from other tools (Syft, cdxgen, cyclonedx-gomod, FreeRTOS's own) read
//! with the counts their files state.

use crate::common::{corpus, fixture, scan_dir};
use bomsight::export::find_format;
use bomsight::import::{import, SbomFormat};
use bomsight::model::Sbom;
use std::collections::BTreeSet;

/// What must survive a round trip through any format: ids, purls, versions, component
/// hashes, roles and the edges (kinds aside: CycloneDX has none).
fn shape(sbom: &Sbom) -> (BTreeSet<String>, BTreeSet<(String, String)>) {
    let nodes = sbom
        .graph
        .components()
        .map(|c| {
            let hashes: Vec<String> = c.hashes.iter().map(|h| h.to_string()).collect();
            format!(
                "{} purl={:?} version={:?} role={:?} hashes={hashes:?}",
                c.id, c.purl, c.version, c.role
            )
        })
        .collect();
    let edges = sbom
        .graph
        .edges()
        .into_iter()
        .map(|(a, b, _)| (a.id.to_string(), b.id.to_string()))
        .collect();
    (nodes, edges)
}

#[test]
fn every_fixture_survives_a_round_trip_through_every_format() {
    for dir in crate::common::fixture_scenarios() {
        let original = scan_dir(&dir).sbom;
        for (format, expected) in [
            ("cyclonedx-json", SbomFormat::CycloneDxJson),
            ("cyclonedx-json@1.5", SbomFormat::CycloneDxJson),
            ("spdx-json", SbomFormat::SpdxJson),
            ("spdx-tag-value", SbomFormat::SpdxTagValue),
        ] {
            let bytes = find_format(format).unwrap().render(&original);
            let back = import("doc", &bytes).unwrap_or_else(|d| panic!("{} {format}: {d}", dir.display()));
            assert_eq!(back.format, expected);
            assert!(
                back.diagnostics.is_empty(),
                "{} {format}: {:#?}",
                dir.display(),
                back.diagnostics
            );
            assert_eq!(
                shape(&back.sbom),
                shape(&original),
                "{} through {format}",
                dir.display()
            );
            assert_eq!(back.sbom.subject, original.subject);
            let scopes = |s: &Sbom| {
                s.graph
                    .components()
                    .map(|c| (c.id.to_string(), c.scope))
                    .collect::<Vec<_>>()
            };
            if format.starts_with("cyclonedx") {
                assert_eq!(
                    scopes(&back.sbom),
                    scopes(&original),
                    "{} {format}: scopes",
                    dir.display()
                );
                let artifacts = |s: &Sbom| s.graph.components().map(|c| c.artifacts.clone()).collect::<Vec<_>>();
                assert_eq!(
                    artifacts(&back.sbom),
                    artifacts(&original),
                    "{} {format}: artifacts",
                    dir.display()
                );
            }
        }
    }
}

/// Syft's documents of `javascript/npm-v3`, counted with Python (components or packages and
/// files; distinct dependency edges with both ends present).
const SYFT_CDX: (usize, usize) = (21, 0);
const SYFT_SPDX: (usize, usize) = (22, 20);

#[test]
fn real_sboms_from_other_tools() {
    // (file, format, nodes, edges), counted with Python from the files: CycloneDX components
    // (nested ones too) plus another tool's metadata.component; SPDX packages and files;
    // distinct dependency edges whose both ends exist.
    let cases = [
        ("sboms/bomctl-0.3.0/test-linked.spdx.json", SbomFormat::SpdxJson, 81, 0),
        (
            "sboms/cyclonedx-node-npm-demo-deps-from-git/bom.1.6.json",
            SbomFormat::CycloneDxJson,
            100,
            152,
        ),
        (
            "sboms/cyclonedx-node-npm-demo-deps-from-git/bom.1.6.xml",
            SbomFormat::CycloneDxXml,
            100,
            152,
        ),
        (
            "sboms/freertos-kernel-V11.1.0/sbom.spdx",
            SbomFormat::SpdxTagValue,
            257,
            0,
        ),
        (
            "sboms/freertos-kernel-V11.2.0/sbom.spdx",
            SbomFormat::SpdxTagValue,
            253,
            0,
        ),
        (
            "sboms/mongo-c-driver-2.4.0/cyclonedx.sbom.json",
            SbomFormat::CycloneDxJson,
            4,
            0,
        ),
        (
            "sboms/mongo-c-driver-2.5.0/cyclonedx.sbom.json",
            SbomFormat::CycloneDxJson,
            4,
            0,
        ),
        (
            "sboms/proton-bridge-v1.6.3/proton-bridge-v1.6.3.bom.xml",
            SbomFormat::CycloneDxXml,
            202,
            232,
        ),
        (
            "sboms/proton-bridge-v1.8.0/proton-bridge-v1.8.0.bom.xml",
            SbomFormat::CycloneDxXml,
            202,
            232,
        ),
        ("sboms/sbomqs/sbomqs-cdx.json", SbomFormat::CycloneDxJson, 210, 0),
    ];
    let generated = [
        ("sboms/cdxgen-npm-v3.cdx.json", SbomFormat::CycloneDxJson, 44, 46),
        ("sboms/cdxgen-poetry.cdx15.json", SbomFormat::CycloneDxJson, 11, 7),
        ("sboms/cyclonedx-py-poetry.cdx.json", SbomFormat::CycloneDxJson, 10, 15),
        ("sboms/cyclonedx-py-poetry.cdx14.xml", SbomFormat::CycloneDxXml, 10, 15),
    ];
    let syft = [
        ("sboms/syft-npm-v3.cdx.json", SbomFormat::CycloneDxJson),
        ("sboms/syft-npm-v3.spdx.json", SbomFormat::SpdxJson),
        ("sboms/syft-npm-v3.spdx", SbomFormat::SpdxTagValue),
    ];
    for (file, format) in syft {
        let imported = import(file, &std::fs::read(fixture(file)).unwrap()).unwrap();
        assert_eq!(imported.format, format, "{file}");
        let expected = if format == SbomFormat::CycloneDxJson {
            SYFT_CDX
        } else {
            SYFT_SPDX
        };
        assert_eq!(
            (imported.sbom.graph.len(), imported.sbom.graph.edge_count()),
            expected,
            "{file}"
        );
    }
    for (file, format, nodes, edges) in generated {
        let imported = import(file, &std::fs::read(fixture(file)).unwrap()).unwrap();
        assert_eq!(imported.format, format, "{file}");
        assert_eq!(
            (imported.sbom.graph.len(), imported.sbom.graph.edge_count()),
            (nodes, edges),
            "{file}"
        );
        // The same project read by another tool: the same packages (purls), whatever the roots.
        let purls = |s: &Sbom| {
            s.graph
                .components()
                .filter_map(|c| c.purl.clone())
                .filter(|p| {
                    !p.contains("demo-app")
                        && !p.contains("web@")
                        && !p.contains("core@1.0.0")
                        && !p.contains("poetry-fixture")
                })
                .map(|p| p.split('?').next().unwrap().to_string())
                .collect::<BTreeSet<_>>()
        };
        let ours = scan_dir(&fixture(if file.contains("npm") {
            "javascript/npm-v3"
        } else {
            "python/poetry"
        }))
        .sbom;
        let mut expected = purls(&ours);

        if file.contains("cyclonedx-py") {
            // cyclonedx-py leaves out what only an extra installs (pysocks: `optional = true`).
            expected.remove("pkg:pypi/pysocks@1.7.1");
        }
        assert_eq!(purls(&imported.sbom), expected, "{file}");
    }
    for (file, format, nodes, edges) in cases {
        let bytes = std::fs::read(corpus(file)).unwrap();
        let imported = import(file, &bytes).unwrap();
        assert_eq!(imported.format, format, "{file}");
        assert_eq!(imported.sbom.graph.len(), nodes, "{file}");
        assert_eq!(imported.sbom.graph.edge_count(), edges, "{file}");
    }
}

#[test]
fn every_corpus_sbom_reads() {
    let dir = corpus("sboms");
    let mut read = 0;
    for project in std::fs::read_dir(&dir).unwrap() {
        for file in std::fs::read_dir(project.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let imported = import(&path.display().to_string(), &bytes).unwrap_or_else(|d| panic!("{d}"));
            assert!(!imported.sbom.graph.is_empty(), "{}", path.display());
            read += 1;
        }
    }
    assert_eq!(read, 10);
}
