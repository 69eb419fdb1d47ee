//! The fast block-YAML reader against the full parser on every YAML file of the fixtures and
//! of the shared corpus: wherever it accepts a document, it must build the very same value,
//! and it must accept the lockfiles package managers write (or it saves nothing).

use crate::common::{files_named, repo, shared};
use bomsight::yaml_block;
use serde::Deserialize;
use serde_yaml_ng::Value;
use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    files_named(
        dir,
        &|name| {
            name.ends_with(".yaml")
                || name.ends_with(".yml")
                || matches!(name, "yarn.lock" | "pubspec.lock" | "Podfile.lock")
        },
        out,
    );
}

#[test]
fn the_fast_reader_agrees_with_the_full_parser_on_every_yaml_file() {
    let mut files = Vec::new();
    yaml_files(&repo().join("testdata"), &mut files);
    yaml_files(&shared().join("corpus"), &mut files);
    let mut accepted = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Some(fast) = yaml_block::parse(&text) else {
            continue;
        };
        let full: Value = serde_yaml_ng::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{}: the fast reader accepted what the parser refuses: {e}",
                path.display()
            )
        });
        // Debug output shows the keys in order (map equality does not look at order).
        assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{}", path.display());
        // What collectors read: serde over the reader's nodes, no value built first.
        let node = yaml_block::parse_node_within(&text, 64).expect("accepted above");
        let through_serde = Value::deserialize(node).expect("the nodes read as a value");
        assert_eq!(format!("{through_serde:?}"), format!("{full:?}"), "{}", path.display());
        accepted.push(
            path.strip_prefix(repo().join(".."))
                .unwrap_or(path)
                .display()
                .to_string(),
        );
    }
    // The machine-written lockfiles of the corpus all take the fast path.
    for expected in [
        "corpus/javascript/vue-core-v3.5.40/pnpm-lock.yaml",
        "corpus/javascript/prettier-3.9.5/yarn.lock",
        "corpus/dart/localsend-v1.18.2/pubspec.lock",
        "main/testdata/javascript/pnpm-v9/pnpm-lock.yaml",
        "main/testdata/javascript/pnpm-v6/pnpm-lock.yaml",
        "main/testdata/javascript/yarn-berry/yarn.lock",
    ] {
        assert!(
            accepted
                .iter()
                .any(|a| a.ends_with(expected.split_once('/').unwrap().1)),
            "{expected} was left to the full parser; accepted: {accepted:#?}"
        );
    }
}
