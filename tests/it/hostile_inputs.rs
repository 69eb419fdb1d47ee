//! Broken, hostile and unreadable inputs: each is reported with its path (and line where
//! known), the rest of the scan goes on, and nothing panics.

use crate::common::{fixture, repo, scan_dir};
use bomsight::model::{Subject, Timestamp};
use bomsight::scan::{scan, ScanOptions};
use bomsight::tree::DiskTree;

#[test]
fn broken_lockfiles_are_reported_with_path_and_line() {
    let report = scan_dir(&fixture("cargo/broken"));
    let errors: Vec<(String, Option<usize>)> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.path.clone(), d.line))
        .collect();
    let expected: Vec<(String, Option<usize>)> = [
        ("ambiguous-dep/Cargo.lock", Some(5)),
        ("bad-version/Cargo.lock", Some(12)),
        ("binary/Cargo.lock", Some(1)),
        ("empty/Cargo.lock", None),
        ("malformed/Cargo.lock", Some(9)),
        ("missing-name/Cargo.lock", Some(12)),
        ("truncated/Cargo.lock", Some(59)),
        ("unresolved-dep/Cargo.lock", Some(11)),
    ]
    .iter()
    .map(|(p, l)| (p.to_string(), *l))
    .collect();
    assert_eq!(errors, expected);
    assert!(report.is_partial());
    let messages: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("`ghost` names no package")),
        "{messages:#?}"
    );
    assert!(messages.iter().any(|m| m.contains("ambiguous")), "{messages:#?}");
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("error: malformed/Cargo.lock:9: ")),
        "{messages:#?}"
    );
    // What could be read is kept: the packages around the bad entries.
    let names: Vec<_> = report.sbom.graph.components().map(|c| c.name.as_str()).collect();
    assert!(names.contains(&"haunted") && names.contains(&"ambiguous"), "{names:?}");
}

#[test]
fn broken_python_files_are_reported_with_path_and_line() {
    let report = scan_dir(&fixture("python/broken"));
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    let expected = [
        "error: pdm-wrong-types/pdm.lock:5: invalid pdm.lock: invalid type: string \"click==8.1.7\", expected a sequence",
        "error: pipfile-bad-json/Pipfile.lock:57: invalid Pipfile.lock: EOF while parsing a string",
        "error: poetry-truncated/poetry.lock:59: invalid poetry.lock: unclosed inline table, expected `}`",
        "error: pylock-binary/pylock.toml:2: binary content (NUL byte), not a text file",
        "error: requirements-bad/requirements.txt:4: `==1.0` does not start with a package name",
        "error: requirements-bad/requirements.txt:5: `--hash` needs a value such as sha256:HEX",
        "error: uv-malformed/uv.lock:44: invalid uv.lock: invalid basic string, expected `\"`",
    ];
    assert_eq!(errors, expected);
    // The good lines of the bad requirements file are kept.
    assert!(report.sbom.graph.components().any(|c| c.name == "six"));
}

#[test]
fn broken_javascript_files_are_reported_with_path_and_line() {
    let report = scan_dir(&fixture("javascript/broken"));
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    let expected = [
        "error: binary/package-lock.json:3: binary content (NUL byte), not a text file",
        "error: bun-bad/bun.lock:96: invalid bun.lock: EOF while parsing an object",
        "error: npm-truncated/package-lock.json:51: invalid package-lock.json: EOF while parsing a string",
        "error: npm-wrong-types/package-lock.json:6: invalid package-lock.json: invalid type: sequence, expected an object",
        "error: pnpm-bad/pnpm-lock.yaml:61: invalid pnpm-lock.yaml: did not find expected ',' or '}', while parsing a flow mapping",
        "error: yarn-berry-bad/yarn.lock:44: invalid yarn.lock: found unexpected end of stream, while scanning a quoted scalar",
        "error: yarn-classic-bad/yarn.lock:33: expected an entry header ending in `:`, found `semver@^5.7.2`",
    ];
    assert_eq!(errors, expected);
    // 10,000-deep arrays under a key bomsight does not read are skipped without recursing
    // (as in the hostile corpus): the lockfile around them is read.
    assert!(report.sbom.graph.components().any(|c| c.name == "deep"));
}

#[test]
fn yaml_alias_bombs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb =
        String::from("lockfileVersion: '9.0'\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for i in 1..12 {
        bomb.push_str(&format!(
            "{}: &{} [*{},*{},*{},*{},*{},*{},*{},*{},*{}]\n",
            (b'a' + i) as char,
            (b'a' + i) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char
        ));
    }
    std::fs::write(dir.path().join("pnpm-lock.yaml"), bomb).unwrap();
    let report = scan_dir(dir.path());
    assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
    assert!(report.diagnostics[0].is_error());
}

#[test]
fn oversized_files_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Cargo.lock"), "# padding\n".repeat(1000)).unwrap();
    let tree = DiskTree::new(dir.path()).with_max_file_bytes(4096);
    let subject = Subject {
        name: "x".into(),
        version: None,
    };
    let report = scan(&tree, subject, Timestamp(0), &ScanOptions::default()).unwrap();
    assert_eq!(report.diagnostics.len(), 1);
    assert!(report.diagnostics[0]
        .to_string()
        .contains("Cargo.lock: cannot read: file is 10000 bytes, over the 4096-byte limit"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links_do_not_stop_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::copy(fixture("cargo/single-crate-v3/Cargo.lock"), app.join("Cargo.lock")).unwrap();
    std::os::unix::fs::symlink("..", app.join("loop")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/Cargo.lock", dir.path().join("Cargo.lock")).unwrap();
    std::fs::create_dir_all(dir.path().join("dev")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("dev/Cargo.lock")).unwrap();
    let report = scan_dir(dir.path());
    assert_eq!(report.files, ["Cargo.lock", "app/Cargo.lock", "dev/Cargo.lock"]);
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors[0].starts_with("error: Cargo.lock: cannot read: "), "{errors:#?}");
    assert!(
        errors[1].starts_with("error: dev/Cargo.lock: cannot read: not a regular file"),
        "{errors:#?}"
    );
    assert_eq!(report.sbom.graph.len(), 4, "the good lockfile is still read");
}

#[test]
fn default_skipped_and_excluded_directories_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["node_modules/x", "target/debug", ".git/y", "examples/demo", "keep"] {
        let to = dir.path().join(sub);
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(fixture("cargo/single-crate-v3/Cargo.lock"), to.join("Cargo.lock")).unwrap();
    }
    let options = ScanOptions {
        excludes: vec!["examples/**".into()],
        ..Default::default()
    };
    let report = crate::common::scan_with(dir.path(), &options);
    assert_eq!(report.files, ["keep/Cargo.lock"]);
    let everything = ScanOptions {
        include_default_skipped: true,
        ..Default::default()
    };
    let report = crate::common::scan_with(dir.path(), &everything);
    assert_eq!(report.files.len(), 5);
}

#[test]
fn deeply_nested_and_huge_valid_lockfiles_parse() {
    // 20,000 packages in one chain: no recursion in resolution or scope derivation.
    let mut lock = String::from("version = 4\n");
    let n = 20_000;
    for i in 0..n {
        lock.push_str(&format!("\n[[package]]\nname = \"p{i}\"\nversion = \"1.0.0\"\n"));
        if i > 0 {
            lock.push_str("source = \"registry+https://github.com/rust-lang/crates.io-index\"\n");
        }
        if i + 1 < n {
            lock.push_str(&format!("dependencies = [\"p{}\"]\n", i + 1));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Cargo.lock"), lock).unwrap();
    let report = scan_dir(dir.path());
    assert_eq!(report.sbom.graph.len(), n);
    assert_eq!(report.sbom.graph.edge_count(), n - 1);
    assert!(report
        .sbom
        .graph
        .components()
        .all(|c| c.scope == bomsight::model::Scope::Required));
}

#[test]
fn hostile_sboms_give_errors_or_warnings_never_panics() {
    use bomsight::import::import;
    let dangling = br#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
        "components":[{"type":"library","bom-ref":"a","name":"a","version":"1"},{"type":"library","bom-ref":"a","name":"a2","version":"2"},
                      {"type":"library","bom-ref":"b","name":"b","version":"1"}],
        "dependencies":[{"ref":"a","dependsOn":["b","ghost"]},{"ref":"b","dependsOn":["a"]},{"ref":"nobody","dependsOn":[]}]}"#;
    let imported = import("dangling.json", dangling).expect("imports with warnings");
    let warnings: Vec<String> = imported.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(warnings.iter().any(|w| w.contains("appears twice")), "{warnings:#?}");
    assert!(warnings.iter().any(|w| w.contains("`ghost`")), "{warnings:#?}");
    assert!(warnings.iter().any(|w| w.contains("`nobody`")), "{warnings:#?}");
    assert_eq!(imported.sbom.graph.edge_count(), 2, "the a ↔ b cycle is kept");
    let r = bomsight::diff::diff(&imported.sbom, &imported.sbom, "x", "x");
    assert!(r.changes.is_empty());

    let wrong_types = br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":"everything"}"#;
    let err = import("wrong.json", wrong_types).err().expect("refused");
    assert!(
        err.to_string()
            .starts_with("error: wrong.json:1: invalid CycloneDX JSON"),
        "{err}"
    );

    let mut deep = String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":"#);
    for _ in 0..5000 {
        deep.push_str(r#"[{"type":"library","name":"x","components":"#);
    }
    let err = import("deep.json", deep.as_bytes()).err().expect("refused");
    assert!(err.to_string().contains("recursion limit"), "{err}");

    let xml_bomb = br#"<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>&b;</name></component></components></bom>"#;
    let err = import("bomb.xml", xml_bomb).err().expect("refused");
    assert!(err.to_string().contains("DOCTYPE"), "{err}");

    let truncated_tv =
        b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nPackageName: x\nPackageDescription: <text>never closed\n";
    let err = import("t.spdx", truncated_tv).err().expect("refused");
    assert!(err.to_string().starts_with("error: t.spdx:4: "), "{err}");

    let not_sbom = import("x.json", br#"{"name":"package.json?"}"#).err().expect("refused");
    assert!(not_sbom.to_string().contains("not an SBOM"), "{not_sbom}");
}

/// `fuzz/targets.tsv`: each fuzz target and the path its input is given as.
fn fuzz_targets() -> Vec<(String, String)> {
    std::fs::read_to_string(repo().join("fuzz/targets.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, path) = l.split_once('\t').unwrap();
            (name.to_string(), path.to_string())
        })
        .collect()
}

#[test]
fn every_collector_has_a_fuzz_target() {
    let targets = fuzz_targets();
    for c in bomsight::collect::COLLECTORS {
        assert!(
            targets
                .iter()
                .any(|(_, path)| c.claims(path, bomsight::collect::file_name(path))),
            "no fuzz target feeds the collector `{}`",
            c.id()
        );
    }
    for (name, path) in &targets {
        assert!(
            bomsight::collect::collectors_for(path).next().is_some(),
            "fuzz target {name}: no collector claims `{path}`"
        );
        assert!(repo().join(format!("fuzz/fuzz_targets/{name}.rs")).is_file(), "{name}");
    }
}

/// Bytes no lockfile has: a fixed pseudo-random stream (xorshift), so failures reproduce.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

#[test]
fn every_collector_meets_empty_noisy_and_mangled_files_and_the_scan_still_writes_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut expected_errors = 0;
    for (i, (_, path)) in fuzz_targets().iter().enumerate() {
        let cases: [(&str, Vec<u8>); 4] = [
            ("empty dir", Vec::new()),
            ("noise ünïcode", noise(4096, 0x9E37_79B9_7F4A_7C15 + i as u64)),
            (
                "invalid utf8",
                [b"\xff\xfe\x00garbage\n".as_slice(), &noise(64, i as u64 + 1)].concat(),
            ),
            ("truncated", {
                let seed = crate::common::fixture_scenarios()
                    .into_iter()
                    .map(|d| d.join(path))
                    .find(|p| p.is_file())
                    .map(|p| std::fs::read(p).unwrap())
                    .unwrap_or_else(|| b"{\"a\": [1, 2".to_vec());
                seed[..seed.len() / 2].to_vec()
            }),
        ];
        for (case, bytes) in cases {
            let file = root.join(case).join(format!("t{i}")).join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, bytes).unwrap();
        }
        expected_errors += 1;
    }
    // A lockfile name that is a directory is walked into, not read.
    std::fs::create_dir_all(root.join("odd/Cargo.lock/inner")).unwrap();
    let out = root.join("out").join("sbom.cdx.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_bomsight"))
        .args(["scan", root.to_str().unwrap(), "--quiet", "-o"])
        .arg(format!("cyclonedx-json={}", out.display()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(3), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert!(
        errors.len() >= expected_errors,
        "{} errors for {expected_errors} formats:\n{stderr}",
        errors.len()
    );
    for e in &errors {
        let named = ["empty dir/", "noise ünïcode/", "invalid utf8/", "truncated/"];
        assert!(named.iter().any(|n| e.starts_with(&format!("error: {n}"))), "{e}");
    }
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(written["bomFormat"], "CycloneDX");
}

/// A tree that refuses to read whole any file named `big-text`.
struct OnlyHeadsOfText(bomsight::memory_tree::MemoryTree);

impl bomsight::tree::Tree for OnlyHeadsOfText {
    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        assert!(!rel.ends_with("big-text"), "{rel} was read whole");
        self.0.read(rel)
    }
    fn read_head(&self, rel: &str, n: usize) -> std::io::Result<Vec<u8>> {
        self.0.read_head(rel, n)
    }
    fn subdirs(&self, rel: &str) -> std::io::Result<Vec<String>> {
        self.0.subdirs(rel)
    }
    fn files_in(&self, rel: &str) -> std::io::Result<Vec<String>> {
        self.0.files_in(rel)
    }
    fn is_file(&self, rel: &str) -> bool {
        self.0.is_file(rel)
    }
    fn walk(
        &self,
        filter: &bomsight::tree::WalkFilter,
        wanted: &(dyn Fn(&str) -> bool + Sync),
    ) -> (Vec<String>, Vec<bomsight::diagnostic::Diagnostic>) {
        self.0.walk(filter, wanted)
    }
    fn disk_root(&self) -> Option<&std::path::Path> {
        None
    }
}

#[test]
fn extensionless_files_that_are_no_programs_are_not_read_whole() {
    let tree = OnlyHeadsOfText(bomsight::memory_tree::MemoryTree::new([
        ("docs/big-text".to_string(), b"just words\n".repeat(100_000)),
        ("Cargo.lock".to_string(), b"version = 3\n".to_vec()),
    ]));
    let subject = Subject {
        name: "t".into(),
        version: None,
    };
    let report = scan(&tree, subject, Timestamp(0), &ScanOptions::default()).unwrap();
    assert_eq!(report.files, vec!["Cargo.lock"]);
    assert!(
        report.diagnostics.iter().all(|d| d.path == "Cargo.lock"),
        "{:#?}",
        report.diagnostics
    );
}
