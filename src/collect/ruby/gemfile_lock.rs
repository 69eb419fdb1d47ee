//! Bundler's `Gemfile.lock` (and `gems.locked`): `GEM`, `GIT`, `PATH` and `PLUGIN SOURCE`
//! sections with their specs and each spec's dependency lines (the edges), `PLATFORMS`,
//! `DEPENDENCIES` (the project's direct gems, `!` for a non-default source), `CHECKSUMS`
//! (Bundler 2.5+), `RUBY VERSION` and `BUNDLED WITH`. A `Gemfile` beside the lock tells which
//! direct gems are only for development and tests.

use super::gemfile::{self, DeclaredGem};
use crate::collect::{file_name, CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Edge, Hash, HashAlgorithm, Source};
use crate::tree::{join, parent};
use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;

/// One gem of a source section.
#[derive(Debug)]
struct Spec {
    name: String,
    version: String,
    platform: Option<String>,
    source: Source,
    dependencies: Vec<String>,
    line: usize,
}

#[derive(Debug, Default)]
struct Lock {
    specs: Vec<Spec>,
    /// (name, source pinned with `!`, line)
    dependencies: Vec<(String, bool, usize)>,
    platforms: Vec<String>,
    /// `name (version[-platform])` → hashes
    checksums: HashMap<String, Vec<Hash>>,
    ruby_version: Option<String>,
    bundled_with: Option<String>,
}

pub struct GemfileLock;

impl Collector for GemfileLock {
    fn id(&self) -> &'static str {
        "gemfile-lock"
    }

    fn file_names(&self) -> &'static str {
        "Gemfile.lock, gems.locked"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        matches!(name, "Gemfile.lock" | "gems.locked")
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let dir = parent(file.path);
        let lock = parse(text, dir).map_err(|(line, msg)| Diagnostic::error(file.path, Some(line), msg))?;
        let declared = declared_gems(ctx, file.path, dir);
        let mut out = Collected::default();
        let mut root = crate::collect::project(Ecosystem::Gem, None, None, None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        for (key, value) in [
            ("gem:ruby-version", &lock.ruby_version),
            ("gem:bundled-with", &lock.bundled_with),
        ] {
            if let Some(v) = value {
                root.properties.insert(key.into(), v.clone());
            }
        }
        if !lock.platforms.is_empty() {
            root.properties.insert("gem:platforms".into(), lock.platforms.join(" "));
        }
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::with_capacity(lock.specs.len());
        let mut built = Vec::with_capacity(lock.specs.len());
        for (i, spec) in lock.specs.iter().enumerate() {
            let c = component(spec, &lock, file.path)
                .map_err(|m| Diagnostic::error(file.path, Some(spec.line), format!("gem `{}`: {m}", spec.name)))?;
            by_name.entry(spec.name.as_str()).or_default().push(i);
            built.push(c);
        }
        for (spec, c) in lock.specs.iter().zip(&built) {
            for dep in &spec.dependencies {
                for &j in by_name.get(dep.as_str()).into_iter().flatten() {
                    out.edges.push(Edge {
                        from: c.id.clone(),
                        to: built[j].id.clone(),
                        kind: DependencyKind::Normal,
                    });
                }
            }
        }
        for (name, _, _) in &lock.dependencies {
            let dev = declared
                .as_ref()
                .and_then(|gems| gems.get(name.as_str()))
                .is_some_and(|g| g.iter().all(|g| g.dev_only()));
            // A gem for other platforms only (tzinfo-data on Windows) has no spec: nothing to link.
            for &j in by_name.get(name.as_str()).into_iter().flatten() {
                out.edges.push(Edge {
                    from: root.id.clone(),
                    to: built[j].id.clone(),
                    kind: if dev {
                        DependencyKind::Dev
                    } else {
                        DependencyKind::Normal
                    },
                });
            }
        }
        out.components.extend(built);
        out.components.push(root);
        Ok(out)
    }
}

/// The Gemfile beside the lock, by gem name (a gem may be declared twice, per platform).
fn declared_gems(ctx: &CollectContext<'_>, lock_path: &str, dir: &str) -> Option<BTreeMap<String, Vec<DeclaredGem>>> {
    let name = if file_name(lock_path) == "gems.locked" {
        "gems.rb"
    } else {
        "Gemfile"
    };
    let bytes = ctx.tree.read(&join(dir, name)?).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let mut out: BTreeMap<String, Vec<DeclaredGem>> = BTreeMap::new();
    for gem in gemfile::parse(text, dir) {
        out.entry(gem.name.clone()).or_default().push(gem);
    }
    Some(out)
}

fn component(spec: &Spec, lock: &Lock, path: &str) -> Result<Component, String> {
    let mut c = Component::new(
        Ecosystem::Gem,
        None,
        &spec.name,
        Some(&spec.version),
        spec.source.clone(),
    )
    .map_err(|e| format!("cannot build a purl: {e}"))?;
    if let Some(p) = &spec.platform {
        c.extend_purl(&[("platform", p)], None).map_err(|e| e.to_string())?;
    }
    let key = match &spec.platform {
        Some(p) => format!("{} ({}-{p})", spec.name, spec.version),
        None => format!("{} ({})", spec.name, spec.version),
    };
    if let Some(hashes) = lock.checksums.get(&key) {
        c.hashes.extend(hashes.iter().cloned());
    }
    if let Source::Path { .. } = spec.source {
        c.properties.insert("gem:path".into(), "true".into());
    }
    c.found_in(path, Some(spec.line));
    Ok(c)
}

/// Which part of the lockfile a line belongs to.
#[derive(Clone, Copy, PartialEq)]
enum Section {
    Source,
    Platforms,
    Dependencies,
    Checksums,
    RubyVersion,
    BundledWith,
    Unknown,
}

/// The attributes of the source section being read.
#[derive(Default)]
struct SourceHeader {
    kind: String,
    remotes: Vec<String>,
    revision: Option<String>,
    reference: Option<String>,
}

impl SourceHeader {
    fn source(&self, dir: &str) -> Result<Source, String> {
        let remote = self.remotes.first().cloned().unwrap_or_default();
        Ok(match self.kind.as_str() {
            "GEM" => gemfile::registry(&remote),
            "GIT" => Source::Git {
                url: remote,
                reference: self.reference.clone(),
                revision: self.revision.clone(),
            },
            "PATH" => {
                let path = join(dir, &remote).ok_or_else(|| format!("PATH `{remote}` leaves the scanned tree"))?;
                Source::Path {
                    path: Some(if path.is_empty() { ".".to_string() } else { path }),
                }
            }
            _ => Source::Registry { url: remote },
        })
    }
}

fn parse(text: &str, dir: &str) -> Result<Lock, (usize, String)> {
    let mut lock = Lock::default();
    let mut section = Section::Unknown;
    let mut header = SourceHeader::default();
    let mut source: Option<Source> = None;
    let mut sections_seen = 0;
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with("<<<<<<<") || line.starts_with(">>>>>>>") || line.starts_with("=======") {
            return Err((number, "unresolved merge conflict".into()));
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == 0 {
            sections_seen += 1;
            source = None;
            header = SourceHeader {
                kind: line.to_string(),
                ..SourceHeader::default()
            };
            section = match line {
                "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => Section::Source,
                "PLATFORMS" => Section::Platforms,
                "DEPENDENCIES" => Section::Dependencies,
                "CHECKSUMS" => Section::Checksums,
                "RUBY VERSION" => Section::RubyVersion,
                "BUNDLED WITH" => Section::BundledWith,
                // Sections a newer Bundler may add are skipped, not guessed at.
                _ => Section::Unknown,
            };
            continue;
        }
        let body = line.trim_start_matches(' ');
        match section {
            Section::Source => match indent {
                2 if body == "specs:" => source = Some(header.source(dir).map_err(|m| (number, m))?),
                2 => {
                    let (key, value) = body
                        .split_once(": ")
                        .or_else(|| body.strip_suffix(':').map(|k| (k, "")))
                        .ok_or_else(|| {
                            (
                                number,
                                format!("expected `key: value` in {}, found `{body}`", header.kind),
                            )
                        })?;
                    match key {
                        "remote" => header.remotes.push(value.to_string()),
                        "revision" => header.revision = Some(value.to_string()),
                        "branch" | "tag" | "ref" => header.reference = Some(format!("{key}={value}")),
                        _ => {}
                    }
                }
                4 => {
                    let source = source
                        .clone()
                        .ok_or_else(|| (number, "spec before `specs:`".to_string()))?;
                    let (name, version) = name_and_parenthesis(body).map_err(|m| (number, m))?;
                    let version = version.ok_or_else(|| (number, format!("spec `{name}` has no version")))?;
                    let (version, platform) = match version.split_once('-') {
                        Some((v, p)) => (v.to_string(), Some(p.to_string())),
                        None => (version.to_string(), None),
                    };
                    lock.specs.push(Spec {
                        name: name.to_string(),
                        version,
                        platform,
                        source,
                        dependencies: Vec::new(),
                        line: number,
                    });
                }
                6 => {
                    let (name, _) = name_and_parenthesis(body).map_err(|m| (number, m))?;
                    let spec = lock
                        .specs
                        .last_mut()
                        .filter(|_| source.is_some())
                        .ok_or_else(|| (number, "dependency line before any spec".to_string()))?;
                    spec.dependencies.push(name.to_string());
                }
                _ => return Err((number, format!("unexpected indentation in {}", header.kind))),
            },
            Section::Platforms => lock.platforms.push(body.to_string()),
            Section::Dependencies => {
                // `name!` or `name (>= 1.0)!`: the gem comes from a source of its own.
                let pinned = body.ends_with('!');
                let (name, _) = name_and_parenthesis(body.trim_end_matches('!')).map_err(|m| (number, m))?;
                lock.dependencies.push((name.to_string(), pinned, number));
            }
            Section::Checksums => {
                // `name (version[-platform]) sha256=HEX[,sha512=HEX]`; git and path gems have none.
                let close = body
                    .find(')')
                    .ok_or_else(|| (number, format!("malformed checksum line `{body}`")))?;
                let key = &body[..=close];
                let mut hashes = Vec::new();
                for pair in body[close + 1..].split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let (alg, value) = pair
                        .split_once('=')
                        .ok_or_else(|| (number, format!("malformed checksum `{pair}`")))?;
                    let algorithm = match alg {
                        "sha256" => HashAlgorithm::Sha256,
                        "sha512" => HashAlgorithm::Sha512,
                        "sha1" => HashAlgorithm::Sha1,
                        _ => continue,
                    };
                    hashes.push(Hash::from_hex(algorithm, value).map_err(|e| (number, format!("{key}: {e}")))?);
                }
                lock.checksums.insert(key.to_string(), hashes);
            }
            Section::RubyVersion => lock.ruby_version = Some(body.trim().to_string()),
            Section::BundledWith => lock.bundled_with = Some(body.trim().to_string()),
            Section::Unknown => {}
        }
    }
    if sections_seen == 0 {
        return Err((1, "no sections: not a Gemfile.lock".into()));
    }
    Ok(lock)
}

/// `name` or `name (text)`.
fn name_and_parenthesis(body: &str) -> Result<(&str, Option<&str>), String> {
    match body.split_once(" (") {
        Some((name, rest)) => {
            let inner = rest
                .strip_suffix(')')
                .ok_or_else(|| format!("unclosed parenthesis in `{body}`"))?;
            Ok((name, Some(inner)))
        }
        None if body.contains(char::is_whitespace) => Err(format!("malformed line `{body}`")),
        None => Ok((body, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = "GIT
  remote: https://github.com/a/icons.git
  revision: 0123456789abcdef0123456789abcdef01234567
  branch: main
  specs:
    icons (0.2.0)
      railties (>= 4.1.0)

GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.16.0-arm64-darwin)
      racc (~> 1.4)
    nokogiri (1.16.0-x86_64-linux)
      racc (~> 1.4)
    racc (1.7.3)
    railties (7.2.2)

PLATFORMS
  arm64-darwin
  x86_64-linux

DEPENDENCIES
  icons!
  nokogiri
  tzinfo-data

CHECKSUMS
  nokogiri (1.16.0-x86_64-linux) sha256=aa00000000000000000000000000000000000000000000000000000000000000
  racc (1.7.3)

BUNDLED WITH
   2.6.3
";

    #[test]
    fn specs_platforms_dependencies_and_checksums() {
        let lock = parse(LOCK, "").unwrap();
        assert_eq!(lock.specs.len(), 5);
        assert_eq!(lock.specs[1].platform.as_deref(), Some("arm64-darwin"));
        assert_eq!(lock.specs[1].version, "1.16.0");
        assert_eq!(lock.specs[1].dependencies, vec!["racc"]);
        assert!(matches!(&lock.specs[0].source, Source::Git { reference: Some(r), .. } if r == "branch=main"));
        assert_eq!(lock.dependencies[0], ("icons".to_string(), true, 24));
        assert_eq!(lock.checksums["nokogiri (1.16.0-x86_64-linux)"].len(), 1);
        assert!(lock.checksums["racc (1.7.3)"].is_empty());
        assert_eq!(lock.bundled_with.as_deref(), Some("2.6.3"));
        let c = component(&lock.specs[2], &lock, "Gemfile.lock").unwrap();
        assert_eq!(c.purl.as_deref(), Some("pkg:gem/nokogiri@1.16.0?platform=x86_64-linux"));
        assert_eq!(c.hashes.len(), 1);
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let err = parse("GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0\n", "").unwrap_err();
        assert_eq!(err.0, 4);
        let err = parse("GEM\n  specs:\n     rack (3.0)\n", "").unwrap_err();
        assert_eq!(err.0, 3);
    }
}
