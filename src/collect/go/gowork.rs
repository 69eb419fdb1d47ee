//! `go.work`: the modules a workspace uses. Each used module's go.mod is read by the go.mod
//! collector (each is a root); this one reports `use` directories that hold no go.mod.

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::tree::{join, parent};

pub struct GoWork;

impl Collector for GoWork {
    fn id(&self) -> &'static str {
        "go-work"
    }

    fn file_names(&self) -> &'static str {
        "go.work"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "go.work"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let mut in_use = false;
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split("//").next().unwrap_or("").trim();
            let used = match line {
                "use (" => {
                    in_use = true;
                    continue;
                }
                ")" if in_use => {
                    in_use = false;
                    continue;
                }
                l if in_use && !l.is_empty() => Some(l),
                l => l.strip_prefix("use ").map(str::trim),
            };
            let Some(used) = used.map(|u| u.trim_matches('"')) else {
                continue;
            };
            let gomod = join(dir, used).and_then(|d| join(&d, "go.mod"));
            if !gomod.as_deref().is_some_and(|g| ctx.tree.is_file(g)) {
                out.diagnostics.push(Diagnostic::warning(
                    file.path,
                    Some(i + 1),
                    format!("`use {used}`: no go.mod there"),
                ));
            }
        }
        Ok(out)
    }
}
