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

    /// Print only errors on stderr, not warnings and the summary.
    #[arg(short, long)]
    pub quiet: bool,
}
