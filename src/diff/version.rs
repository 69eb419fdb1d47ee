//! Version order per ecosystem: SemVer (Cargo, npm, Go with its `v` and pseudo-versions, pub,
//! hex, Swift), PEP 440 (PyPI), Maven's ordering, RubyGems (and CocoaPods), NuGet, Composer,
//! and a conservative fallback of dotted numbers (Hackage, Conan, vcpkg).
//! `None` means the two versions cannot be ordered; the differ then says "changed".

use crate::model::pep440::Pep440Version;
use crate::model::Ecosystem;
use std::cmp::Ordering;

pub fn compare(ecosystem: Ecosystem, old: &str, new: &str) -> Option<Ordering> {
    if old == new {
        return Some(Ordering::Equal);
    }
    match ecosystem {
        Ecosystem::Cargo | Ecosystem::Npm | Ecosystem::Golang | Ecosystem::Pub | Ecosystem::Hex | Ecosystem::Swift => {
            semver(old, new)
        }
        Ecosystem::Pypi => Some(Pep440Version::parse(old)?.cmp(&Pep440Version::parse(new)?)),
        Ecosystem::Maven => Some(maven(old, new)),
        Ecosystem::Gem | Ecosystem::Cocoapods => Some(gem(old, new)),
        Ecosystem::Nuget => nuget(old, new),
        Ecosystem::Composer => composer(old, new),
        _ => generic(old, new),
    }
}

fn semver(old: &str, new: &str) -> Option<Ordering> {
    let parse = |v: &str| semver::Version::parse(v.trim_start_matches('v').trim_end_matches("+incompatible"));
    Some(parse(old).ok()?.cmp_precedence(&parse(new).ok()?))
}

/// NuGet: up to four numeric parts, then a SemVer pre-release.
fn nuget(old: &str, new: &str) -> Option<Ordering> {
    let parse = |v: &str| -> Option<(Vec<u64>, Option<String>)> {
        let v = v.split('+').next()?;
        let (release, pre) = match v.split_once('-') {
            Some((r, p)) => (r, Some(p.to_ascii_lowercase())),
            None => (v, None),
        };
        let mut parts: Vec<u64> = release.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
        parts.resize(4, 0);
        Some((parts, pre))
    };
    let (a, b) = (parse(old)?, parse(new)?);
    Some(a.0.cmp(&b.0).then_with(|| match (&a.1, &b.1) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => x.cmp(y),
    }))
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Token {
    Qualifier(i32, String),
    Number(u64),
}

/// Maven's ComparableVersion, simplified: numbers compare as numbers; the known qualifiers
/// order alpha < beta < milestone < rc < snapshot < (release) < sp; unknown ones after sp,
/// alphabetically; missing parts count as zero.
fn maven(old: &str, new: &str) -> Ordering {
    let tokens = |v: &str| -> Vec<Token> {
        let mut out = Vec::new();
        // Trailing zeros go within each `-` group too: 1.0-alpha-1 is 1-alpha-1.
        for group in v.to_ascii_lowercase().split(['-', '_']) {
            let mut group_tokens = Vec::new();
            for part in group.split('.') {
                tokenize(part, &mut group_tokens);
            }
            while matches!(
                group_tokens.last(),
                Some(Token::Number(0)) | Some(Token::Qualifier(0, _))
            ) && group_tokens.len() > 1
            {
                group_tokens.pop();
            }
            out.extend(group_tokens);
        }
        while matches!(out.last(), Some(Token::Number(0)) | Some(Token::Qualifier(0, _))) {
            out.pop();
        }
        out
    };
    let (a, b) = (tokens(old), tokens(new));
    for i in 0..a.len().max(b.len()) {
        let ord = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(Token::Number(_)), None) => Ordering::Greater,
            (Some(Token::Qualifier(r, _)), None) => r.cmp(&0),
            (None, Some(Token::Number(_))) => Ordering::Less,
            (None, Some(Token::Qualifier(r, _))) => 0.cmp(r),
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// Splits `12rc3` into number and qualifier tokens.
fn tokenize(part: &str, out: &mut Vec<Token>) {
    let mut rest = part;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits > 0 {
            out.push(Token::Number(rest[..digits].parse().unwrap_or(u64::MAX)));
            rest = &rest[digits..];
        } else {
            let letters = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
            let q = &rest[..letters];
            let rank = match q {
                "alpha" | "a" => -5,
                "beta" | "b" => -4,
                "milestone" | "m" => -3,
                "rc" | "cr" => -2,
                "snapshot" => -1,
                "" | "ga" | "final" | "release" => 0,
                "sp" => 1,
                _ => 2,
            };
            out.push(Token::Qualifier(rank, q.to_string()));
            rest = &rest[letters..];
        }
    }
}

/// RubyGems: dot-separated segments; a segment with letters marks a pre-release, which sorts
/// before the release.
fn gem(old: &str, new: &str) -> Ordering {
    let segments = |v: &str| -> Vec<Result<u64, String>> {
        let mut out: Vec<Result<u64, String>> = Vec::new();
        for part in v.split(['.', '-']) {
            let mut rest = part;
            while !rest.is_empty() {
                let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
                if digits > 0 {
                    out.push(Ok(rest[..digits].parse().unwrap_or(u64::MAX)));
                    rest = &rest[digits..];
                } else {
                    let letters = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
                    out.push(Err(rest[..letters].to_string()));
                    rest = &rest[letters..];
                }
            }
        }
        // Zeros just before the first letters do not count: 1.16.0.rc1 is 1.16.rc1.
        if let Some(first_text) = out.iter().position(|s| s.is_err()) {
            let mut start = first_text;
            while start > 0 && out[start - 1] == Ok(0) {
                start -= 1;
            }
            out.drain(start..first_text);
        }
        while matches!(out.last(), Some(Ok(0))) {
            out.pop();
        }
        out
    };
    let (a, b) = (segments(old), segments(new));
    for i in 0..a.len().max(b.len()) {
        let ord = match (a.get(i), b.get(i)) {
            (Some(Ok(x)), Some(Ok(y))) => x.cmp(y),
            (Some(Err(x)), Some(Err(y))) => x.cmp(y),
            (Some(Ok(_)), Some(Err(_))) => Ordering::Greater,
            (Some(Err(_)), Some(Ok(_))) => Ordering::Less,
            (Some(Ok(_)), None) => Ordering::Greater,
            (Some(Err(_)), None) => Ordering::Less,
            (None, Some(Ok(_))) => Ordering::Less,
            (None, Some(Err(_))) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// Unknown schemes: only versions made of dot-separated numbers are ordered.
/// Composer: up to four numbers (`v` prefix allowed), then a stability suffix ordered
/// dev < alpha < beta < RC < stable < patch, each with an optional number. Branches
/// (`dev-main`, `2.x-dev`) cannot be ordered.
fn composer(old: &str, new: &str) -> Option<Ordering> {
    let parse = |v: &str| -> Option<(Vec<u64>, u8, u64)> {
        let v = v.trim_start_matches(['v', 'V']);
        let split = v.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(v.len());
        let (numbers, suffix) = v.split_at(split);
        let mut parts: Vec<u64> = numbers
            .trim_end_matches('.')
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        if parts.len() > 4 {
            return None;
        }
        parts.resize(4, 0);
        let suffix = suffix.trim_start_matches(['-', '.', '_']).to_ascii_lowercase();
        let word_end = suffix.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(suffix.len());
        let (word, number) = suffix.split_at(word_end);
        let rank = match word {
            "dev" => 0,
            "alpha" | "a" => 1,
            "beta" | "b" => 2,
            "rc" => 3,
            "" => 4,
            "patch" | "pl" | "p" => 5,
            _ => return None,
        };
        let number = number.trim_start_matches(['-', '.']);
        let number = if number.is_empty() { 0 } else { number.parse().ok()? };
        Some((parts, rank, number))
    };
    Some(parse(old)?.cmp(&parse(new)?))
}

fn generic(old: &str, new: &str) -> Option<Ordering> {
    let parse = |v: &str| -> Option<Vec<u64>> {
        v.trim_start_matches(['v', 'V'])
            .split('.')
            .map(|p| p.parse().ok())
            .collect()
    };
    let (mut a, mut b) = (parse(old)?, parse(new)?);
    let n = a.len().max(b.len());
    a.resize(n, 0);
    b.resize(n, 0);
    Some(a.cmp(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn each_scheme_orders_its_versions() {
        assert_eq!(compare(Ecosystem::Npm, "8.63.0", "8.62.1"), Some(Greater));
        assert_eq!(compare(Ecosystem::Cargo, "1.0.0-rc.1", "1.0.0"), Some(Less));
        assert_eq!(
            compare(Ecosystem::Golang, "v0.0.0-20210101000000-abcdefabcdef", "v0.1.0"),
            Some(Less)
        );
        assert_eq!(
            compare(Ecosystem::Golang, "v2.0.0+incompatible", "v1.9.0"),
            Some(Greater)
        );
        assert_eq!(compare(Ecosystem::Pypi, "1.0.post1", "1.0"), Some(Greater));
        assert_eq!(compare(Ecosystem::Pypi, "2.0rc1", "2.0"), Some(Less));
        assert_eq!(compare(Ecosystem::Maven, "1.0-alpha-1", "1.0"), Some(Less));
        assert_eq!(compare(Ecosystem::Maven, "1.0", "1.0.0"), Some(Equal));
        assert_eq!(compare(Ecosystem::Maven, "2.13.2", "2.14.0"), Some(Less));
        assert_eq!(compare(Ecosystem::Maven, "1.0-SNAPSHOT", "1.0"), Some(Less));
        assert_eq!(compare(Ecosystem::Gem, "1.16.0.rc1", "1.16.0"), Some(Less));
        assert_eq!(compare(Ecosystem::Gem, "1.10", "1.9"), Some(Greater));
        assert_eq!(compare(Ecosystem::Nuget, "1.0.0.1", "1.0.0"), Some(Greater));
        assert_eq!(compare(Ecosystem::Nuget, "2.0.0-beta", "2.0.0"), Some(Less));
        assert_eq!(compare(Ecosystem::Generic, "1.10", "1.9"), Some(Greater));
        assert_eq!(compare(Ecosystem::Composer, "2.0.8", "v3.0.0"), Some(Less));
        assert_eq!(compare(Ecosystem::Composer, "v3.0.0-RC1", "v3.0.0"), Some(Less));
        assert_eq!(compare(Ecosystem::Composer, "1.0.0-beta2", "1.0.0-beta10"), Some(Less));
        assert_eq!(compare(Ecosystem::Composer, "1.0.0-p1", "1.0.0"), Some(Greater));
        assert_eq!(compare(Ecosystem::Composer, "dev-main", "1.0.0"), None);
        assert_eq!(compare(Ecosystem::Hackage, "0.8.2", "0.8.10.1"), Some(Less));
        assert_eq!(compare(Ecosystem::Generic, "r12", "r13"), None);
        assert_eq!(compare(Ecosystem::Npm, "latest", "1.0.0"), None);
    }
}
