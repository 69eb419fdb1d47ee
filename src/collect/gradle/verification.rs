//! `gradle/verification-metadata.xml` (dependency verification, schema 1.0–1.3): each
//! component's artifacts with their SHA-256/SHA-512 (and older MD5/SHA-1) checksums. The
//! artifacts become the component's files; the main archive's checksums (the `.jar` or
//! `.aar` named after the component) are also its component-level hashes.

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Artifact, Hash, HashAlgorithm};

pub struct VerificationMetadata;

impl Collector for VerificationMetadata {
    fn id(&self) -> &'static str {
        "gradle-verification-metadata"
    }

    fn file_names(&self) -> &'static str {
        "gradle/verification-metadata.xml"
    }

    fn claims(&self, path: &str, name: &str) -> bool {
        name == "verification-metadata.xml"
            && (path == "gradle/verification-metadata.xml" || path.ends_with("/gradle/verification-metadata.xml"))
    }

    fn collect(&self, file: &SourceFile<'_>, _ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let root = crate::collect::parse_xml(file.path, file.bytes, "verification metadata")?;
        if root.name != "verification-metadata" {
            return Err(Diagnostic::error(
                file.path,
                None,
                format!("the root element is `{}`, not `verification-metadata`", root.name),
            ));
        }
        let mut out = Collected::default();
        for comp in root
            .child("components")
            .into_iter()
            .flat_map(|c| c.children("component"))
        {
            let (Some(group), Some(name), Some(version)) =
                (comp.attr("group"), comp.attr("name"), comp.attr("version"))
            else {
                out.diagnostics.push(Diagnostic::warning(
                    file.path,
                    None,
                    "a component without group, name or version",
                ));
                continue;
            };
            let mut c = match super::maven(group, name, version) {
                Ok(c) => c,
                Err(m) => {
                    out.diagnostics.push(Diagnostic::warning(file.path, None, m));
                    continue;
                }
            };
            for artifact in comp.children("artifact") {
                let file_name = artifact.attr("name").unwrap_or("").to_string();
                let mut hashes = crate::model::Hashes::new();
                for alg in ["sha512", "sha256", "sha1", "md5"] {
                    for h in artifact.children(alg) {
                        let value = h.attr("value").unwrap_or("");
                        match HashAlgorithm::parse(alg).map(|a| Hash::from_hex(a, value)) {
                            Some(Ok(hash)) => {
                                hashes.insert(hash);
                            }
                            _ => out.diagnostics.push(Diagnostic::warning(
                                file.path,
                                None,
                                format!("{group}:{name}:{version} / {file_name}: bad {alg} `{value}`"),
                            )),
                        }
                    }
                }
                let main = file_name == format!("{name}-{version}.jar") || file_name == format!("{name}-{version}.aar");
                if main {
                    c.hashes.extend(hashes.iter().cloned());
                }
                c.artifacts.insert(Artifact {
                    file_name,
                    url: None,
                    hashes,
                });
            }
            c.found_in(file.path, None);
            c.properties.insert("gradle:verified".into(), "true".into());
            out.components.push(c);
        }
        Ok(out)
    }
}
