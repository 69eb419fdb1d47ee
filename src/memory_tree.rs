//! A file tree held in memory: for running collectors on bytes that are no files (fuzzing,
//! tests) with the same [`Tree`] contract as a directory or a git revision.

use crate::diagnostic::Diagnostic;
use crate::tree::{Tree, WalkFilter};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

#[derive(Default)]
pub struct MemoryTree {
    files: BTreeMap<String, Vec<u8>>,
}

impl MemoryTree {
    /// A tree of these root-relative paths and contents.
    pub fn new(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> MemoryTree {
        MemoryTree {
            files: files.into_iter().collect(),
        }
    }

    /// The names directly below `dir` (`""` is the root): (files, subdirectories).
    fn children(&self, dir: &str) -> (Vec<String>, Vec<String>) {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let (mut files, mut dirs) = (Vec::new(), Vec::new());
        for path in self.files.keys() {
            let Some(rest) = path.strip_prefix(&prefix) else {
                continue;
            };
            match rest.split_once('/') {
                Some((d, _)) => dirs.push(d.to_string()),
                None => files.push(rest.to_string()),
            }
        }
        dirs.dedup();
        (files, dirs)
    }
}

impl Tree for MemoryTree {
    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        self.files
            .get(rel)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("{rel}: no such file")))
    }

    fn subdirs(&self, rel: &str) -> io::Result<Vec<String>> {
        Ok(self.children(rel).1)
    }

    fn files_in(&self, rel: &str) -> io::Result<Vec<String>> {
        Ok(self.children(rel).0)
    }

    fn is_file(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    fn walk(&self, filter: &WalkFilter, wanted: &(dyn Fn(&str) -> bool + Sync)) -> (Vec<String>, Vec<Diagnostic>) {
        let kept = |path: &str| {
            let mut dir = String::new();
            for piece in path
                .split('/')
                .collect::<Vec<_>>()
                .split_last()
                .map_or(&[][..], |(_, dirs)| dirs)
            {
                dir = if dir.is_empty() {
                    piece.to_string()
                } else {
                    format!("{dir}/{piece}")
                };
                if filter.excludes(&dir, true) {
                    return false;
                }
            }
            !filter.excludes(path, false)
        };
        let files = self.files.keys().filter(|p| kept(p) && wanted(p)).cloned().collect();
        (files, Vec::new())
    }

    fn disk_root(&self) -> Option<&Path> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_like_a_directory() {
        let tree = MemoryTree::new([
            ("a/b/Cargo.lock".to_string(), b"x".to_vec()),
            ("a/c.txt".to_string(), Vec::new()),
            ("node_modules/x/package.json".to_string(), Vec::new()),
        ]);
        assert_eq!(tree.subdirs("").unwrap(), vec!["a", "node_modules"]);
        assert_eq!(tree.files_in("a").unwrap(), vec!["c.txt"]);
        assert_eq!(tree.subdirs("a").unwrap(), vec!["b"]);
        assert!(tree.is_file("a/b/Cargo.lock"));
        let filter = WalkFilter::new(&[], true).unwrap();
        let (files, _) = tree.walk(&filter, &|_| true);
        assert_eq!(files, vec!["a/b/Cargo.lock", "a/c.txt"]);
    }
}
