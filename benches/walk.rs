//! Walker comparison behind the choice of walker (README, "Design choices"): builds a
//! synthetic tree of small files with a few lockfiles, then times a full walk with `walkdir`
//! (sequential, sorted, as bomsight does) and with `ignore`'s parallel walker (filters off).
//! Run with `cargo bench --bench walk -- [FILES]`; prints the best of five runs of each.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn build_tree(root: &Path, files: usize) {
    for i in 0..files {
        let mut dir = root.join(format!("d{}/e{}/f{}", i % 10, i % 100, i % 1000));
        if i % 500 == 0 {
            dir.push(format!("project{i}"));
        }
        std::fs::create_dir_all(&dir).unwrap();
        let name = if i % 500 == 0 {
            "Cargo.lock".to_string()
        } else {
            format!("file{i}.txt")
        };
        std::fs::write(dir.join(name), b"x").unwrap();
    }
}

fn best_of(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut found = 0;
    for _ in 0..runs {
        let t = Instant::now();
        found = f();
        best = best.min(t.elapsed());
    }
    (best, found)
}

fn main() {
    let files: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    build_tree(dir.path(), files);
    let (walkdir_time, a) = best_of(5, || {
        walkdir::WalkDir::new(dir.path())
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "Cargo.lock")
            .count()
    });
    let (ignore_time, b) = best_of(5, || {
        let count = AtomicUsize::new(0);
        ignore::WalkBuilder::new(dir.path())
            .standard_filters(false)
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    if entry.is_ok_and(|e| e.file_name() == "Cargo.lock") {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                    ignore::WalkState::Continue
                })
            });
        count.into_inner()
    });
    assert_eq!(a, b);
    println!("{files} files, {a} lockfiles");
    println!(
        "walkdir (sequential, sorted): {:>8.1} ms",
        walkdir_time.as_secs_f64() * 1e3
    );
    println!(
        "ignore (parallel, unsorted):  {:>8.1} ms",
        ignore_time.as_secs_f64() * 1e3
    );
}
