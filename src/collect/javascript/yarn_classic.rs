//! Yarn 1 ("classic") `yarn.lock`: entries headed by one or more specifiers
//! (`"ms@^2.1.1", ms@2.1.2:`), with `version`, `resolved`, `integrity` and dependency maps.
//! Each dependency names a specifier, which resolves to exactly one entry. The roots are the
//! package.json beside the lock and its workspaces (which classic lockfiles do not list).

use super::package_json::PackageJson;
use super::yarn_berry::{is_berry, split_descriptor};
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, ComponentId, DependencyKind, Edge};
use crate::tree::{expand_dirs, join, parent};
use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;

/// One entry as written.
#[derive(Default, Debug)]
struct Entry {
    specifiers: Vec<String>,
    line: usize,
    fields: BTreeMap<String, String>,
    sections: BTreeMap<String, BTreeMap<String, String>>,
}

pub struct YarnClassicLock;

impl Collector for YarnClassicLock {
    fn id(&self) -> &'static str {
        "yarn-classic-lock"
    }

    fn file_names(&self) -> &'static str {
        "yarn.lock (Yarn 1: `# yarn lockfile v1`)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "yarn.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        if is_berry(text) {
            return Ok(Collected::default());
        }
        let entries = parse(text).map_err(|(line, msg)| Diagnostic::error(file.path, Some(line), msg))?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let mut by_specifier: HashMap<&str, usize> = HashMap::new();
        let mut ids: Vec<ComponentId> = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            for s in &e.specifiers {
                by_specifier.insert(s, i);
            }
            let mut c = component(e, dir).map_err(|m| Diagnostic::error(file.path, Some(e.line), m))?;
            c.found_in(file.path, Some(e.line));
            ids.push(c.id.clone());
            out.components.push(c);
        }
        let mut key_buf = String::new();
        for (i, e) in entries.iter().enumerate() {
            for (section, kind) in [
                ("dependencies", DependencyKind::Normal),
                ("optionalDependencies", DependencyKind::Optional),
            ] {
                for (name, range) in e.sections.get(section).into_iter().flatten() {
                    match by_specifier.get(super::lookup_key(&mut key_buf, &[name, "@", range])) {
                        Some(&j) => out.edges.push(Edge {
                            from: ids[i].clone(),
                            to: ids[j].clone(),
                            kind,
                        }),
                        None if kind == DependencyKind::Optional => {}
                        None => out.diagnostics.push(Diagnostic::warning(
                            file.path,
                            Some(e.line),
                            format!("`{name}@{range}` has no entry"),
                        )),
                    }
                }
            }
        }
        add_roots(ctx, file.path, dir, &by_specifier, &ids, &mut out);
        Ok(out)
    }
}

/// The package.json beside the lock, and its workspaces, with edges by specifier.
fn add_roots(
    ctx: &CollectContext<'_>,
    lock: &str,
    dir: &str,
    by_specifier: &HashMap<&str, usize>,
    ids: &[ComponentId],
    out: &mut Collected,
) {
    let root = match PackageJson::load(ctx.tree, dir) {
        Ok(Some(m)) => m,
        Ok(None) => {
            out.diagnostics.push(Diagnostic::warning(
                lock,
                None,
                "no package.json beside the lockfile: the project's direct dependencies are unknown",
            ));
            return;
        }
        Err(d) => {
            out.diagnostics.push(d);
            return;
        }
    };
    let mut projects: Vec<(String, PackageJson)> = vec![(dir.to_string(), root.clone())];
    for pattern in super::npm::workspace_globs(root.workspaces.as_ref()) {
        for member in expand_dirs(ctx.tree, dir, &pattern) {
            match PackageJson::load(ctx.tree, &member) {
                Ok(Some(m)) => projects.push((member, m)),
                Ok(None) => {}
                Err(d) => out.diagnostics.push(d),
            }
        }
    }
    let mut project_ids: BTreeMap<String, ComponentId> = BTreeMap::new();
    let mut built = Vec::new();
    for (pdir, m) in &projects {
        let manifest = join(pdir, "package.json").unwrap_or_default();
        match super::project(m.name.as_deref(), m.version.as_deref(), pdir, &manifest) {
            Ok(c) => {
                project_ids.insert(c.display_name_without_version(), c.id.clone());
                built.push(c);
            }
            Err(msg) => out.diagnostics.push(Diagnostic::error(&manifest, None, msg)),
        }
    }
    for ((_, m), c) in projects.iter().zip(&built) {
        for (name, kind) in m.deps.edges(true) {
            let range = m.deps.range(name).unwrap_or("");
            let target = by_specifier
                .get(format!("{name}@{range}").as_str())
                .map(|&j| ids[j].clone())
                .or_else(|| project_ids.get(name).cloned());
            match target {
                Some(to) => out.edges.push(Edge {
                    from: c.id.clone(),
                    to,
                    kind,
                }),
                None if kind == DependencyKind::Optional || kind == DependencyKind::Peer => {}
                None => out.diagnostics.push(Diagnostic::warning(
                    lock,
                    None,
                    format!("`{name}@{range}` (from {}) has no entry", c.name),
                )),
            }
        }
    }
    out.components.extend(built);
}

fn component(e: &Entry, dir: &str) -> Result<Component, String> {
    let first = e.specifiers.first().ok_or("entry without specifier")?;
    let (name, range) = split_descriptor(first).ok_or_else(|| format!("`{first}` is not NAME@RANGE"))?;
    // `alias@npm:real@^1` entries are the real package.
    let real = range
        .strip_prefix("npm:")
        .and_then(|r| r.rfind('@').filter(|&i| i > 0).map(|i| &r[..i]))
        .unwrap_or(name);
    let resolved = e.fields.get("resolved").map(String::as_str);
    let source = match resolved {
        Some(r) => super::resolved_source(
            Some(r.split('#').next().filter(|_| !r.starts_with("git")).unwrap_or(r)),
            dir,
        ),
        None if range.starts_with("file:") || range.starts_with("link:") => super::resolved_source(Some(range), dir),
        None => crate::model::Source::DefaultRegistry,
    };
    let mut c = super::package(real, e.fields.get("version").map(String::as_str), source)?;
    if let Some(r) = resolved.filter(|r| r.contains("://")) {
        c.properties
            .insert("npm:resolved".into(), r.split('#').next().unwrap_or(r).to_string());
    }
    if let Some(i) = e.fields.get("integrity") {
        c.hashes = super::parse_integrity(i)?;
    } else if let Some(sha1) = resolved
        .and_then(|r| r.split_once('#'))
        .map(|(_, f)| f)
        .filter(|f| f.len() == 40 && !resolved.unwrap_or("").starts_with("git"))
    {
        // Old lockfiles carry only the tarball's SHA-1 in the URL fragment.
        c.hashes
            .insert(crate::model::Hash::from_hex(crate::model::HashAlgorithm::Sha1, sha1).map_err(|e| e.to_string())?);
    }
    if real != name {
        c.properties.insert("npm:alias".into(), name.to_string());
    }
    Ok(c)
}

/// Parses the indentation-based format; errors carry the line.
fn parse(text: &str) -> Result<Vec<Entry>, (usize, String)> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut section: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = line.trim();
        match indent {
            0 => {
                let header = body.strip_suffix(':').ok_or((
                    line_no,
                    format!("expected an entry header ending in `:`, found `{body}`"),
                ))?;
                let specifiers = split_quoted_list(header).map_err(|m| (line_no, m))?;
                entries.push(Entry {
                    specifiers,
                    line: line_no,
                    ..Default::default()
                });
                section = None;
            }
            2 => {
                let entry = entries
                    .last_mut()
                    .ok_or((line_no, "indented line before any entry".to_string()))?;
                if let Some(name) = body.strip_suffix(':') {
                    let name = unquote(name).map_err(|m| (line_no, m))?;
                    entry.sections.entry(name.clone()).or_default();
                    section = Some(name);
                } else {
                    let (k, v) = key_value(body).map_err(|m| (line_no, m))?;
                    entry.fields.insert(k, v);
                    section = None;
                }
            }
            4 => {
                let entry = entries
                    .last_mut()
                    .ok_or((line_no, "indented line before any entry".to_string()))?;
                let name = section
                    .as_ref()
                    .ok_or((line_no, format!("`{body}` is not inside a section")))?;
                let (k, v) = key_value(body).map_err(|m| (line_no, m))?;
                entry.sections.entry(name.clone()).or_default().insert(k, v);
            }
            n => return Err((line_no, format!("unexpected indentation of {n} spaces"))),
        }
    }
    Ok(entries)
}

/// `key value` or `"key" "value"`.
fn key_value(body: &str) -> Result<(String, String), String> {
    let (key, rest) = if let Some(stripped) = body.strip_prefix('"') {
        let end = stripped
            .find('"')
            .ok_or_else(|| format!("unterminated string in `{body}`"))?;
        (stripped[..end].to_string(), stripped[end + 1..].trim())
    } else {
        let (k, r) = body
            .split_once(' ')
            .ok_or_else(|| format!("expected `key value`, found `{body}`"))?;
        (k.to_string(), r.trim())
    };
    Ok((key, unquote(rest)?))
}

fn unquote(s: &str) -> Result<String, String> {
    let s = s.trim();
    match s.strip_prefix('"') {
        Some(inner) => inner
            .strip_suffix('"')
            .map(|v| v.replace("\\\"", "\""))
            .ok_or_else(|| format!("unterminated string `{s}`")),
        None => Ok(s.to_string()),
    }
}

/// `"a@^1", a@1.0.0` → the specifiers.
fn split_quoted_list(header: &str) -> Result<Vec<String>, String> {
    header.split(", ").map(unquote).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_sections_and_errors() {
        let text = "# yarn lockfile v1\n\n\"@a/b@^1.0.0\", \"@a/b@^1.1.0\":\n  version \"1.2.0\"\n  resolved \"https://registry.yarnpkg.com/@a/b/-/b-1.2.0.tgz#abc\"\n  dependencies:\n    ms \"^2.0.0\"\n\nms@^2.0.0:\n  version \"2.1.3\"\n";
        let entries = parse(text).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].specifiers, ["@a/b@^1.0.0", "@a/b@^1.1.0"]);
        assert_eq!(entries[0].sections["dependencies"]["ms"], "^2.0.0");
        assert_eq!(entries[1].line, 9);
        assert_eq!(parse("a@1:\n   version \"1\"\n").unwrap_err().0, 2);
        assert_eq!(parse("a@1\n").unwrap_err().0, 1);
    }
}
