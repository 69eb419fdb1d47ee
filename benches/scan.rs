//! Scan timing on real lockfiles: for each directory, the best and median of several full
//! scans (walk, parse, graph, and every output format rendered in memory).
//! `cargo bench --bench scan -- [DIR...]`; without arguments, the large real lockfiles of
//! `../shared/corpus`.

use bomsight::export::FORMATS;
use bomsight::model::{Subject, Timestamp};
use bomsight::scan::{scan, ScanOptions};
use bomsight::tree::DiskTree;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const RUNS: usize = 15;

fn main() {
    let mut dirs: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .collect();
    if dirs.is_empty() {
        let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        for d in [
            "javascript/firebase-tools-v15.22.2",
            "javascript/prettier-3.9.6",
            "javascript/hono-v4.12.34",
            "javascript/vue-core-v3.5.41",
            "rust/uv-0.9.10",
            "python/pydantic-v2.13.0",
        ] {
            dirs.push(corpus.join(d));
        }
    }
    println!(
        "{:<40} {:>10} {:>10} {:>10} {:>10}",
        "directory", "nodes", "edges", "best ms", "median ms"
    );
    for dir in dirs {
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        let mut size = (0, 0);
        for _ in 0..RUNS {
            let start = Instant::now();
            let subject = Subject {
                name: "bench".into(),
                version: None,
            };
            let report = scan(&DiskTree::new(&dir), subject, Timestamp(0), &ScanOptions::default()).expect("scan");
            let bytes: usize = FORMATS.iter().map(|f| f.render(&report.sbom).len()).sum();
            times.push(start.elapsed());
            size = (report.sbom.graph.len(), report.sbom.graph.edge_count());
            assert!(bytes > 0);
        }
        times.sort();
        let name = dir
            .components()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        println!(
            "{name:<40} {:>10} {:>10} {:>10.1} {:>10.1}",
            size.0,
            size.1,
            times[0].as_secs_f64() * 1e3,
            times[RUNS / 2].as_secs_f64() * 1e3
        );
    }
}
