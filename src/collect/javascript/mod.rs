//! JavaScript collectors: npm (package-lock v1–v3, npm-shrinkwrap), yarn classic and berry,
//! pnpm (lockfile 5.x, 6.0, 9.0), bun (`bun.lock`) and package.json alone. Every edge is
//! resolved the way the package manager installs, so where two versions of a package exist
//! each dependent points at the one it really gets.

mod bun;
mod npm;
mod package_json;
mod pnpm;
mod yarn_berry;
mod yarn_classic;

pub use bun::BunLock;
pub use npm::PackageLock;
pub use package_json::PackageJsonOnly;
pub use pnpm::PnpmLock;
pub use yarn_berry::YarnBerryLock;
pub use yarn_classic::YarnClassicLock;

use crate::model::{Component, Ecosystem, Hash, HashAlgorithm, Source};

/// Lockfiles that make a package.json beside (or above) them a lock's input.
pub const LOCK_NAMES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
];

/// Splits `@scope/name` into namespace and name.
pub fn split_name(full: &str) -> (Option<&str>, &str) {
    match full.strip_prefix('@').and_then(|_| full.split_once('/')) {
        Some((scope, name)) => (Some(scope), name),
        None => (None, full),
    }
}

/// An npm package component (`pkg:npm/%40scope/name@version`).
pub fn package(full_name: &str, version: Option<&str>, source: Source) -> Result<Component, String> {
    let (namespace, name) = split_name(full_name);
    Component::new(Ecosystem::Npm, namespace, name, version, source)
        .map_err(|e| format!("package `{full_name}`: cannot build a purl: {e}"))
}

/// A project root (the lockfile's package, a workspace).
pub fn project(full_name: Option<&str>, version: Option<&str>, dir: &str, manifest: &str) -> Result<Component, String> {
    let (namespace, name) = match full_name.map(split_name) {
        Some((ns, n)) => (ns, Some(n)),
        None => (None, None),
    };
    crate::collect::project(Ecosystem::Npm, namespace, name, version, dir, manifest)
}

pub use crate::model::parse_sri as parse_integrity;

/// A hex checksum (yarn berry's `checksum`, a sha512 with an optional `10c0/` cache prefix).
pub fn parse_hex_checksum(text: &str) -> Result<Hash, String> {
    let hex = text.rsplit('/').next().unwrap_or(text);
    let algorithm = match hex.len() {
        128 => HashAlgorithm::Sha512,
        64 => HashAlgorithm::Sha256,
        40 => HashAlgorithm::Sha1,
        _ => return Err(format!("checksum `{text}` has an unknown length")),
    };
    Hash::from_hex(algorithm, hex).map_err(|e| e.to_string())
}

/// The public npm registry's spellings.
fn is_default_registry(host_and_path: &str) -> bool {
    ["registry.npmjs.org/", "registry.yarnpkg.com/", "registry.npmjs.com/"]
        .iter()
        .any(|h| host_and_path.starts_with(h))
}

/// The source of a package from its `resolved` URL (absent: the default registry).
pub fn resolved_source(resolved: Option<&str>, base_dir: &str) -> Source {
    let Some(r) = resolved.map(str::trim).filter(|r| !r.is_empty()) else {
        return Source::DefaultRegistry;
    };
    if r.starts_with("git+") || r.starts_with("git://") || r.starts_with("github:") {
        return git_source(r);
    }
    if let Some(path) = r.strip_prefix("file:").or_else(|| r.strip_prefix("link:")) {
        return Source::Path {
            path: crate::tree::join(base_dir, path).or_else(|| Some(path.to_string())),
        };
    }
    if let Some(rest) = r.strip_prefix("https://").or_else(|| r.strip_prefix("http://")) {
        if is_default_registry(rest) && r.starts_with("https://") {
            return Source::DefaultRegistry;
        }
        if let Some(i) = r.find("/-/") {
            // `https://host/prefix/NAME/-/NAME-1.0.0.tgz`: a registry's tarball; the
            // registry is everything before the package name.
            let before = &r[..i];
            let last_slash = before.rfind('/').unwrap_or(0);
            let last = &before[last_slash + 1..];
            let scope_slash = before[..last_slash]
                .rfind('/')
                .filter(|&s| before[s + 1..].starts_with('@'));
            let name_start = if last.starts_with('@') || last.starts_with("%40") {
                last_slash
            } else {
                scope_slash.unwrap_or(last_slash)
            };
            return Source::Registry {
                url: format!("{}/", &before[..name_start]),
            };
        }
        return Source::Url { url: r.to_string() };
    }
    Source::Url { url: r.to_string() }
}

/// `git+ssh://git@github.com/a/b.git#COMMIT`, `github:a/b#ref`.
pub fn git_source(text: &str) -> Source {
    let text = text.strip_prefix("git+").unwrap_or(text);
    let (url, fragment) = match text.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (text, None),
    };
    let url = match url.strip_prefix("github:") {
        Some(repo) => format!("https://github.com/{repo}"),
        None => url.to_string(),
    };
    let is_commit = |f: &str| f.len() == 40 && f.bytes().all(|b| b.is_ascii_hexdigit());
    match fragment {
        Some(f) if is_commit(f) => Source::Git {
            url,
            reference: None,
            revision: Some(f.to_string()),
        },
        Some(f) => Source::Git {
            url,
            reference: Some(format!("rev={f}")),
            revision: None,
        },
        None => Source::Git {
            url,
            reference: None,
            revision: None,
        },
    }
}

/// `parts` written one after the other into `key` (emptied first): a lookup key made in a
/// buffer the caller reuses, without a string formatted and freed for every dependency.
pub fn lookup_key<'k>(key: &'k mut String, parts: &[&str]) -> &'k str {
    key.clear();
    for part in parts {
        key.push_str(part);
    }
    key
}

/// The line of each line that starts with `prefix` (the indentation of a lockfile's entry
/// keys, with any quote), for lines whose rest, without the line break, `key_of` turns into
/// a key. Only those lines are looked at (found with a substring search); the lines between
/// are counted, not split.
pub fn key_lines_after<'t>(
    text: &'t str,
    prefix: &str,
    key_of: impl Fn(&'t str) -> Option<&'t str>,
) -> foldhash::HashMap<&'t str, usize> {
    let bytes = text.as_bytes();
    let mut lines = foldhash::HashMap::default();
    let mut add = |start: usize, line: usize| {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |e| start + e);
        let rest = &text[start..end];
        if let Some(key) = key_of(rest.strip_suffix('\r').unwrap_or(rest)) {
            lines.insert(key, line);
        }
    };
    if text.starts_with(prefix) {
        add(prefix.len(), 1);
    }
    let needle = format!("\n{prefix}");
    let (mut line, mut counted) = (1, 0);
    for at in memchr::memmem::find_iter(bytes, needle.as_bytes()) {
        line += 1 + crate::text::count_newlines(&bytes[counted..at]);
        counted = at + 1;
        add(at + needle.len(), line);
    }
    lines
}

/// JSON with comments and trailing commas (bun.lock) turned into strict JSON, keeping every
/// byte offset's line so errors still point at the right line.
pub fn strip_jsonc(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                // To the closing quote, stepping over each escaped character.
                while let Some(at) = memchr::memchr2(b'"', b'\\', &bytes[i.min(bytes.len())..]) {
                    i += at;
                    if bytes[i] == b'"' {
                        break;
                    }
                    i += 2;
                }
                i = if i < bytes.len() && bytes[i] == b'"' {
                    i + 1
                } else {
                    bytes.len()
                };
                out.extend_from_slice(&bytes[start..i]);
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out.push(b' ');
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    out.push(if bytes[i] == b'\n' { b'\n' } else { b' ' });
                    i += 1;
                }
                out.extend_from_slice(b"  ");
                i += 2;
            }
            b',' => {
                out.push(if matches!(next_significant(bytes, i + 1), Some(b'}' | b']')) {
                    b' '
                } else {
                    b','
                });
                i += 1;
            }
            _ => {
                // Up to the next byte that may start a string, a comment or a trailing comma.
                let run = memchr::memchr3(b'"', b'/', b',', &bytes[i + 1..]).map_or(bytes.len(), |at| i + 1 + at);
                out.extend_from_slice(&bytes[i..run]);
                i = run;
            }
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The next byte that is neither white space nor inside a comment.
fn next_significant(bytes: &[u8], mut i: usize) -> Option<u8> {
    while i < bytes.len() {
        match bytes[i] {
            b if b.is_ascii_whitespace() => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b => return Some(b),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lines_after_reads_lines_as_str_lines_splits_them() {
        fn headers(l: &str) -> Option<&str> {
            (!l.starts_with([' ', '#']) && l.ends_with(':')).then(|| l.trim_end_matches(':').trim_matches('"'))
        }
        // What pnpm's reader takes: the rest after two spaces, and the whole line.
        fn nested_rest(l: &str) -> Option<&str> {
            let l = (!l.starts_with(' ')).then_some(l)?.trim_end();
            l.strip_suffix(':').or_else(|| l.strip_suffix(": {}"))
        }
        fn nested(l: &str) -> Option<&str> {
            nested_rest(l.strip_prefix("  ")?)
        }
        let text = "top:\r\n  a:\n   deep:\n  'b': {}\n\n \n  # note:\n#c:\n  x\n\"q\":\n  \n  last:";
        // What `str::lines` gives, line by line (breaks `\n` and `\r\n`, no empty last line).
        let reference = |key_of: fn(&str) -> Option<&str>| -> Vec<(String, usize)> {
            let mut out: Vec<(String, usize)> = text
                .lines()
                .enumerate()
                .filter_map(|(i, l)| Some((key_of(l)?.to_string(), i + 1)))
                .collect();
            out.sort();
            out
        };
        let of = |keys: foldhash::HashMap<&str, usize>| {
            let mut out: Vec<(String, usize)> = keys.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            out.sort();
            out
        };
        assert_eq!(of(key_lines_after(text, "", headers)), reference(headers));
        assert_eq!(of(key_lines_after(text, "  ", nested_rest)), reference(nested));
        assert_eq!(
            of(key_lines_after(text, "", headers)),
            [("q".to_string(), 10), ("top".into(), 1)]
        );
        assert_eq!(
            of(key_lines_after(text, "  ", nested_rest)).len(),
            4,
            "a, 'b', # note, last"
        );
    }

    #[test]
    fn integrity_and_sources() {
        let h = parse_integrity("sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk= sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==").unwrap();
        assert_eq!(h.len(), 2);
        assert!(h.iter().any(|h| h.hex() == "da39a3ee5e6b4b0d3255bfef95601890afd80709"));
        assert!(parse_integrity("sha512-!!").is_err());
        assert_eq!(
            resolved_source(Some("https://registry.npmjs.org/ms/-/ms-2.1.3.tgz"), ""),
            Source::DefaultRegistry
        );
        assert_eq!(
            resolved_source(Some("https://npm.example.com/repo/ms/-/ms-2.1.3.tgz"), ""),
            Source::Registry {
                url: "https://npm.example.com/repo/".into()
            }
        );
        assert_eq!(
            resolved_source(Some("https://npm.example.com/r/@s/p/-/p-1.0.0.tgz"), ""),
            Source::Registry {
                url: "https://npm.example.com/r/".into()
            }
        );
        assert_eq!(
            resolved_source(Some("https://npm.example.com/r/@s%2fp/-/p-1.0.0.tgz"), ""),
            Source::Registry {
                url: "https://npm.example.com/r/".into()
            }
        );
        assert_eq!(
            resolved_source(Some("file:../lib"), "app"),
            Source::Path {
                path: Some("lib".into())
            }
        );
        assert_eq!(
            resolved_source(
                Some("git+ssh://git@github.com/a/b.git#0123456789012345678901234567890123456789"),
                ""
            ),
            Source::Git {
                url: "ssh://git@github.com/a/b.git".into(),
                reference: None,
                revision: Some("0123456789012345678901234567890123456789".into())
            }
        );
        assert_eq!(split_name("@types/node"), (Some("@types"), "node"));
        assert_eq!(split_name("ms"), (None, "ms"));
    }

    #[test]
    fn jsonc_to_json() {
        let j = strip_jsonc("{\n \"a\": [1, 2,], // c\n \"b\": \"x,]\", /* d\n */ }");
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(v["b"], "x,]");
        assert_eq!(j.lines().count(), 4);
        // Escaped quotes and backslashes stay inside their string; so does a comma after them.
        let j = strip_jsonc(r#"{"a": "q\"//,", "b": "\\", "c": [1,],}"#);
        let v: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(v["a"], "q\"//,");
        assert_eq!(v["b"], "\\");
        assert_eq!(v["c"], serde_json::json!([1]));
        // Unterminated strings and comments end with the text, byte for byte.
        assert_eq!(strip_jsonc(r#"{"a": "x\"#), r#"{"a": "x\"#);
        assert_eq!(strip_jsonc("[1] // end"), "[1]       ");
        assert_eq!(strip_jsonc("é,]"), "é ]");
    }

    #[test]
    fn key_lines_are_those_of_the_matching_lines() {
        let text = "    \"first\": {\n{\r\n    \"a\": {\r\n      \"b\": {\n    \"c\": [\n    \"a\": {\n    \"d\": {";
        let lines = key_lines_after(text, "    \"", |rest| rest.strip_suffix("\": {"));
        let mut found: Vec<(&str, usize)> = lines.into_iter().collect();
        found.sort();
        // The first line counts; CR before LF is not part of the line; a later duplicate wins
        // (as a map collected from the lines would); deeper or differently ended lines do not.
        assert_eq!(found, [("a", 6), ("d", 7), ("first", 1)]);
    }
}
