//! Python versions (PEP 440): parsing with the standard's normalizations, ordering, and
//! version specifiers (`>=1.2,<2`, `~=1.4`, `==1.*`), for resolving and comparing releases.

use std::cmp::Ordering;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Pre {
    /// A dev release with no pre or post part sorts before every pre-release.
    DevOnly,
    Some(u8, u64),
    /// A final release sorts after its pre-releases.
    None,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum LocalPart {
    Text(String),
    Number(u64),
}

/// A parsed PEP 440 version. Equality and order follow the standard (`1.0 == 1.0.0`).
#[derive(Clone, Debug)]
pub struct Pep440Version {
    epoch: u64,
    release: Vec<u64>,
    pre: Option<(u8, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    local: Vec<LocalPart>,
}

impl Pep440Version {
    pub fn parse(text: &str) -> Option<Pep440Version> {
        let s = text.trim().to_ascii_lowercase();
        let s = s.strip_prefix('v').unwrap_or(&s);
        let (public, local) = match s.split_once('+') {
            Some((p, l)) => (p, Some(l)),
            None => (s, None),
        };
        let (epoch, rest) = match public.split_once('!') {
            Some((e, r)) => (e.parse().ok()?, r),
            None => (0, public),
        };
        let mut cursor = Cursor {
            s: rest.as_bytes(),
            i: 0,
        };
        let mut release = vec![cursor.number()?];
        while cursor.peek() == Some(b'.') && cursor.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            cursor.i += 1;
            release.push(cursor.number()?);
        }
        let mut pre = None;
        let mut post = None;
        let mut dev = None;
        if let Some(kind) = cursor.label(&[
            ("alpha", 0),
            ("beta", 1),
            ("preview", 2),
            ("pre", 2),
            ("rc", 2),
            ("a", 0),
            ("b", 1),
            ("c", 2),
        ]) {
            pre = Some((kind, cursor.optional_number()));
        }
        if cursor.peek() == Some(b'-') && cursor.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            cursor.i += 1;
            post = Some(cursor.number()?);
        } else if cursor.label(&[("post", 0), ("rev", 0), ("r", 0)]).is_some() {
            post = Some(cursor.optional_number());
        }
        if cursor.label(&[("dev", 0)]).is_some() {
            dev = Some(cursor.optional_number());
        }
        if cursor.i != cursor.s.len() {
            return None;
        }
        let local = match local {
            Some("") => return None,
            Some(l) => l
                .split(['.', '-', '_'])
                .map(|p| {
                    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
                        None
                    } else {
                        Some(
                            p.parse()
                                .map(LocalPart::Number)
                                .unwrap_or_else(|_| LocalPart::Text(p.to_string())),
                        )
                    }
                })
                .collect::<Option<Vec<_>>>()?,
            None => Vec::new(),
        };
        Some(Pep440Version {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    fn trimmed_release(&self) -> &[u64] {
        let end = self.release.iter().rposition(|&n| n != 0).map_or(0, |i| i + 1);
        &self.release[..end]
    }

    /// Everything but the dev and local parts, which `cmp` compares after.
    fn key(&self) -> (u64, &[u64], Pre, Option<u64>) {
        let pre = match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => Pre::DevOnly,
            (Some((k, n)), _, _) => Pre::Some(k, n),
            (None, _, _) => Pre::None,
        };
        (self.epoch, self.trimmed_release(), pre, self.post)
    }
}

impl PartialEq for Pep440Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pep440Version {}

impl PartialOrd for Pep440Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key()
            .cmp(&other.key())
            .then_with(|| match (&self.dev, &other.dev) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(x), Some(y)) => x.cmp(y),
            })
            .then_with(|| self.local.cmp(&other.local))
    }
}

impl fmt::Display for Pep440Version {
    /// The normalized form: `1.0a1.post2.dev3+local.1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.epoch != 0 {
            write!(f, "{}!", self.epoch)?;
        }
        let release: Vec<String> = self.release.iter().map(u64::to_string).collect();
        f.write_str(&release.join("."))?;
        if let Some((k, n)) = self.pre {
            write!(f, "{}{n}", ["a", "b", "rc"][k as usize])?;
        }
        if let Some(n) = self.post {
            write!(f, ".post{n}")?;
        }
        if let Some(n) = self.dev {
            write!(f, ".dev{n}")?;
        }
        if !self.local.is_empty() {
            let parts: Vec<String> = self
                .local
                .iter()
                .map(|p| match p {
                    LocalPart::Number(n) => n.to_string(),
                    LocalPart::Text(t) => t.clone(),
                })
                .collect();
            write!(f, "+{}", parts.join("."))?;
        }
        Ok(())
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.s.get(self.i + n).copied()
    }

    fn number(&mut self) -> Option<u64> {
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i]).ok()?.parse().ok()
    }

    /// A number after an optional separator, 0 when absent (`1.0a` is `1.0a0`).
    fn optional_number(&mut self) -> u64 {
        let save = self.i;
        if matches!(self.peek(), Some(b'.' | b'-' | b'_')) {
            self.i += 1;
        }
        if self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return self.number().unwrap_or(0);
        }
        self.i = save;
        0
    }

    /// One of `labels`, after an optional separator.
    fn label(&mut self, labels: &[(&str, u8)]) -> Option<u8> {
        let save = self.i;
        if matches!(self.peek(), Some(b'.' | b'-' | b'_')) {
            self.i += 1;
        }
        for (text, value) in labels {
            if self.s[self.i..].starts_with(text.as_bytes()) {
                self.i += text.len();
                return Some(*value);
            }
        }
        self.i = save;
        None
    }
}

/// A comma-separated set of version clauses; a version matches when it matches them all.
#[derive(Clone, Debug)]
pub struct Specifiers(Vec<(String, String)>);

impl Specifiers {
    pub fn parse(text: &str) -> Option<Specifiers> {
        let mut clauses = Vec::new();
        for clause in text.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let op_len = clause
                .find(|c: char| !matches!(c, '<' | '>' | '=' | '!' | '~'))
                .unwrap_or(clause.len());
            let (op, version) = clause.split_at(op_len);
            if !matches!(op, "==" | "!=" | "<=" | ">=" | "<" | ">" | "~=" | "===") || version.trim().is_empty() {
                return None;
            }
            clauses.push((op.to_string(), version.trim().to_string()));
        }
        Some(Specifiers(clauses))
    }

    /// The version an `==` or `===` clause pins exactly (no wildcard), if any.
    pub fn pinned(&self) -> Option<&str> {
        match self.0.as_slice() {
            [(op, v)] if (op == "==" && !v.ends_with(".*")) || op == "===" => Some(v),
            _ => None,
        }
    }

    pub fn matches(&self, version: &str) -> bool {
        let parsed = Pep440Version::parse(version);
        self.0.iter().all(|(op, spec)| {
            if op == "===" {
                return spec.eq_ignore_ascii_case(version);
            }
            let Some(v) = &parsed else { return false };
            if let Some(prefix) = spec.strip_suffix(".*") {
                let Some(p) = Pep440Version::parse(prefix) else {
                    return false;
                };
                let prefix_match = v.epoch == p.epoch
                    && v.release
                        .iter()
                        .chain(std::iter::repeat(&0))
                        .take(p.release.len())
                        .eq(p.release.iter());
                return if op == "==" {
                    prefix_match
                } else {
                    op == "!=" && !prefix_match
                };
            }
            let Some(s) = Pep440Version::parse(spec) else {
                return false;
            };
            match op.as_str() {
                "==" => v == &s,
                "!=" => v != &s,
                "<=" => v <= &s,
                ">=" => v >= &s,
                "<" => v < &s,
                ">" => v > &s,
                "~=" => {
                    let mut upper = s.release.clone();
                    if upper.len() < 2 {
                        return false;
                    }
                    upper.pop();
                    v >= &s
                        && v.epoch == s.epoch
                        && v.release
                            .iter()
                            .chain(std::iter::repeat(&0))
                            .take(upper.len())
                            .eq(upper.iter())
                }
                _ => false,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Pep440Version {
        Pep440Version::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn normalizes_spellings() {
        assert_eq!(v("1.0-ALPHA.1").to_string(), "1.0a1");
        assert_eq!(v("v2.0.post-3").to_string(), "2.0.post3");
        assert_eq!(v("1.0-1").to_string(), "1.0.post1");
        assert_eq!(v("1!2.0rc1.dev4+Ubuntu-1").to_string(), "1!2.0rc1.dev4+ubuntu.1");
        assert!(Pep440Version::parse("1.0.x").is_none());
        assert!(Pep440Version::parse("").is_none());
    }

    #[test]
    fn orders_as_the_standard_says() {
        let ordered = [
            "1.0.dev1",
            "1.0a1.dev1",
            "1.0a1",
            "1.0b2",
            "1.0rc1",
            "1.0",
            "1.0+local",
            "1.0.post1.dev1",
            "1.0.post1",
            "1.1",
            "1!0.1",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("1.0"), v("1.0.0"));
    }

    #[test]
    fn specifiers_match() {
        let s = Specifiers::parse(">=1.2, <2").unwrap();
        assert!(s.matches("1.2") && s.matches("1.9.9") && !s.matches("2.0") && !s.matches("1.1"));
        assert!(Specifiers::parse("~=1.4.2").unwrap().matches("1.4.9"));
        assert!(!Specifiers::parse("~=1.4.2").unwrap().matches("1.5.0"));
        assert!(Specifiers::parse("==1.*").unwrap().matches("1.7"));
        assert!(Specifiers::parse("!=1.3.*").unwrap().matches("1.4"));
        assert_eq!(Specifiers::parse("==2.31.0").unwrap().pinned(), Some("2.31.0"));
        assert_eq!(Specifiers::parse("===foo").unwrap().pinned(), Some("foo"));
        assert_eq!(Specifiers::parse(">=1").unwrap().pinned(), None);
        assert!(Specifiers::parse("=>1").is_none());
    }
}
