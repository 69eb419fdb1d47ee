//! Gradle: dependency lockfiles (`gradle.lockfile`, `buildscript-gradle.lockfile`,
//! `settings-gradle.lockfile`) and `gradle/verification-metadata.xml`, whose checksums attach
//! to the components they verify (same purl: one node).

mod catalog;
mod lockfile;
mod verification;

pub use catalog::VersionCatalog;
pub use lockfile::GradleLock;
pub use verification::VerificationMetadata;

use crate::model::{Component, Ecosystem, Source};

/// `group:artifact:version` as a Maven component.
pub fn maven(group: &str, artifact: &str, version: &str) -> Result<Component, String> {
    Component::new(
        Ecosystem::Maven,
        Some(group),
        artifact,
        Some(version),
        Source::DefaultRegistry,
    )
    .map_err(|e| format!("`{group}:{artifact}:{version}`: cannot build a purl: {e}"))
}
