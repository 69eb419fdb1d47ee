//! A scan: walk the tree, run the collectors on the files they claim (in parallel), and
//! merge everything into one graph, keeping every problem as a diagnostic.

use crate::collect::{collectors_for, CollectContext, CollectOptions, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{GraphBuilder, Sbom, Subject, Timestamp};
use crate::tree::{Tree, WalkFilter};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, TryLockError};

/// What the user asked for.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    pub excludes: Vec<String>,
    /// Do not skip `node_modules`, `target` and VCS directories.
    pub include_default_skipped: bool,
    pub collect: CollectOptions,
    /// Told how the scan goes (a progress bar).
    pub progress: Option<Progress>,
}

/// Hears how a scan goes: first how many files the walk found, then each file read.
pub trait ScanProgress: Send + Sync {
    fn files_found(&self, total: usize);
    fn file_done(&self);
}

/// A shared [`ScanProgress`].
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn ScanProgress>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// The SBOM and everything worth telling the user about how it was made.
#[derive(Debug)]
pub struct ScanReport {
    pub sbom: Sbom,
    pub diagnostics: Vec<Diagnostic>,
    /// Root-relative paths of the files a collector read.
    pub files: Vec<String>,
}

impl ScanReport {
    /// True when some input was lost (exit status 3).
    pub fn is_partial(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Scans `tree`. Only a bad `--exclude` glob is fatal; unreadable files and directories are
/// reported and skipped.
pub fn scan(
    tree: &dyn Tree,
    subject: Subject,
    created: Timestamp,
    options: &ScanOptions,
) -> Result<ScanReport, String> {
    let filter = WalkFilter::new(&options.excludes, !options.include_default_skipped)
        .map_err(|e| format!("invalid --exclude glob: {e}"))?;
    let (files, diagnostics) = tree.walk(&filter, &|path| collectors_for(path).next().is_some());
    let memo = crate::collect::memo::Memo::default();
    let ctx = CollectContext {
        tree,
        walked: (options.excludes.is_empty() && !options.include_default_skipped).then_some(&files[..]),
        options: &options.collect,
        memo: &memo,
    };
    if let Some(p) = &options.progress {
        p.0.files_found(files.len());
    }
    // The pool's threads take files one at a time in path order and leave each result in a
    // reorder buffer; whichever thread finds the merge free merges every result that is next
    // in path order. No batch boundary where a core waits for the other's last big file, no
    // batch left to merge at the end, and no thread that only waits (a scan may itself run
    // on the pool: diff scans two trees at once). A thread more than MERGE_WINDOW files
    // ahead of the merge waits (merging what it can meanwhile), so results wait in memory
    // for a few hundred files, not for the whole tree.
    let next = AtomicUsize::new(0);
    let merged = AtomicUsize::new(0);
    let early: Mutex<BTreeMap<usize, FileResult>> = Mutex::new(BTreeMap::new());
    let merging = Mutex::new((GraphBuilder::new(), Vec::with_capacity(files.len()), diagnostics));
    let try_merge = || loop {
        let mut state = match merging.try_lock() {
            Ok(state) => state,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            // The thread merging looks again for what arrived meanwhile once it is done.
            Err(TryLockError::WouldBlock) => return,
        };
        loop {
            let expected = merged.load(Ordering::Acquire);
            let Some(result) = lock(&early).remove(&expected) else {
                break;
            };
            let (builder, read, diagnostics) = &mut *state;
            merge(&files[expected], result, builder, read, diagnostics);
            merged.store(expected + 1, Ordering::Release);
        }
        drop(state);
        if !lock(&early).contains_key(&merged.load(Ordering::Acquire)) {
            return;
        }
    };
    let worker = || loop {
        let at = next.fetch_add(1, Ordering::Relaxed);
        let Some(path) = files.get(at) else {
            break;
        };
        while at > merged.load(Ordering::Acquire) + MERGE_WINDOW {
            try_merge();
            std::thread::yield_now();
        }
        // A collector bug loses that file, not the scan (and the merge, which takes files in
        // order, never waits for one that will not come).
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| collect_file(tree, path, &ctx)))
            .unwrap_or_else(|_| {
                FileResult::Unreadable(Diagnostic::error(
                    path,
                    None,
                    "internal error: bomsight failed on this file (a bug; please report it)",
                ))
            });
        if let Some(p) = &options.progress {
            p.0.file_done();
        }
        lock(&early).insert(at, result);
        try_merge();
    };
    rayon::scope(|scope| {
        for _ in 0..rayon::current_num_threads() {
            scope.spawn(|_| worker());
        }
    });
    try_merge();
    let (builder, read, mut diagnostics) = merging.into_inner().unwrap_or_else(|p| p.into_inner());
    let (graph, dangling) = builder.build();
    for edge in dangling {
        diagnostics.push(Diagnostic::error(
            "",
            None,
            format!(
                "internal: edge {} -> {} names a component no collector produced",
                edge.from, edge.to
            ),
        ));
    }
    diagnostics.sort();
    diagnostics.dedup();
    Ok(ScanReport {
        sbom: Sbom {
            subject,
            created,
            graph,
        },
        diagnostics,
        files: read,
    })
}

/// How many files the collecting threads may run ahead of the merge.
const MERGE_WINDOW: usize = 256;

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// Adds one file's results to the graph; a file only speculative collectors claimed and that
/// turned out not to be theirs is not listed as read.
fn merge(
    path: &str,
    result: FileResult,
    builder: &mut GraphBuilder,
    read: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let found_nothing = |c: &Result<crate::collect::Collected, Diagnostic>| match c {
        Ok(c) => c.components.is_empty() && c.diagnostics.is_empty(),
        Err(_) => false,
    };
    if collectors_for(path).all(|c| c.speculative()) {
        match &result {
            FileResult::Unreadable(_) => return,
            FileResult::Read(r) if r.iter().all(found_nothing) => return,
            FileResult::Read(_) => {}
        }
    }
    read.push(path.to_string());
    let result = match result {
        FileResult::Unreadable(d) => vec![Err(d)],
        FileResult::Read(r) => r,
    };
    for collected in result {
        match collected {
            Ok(c) => {
                diagnostics.extend(c.diagnostics);
                c.components.into_iter().for_each(|comp| {
                    builder.add_component(comp);
                });
                c.edges.into_iter().for_each(|e| builder.add_edge(e));
            }
            Err(d) => diagnostics.push(d),
        }
    }
}

enum FileResult {
    Unreadable(Diagnostic),
    Read(Vec<Result<crate::collect::Collected, Diagnostic>>),
}

fn collect_file(tree: &dyn Tree, path: &str, ctx: &CollectContext<'_>) -> FileResult {
    // A file only speculative collectors claim (any extensionless file may be a program) is
    // read whole only when its first bytes look like theirs.
    if collectors_for(path).all(|c| c.speculative()) {
        match tree.read_head(path, crate::collect::SNIFF_BYTES) {
            Ok(head) if collectors_for(path).any(|c| c.sniff(&head)) => {}
            Ok(_) => return FileResult::Read(Vec::new()),
            Err(e) => return FileResult::Unreadable(Diagnostic::error(path, None, format!("cannot read: {e}"))),
        }
    }
    // Each thread reads its files into one buffer: a fresh allocation per file would be
    // fresh memory the kernel clears, megabytes at a time. (Taken, not borrowed: should a
    // collector ever wait on other rayon work, this thread may start another file meanwhile.)
    let mut bytes = READ_BUFFER.take();
    let result = match tree.read_into(path, &mut bytes) {
        Ok(()) => {
            let file = SourceFile { path, bytes: &bytes };
            FileResult::Read(collectors_for(path).map(|c| c.collect(&file, ctx)).collect())
        }
        Err(e) => FileResult::Unreadable(Diagnostic::error(path, None, format!("cannot read: {e}"))),
    };
    if bytes.capacity() <= KEPT_READ_BUFFER {
        READ_BUFFER.set(bytes);
    }
    result
}

thread_local! {
    static READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The largest read buffer a thread keeps between files (a bigger file's is freed).
const KEPT_READ_BUFFER: usize = 16 << 20;
