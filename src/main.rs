//! The `bomsight` command: parse the arguments, run the library, print diagnostics, and map
//! the outcome to the documented exit codes.

mod cli;

use bomsight::export::{OutputSpec, FORMATS};
use bomsight::model::{Subject, Timestamp};
use bomsight::scan::{scan, ScanOptions};
use bomsight::tree::DiskTree;
use bomsight::ExitStatus;
use clap::Parser;
use cli::{Cli, Command, DiffArgs, ScanArgs};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Diff(args) => run_diff(args),
    };
    ExitCode::from(status as u8)
}

fn fail(message: impl std::fmt::Display) -> ExitStatus {
    eprintln!("error: {message}");
    ExitStatus::Error
}

fn run_scan(args: ScanArgs) -> ExitStatus {
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
    };
    let report = match scan(&DiskTree::new(&root), subject, created, &options) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    for d in &report.diagnostics {
        if d.is_error() || !args.quiet {
            eprintln!("{d}");
        }
    }
    if report.files.is_empty() && !args.quiet {
        eprintln!("warning: no lockfile found under {}", root.display());
    }
    let rendered: Vec<(&OutputSpec, Vec<u8>)> = specs.iter().map(|s| (s, (s.format.render)(&report.sbom))).collect();
    for (spec, bytes) in &rendered {
        let written = match &spec.path {
            Some(path) => bomsight::export::write_atomically(path, bytes)
                .map_err(|e| format!("cannot write {}: {e}", path.display())),
            None => std::io::stdout()
                .lock()
                .write_all(bytes)
                .map_err(|e| format!("cannot write to stdout: {e}")),
        };
        if let Err(e) = written {
            return fail(e);
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
    if report.is_partial() {
        ExitStatus::Partial
    } else {
        ExitStatus::Ok
    }
}

fn run_diff(args: DiffArgs) -> ExitStatus {
    use bomsight::diff::report::{render, ReportFormat};
    use bomsight::diff::{input, ChangeKind, ALL_KINDS};
    use std::io::IsTerminal;

    let Some(format) = ReportFormat::parse(&args.format) else {
        return fail(format!(
            "unknown report format `{}` (known: text, markdown, json)",
            args.format
        ));
    };
    let mut files = Vec::new();
    for o in &args.outputs {
        match o.split_once('=').and_then(|(f, p)| Some((ReportFormat::parse(f)?, p))) {
            Some((f, p)) if !p.is_empty() => files.push((f, std::path::PathBuf::from(p))),
            _ => {
                return fail(format!(
                    "`-o {o}`: expected FORMAT=PATH with FORMAT one of text, markdown, json"
                ))
            }
        }
    }
    let fail_on: Vec<ChangeKind> = match args.fail_on.as_deref() {
        None => Vec::new(),
        Some("any") => ALL_KINDS.to_vec(),
        Some(list) => {
            let mut kinds = Vec::new();
            for id in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match ChangeKind::from_id(id) {
                    Some(k) => kinds.push(k),
                    None => {
                        return fail(format!(
                            "--fail-on: unknown change kind `{id}` (see `bomsight diff --help`)"
                        ))
                    }
                }
            }
            kinds
        }
    };
    let options = ScanOptions {
        excludes: args.exclude.clone(),
        ..Default::default()
    };
    let mut partial = false;
    let mut sides = Vec::new();
    for spec in [&args.old, &args.new] {
        match input::load(spec, &args.repo, &options) {
            Ok(side) => {
                for d in &side.diagnostics {
                    partial |= d.is_error();
                    if d.is_error() || !args.quiet {
                        eprintln!("{}: {d}", side.label);
                    }
                }
                sides.push(side);
            }
            Err(e) => return fail(e),
        }
    }
    let report = bomsight::diff::diff(&sides[0].sbom, &sides[1].sbom, &sides[0].label, &sides[1].label);
    let color =
        format == ReportFormat::Text && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for (f, path) in &files {
        if let Err(e) = bomsight::export::write_atomically(path, render(&report, *f, false).as_bytes()) {
            return fail(format!("cannot write {}: {e}", path.display()));
        }
    }
    if let Err(e) = std::io::stdout()
        .lock()
        .write_all(render(&report, format, color).as_bytes())
    {
        return fail(format!("cannot write to stdout: {e}"));
    }
    let matched: Vec<&str> = fail_on
        .iter()
        .filter(|k| report.count(**k) > 0)
        .map(|k| k.id())
        .collect();
    if !matched.is_empty() {
        if !args.quiet {
            eprintln!("bomsight: --fail-on matched: {}", matched.join(", "));
        }
        return ExitStatus::PolicyFindings;
    }
    if partial {
        ExitStatus::Partial
    } else {
        ExitStatus::Ok
    }
}
