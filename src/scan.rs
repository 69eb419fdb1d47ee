//! A scan: walk the tree, run the collectors on the files they claim (in parallel), and
//! merge everything into one graph, keeping every problem as a diagnostic.

use crate::collect::{collectors_for, CollectContext, CollectOptions, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{GraphBuilder, Sbom, Subject, Timestamp};
use crate::tree::{Tree, WalkFilter};
use rayon::prelude::*;

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
    let (files, mut diagnostics) = tree.walk(&filter, &|path| collectors_for(path).next().is_some());
    let memo = crate::collect::memo::Memo::default();
    let ctx = CollectContext {
        tree,
        options: &options.collect,
        memo: &memo,
    };
    if let Some(p) = &options.progress {
        p.0.files_found(files.len());
    }
    let mut builder = GraphBuilder::new();
    let mut read = Vec::with_capacity(files.len());
    // Files are collected in parallel a batch at a time and merged in path order, so what the
    // collectors return waits in memory for two batches only, not for the whole tree. Each
    // batch is merged while the next one is collected.
    let collect_batch = |batch: &[String]| -> Vec<FileResult> {
        batch
            .par_iter()
            .map(|path| {
                let result = collect_file(tree, path, &ctx);
                if let Some(p) = &options.progress {
                    p.0.file_done();
                }
                result
            })
            .collect()
    };
    let mut collected: Option<(&[String], Vec<FileResult>)> = None;
    for batch in files.chunks(MERGE_BATCH).map(Some).chain([None]) {
        let (next, ()) = rayon::join(
            || batch.map(|b| (b, collect_batch(b))),
            || {
                for (path, result) in collected.take().into_iter().flat_map(|(b, r)| b.iter().zip(r)) {
                    merge(path, result, &mut builder, &mut read, &mut diagnostics);
                }
            },
        );
        collected = next;
    }
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

/// Files collected between two merges (enough to keep both cores busy).
const MERGE_BATCH: usize = 512;

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
