//! `packages.config` (NuGet's older format): one `<package id version>` per direct or
//! transitive package, flat; `developmentDependency="true"` is dev.

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Edge, Source};
use crate::tree::parent;

pub struct PackagesConfig;

impl Collector for PackagesConfig {
    fn id(&self) -> &'static str {
        "nuget-packages-config"
    }

    fn file_names(&self) -> &'static str {
        "packages.config (NuGet)"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "packages.config"
    }

    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let root = crate::collect::parse_xml(file.path, file.bytes, "packages.config")?;
        if root.name != "packages" {
            return Err(Diagnostic::error(
                file.path,
                None,
                format!("the root element is `{}`, not `packages`", root.name),
            ));
        }
        let dir = parent(file.path);
        let name = super::project_name(ctx, dir);
        let project = crate::collect::project(Ecosystem::Nuget, None, name.as_deref(), None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        let mut out = Collected::default();
        for p in root.children("package") {
            let (Some(id), Some(version)) = (p.attr("id"), p.attr("version")) else {
                out.diagnostics.push(Diagnostic::warning(
                    file.path,
                    None,
                    "a <package> without id or version",
                ));
                continue;
            };
            let mut c = Component::new(Ecosystem::Nuget, None, id, Some(version), Source::DefaultRegistry)
                .map_err(|e| Diagnostic::error(file.path, None, format!("{id}: {e}")))?;
            if let Some(tf) = p.attr("targetFramework") {
                c.properties.insert("nuget:frameworks".into(), tf.to_string());
            }
            c.found_in(file.path, None);
            let kind = if p.attr("developmentDependency") == Some("true") {
                DependencyKind::Dev
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
        out.components.push(project);
        Ok(out)
    }
}
