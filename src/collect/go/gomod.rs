//! `go.mod`: module, go and toolchain lines, `require` (single and block, `// indirect`),
//! `replace` (to another module, or a local path), `exclude` and `retract`.

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{DependencyKind, Edge, Source};
use crate::tree::{join, parent};
use foldhash::{HashMap, HashMapExt};

pub struct GoMod;

#[derive(Debug, Default)]
struct Parsed {
    module: Option<String>,
    go: Option<String>,
    toolchain: Option<String>,
    /// (module, version, indirect, line)
    requires: Vec<(String, String, bool, usize)>,
    /// (old module, old version or any) → (new module or path, new version)
    replaces: Vec<(String, Option<String>, String, Option<String>)>,
    excludes: Vec<String>,
    retracts: Vec<String>,
}

impl Collector for GoMod {
    fn id(&self) -> &'static str {
        "go-mod"
    }

    fn file_names(&self) -> &'static str {
        "go.mod (with go.sum)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "go.mod"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let parsed = parse(text).map_err(|(line, msg)| Diagnostic::error(file.path, Some(line), msg))?;
        let module = parsed
            .module
            .clone()
            .ok_or_else(|| Diagnostic::error(file.path, None, "no `module` line"))?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let (sum_path, sum_bytes) = read_go_sum(ctx, dir, &mut out);
        let sum_text = String::from_utf8_lossy(&sum_bytes);
        let sums = go_sum(&sum_path, &sum_text, &mut out);
        let mut root = super::package(
            &module,
            None,
            Source::Path {
                path: Some(if dir.is_empty() { ".".into() } else { dir.to_string() }),
            },
        )
        .map_err(|m| Diagnostic::error(file.path, None, m))?;
        root.role = crate::model::Role::Project;
        root.purpose = crate::model::Purpose::Application;
        root.found_in(file.path, None);
        for (key, value) in [("go:go", &parsed.go), ("go:toolchain", &parsed.toolchain)] {
            if let Some(v) = value {
                root.properties.insert(key.into(), v.clone());
            }
        }
        if !parsed.excludes.is_empty() {
            root.properties.insert("go:exclude".into(), parsed.excludes.join(" "));
        }
        if !parsed.retracts.is_empty() {
            root.properties.insert("go:retract".into(), parsed.retracts.join(" "));
        }
        for (path, version, indirect, line) in &parsed.requires {
            let replacement = parsed
                .replaces
                .iter()
                .find(|(old, old_v, _, _)| old == path && old_v.as_ref().is_none_or(|v| v == version));
            let (module_path, module_version, source) = match replacement {
                Some((_, _, new, new_v)) if new.starts_with("./") || new.starts_with("../") || new.starts_with('/') => {
                    (
                        path.clone(),
                        None,
                        Source::Path {
                            path: join(dir, new).or_else(|| Some(new.clone())),
                        },
                    )
                }
                Some((_, _, new, Some(new_v))) => (new.clone(), Some(new_v.clone()), Source::DefaultRegistry),
                Some((_, _, new, None)) => (new.clone(), Some(version.clone()), Source::DefaultRegistry),
                None => (path.clone(), Some(version.clone()), Source::DefaultRegistry),
            };
            let mut c = super::package(&module_path, module_version.as_deref(), source)
                .map_err(|m| Diagnostic::error(file.path, Some(*line), m))?;
            if replacement.is_some() {
                c.properties.insert("go:replaces".into(), format!("{path} {version}"));
            }
            if *indirect {
                c.properties.insert("go:indirect".into(), "true".into());
            }
            if let Some(found) = module_version
                .as_deref()
                .and_then(|v| sums.get(&(module_path.as_str(), v)))
            {
                if let Some(h1) = found.content {
                    c.properties.insert("go:h1".into(), h1.to_string());
                }
                if let Some(h1) = found.go_mod {
                    c.properties.insert("go:h1-go.mod".into(), h1.to_string());
                }
            }
            c.found_in(file.path, Some(*line));
            out.edges.push(Edge {
                from: root.id.clone(),
                to: c.id.clone(),
                kind: DependencyKind::Normal,
            });
            out.components.push(c);
        }
        out.components.push(root);
        Ok(out)
    }
}

/// go.sum beside the go.mod, its text: empty when there is none (or it cannot be read,
/// which is said).
fn read_go_sum(ctx: &CollectContext<'_>, dir: &str, out: &mut Collected) -> (String, Vec<u8>) {
    let path = join(dir, "go.sum").unwrap_or_default();
    if !ctx.tree.is_file(&path) {
        return (path, Vec::new());
    }
    match ctx.tree.read(&path) {
        Ok(bytes) => (path, bytes),
        Err(e) => {
            out.diagnostics
                .push(Diagnostic::warning(&path, None, format!("cannot read: {e}")));
            (path, Vec::new())
        }
    }
}

/// The `h1:` hashes of a module version's content and of its go.mod, from go.sum.
#[derive(Default, Clone, Copy)]
struct Sums<'a> {
    content: Option<&'a str>,
    go_mod: Option<&'a str>,
}

/// go.sum's lines, `MODULE VERSION[/go.mod] h1:HASH`, by (module, version).
fn go_sum<'a>(path: &str, text: &'a str, out: &mut Collected) -> HashMap<(&'a str, &'a str), Sums<'a>> {
    let mut sums: HashMap<(&str, &str), Sums> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(module), Some(version), Some(hash), None) if hash.starts_with("h1:") => {
                let (version, of_go_mod) = match version.strip_suffix("/go.mod") {
                    Some(v) => (v, true),
                    None => (version, false),
                };
                let entry = sums.entry((module, version)).or_default();
                if of_go_mod {
                    entry.go_mod = Some(hash);
                } else {
                    entry.content = Some(hash);
                }
            }
            (None, ..) => {}
            _ => out.diagnostics.push(Diagnostic::warning(
                path,
                Some(i + 1),
                format!("`{line}` is not `MODULE VERSION h1:HASH`"),
            )),
        }
    }
    sums
}

/// The words of a directive line, with `//` comments split off.
fn words(line: &str) -> (Vec<String>, String) {
    let (code, comment) = match line.find("//") {
        Some(i) => (&line[..i], line[i + 2..].trim().to_string()),
        None => (line, String::new()),
    };
    (
        code.split_whitespace()
            .map(|w| w.trim_matches('"').to_string())
            .collect(),
        comment,
    )
}

fn parse(text: &str) -> Result<Parsed, (usize, String)> {
    let mut p = Parsed::default();
    let mut block: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let (w, comment) = words(raw);
        if w.is_empty() {
            continue;
        }
        let (verb, args): (String, Vec<String>) = match &block {
            Some(b) if w[0] == ")" => {
                let _ = b;
                block = None;
                continue;
            }
            Some(b) => (b.clone(), w.clone()),
            None if w.len() == 2 && w[1] == "(" => {
                block = Some(w[0].clone());
                continue;
            }
            None => (w[0].clone(), w[1..].to_vec()),
        };
        match verb.as_str() {
            "module" => p.module = args.first().cloned(),
            "go" => p.go = args.first().cloned(),
            "toolchain" => p.toolchain = args.first().cloned(),
            "require" => match args.as_slice() {
                [m, v] => p.requires.push((
                    m.clone(),
                    v.clone(),
                    comment.split(';').any(|c| c.trim() == "indirect"),
                    n,
                )),
                _ => return Err((n, format!("`require` needs MODULE VERSION, found `{}`", raw.trim()))),
            },
            "replace" => {
                let arrow = args
                    .iter()
                    .position(|a| a == "=>")
                    .ok_or((n, format!("`replace` without `=>`: `{}`", raw.trim())))?;
                let (left, right) = args.split_at(arrow);
                let right = &right[1..];
                match (left, right) {
                    ([old], [new]) => p.replaces.push((old.clone(), None, new.clone(), None)),
                    ([old, ov], [new]) => p.replaces.push((old.clone(), Some(ov.clone()), new.clone(), None)),
                    ([old], [new, nv]) => p.replaces.push((old.clone(), None, new.clone(), Some(nv.clone()))),
                    ([old, ov], [new, nv]) => {
                        p.replaces
                            .push((old.clone(), Some(ov.clone()), new.clone(), Some(nv.clone())))
                    }
                    _ => return Err((n, format!("malformed `replace`: `{}`", raw.trim()))),
                }
            }
            "exclude" => p.excludes.push(args.join("@")),
            "retract" => p.retracts.push(args.join(" ").trim_matches(['[', ']']).to_string()),
            "godebug" | "tool" | "ignore" => {}
            other => return Err((n, format!("unknown directive `{other}`"))),
        }
    }
    if let Some(b) = block {
        return Err((text.lines().count(), format!("the `{b} (` block is never closed")));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_blocks_and_comments() {
        let p = parse("module example.com/app\n\ngo 1.22\ntoolchain go1.22.3\n\nrequire (\n\tgolang.org/x/text v0.14.0 // indirect\n\tgithub.com/google/uuid v1.6.0\n)\nrequire gopkg.in/yaml.v3 v3.0.1\nreplace github.com/a/b v1.0.0 => github.com/c/b v1.1.0\nreplace example.com/lib => ../lib\nexclude golang.org/x/net v0.1.0\nretract [v1.0.0, v1.0.5] // broken\n").unwrap();
        assert_eq!(p.module.as_deref(), Some("example.com/app"));
        assert_eq!(p.requires.len(), 3);
        assert!(p.requires[0].2 && !p.requires[1].2);
        assert_eq!(p.requires[0].3, 7);
        assert_eq!(p.replaces.len(), 2);
        assert_eq!(p.excludes, ["golang.org/x/net@v0.1.0"]);
        assert_eq!(parse("module a\nrequire (\n b v1\n").unwrap_err().0, 3);
        assert_eq!(parse("module a\nfrobnicate x\n").unwrap_err().0, 2);
    }

    #[test]
    fn go_sum_pairs_content_and_go_mod_hashes_and_reports_malformed_lines() {
        let text = "example.com/a v1.0.0 h1:content=\nexample.com/a v1.0.0/go.mod h1:gomod=\n\n\
                    example.com/b v2.0.0/go.mod h1:only-go-mod=\nnot a go.sum line\nexample.com/c v1 md5:x\n\
                    example.com/a v1.0.0 h1:later=\n";
        let mut out = Collected::default();
        let sums = go_sum("go.sum", text, &mut out);
        let a = sums[&("example.com/a", "v1.0.0")];
        assert_eq!(
            (a.content, a.go_mod),
            (Some("h1:later="), Some("h1:gomod=")),
            "the last line of a key counts"
        );
        let b = sums[&("example.com/b", "v2.0.0")];
        assert_eq!((b.content, b.go_mod), (None, Some("h1:only-go-mod=")));
        assert_eq!(sums.len(), 2);
        let warned: Vec<Option<usize>> = out.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(warned, [Some(5), Some(6)]);
    }

    #[test]
    fn a_required_version_takes_its_hashes_from_the_go_sum_beside() {
        let go_mod = b"module example.com/app\n\nrequire example.com/a v1.0.0\n";
        let go_sum: &[u8] = b"example.com/a v1.0.0 h1:content=\nexample.com/a v1.0.0/go.mod h1:gomod=\n";
        let results = crate::collect::collect_bytes_beside("go.mod", go_mod, &[("go.sum", go_sum)]);
        let collected = results.into_iter().next().unwrap().unwrap();
        let a = collected
            .components
            .iter()
            .find(|c| c.version.as_deref() == Some("v1.0.0"))
            .unwrap();
        assert_eq!(a.properties.get("go:h1").map(String::as_str), Some("h1:content="));
        assert_eq!(a.properties.get("go:h1-go.mod").map(String::as_str), Some("h1:gomod="));
    }
}
