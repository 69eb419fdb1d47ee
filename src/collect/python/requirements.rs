//! pip requirements files (`requirements*.txt`, `requirements/*.txt`): pins, `--hash`,
//! markers, extras, direct URLs and VCS references, editables and local paths, `-r`/`-c`
//! includes and the index options. Requirements files carry no edges: the project depends
//! on every listed package directly (the graph is flat).

use super::pep508;
use crate::collect::{file_name, CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Edge, Hashes};
use crate::tree::{join, parent};
use std::collections::{HashMap, HashSet};

pub struct RequirementsTxt;

impl Collector for RequirementsTxt {
    fn id(&self) -> &'static str {
        "python-requirements"
    }

    fn file_names(&self) -> &'static str {
        "requirements*.txt, *requirements.txt, requirements/*.txt (and the files they include)"
    }

    fn claims(&self, path: &str, name: &str) -> bool {
        name.ends_with(".txt") && (name.contains("requirements") || file_name(parent(path)) == "requirements")
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let mut parsed = Parsed::default();
        let mut seen = HashSet::from([file.path.to_string()]);
        parse(ctx, file.path, text, &mut parsed, &mut seen, false, 0);
        let mut out = Collected {
            diagnostics: std::mem::take(&mut parsed.diagnostics),
            ..Default::default()
        };
        let dir = parent(file.path);
        let project = match super::pyproject::PyProject::load(ctx.tree, dir) {
            Ok(p) => p,
            Err(d) => {
                out.diagnostics.push(d);
                None
            }
        };
        let name = project.as_ref().and_then(|p| p.name.clone());
        let root = super::project(
            name.as_deref(),
            project.as_ref().and_then(|p| p.version.as_deref()),
            dir,
            file.path,
        )
        .map_err(|m| Diagnostic::error(file.path, None, m))?;
        let kind = if is_dev_file(file_name(file.path)) {
            DependencyKind::Dev
        } else {
            DependencyKind::Normal
        };
        for req in &parsed.requirements {
            match component(req, &parsed) {
                Ok(c) => {
                    out.edges.push(Edge {
                        from: root.id.clone(),
                        to: c.id.clone(),
                        kind,
                    });
                    out.components.push(c);
                }
                Err(m) => out.diagnostics.push(Diagnostic::error(&req.file, Some(req.line), m)),
            }
        }
        out.components.push(root);
        Ok(out)
    }
}

/// `requirements-dev.txt`, `test-requirements.txt`, `requirements/docs.txt`: by convention
/// these install development tools, so their edges are `dev`.
fn is_dev_file(name: &str) -> bool {
    let stem = name.trim_end_matches(".txt");
    stem.split(['-', '_', '.']).any(|t| {
        matches!(
            t,
            "dev" | "develop" | "test" | "tests" | "testing" | "docs" | "doc" | "lint" | "typing"
        )
    })
}

struct Req {
    file: String,
    line: usize,
    text: String,
    hashes: Vec<String>,
    editable: bool,
}

#[derive(Default)]
struct Parsed {
    requirements: Vec<Req>,
    index_url: Option<String>,
    extra_index_urls: Vec<String>,
    /// Normalized name → version pinned by a `-c` constraints file.
    constraints: HashMap<String, String>,
    diagnostics: Vec<Diagnostic>,
}

/// Options that take a value and only tune how pip installs (nothing to record).
const VALUE_OPTIONS: &[&str] = &[
    "-f",
    "--find-links",
    "--trusted-host",
    "--only-binary",
    "--no-binary",
    "--use-feature",
    "--progress-bar",
    "--config-settings",
    "-C",
    "--global-option",
];
const FLAG_OPTIONS: &[&str] = &[
    "--no-index",
    "--pre",
    "--prefer-binary",
    "--require-hashes",
    "--no-deps",
];

fn parse(
    ctx: &CollectContext<'_>,
    path: &str,
    text: &str,
    out: &mut Parsed,
    seen: &mut HashSet<String>,
    constraints_only: bool,
    depth: usize,
) {
    for (line_no, line) in logical_lines(text) {
        let line = strip_comment(&line);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let err = |m: String| Diagnostic::error(path, Some(line_no), m);
        if line.starts_with('-') && !line.starts_with("-e") && !line.starts_with("--editable") {
            let (opt, value) = split_option(line);
            match opt {
                "-r" | "--requirement" | "-c" | "--constraint" => {
                    let Some(value) = value else {
                        out.diagnostics.push(err(format!("`{opt}` needs a file name")));
                        continue;
                    };
                    let as_constraints = constraints_only || matches!(opt, "-c" | "--constraint");
                    include(ctx, path, line_no, value, out, seen, as_constraints, depth);
                }
                "-i" | "--index-url" => match value {
                    Some(v) => out.index_url = Some(v.to_string()),
                    None => out.diagnostics.push(err(format!("`{opt}` needs a URL"))),
                },
                "--extra-index-url" => match value {
                    Some(v) => out.extra_index_urls.push(v.to_string()),
                    None => out.diagnostics.push(err(format!("`{opt}` needs a URL"))),
                },
                o if VALUE_OPTIONS.contains(&o) || FLAG_OPTIONS.contains(&o) => {}
                o => out.diagnostics.push(Diagnostic::warning(
                    path,
                    Some(line_no),
                    format!("unknown option `{o}` ignored"),
                )),
            }
            continue;
        }
        let (editable, body) = match line.strip_prefix("--editable").or_else(|| line.strip_prefix("-e")) {
            Some(rest) => (true, rest.trim_start_matches('=').trim()),
            None => (false, line),
        };
        let (req_text, options) = split_trailing_options(body);
        let mut hashes = Vec::new();
        let mut tokens = options.split_whitespace();
        while let Some(tok) = tokens.next() {
            let (opt, inline) = tok.split_once('=').map_or((tok, None), |(o, v)| (o, Some(v)));
            let value = inline.map(str::to_string).or_else(|| {
                if opt.starts_with("--") {
                    tokens.next().map(str::to_string)
                } else {
                    None
                }
            });
            match (opt, value) {
                ("--hash", Some(v)) if !v.starts_with("--") => hashes.push(v),
                ("--hash", _) => out
                    .diagnostics
                    .push(err("`--hash` needs a value such as sha256:HEX".into())),
                (o, _) if VALUE_OPTIONS.contains(&o) => {}
                (o, _) => out.diagnostics.push(Diagnostic::warning(
                    path,
                    Some(line_no),
                    format!("unknown option `{o}` ignored"),
                )),
            }
        }
        if req_text.is_empty() {
            out.diagnostics
                .push(err("a requirement line with options but no requirement".into()));
            continue;
        }
        if constraints_only {
            match pep508::parse(req_text) {
                Ok(r) => {
                    if let Some(v) = r.pinned_version() {
                        out.constraints.insert(Ecosystem::Pypi.normalize_name(&r.name), v);
                    }
                }
                Err(m) => out.diagnostics.push(err(m)),
            }
            continue;
        }
        out.requirements.push(Req {
            file: path.to_string(),
            line: line_no,
            text: req_text.to_string(),
            hashes,
            editable,
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn include(
    ctx: &CollectContext<'_>,
    from: &str,
    line: usize,
    target: &str,
    out: &mut Parsed,
    seen: &mut HashSet<String>,
    constraints: bool,
    depth: usize,
) {
    let Some(path) = join(parent(from), target) else {
        out.diagnostics.push(Diagnostic::error(
            from,
            Some(line),
            format!("`{target}` is outside the scanned directory"),
        ));
        return;
    };
    if depth > 32 || !seen.insert(path.clone()) {
        return; // already read: includes may repeat or form a cycle
    }
    match ctx.tree.read(&path) {
        Ok(bytes) => match crate::text::decode_utf8(&bytes) {
            Ok(text) => parse(ctx, &path, text, out, seen, constraints, depth + 1),
            Err((l, m)) => out.diagnostics.push(Diagnostic::error(&path, l, m)),
        },
        Err(e) => out.diagnostics.push(Diagnostic::error(
            from,
            Some(line),
            format!("cannot read included `{target}`: {e}"),
        )),
    }
}

fn component(req: &Req, parsed: &Parsed) -> Result<Component, String> {
    let dir = parent(&req.file);
    let text = req.text.as_str();
    let mut c = if looks_like_reference(text) {
        let (name, version, guessed) = name_from_reference(text)
            .ok_or_else(|| format!("cannot tell the package name of `{text}` (add #egg=NAME)"))?;
        let mut c = super::package(&name, version.as_deref(), super::url_source(text, dir))?;
        if guessed {
            c.purl = None; // a directory's name is no package name
        }
        c
    } else {
        let r = pep508::parse(text)?;
        let mut c = match (&r.url, r.pinned_version()) {
            (Some(url), _) => super::package(&r.name, None, super::url_source(url, dir))?,
            (None, Some(v)) => super::package(&r.name, Some(&v), super::index_source(parsed.index_url.as_deref()))?,
            (None, None) => match parsed.constraints.get(&Ecosystem::Pypi.normalize_name(&r.name)) {
                Some(v) => super::package(&r.name, Some(v), super::index_source(parsed.index_url.as_deref()))?,
                None => {
                    let mut c = super::package(&r.name, None, super::index_source(parsed.index_url.as_deref()))?;
                    c.properties.insert(
                        "declared-range".into(),
                        if r.specifier.is_empty() {
                            "*".into()
                        } else {
                            r.specifier.clone()
                        },
                    );
                    c
                }
            },
        };
        if let Some(m) = &r.marker {
            c.properties.insert("marker".into(), m.clone());
        }
        if !r.extras.is_empty() {
            c.properties.insert("extras".into(), r.extras.join(","));
        }
        c
    };
    let hashes: Hashes = req
        .hashes
        .iter()
        .map(|h| super::parse_hash(h))
        .collect::<Result<_, _>>()?;
    c.hashes.extend(hashes);
    if req.editable {
        c.properties.insert("editable".into(), "true".into());
    }
    if !parsed.extra_index_urls.is_empty() && c.source.kind() == "registry" {
        c.properties
            .insert("extra-index-url".into(), parsed.extra_index_urls.join(" "));
    }
    c.found_in(req.file.as_str(), Some(req.line));
    Ok(c)
}

fn looks_like_reference(text: &str) -> bool {
    [
        "git+", "hg+", "svn+", "bzr+", "http://", "https://", "file:", "./", "../", "/", ".",
    ]
    .iter()
    .any(|p| text.starts_with(p))
}

/// The name (and version, for archives) of a bare URL or path requirement: `#egg=NAME`, a
/// wheel or sdist file name, or (a guess, third value true) a directory's name.
fn name_from_reference(text: &str) -> Option<(String, Option<String>, bool)> {
    if let Some(egg) = text
        .split('#')
        .nth(1)
        .and_then(|f| f.split('&').find_map(|kv| kv.strip_prefix("egg=")))
    {
        return Some((egg.split('[').next().unwrap_or(egg).to_string(), None, false));
    }
    let file = super::file_name_of(text.trim_end_matches('/'));
    if let Some(stem) = file.strip_suffix(".whl") {
        let mut parts = stem.split('-');
        return Some((parts.next()?.to_string(), parts.next().map(str::to_string), false));
    }
    for ext in [".tar.gz", ".zip", ".tar.bz2", ".tgz"] {
        if let Some(stem) = file.strip_suffix(ext) {
            let (name, version) = stem.rsplit_once('-')?;
            return Some((name.to_string(), Some(version.to_string()), false));
        }
    }
    (!file.is_empty() && !file.contains(':') && !text.contains("://")).then_some((file, None, true))
}

/// Joins `\`-continued lines; yields (first line number, text).
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let (piece, continued) = match raw.strip_suffix('\\') {
            Some(p) => (p, true),
            None => (raw, false),
        };
        let entry = current.get_or_insert_with(|| (i + 1, String::new()));
        entry.1.push_str(piece);
        entry.1.push(' ');
        if !continued {
            out.extend(current.take());
        }
    }
    out.extend(current);
    out
}

/// Removes a `#` comment: at the start of a line, or after whitespace (URL fragments such
/// as `#egg=` have none before them).
fn strip_comment(line: &str) -> String {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return line[..i].to_string();
        }
    }
    line.to_string()
}

fn split_option(line: &str) -> (&str, Option<&str>) {
    let (opt, rest) = match line.find(|c: char| c == '=' || c.is_whitespace()) {
        Some(i) => (&line[..i], line[i + 1..].trim()),
        None => (line, ""),
    };
    (opt, (!rest.is_empty()).then_some(rest))
}

/// Splits `req --hash=… --hash=…` into the requirement and its options.
fn split_trailing_options(body: &str) -> (&str, &str) {
    let bytes = body.as_bytes();
    for i in 1..bytes.len() {
        if bytes[i] == b'-' && bytes.get(i + 1) == Some(&b'-') && bytes[i - 1].is_ascii_whitespace() {
            return (body[..i].trim(), &body[i..]);
        }
    }
    (body.trim(), "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_comments_and_options() {
        let lines = logical_lines("a==1 \\\n    --hash=sha256:x \\\r\n  --hash=sha256:y\n# c\nb # note\n");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].0, 1);
        let (req, opts) = split_trailing_options(lines[0].1.trim());
        assert_eq!(req, "a==1");
        assert!(opts.contains("sha256:y"));
        assert_eq!(strip_comment("b # note").trim(), "b");
        assert_eq!(strip_comment("git+https://x/y#egg=y"), "git+https://x/y#egg=y");
        assert!(
            is_dev_file("requirements-dev.txt")
                && is_dev_file("test_requirements.txt")
                && !is_dev_file("requirements.txt")
        );
        assert_eq!(
            name_from_reference("https://x/p/Foo_Bar-1.2-py3-none-any.whl"),
            Some(("Foo_Bar".into(), Some("1.2".into()), false))
        );
        assert_eq!(
            name_from_reference("./vendor/thing"),
            Some(("thing".into(), None, true))
        );
    }
}
