//! Shared helpers: where the fixtures, the shared corpus and the oracles are, and a scan
//! with a fixed timestamp.

use bomsight::model::{Component, Sbom, Subject, Timestamp};
use bomsight::scan::{scan, ScanOptions, ScanReport};
use bomsight::tree::DiskTree;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every ecosystem folder of `testdata/` that holds collector fixtures.
pub const FIXTURE_ECOSYSTEMS: [&str; 16] = [
    "cargo",
    "python",
    "javascript",
    "go",
    "dotnet",
    "gradle",
    "maven",
    "ruby",
    "php",
    "dart",
    "swift",
    "cocoapods",
    "elixir",
    "erlang",
    "haskell",
    "cpp",
];

/// Every fixture scenario directory (the deliberately `broken` ones aside), sorted.
pub fn fixture_scenarios() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for ecosystem in FIXTURE_ECOSYSTEMS {
        for e in std::fs::read_dir(fixture(ecosystem)).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() && !p.ends_with("broken") {
                dirs.push(p);
            }
        }
    }
    dirs.sort();
    dirs
}

/// Every file under `dir` whose name `wanted` accepts, depth first (unreadable directories
/// are passed over).
pub fn files_named(dir: &Path, wanted: &dyn Fn(&str) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => files_named(&path, wanted, out),
            Ok(t) if t.is_file() && wanted(&entry.file_name().to_string_lossy()) => out.push(path),
            _ => {}
        }
    }
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("testdata").join(rel)
}

/// `../shared` beside the repository (as in CI), or `$BOMSIGHT_SHARED`.
pub fn shared() -> PathBuf {
    std::env::var_os("BOMSIGHT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared"))
}

pub fn corpus(rel: &str) -> PathBuf {
    let p = shared().join("corpus").join(rel);
    assert!(
        p.exists(),
        "{} is missing: the shared corpus must sit beside the repository",
        p.display()
    );
    p
}

pub fn scan_dir(dir: &Path) -> ScanReport {
    scan_with(dir, &ScanOptions::default())
}

pub fn scan_with(dir: &Path, options: &ScanOptions) -> ScanReport {
    let subject = Subject {
        name: "fixture".into(),
        version: Some("1.0.0".into()),
    };
    scan(&DiskTree::new(dir), subject, Timestamp(1_700_000_000), options).expect("scan runs")
}

pub fn find<'a>(sbom: &'a Sbom, name: &str, version: &str) -> &'a Component {
    sbom.graph
        .components()
        .find(|c| c.name == name && c.version.as_deref() == Some(version))
        .unwrap_or_else(|| panic!("no component {name}@{version}"))
}

fn oracles_venv() -> PathBuf {
    let venv = PathBuf::from(std::env::var("ORACLES_HOME").unwrap_or_else(|_| "/tmp/oracles".into())).join("venv");
    assert!(
        venv.join("bin/python").exists(),
        "the validators are not installed in {}: run `scripts/test` (or ../shared/oracles/setup.sh)",
        venv.display()
    );
    venv
}

fn run(command: &mut Command) -> (bool, String) {
    let out = command.output().expect("validator runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Runs an oracle script from `../shared/oracles` on a file; returns (passed, output).
/// The oracles are installed by `scripts/test` (`../shared/oracles/setup.sh`).
pub fn oracle(script: &str, args: &[&str], file: &Path) -> (bool, String) {
    oracles_venv();
    run(Command::new("bash")
        .arg(shared().join("oracles").join(script))
        .args(args)
        .arg(file))
}

/// `pyspdxtools -i FILE` from the oracles' venv (it reads tag-value as well as JSON).
pub fn pyspdxtools(file: &Path) -> (bool, String) {
    run(Command::new(oracles_venv().join("bin/pyspdxtools")).arg("-i").arg(file))
}
