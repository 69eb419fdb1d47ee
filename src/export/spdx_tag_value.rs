//! SPDX 2.3 tag-value: the same document as the JSON exporter, as `Tag: value` lines.

use super::Rendering;
use crate::wire::spdx as w;
use std::io;

/// Lines gathered before they are written.
const FLUSH_AT: usize = 1 << 16;

/// Writes the document; the packages' lines are made on every core.
pub fn write(rendering: &Rendering<'_>, sink: &mut (dyn io::Write + Send)) -> io::Result<()> {
    let document = rendering.spdx_document();
    let doc = &document.head;
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
    super::pieces::write_in_order(sink, &doc.packages, &|_, packages, buf| {
        for p in packages {
            buf.push(b'\n');
            package(buf, p);
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
    // Ids and relationship types are single-line by construction: no <text> needed.
    for (a, kind, b) in document.relationships() {
        for part in ["Relationship: ", a, " ", kind, " ", b, "\n"] {
            out.extend_from_slice(part.as_bytes());
        }
        if out.len() >= FLUSH_AT {
            sink.write_all(&out)?;
            out.clear();
        }
    }
    sink.write_all(&out)
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

fn package(out: &mut Vec<u8>, p: &w::Package) {
    tag(out, "PackageName", &p.name);
    tag(out, "SPDXID", &p.spdx_id);
    let optional = [
        ("PackageVersion", &p.version_info),
        ("PackageSupplier", &p.supplier),
        ("PackageOriginator", &p.originator),
    ];
    for (name, value) in optional {
        if let Some(v) = value {
            tag(out, name, v);
        }
    }
    tag(out, "PackageDownloadLocation", &p.download_location);
    if let Some(fa) = p.files_analyzed {
        tag(out, "FilesAnalyzed", if fa { "true" } else { "false" });
    }
    for c in &p.checksums {
        tag(
            out,
            "PackageChecksum",
            &format!("{}: {}", c.algorithm, c.checksum_value),
        );
    }
    let more = [
        ("PackageHomePage", &p.homepage),
        ("PackageSourceInfo", &p.source_info),
        ("PackageLicenseConcluded", &p.license_concluded),
        ("PackageLicenseDeclared", &p.license_declared),
        ("PackageCopyrightText", &p.copyright_text),
        ("PackageDescription", &p.description),
        ("PackageComment", &p.comment),
        ("PrimaryPackagePurpose", &p.primary_package_purpose),
    ];
    for (name, value) in more {
        if let Some(v) = value {
            tag(out, name, v);
        }
    }
    for r in &p.external_refs {
        tag(
            out,
            "ExternalRef",
            &format!("{} {} {}", r.reference_category, r.reference_type, r.reference_locator),
        );
    }
}
