//! Where the scan's collecting time goes, format by format: for each collector, the seconds
//! its files take to parse into a generic document (the parse floor's work) and to collect
//! (bomsight's work), on one core, files already in memory. A collector far above its floor
//! is the one to look at.
//!   cargo run --release --example format_costs -- DIR [REPEAT [COLLECTOR_ID]]
//! With a collector id, only that collector's files are timed (for a profiler).

use bomsight::collect::memo::Memo;
use bomsight::collect::{collectors_for, CollectContext, CollectOptions, SourceFile};
use bomsight::tree::{DiskTree, Tree, WalkFilter};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

// The allocator bomsight itself runs with, so that the comparison is of parsing alone.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "generic_parse.rs"]
mod generic_parse;

#[derive(Default)]
struct Cost {
    files: usize,
    bytes: usize,
    floor: Duration,
    collect: Duration,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: format_costs DIR [REPEAT [COLLECTOR_ID]]");
        std::process::exit(2);
    };
    let repeat: u32 = args.next().and_then(|r| r.parse().ok()).unwrap_or(1).max(1);
    let only = args.next();
    let tree = DiskTree::new(&root);
    let filter = WalkFilter::new(&[], true).expect("no globs");
    let (paths, _) = tree.walk(&filter, &|p| collectors_for(p).any(|c| !c.speculative()));
    let files: Vec<(String, Vec<u8>)> = paths
        .into_iter()
        .filter_map(|p| tree.read(&p).ok().map(|b| (p, b)))
        .collect();
    let options = CollectOptions::default();
    let memo = Memo::default();
    let ctx = CollectContext {
        tree: &tree,
        walked: None,
        options: &options,
        memo: &memo,
    };
    let mut costs: BTreeMap<&'static str, Cost> = BTreeMap::new();
    for (path, bytes) in &files {
        let file = SourceFile { path, bytes };
        // Every collector that claims the file is timed (yarn.lock has two, and one of them
        // declines); the file and its floor count for the one that found the most in it.
        let mut owner: Option<(&'static str, usize)> = None;
        let wanted = |id: &str| only.as_deref().is_none_or(|o| o == id);
        for collector in collectors_for(path).filter(|c| !c.speculative() && wanted(c.id())) {
            let start = Instant::now();
            let mut found = 0;
            for _ in 0..repeat {
                found = std::hint::black_box(collector.collect(&file, &ctx)).map_or(0, |c| c.components.len() + 1);
            }
            costs.entry(collector.id()).or_default().collect += start.elapsed() / repeat;
            if owner.is_none_or(|(_, most)| found > most) {
                owner = Some((collector.id(), found));
            }
        }
        let Some((id, _)) = owner else {
            continue;
        };
        let start = Instant::now();
        for _ in 0..repeat {
            std::hint::black_box(generic_parse::parse(path, bytes));
        }
        let cost = costs.entry(id).or_default();
        cost.floor += start.elapsed() / repeat;
        cost.files += 1;
        cost.bytes += bytes.len();
    }
    let total_collect: Duration = costs.values().map(|c| c.collect).sum();
    println!("| collector | files | MB | floor s | collect s | collect / floor | share of collecting |");
    println!("|---|---|---|---|---|---|---|");
    let mut rows: Vec<_> = costs.into_iter().collect();
    rows.sort_by_key(|(_, c)| std::cmp::Reverse(c.collect));
    for (id, c) in rows {
        println!(
            "| {id} | {} | {:.1} | {:.3} | {:.3} | {:.2} | {:.1}% |",
            c.files,
            c.bytes as f64 / 1e6,
            c.floor.as_secs_f64(),
            c.collect.as_secs_f64(),
            c.collect.as_secs_f64() / c.floor.as_secs_f64().max(1e-9),
            100.0 * c.collect.as_secs_f64() / total_collect.as_secs_f64().max(1e-9)
        );
    }
}
