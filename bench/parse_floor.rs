//! The parse floor of `bench/run.sh`: walks a tree as bomsight does (the same skipped
//! directories, the same lockfile names) and parses every lockfile into a generic document
//! (a JSON value, a TOML table, a YAML value, XML events, or lines for the line formats) on
//! all cores, and does nothing else. bomsight's scan is measured against this.

use bomsight::collect::collectors_for;
use bomsight::tree::{DiskTree, Tree, WalkFilter};
use rayon::prelude::*;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: parse_floor DIR");
        std::process::exit(2);
    };
    let tree = DiskTree::new(&root);
    let filter = WalkFilter::new(&[], true).expect("no globs");
    let (files, _) = tree.walk(&filter, &|p| collectors_for(p).any(|c| !c.speculative()));
    let (bytes, parsed) = files
        .par_iter()
        .map(|p| {
            let b = tree.read(p).unwrap_or_default();
            (b.len(), usize::from(parse(p, &b)))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "{} lockfiles, {bytes} bytes, {parsed} parsed without error",
        files.len()
    );
}

/// Parses by the file's syntax; true when the document was well-formed.
fn parse(path: &str, bytes: &[u8]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match (name, ext) {
        ("composer.lock" | "Package.resolved" | "conan.lock" | "Pipfile.lock" | "bun.lock", _) | (_, "json") => {
            serde_json::from_str::<serde_json::Value>(text).is_ok()
        }
        ("Cargo.lock" | "poetry.lock" | "uv.lock" | "pdm.lock", _) | (_, "toml") => text.parse::<toml::Table>().is_ok(),
        ("pubspec.lock" | "Podfile.lock" | "stack.yaml.lock", _) | (_, "yaml" | "yml") => {
            serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text).is_ok()
        }
        ("yarn.lock", _) if text.contains("__metadata:") => {
            serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text).is_ok()
        }
        (_, "xml" | "csproj" | "fsproj" | "vbproj" | "config" | "props") => {
            let mut reader = quick_xml::Reader::from_str(text);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => return true,
                    Ok(_) => {}
                    Err(_) => return false,
                }
            }
        }
        _ => text.lines().count() > 0,
    }
}
