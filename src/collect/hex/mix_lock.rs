//! `mix.lock`: a map from app name to `{:hex, :package, version, inner checksum, managers,
//! deps, repository, outer checksum}` (the outer checksum is the SHA-256 of the package
//! tarball; older locks stop after the inner one) or `{:git, url, commit, options}`. Each hex
//! entry's deps (`{:app, requirement, [hex: :pkg, repo: r, optional: bool]}`) are its edges.
//! The project's own dependencies come from `mix.exs` (and the apps of an umbrella).

use super::mix_exs;
use super::terms::{parse_all, Dialect, Term};
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, ComponentId, DependencyKind, Ecosystem, Edge, Hash, HashAlgorithm, Source};
use crate::tree::{join, parent};
use foldhash::{HashSet, HashSetExt};
use std::collections::BTreeMap;

pub struct MixLock;

impl Collector for MixLock {
    fn id(&self) -> &'static str {
        "mix-lock"
    }

    fn file_names(&self) -> &'static str {
        "mix.lock (with mix.exs)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "mix.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let at_line = |(offset, msg): (usize, String)| {
            Diagnostic::error(
                file.path,
                Some(crate::text::line_of_offset(text.as_bytes(), offset)),
                msg,
            )
        };
        let terms = parse_all(text, Dialect::Elixir).map_err(at_line)?;
        let entries = match terms.as_slice() {
            [Term::Map(entries)] => entries,
            [] => return Err(Diagnostic::error(file.path, None, "empty file")),
            _ => {
                return Err(Diagnostic::error(
                    file.path,
                    None,
                    "not a mix.lock: expected one map `%{...}`",
                ))
            }
        };
        let dir = parent(file.path);
        let mut out = Collected::default();
        let root = crate::collect::project(Ecosystem::Hex, None, None, None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        let mut ids: BTreeMap<&str, ComponentId> = BTreeMap::new();
        let mut deps_of: Vec<(ComponentId, Vec<(String, bool)>)> = Vec::new();
        for (key, value) in entries {
            let app = key
                .as_str()
                .ok_or_else(|| Diagnostic::error(file.path, None, "a key of the map is not a name"))?;
            let (mut c, deps) =
                entry(app, value).map_err(|m| Diagnostic::error(file.path, None, format!("`{app}`: {m}")))?;
            c.found_in(file.path, None);
            ids.insert(app, c.id.clone());
            deps_of.push((c.id.clone(), deps));
            out.components.push(c);
        }
        let mut depended_on = HashSet::new();
        for (from, deps) in &deps_of {
            for (dep, optional) in deps {
                let Some(to) = ids.get(dep.as_str()) else {
                    // An optional dependency nothing asked for is not installed: not a gap.
                    if *optional {
                        continue;
                    }
                    out.diagnostics.push(Diagnostic::warning(
                        file.path,
                        None,
                        format!("{from}: dependency `{dep}` is not in the lock"),
                    ));
                    continue;
                };
                depended_on.insert(dep.as_str());
                out.edges.push(Edge {
                    from: from.clone(),
                    to: to.clone(),
                    kind: if *optional {
                        DependencyKind::Optional
                    } else {
                        DependencyKind::Normal
                    },
                });
            }
        }
        match declared(ctx, dir) {
            Some(declared) => {
                for d in declared {
                    if let Some(to) = ids.get(d.app.as_str()) {
                        out.edges.push(Edge {
                            from: root.id.clone(),
                            to: to.clone(),
                            kind: if d.dev_only {
                                DependencyKind::Dev
                            } else {
                                DependencyKind::Normal
                            },
                        });
                    }
                }
            }
            None => {
                for (_, id) in ids.iter().filter(|(app, _)| !depended_on.contains(*app)) {
                    out.edges.push(Edge {
                        from: root.id.clone(),
                        to: id.clone(),
                        kind: DependencyKind::Normal,
                    });
                }
            }
        }
        link_unreachable(&root.id, &ids, &deps_of, &mut out.edges);
        out.components.push(root);
        Ok(out)
    }
}

/// Every entry is locked because the project needs it, through `mix.exs` lines this reader
/// cannot follow (`deps()` built by function calls) if not through the ones it can: the root
/// gets an edge to each still-unreachable entry that no other unreachable entry depends on (in
/// a cycle of them, the first by name), until all are reachable.
fn link_unreachable(
    root: &ComponentId,
    ids: &BTreeMap<&str, ComponentId>,
    deps_of: &[(ComponentId, Vec<(String, bool)>)],
    edges: &mut Vec<Edge>,
) {
    let deps: BTreeMap<&ComponentId, Vec<&ComponentId>> = deps_of
        .iter()
        .map(|(from, ds)| (from, ds.iter().filter_map(|(d, _)| ids.get(d.as_str())).collect()))
        .collect();
    loop {
        let mut reached: HashSet<&ComponentId> = HashSet::new();
        let mut todo: Vec<&ComponentId> = edges.iter().filter(|e| &e.from == root).map(|e| &e.to).collect();
        while let Some(n) = todo.pop() {
            if reached.insert(n) {
                todo.extend(deps.get(n).into_iter().flatten().copied());
            }
        }
        let unreached: Vec<&ComponentId> = ids.values().filter(|id| !reached.contains(id)).collect();
        if unreached.is_empty() {
            return;
        }
        let inner: HashSet<&ComponentId> = unreached
            .iter()
            .flat_map(|u| deps.get(u).into_iter().flatten().copied().filter(move |d| d != u))
            .collect();
        let mut tops: Vec<&ComponentId> = unreached.iter().copied().filter(|u| !inner.contains(u)).collect();
        if tops.is_empty() {
            tops.push(unreached[0]);
        }
        for to in tops {
            edges.push(Edge {
                from: root.clone(),
                to: to.clone(),
                kind: DependencyKind::Normal,
            });
        }
    }
}

/// The dependencies `mix.exs` declares (with an umbrella's apps), if there is one.
fn declared(ctx: &CollectContext<'_>, dir: &str) -> Option<Vec<mix_exs::Declared>> {
    let read = |path: &str| ctx.tree.read(path).ok().and_then(|b| String::from_utf8(b).ok());
    let text = read(&join(dir, "mix.exs")?)?;
    let mut all = mix_exs::declared(&text);
    if let Some(apps) = mix_exs::apps_path(&text).and_then(|a| join(dir, &a)) {
        for app in ctx.tree.subdirs(&apps).unwrap_or_default() {
            if let Some(t) = join(&apps, &app)
                .and_then(|d| join(&d, "mix.exs"))
                .and_then(|p| read(&p))
            {
                all.extend(mix_exs::declared(&t));
            }
        }
    }
    Some(all)
}

/// One lock entry: the component and its (dependency app, optional) pairs.
fn entry(app: &str, value: &Term) -> Result<(Component, Vec<(String, bool)>), String> {
    let items = value.items();
    match items.first() {
        Some(Term::Atom(kind)) if kind == "hex" => {
            let package = items.get(1).and_then(Term::as_str).ok_or("no package name")?;
            let version = items.get(2).and_then(Term::as_str).ok_or("no version")?;
            let repo = items.get(6).and_then(Term::as_str).unwrap_or("hexpm");
            let (org, source) = super::repository(repo);
            let mut c = Component::new(Ecosystem::Hex, org.as_deref(), package, Some(version), source)
                .map_err(|e| format!("cannot build a purl: {e}"))?;
            if let Some(inner) = items.get(3).and_then(Term::as_str) {
                c.properties
                    .insert("hex:inner-checksum".into(), inner.to_ascii_lowercase());
            }
            if let Some(outer) = items.get(7).and_then(Term::as_str) {
                c.hashes
                    .insert(Hash::from_hex(HashAlgorithm::Sha256, outer).map_err(|e| format!("outer checksum: {e}"))?);
            }
            let managers: Vec<&str> = items
                .get(4)
                .map(|m| m.items().iter().filter_map(Term::as_str).collect())
                .unwrap_or_default();
            if !managers.is_empty() {
                c.properties.insert("hex:build-tools".into(), managers.join(" "));
            }
            if app != package {
                c.properties.insert("hex:app".into(), app.to_string());
            }
            let deps = items
                .get(5)
                .map(|d| {
                    d.items()
                        .iter()
                        .filter_map(|dep| {
                            let parts = dep.items();
                            let name = parts.first()?.as_str()?.to_string();
                            let optional =
                                parts.get(2).and_then(|o| o.keyword("optional")) == Some(&Term::Atom("true".into()));
                            Some((name, optional))
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok((c, deps))
        }
        Some(Term::Atom(kind)) if kind == "git" => {
            let url = items.get(1).and_then(Term::as_str).ok_or("git entry without a URL")?;
            let revision = items.get(2).and_then(Term::as_str).map(str::to_string);
            let opts = items.get(3);
            let reference = ["branch", "tag", "ref"].iter().find_map(|k| {
                let v = opts?.keyword(k)?.as_str()?;
                super::git_reference(k, v)
            });
            let c = Component::new(
                Ecosystem::Hex,
                None,
                app,
                None,
                Source::Git {
                    url: url.to_string(),
                    reference,
                    revision,
                },
            )
            .map_err(|e| format!("cannot build a purl: {e}"))?;
            Ok((c, Vec::new()))
        }
        Some(Term::Atom(kind)) => Err(format!("unknown kind of entry `:{kind}`")),
        _ => Err("entry is not a tuple starting with :hex or :git".into()),
    }
}
