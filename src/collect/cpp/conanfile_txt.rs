//! `conanfile.txt` without a `conan.lock` beside it: the references of `[requires]`,
//! `[tool_requires]`/`[build_requires]` (build tools) and `[test_requires]` (tests). Versions
//! written as ranges stay unresolved.

use super::conan_component;
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{DependencyKind, Ecosystem};
use crate::tree::{join, parent};

pub struct ConanfileTxt;

impl Collector for ConanfileTxt {
    fn id(&self) -> &'static str {
        "conanfile-txt"
    }

    fn file_names(&self) -> &'static str {
        "conanfile.txt (without conan.lock)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "conanfile.txt"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let dir = parent(file.path);
        let mut out = Collected::default();
        if ctx.tree.is_file(&join(dir, "conan.lock").unwrap_or_default()) {
            return Ok(out);
        }
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let root = crate::collect::project(Ecosystem::Conan, None, None, None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        let mut kind = None;
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                kind = match section.trim() {
                    "requires" => Some(DependencyKind::Normal),
                    "tool_requires" | "build_requires" => Some(DependencyKind::Build),
                    "test_requires" => Some(DependencyKind::Dev),
                    _ => None,
                };
                continue;
            }
            let Some(kind) = kind else { continue };
            let mut c = conan_component(line, None).map_err(|m| Diagnostic::error(file.path, Some(i + 1), m))?;
            c.found_in(file.path, Some(i + 1));
            out.depend(&root.id, c, kind);
        }
        out.components.push(root);
        Ok(out)
    }
}
