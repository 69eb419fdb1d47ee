//! A reader for the data terms of Elixir and Erlang lockfiles: atoms, strings, binaries,
//! numbers, lists, tuples, maps and keyword lists. Only literals: nothing is evaluated, and
//! anything else (a function call, an operator) is a syntax error with its byte offset.

/// The two syntaxes: `mix.lock` is Elixir, `rebar.lock` Erlang.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Dialect {
    Elixir,
    Erlang,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    Atom(String),
    /// A string or binary (`"x"`, `<<"x">>`).
    Str(String),
    Number(String),
    List(Vec<Term>),
    Tuple(Vec<Term>),
    Map(Vec<(Term, Term)>),
}

impl Term {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Term::Str(s) | Term::Atom(s) => Some(s),
            _ => None,
        }
    }

    pub fn items(&self) -> &[Term] {
        match self {
            Term::List(v) | Term::Tuple(v) => v,
            _ => &[],
        }
    }

    /// The value of `key` in a keyword list (`[hex: :x, optional: true]`) or a list of pairs.
    pub fn keyword(&self, key: &str) -> Option<&Term> {
        self.items().iter().find_map(|t| match t.items() {
            [Term::Atom(k), v] if k == key => Some(v),
            _ => None,
        })
    }
}

pub type Error = (usize, String);

/// Reads every top-level term of a file (Erlang terms end with `.`; Elixir has one).
pub fn parse_all(text: &str, dialect: Dialect) -> Result<Vec<Term>, Error> {
    let mut p = Parser { text, pos: 0, dialect };
    let mut out = Vec::new();
    loop {
        p.skip_space();
        if p.pos >= text.len() {
            return Ok(out);
        }
        out.push(p.term(0)?);
        p.skip_space();
        if dialect == Dialect::Erlang {
            p.expect(".")?;
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    dialect: Dialect,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, Error> {
        Err((self.pos, message.into()))
    }

    fn skip_space(&mut self) {
        let comment = if self.dialect == Dialect::Elixir { '#' } else { '%' };
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.pos += rest.len() - trimmed.len();
            if trimmed.starts_with(comment) {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else {
                return;
            }
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), Error> {
        self.skip_space();
        if self.rest().starts_with(token) {
            self.pos += token.len();
            Ok(())
        } else if self.pos >= self.text.len() {
            self.error(format!("unexpected end of file, expected `{token}`"))
        } else {
            self.error(format!("expected `{token}`"))
        }
    }

    fn term(&mut self, depth: usize) -> Result<Term, Error> {
        let max_depth = crate::limits::max_nesting();
        if depth > max_depth {
            return self.error(format!("nested more than {max_depth} deep (--max-nesting)"));
        }
        self.skip_space();
        let rest = self.rest();
        let Some(first) = rest.chars().next() else {
            return self.error("unexpected end of file");
        };
        match first {
            '{' => {
                self.pos += 1;
                Ok(Term::Tuple(self.sequence('}', depth)?))
            }
            '[' => {
                self.pos += 1;
                Ok(Term::List(self.sequence(']', depth)?))
            }
            '%' if self.dialect == Dialect::Elixir && rest.starts_with("%{") => {
                self.pos += 2;
                let items = self.sequence('}', depth)?;
                let pairs = items
                    .into_iter()
                    .map(|t| match t {
                        Term::Tuple(mut kv) if kv.len() == 2 => {
                            let v = kv.pop().expect("two");
                            Ok((kv.pop().expect("two"), v))
                        }
                        _ => Err((self.pos, "map entry is not `key: value` or `key => value`".to_string())),
                    })
                    .collect::<Result<_, _>>()?;
                Ok(Term::Map(pairs))
            }
            '"' => Ok(Term::Str(self.string()?)),
            '<' if rest.starts_with("<<") => {
                self.pos += 2;
                self.skip_space();
                let s = if self.rest().starts_with('"') {
                    self.string()?
                } else {
                    String::new()
                };
                self.expect(">>")?;
                Ok(Term::Str(s))
            }
            ':' if self.dialect == Dialect::Elixir => {
                self.pos += 1;
                if self.rest().starts_with('"') {
                    return Ok(Term::Atom(self.string()?));
                }
                let name = self.identifier();
                if name.is_empty() {
                    return self.error("empty atom");
                }
                Ok(Term::Atom(name))
            }
            '\'' if self.dialect == Dialect::Erlang => {
                self.pos += 1;
                let end = self
                    .rest()
                    .find('\'')
                    .ok_or((self.pos, "unclosed quoted atom".to_string()))?;
                let name = self.rest()[..end].to_string();
                self.pos += end + 1;
                Ok(Term::Atom(name))
            }
            c if c.is_ascii_digit() || c == '-' => {
                let len = rest[1..]
                    .find(|c: char| {
                        !(c.is_ascii_alphanumeric() || c == '_' || c == '.' && self.dialect == Dialect::Elixir)
                    })
                    .map_or(rest.len(), |n| n + 1);
                let n = rest[..len].to_string();
                self.pos += len;
                Ok(Term::Number(n))
            }
            c if c.is_alphabetic() || c == '_' => {
                let name = self.identifier();
                if self.pos >= self.text.len() {
                    return self.error("unexpected end of file");
                }
                // Bare words are atoms in Erlang; in Elixir only true, false and nil are.
                match (self.dialect, name.as_str()) {
                    (Dialect::Erlang, _) | (Dialect::Elixir, "true" | "false" | "nil") => Ok(Term::Atom(name)),
                    _ => self.error(format!("`{name}` is not a literal")),
                }
            }
            other => self.error(format!("unexpected `{other}`")),
        }
    }

    fn identifier(&mut self) -> String {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '@' || c == '?' || c == '!'))
            .unwrap_or(rest.len());
        self.pos += len;
        rest[..len].to_string()
    }

    /// Items up to `close`; in Elixir, `key: value` and `key => value` items become pairs.
    fn sequence(&mut self, close: char, depth: usize) -> Result<Vec<Term>, Error> {
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.rest().starts_with(close) {
                self.pos += 1;
                return Ok(items);
            }
            if self.pos >= self.text.len() {
                return self.error(format!("unexpected end of file, expected `{close}`"));
            }
            let item = self.item(depth)?;
            items.push(item);
            self.skip_space();
            if self.rest().starts_with(',') {
                self.pos += 1;
            } else if !self.rest().starts_with(close) {
                return self.error(format!("expected `,` or `{close}`"));
            }
        }
    }

    fn item(&mut self, depth: usize) -> Result<Term, Error> {
        if self.dialect == Dialect::Elixir {
            // Keyword keys: `name: value` or `"name": value`.
            let rest = self.rest();
            let key_len = if let Some(quoted) = rest.strip_prefix('"') {
                quoted.find('"').map(|e| e + 2)
            } else {
                let n = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '?' || c == '!'))
                    .unwrap_or(rest.len());
                (n > 0).then_some(n)
            };
            if let Some(n) = key_len {
                if rest[n..].starts_with(": ") || rest[n..].starts_with(":\n") {
                    let key = rest[..n].trim_matches('"').to_string();
                    self.pos += n + 1;
                    let value = self.term(depth + 1)?;
                    return Ok(Term::Tuple(vec![Term::Atom(key), value]));
                }
            }
            let key = self.term(depth + 1)?;
            self.skip_space();
            if self.rest().starts_with("=>") {
                self.pos += 2;
                let value = self.term(depth + 1)?;
                return Ok(Term::Tuple(vec![key, value]));
            }
            return Ok(key);
        }
        self.term(depth + 1)
    }

    fn string(&mut self) -> Result<String, Error> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut chars = self.text[self.pos..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, other)) => out.push(other),
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err((start, "unclosed string".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elixir_maps_keywords_and_atoms() {
        let text = r#"%{
  "cowboy": {:hex, :cowboy, "2.10.0", "abc", [:make, :rebar3], [{:cowlib, "2.12.1", [hex: :cowlib, repo: "hexpm", optional: false]}], "hexpm", "def"},
  # a comment
  "gen_rpc": {:git, "https://github.com/a/gen_rpc.git", "0123", [tag: "v3.0.0"]},
}"#;
        let terms = parse_all(text, Dialect::Elixir).unwrap();
        let Term::Map(entries) = &terms[0] else { panic!() };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].0, Term::Atom("cowboy".into()));
        let deps = &entries[0].1.items()[5];
        let opts = &deps.items()[0].items()[2];
        assert_eq!(opts.keyword("optional"), Some(&Term::Atom("false".into())));
        assert_eq!(
            entries[1].1.items()[3].keyword("tag").and_then(Term::as_str),
            Some("v3.0.0")
        );
    }

    #[test]
    fn erlang_terms_binaries_and_dots() {
        let text = "{\"1.2.0\",\n[{<<\"idna\">>,{pkg,<<\"idna\">>,<<\"6.1.1\">>},1}]}.\n[\n{pkg_hash,[\n {<<\"idna\">>, <<\"8A63\">>}]}\n].\n";
        let terms = parse_all(text, Dialect::Erlang).unwrap();
        assert_eq!(terms.len(), 2);
        assert_eq!(terms[0].items()[0], Term::Str("1.2.0".into()));
        assert_eq!(terms[1].items()[0].items()[0], Term::Atom("pkg_hash".into()));
    }

    #[test]
    fn broken_and_hostile_input_is_refused_with_an_offset() {
        assert!(parse_all("%{\"a\": {:hex, :a, \"1.0\"", Dialect::Elixir).is_err());
        assert!(parse_all("{a, b}", Dialect::Erlang).is_err(), "missing final dot");
        let deep = "[".repeat(100_000);
        let (at, msg) = parse_all(&deep, Dialect::Erlang).unwrap_err();
        assert!(msg.contains("nested"), "{msg} at {at}");
        assert!(parse_all("%{\"a\": System.get_env()}", Dialect::Elixir).is_err());
    }
}
