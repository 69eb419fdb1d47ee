//! `pubspec.lock`: every package of the resolution with its source (`hosted` with the
//! archive's SHA-256, `git` with the resolved commit, `path`, `sdk`) and how the project uses
//! it (`direct main`, `direct dev`, `direct overridden`, `transitive`). The lock records no
//! edges between packages, so the project links to each one. In a pub workspace (the
//! `pubspec.yaml` beside the lock lists `workspace:` members) each member is a project of its
//! own, linked to the packages its `pubspec.yaml` declares.

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::SortedMap;
use crate::model::{Component, DependencyKind, Ecosystem, Edge, Hash, HashAlgorithm, Source};
use crate::tree::{join, parent};
use foldhash::{HashMap, HashMapExt};
use serde::Deserialize;
use serde_yaml_ng::Value;

#[derive(Deserialize)]
struct Wire {
    #[serde(default)]
    packages: SortedMap<String, Package>,
    #[serde(default)]
    sdks: SortedMap<String, String>,
}

#[derive(Deserialize)]
struct Package {
    dependency: Option<String>,
    description: Option<Value>,
    source: String,
    version: Option<String>,
}

/// The parts of a `pubspec.yaml` bomsight reads.
#[derive(Deserialize, Default)]
struct Pubspec {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    workspace: Vec<String>,
    #[serde(default)]
    dependencies: Option<SortedMap<String, Value>>,
    #[serde(default)]
    dev_dependencies: Option<SortedMap<String, Value>>,
    #[serde(default)]
    dependency_overrides: Option<SortedMap<String, Value>>,
}

pub struct PubspecLock;

impl Collector for PubspecLock {
    fn id(&self) -> &'static str {
        "pubspec-lock"
    }

    fn file_names(&self) -> &'static str {
        "pubspec.lock (with pubspec.yaml)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "pubspec.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let wire: Wire = crate::collect::parse_yaml(file.path, text, "pubspec.lock")?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let manifest_path = join(dir, "pubspec.yaml").unwrap_or_default();
        let manifest = read_pubspec(ctx, &manifest_path, &mut out).unwrap_or_default();
        let mut root = crate::collect::project(
            Ecosystem::Pub,
            None,
            manifest.name.as_deref(),
            manifest.version.as_deref(),
            dir,
            file.path,
        )
        .map_err(|m| Diagnostic::error(file.path, None, m))?;
        for (sdk, range) in &wire.sdks {
            root.properties.insert(format!("pub:sdk:{sdk}").into(), range.clone());
        }
        let mut ids = HashMap::with_capacity(wire.packages.len());
        let mut kinds = Vec::with_capacity(wire.packages.len());
        for (name, p) in &wire.packages {
            let c = component(name, p, dir, file.path)
                .map_err(|m| Diagnostic::error(file.path, None, format!("package `{name}`: {m}")))?;
            ids.insert(name.as_str(), c.id.clone());
            kinds.push((c.id.clone(), p.dependency.clone().unwrap_or_default()));
            out.components.push(c);
        }
        if manifest.workspace.is_empty() {
            for (id, dependency) in kinds {
                let kind = if dependency == "direct dev" {
                    DependencyKind::Dev
                } else {
                    DependencyKind::Normal
                };
                out.edges.push(link(&root, id, kind));
            }
        } else {
            // Direct dependencies belong to the members that declare them.
            for (id, dependency) in &kinds {
                if dependency == "transitive" {
                    out.edges.push(link(&root, id.clone(), DependencyKind::Normal));
                }
            }
            let mut members = Vec::new();
            for pattern in &manifest.workspace {
                let dirs = crate::tree::expand_dirs(ctx.tree, dir, pattern);
                if dirs.is_empty() {
                    out.diagnostics.push(Diagnostic::warning(
                        file.path,
                        None,
                        format!("workspace member `{pattern}` matches no directory"),
                    ));
                }
                for member_dir in dirs {
                    let member_path = join(&member_dir, "pubspec.yaml").unwrap_or_default();
                    let Some(pubspec) = read_pubspec(ctx, &member_path, &mut out) else {
                        out.diagnostics.push(Diagnostic::warning(
                            file.path,
                            None,
                            format!("workspace member `{member_dir}` has no readable pubspec.yaml"),
                        ));
                        continue;
                    };
                    let project = crate::collect::project(
                        Ecosystem::Pub,
                        None,
                        pubspec.name.as_deref(),
                        pubspec.version.as_deref(),
                        &member_dir,
                        &member_path,
                    )
                    .map_err(|m| Diagnostic::error(&member_path, None, m))?;
                    members.push((project, pubspec));
                }
            }
            // Members depend on each other by path; those dependencies are not in the lock.
            let mut targets = ids.clone();
            for (project, pubspec) in &members {
                if let Some(name) = &pubspec.name {
                    targets.entry(name.as_str()).or_insert_with(|| project.id.clone());
                }
            }
            add_own_dependencies(&root, &manifest, &targets, &mut out);
            for (project, pubspec) in &members {
                add_own_dependencies(project, pubspec, &targets, &mut out);
            }
            out.components.extend(members.into_iter().map(|(project, _)| project));
        }
        out.components.push(root);
        Ok(out)
    }
}

fn link(from: &Component, to: crate::model::ComponentId, kind: DependencyKind) -> Edge {
    Edge {
        from: from.id.clone(),
        to,
        kind,
    }
}

/// Links a workspace project to the locked packages its pubspec declares.
fn add_own_dependencies(
    project: &Component,
    pubspec: &Pubspec,
    ids: &HashMap<&str, crate::model::ComponentId>,
    out: &mut Collected,
) {
    let lists = [
        (&pubspec.dependencies, DependencyKind::Normal),
        (&pubspec.dependency_overrides, DependencyKind::Normal),
        (&pubspec.dev_dependencies, DependencyKind::Dev),
    ];
    for (list, kind) in lists {
        for name in list.iter().flat_map(|m| m.keys()) {
            if let Some(id) = ids.get(name.as_str()) {
                out.edges.push(link(project, id.clone(), kind));
            }
        }
    }
}

fn read_pubspec(ctx: &CollectContext<'_>, path: &str, out: &mut Collected) -> Option<Pubspec> {
    let bytes = ctx.tree.read(path).ok()?;
    let parsed = match crate::text::decode_utf8(&bytes) {
        Ok(text) => crate::collect::parse_yaml(path, text, "pubspec.yaml"),
        Err((line, message)) => Err(Diagnostic::error(path, line, message)),
    };
    match parsed {
        Ok(p) => Some(p),
        Err(e) => {
            out.diagnostics
                .push(Diagnostic::warning(path, e.line, format!("ignored: {}", e.message)));
            None
        }
    }
}

fn text<'a>(description: Option<&'a Value>, key: &str) -> Option<&'a str> {
    description?.get(key)?.as_str()
}

fn component(name: &str, p: &Package, dir: &str, path: &str) -> Result<Component, String> {
    let d = p.description.as_ref();
    let source = match p.source.as_str() {
        "hosted" => match text(d, "url") {
            Some(url) if !is_pub_dev(url) => Source::Registry { url: url.to_string() },
            _ => Source::DefaultRegistry,
        },
        "git" => Source::Git {
            url: text(d, "url").ok_or("git package without a url")?.to_string(),
            reference: text(d, "ref").map(|r| format!("ref={r}")),
            revision: text(d, "resolved-ref").map(str::to_string),
        },
        "path" => {
            let at = text(d, "path").ok_or("path package without a path")?;
            let relative = d
                .and_then(|d| d.get("relative"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            Source::Path {
                path: if relative { join(dir, at) } else { None },
            }
        }
        // Packages of the Dart or Flutter SDK (`flutter`, `flutter_test`) come with the SDK.
        "sdk" => Source::Path { path: None },
        other => return Err(format!("unknown source `{other}`")),
    };
    let version = p.version.as_deref();
    let mut c =
        Component::new(Ecosystem::Pub, None, name, version, source).map_err(|e| format!("cannot build a purl: {e}"))?;
    if let Some(sha) = text(d, "sha256") {
        c.hashes
            .insert(Hash::from_hex(HashAlgorithm::Sha256, sha).map_err(|e| format!("sha256: {e}"))?);
    }
    if p.source == "sdk" {
        let sdk = d.and_then(Value::as_str).unwrap_or("dart");
        c.properties.insert("pub:sdk".into(), sdk.to_string());
    }
    if let Some(sub) = text(d, "path").filter(|_| p.source == "git").filter(|s| *s != ".") {
        c.properties.insert("pub:git-path".into(), sub.to_string());
    }
    if let Some(dep) = &p.dependency {
        c.properties.insert("pub:dependency".into(), dep.clone());
    }
    c.found_in(path, None);
    Ok(c)
}

fn is_pub_dev(url: &str) -> bool {
    let bare = url.trim_end_matches('/');
    matches!(bare, "https://pub.dev" | "https://pub.dartlang.org")
}
