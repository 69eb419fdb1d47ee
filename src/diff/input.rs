//! What `bomsight diff` compares: an SBOM file (any format), a directory (scanned), or a git
//! revision of a repository (scanned from the revision's tree, nothing checked out).

use crate::diagnostic::Diagnostic;
use crate::git_tree::GitTree;
use crate::model::{Sbom, Subject, Timestamp};
use crate::scan::{scan, ScanOptions};
use crate::tree::DiskTree;
use std::path::Path;

/// One side of a diff, read: the document and the problems met reading it.
pub struct Input {
    pub label: String,
    pub sbom: Sbom,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `spec`: an existing file is an SBOM, an existing directory is scanned, anything else
/// is a git revision of the repository at `repo`. No file over `max_file_bytes` is read.
pub fn load(spec: &str, repo: &Path, options: &ScanOptions, max_file_bytes: u64) -> Result<Input, String> {
    let path = Path::new(spec);
    if path.is_file() {
        let size = std::fs::metadata(path).map_err(|e| format!("{spec}: {e}"))?.len();
        if size > max_file_bytes {
            return Err(format!("{spec}: {}", crate::tree::too_large(size, max_file_bytes)));
        }
        let bytes = std::fs::read(path).map_err(|e| format!("{spec}: {e}"))?;
        let imported =
            crate::import::import(spec, &bytes).map_err(|d| d.to_string().trim_start_matches("error: ").to_string())?;
        return Ok(Input {
            label: spec.to_string(),
            sbom: imported.sbom,
            diagnostics: imported.diagnostics,
        });
    }
    let subject = |name: String| Subject { name, version: None };
    if path.is_dir() {
        let name = std::fs::canonicalize(path)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| spec.to_string());
        let report = scan(
            &DiskTree::new(path).with_max_file_bytes(max_file_bytes),
            subject(name),
            Timestamp(0),
            options,
        )?;
        return Ok(Input {
            label: spec.to_string(),
            sbom: report.sbom,
            diagnostics: report.diagnostics,
        });
    }
    let tree = GitTree::open(repo, spec)
        .map_err(|e| format!("{spec}: not a file or directory, and {e}"))?
        .with_max_file_bytes(max_file_bytes);
    let report = scan(&tree, subject(spec.to_string()), Timestamp(0), options)?;
    Ok(Input {
        label: spec.to_string(),
        sbom: report.sbom,
        diagnostics: report.diagnostics,
    })
}
