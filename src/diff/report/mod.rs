//! Diff reports: terminal text (the default), Markdown for pull-request comments, and JSON
//! whose schema is published in `formats/diff-report.schema.json`.

mod markdown;
mod text;

use super::DiffReport;

/// The report formats `bomsight diff --format` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Markdown,
    Json,
}

impl ReportFormat {
    pub fn parse(id: &str) -> Option<ReportFormat> {
        match id {
            "text" => Some(ReportFormat::Text),
            "markdown" | "md" => Some(ReportFormat::Markdown),
            "json" => Some(ReportFormat::Json),
            _ => None,
        }
    }
}

/// Renders the report. `color` applies to text only.
pub fn render(report: &DiffReport, format: ReportFormat, color: bool) -> String {
    match format {
        ReportFormat::Text => text::render(report, color),
        ReportFormat::Markdown => markdown::render(report, markdown::DEFAULT_LIMIT),
        ReportFormat::Json => {
            let mut out = crate::export::json::to_string_pretty(report).expect("a report serializes");
            out.push('\n');
            out
        }
    }
}

/// Markdown with a size limit other than the default (for tests and callers with tighter
/// limits than a pull-request comment).
pub fn render_markdown_with_limit(report: &DiffReport, limit: usize) -> String {
    markdown::render(report, limit)
}
