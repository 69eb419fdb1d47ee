//! CycloneDX JSON read in one pass: each entry of `components` goes to the assembler as soon
//! as it is parsed, so a 100,000-component document is never held as wire structs as well as
//! the model (that doubled the memory and made import the larger part of `diff`).

use super::cyclonedx::Assembler;
use crate::diagnostic::Diagnostic;
use crate::model::Sbom;
use crate::wire::cyclonedx as cdx;
use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

pub fn import_json(path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Result<Sbom, Diagnostic> {
    let mut assembler = Assembler::new(path, diagnostics);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parts = Document {
        assembler: &mut assembler,
    }
    .deserialize(&mut deserializer)
    .and_then(|parts| deserializer.end().map(|()| parts))
    .map_err(|e| {
        Diagnostic::error(
            path,
            Some(e.line()),
            format!(
                "invalid CycloneDX JSON: {}",
                crate::text::without_position(&e.to_string())
            ),
        )
    })?;
    Ok(assembler.finish(parts.metadata, parts.dependencies))
}

/// What is kept of the document besides its components.
struct Parts {
    metadata: cdx::Metadata,
    dependencies: Vec<cdx::Dependency>,
}

/// The top-level object.
struct Document<'s, 'a> {
    assembler: &'s mut Assembler<'a>,
}

impl<'de> DeserializeSeed<'de> for Document<'_, '_> {
    type Value = Parts;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Parts, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Document<'_, '_> {
    type Value = Parts;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a CycloneDX document (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parts, A::Error> {
        let mut format_seen = false;
        let mut spec_version_seen = false;
        let mut metadata = None;
        let mut dependencies = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "bomFormat" => {
                    map.next_value::<String>()?;
                    format_seen = true;
                }
                "specVersion" => {
                    map.next_value::<String>()?;
                    spec_version_seen = true;
                }
                "metadata" => metadata = map.next_value::<Option<cdx::Metadata>>()?,
                "components" => map.next_value_seed(Components {
                    assembler: &mut *self.assembler,
                })?,
                "dependencies" => dependencies = map.next_value::<Option<Vec<cdx::Dependency>>>()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !format_seen {
            return Err(A::Error::missing_field("bomFormat"));
        }
        if !spec_version_seen {
            return Err(A::Error::missing_field("specVersion"));
        }
        Ok(Parts {
            metadata: metadata.unwrap_or_default(),
            dependencies: dependencies.unwrap_or_default(),
        })
    }
}

/// The `components` array, each entry handed on as it is read.
struct Components<'s, 'a> {
    assembler: &'s mut Assembler<'a>,
}

impl<'de> DeserializeSeed<'de> for Components<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Components<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of components")
    }

    fn visit_none<E: Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(component) = seq.next_element::<cdx::Component>()? {
            self.assembler.add(component);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_stream_in_whatever_order_the_keys_come() {
        // `dependencies` and `metadata` before `components`, nesting, unknown keys.
        let json = r#"{"dependencies": [{"ref": "a", "dependsOn": ["b"]}],
            "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "app"}},
            "bomFormat": "CycloneDX", "specVersion": "1.5", "x-extra": {"deep": [1, 2]},
            "components": [{"type": "library", "bom-ref": "a", "name": "a", "version": "1",
                "purl": "pkg:npm/a@1", "supplier": {"name": "Acme"}, "author": "Ann, Bo",
                "components": [{"type": "library", "bom-ref": "b", "name": "b", "version": "2",
                    "purl": "pkg:npm/b@2"}]}]}"#;
        let mut diagnostics = Vec::new();
        let sbom = import_json("x.json", json, &mut diagnostics).unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let ids: Vec<&str> = sbom.graph.components().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "app", "b"]);
        assert_eq!(sbom.graph.edge_count(), 1);
        let a = sbom.graph.components().next().unwrap();
        assert_eq!(a.supplier.as_deref(), Some("Acme"));
        assert_eq!(a.authors, ["Ann", "Bo"]);
        assert_eq!(sbom.subject.name, "app");
    }

    #[test]
    fn a_document_without_its_format_fields_is_refused_with_a_line() {
        let e = import_json(
            "x.json",
            "{\"specVersion\": \"1.5\",\n\"components\": null}",
            &mut Vec::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("x.json:2") && e.contains("missing field `bomFormat`"), "{e}");
        let e = import_json(
            "x.json",
            "{\"bomFormat\": \"CycloneDX\", \"components\": [{\"name\": 1}]}",
            &mut Vec::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("invalid type"), "{e}");
        assert!(import_json(
            "x.json",
            "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\"} trailing",
            &mut Vec::new()
        )
        .is_err());
    }
}
