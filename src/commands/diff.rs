//! `bomsight diff OLD NEW`: two releases compared, with risk signals, in the report formats.

use super::{fail, matched, print_diagnostics, signal_setup};
use crate::cli::DiffArgs;
use bomsight::diff::report::{render, ReportFormat};
use bomsight::diff::{input, MatchKeys};
use bomsight::scan::ScanOptions;
use bomsight::ExitStatus;
use std::io::{IsTerminal, Write};

fn report_format(id: &str) -> Option<Option<ReportFormat>> {
    match id {
        "sarif" => Some(None),
        other => ReportFormat::parse(other).map(Some),
    }
}

pub fn run(args: DiffArgs) -> ExitStatus {
    let Some(format) = report_format(&args.format) else {
        return fail(format!(
            "unknown report format `{}` (known: text, markdown, json, sarif)",
            args.format
        ));
    };
    let mut files = Vec::new();
    for o in &args.outputs {
        match o.split_once('=').and_then(|(f, p)| Some((report_format(f)?, p))) {
            Some((f, p)) if !p.is_empty() => files.push((f, std::path::PathBuf::from(p))),
            _ => {
                return fail(format!(
                    "`-o {o}`: expected FORMAT=PATH with FORMAT one of text, markdown, json, sarif"
                ))
            }
        }
    }
    bomsight::limits::set_max_nesting(args.limits.max_nesting);
    let options = ScanOptions {
        excludes: args.exclude.clone(),
        ..Default::default()
    };
    // The two sides and the signal lists load at once (two 100,000-component SBOMs take
    // most of a diff's time to read).
    let ((old_side, new_side), setup) = rayon::join(
        || {
            rayon::join(
                || input::load(&args.old, &args.repo, &options, args.limits.max_file_size),
                || input::load(&args.new, &args.repo, &options, args.limits.max_file_size),
            )
        },
        || signal_setup(&args.signals, &args.new, &args.repo, args.fail_on.as_deref()),
    );
    let (setup, fail_on) = match setup {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let mut partial = false;
    let mut sides = Vec::new();
    for side in [old_side, new_side] {
        match side {
            Ok(side) => {
                partial |= print_diagnostics(&side.diagnostics, &format!("{}: ", side.label), args.quiet);
                sides.push(side);
            }
            Err(e) => return fail(e),
        }
    }
    let (old, new) = (&sides[0], &sides[1]);
    let (old_keys, new_keys) = rayon::join(|| MatchKeys::new(&old.sbom.graph), || MatchKeys::new(&new.sbom.graph));
    let mut report = bomsight::diff::diff_keyed(&old.sbom, &old_keys, &new.sbom, &new_keys, &old.label, &new.label);
    report.signals = bomsight::signals::for_diff_keyed(&old.sbom, &old_keys, &new.sbom, &report, &setup.context());
    let color =
        format == Some(ReportFormat::Text) && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let render_as = |f: Option<ReportFormat>, color: bool| match f {
        Some(f) => render(&report, f, color),
        None => bomsight::signals::report::sarif(&report.signals),
    };
    for (f, path) in &files {
        if let Err(e) = bomsight::export::write_atomically(path, render_as(*f, false).as_bytes()) {
            return fail(format!("cannot write {}: {e}", path.display()));
        }
    }
    if let Err(e) = std::io::stdout().lock().write_all(render_as(format, color).as_bytes()) {
        return fail(format!("cannot write to stdout: {e}"));
    }
    let status = {
        let change_ids: Vec<&str> = report.changes.iter().map(|c| c.kind.id()).collect();
        let hit = matched(&fail_on, &report.signals, &change_ids);
        if !hit.is_empty() {
            if !args.quiet {
                eprintln!("bomsight: --fail-on matched: {}", hit.join(", "));
            }
            ExitStatus::PolicyFindings
        } else if partial {
            ExitStatus::Partial
        } else {
            ExitStatus::Ok
        }
    };
    // The process ends next. Handing two large graphs back to the allocator one string at a
    // time would take longer than reading one of them (bench/run.sh).
    std::mem::forget((report, old_keys, new_keys, sides));
    status
}
