//! Gradle dependency lockfiles: one `group:artifact:version=configuration,…` line per
//! module, `empty=…` for configurations that resolve nothing. The graph is flat (the lock
//! records no edges); the configurations give the scope: test ones are dev, build tooling
//! (buildscript and settings classpaths, annotation processors, documentation and lint
//! plugins) is build, the rest is required.

use crate::collect::{file_name, CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{DependencyKind, Ecosystem, Edge, Role};
use crate::tree::parent;

pub struct GradleLock;

const LOCKFILES: &[&str] = &[
    "gradle.lockfile",
    "buildscript-gradle.lockfile",
    "settings-gradle.lockfile",
];
const TOOLING: &[&str] = &[
    "dokka",
    "kapt",
    "ksp",
    "annotationprocessor",
    "detekt",
    "ktlint",
    "lint",
    "jacoco",
    "spotbugs",
    "checkstyle",
    "pmd",
    "kotlincompilerplugin",
    "kotlinnativecompilerplugin",
    "kotlinscriptdef",
];

/// The edge kind a set of configurations gives: the strongest among them.
fn kind_of(file: &str, configurations: &[&str]) -> DependencyKind {
    if file != "gradle.lockfile" {
        return DependencyKind::Build; // buildscript and settings plugins
    }
    let one = |c: &str| {
        let c = c.to_ascii_lowercase();
        if c.contains("test") {
            DependencyKind::Dev
        } else if TOOLING.iter().any(|t| c.contains(t)) {
            DependencyKind::Build
        } else {
            DependencyKind::Normal
        }
    };
    let kinds: Vec<DependencyKind> = configurations.iter().map(|c| one(c)).collect();
    [DependencyKind::Normal, DependencyKind::Build, DependencyKind::Dev]
        .into_iter()
        .find(|k| kinds.contains(k))
        .unwrap_or(DependencyKind::Normal)
}

impl Collector for GradleLock {
    fn id(&self) -> &'static str {
        "gradle-lockfile"
    }

    fn file_names(&self) -> &'static str {
        "gradle.lockfile, buildscript-gradle.lockfile, settings-gradle.lockfile"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        LOCKFILES.contains(&name)
    }

    fn collect(&self, file: &SourceFile<'_>, _ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let dir = parent(file.path);
        let mut out = Collected::default();
        let mut root = crate::collect::project(Ecosystem::Maven, None, None, None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        root.role = Role::Project;
        let name = file_name(file.path);
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (gav, configurations) = line.split_once('=').ok_or_else(|| {
                Diagnostic::error(
                    file.path,
                    Some(i + 1),
                    format!("`{line}` is not `group:artifact:version=configurations`"),
                )
            })?;
            if gav == "empty" {
                continue;
            }
            let parts: Vec<&str> = gav.split(':').collect();
            let [group, artifact, version] = parts.as_slice() else {
                return Err(Diagnostic::error(
                    file.path,
                    Some(i + 1),
                    format!("`{gav}` is not group:artifact:version"),
                ));
            };
            let configurations: Vec<&str> = configurations
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            let mut c =
                super::maven(group, artifact, version).map_err(|m| Diagnostic::error(file.path, Some(i + 1), m))?;
            c.properties
                .insert("gradle:configurations".into(), configurations.join(","));
            c.found_in(file.path, Some(i + 1));
            out.edges.push(Edge {
                from: root.id.clone(),
                to: c.id.clone(),
                kind: kind_of(name, &configurations),
            });
            out.components.push(c);
        }
        out.components.push(root);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configurations_give_the_scope() {
        assert_eq!(
            kind_of("gradle.lockfile", &["runtimeClasspath", "testRuntimeClasspath"]),
            DependencyKind::Normal
        );
        assert_eq!(
            kind_of("gradle.lockfile", &["testCompileClasspath"]),
            DependencyKind::Dev
        );
        assert_eq!(
            kind_of("gradle.lockfile", &["dokkaHtmlPlugin", "testRuntimeClasspath"]),
            DependencyKind::Build
        );
        assert_eq!(
            kind_of("buildscript-gradle.lockfile", &["classpath"]),
            DependencyKind::Build
        );
    }
}
