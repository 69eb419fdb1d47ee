//! PEP 508 dependency specifications: `name[extras] (specifiers | @ url) ; marker`, as used by
//! requirements files, pyproject.toml and the `dependencies` of pdm and uv locks.

use crate::model::pep440::Specifiers;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub name: String,
    pub extras: Vec<String>,
    /// The version clauses as written (`>=1.2,<2`), empty when there are none.
    pub specifier: String,
    pub url: Option<String>,
    pub marker: Option<String>,
}

impl Requirement {
    /// The exact version an `==`/`===` pin names, if the requirement is pinned.
    pub fn pinned_version(&self) -> Option<String> {
        Specifiers::parse(&self.specifier)?.pinned().map(str::to_string)
    }
}

pub fn parse(text: &str) -> Result<Requirement, String> {
    let text = text.trim();
    let name_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(text.len());
    let name = &text[..name_len];
    if name.is_empty()
        || !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Err(format!("`{text}` does not start with a package name"));
    }
    let mut rest = text[name_len..].trim_start();
    let mut extras = Vec::new();
    if let Some(after) = rest.strip_prefix('[') {
        let end = after
            .find(']')
            .ok_or_else(|| format!("`{text}`: unclosed `[` of extras"))?;
        extras = after[..end]
            .split(',')
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect();
        rest = after[end + 1..].trim_start();
    }
    if let Some(after) = rest.strip_prefix('@') {
        let after = after.trim_start();
        let url_end = after.find(char::is_whitespace).unwrap_or(after.len());
        let url = &after[..url_end];
        if url.is_empty() {
            return Err(format!("`{text}`: `@` without a URL"));
        }
        let tail = after[url_end..].trim();
        let marker = match tail.strip_prefix(';') {
            Some(m) => Some(m.trim().to_string()),
            None if tail.is_empty() => None,
            None => return Err(format!("`{text}`: unexpected `{tail}` after the URL")),
        };
        return Ok(Requirement {
            name: name.to_string(),
            extras,
            specifier: String::new(),
            url: Some(url.to_string()),
            marker,
        });
    }
    let (spec, marker) = match rest.split_once(';') {
        Some((s, m)) => (s.trim(), Some(m.trim().to_string())),
        None => (rest.trim(), None),
    };
    let spec = spec
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(spec)
        .trim();
    let specifier: String = spec.chars().filter(|c| !c.is_whitespace()).collect();
    if !specifier.is_empty() && Specifiers::parse(&specifier).is_none() {
        return Err(format!("`{text}`: `{spec}` is not a version specifier"));
    }
    Ok(Requirement {
        name: name.to_string(),
        extras,
        specifier,
        url: None,
        marker,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form() {
        let r = parse("Requests[socks, security] >= 2.8.1, == 2.8.* ; python_version < \"2.7\"").unwrap();
        assert_eq!(r.name, "Requests");
        assert_eq!(r.extras, ["socks", "security"]);
        assert_eq!(r.specifier, ">=2.8.1,==2.8.*");
        assert_eq!(r.marker.as_deref(), Some("python_version < \"2.7\""));
        let r = parse("pip @ https://example.com/pip-1.0.zip#sha1=da39 ; sys_platform == 'linux'").unwrap();
        assert_eq!(r.url.as_deref(), Some("https://example.com/pip-1.0.zip#sha1=da39"));
        assert_eq!(
            parse("six (==1.16.0)").unwrap().pinned_version().as_deref(),
            Some("1.16.0")
        );
        assert_eq!(parse("attrs").unwrap().specifier, "");
        assert!(parse("==1.0").is_err());
        assert!(parse("foo >> 1").is_err());
        assert!(parse("foo[bar").is_err());
    }
}
