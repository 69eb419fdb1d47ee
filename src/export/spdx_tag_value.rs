//! SPDX 2.3 tag-value: the same document as the JSON exporter, as `Tag: value` lines.

use super::Rendering;
use crate::wire::spdx as w;
use std::fmt::Write;
use std::io;

/// Lines gathered before they are written.
const FLUSH_AT: usize = 1 << 16;

/// Writes the document; each package's lines go out as they are made.
pub fn write(rendering: &Rendering<'_>, sink: &mut (dyn io::Write + Send)) -> io::Result<()> {
    let document = rendering.spdx_document();
    let doc = &document.head;
    let mut out = String::new();
    let mut tag = |out: &mut String, name: &str, value: &str| {
        out.push_str(name);
        if value.contains(['\n', '\r']) {
            // Multi-line values go in <text>; a literal closing tag would end it early.
            out.push_str(": <text>");
            out.push_str(&value.replace("</text>", "< /text>"));
            out.push_str("</text>\n");
        } else {
            out.push_str(": ");
            out.push_str(value);
            out.push('\n');
        }
    };
    tag(&mut out, "SPDXVersion", &doc.spdx_version);
    tag(&mut out, "DataLicense", &doc.data_license);
    tag(&mut out, "SPDXID", &doc.spdx_id);
    tag(&mut out, "DocumentName", &doc.name);
    tag(&mut out, "DocumentNamespace", &doc.document_namespace);
    for creator in &doc.creation_info.creators {
        tag(&mut out, "Creator", creator);
    }
    tag(&mut out, "Created", &doc.creation_info.created);
    for p in &doc.packages {
        out.push('\n');
        package(&mut out, p, &mut tag);
        sink.write_all(out.as_bytes())?;
        out.clear();
    }
    for l in &doc.extracted_licenses {
        out.push('\n');
        tag(&mut out, "LicenseID", &l.license_id);
        let _ = writeln!(
            out,
            "ExtractedText: <text>{}</text>",
            l.extracted_text.replace("</text>", "< /text>")
        );
        if let Some(name) = &l.name {
            tag(&mut out, "LicenseName", name);
        }
    }
    out.push('\n');
    // Ids and relationship types are single-line by construction: no <text> needed.
    for (a, kind, b) in document.relationships() {
        for part in ["Relationship: ", a, " ", kind, " ", b, "\n"] {
            out.push_str(part);
        }
        if out.len() >= FLUSH_AT {
            sink.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    sink.write_all(out.as_bytes())
}

fn package(out: &mut String, p: &w::Package, tag: &mut impl FnMut(&mut String, &str, &str)) {
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
