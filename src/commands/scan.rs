//! `bomsight scan`: a directory's lockfiles as CycloneDX or SPDX, written atomically.

use super::{fail, print_diagnostics};
use crate::cli::ScanArgs;
use bomsight::export::{OutputSpec, FORMATS};
use bomsight::model::{Subject, Timestamp};
use bomsight::scan::{scan, Progress, ScanOptions};
use bomsight::tree::DiskTree;
use bomsight::ExitStatus;
use std::io::{IsTerminal, Write};

pub fn run(args: ScanArgs) -> ExitStatus {
    let mut specs = Vec::new();
    for o in &args.outputs {
        match o.parse::<OutputSpec>() {
            Ok(s) => specs.push(s),
            Err(e) => return fail(e),
        }
    }
    if let Some(f) = &args.format {
        match f.parse::<OutputSpec>() {
            Ok(s) if s.path.is_none() => specs.push(s),
            Ok(_) => return fail("--format takes a format id only; use -o FORMAT=PATH for files"),
            Err(e) => return fail(e),
        }
    }
    if specs.is_empty() {
        specs.push(OutputSpec {
            format: &FORMATS[0],
            path: None,
        });
    }
    if specs.iter().filter(|s| s.path.is_none()).count() > 1 {
        return fail("only one output can go to stdout; give the others a path with -o FORMAT=PATH");
    }
    let root = match std::fs::canonicalize(&args.path) {
        Ok(p) if p.is_dir() => p,
        Ok(p) => return fail(format!("{}: not a directory", p.display())),
        Err(e) => return fail(format!("{}: {e}", args.path.display())),
    };
    let created = match Timestamp::from_env_or_now() {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let name = args.name.clone().unwrap_or_else(|| {
        root.file_name()
            .map_or_else(|| "root".into(), |n| n.to_string_lossy().into_owned())
    });
    let subject = Subject {
        name,
        version: args.project_version.clone(),
    };
    let options = ScanOptions {
        excludes: args.exclude.clone(),
        include_default_skipped: args.no_default_excludes,
        collect: bomsight::collect::CollectOptions {
            cargo_metadata: args.cargo_metadata,
        },
        progress: None,
    };
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(super::progress::Bar::new);
    let options = ScanOptions {
        progress: bar.clone().map(|b| Progress(std::sync::Arc::new(b))),
        ..options
    };
    bomsight::limits::set_max_nesting(args.limits.max_nesting);
    let tree = DiskTree::new(&root).with_max_file_bytes(args.limits.max_file_size);
    let report = scan(&tree, subject, created, &options);
    if let Some(b) = &bar {
        b.finish();
    }
    let report = match report {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    print_diagnostics(&report.diagnostics, "", args.quiet);
    if report.files.is_empty() && !args.quiet {
        eprintln!("warning: no lockfile found under {}", root.display());
    }
    // Each file output is a job of its own, streamed to its temporary file, the longest first
    // (a core takes the next when it is free; a core left without one helps render another's
    // pieces, `export::pieces`); then a thread of its own waits for the disk (fsync) and
    // renames it into place while the core goes on. stdout comes after, in order.
    let rendering = bomsight::export::Rendering::new(&report.sbom);
    let mut longest_first: Vec<(usize, &std::path::Path)> = specs
        .iter()
        .enumerate()
        .filter_map(|(i, spec)| Some((i, spec.path.as_deref()?)))
        .collect();
    longest_first.sort_by_key(|&(i, _)| std::cmp::Reverse(specs[i].format.relative_cost));
    let written: Vec<Result<(), String>> = std::thread::scope(|persisting| {
        let pending: Vec<std::sync::Mutex<Option<Result<_, String>>>> =
            specs.iter().map(|_| std::sync::Mutex::new(None)).collect();
        rayon::scope_fifo(|outputs| {
            for &(i, path) in &longest_first {
                let (spec, slot, rendering) = (&specs[i], &pending[i], &rendering);
                outputs.spawn_fifo(move |_| {
                    let cannot = move |e: std::io::Error| format!("cannot write {}: {e}", path.display());
                    let result = bomsight::export::write_unpersisted(path, |out| (spec.format.write)(rendering, out))
                        .map(|file| persisting.spawn(move || file.persist().map_err(cannot)))
                        .map_err(cannot);
                    *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
                });
            }
        });
        pending
            .into_iter()
            .filter_map(|slot| slot.into_inner().unwrap_or_else(|p| p.into_inner()))
            .map(|p| {
                p.and_then(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|_| Err("an output thread panicked".into()))
                })
            })
            .collect()
    });
    if let Some(Err(e)) = written.into_iter().find(Result::is_err) {
        return fail(e);
    }
    for spec in specs.iter().filter(|s| s.path.is_none()) {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
        if let Err(e) = (spec.format.write)(&rendering, &mut out).and_then(|()| out.flush()) {
            return fail(format!("cannot write to stdout: {e}"));
        }
    }
    if !args.quiet {
        let graph = &report.sbom.graph;
        eprintln!(
            "bomsight: {} file(s) read, {} project(s), {} package(s), {} dependency edge(s)",
            report.files.len(),
            graph.roots().count(),
            graph.len() - graph.roots().count(),
            graph.edge_count()
        );
    }
    let status = if report.is_partial() {
        ExitStatus::Partial
    } else {
        ExitStatus::Ok
    };
    // The process ends next; freeing the graph one string at a time is work nobody waits for.
    std::mem::forget(rendering);
    std::mem::forget(report);
    status
}
