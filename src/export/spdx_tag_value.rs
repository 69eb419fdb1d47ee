//! SPDX 2.3 tag-value: the same document as the JSON exporter, as `Tag: value` lines.

use super::spdx_package::{with_made, PackageOut};
use super::Rendering;
use std::io;

/// Writes the document; the packages' lines are made on every core.
pub fn write(rendering: &Rendering<'_>, sink: &mut (dyn io::Write + Send)) -> io::Result<()> {
    let document = rendering.spdx_document();
    let doc = &document.head;
    let sbom = rendering.sbom;
    let mut out = Vec::new();
    tag(&mut out, "SPDXVersion", &doc.spdx_version);
    tag(&mut out, "DataLicense", &doc.data_license);
    tag(&mut out, "SPDXID", &doc.spdx_id);
    tag(&mut out, "DocumentName", &doc.name);
    tag(&mut out, "DocumentNamespace", &doc.document_namespace);
    for creator in &doc.creation_info.creators {
        tag(&mut out, "Creator", creator);
    }
    tag(&mut out, "Created", &doc.creation_info.created);
    sink.write_all(&out)?;
    out.clear();
    super::pieces::write_in_order(sink, &document.packages, super::pieces::RECORDS, &|_, packages, buf| {
        for slot in packages {
            buf.push(b'\n');
            package(buf, &slot.view(sbom));
        }
        Ok(())
    })?;
    for l in &doc.extracted_licenses {
        out.push(b'\n');
        tag(&mut out, "LicenseID", &l.license_id);
        out.extend_from_slice(b"ExtractedText: <text>");
        out.extend_from_slice(l.extracted_text.replace("</text>", "< /text>").as_bytes());
        out.extend_from_slice(b"</text>\n");
        if let Some(name) = &l.name {
            tag(&mut out, "LicenseName", name);
        }
    }
    out.push(b'\n');
    sink.write_all(&out)?;
    // Ids and relationship types are single-line by construction: no <text> needed.
    super::pieces::write_in_order(
        sink,
        document.relationship_keys(),
        super::pieces::LINES,
        &|_, keys, buf| {
            for &key in keys {
                let (a, kind, b) = document.relationship(key);
                for part in ["Relationship: ", a, " ", kind, " ", b, "\n"] {
                    buf.extend_from_slice(part.as_bytes());
                }
            }
            Ok(())
        },
    )
}

/// `Name: value`, or `Name: <text>value</text>` for a value of several lines (a literal
/// closing tag in it would end the text early).
fn tag(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    if memchr::memchr2(b'\n', b'\r', value.as_bytes()).is_some() {
        out.extend_from_slice(b": <text>");
        out.extend_from_slice(value.replace("</text>", "< /text>").as_bytes());
        out.extend_from_slice(b"</text>\n");
    } else {
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.push(b'\n');
    }
}

/// The package's lines.
fn package(out: &mut Vec<u8>, p: &PackageOut<'_>) {
    tag(out, "PackageName", &p.name);
    tag(out, "SPDXID", p.spdx_id);
    if let Some(v) = p.version_info {
        tag(out, "PackageVersion", v);
    }
    tag(out, "PackageSupplier", &p.supplier);
    tag(out, "PackageDownloadLocation", &p.download_location);
    tag(out, "FilesAnalyzed", if p.files_analyzed { "true" } else { "false" });
    for c in &p.checksums {
        let value = format_args!("{}: {}", c.algorithm, c.checksum_value);
        with_made(&value, |text| tag(out, "PackageChecksum", text));
    }
    if let Some(v) = p.homepage {
        tag(out, "PackageHomePage", v);
    }
    if let Some(v) = &p.source_info {
        with_made(v, |text| tag(out, "PackageSourceInfo", text));
    }
    tag(out, "PackageLicenseConcluded", p.license_concluded);
    tag(out, "PackageLicenseDeclared", p.license_declared);
    tag(out, "PackageCopyrightText", p.copyright_text);
    if let Some(v) = p.description {
        tag(out, "PackageDescription", v);
    }
    if let Some(v) = &p.comment {
        with_made(v, |text| tag(out, "PackageComment", text));
    }
    tag(out, "PrimaryPackagePurpose", p.primary_package_purpose);
    for r in p.external_refs.iter().flatten() {
        let value = format_args!("{} {} {}", r.reference_category, r.reference_type, r.reference_locator);
        with_made(&value, |text| tag(out, "ExternalRef", text));
    }
}
