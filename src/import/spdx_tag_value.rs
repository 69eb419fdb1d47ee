//! SPDX tag-value (2.2, 2.3) read into the same document shape as SPDX JSON: `Tag: value`
//! lines, `<text>…</text>` values over several lines, packages, files, extracted licenses and
//! relationships.

use crate::diagnostic::Diagnostic;
use crate::model::Sbom;
use crate::wire::spdx as w;

enum Current {
    Document,
    Package,
    File,
    License,
    Other,
}

pub fn import(path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Result<Sbom, Diagnostic> {
    let doc = parse(path, text, diagnostics)?;
    Ok(super::spdx::from_document(path, doc, diagnostics))
}

fn parse(path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Result<w::Document, Diagnostic> {
    let mut doc = w::Document::default();
    let mut current = Current::Document;
    let mut lines = text.lines().enumerate();
    while let Some((i, raw)) = lines.next() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else {
            diagnostics.push(Diagnostic::warning(
                path,
                Some(i + 1),
                format!("`{line}` is not `Tag: value`; skipped"),
            ));
            continue;
        };
        let mut value = value.trim().to_string();
        if let Some(start) = value.strip_prefix("<text>") {
            let mut collected = start.to_string();
            while !collected.contains("</text>") {
                let Some((_, next)) = lines.next() else {
                    return Err(Diagnostic::error(
                        path,
                        Some(i + 1),
                        format!("`{tag}`: <text> is never closed"),
                    ));
                };
                collected.push('\n');
                collected.push_str(next.trim_end_matches('\r'));
            }
            value = collected.split("</text>").next().unwrap_or("").to_string();
        }
        let tag = tag.trim();
        match tag {
            "PackageName" => {
                doc.packages.push(w::Package {
                    name: value,
                    download_location: "NOASSERTION".into(),
                    ..Default::default()
                });
                current = Current::Package;
                continue;
            }
            "FileName" => {
                doc.files.push(w::File {
                    file_name: value,
                    ..Default::default()
                });
                current = Current::File;
                continue;
            }
            "LicenseID" => {
                doc.extracted_licenses.push(w::ExtractedLicense {
                    license_id: value,
                    extracted_text: String::new(),
                    name: None,
                });
                current = Current::License;
                continue;
            }
            "SnippetSPDXID" => {
                current = Current::Other;
                continue;
            }
            "Relationship" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                match parts.as_slice() {
                    [a, kind, b] => doc.relationships.push(w::Relationship {
                        spdx_element_id: a.to_string(),
                        relationship_type: kind.to_string(),
                        related_spdx_element: b.to_string(),
                    }),
                    _ => diagnostics.push(Diagnostic::warning(
                        path,
                        Some(i + 1),
                        format!("relationship `{value}` is not `A TYPE B`"),
                    )),
                }
                continue;
            }
            _ => {}
        }
        match current {
            Current::Document => match tag {
                "SPDXVersion" => doc.spdx_version = value,
                "DataLicense" => doc.data_license = value,
                "SPDXID" => doc.spdx_id = value,
                "DocumentName" => doc.name = value,
                "DocumentNamespace" => doc.document_namespace = value,
                "Creator" => doc.creation_info.creators.push(value),
                "Created" => doc.creation_info.created = value,
                _ => {}
            },
            Current::Package => {
                let p = doc.packages.last_mut().expect("a package is open");
                match tag {
                    "SPDXID" => p.spdx_id = value,
                    "PackageVersion" => p.version_info = Some(value),
                    "PackageSupplier" => p.supplier = Some(value),
                    "PackageDownloadLocation" => p.download_location = value,
                    "PackageChecksum" => {
                        if let Some((alg, hex)) = value.split_once(':') {
                            p.checksums.push(w::Checksum {
                                algorithm: alg.trim().to_string(),
                                checksum_value: hex.trim().to_string(),
                            });
                        }
                    }
                    "PackageHomePage" => p.homepage = Some(value),
                    "PackageSourceInfo" => p.source_info = Some(value),
                    "PackageLicenseConcluded" => p.license_concluded = Some(value),
                    "PackageLicenseDeclared" => p.license_declared = Some(value),
                    "PackageDescription" => p.description = Some(value),
                    "PackageComment" => p.comment = Some(value),
                    "PrimaryPackagePurpose" => p.primary_package_purpose = Some(value),
                    "ExternalRef" => {
                        let parts: Vec<&str> = value.splitn(3, ' ').collect();
                        if let [category, kind, locator] = parts.as_slice() {
                            p.external_refs.push(w::ExternalRef {
                                reference_category: category.to_string(),
                                reference_type: kind.to_string(),
                                reference_locator: locator.to_string(),
                                comment: None,
                            });
                        }
                    }
                    _ => {}
                }
            }
            Current::File => {
                let f = doc.files.last_mut().expect("a file is open");
                match tag {
                    "SPDXID" => f.spdx_id = value,
                    "FileChecksum" => {
                        if let Some((alg, hex)) = value.split_once(':') {
                            f.checksums.push(w::Checksum {
                                algorithm: alg.trim().to_string(),
                                checksum_value: hex.trim().to_string(),
                            });
                        }
                    }
                    "LicenseConcluded" => f.license_concluded = Some(value),
                    _ => {}
                }
            }
            Current::License => {
                let l = doc.extracted_licenses.last_mut().expect("a license is open");
                match tag {
                    "ExtractedText" => l.extracted_text = value,
                    "LicenseName" => l.name = Some(value),
                    _ => {}
                }
            }
            Current::Other => {}
        }
    }
    if doc.spdx_version.is_empty() {
        return Err(Diagnostic::error(path, None, "no SPDXVersion tag"));
    }
    Ok(doc)
}
