//! Cargo's source strings (`registry+URL`, `sparse+URL`, `git+URL?REF#REV`) as model sources.

use crate::model::Source;

/// The spellings of crates.io in lockfiles: the git index, and the sparse index.
const CRATES_IO: &[&str] = &[
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];

/// Converts a `source = "..."` value; `None` when the string is not a kind Cargo writes.
pub fn parse_source(source: &str) -> Option<Source> {
    if CRATES_IO.contains(&source) {
        return Some(Source::DefaultRegistry);
    }
    if let Some(url) = source
        .strip_prefix("registry+")
        .or_else(|| source.strip_prefix("sparse+"))
    {
        return Some(Source::Registry { url: url.to_string() });
    }
    if let Some(rest) = source.strip_prefix("git+") {
        let (rest, revision) = match rest.split_once('#') {
            Some((r, rev)) => (r, Some(rev.to_string())),
            None => (rest, None),
        };
        let (url, reference) = match rest.split_once('?') {
            Some((u, q)) => (u, Some(percent_decode(q))),
            None => (rest, None),
        };
        return Some(Source::Git {
            url: url.to_string(),
            reference,
            revision,
        });
    }
    if let Some(path) = source.strip_prefix("path+") {
        return Some(Source::Path {
            path: Some(path.trim_start_matches("file://").to_string()),
        });
    }
    None
}

/// Lockfile v4 percent-encodes the query of git sources (`branch=a%2Fb`).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_source() {
        assert_eq!(
            parse_source("registry+https://github.com/rust-lang/crates.io-index"),
            Some(Source::DefaultRegistry)
        );
        assert_eq!(
            parse_source("sparse+https://index.crates.io/"),
            Some(Source::DefaultRegistry)
        );
        assert_eq!(
            parse_source("sparse+https://cargo.example.com/index/"),
            Some(Source::Registry {
                url: "https://cargo.example.com/index/".into()
            })
        );
        assert_eq!(
            parse_source("git+https://github.com/a/b?branch=feat%2Fx#0123"),
            Some(Source::Git {
                url: "https://github.com/a/b".into(),
                reference: Some("branch=feat/x".into()),
                revision: Some("0123".into())
            })
        );
        assert_eq!(
            parse_source("git+https://github.com/a/b#0123"),
            Some(Source::Git {
                url: "https://github.com/a/b".into(),
                reference: None,
                revision: Some("0123".into())
            })
        );
        assert_eq!(parse_source("svn+https://x"), None);
        assert_eq!(percent_decode("a%2"), "a%2");
    }
}
