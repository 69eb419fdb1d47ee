//! A fast reader for the plain block YAML that package managers write (yarn berry, pnpm,
//! pubspec): one node per line, quoted or plain scalars, one-line flow collections. It builds
//! the same `serde_yaml_ng::Value` the full parser would, and gives up (`None`) on anything
//! else, so that the full parser reads the document, reports its errors and applies its
//! limits. Giving up is always safe; accepting is only allowed where the full parser would
//! return the very same value (a differential fuzz target checks this).

use crate::fast_node::{has_repeated_key, Node};
use serde_yaml_ng::Value;
use std::borrow::Cow;

/// Deeper than this, the full parser decides (its own recursion limit is larger).
const MAX_DEPTH: usize = 64;

/// The document's value, or `None` where the full parser must read it.
pub fn parse(text: &str) -> Option<Value> {
    parse_within(text, MAX_DEPTH)
}

/// As [`parse`], giving up where block and flow collections together nest deeper than
/// `max_depth` (at most 64): a document it accepts is within any nesting limit that large.
pub fn parse_within(text: &str, max_depth: usize) -> Option<Value> {
    parse_node_within(text, max_depth).map(Node::into_value)
}

/// As [`parse_within`], the document as the reader's own [`Node`]s (what serde reads
/// without a `Value` built first).
pub fn parse_node_within(text: &str, max_depth: usize) -> Option<Node<'_>> {
    // ASCII without tabs or carriage returns: no Unicode line breaks, byte-order marks or
    // control characters to treat as the YAML specification does.
    if !crate::text::every_byte(text.as_bytes(), |b| b == b'\n' || (0x20..0x7f).contains(&b)) {
        return None;
    }
    let mut reader = Reader {
        rest: text,
        current: None,
        refused: false,
        max_depth: max_depth.min(MAX_DEPTH),
    };
    reader.advance();
    let first = reader.next_line()?;
    let value = reader.block_node(first.indent, 0)?;
    (reader.current.is_none() && !reader.refused).then_some(value)
}

#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    /// Without the indentation and trailing spaces; never empty.
    content: &'a str,
}

/// Lines are read one at a time as the parse goes (a list of them would cost more memory
/// than the document's values on a file of many short lines).
struct Reader<'a> {
    rest: &'a str,
    current: Option<Line<'a>>,
    /// A document marker or directive was met: the full parser must read the file.
    refused: bool,
    max_depth: usize,
}

impl<'a> Reader<'a> {
    fn next_line(&self) -> Option<Line<'a>> {
        self.current
    }

    /// Moves to the next line that is neither blank nor a comment.
    fn advance(&mut self) {
        self.current = None;
        while !self.rest.is_empty() {
            let (raw, rest) = match memchr::memchr(b'\n', self.rest.as_bytes()) {
                Some(end) => (&self.rest[..end], &self.rest[end + 1..]),
                None => (self.rest, ""),
            };
            self.rest = rest;
            let content = raw.trim_start_matches(' ');
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let indent = raw.len() - content.len();
            if indent == 0 && (content.starts_with("---") || content.starts_with("...") || content.starts_with('%')) {
                self.refused = true;
                self.rest = "";
                return;
            }
            self.current = Some(Line {
                indent,
                content: content.trim_end_matches(' '),
            });
            return;
        }
    }

    /// The block mapping or sequence whose first line is the next one, at `indent`.
    fn block_node(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > self.max_depth {
            return None;
        }
        let line = self.next_line()?;
        if line.indent != indent {
            return None;
        }
        if is_sequence_entry(line.content) {
            self.block_sequence(indent, depth)
        } else {
            self.block_mapping(indent, depth)
        }
    }

    fn block_mapping(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let mut entries = Vec::new();
        while let Some(line) = self.next_line() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || is_sequence_entry(line.content) {
                return None;
            }
            let (key, rest) = mapping_key(line.content)?;
            self.advance();
            let value = if rest.is_empty() {
                self.nested(indent, depth, true)?
            } else {
                let value = inline_value(rest, depth + 1, self.max_depth)?;
                self.no_continuation(indent)?;
                value
            };
            entries.push((key, value));
        }
        // The full parser says which key is repeated.
        (!has_repeated_key(&entries)).then_some(Node::Map(entries))
    }

    fn block_sequence(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        while let Some(line) = self.next_line() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            if !is_sequence_entry(line.content) {
                break; // a sequence under a key, at the key's indentation, ends at the next key
            }
            let rest = line.content[1..].trim_start_matches(' ');
            self.advance();
            let item = if rest.is_empty() {
                self.nested(indent, depth, false)?
            } else {
                // `- key: value` (a mapping inside the entry) and `- - x` are left to the
                // full parser.
                if is_sequence_entry(rest) || mapping_colon(rest).is_some() {
                    return None;
                }
                let value = inline_value(rest, depth + 1, self.max_depth)?;
                self.no_continuation(indent)?;
                value
            };
            items.push(item);
        }
        Some(Node::Seq(items))
    }

    /// What follows a key or a dash with nothing after it: a more indented block, a
    /// sequence at the same indentation (for a mapping key), or nothing at all (null).
    fn nested(&mut self, indent: usize, depth: usize, under_key: bool) -> Option<Node<'a>> {
        match self.next_line() {
            Some(next) if next.indent > indent => {
                let inner = next.indent;
                self.block_node(inner, depth + 1)
            }
            Some(next) if under_key && next.indent == indent && is_sequence_entry(next.content) => {
                self.block_sequence(indent, depth + 1)
            }
            _ => Some(Node::Null),
        }
    }

    /// A line more indented than a scalar would continue it (a multi-line scalar).
    fn no_continuation(&self, indent: usize) -> Option<()> {
        match self.next_line() {
            Some(next) if next.indent > indent => None,
            _ => Some(()),
        }
    }
}

fn is_sequence_entry(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Splits `key: rest` (or `key:`), the key quoted or plain.
fn mapping_key(content: &str) -> Option<(Node<'_>, &str)> {
    let (key, after) = match content.as_bytes()[0] {
        b'"' | b'\'' => {
            let (key, end) = quoted(content)?;
            (Node::Str(key), &content[end..])
        }
        _ => {
            let colon = mapping_colon(content)?;
            let key = &content[..colon];
            if !plain_allowed(key) || key.ends_with(' ') || key == "<<" {
                return None;
            }
            (resolve_plain(key)?, &content[colon..])
        }
    };
    // YAML allows an implicit key 1024 characters at most (libyaml counts from the key's
    // first character to the colon); a longer one is the full parser's error.
    if content.len() - after.len() > MAX_KEY_SPAN {
        return None;
    }
    let rest = after.strip_prefix(':')?;
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    Some((key, rest.trim_start_matches(' ')))
}

/// Longest key (from its first character to its colon) the reader accepts, safely under
/// YAML's 1024-character limit on implicit keys.
const MAX_KEY_SPAN: usize = 1000;

/// Where a plain key ends: the first `:` followed by a space or the end of the line.
fn mapping_colon(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes).find(|&i| matches!(bytes.get(i + 1), None | Some(b' ')))
}

/// A value on the line of its key or dash: quoted, a one-line flow collection, or plain.
fn inline_value(text: &str, depth: usize, max_depth: usize) -> Option<Node<'_>> {
    match text.as_bytes()[0] {
        b'"' | b'\'' => {
            let (value, end) = quoted(text)?;
            text[end..].is_empty().then_some(Node::Str(value))
        }
        b'[' | b'{' => {
            let mut flow = Flow { text, at: 0, max_depth };
            let value = flow.node(depth)?;
            flow.skip_spaces();
            (flow.at == text.len()).then_some(value)
        }
        _ => {
            if !plain_allowed(text) || mapping_colon(text).is_some() {
                return None;
            }
            resolve_plain(text)
        }
    }
}

/// Whether a plain scalar may be read here without the full parser: it does not start with
/// an indicator, and holds no comment. (A scalar in a flow collection is cut at the first
/// flow indicator before it gets here.)
fn plain_allowed(text: &str) -> bool {
    let Some(&first) = text.as_bytes().first() else {
        return false;
    };
    if b"-?:,[]{}#&*!|>'\"%@`".contains(&first) {
        // `-x` is a plain scalar; `- x` a sequence entry, and `-`, `?`, `:` alone indicators.
        let plain_dash = first == b'-' && text.len() > 1 && text.as_bytes()[1] != b' ';
        if !plain_dash {
            return false;
        }
    }
    // ` #` starts a comment (a `#` found by a byte search, then the byte before it looked at).
    let bytes = text.as_bytes();
    !memchr::memchr_iter(b'#', bytes).any(|at| at > 0 && bytes[at - 1] == b' ')
}

/// The bytes a plain scalar in a flow collection may end at: the flow indicators `,[]{}`,
/// and `:` (when a space follows). A table: the test runs on every byte of every such
/// scalar (pnpm's `{integrity: sha512-...}`).
const ENDS_FLOW_SCALAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut at = 0;
    let ends = b",[]{}:";
    while at < ends.len() {
        table[ends[at] as usize] = true;
        at += 1;
    }
    table
};

/// The value of a plain scalar as the full parser resolves it: null, boolean, number or
/// string. Anything that might be a number is handed to the full parser itself (rare in
/// lockfiles: a `version: 8` header), so the two always agree.
fn resolve_plain(text: &str) -> Option<Node<'_>> {
    match text {
        "~" | "null" | "Null" | "NULL" => return Some(Node::Null),
        "true" | "True" | "TRUE" => return Some(Node::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Node::Bool(false)),
        _ => {}
    }
    // Only these characters make up an integer (decimal, 0x, 0o) or a float, and a number
    // has at most one dot (`1.2.3` is a version, a string); `.inf` and `.nan` start with one.
    let unsigned = text.trim_start_matches(['+', '-']);
    let number_like = text
        .bytes()
        .all(|b| b.is_ascii_hexdigit() || matches!(b, b'x' | b'X' | b'o' | b'O' | b'.' | b'+' | b'-'))
        && text.bytes().filter(|&b| b == b'.').count() <= 1;
    if number_like || unsigned.starts_with('.') {
        return match serde_yaml_ng::from_str::<Value>(text) {
            Ok(Value::Number(n)) => Some(Node::Number(n)),
            Ok(Value::String(s)) if s == text => Some(Node::Str(Cow::Borrowed(text))),
            _ => None,
        };
    }
    Some(Node::Str(Cow::Borrowed(text)))
}

/// A quoted scalar at the start of `text`, closed on the same line: its value and the byte
/// just after the closing quote. Double-quoted escapes beyond the common ones are left to
/// the full parser.
fn quoted(text: &str) -> Option<(Cow<'_, str>, usize)> {
    let bytes = text.as_bytes();
    let quote = bytes[0];
    // Borrowed until an escape or a doubled quote makes the value differ from the text.
    let mut value: Option<String> = None;
    let mut i = 1;
    let mut run = 1;
    let finish = |value: Option<String>, run: usize, end: usize| match value {
        Some(mut owned) => {
            owned.push_str(&text[run..end]);
            Cow::Owned(owned)
        }
        None => Cow::Borrowed(&text[1..end]),
    };
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (b'\'', b'\'') => {
                if bytes.get(i + 1) == Some(&b'\'') {
                    let owned = value.get_or_insert_with(String::new);
                    owned.push_str(&text[run..i]);
                    owned.push('\'');
                    i += 2;
                    run = i;
                    continue;
                }
                return Some((finish(value, run, i), i + 1));
            }
            (b'"', b'"') => return Some((finish(value, run, i), i + 1)),
            (b'"', b'\\') => {
                let owned = value.get_or_insert_with(String::new);
                owned.push_str(&text[run..i]);
                owned.push(match bytes.get(i + 1)? {
                    b'\\' => '\\',
                    b'"' => '"',
                    b'/' => '/',
                    b'n' => '\n',
                    b't' => '\t',
                    _ => return None,
                });
                i += 2;
                run = i;
                continue;
            }
            _ => {}
        }
        // On to the next byte that can end the value or change it (the quote, or in double
        // quotes a backslash): a byte search over a digest or URL, not a loop.
        let next = match quote {
            b'"' => memchr::memchr2(b'"', b'\\', &bytes[i + 1..]),
            _ => memchr::memchr(quote, &bytes[i + 1..]),
        };
        i += 1 + next?;
    }
    None
}

/// A flow collection on one line (`{integrity: sha512-...}`, `[x64]`).
struct Flow<'a> {
    text: &'a str,
    at: usize,
    max_depth: usize,
}

impl<'a> Flow<'a> {
    fn skip_spaces(&mut self) {
        while self.text.as_bytes().get(self.at) == Some(&b' ') {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn node(&mut self, depth: usize) -> Option<Node<'a>> {
        if depth > self.max_depth {
            return None;
        }
        self.skip_spaces();
        match self.peek()? {
            b'{' => self.mapping(depth),
            b'[' => self.sequence(depth),
            _ => self.scalar(),
        }
    }

    fn scalar(&mut self) -> Option<Node<'a>> {
        let rest = &self.text[self.at..];
        if matches!(rest.as_bytes()[0], b'"' | b'\'') {
            let (value, end) = quoted(rest)?;
            self.at += end;
            return Some(Node::Str(value));
        }
        // A plain scalar ends at a flow indicator or at `: ` (so it holds no flow indicator).
        let bytes = rest.as_bytes();
        let end = (0..bytes.len())
            .find(|&i| {
                let b = bytes[i];
                ENDS_FLOW_SCALAR[usize::from(b)] && (b != b':' || bytes.get(i + 1) == Some(&b' '))
            })
            .unwrap_or(bytes.len());
        let plain = rest[..end].trim_end_matches(' ');
        // `:` inside is allowed (`https://...`), but not right before an indicator.
        if !plain_allowed(plain) || plain.ends_with(':') || plain.contains(":?") {
            return None;
        }
        self.at += end;
        resolve_plain(plain)
    }

    /// Expects `close` or `,` followed by another entry; true when the collection closed.
    fn after_entry(&mut self, close: u8) -> Option<bool> {
        self.skip_spaces();
        match self.peek()? {
            b',' => {
                self.at += 1;
                self.skip_spaces();
                // A trailing comma is left to the full parser.
                (self.peek()? != close).then_some(false)
            }
            b if b == close => {
                self.at += 1;
                Some(true)
            }
            _ => None,
        }
    }

    /// Steps over the opening bracket; true when the collection closes right away (`[]`, `{}`).
    fn open(&mut self, close: u8) -> Option<bool> {
        self.at += 1;
        self.skip_spaces();
        let empty = self.peek()? == close;
        if empty {
            self.at += 1;
        }
        Some(empty)
    }

    fn sequence(&mut self, depth: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        if self.open(b']')? {
            return Some(Node::Seq(items));
        }
        loop {
            items.push(self.node(depth + 1)?);
            if self.after_entry(b']')? {
                return Some(Node::Seq(items));
            }
        }
    }

    fn mapping(&mut self, depth: usize) -> Option<Node<'a>> {
        let mut entries = Vec::new();
        if self.open(b'}')? {
            return Some(Node::Map(entries));
        }
        loop {
            self.skip_spaces();
            if matches!(self.peek()?, b'{' | b'[') {
                return None; // a collection as a key
            }
            let key_start = self.at;
            let key = self.scalar()?;
            if !self.text[self.at..].starts_with(": ") || self.at - key_start > MAX_KEY_SPAN {
                return None;
            }
            self.at += 2;
            let value = self.node(depth + 1)?;
            entries.push((key, value));
            if self.after_entry(b'}')? {
                return (!has_repeated_key(&entries)).then_some(Node::Map(entries));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde_yaml_ng::Value;

    fn full(text: &str) -> Value {
        serde_yaml_ng::from_str(text).unwrap()
    }

    #[test]
    fn reads_what_package_managers_write_as_the_full_parser_does() {
        let documents = [
            "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"a@npm:1.0.0, a@npm:^1\":\n  version: 1.0.0\n  resolution: \"a@npm:1.0.0\"\n  dependencies:\n    b: \"npm:^2\"\n  checksum: 10c0/ab12\n  languageName: node\n  linkType: hard\n",
            "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n\nimporters:\n\n  .:\n    dependencies:\n      '@types/node':\n        specifier: ^20.0.0\n        version: 20.11.30\n\npackages:\n\n  esbuild@0.20.2:\n    resolution: {integrity: sha512-x/y+z==, tarball: https://r.example/e.tgz}\n    engines: {node: '>=12'}\n    cpu: [ppc64, 'x64']\n    hasBin: true\n    deps: {}\n    list: []\n",
            "# comment\nkey:\n- a\n- 'it''s'\n- \"q\\\"uote\\\\\"\n-\n  nested: 1.5\nempty:\nnum: -3\nneg: -x\nhex: 0x1F\nver: 1.2.3\nnull: ~\nflow: [a, {b: c}, [d]]\n",
        ];
        for text in documents {
            let fast = parse(text).unwrap_or_else(|| panic!("refused: {text}"));
            assert_eq!(format!("{fast:?}"), format!("{:?}", full(text)));
        }
    }

    #[test]
    fn gives_up_on_what_it_does_not_read() {
        let refused = [
            "a: &x 1\nb: *x\n",                           // anchors and aliases
            "a: |\n  text\n",                             // block scalars
            "a: !tag x\n",                                // tags
            "a: b\n  continued\n",                        // multi-line plain scalar
            "a: 1\na: 2\n",                               // duplicate keys: the full parser's error
            "a: b # comment\n",                           // trailing comment
            "a: {b: c,}\n",                               // trailing comma
            "a: [b,\n  c]\n",                             // multi-line flow
            "- a: b\n",                                   // mapping inside a sequence entry
            "? a\n: b\n",                                 // complex key
            "---\na: b\n",                                // document marker
            "a: 1\n---\nb: 2\n",                          // a second document
            "%YAML 1.2\na: 1\n",                          // directive
            "a:\tb\n",                                    // tab
            "a: \"\\u00e9\"\n",                           // rarer escapes
            "a: b: c\n",                                  // not a mapping value
            "a:\n  b: 1\n c: 2\n",                        // inconsistent indentation
            "caf\u{e9}: 1\n",                             // non-ASCII
            "",                                           // empty document
            "just a scalar\n",                            // not a collection
            &format!("\"{}\": 1\n", "k".repeat(1100)),    // a key over 1024 characters
            &format!("a: {{{}: 1}}\n", "k".repeat(1100)), // likewise in a flow mapping
        ];
        for text in refused {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
