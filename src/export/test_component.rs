//! Test-only: a component with every field the exporters write, texts needing escapes included.

use crate::model::{
    Artifact, Component, Ecosystem, Hash, HashAlgorithm, License, Purpose, Role, Scope, ShortText, Source,
};

pub fn full_component() -> Component {
    let mut c = Component::new(
        Ecosystem::Npm,
        Some("@scope"),
        "name",
        Some("1.0.0"),
        Source::Git {
            url: "https://example.com/r.git".into(),
            revision: Some("abc".into()),
            reference: None,
        },
    )
    .unwrap();
    c.role = Role::Project;
    c.purpose = Purpose::Application;
    c.scope = Scope::Dev;
    c.description = Some("line one\nline \"two\"\ttab".into());
    c.authors = vec!["A. Author".into(), "B\\Author".into()];
    c.supplier = Some("Supplier Inc.".into());
    c.homepage = Some("https://example.com".into());
    c.repository = Some("https://example.com/repo".into());
    c.hashes
        .insert(Hash::from_hex(HashAlgorithm::Sha256, &"ab".repeat(32)).unwrap());
    c.hashes
        .insert(Hash::from_hex(HashAlgorithm::Sha1, &"cd".repeat(20)).unwrap());
    let mut artifact_hashes = crate::model::Hashes::new();
    artifact_hashes.insert(Hash::from_hex(HashAlgorithm::Md5, &"ef".repeat(16)).unwrap());
    c.artifacts.insert(Artifact {
        file_name: "name-1.0.0.tgz".into(),
        url: Some("https://example.com/name-1.0.0.tgz".into()),
        hashes: artifact_hashes,
    });
    c.licenses.insert(License::parse("MIT"));
    c.licenses.insert(License::parse("Some custom licence"));
    c.properties.insert(ShortText::from("zeta"), "last \"quoted\"".into());
    c.properties.insert(ShortText::from("alpha"), "first".into());
    c.found_in("b/package-lock.json", Some(12));
    c.found_in("b/package-lock.json", Some(40));
    c.found_in("a dir/ü/package-lock.json", None);
    c
}
