//! Findings for people (text, Markdown) and for code-scanning dashboards (SARIF 2.1.0).

use super::{Finding, Severity, SIGNALS};
use std::fmt::Write;

fn paint(text: &str, severity: Severity, color: bool) -> String {
    let code = match severity {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "2",
    };
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// The findings as terminal lines; empty when there are none.
pub fn text(findings: &[Finding], color: bool) -> String {
    let mut out = String::new();
    if findings.is_empty() {
        return out;
    }
    let _ = writeln!(out, "signals ({}):", findings.len());
    for f in findings {
        let label = format!("{:<8} {}", f.severity.id(), f.signal);
        let accepted = f
            .accepted
            .as_ref()
            .map(|r| format!(" [accepted: {r}]"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {}  {}{accepted}", paint(&label, f.severity, color), f.message);
        if let Some(l) = &f.location {
            let _ = writeln!(out, "    at {l}");
        }
        if f.path.len() > 1 {
            let _ = writeln!(out, "    via {}", f.path.join(" → "));
        }
    }
    out
}

/// The findings as a Markdown table; empty when there are none.
pub fn markdown(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "#### Signals ({})\n\n| severity | signal | package | what |\n|---|---|---|---|\n",
        findings.len()
    );
    for f in findings {
        let what = f.message.replace('|', "\\|");
        let accepted = f
            .accepted
            .as_ref()
            .map(|r| format!(" _(accepted: {r})_"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | `{}` | {} {} | {what}{accepted} |",
            f.severity.id(),
            f.signal,
            f.name,
            f.version.as_deref().unwrap_or("")
        );
    }
    out.push('\n');
    out
}

/// SARIF 2.1.0: one rule per signal, one result per finding, located at the lockfile line.
pub fn sarif(findings: &[Finding]) -> String {
    let level = |s: Severity| match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    };
    let rules: Vec<serde_json::Value> = SIGNALS
        .iter()
        .map(|k| {
            serde_json::json!({
                "id": k.id,
                "shortDescription": { "text": k.meaning },
                "defaultConfiguration": { "level": level(k.severity) },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let mut r = serde_json::json!({
                "ruleId": f.signal,
                "level": level(f.severity),
                "message": { "text": f.message },
                "properties": { "severity": f.severity.id(), "package": f.name, "version": f.version, "evidence": f.evidence },
            });
            if let Some(loc) = &f.location {
                let (uri, line) = match loc.rsplit_once(':').and_then(|(p, n)| n.parse::<usize>().ok().map(|n| (p, n))) {
                    Some((p, n)) => (p.to_string(), Some(n)),
                    None => (loc.clone(), None),
                };
                let mut physical = serde_json::json!({ "artifactLocation": { "uri": uri } });
                if let Some(n) = line {
                    physical["region"] = serde_json::json!({ "startLine": n });
                }
                r["locations"] = serde_json::json!([{ "physicalLocation": physical }]);
            }
            if let Some(reason) = &f.accepted {
                r["suppressions"] = serde_json::json!([{ "kind": "external", "justification": reason }]);
            }
            r
        })
        .collect();
    let doc = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "bomsight", "version": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "results": results,
        }],
    });
    let mut out = crate::export::json::to_string_pretty(&doc).expect("SARIF serializes");
    out.push('\n');
    out
}
