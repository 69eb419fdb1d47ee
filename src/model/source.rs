//! Where a component comes from: the ecosystem's default registry, another registry, git, a
//! local path or a direct URL.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// The ecosystem's default public registry (crates.io, npmjs, PyPI, ...).
    DefaultRegistry,
    /// Another registry, by its index or API URL.
    Registry { url: String },
    /// A git repository; `reference` is what was asked for (`branch=main`, `tag=v1`),
    /// `revision` the commit the lockfile pins.
    Git {
        url: String,
        reference: Option<String>,
        revision: Option<String>,
    },
    /// A local directory, relative to the scan root when known.
    Path { path: Option<String> },
    /// A direct download URL (a tarball, a wheel).
    Url { url: String },
}

impl Source {
    /// A short stable id of the kind of source: `registry`, `git`, `path`, `url`.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::DefaultRegistry | Source::Registry { .. } => "registry",
            Source::Git { .. } => "git",
            Source::Path { .. } => "path",
            Source::Url { .. } => "url",
        }
    }
}

/// A git URL as a URI: the scp-like `git@host:owner/repo` that git accepts becomes
/// `ssh://git@host/owner/repo`; others are unchanged.
pub fn git_url_as_uri(url: &str) -> String {
    if url.contains("://") {
        return url.to_string();
    }
    match url.split_once(':') {
        Some((user_host, path)) if !user_host.contains('/') && !path.starts_with('/') && !user_host.is_empty() => {
            format!("ssh://{user_host}/{path}")
        }
        _ => url.to_string(),
    }
}

impl Source {
    /// Reads the one-line form that `Display` writes (the `bomsight:source` property).
    pub fn parse(text: &str) -> Option<Source> {
        if text == "registry" {
            return Some(Source::DefaultRegistry);
        }
        if text == "path" {
            return Some(Source::Path { path: None });
        }
        if let Some(url) = text.strip_prefix("registry+") {
            return Some(Source::Registry { url: url.to_string() });
        }
        if let Some(path) = text.strip_prefix("path+") {
            return Some(Source::Path {
                path: Some(path.to_string()),
            });
        }
        if let Some(url) = text.strip_prefix("url+") {
            return Some(Source::Url { url: url.to_string() });
        }
        let rest = text.strip_prefix("git+")?;
        let (rest, revision) = match rest.rsplit_once('#') {
            Some((r, rev)) => (r, Some(rev.to_string())),
            None => (rest, None),
        };
        let (url, reference) = match rest.split_once('?') {
            Some((u, q)) => (u, Some(q.to_string())),
            None => (rest, None),
        };
        Some(Source::Git {
            url: url.to_string(),
            reference,
            revision,
        })
    }
}

/// One line describing the source, used in SBOM properties and reports:
/// `registry`, `registry+URL`, `git+URL?REF#REV`, `path+DIR`, `url+URL`.
impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::DefaultRegistry => f.write_str("registry"),
            Source::Registry { url } => write!(f, "registry+{url}"),
            Source::Git {
                url,
                reference,
                revision,
            } => {
                write!(f, "git+{url}")?;
                if let Some(r) = reference {
                    write!(f, "?{r}")?;
                }
                if let Some(rev) = revision {
                    write!(f, "#{rev}")?;
                }
                Ok(())
            }
            Source::Path { path: Some(p) } => write!(f, "path+{p}"),
            Source::Path { path: None } => f.write_str("path"),
            Source::Url { url } => write!(f, "url+{url}"),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn scp_like_git_urls_become_uris() {
        assert_eq!(git_url_as_uri("git@github.com:a/b.git"), "ssh://git@github.com/a/b.git");
        assert_eq!(git_url_as_uri("https://github.com/a/b"), "https://github.com/a/b");
        assert_eq!(git_url_as_uri("../local/repo"), "../local/repo");
    }

    use super::*;

    #[test]
    fn the_one_line_form_reads_back() {
        let sources = [
            Source::DefaultRegistry,
            Source::Registry {
                url: "https://r.example/index/".into(),
            },
            Source::Git {
                url: "https://g.example/a/b".into(),
                reference: Some("branch=main".into()),
                revision: Some("abc".into()),
            },
            Source::Git {
                url: "https://g.example/a/b".into(),
                reference: None,
                revision: None,
            },
            Source::Path {
                path: Some("crates/x".into()),
            },
            Source::Path { path: None },
            Source::Url {
                url: "https://x.example/a.tgz".into(),
            },
        ];
        for s in sources {
            assert_eq!(Source::parse(&s.to_string()), Some(s.clone()), "{s}");
        }
    }
}
