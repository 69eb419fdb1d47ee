//! Source signals: insecure transports, registry URLs that name another package, unpinned
//! versions and revisions, and internal names resolved from public registries.

use super::{finding, Context, Finding};
use crate::model::{Component, DependencyGraph, Source};

fn urls(s: &Source) -> Vec<&str> {
    match s {
        Source::Registry { url } | Source::Url { url } | Source::Git { url, .. } => vec![url.as_str()],
        _ => Vec::new(),
    }
}

pub fn insecure(components: &[&Component], graph: &DependencyGraph, out: &mut Vec<Finding>) {
    for c in components {
        let resolved = c.properties.get("npm:resolved").map(String::as_str);
        let insecure = resolved
            .into_iter()
            .chain(urls(&c.source))
            .find(|u| u.starts_with("http://") || u.starts_with("git://"));
        if let Some(url) = insecure {
            out.push(finding(
                "insecure-source",
                c,
                graph,
                format!(
                    "{} is fetched over an unauthenticated transport: {url}",
                    c.display_name()
                ),
                vec![url.to_string()],
            ));
        }
    }
}

/// npm tarball URLs on the public registry have the form `/NAME/-/BASENAME-VERSION.tgz`.
pub fn url_name_mismatch(components: &[&Component], graph: &DependencyGraph, out: &mut Vec<Finding>) {
    for c in components {
        let Some(url) = c.properties.get("npm:resolved") else {
            continue;
        };
        let Some(rest) = ["https://registry.npmjs.org/", "https://registry.yarnpkg.com/"]
            .iter()
            .find_map(|h| url.strip_prefix(h))
        else {
            continue;
        };
        let Some((path_name, _)) = rest.split_once("/-/") else {
            continue;
        };
        let path_name = path_name.replace("%2f", "/").replace("%2F", "/");
        let name = c.display_name_without_version();
        if path_name != name {
            out.push(finding(
                "url-name-mismatch",
                c,
                graph,
                format!("{name} is downloaded from the registry entry of `{path_name}`"),
                vec![url.clone()],
            ));
        }
    }
}

pub fn unpinned(components: &[&Component], graph: &DependencyGraph, out: &mut Vec<Finding>) {
    for c in components {
        if let Some(range) = c.properties.get("declared-range").filter(|_| c.version.is_none()) {
            out.push(finding(
                "unpinned",
                c,
                graph,
                format!(
                    "{} is declared as `{range}` and resolved to no version",
                    c.display_name_without_version()
                ),
                Vec::new(),
            ));
        } else if let Source::Git {
            url,
            revision: None,
            reference,
        } = &c.source
        {
            let asked = reference.as_deref().unwrap_or("the default branch");
            out.push(finding(
                "unpinned",
                c,
                graph,
                format!("{} follows {asked} of {url} with no pinned commit", c.display_name()),
                Vec::new(),
            ));
        }
    }
}

/// Packages from a host the policy does not list (when it lists any).
pub fn disallowed_hosts(components: &[&Component], graph: &DependencyGraph, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for c in components {
        for url in urls(&c.source) {
            let host = url
                .split("://")
                .nth(1)
                .and_then(|r| r.split(['/', ':', '@']).next())
                .unwrap_or("");
            if !host.is_empty() && !ctx.policy.host_allowed(host) {
                out.push(finding(
                    "source-changed",
                    c,
                    graph,
                    format!(
                        "{} comes from {host}, which is not in sources.allowed-hosts",
                        c.display_name()
                    ),
                    vec![url.to_string()],
                ));
            }
        }
    }
}

/// Names matching the policy's internal patterns that come from a public registry.
pub fn confusion(components: &[&Component], graph: &DependencyGraph, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for c in components {
        let name = c.display_name_without_version();
        if c.source == Source::DefaultRegistry && ctx.policy.is_internal(&name) {
            out.push(finding(
                "dependency-confusion",
                c,
                graph,
                format!("{name} matches an internal name pattern but resolves from the public registry"),
                Vec::new(),
            ));
        }
    }
}
