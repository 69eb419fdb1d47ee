//! Importers: SBOMs written by any tool (Syft, cdxgen, Trivy, sbom-tool, cyclonedx-py, ours)
//! back into the model. The format is detected from the content, never from the file name.

mod cyclonedx;
mod cyclonedx_json;
mod cyclonedx_xml;
mod spdx;
mod spdx_tag_value;

use crate::diagnostic::Diagnostic;
use crate::model::Sbom;

/// The SBOM formats bomsight reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SbomFormat {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    SpdxTagValue,
}

impl SbomFormat {
    pub fn id(self) -> &'static str {
        match self {
            SbomFormat::CycloneDxJson => "cyclonedx-json",
            SbomFormat::CycloneDxXml => "cyclonedx-xml",
            SbomFormat::SpdxJson => "spdx-json",
            SbomFormat::SpdxTagValue => "spdx-tag-value",
        }
    }
}

/// A document read back: the graph, and what was odd about it (dangling references,
/// duplicate ids, unknown hash algorithms), which never stops the import.
pub struct Imported {
    pub format: SbomFormat,
    pub sbom: Sbom,
    pub diagnostics: Vec<Diagnostic>,
}

/// Tells the format from the first meaningful bytes.
pub fn detect(bytes: &[u8]) -> Option<SbomFormat> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('{') {
        if head.contains("\"bomFormat\"") {
            return Some(SbomFormat::CycloneDxJson);
        }
        if head.contains("\"spdxVersion\"") {
            return Some(SbomFormat::SpdxJson);
        }
        return None;
    }
    if head.starts_with('<') {
        return head
            .contains("cyclonedx.org/schema/bom")
            .then_some(SbomFormat::CycloneDxXml);
    }
    head.lines()
        .any(|l| l.trim_start().starts_with("SPDXVersion:"))
        .then_some(SbomFormat::SpdxTagValue)
}

/// Reads an SBOM of any supported format. `path` names the document in messages.
pub fn import(path: &str, bytes: &[u8]) -> Result<Imported, Diagnostic> {
    let format = detect(bytes).ok_or_else(|| {
        Diagnostic::error(
            path,
            None,
            "not an SBOM bomsight reads (CycloneDX JSON or XML, SPDX JSON or tag-value)",
        )
    })?;
    let text = crate::text::decode_utf8(bytes).map_err(|(line, msg)| Diagnostic::error(path, line, msg))?;
    let mut diagnostics = Vec::new();
    let sbom = match format {
        SbomFormat::CycloneDxJson => cyclonedx_json::import_json(path, text, &mut diagnostics)?,
        SbomFormat::CycloneDxXml => cyclonedx_xml::import(path, text, &mut diagnostics)?,
        SbomFormat::SpdxJson => spdx::import_json(path, text, &mut diagnostics)?,
        SbomFormat::SpdxTagValue => spdx_tag_value::import(path, text, &mut diagnostics)?,
    };
    Ok(Imported {
        format,
        sbom,
        diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(
            detect(b"{\"bomFormat\": \"CycloneDX\"}"),
            Some(SbomFormat::CycloneDxJson)
        );
        assert_eq!(
            detect(b"\xEF\xBB\xBF {\"spdxVersion\": \"SPDX-2.3\"}"),
            Some(SbomFormat::SpdxJson)
        );
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.2\">"),
            Some(SbomFormat::CycloneDxXml)
        );
        assert_eq!(
            detect(b"## header\nSPDXVersion: SPDX-2.2\n"),
            Some(SbomFormat::SpdxTagValue)
        );
        assert_eq!(detect(b"{\"name\": \"x\"}"), None);
        assert_eq!(detect(b"version = 4"), None);
    }
}
