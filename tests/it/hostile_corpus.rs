//! `testdata/hostile/`: the committed hostile files, plus what is too big or too odd to commit
//! (100,000-deep nesting in every syntax, a 100 MB lockfile, a tag with 300,000 attributes,
//! loops, FIFOs, unreadable paths), scanned in one tree by the real binary: one error per bad file naming it, the good
//! files read, exit 3, and the output written whole.

use crate::common::repo;
use std::path::Path;
use std::process::{Command, Output};

const DEEP: usize = 100_000;

/// The generated 100,000-deep files: path in the tree, text, and whether it must be refused.
/// JSON parsers skip an unknown key's value without recursing, so deep JSON there is read; in
/// TOML, YAML, XML and Erlang terms it is refused by the nesting limit.
fn deeply_nested() -> Vec<(&'static str, String, bool)> {
    let open_close = |open: &str, close: &str| (open.repeat(DEEP), close.repeat(DEEP));
    let (ja, jz) = open_close("[", "]");
    let (xa, xz) = open_close("<a>", "</a>");
    let (ta, tz) = open_close("{", "}");
    vec![
        (
            "deep/json/package-lock.json",
            format!(r#"{{"lockfileVersion":3,"x":{ja}{jz},"packages":{{}}}}"#),
            false,
        ),
        (
            "deep/json/composer.lock",
            format!(r#"{{"x":{ja}{jz},"packages":[]}}"#),
            false,
        ),
        (
            "deep/jsonc/bun.lock",
            format!(r#"{{"lockfileVersion":1,"x":{ja}{jz},"packages":{{}},}}"#),
            false,
        ),
        ("deep/toml/Cargo.lock", format!("version = 4\nx = {ja}{jz}\n"), true),
        (
            "deep/toml/uv.lock",
            format!("version = 1\n[[package]]\nname = {ja}{jz}\n"),
            true,
        ),
        (
            "deep/yaml/pnpm-lock.yaml",
            format!("lockfileVersion: '9.0'\nx: {ja}{jz}\n"),
            true,
        ),
        ("deep/yaml/pubspec.lock", format!("x: {ja}{jz}\npackages: {{}}\n"), true),
        ("deep/xml/pom.xml", format!("<project>{xa}{xz}</project>"), true),
        (
            "deep/xml/packages.config",
            format!("<packages>{xa}{xz}</packages>"),
            true,
        ),
        ("deep/terms/mix.lock", format!("%{{\"x\": {ta}{tz}}}\n"), true),
        ("deep/terms/rebar.lock", format!("{{\"1.2.0\",{ja}{jz}}}.\n"), true),
    ]
}

/// A POM whose root tag carries 300,000 attributes, the first repeated last. quick-xml
/// before 0.41 compared each attribute name with every earlier one (RUSTSEC-2026-0194): hours
/// of CPU for a file of a few megabytes. Now the duplicate is found in linear time and refused.
fn attribute_flood() -> String {
    let attributes: String = (0..300_000).map(|i| format!(" a{i}=\"\"")).collect();
    format!("<project{attributes} a0=\"\"><groupId>g</groupId></project>\n")
}

/// A 100 MB requirements.txt: comment lines, then one requirement.
fn hundred_megabytes() -> Vec<u8> {
    let mut text = b"# padding to make this file 100 MB; only the last line says anything\n".repeat(1_500_000);
    text.extend_from_slice(b"requests==2.32.3\n");
    text
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bomsight"))
        .args(args)
        .output()
        .unwrap()
}

/// The error lines of a run, checked to name a file of the tree.
fn errors(out: &Output) -> Vec<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .map(str::to_string)
        .collect()
}

fn error_for<'a>(errors: &'a [String], file: &str) -> &'a str {
    let hits: Vec<&String> = errors
        .iter()
        .filter(|e| e.starts_with(&format!("error: {file}")))
        .collect();
    assert_eq!(hits.len(), 1, "one error for {file}: {errors:#?}");
    hits[0]
}

#[test]
fn the_hostile_corpus_gives_one_error_per_bad_file_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    copy_dir(&repo().join("testdata/hostile"), &tree);
    for (path, text, _) in deeply_nested() {
        std::fs::create_dir_all(tree.join(path).parent().unwrap()).unwrap();
        std::fs::write(tree.join(path), text).unwrap();
    }
    std::fs::create_dir_all(tree.join("huge")).unwrap();
    std::fs::write(tree.join("huge/requirements.txt"), hundred_megabytes()).unwrap();
    std::fs::create_dir_all(tree.join("attribute-flood")).unwrap();
    std::fs::write(tree.join("attribute-flood/pom.xml"), attribute_flood()).unwrap();
    std::fs::create_dir_all(tree.join("a-directory/Cargo.lock")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", tree.join("good/loop")).unwrap();
        let made = Command::new("mkfifo")
            .arg(tree.join("good/package.json"))
            .status()
            .unwrap();
        assert!(made.success(), "a FIFO named like a lockfile must not block the scan");
    }
    let out_dir = dir.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let sbom = out_dir.join("sbom.cdx.json");
    let spdx = out_dir.join("sbom.spdx");
    let out = run(&[
        "scan",
        tree.to_str().unwrap(),
        "--quiet",
        "-o",
        &format!("cyclonedx-json={}", sbom.display()),
        "-o",
        &format!("spdx-tag-value={}", spdx.display()),
    ]);
    let errors = errors(&out);
    assert_eq!(out.status.code(), Some(3), "{errors:#?}");

    let expected = [
        ("yaml-alias-bomb/pnpm-lock.yaml", "alias"),
        ("xml-entity-expansion/pom.xml", "DOCTYPE"),
        ("xml-external-entity/packages.config", "DOCTYPE"),
        ("invalid-utf8/Cargo.lock:8", "UTF-8"),
        ("truncated/package-lock.json:15", "EOF"),
        ("empty/poetry.lock", "empty"),
        ("random-bytes/yarn.lock", ""),
        ("nul-bytes/go.mod:6", ""),
        ("good/package.json", "not a regular file"),
        ("attribute-flood/pom.xml", "duplicate"),
        // Fuzzing finds, kept: each panicked once.
        ("fuzz-yarn_lock/yarn.lock:1", "is not NAME@RANGE"),
        // Not a panic: the fast YAML reader accepted a key over YAML's 1024-character limit,
        // which the full parser refuses (the file then read as an empty lockfile).
        ("fuzz-yaml_block/pnpm-lock.yaml:1", "invalid pnpm-lock.yaml"),
    ];
    for (file, says) in expected {
        let e = error_for(&errors, file);
        assert!(e.contains(says), "{file} should say `{says}`: {e}");
    }
    let mut refused = 0;
    for (path, _, must_refuse) in deeply_nested() {
        if must_refuse {
            let e = error_for(&errors, path);
            assert!(e.contains("nest") || e.contains("recurs"), "{e}");
            refused += 1;
        } else {
            assert!(!errors.iter().any(|e| e.contains(path)), "{path}: {errors:#?}");
        }
    }
    assert_eq!(errors.len(), expected.len() + refused, "{errors:#?}");

    // The good files, the awkward names and the 100 MB file were read.
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&sbom).unwrap()).unwrap();
    let purls: Vec<&str> = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["purl"].as_str())
        .collect();
    for purl in [
        "pkg:cargo/itoa@1.0.11",
        "pkg:gem/rake@13.2.1",
        "pkg:pypi/requests@2.32.3",
    ] {
        assert!(purls.contains(&purl), "{purl} missing from {purls:#?}");
    }
    assert!(std::fs::read_to_string(&spdx)
        .unwrap()
        .starts_with("SPDXVersion: SPDX-2.3"));
    let left: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "only the two outputs, no temporary files: {left:?}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_by_name_and_the_limit_can_be_raised() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), hundred_megabytes()).unwrap();
    let root = dir.path().to_str().unwrap();
    let out = run(&["scan", root, "--quiet", "--max-file-size", "10M"]);
    let errors = errors(&out);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("error: requirements.txt: cannot read: file is 103500017 bytes"),
        "{errors:#?}"
    );
    assert!(
        errors[0].contains("--max-file-size"),
        "the error says how to raise it: {errors:#?}"
    );
    let out = run(&["scan", root, "--quiet", "--max-file-size", "200M"]);
    assert_eq!(out.status.code(), Some(0), "{:#?}", self::errors(&out));
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_directories_are_reported_when_permissions_apply() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("closed")).unwrap();
    std::fs::copy(
        repo().join("testdata/hostile/good/Cargo.lock"),
        root.join("closed/Cargo.lock"),
    )
    .unwrap();
    std::fs::copy(repo().join("testdata/hostile/good/Cargo.lock"), root.join("Cargo.lock")).unwrap();
    std::fs::create_dir_all(root.join("locked")).unwrap();
    std::fs::write(root.join("locked/go.mod"), "module x\n").unwrap();
    std::fs::set_permissions(root.join("closed/Cargo.lock"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads everything whatever the mode says (CI runs as root): then the files are read.
    let permissions_apply = std::fs::read(root.join("closed/Cargo.lock")).is_err();
    let out = run(&["scan", root.to_str().unwrap(), "--quiet"]);
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let errors = errors(&out);
    if permissions_apply {
        assert_eq!(out.status.code(), Some(3), "{errors:#?}");
        assert!(error_for(&errors, "closed/Cargo.lock").contains("cannot read"));
        assert!(error_for(&errors, "locked").contains("cannot"));
        assert_eq!(errors.len(), 2, "{errors:#?}");
    } else {
        assert_eq!(out.status.code(), Some(0), "{errors:#?}");
    }
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "itoa"));
}

#[test]
fn scan_diff_and_audit_share_the_size_and_nesting_limits() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    for side in [&old, &new] {
        std::fs::create_dir_all(side.join("app")).unwrap();
        std::fs::copy(repo().join("testdata/hostile/good/Cargo.lock"), side.join("Cargo.lock")).unwrap();
    }
    // Nested three deep: fine by default, refused under --max-nesting 2.
    std::fs::write(
        new.join("app/packages.config"),
        "<packages><package id=\"Newtonsoft.Json\" version=\"13.0.3\"><x/></package></packages>\n",
    )
    .unwrap();
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());

    let scan = run(&["scan", new, "--quiet", "--max-nesting", "2"]);
    let scan_errors = errors(&scan);
    assert_eq!(scan.status.code(), Some(3), "{scan_errors:#?}");
    let e = error_for(&scan_errors, "app/packages.config");
    assert!(e.contains("nested deeper than 2"), "{e}");
    assert_eq!(run(&["scan", new, "--quiet"]).status.code(), Some(0));

    let diff = run(&["diff", old, new, "--quiet", "--format", "json", "--max-nesting", "2"]);
    assert_eq!(diff.status.code(), Some(3), "{:#?}", errors(&diff));
    let diff = run(&["diff", old, new, "--quiet", "--format", "json"]);
    assert_eq!(diff.status.code(), Some(0), "{:#?}", errors(&diff));
    let report: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap();
    assert!(report.to_string().contains("Newtonsoft.Json"));

    let audit = run(&["audit", new, "--quiet", "--max-file-size", "100"]);
    let audit_errors = errors(&audit);
    assert_eq!(audit.status.code(), Some(3), "{audit_errors:#?}");
    let e = error_for(&audit_errors, "Cargo.lock");
    assert!(e.contains("--max-file-size"), "{e}");
}
