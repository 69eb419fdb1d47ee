//! The pull-request comment: a summary table, then a section per kind of change, long lists
//! folded in `<details>`, and the whole kept under a size limit with a note of what was cut.

use crate::diff::{DiffReport, ALL_KINDS};
use std::fmt::Write;

/// GitHub refuses comments over 65,536 characters; stay well under it.
pub const DEFAULT_LIMIT: usize = 60_000;

/// Lists longer than this fold into `<details>`.
const FOLD_AFTER: usize = 10;

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('<', "&lt;").replace('>', "&gt;")
}

pub fn render(report: &DiffReport, limit: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### bomsight: `{}` → `{}`\n",
        escape(&report.old.label),
        escape(&report.new.label)
    );
    out.push_str(&crate::signals::report::markdown(&report.signals));
    if report.changes.is_empty() {
        let _ = writeln!(out, "No changes ({} components).", report.new.components);
        return out;
    }
    let _ = writeln!(out, "| change | count | meaning |\n|---|---:|---|");
    for kind in ALL_KINDS {
        if let Some(n) = report.summary.get(kind.id()) {
            let _ = writeln!(out, "| `{}` | {n} | {} |", kind.id(), kind.meaning());
        }
    }
    let mut omitted = 0;
    for kind in ALL_KINDS {
        let changes: Vec<_> = report.changes.iter().filter(|c| c.kind == kind).collect();
        if changes.is_empty() {
            continue;
        }
        let mut section = format!("\n#### `{}` ({})\n\n", kind.id(), changes.len());
        let fold = changes.len() > FOLD_AFTER;
        if fold {
            section.push_str("<details><summary>show all</summary>\n\n");
        }
        for c in &changes {
            let why = if c.path.is_empty() {
                String::new()
            } else {
                format!(" — via {}", escape(&c.path.join(" → ")))
            };
            let _ = writeln!(section, "- {}{why}", escape(&c.detail));
        }
        if fold {
            section.push_str("\n</details>\n");
        }
        if out.len() + section.len() + 200 > limit {
            omitted += changes.len();
            continue;
        }
        out.push_str(&section);
    }
    if omitted > 0 {
        let _ = writeln!(out, "\n_{omitted} change(s) not shown to stay under {limit} characters; run `bomsight diff --format json` for all._");
    }
    out
}
