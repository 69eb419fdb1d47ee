//! `bomsight init [DIR]`: a commented starter `bomsight.toml` and a GitHub Actions workflow
//! that writes SBOMs for every release and diffs every pull request against its base.

use super::fail;
use crate::cli::InitArgs;
use bomsight::ExitStatus;

const POLICY: &str = r#"# bomsight policy: read by `bomsight diff` and `bomsight audit` from the repository root.
# Unknown keys are an error. Every key is optional.

# Signal and change ids that make the command exit 1 (`any` for all of them).
fail-on = ["known-malicious", "integrity-changed", "typosquat", "source-changed", "downgraded"]

# Severity overrides: low, medium, high, critical.
[severity]
# unpinned = "medium"

[internal]
# Names that are yours: resolving one from a public registry is dependency confusion.
patterns = []            # e.g. ["@acme/*", "acme-*"]

[licenses]
# SPDX ids allowed; empty means no license policy.
allowed = []             # e.g. ["MIT", "Apache-2.0", "BSD-3-Clause", "ISC"]

[sources]
# Hosts packages may come from besides the public registries; empty means any.
allowed-hosts = []       # e.g. ["npm.example.com"]

# Accepted findings, each with a reason and an optional expiry date.
# [[exceptions]]
# signal = "typosquat"
# package = "reqeusts"
# reason = "internal fork, reviewed 2026-11-29"
# expires = "2027-06-30"

# A JSON file of accepted findings, relative to this file:
# baseline = "bomsight-baseline.json"
"#;

const WORKFLOW: &str = r#"# SBOMs for every release, and a diff of every pull request against its base.
name: bomsight
on:
  pull_request:
  release:
    types: [published]
jobs:
  sbom:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - name: Install bomsight
        run: cargo install --locked bomsight
      - name: Diff the pull request against its base
        if: github.event_name == 'pull_request'
        run: |
          bomsight diff "origin/${{ github.base_ref }}" HEAD \
            --format markdown -o json=bomsight-diff.json -o sarif=bomsight.sarif > bomsight-diff.md
      - name: SBOMs of the release
        if: github.event_name == 'release'
        run: |
          bomsight scan . -o cyclonedx-json=sbom.cdx.json -o spdx-json=sbom.spdx.json \
            --name "${{ github.event.repository.name }}" --version "${{ github.event.release.tag_name }}"
      - uses: actions/upload-artifact@v4
        with:
          name: bomsight
          path: |
            bomsight-diff.*
            bomsight.sarif
            sbom.*
"#;

pub fn run(args: InitArgs) -> ExitStatus {
    let policy = args.dir.join("bomsight.toml");
    let workflow = args.dir.join(".github/workflows/bomsight.yml");
    for path in [&policy, &workflow] {
        if path.exists() && !args.force {
            return fail(format!("{} exists; --force replaces it", path.display()));
        }
    }
    if let Err(e) = std::fs::create_dir_all(args.dir.join(".github/workflows")) {
        return fail(format!("{}: {e}", args.dir.display()));
    }
    for (path, text) in [(&policy, POLICY), (&workflow, WORKFLOW)] {
        if let Err(e) = bomsight::export::write_atomically(path, text.as_bytes()) {
            return fail(format!("cannot write {}: {e}", path.display()));
        }
        eprintln!("wrote {}", path.display());
    }
    ExitStatus::Ok
}
