//! The `bomsight` binary: outputs, exit codes, messages and the environment it honours.

use crate::common::fixture;
use std::path::Path;
use std::process::{Command, Output};

fn bomsight(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bomsight"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn default_output_is_cyclonedx_1_6_on_stdout() {
    let out = bomsight(&["scan", path(&fixture("cargo/workspace"))]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["specVersion"], "1.6");
    assert_eq!(
        doc["metadata"]["component"]["name"], "workspace",
        "named after the directory"
    );
    assert_eq!(
        doc["metadata"]["timestamp"], "2023-11-14T22:13:20Z",
        "from SOURCE_DATE_EPOCH"
    );
    assert!(stderr(&out).contains("1 file(s) read, 2 project(s), 10 package(s), 11 dependency edge(s)"));
}

#[test]
fn several_outputs_from_one_scan_with_name_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let cdx = dir.path().join("a.cdx.json");
    let old = dir.path().join("old.cdx.json");
    let spdx = dir.path().join("a.spdx.json");
    let tv = dir.path().join("a.spdx");
    let out = bomsight(&[
        "scan",
        path(&fixture("cargo/git-dependency")),
        "-o",
        &format!("cyclonedx-json={}", path(&cdx)),
        "-o",
        &format!("cyclonedx-json@1.5={}", path(&old)),
        "-o",
        &format!("spdx-json={}", path(&spdx)),
        "-o",
        &format!("spdx-tag-value={}", path(&tv)),
        "--name",
        "myapp",
        "--version",
        "1.4.0",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&cdx).unwrap()).unwrap();
    assert_eq!(doc["metadata"]["component"]["name"], "myapp");
    assert_eq!(doc["metadata"]["component"]["version"], "1.4.0");
    let old: serde_json::Value = serde_json::from_slice(&std::fs::read(&old).unwrap()).unwrap();
    assert_eq!(old["specVersion"], "1.5");
    let spdx: serde_json::Value = serde_json::from_slice(&std::fs::read(&spdx).unwrap()).unwrap();
    assert_eq!(spdx["name"], "myapp");
    let tv = std::fs::read_to_string(&tv).unwrap();
    assert!(tv.starts_with("SPDXVersion: SPDX-2.3\n"));
    assert!(tv.contains("Created: 2023-11-14T22:13:20Z\n"));
}

#[test]
fn partial_scans_exit_3_and_name_each_bad_file() {
    let out = bomsight(&["scan", path(&fixture("cargo")), "-o", "spdx-json"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(!out.stdout.is_empty(), "the document is still written");
    let err = stderr(&out);
    assert!(
        err.contains("error: broken/malformed/Cargo.lock:9: invalid Cargo.lock"),
        "{err}"
    );
    assert!(err.contains("error: broken/empty/Cargo.lock: empty file"), "{err}");
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("sbom.json");
    let cases: Vec<Vec<String>> = vec![
        vec!["scan".into(), "/nonexistent/dir".into()],
        vec![
            "scan".into(),
            path(&fixture("cargo/workspace")).into(),
            "-o".into(),
            "cyclonedx-xml".into(),
        ],
        vec![
            "scan".into(),
            path(&fixture("cargo/workspace")).into(),
            "-o".into(),
            "spdx-json".into(),
            "-o".into(),
            "cyclonedx-json".into(),
        ],
        vec![
            "scan".into(),
            path(&fixture("cargo/workspace")).into(),
            "--exclude".into(),
            "[".into(),
        ],
        vec!["scan".into(), "--bogus".into()],
        vec![
            "scan".into(),
            path(&fixture("cargo/workspace")).into(),
            "-o".into(),
            format!("spdx-json={}/missing/x.json", dir.path().display()),
        ],
    ];
    for args in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = bomsight(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("error"), "{args:?}: {}", stderr(&out));
    }
    assert!(!target.exists());
    let bad_epoch = Command::new(env!("CARGO_BIN_EXE_bomsight"))
        .args(["scan", path(&fixture("cargo/workspace"))])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(bad_epoch.status.code(), Some(2));
    assert!(stderr(&bad_epoch).contains("SOURCE_DATE_EPOCH"));
}

#[test]
fn a_failed_write_leaves_the_previous_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("sbom.json");
    std::fs::write(&target, "previous").unwrap();
    // The second output cannot be written; the first is already in place atomically.
    let out = bomsight(&[
        "scan",
        path(&fixture("cargo/workspace")),
        "-o",
        &format!("cyclonedx-json={}", path(&target)),
        "-o",
        &format!("spdx-json={}", path(&dir.path().join("no/such/dir/x.json"))),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(
        written.starts_with('{') && written.ends_with("}\n"),
        "whole document, never half"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files: {leftovers:?}");
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let out = bomsight(&["scan", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("bomsight scan . -o cyclonedx-json@1.5=old-tools.cdx.json"));
    assert!(help.contains("Exit status: 0 ok"));
}

#[test]
fn cargo_metadata_adds_licenses_and_a_failure_keeps_the_lockfile_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("util/src")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"meta-app\"\nversion = \"0.2.0\"\nedition = \"2021\"\nlicense = \"MIT OR Apache-2.0\"\ndescription = \"An app\"\nauthors = [\"A <a@example.com>\"]\n\n[dependencies]\nmeta-util = { path = \"util\" }\n",
    )
    .unwrap();
    std::fs::write(root.join("src/main.rs"), "fn main() {}\n").unwrap();
    std::fs::write(
        root.join("util/Cargo.toml"),
        "[package]\nname = \"meta-util\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"Zlib\"\n",
    )
    .unwrap();
    std::fs::write(root.join("util/src/lib.rs"), "").unwrap();
    std::fs::write(
        root.join("Cargo.lock"),
        "version = 4\n\n[[package]]\nname = \"meta-app\"\nversion = \"0.2.0\"\ndependencies = [\n \"meta-util\",\n]\n\n[[package]]\nname = \"meta-util\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    let out = bomsight(&["scan", path(root), "--cargo-metadata"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("cargo metadata failed"), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let comps = doc["components"].as_array().unwrap();
    let app = comps.iter().find(|c| c["name"] == "meta-app").unwrap();
    let util = comps.iter().find(|c| c["name"] == "meta-util").unwrap();
    assert_eq!(app["licenses"][0]["expression"], "MIT OR Apache-2.0");
    assert_eq!(app["description"], "An app");
    assert_eq!(app["type"], "application");
    assert_eq!(util["licenses"][0]["license"]["id"], "Zlib");

    // A manifest cargo cannot resolve offline: the lockfile data still comes out, with a warning.
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"meta-app\"\nversion = \"0.2.0\"\n[dependencies]\nno-such-crate-bomsight = \"=9.9.9\"\n",
    )
    .unwrap();
    let out = bomsight(&["scan", path(root), "--cargo-metadata"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("cargo metadata failed"), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["components"].as_array().unwrap().len(), 2);
}
