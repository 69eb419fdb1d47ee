//! A fast reader for the plain TOML that lockfile writers emit (Cargo, uv, Poetry, PDM):
//! table and array-of-tables headers, `key = value` lines, one-line strings, decimal
//! integers, booleans, arrays (over several lines) and one-line inline tables. It builds the
//! [`Node`]s serde reads, and gives up (`None`) on anything else (multi-line strings, floats,
//! dates, dotted keys, carriage returns...), so that the `toml` crate reads the document,
//! reports its errors and applies its rules. Giving up is always safe; accepting is only
//! allowed where the `toml` crate would read the very same values (a differential test and
//! fuzz target check this).

use crate::fast_node::{has_repeated_key, Node};
use serde_yaml_ng::Number;
use std::borrow::Cow;

/// Deeper nesting of arrays, inline tables or header keys than this is left to the `toml` crate.
const MAX_DEPTH: usize = 64;

/// A header is placed by looking its keys up in order; in tables with more entries than
/// this, the `toml` crate does it (lockfiles' headers go into tables of a few keys).
const MAX_LOOKUP: usize = 1024;

/// The document as nodes, or `None` where the `toml` crate must read it.
pub fn parse(text: &str) -> Option<Node<'_>> {
    parse_within(text, MAX_DEPTH)
}

/// As [`parse`], giving up where arrays and inline tables nest deeper than `max_depth`.
pub fn parse_within(text: &str, max_depth: usize) -> Option<Node<'_>> {
    // No control characters but tab and line feed (no carriage returns), no byte-order mark.
    let allowed = |b: u8| (b >= 0x20 || b == b'\t' || b == b'\n') && b != 0x7f;
    if !crate::text::every_byte(text.as_bytes(), allowed) || text.starts_with('\u{feff}') {
        return None;
    }
    let mut reader = Reader {
        text,
        at: 0,
        max_depth: max_depth.min(MAX_DEPTH),
    };
    let sections = reader.sections()?;
    let mut root = Table::new(Defined::Header);
    for section in sections {
        root.place(section)?;
    }
    root.into_node()
}

/// How a table came to exist: TOML lets a header define a table once, and not at all one
/// a value defined (those arrive as finished nodes and are never reopened here).
#[derive(Clone, Copy, PartialEq)]
enum Defined {
    /// Only as the parent of a header's table (`[a.b]` makes `a`).
    Implicitly,
    Header,
}

struct Table<'a> {
    defined: Defined,
    entries: Vec<(Cow<'a, str>, Item<'a>)>,
}

enum Item<'a> {
    Value(Node<'a>),
    Table(Table<'a>),
    ArrayOfTables(Vec<Table<'a>>),
}

/// A header and the `key = value` lines under it.
struct Section<'a> {
    path: Vec<Cow<'a, str>>,
    array: bool,
    entries: Vec<(Cow<'a, str>, Item<'a>)>,
}

impl<'a> Table<'a> {
    fn new(defined: Defined) -> Table<'a> {
        Table {
            defined,
            entries: Vec::new(),
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Item<'a>> {
        self.entries.iter_mut().find(|(k, _)| k == key).map(|(_, item)| item)
    }

    /// Puts a section's entries where its header says (the root for the lines before any).
    fn place(&mut self, section: Section<'a>) -> Option<()> {
        let Some((last, parents)) = section.path.split_last() else {
            self.entries.extend(section.entries);
            return Some(());
        };
        if section.path.len() > MAX_DEPTH {
            return None;
        }
        let mut table = self;
        for key in parents {
            // Keys are looked up one by one: a table of very many is left to the crate.
            if table.entries.len() > MAX_LOOKUP {
                return None;
            }
            if table.get_mut(key).is_none() {
                table
                    .entries
                    .push((key.clone(), Item::Table(Table::new(Defined::Implicitly))));
            }
            table = match table.get_mut(key)? {
                Item::Table(t) => t,
                Item::ArrayOfTables(tables) => tables.last_mut()?,
                Item::Value(_) => return None,
            };
        }
        if table.entries.len() > MAX_LOOKUP {
            return None;
        }
        let mut defined = Table::new(Defined::Header);
        defined.entries = section.entries;
        match (table.get_mut(last), section.array) {
            (None, false) => table.entries.push((last.clone(), Item::Table(defined))),
            (None, true) => table.entries.push((last.clone(), Item::ArrayOfTables(vec![defined]))),
            (Some(Item::Table(t)), false) if t.defined == Defined::Implicitly => {
                t.defined = Defined::Header;
                t.entries.extend(defined.entries);
            }
            (Some(Item::ArrayOfTables(tables)), true) => tables.push(defined),
            _ => return None, // defined twice, or a value reopened: the crate's error
        }
        Some(())
    }

    fn into_node(self) -> Option<Node<'a>> {
        let mut entries = Vec::with_capacity(self.entries.len());
        for (key, item) in self.entries {
            let value = match item {
                Item::Value(node) => node,
                Item::Table(t) => t.into_node()?,
                Item::ArrayOfTables(tables) => {
                    Node::Seq(tables.into_iter().map(Table::into_node).collect::<Option<_>>()?)
                }
            };
            entries.push((Node::Str(key), value));
        }
        (!has_repeated_key(&entries)).then_some(Node::Map(entries))
    }
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
    max_depth: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// Blanks, line ends and comments (between lines, and between array elements).
    fn skip_blank_lines(&mut self) {
        loop {
            self.skip_blanks();
            match self.peek() {
                Some(b'\n') => self.at += 1,
                Some(b'#') => self.skip_comment(),
                _ => return,
            }
        }
    }

    fn skip_comment(&mut self) {
        let rest = &self.text.as_bytes()[self.at..];
        self.at += memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    }

    /// After a header or a value: blanks, maybe a comment, then the end of the line.
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_blanks();
        if self.peek() == Some(b'#') {
            self.skip_comment();
        }
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.at += 1;
                Some(())
            }
            Some(_) => None,
        }
    }

    fn sections(&mut self) -> Option<Vec<Section<'a>>> {
        let mut sections = vec![Section {
            path: Vec::new(),
            array: false,
            entries: Vec::new(),
        }];
        loop {
            self.skip_blank_lines();
            match self.peek() {
                None => return Some(sections),
                Some(b'[') => sections.push(self.header()?),
                Some(_) => {
                    let key = self.key()?;
                    self.skip_blanks();
                    if self.peek() != Some(b'=') {
                        return None; // a dotted key, or no value
                    }
                    self.at += 1;
                    self.skip_blanks();
                    let value = self.value(0)?;
                    self.end_of_line()?;
                    sections.last_mut()?.entries.push((key, Item::Value(value)));
                }
            }
        }
    }

    /// `[a.b]` or `[[a.b]]`, with blanks around the keys and dots.
    fn header(&mut self) -> Option<Section<'a>> {
        self.at += 1;
        let array = self.peek() == Some(b'[');
        if array {
            self.at += 1;
        }
        let mut path = Vec::new();
        loop {
            self.skip_blanks();
            path.push(self.key()?);
            self.skip_blanks();
            match self.peek()? {
                b'.' => self.at += 1,
                b']' => break,
                _ => return None,
            }
        }
        let close = if array { "]]" } else { "]" };
        if !self.text[self.at..].starts_with(close) {
            return None;
        }
        self.at += close.len();
        self.end_of_line()?;
        Some(Section {
            path,
            array,
            entries: Vec::new(),
        })
    }

    /// A bare key (letters, digits, `_`, `-`) or a one-line quoted one.
    fn key(&mut self) -> Option<Cow<'a, str>> {
        match self.peek()? {
            b'"' => self.basic_string(),
            b'\'' => self.literal_string(),
            _ => {
                let start = self.at;
                while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
                    self.at += 1;
                }
                (self.at > start).then(|| Cow::Borrowed(&self.text[start..self.at]))
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node<'a>> {
        if depth > self.max_depth {
            return None;
        }
        match self.peek()? {
            b'"' => self.basic_string().map(Node::Str),
            b'\'' => self.literal_string().map(Node::Str),
            b'[' => self.array(depth),
            b'{' => self.inline_table(depth),
            _ => self.bare_value(),
        }
    }

    /// `true`, `false` or a plain decimal integer; anything else (floats, dates, other
    /// bases, underscores) is left to the crate.
    fn bare_value(&mut self) -> Option<Node<'a>> {
        let rest = &self.text[self.at..];
        let end = rest
            .bytes()
            .position(|b| matches!(b, b' ' | b'\t' | b'\n' | b',' | b']' | b'}' | b'#'))
            .unwrap_or(rest.len());
        let token = &rest[..end];
        let node = match token {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => {
                let digits = token.strip_prefix(['+', '-']).unwrap_or(token);
                let plain = !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && (digits == "0" || !digits.starts_with('0'));
                if !plain {
                    return None;
                }
                Node::Number(Number::from(token.parse::<i64>().ok()?))
            }
        };
        self.at += end;
        Some(node)
    }

    fn array(&mut self, depth: usize) -> Option<Node<'a>> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_blank_lines();
            if self.peek()? == b']' {
                self.at += 1;
                return Some(Node::Seq(items));
            }
            items.push(self.value(depth + 1)?);
            self.skip_blank_lines();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(Node::Seq(items));
                }
                _ => return None,
            }
        }
    }

    /// `{ k = v, ... }` on one line, no trailing comma, no dotted keys.
    fn inline_table(&mut self, depth: usize) -> Option<Node<'a>> {
        self.at += 1;
        let mut entries = Vec::new();
        self.skip_blanks();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(Node::Map(entries));
        }
        loop {
            self.skip_blanks();
            let key = self.key()?;
            self.skip_blanks();
            if self.peek()? != b'=' {
                return None;
            }
            self.at += 1;
            self.skip_blanks();
            if self.peek()? == b'\n' {
                return None;
            }
            let value = self.value(depth + 1)?;
            entries.push((Node::Str(key), value));
            self.skip_blanks();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return (!has_repeated_key(&entries)).then_some(Node::Map(entries));
                }
                _ => return None,
            }
        }
    }

    /// `'...'` on one line (not `'''`): the text as it is.
    fn literal_string(&mut self) -> Option<Cow<'a, str>> {
        let rest = &self.text[self.at + 1..];
        if rest.starts_with("''") {
            return None;
        }
        let end = memchr::memchr2(b'\'', b'\n', rest.as_bytes())?;
        if rest.as_bytes()[end] != b'\'' {
            return None;
        }
        self.at += end + 2;
        Some(Cow::Borrowed(&rest[..end]))
    }

    /// `"..."` on one line (not `"""`), with TOML 1.0's escapes; borrowed when it has none.
    fn basic_string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.at + 1;
        let bytes = self.text.as_bytes();
        if self.text[start..].starts_with("\"\"") {
            return None;
        }
        let mut owned: Option<String> = None;
        let mut run = start;
        let mut i = start;
        loop {
            let next = i + memchr::memchr3(b'"', b'\\', b'\n', &bytes[i..])?;
            match bytes[next] {
                b'"' => {
                    self.at = next + 1;
                    return Some(match owned {
                        Some(mut s) => {
                            s.push_str(&self.text[run..next]);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(&self.text[start..next]),
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..next]);
                    let (c, len) = escape(&self.text[next + 1..])?;
                    s.push(c);
                    i = next + 1 + len;
                    run = i;
                }
                _ => return None, // a line break: not a one-line string
            }
        }
    }
}

/// The character of an escape (the text after the backslash) and the bytes it takes.
fn escape(after: &str) -> Option<(char, usize)> {
    let simple = match after.as_bytes().first()? {
        b'b' => '\u{8}',
        b't' => '\t',
        b'n' => '\n',
        b'f' => '\u{c}',
        b'r' => '\r',
        b'"' => '"',
        b'\\' => '\\',
        b'u' => return unicode(after.get(1..5)?).map(|c| (c, 5)),
        b'U' => return unicode(after.get(1..9)?).map(|c| (c, 9)),
        _ => return None,
    };
    Some((simple, 1))
}

fn unicode(hex: &str) -> Option<char> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(hex, 16).ok()?)
}
