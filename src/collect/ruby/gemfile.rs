//! `Gemfile` (and `gems.rb`): the gems a project declares, with their groups and sources.
//! Read line by line, never run: `gem` calls, `group ... do` blocks and the `group:`/`groups:`,
//! `git:`/`github:`/`path:` options. Dynamic Ruby (loops, `eval_gemfile`) is not followed.

use crate::collect::{file_name, CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Source};
use crate::tree::{join, parent};

/// One `gem` line of a Gemfile.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclaredGem {
    pub name: String,
    pub requirements: Vec<String>,
    pub groups: Vec<String>,
    pub source: Source,
    pub line: usize,
}

impl DeclaredGem {
    /// Only for development and tests: every group it is in is one of those.
    pub fn dev_only(&self) -> bool {
        !self.groups.is_empty() && self.groups.iter().all(|g| g == "development" || g == "test")
    }
}

/// The `gem` declarations of a Gemfile, in file order.
pub fn parse(text: &str, dir: &str) -> Vec<DeclaredGem> {
    // Each open block: the groups it adds (none for `if`, `platforms`, `source ... do`).
    let mut blocks: Vec<Vec<String>> = Vec::new();
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        let word = line
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next()
            .unwrap_or("");
        if word == "end" {
            blocks.pop();
            continue;
        }
        let opens_block = line.ends_with(" do") || line.contains(" do |") || is_statement_block(word);
        if word == "group" && opens_block {
            blocks.push(symbols(line.trim_start_matches("group").trim_end_matches(" do")));
            continue;
        }
        if word == "gem" {
            if let Some(gem) = gem_call(line, dir, i + 1, blocks.iter().flatten()) {
                out.push(gem);
            }
        }
        if opens_block {
            blocks.push(Vec::new());
        }
    }
    out
}

fn is_statement_block(word: &str) -> bool {
    matches!(
        word,
        "if" | "unless" | "case" | "begin" | "while" | "until" | "def" | "class" | "module"
    )
}

/// Drops a `#` comment that is not inside a string.
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The symbols and strings of a group list: `:development, :test` → development, test.
fn symbols(text: &str) -> Vec<String> {
    // `%i[development test]` and `%w[...]` are arrays of bare words.
    let text = text
        .replace("%i[", "[")
        .replace("%w[", "[")
        .replace("%i(", "(")
        .replace("%w(", "(");
    text.split(|c: char| c == ',' || c == '[' || c == ']' || c.is_whitespace())
        .map(|t| t.trim_matches(|c| c == ':' || c == '"' || c == '\'' || c == '(' || c == ')'))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The quoted strings of a line, in order.
fn strings(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices();
    while let Some((start, c)) = chars.next() {
        if c == '"' || c == '\'' {
            let mut s = String::new();
            for (_, d) in chars.by_ref() {
                if d == c {
                    break;
                }
                s.push(d);
            }
            out.push((start, s));
        }
    }
    out
}

/// The value of an option (`group: :test`, `:git => "url"`, `github: "a/b"`).
fn option<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    for form in [format!("{key}:"), format!(":{key} =>"), format!(":{key}=>")] {
        if let Some(at) = line.find(&form) {
            // `github:` must not match inside `git:`-prefixed words or strings before it.
            let before = line[..at].chars().last();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let rest = line[at + form.len()..].trim_start();
            let end = if rest.starts_with('[') {
                rest.find(']').map_or(rest.len(), |e| e + 1)
            } else {
                rest.find(',').unwrap_or(rest.len())
            };
            return Some(rest[..end].trim());
        }
    }
    None
}

fn unquote(text: &str) -> String {
    text.trim().trim_matches(|c| c == '"' || c == '\'').to_string()
}

fn gem_call<'a>(
    line: &str,
    dir: &str,
    number: usize,
    block_groups: impl Iterator<Item = &'a String>,
) -> Option<DeclaredGem> {
    let args = line.strip_prefix("gem")?.trim_start().trim_start_matches('(');
    let quoted = strings(args);
    let (first_at, name) = quoted.first()?.clone();
    if first_at != 0 {
        return None;
    }
    // Requirements are the positional strings before the first `key:` option.
    let options_at = first_option(args);
    let requirements = quoted
        .iter()
        .skip(1)
        .filter(|(at, _)| *at < options_at)
        .map(|(_, s)| s.clone())
        .collect();
    let mut groups: Vec<String> = block_groups.cloned().collect();
    for key in ["group", "groups"] {
        if let Some(v) = option(args, key) {
            groups.extend(symbols(v));
        }
    }
    groups.sort();
    groups.dedup();
    let source = if let Some(url) = option(args, "git") {
        git_source(unquote(url), args)
    } else if let Some(repo) = option(args, "github") {
        git_source(format!("https://github.com/{}.git", unquote(repo)), args)
    } else if let Some(path) = option(args, "path") {
        Source::Path {
            path: join(dir, &unquote(path)),
        }
    } else if let Some(url) = option(args, "source") {
        registry(&unquote(url))
    } else {
        Source::DefaultRegistry
    };
    Some(DeclaredGem {
        name,
        requirements,
        groups,
        source,
        line: number,
    })
}

/// Where the options of a call start: the first argument outside a string that is `key:` or
/// `:key =>`.
fn first_option(args: &str) -> usize {
    let mut quote = None;
    for (i, c) in args.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ',') => {
                let rest = args[i + 1..].trim_start();
                let ident_len = rest
                    .trim_start_matches(':')
                    .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    .unwrap_or(0);
                let colon = usize::from(rest.starts_with(':'));
                let after = rest[colon + ident_len..].trim_start();
                let keyword = colon == 0 && after.starts_with(':') && !after.starts_with("::");
                let rocket = colon == 1 && after.starts_with("=>");
                if ident_len > 0 && (keyword || rocket) {
                    return i;
                }
            }
            _ => {}
        }
    }
    args.len()
}

fn git_source(url: String, args: &str) -> Source {
    let reference = ["branch", "tag", "ref"]
        .iter()
        .find_map(|k| option(args, k).map(|v| format!("{k}={}", unquote(v))));
    Source::Git {
        url,
        reference,
        revision: None,
    }
}

/// RubyGems.org is the default; any other gem server is a registry of its own.
pub fn registry(remote: &str) -> Source {
    let bare = remote.trim_end_matches('/');
    if bare == "https://rubygems.org"
        || bare == "http://rubygems.org"
        || bare == "https://rubygems.org/quick/Marshal.4.8"
    {
        Source::DefaultRegistry
    } else {
        Source::Registry {
            url: remote.to_string(),
        }
    }
}

pub struct GemfileOnly;

impl Collector for GemfileOnly {
    fn id(&self) -> &'static str {
        "gemfile"
    }

    fn file_names(&self) -> &'static str {
        "Gemfile, gems.rb (without a lock)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        matches!(name, "Gemfile" | "gems.rb")
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let dir = parent(file.path);
        let mut out = Collected::default();
        let lock = if file_name(file.path) == "gems.rb" {
            "gems.locked"
        } else {
            "Gemfile.lock"
        };
        if ctx.tree.is_file(&join(dir, lock).unwrap_or_default()) {
            // The lock describes the same project, completely.
            return Ok(out);
        }
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let root = crate::collect::project(Ecosystem::Gem, None, None, None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        for gem in parse(text, dir) {
            let mut c = Component::new(Ecosystem::Gem, None, &gem.name, None, gem.source.clone())
                .map_err(|e| Diagnostic::error(file.path, Some(gem.line), format!("gem `{}`: {e}", gem.name)))?;
            c.found_in(file.path, Some(gem.line));
            if !gem.requirements.is_empty() {
                c.properties
                    .insert("declared-range".into(), gem.requirements.join(", "));
            }
            if !gem.groups.is_empty() {
                c.properties.insert("gem:groups".into(), gem.groups.join(" "));
            }
            out.depend(
                &root.id,
                c,
                if gem.dev_only() {
                    DependencyKind::Dev
                } else {
                    DependencyKind::Normal
                },
            );
        }
        out.components.push(root);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_come_from_blocks_and_options() {
        let text = r#"
source "https://rubygems.org"
gem "rails", "~> 7.2", ">= 7.2.1"
gem "pg" # the database
group :development, :test do
  gem "debug", platforms: %i[mri windows]
  if ENV["CI"]
    gem "ci_reporter"
  end
end
gem "rspec", group: :test
gem "lucide-rails", github: "maybe-finance/lucide-rails", branch: "main"
gem "local", path: "../local"
gem "sidekiq", groups: [:production, :test]
gem "dotenv", groups: %i[development test]
"#;
        let gems = parse(text, "app");
        let by = |n: &str| gems.iter().find(|g| g.name == n).unwrap();
        assert_eq!(by("rails").requirements, vec!["~> 7.2", ">= 7.2.1"]);
        assert!(!by("pg").dev_only());
        assert!(by("debug").dev_only());
        assert!(by("ci_reporter").dev_only());
        assert!(by("rspec").dev_only());
        assert!(!by("sidekiq").dev_only());
        assert_eq!(
            by("lucide-rails").source,
            Source::Git {
                url: "https://github.com/maybe-finance/lucide-rails.git".into(),
                reference: Some("branch=main".into()),
                revision: None
            }
        );
        assert_eq!(
            by("local").source,
            Source::Path {
                path: Some("local".into())
            }
        );
        assert!(by("dotenv").dev_only());
        assert_eq!(gems.len(), 9);
    }
}
