//! The progress bar of long scans: on stderr, only when stderr is a terminal and `--quiet` is
//! not given; cleared when the scan ends, so nothing of it stays in the output.

use bomsight::scan::ScanProgress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

#[derive(Clone)]
pub struct Bar(ProgressBar);

impl Bar {
    /// A spinner while the tree is walked; it becomes a bar once the files are counted.
    pub fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
        bar.set_style(
            ProgressStyle::with_template("{spinner} walking the tree… {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(100));
        Bar(bar)
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl ScanProgress for Bar {
    fn files_found(&self, total: usize) {
        self.0.set_length(total as u64);
        self.0.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} lockfiles {elapsed} (~{eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }

    fn file_done(&self) {
        self.0.inc(1);
    }
}
