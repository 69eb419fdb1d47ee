//! `cabal.project.freeze`: the `constraints:` field pins every package of the plan
//! (`any.NAME ==VERSION`, `any.NAME installed` for the compiler's own packages, `setup.NAME`
//! for what custom setup scripts use) and sets flags (`NAME +flag -flag`); `index-state` and
//! `active-repositories` say which Hackage index state resolved it. No edges: the project
//! links to each package.

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Source};
use crate::tree::parent;
use std::collections::BTreeMap;

pub struct CabalFreeze;

impl Collector for CabalFreeze {
    fn id(&self) -> &'static str {
        "cabal-freeze"
    }

    fn file_names(&self) -> &'static str {
        "cabal.project.freeze"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name.ends_with(".freeze") && name.starts_with("cabal.project")
    }

    fn collect(&self, file: &SourceFile<'_>, _ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let fields = fields(text).map_err(|(line, msg)| Diagnostic::error(file.path, Some(line), msg))?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let mut root = crate::collect::project(Ecosystem::Hackage, None, None, None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        for (key, property) in [
            ("index-state", "cabal:index-state"),
            ("active-repositories", "cabal:active-repositories"),
        ] {
            if let Some((_, v)) = fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
                root.properties.insert(
                    property.into(),
                    v.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(" "),
                );
            }
        }
        let mut pins: Vec<(String, Option<String>, bool, usize)> = Vec::new();
        let mut flags: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (_, lines) in fields.iter().filter(|(k, _)| k.eq_ignore_ascii_case("constraints")) {
            for (line, constraint) in lines
                .iter()
                .flat_map(|(n, t)| t.split(',').map(move |c| (*n, c.trim())))
            {
                if constraint.is_empty() {
                    continue;
                }
                let (target, rest) = constraint.split_once(char::is_whitespace).unwrap_or((constraint, ""));
                let rest = rest.trim();
                // `any.aeson`, `setup.Cabal`, `pkg:setup.Cabal`: the qualifier is up to the last dot.
                let (qualifier, name) = target.rsplit_once('.').unwrap_or(("", target));
                if rest.starts_with('+') || rest.starts_with('-') {
                    flags.entry(name.to_string()).or_default().push(rest.to_string());
                    continue;
                }
                let version = if let Some(v) = rest.strip_prefix("==") {
                    Some(v.trim().to_string())
                } else if rest == "installed" || rest == "source" {
                    None
                } else {
                    return Err(Diagnostic::error(
                        file.path,
                        Some(line),
                        format!("cannot read constraint `{constraint}`"),
                    ));
                };
                pins.push((name.to_string(), version, qualifier.ends_with("setup"), line));
            }
        }
        for (name, version, setup, line) in pins {
            let mut c = Component::new(
                Ecosystem::Hackage,
                None,
                &name,
                version.as_deref(),
                Source::DefaultRegistry,
            )
            .map_err(|e| Diagnostic::error(file.path, Some(line), format!("`{name}`: {e}")))?;
            if version.is_none() {
                c.properties.insert("cabal:installed".into(), "true".into());
            }
            if let Some(f) = flags.get(&name) {
                c.properties.insert("cabal:flags".into(), f.join(" "));
            }
            c.found_in(file.path, Some(line));
            out.depend(
                &root.id,
                c,
                if setup {
                    DependencyKind::Build
                } else {
                    DependencyKind::Normal
                },
            );
        }
        out.components.push(root);
        Ok(out)
    }
}

/// The fields of a cabal file: `name: value` with indented continuation lines, each line's
/// text kept with its number. Comments (`--`) are dropped.
type Fields = Vec<(String, Vec<(usize, String)>)>;

fn fields(text: &str) -> Result<Fields, (usize, String)> {
    let mut out: Fields = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" --").next().unwrap_or(raw).trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with("--") {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            let (_, values) = out
                .last_mut()
                .ok_or((i + 1, "continuation line before any field".to_string()))?;
            values.push((i + 1, line.trim().to_string()));
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| (i + 1, format!("expected `field: value`, found `{}`", line.trim())))?;
        let mut values = Vec::new();
        if !value.trim().is_empty() {
            values.push((i + 1, value.trim().to_string()));
        }
        out.push((key.trim().to_string(), values));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_span_lines() {
        let f = fields("active-repositories: hackage.haskell.org:merge\nconstraints: any.a ==1,\n             a +x,\n  any.b installed\nindex-state: hackage.haskell.org 2024-01-01T00:00:00Z\n").unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[1].1.len(), 3);
        assert_eq!(f[1].1[2], (4, "any.b installed".to_string()));
        assert!(fields("constraints any.a ==1\n").is_err());
    }
}
