//! The command line: `clap` definitions only; `main.rs` runs them.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const SCAN_EXAMPLES: &str = "\
Examples:
  bomsight scan .                                        CycloneDX 1.6 JSON on stdout
  bomsight scan repo -o cyclonedx-json=sbom.cdx.json -o spdx-json=sbom.spdx.json
  bomsight scan . -o cyclonedx-json@1.5=old-tools.cdx.json -o spdx-tag-value=sbom.spdx
  bomsight scan . --exclude 'examples/**' --name myapp --version 1.4.0

Output formats (-o FORMAT or -o FORMAT=PATH, repeatable; one scan writes them all):
  cyclonedx-json (1.6), cyclonedx-json@1.6, cyclonedx-json@1.5,
  spdx-json (2.3), spdx-tag-value (2.3)

Exit status: 0 ok, 2 error (nothing written), 3 partial (output written, but some
files could not be read or parsed; each is reported on stderr as `error: PATH:LINE: ...`).
SOURCE_DATE_EPOCH, when set, is the document timestamp.";

#[derive(Parser, Debug)]
#[command(
    name = "bomsight",
    version,
    about = "Bills of materials for software releases, read from lockfiles"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Inventory a directory's lockfiles as CycloneDX or SPDX.
    #[command(after_help = SCAN_EXAMPLES)]
    Scan(ScanArgs),
    /// Compare two releases: SBOM files, directories or git revisions, in any mix.
    #[command(after_help = DIFF_EXAMPLES)]
    Diff(DiffArgs),
    /// The supply-chain risk signals of one release: a directory, an SBOM or a git revision.
    #[command(after_help = AUDIT_EXAMPLES)]
    Audit(AuditArgs),
    /// Write a starter bomsight.toml and a GitHub Actions workflow.
    Init(InitArgs),
}

const AUDIT_EXAMPLES: &str = "\
Examples:
  bomsight audit .                                      signals of the working tree
  bomsight audit sbom.cdx.json --advisories osv/ --format sarif -o json=audit.json
  bomsight audit v1.3.0 --fail-on known-malicious,typosquat

Signals: known-malicious, integrity-changed, known-vulnerable, typosquat, source-changed,
insecure-source, url-name-mismatch, dependency-confusion, integrity-weakened,
integrity-missing, install-script-added, version-downgraded, license-policy,
advisory-notice, unpinned.

Exit status: 0 nothing matched --fail-on, 1 a signal matched --fail-on (or the policy's
fail-on), 2 error, 3 partial (the report is written, but some input could not be read).";

/// Where signals look besides the documents.
#[derive(Args, Debug)]
pub struct SignalArgs {
    /// OSV advisories: a directory of OSV JSON files, an OSV all.zip, or a checkout of the
    /// OpenSSF malicious-packages repository.
    #[arg(long, value_name = "PATH")]
    pub advisories: Option<PathBuf>,

    /// Popular names for typosquat checks (lines `ECOSYSTEM NAME`), instead of the shipped lists.
    #[arg(long, value_name = "FILE")]
    pub popular_names: Option<PathBuf>,

    /// Policy file (default: bomsight.toml in the scanned directory, the repository or here).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// A directory, an SBOM file or a git revision of --repo.
    #[arg(default_value = ".")]
    pub target: String,

    /// Repository that a git revision is read from.
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,

    /// Report on stdout: text (default), markdown, json, sarif.
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub format: String,

    /// Also write a report to a file: FORMAT=PATH. Repeatable.
    #[arg(short = 'o', long = "output", value_name = "FORMAT=PATH")]
    pub outputs: Vec<String>,

    /// Exit 1 when a signal of one of these ids is raised (comma-separated, or `any`).
    #[arg(long, value_name = "SIGNALS")]
    pub fail_on: Option<String>,

    /// Leave out paths matching GLOB when scanning.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    #[command(flatten)]
    pub signals: SignalArgs,

    #[command(flatten)]
    pub limits: LimitArgs,

    /// Print only errors on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// What `scan` and `diff` refuse to read (hostile or runaway input).
#[derive(Args, Debug)]
pub struct LimitArgs {
    /// Largest file to read (bytes, or with a K, M or G suffix); larger ones are reported.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Deepest nesting to accept in XML, YAML flow collections and Erlang/Elixir terms;
    /// deeper files are reported (the JSON and TOML parsers keep their own fixed limits).
    #[arg(long, value_name = "DEPTH", default_value_t = bomsight::limits::DEFAULT_MAX_NESTING)]
    pub max_nesting: usize,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The repository to set up.
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// Replace files that exist.
    #[arg(long)]
    pub force: bool,
}

const DIFF_EXAMPLES: &str = "\
Examples:
  bomsight diff old.cdx.json new.spdx.json              two SBOMs, any formats
  bomsight diff v1.2.0 v1.3.0                           two git revisions of the repository here
  bomsight diff origin/main HEAD --repo ../app --format markdown -o json=diff.json
  bomsight diff release-1.0.cdx.json . --fail-on downgraded,hash-changed,source-changed

OLD and NEW are each an SBOM file (CycloneDX JSON/XML, SPDX JSON/tag-value, told by content),
a directory (scanned), or a git revision of --repo (read from git, nothing checked out).

Change kinds (for --fail-on, most important first): hash-changed, hashes-removed,
source-changed, downgraded, added, removed, upgraded, version-changed, scope-changed,
license-changed, supplier-changed, now-direct, now-transitive, edge-added, edge-removed;
`any` means all.

Signals (shown first in every report, also valid in --fail-on): see `bomsight audit --help`.

Exit status: 0 nothing matched --fail-on, 1 a change or signal matched --fail-on (or the
policy's fail-on), 2 error, 3 partial (the report is written, but some input could not be read).";

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The older release: SBOM file, directory or git revision.
    pub old: String,
    /// The newer release: SBOM file, directory or git revision.
    pub new: String,

    /// Repository that git revisions are read from.
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,

    /// Report on stdout: text (default), markdown, json, sarif (the signals).
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub format: String,

    /// Also write a report to a file: FORMAT=PATH (text, markdown, json, sarif). Repeatable.
    #[arg(short = 'o', long = "output", value_name = "FORMAT=PATH")]
    pub outputs: Vec<String>,

    /// Exit 1 when a change or signal of one of these ids is found (comma-separated, or `any`).
    #[arg(long, value_name = "IDS")]
    pub fail_on: Option<String>,

    /// Leave out paths matching GLOB when scanning a directory or revision.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    #[command(flatten)]
    pub signals: SignalArgs,

    #[command(flatten)]
    pub limits: LimitArgs,

    /// Print only errors on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Directory to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output FORMAT, to stdout, or FORMAT=PATH, to a file (written atomically). Repeatable.
    #[arg(short = 'o', long = "output", value_name = "FORMAT[=PATH]")]
    pub outputs: Vec<String>,

    /// Format for stdout when no -o is given (same ids as -o).
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// Leave out paths matching GLOB (relative to PATH; a glob without `/` matches any name).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Also scan node_modules, target and VCS directories, which are skipped by default.
    #[arg(long)]
    pub no_default_excludes: bool,

    /// Name of the scanned project (default: the directory's name).
    #[arg(long)]
    pub name: Option<String>,

    /// Version of the scanned project.
    #[arg(long = "version", value_name = "VERSION")]
    pub project_version: Option<String>,

    /// Add licenses, authors and descriptions from `cargo metadata --locked --offline`.
    #[arg(long)]
    pub cargo_metadata: bool,

    #[command(flatten)]
    pub limits: LimitArgs,

    /// Print only errors on stderr: no warnings, progress bar or summary.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `1048576`, `512K`, `256M`, `1G` (powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, factor) = match text.char_indices().last() {
        Some((i, 'K' | 'k')) => (&text[..i], 1u64 << 10),
        Some((i, 'M' | 'm')) => (&text[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&text[..i], 1 << 30),
        _ => (text, 1),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size like 1048576, 512K, 256M or 1G"))?;
    n.checked_mul(factor).ok_or_else(|| format!("`{text}` is too large"))
}
