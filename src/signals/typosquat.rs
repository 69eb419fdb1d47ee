//! Typosquats: a new name one plausible typo away from a popular name of the same ecosystem,
//! and not popular itself. The typos: a character left out, doubled or added, two neighbours
//! swapped, separators swapped or dropped, look-alike characters (`1`/`l`, `0`/`o`, `rn`/`m`,
//! `vv`/`w`), a version suffix (`react2`), `py`/`python` affixes. Names that are established
//! themselves (widely downloaded) are never flagged. A scope put in front of a popular name
//! (`@types/react`) is normal on npm and is not flagged; a typo inside a popular scope is, and
//! so is a popular scoped name with its scope flattened into the name (`types-node`).
//!
//! The popular lists ship with bomsight (`data/popular/`, their provenance in its README);
//! `--popular-names FILE` replaces them.

use super::{finding, Context, Finding};
use crate::model::{Component, DependencyGraph, Ecosystem};
use std::collections::{HashMap, HashSet};

const PYPI: &str = include_str!("../../data/popular/pypi.txt");
const NPM: &str = include_str!("../../data/popular/npm.txt");
const PYPI_ESTABLISHED: &str = include_str!("../../data/popular/pypi-established.txt");
const NPM_ESTABLISHED: &str = include_str!("../../data/popular/npm-established.txt");

/// Per ecosystem: the popular names typosquats imitate, the established names that are never
/// typosquats themselves, and every popular name with one character left out.
pub struct PopularNames {
    names: HashMap<Ecosystem, Popular>,
}

#[derive(Default)]
pub struct Popular {
    targets: HashSet<String>,
    established: HashSet<String>,
    shortened: HashMap<String, String>,
    /// `types-node` and `typesnode` → `@types/node`: a scoped name with its scope flattened.
    unscoped: HashMap<String, String>,
    /// Each popular name under its spelling without separators, sorted.
    by_plain: HashMap<String, Vec<String>>,
}

impl Popular {
    fn new(e: Ecosystem, targets: &str, established: &str) -> Popular {
        let targets: HashSet<String> = targets
            .lines()
            .map(|n| normalize(e, n))
            .filter(|n| !n.is_empty())
            .collect();
        let established = established
            .lines()
            .map(|n| normalize(e, n))
            .filter(|n| !n.is_empty())
            .collect();
        // Sorted, so that where two popular names collide the same one always wins.
        let mut sorted: Vec<&String> = targets.iter().collect();
        sorted.sort();
        let mut shortened = HashMap::new();
        let mut by_plain: HashMap<String, Vec<String>> = HashMap::new();
        for &t in &sorted {
            by_plain.entry(without_separators(t)).or_default().push(t.clone());
            let chars: Vec<char> = t.chars().collect();
            for i in 0..chars.len() {
                let mut v = chars.clone();
                v.remove(i);
                shortened.entry(v.into_iter().collect()).or_insert_with(|| t.clone());
            }
        }
        let mut unscoped = HashMap::new();
        for t in sorted.iter().filter(|t| t.starts_with('@')) {
            if let Some((scope, name)) = t[1..].split_once('/') {
                unscoped.insert(format!("{scope}-{name}"), (*t).clone());
                unscoped.insert(format!("{scope}{name}"), (*t).clone());
            }
        }
        Popular {
            targets,
            established,
            shortened,
            unscoped,
            by_plain,
        }
    }
}

impl PopularNames {
    /// The lists shipped with bomsight (`data/popular/`).
    pub fn builtin() -> PopularNames {
        let mut names = HashMap::new();
        names.insert(Ecosystem::Pypi, Popular::new(Ecosystem::Pypi, PYPI, PYPI_ESTABLISHED));
        names.insert(Ecosystem::Npm, Popular::new(Ecosystem::Npm, NPM, NPM_ESTABLISHED));
        PopularNames { names }
    }

    /// A user's list: lines `ECOSYSTEM NAME` (`pypi requests`), or bare names for every
    /// ecosystem; `#` comments.
    pub fn from_text(text: &str) -> PopularNames {
        let mut lists: HashMap<Ecosystem, Vec<String>> = HashMap::new();
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            match line.split_once(char::is_whitespace) {
                Some((eco, name)) => {
                    if let Some(e) = Ecosystem::from_purl_type(eco) {
                        lists.entry(e).or_default().push(name.trim().to_string());
                    }
                }
                None => {
                    for e in [
                        Ecosystem::Pypi,
                        Ecosystem::Npm,
                        Ecosystem::Cargo,
                        Ecosystem::Gem,
                        Ecosystem::Golang,
                        Ecosystem::Maven,
                        Ecosystem::Nuget,
                        Ecosystem::Composer,
                    ] {
                        lists.entry(e).or_default().push(line.to_string());
                    }
                }
            }
        }
        let names = lists
            .into_iter()
            .map(|(e, l)| (e, Popular::new(e, &l.join("\n"), "")))
            .collect();
        PopularNames { names }
    }

    fn of(&self, e: Ecosystem) -> Option<&Popular> {
        self.names.get(&e).filter(|p| !p.targets.is_empty())
    }
}

fn normalize(e: Ecosystem, name: &str) -> String {
    e.normalize_name(name.trim()).to_ascii_lowercase()
}

fn without_separators(name: &str) -> String {
    name.chars().filter(|c| !matches!(c, '-' | '_' | '.')).collect()
}

pub fn check(components: &[&Component], graph: &DependencyGraph, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for c in components {
        let Some(popular) = ctx.popular.of(c.ecosystem) else {
            continue;
        };
        let name = normalize(c.ecosystem, &c.display_name_without_version());
        if let Some((target, how)) = near_miss(&name, popular) {
            let message = format!(
                "{} looks like the popular `{target}` ({how})",
                c.display_name_without_version()
            );
            out.push(finding(
                "typosquat",
                c,
                graph,
                message,
                vec![format!("popular: {target}")],
            ));
        }
    }
}

/// The popular name `name` is a typo of, and which typo; `None` for popular names and names
/// too short to judge.
pub fn near_miss(name: &str, popular: &Popular) -> Option<(String, &'static str)> {
    if popular.targets.contains(name) || popular.established.contains(name) || name.chars().count() < 4 {
        return None;
    }
    let hit = |candidate: String, how: &'static str| popular.targets.contains(&candidate).then_some((candidate, how));
    let chars: Vec<char> = name.chars().collect();
    // Scope confusion: a popular scoped name with its scope flattened into the name.
    if let Some(target) = popular.unscoped.get(name) {
        return Some((target.clone(), "a popular scoped name without its scope"));
    }
    // One character left out.
    if let Some(target) = popular.shortened.get(name) {
        return Some((target.clone(), "a character left out"));
    }
    // One character too many (doubled or added): dropping it gives the popular name.
    for i in 0..chars.len() {
        let mut v = chars.clone();
        let removed = v.remove(i);
        let how = if i > 0 && chars[i - 1] == removed {
            "a doubled character"
        } else {
            "an added character"
        };
        if let Some(found) = hit(v.into_iter().collect(), how) {
            return Some(found);
        }
    }
    // Two neighbours swapped.
    for i in 0..chars.len().saturating_sub(1) {
        if chars[i] == chars[i + 1] {
            continue;
        }
        let mut v = chars.clone();
        v.swap(i, i + 1);
        if let Some(found) = hit(v.into_iter().collect(), "two characters swapped") {
            return Some(found);
        }
    }
    // Separators dropped or swapped.
    let plain = without_separators(name);
    if plain.chars().count() >= 4 {
        let same_letters = popular.by_plain.get(&plain).into_iter().flatten();
        if let Some(p) = same_letters.into_iter().find(|p| p.as_str() != name) {
            return Some((p.clone(), "separators changed"));
        }
    }
    // Look-alike characters.
    for (a, b) in [
        ("1", "l"),
        ("l", "1"),
        ("0", "o"),
        ("o", "0"),
        ("rn", "m"),
        ("m", "rn"),
        ("vv", "w"),
        ("5", "s"),
        ("i", "l"),
        ("l", "i"),
    ] {
        let mut start = 0;
        while let Some(i) = name[start..].find(a) {
            let at = start + i;
            let candidate = format!("{}{b}{}", &name[..at], &name[at + a.len()..]);
            if let Some(found) = hit(candidate, "a look-alike character") {
                return Some(found);
            }
            start = at + a.len();
        }
    }
    // A version number stuck on: `react2`, `requests-3`.
    let stem = name
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches(['-', '_', '.']);
    if stem.len() < name.len() {
        if let Some(found) = hit(stem.to_string(), "a version number added") {
            return Some(found);
        }
    }
    // py / python affixes.
    for (prefix, suffix) in [
        ("py", ""),
        ("python-", ""),
        ("python", ""),
        ("", "-py"),
        ("", "py"),
        ("", "-python"),
        ("", "-js"),
        ("", "js"),
    ] {
        if let Some(core) = name.strip_prefix(prefix).and_then(|n| n.strip_suffix(suffix)) {
            if core.len() >= 4 && core != name {
                if let Some(found) = hit(core.to_string(), "a language affix added") {
                    return Some(found);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn popular() -> Popular {
        Popular::new(Ecosystem::Npm, "requests\nreact\nreact-dom\nurllib3\nlodash\ncolorama\ndjango\nsetuptools\nbeautifulsoup4\narg\n@types/node", "args")
    }

    #[test]
    fn typos_of_popular_names_fire() {
        let p = popular();
        for (typo, target) in [
            ("reqeusts", "requests"),
            ("requestss", "requests"),
            ("reqests", "requests"),
            ("urlib3", "urllib3"),
            ("lodahs", "lodash"),
            ("co1orama", "colorama"),
            ("react2", "react"),
            ("python-django", "django"),
            ("djangopy", "django"),
            ("beautiful-soup4", "beautifulsoup4"),
            ("setup-tools", "setuptools"),
            ("types-node", "@types/node"),
            ("@tyeps/node", "@types/node"),
        ] {
            assert_eq!(near_miss(typo, &p).map(|(t, _)| t), Some(target.to_string()), "{typo}");
        }
    }

    #[test]
    fn popular_and_unrelated_names_do_not() {
        let p = popular();
        for name in [
            "react-dom",
            "requests",
            "react",
            "left-pad",
            "ms",
            "flask",
            "reactor-core",
            "args",
            "@types/react",
        ] {
            assert_eq!(near_miss(name, &p), None, "{name}");
        }
    }

    #[test]
    fn the_shipped_lists_are_read() {
        let b = PopularNames::builtin();
        assert!(b.of(Ecosystem::Pypi).unwrap().targets.contains("requests"));
        assert!(b.of(Ecosystem::Npm).unwrap().targets.contains("react-dom"));
        assert_eq!(
            near_miss("args", b.of(Ecosystem::Npm).unwrap()),
            None,
            "established itself"
        );
        assert_eq!(
            near_miss("reqeusts", b.of(Ecosystem::Pypi).unwrap()).map(|x| x.0),
            Some("requests".into())
        );
    }
}
