//! `*.csproj` / `*.fsproj` / `*.vbproj` with no lockfile beside it: the `PackageReference`s as
//! declared direct dependencies, their versions from the item (`Version`, `VersionOverride`)
//! or, with Central Package Management, from the nearest `Directory.Packages.props` above.
//! A NuGet version there is a minimum (`1.2.3` means `[1.2.3, )`): it is kept as declared.

use crate::collect::{file_name, CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Edge, Source};
use crate::tree::{join, parent, Tree};
use foldhash::{HashMap, HashMapExt};

pub struct ProjectFile;

const LOCKS: &[&str] = &["packages.lock.json", "packages.config"];

impl Collector for ProjectFile {
    fn id(&self) -> &'static str {
        "dotnet-project-file"
    }

    fn file_names(&self) -> &'static str {
        "*.csproj, *.fsproj, *.vbproj (only where no packages.lock.json or packages.config is beside it), with Directory.Packages.props"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name.ends_with(".csproj") || name.ends_with(".fsproj") || name.ends_with(".vbproj")
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let dir = parent(file.path);
        let mut out = Collected::default();
        if LOCKS
            .iter()
            .any(|l| ctx.tree.is_file(&join(dir, l).unwrap_or_default()))
        {
            return Ok(out);
        }
        let root = crate::collect::parse_xml(file.path, file.bytes, "project file")?;
        let central = central_versions(ctx.tree, dir);
        let name = file_name(file.path).rsplit_once('.').map(|(s, _)| s.to_string());
        let project = crate::collect::project(Ecosystem::Nuget, None, name.as_deref(), None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        for group in root.children("ItemGroup") {
            for r in group.children("PackageReference") {
                let Some(id) = r.attr("Include").or_else(|| r.attr("Update")) else {
                    continue;
                };
                let version = r
                    .attr("VersionOverride")
                    .map(str::to_string)
                    .or_else(|| r.attr("Version").map(str::to_string))
                    .or_else(|| r.text_of("Version"))
                    .or_else(|| central.get(&id.to_ascii_lowercase()).cloned());
                let exact = version.as_deref().filter(|v| !v.contains(['[', '(', '*', ',']));
                let mut c = Component::new(Ecosystem::Nuget, None, id, exact, Source::DefaultRegistry)
                    .map_err(|e| Diagnostic::error(file.path, None, format!("{id}: {e}")))?;
                match &version {
                    Some(v) => c.properties.insert(
                        "declared-range".into(),
                        if exact.is_some() { format!("[{v}, )") } else { v.clone() },
                    ),
                    None => c.properties.insert("declared-range".into(), "*".into()),
                };
                c.found_in(file.path, None);
                // PrivateAssets may be an attribute or a child element.
                let private = r
                    .attr("PrivateAssets")
                    .map(str::to_string)
                    .or_else(|| r.text_of("PrivateAssets"))
                    .is_some_and(|p| p.eq_ignore_ascii_case("all"));
                let kind = if private {
                    DependencyKind::Build
                } else {
                    DependencyKind::Normal
                };
                out.edges.push(Edge {
                    from: project.id.clone(),
                    to: c.id.clone(),
                    kind,
                });
                out.components.push(c);
            }
        }
        out.components.push(project);
        Ok(out)
    }
}

/// `<PackageVersion Include Version>` of the nearest Directory.Packages.props above `dir`.
fn central_versions(tree: &dyn Tree, dir: &str) -> HashMap<String, String> {
    let mut d = dir.to_string();
    loop {
        let path = join(&d, "Directory.Packages.props").unwrap_or_default();
        if tree.is_file(&path) {
            let text = tree
                .read(&path)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default();
            let Ok(root) = crate::xml::parse(&text) else {
                return HashMap::new();
            };
            return root
                .children("ItemGroup")
                .flat_map(|g| g.children("PackageVersion"))
                .filter_map(|p| Some((p.attr("Include")?.to_ascii_lowercase(), p.attr("Version")?.to_string())))
                .collect();
        }
        if d.is_empty() {
            return HashMap::new();
        }
        d = parent(&d).to_string();
    }
}
