//! `bomsight audit TARGET`: the risk signals of one release (a directory, an SBOM file or a
//! git revision).

use super::{fail, matched, print_diagnostics, signal_setup};
use crate::cli::AuditArgs;
use bomsight::diff::input;
use bomsight::scan::ScanOptions;
use bomsight::signals::{report, Finding};
use bomsight::ExitStatus;
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// The JSON audit report.
#[derive(Serialize)]
struct AuditReport<'a> {
    target: &'a str,
    components: usize,
    signals: &'a [Finding],
}

pub fn run(args: AuditArgs) -> ExitStatus {
    if !matches!(args.format.as_str(), "text" | "markdown" | "json" | "sarif") {
        return fail(format!(
            "unknown report format `{}` (known: text, markdown, json, sarif)",
            args.format
        ));
    }
    let (setup, fail_on) = match signal_setup(&args.signals, &args.target, &args.repo, args.fail_on.as_deref()) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    bomsight::limits::set_max_nesting(args.limits.max_nesting);
    let options = ScanOptions {
        excludes: args.exclude.clone(),
        ..Default::default()
    };
    let side = match input::load(&args.target, &args.repo, &options, args.limits.max_file_size) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let partial = print_diagnostics(&side.diagnostics, "", args.quiet);
    let findings = bomsight::signals::audit(&side.sbom, &setup.context());
    let render = |format: &str, color: bool| -> String {
        match format {
            "json" => {
                let doc = AuditReport {
                    target: &args.target,
                    components: side.sbom.graph.len(),
                    signals: &findings,
                };
                bomsight::export::json::to_string_pretty(&doc).expect("report serializes") + "\n"
            }
            "sarif" => report::sarif(&findings),
            "markdown" => {
                let body = report::markdown(&findings);
                let head = format!(
                    "### bomsight audit: `{}` ({} components)\n\n",
                    args.target,
                    side.sbom.graph.len()
                );
                if body.is_empty() {
                    head + "No signals.\n"
                } else {
                    head + &body
                }
            }
            _ => {
                let body = report::text(&findings, color);
                let head = format!("{} ({} components)\n", args.target, side.sbom.graph.len());
                if body.is_empty() {
                    head + "no signals\n"
                } else {
                    head + &body
                }
            }
        }
    };
    for o in &args.outputs {
        let Some((format, path)) = o
            .split_once('=')
            .filter(|(f, p)| matches!(*f, "text" | "markdown" | "json" | "sarif") && !p.is_empty())
        else {
            return fail(format!(
                "`-o {o}`: expected FORMAT=PATH with FORMAT one of text, markdown, json, sarif"
            ));
        };
        if let Err(e) = bomsight::export::write_atomically(Path::new(path), render(format, false).as_bytes()) {
            return fail(format!("cannot write {path}: {e}"));
        }
    }
    let color = args.format == "text" && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if let Err(e) = std::io::stdout()
        .lock()
        .write_all(render(&args.format, color).as_bytes())
    {
        return fail(format!("cannot write to stdout: {e}"));
    }
    let hit = matched(&fail_on, &findings, &[]);
    if !hit.is_empty() {
        if !args.quiet {
            eprintln!("bomsight: --fail-on matched: {}", hit.join(", "));
        }
        return ExitStatus::PolicyFindings;
    }
    if partial {
        ExitStatus::Partial
    } else {
        ExitStatus::Ok
    }
}
