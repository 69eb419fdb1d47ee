//! A git revision as a file tree: listed with `git ls-tree` and read with `git cat-file`,
//! without checking anything out, so `bomsight diff main HEAD` compares two revisions of one
//! repository as they were committed.

use crate::diagnostic::Diagnostic;
use crate::tree::{Tree, WalkFilter, MAX_FILE_BYTES};
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct GitTree {
    repo: PathBuf,
    /// Regular files: path → (blob id, size).
    files: BTreeMap<String, (String, u64)>,
    dirs: BTreeSet<String>,
    max_file_bytes: u64,
}

fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(err.lines().next().unwrap_or("git failed").trim().to_string());
    }
    Ok(out.stdout)
}

impl GitTree {
    /// The tree of `revision` (a branch, tag, commit, `HEAD~1`, ...) in the repository at `repo`.
    pub fn open(repo: &Path, revision: &str) -> Result<GitTree, String> {
        if revision.starts_with('-') || revision.is_empty() {
            return Err(format!("`{revision}` is not a git revision"));
        }
        let spec = format!("{revision}^{{commit}}");
        let commit = git(repo, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec]).map_err(|_| {
            format!(
                "`{revision}` is not a revision of the git repository at {}",
                repo.display()
            )
        })?;
        let commit = String::from_utf8_lossy(&commit).trim().to_string();
        let listing = git(repo, &["ls-tree", "-r", "-l", "-z", "--full-tree", &commit])?;
        let mut files = BTreeMap::new();
        let mut dirs = BTreeSet::from([String::new()]);
        for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let fields: Vec<&str> = meta.split_whitespace().collect();
            // mode type object size; symbolic links (120000) and submodules are not files.
            let [mode, kind, object, size] = fields.as_slice() else {
                continue;
            };
            if *kind != "blob" || *mode == "120000" {
                continue;
            }
            let mut dir = crate::tree::parent(path);
            while !dir.is_empty() && dirs.insert(dir.to_string()) {
                dir = crate::tree::parent(dir);
            }
            files.insert(path.to_string(), (object.to_string(), size.parse().unwrap_or(u64::MAX)));
        }
        Ok(GitTree {
            repo: repo.to_path_buf(),
            files,
            dirs,
            max_file_bytes: MAX_FILE_BYTES,
        })
    }

    /// Refuses files larger than `max` bytes (default [`MAX_FILE_BYTES`]).
    pub fn with_max_file_bytes(mut self, max: u64) -> GitTree {
        self.max_file_bytes = max;
        self
    }
}

impl Tree for GitTree {
    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        let (object, size) = self
            .files
            .get(rel)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "not in this revision"))?;
        if *size > self.max_file_bytes {
            return Err(crate::tree::too_large(*size, self.max_file_bytes));
        }
        git(&self.repo, &["cat-file", "blob", object]).map_err(io::Error::other)
    }

    fn subdirs(&self, rel: &str) -> io::Result<Vec<String>> {
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        Ok(self
            .dirs
            .iter()
            .filter_map(|d| {
                d.strip_prefix(&prefix)
                    .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            })
            .map(str::to_string)
            .collect())
    }

    fn files_in(&self, rel: &str) -> io::Result<Vec<String>> {
        Ok(self
            .files
            .keys()
            .filter(|f| crate::tree::parent(f) == rel)
            .map(|f| crate::collect::file_name(f).to_string())
            .collect())
    }

    fn is_file(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    fn walk(&self, filter: &WalkFilter, wanted: &(dyn Fn(&str) -> bool + Sync)) -> (Vec<String>, Vec<Diagnostic>) {
        let excluded_dir = |path: &str| {
            let mut dir = crate::tree::parent(path);
            while !dir.is_empty() {
                if filter.excludes(dir, true) {
                    return true;
                }
                dir = crate::tree::parent(dir);
            }
            false
        };
        let files = self
            .files
            .keys()
            .filter(|p| wanted(p) && !filter.excludes(p, false) && !excluded_dir(p))
            .cloned()
            .collect();
        (files, Vec::new())
    }

    fn disk_root(&self) -> Option<&Path> {
        None
    }
}
