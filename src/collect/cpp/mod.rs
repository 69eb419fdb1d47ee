//! C and C++: Conan lockfiles (Conan 1 graph locks, Conan 2 locks), `conanfile.txt`, and
//! vcpkg manifests.

mod conan_lock;
mod conanfile_txt;
mod vcpkg;

pub use conan_lock::ConanLock;
pub use conanfile_txt::ConanfileTxt;
pub use vcpkg::VcpkgManifest;

use crate::model::{Component, Ecosystem, Source};

/// A Conan reference `name/version[@user/channel][#rrev[%timestamp]]`. The recipe revision,
/// user and channel are purl qualifiers (as the purl spec defines for `conan`).
pub fn conan_component(reference: &str, package_revision: Option<&str>) -> Result<Component, String> {
    let (recipe, revision) = reference.split_once('#').unwrap_or((reference, ""));
    let (revision, timestamp) = revision.split_once('%').unwrap_or((revision, ""));
    let (name_version, user_channel) = recipe.split_once('@').unwrap_or((recipe, ""));
    let (name, version) = name_version
        .split_once('/')
        .ok_or_else(|| format!("`{reference}` is not name/version"))?;
    let (user, channel) = user_channel.split_once('/').unwrap_or((user_channel, ""));
    if name.is_empty() || version.is_empty() {
        return Err(format!("`{reference}` is not name/version"));
    }
    // A version range (`[>=1.0 <2]`) is what was asked for, not what was resolved.
    let exact = (!version.starts_with('[')).then_some(version);
    let mut c = Component::new(Ecosystem::Conan, None, name, exact, Source::DefaultRegistry)
        .map_err(|e| format!("`{reference}`: cannot build a purl: {e}"))?;
    let user = if user == "_" { "" } else { user };
    let channel = if channel == "_" { "" } else { channel };
    let qualifiers = [
        ("user", user),
        ("channel", channel),
        ("rrev", revision),
        ("prev", package_revision.unwrap_or("")),
    ];
    c.extend_purl(&qualifiers, None)
        .map_err(|e| format!("`{reference}`: {e}"))?;
    if exact.is_none() {
        c.properties.insert("declared-range".into(), version.to_string());
    }
    if !timestamp.is_empty() {
        c.properties.insert("conan:revision-time".into(), timestamp.to_string());
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_carry_user_channel_and_revisions() {
        let c = conan_component("acme-logging/3.1.0@acme/stable#8738%1700000000.5", None).unwrap();
        assert_eq!(
            c.purl.as_deref(),
            Some("pkg:conan/acme-logging@3.1.0?channel=stable&rrev=8738&user=acme")
        );
        assert_eq!(c.properties["conan:revision-time"], "1700000000.5");
        let c = conan_component("zlib/[>=1.2 <2]", None).unwrap();
        assert_eq!(c.version, None);
        assert!(conan_component("zlib", None).is_err());
    }
}
