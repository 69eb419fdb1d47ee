//! What each output format costs: scans a tree once, then writes every format REPEAT times
//! to a sink that only counts bytes (no disk, no page cache), on every core as a scan with
//! one output renders it (`RAYON_NUM_THREADS=1` for one core), and prints the
//! best times and the size of each: written first (building what a run builds once and
//! shares between formats: the content digest, the SPDX document) and written again.
//!   cargo run --release --example output_costs -- DIR [REPEAT]

use bomsight::export::{Rendering, FORMATS};
use bomsight::model::{Subject, Timestamp};
use bomsight::scan::{scan, ScanOptions};
use bomsight::tree::DiskTree;
use std::io::Write;
use std::time::{Duration, Instant};

// The allocator bomsight itself runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Counts what it is given.
struct Sink(usize);

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: output_costs DIR [REPEAT]");
        std::process::exit(2);
    };
    let repeat: u32 = args.next().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let subject = Subject {
        name: "tree".into(),
        version: None,
    };
    let options = ScanOptions {
        excludes: Vec::new(),
        include_default_skipped: false,
        collect: Default::default(),
        progress: None,
    };
    let started = Instant::now();
    let report = match scan(&DiskTree::new(&root), subject, Timestamp(0), &options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("output_costs: {e}");
            std::process::exit(2);
        }
    };
    println!("scan without outputs: {:.3} s", started.elapsed().as_secs_f64());
    println!("| format | MB | first s | again s |");
    println!("|---|---|---|---|");
    // Aliases (`cyclonedx-json@1.6`) write what their first spelling writes: timed once.
    let mut seen = Vec::new();
    for format in FORMATS {
        if seen.contains(&(format.write as usize)) {
            continue;
        }
        seen.push(format.write as usize);
        let (mut first, mut again, mut bytes) = (Duration::MAX, Duration::MAX, 0);
        for _ in 0..repeat {
            let rendering = Rendering::new(&report.sbom);
            for best in [&mut first, &mut again] {
                let mut sink = Sink(0);
                let started = Instant::now();
                if let Err(e) = (format.write)(&rendering, &mut sink) {
                    eprintln!("output_costs: {}: {e}", format.id);
                    std::process::exit(2);
                }
                *best = (*best).min(started.elapsed());
                bytes = sink.0;
            }
        }
        println!(
            "| {} | {:.1} | {:.3} | {:.3} |",
            format.id,
            bytes as f64 / 1e6,
            first.as_secs_f64(),
            again.as_secs_f64()
        );
    }
}
