//! CycloneDX XML (1.2–1.6) read into the same document shape as CycloneDX JSON. The XML is
//! read into a small element tree first: no DTDs, no external entities, no entity expansion
//! beyond XML's five predefined ones, and a nesting limit.

use crate::diagnostic::Diagnostic;
use crate::model::Sbom;
use crate::wire::cyclonedx as cdx;
use crate::xml::{parse, Element};

pub fn import(path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Result<Sbom, Diagnostic> {
    let root = parse(text).map_err(|(offset, msg)| {
        Diagnostic::error(
            path,
            Some(crate::text::line_of_offset(text.as_bytes(), offset)),
            format!("invalid CycloneDX XML: {msg}"),
        )
    })?;
    if root.name != "bom" {
        return Err(Diagnostic::error(
            path,
            None,
            format!("the root element is `{}`, not `bom`", root.name),
        ));
    }
    Ok(super::cyclonedx::from_bom(path, bom(&root), diagnostics))
}

fn bom(root: &Element) -> cdx::Bom {
    let metadata = root.child("metadata").map(|m| cdx::Metadata {
        timestamp: m.text_of("timestamp"),
        component: m.child("component").map(component),
        ..Default::default()
    });
    cdx::Bom {
        bom_format: "CycloneDX".into(),
        spec_version: root
            .attributes
            .iter()
            .find(|(k, _)| k == "xmlns")
            .map(|(_, v)| v.rsplit('/').next().unwrap_or("").to_string())
            .unwrap_or_default(),
        serial_number: root.attr("serialNumber").map(str::to_string),
        version: root.attr("version").and_then(|v| v.parse().ok()).unwrap_or(1),
        metadata,
        components: root
            .child("components")
            .map(|c| c.children("component").map(component).collect())
            .unwrap_or_default(),
        dependencies: root
            .child("dependencies")
            .map(|d| d.children("dependency").map(dependency).collect())
            .unwrap_or_default(),
    }
}

fn hashes(parent: Option<&Element>) -> Vec<cdx::HashValue> {
    parent
        .map(|h| {
            h.children("hash")
                .map(|x| cdx::HashValue {
                    alg: x.attr("alg").unwrap_or("").to_string(),
                    content: x.text.trim().to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn component(e: &Element) -> cdx::Component {
    let licenses = e
        .child("licenses")
        .map(|ls| {
            ls.children
                .iter()
                .filter_map(|l| match l.name.as_str() {
                    "license" => Some(cdx::LicenseChoice::License {
                        license: cdx::LicenseRef {
                            id: l.text_of("id"),
                            name: l.text_of("name"),
                            acknowledgement: None,
                        },
                    }),
                    "expression" => Some(cdx::LicenseChoice::Expression {
                        expression: l.text.trim().to_string(),
                        acknowledgement: None,
                    }),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let external_references = e
        .child("externalReferences")
        .map(|r| {
            r.children("reference")
                .map(|x| cdx::ExternalReference {
                    kind: x.attr("type").unwrap_or("other").to_string(),
                    url: x.text_of("url").unwrap_or_default(),
                    comment: x.text_of("comment"),
                    hashes: hashes(x.child("hashes")),
                })
                .collect()
        })
        .unwrap_or_default();
    let properties = e
        .child("properties")
        .map(|p| {
            p.children("property")
                .map(|x| cdx::Property {
                    name: x.attr("name").unwrap_or("").to_string(),
                    value: Some(x.text.trim().to_string()),
                })
                .collect()
        })
        .unwrap_or_default();
    let evidence = e
        .child("evidence")
        .and_then(|ev| ev.child("occurrences"))
        .map(|o| cdx::Evidence {
            occurrences: o
                .children("occurrence")
                .map(|x| cdx::Occurrence {
                    location: x.text_of("location").unwrap_or_default().into(),
                    line: x.text_of("line").and_then(|l| l.parse().ok()),
                })
                .collect(),
        });
    cdx::Component {
        kind: e.attr("type").unwrap_or("library").to_string(),
        bom_ref: e.attr("bom-ref").map(str::to_string),
        authors: None,
        group: e.text_of("group"),
        name: e.text_of("name").unwrap_or_default(),
        version: e.text_of("version"),
        description: e.text_of("description"),
        scope: e.text_of("scope"),
        hashes: hashes(e.child("hashes")),
        licenses,
        purl: e.text_of("purl"),
        external_references,
        properties,
        evidence,
        components: e
            .child("components")
            .map(|c| c.children("component").map(component).collect())
            .unwrap_or_default(),
        supplier: e.child("supplier").map(|s| cdx::OrganizationalEntity {
            name: s.text_of("name"),
        }),
        author: e.text_of("author"),
    }
}

fn dependency(e: &Element) -> cdx::Dependency {
    cdx::Dependency {
        reference: e.attr("ref").unwrap_or("").to_string(),
        depends_on: e
            .children("dependency")
            .filter_map(|d| d.attr("ref").map(str::to_string))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::DEFAULT_MAX_NESTING as MAX_DEPTH;

    #[test]
    fn supplier_and_author_are_read() {
        let xml = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>
            <component type="library" bom-ref="pkg:npm/a@1.0.0"><supplier><name>Acme</name></supplier>
            <author>Ann, Bo</author><name>a</name><version>1.0.0</version><purl>pkg:npm/a@1.0.0</purl></component>
            </components></bom>"#;
        let sbom = import("x.xml", xml, &mut Vec::new()).unwrap();
        let a = sbom.graph.components().next().unwrap();
        assert_eq!(a.supplier.as_deref(), Some("Acme"));
        assert_eq!(a.authors, ["Ann", "Bo"]);
    }

    #[test]
    fn escaped_ampersands_stay_in_names_and_purls() {
        // quick-xml hands each `&...;` over as its own event: once, they were dropped.
        let xml = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>
            <component type="library" bom-ref="pkg:maven/g/a@1?classifier=x&amp;type=jar">
            <name>a&#38;b</name><version>1</version>
            <purl>pkg:maven/g/a@1?classifier=x&amp;type=jar</purl></component></components></bom>"#;
        let sbom = import("x.xml", xml, &mut Vec::new()).unwrap();
        let a = sbom.graph.components().next().unwrap();
        assert_eq!(&*a.name, "a&b");
        assert_eq!(
            a.purl.as_ref().map(|p| p.to_string()).as_deref(),
            Some("pkg:maven/g/a@1?classifier=x&type=jar")
        );
    }

    #[test]
    fn doctype_and_deep_nesting_are_refused() {
        assert!(parse("<!DOCTYPE bom [<!ENTITY a \"b\">]><bom/>")
            .unwrap_err()
            .1
            .contains("DOCTYPE"));
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH + 5), "</a>".repeat(MAX_DEPTH + 5));
        assert!(parse(&deep).unwrap_err().1.contains("nested"));
        assert!(parse("<bom><components>").unwrap_err().1.contains("ends inside"));
    }
}
