//! The terminal report: changes grouped by kind, most important first, colored on a
//! terminal, and a one-line summary at the end.

use crate::diff::{ChangeKind, DiffReport, ALL_KINDS};
use std::fmt::Write;

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn color_of(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::HashChanged | ChangeKind::HashesRemoved | ChangeKind::SourceChanged | ChangeKind::Downgraded => {
            "1;31"
        }
        ChangeKind::Added => "32",
        ChangeKind::Removed => "33",
        ChangeKind::Upgraded | ChangeKind::VersionChanged => "36",
        _ => "2",
    }
}

pub fn render(report: &DiffReport, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} components) → {} ({} components)",
        report.old.label, report.old.components, report.new.label, report.new.components
    );
    let signals = crate::signals::report::text(&report.signals, color);
    if !signals.is_empty() {
        let _ = write!(out, "\n{signals}");
    }
    for kind in ALL_KINDS {
        let changes: Vec<_> = report.changes.iter().filter(|c| c.kind == kind).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{} ({}): {}",
            paint(kind.id(), color_of(kind), color),
            changes.len(),
            kind.meaning()
        );
        for c in changes {
            let _ = writeln!(out, "  {}", c.detail);
            if !c.path.is_empty()
                && matches!(
                    kind,
                    ChangeKind::Added
                        | ChangeKind::Upgraded
                        | ChangeKind::Downgraded
                        | ChangeKind::VersionChanged
                        | ChangeKind::SourceChanged
                        | ChangeKind::HashChanged
                )
            {
                let _ = writeln!(out, "    {}", paint(&format!("via {}", c.path.join(" → ")), "2", color));
            }
        }
    }
    let _ = writeln!(out, "\n{}", summary_line(report));
    out
}

/// `3 added, 1 removed, 2 upgraded` or `no changes`.
pub fn summary_line(report: &DiffReport) -> String {
    let parts: Vec<String> = ALL_KINDS
        .iter()
        .filter_map(|k| report.summary.get(k.id()).map(|n| format!("{n} {}", k.id())))
        .collect();
    if parts.is_empty() {
        "no changes".to_string()
    } else {
        parts.join(", ")
    }
}
