//! Limits on hostile input beyond file size: how deeply a document may nest
//! (`--max-nesting`), and a cheap check of YAML's flow nesting before the parser sees it.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Deeper than any real lockfile or SBOM nests; deeper input is refused, not recursed into.
pub const DEFAULT_MAX_NESTING: usize = 256;

static MAX_NESTING: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_NESTING);

/// How deeply elements (XML), terms (Erlang, Elixir) and YAML flow collections may nest.
pub fn max_nesting() -> usize {
    MAX_NESTING.load(Ordering::Relaxed)
}

/// Sets [`max_nesting`] for the whole process (the command line's `--max-nesting`).
pub fn set_max_nesting(limit: usize) {
    MAX_NESTING.store(limit, Ordering::Relaxed);
}

/// The byte offset at which YAML flow collections (`[`, `{`) first nest deeper than `limit`,
/// if they do. The YAML parser takes time quadratic in that depth (a 200 KB file of brackets
/// kept it busy for minutes), so this runs first. Brackets in quoted strings and comments do
/// not count; a bracket or quote opens something only where a value may start, so neither
/// `it's` nor `see [1]` in a plain scalar changes the count.
pub fn yaml_flow_nesting_exceeds(text: &str, limit: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        Plain,
        Double,
        Single,
        Comment,
    }
    let bytes = text.as_bytes();
    let mut state = State::Plain;
    let mut depth = 0usize;
    // The last non-blank byte of the line so far: a bracket or quote opens something only
    // where a value may start (line start, after `:`, `-`, `?`, `,` or another bracket).
    let mut last = b'\n';
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let value_start = matches!(last, b'\n' | b':' | b'-' | b'?' | b',' | b'[' | b'{');
        match state {
            State::Plain => match b {
                b'[' | b'{' if value_start => {
                    depth += 1;
                    if depth > limit {
                        return Some(i);
                    }
                }
                b']' | b'}' if depth > 0 => depth -= 1,
                b'"' if value_start => state = State::Double,
                b'\'' if value_start => state = State::Single,
                b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r') => state = State::Comment,
                _ => {}
            },
            State::Double => match b {
                b'\\' => i += 1,
                b'"' => state = State::Plain,
                _ => {}
            },
            State::Single => {
                if b == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        state = State::Plain;
                    }
                }
            }
            State::Comment => {
                if b == b'\n' {
                    state = State::Plain;
                }
            }
        }
        if b == b'\n' {
            last = b'\n';
        } else if !matches!(b, b' ' | b'\t' | b'\r') && state != State::Comment {
            last = b;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_nesting_is_counted_outside_strings_and_comments() {
        assert_eq!(yaml_flow_nesting_exceeds("a: [[[1]]]\n", 3), None);
        assert_eq!(yaml_flow_nesting_exceeds("a: [[[[1]]]]\n", 3), Some(6));
        assert_eq!(yaml_flow_nesting_exceeds("a: \"[[[[\"\nb: '{{{{'\n# [[[[\n", 3), None);
        assert_eq!(yaml_flow_nesting_exceeds("a: 'it''s [[[['\n", 3), None);
        // A quote inside a plain scalar opens nothing: the brackets after it still count.
        assert_eq!(yaml_flow_nesting_exceeds("a: it's\nb: [[[[1]]]]\n", 3), Some(14));
        assert_eq!(yaml_flow_nesting_exceeds("url: http://x/ #[[[[\n", 3), None);
        assert_eq!(yaml_flow_nesting_exceeds(&"a: see [link\n".repeat(10), 3), None);
    }
}
