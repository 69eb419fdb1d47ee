//! The parse floor of `bench/run.sh`: walks a tree as bomsight does (the same skipped
//! directories, the same lockfile names) and parses every lockfile into a generic document
//! (a JSON value, a TOML table, a YAML value, an XML element tree, or lines for the line formats) on
//! all cores, and does nothing else. bomsight's scan is measured against this.

use bomsight::collect::collectors_for;
use bomsight::tree::{DiskTree, Tree, WalkFilter};
use rayon::prelude::*;

// The allocator bomsight itself runs with, so that the comparison is of parsing alone.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "generic_parse.rs"]
mod generic_parse;
use generic_parse::parse;

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
