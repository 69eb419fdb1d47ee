//! An SPDX package as both SPDX formats write it: `w::Package`'s fields in its order, with its
//! omissions, borrowing the graph's strings. The `sourceInfo` list of every file a component
//! was found in (most of an SPDX document's bytes) is made as it is written, never kept.

use crate::model::{Component, Purpose, Role, Sbom, Source};
use serde::Serialize;
use std::borrow::Cow;

pub const NOASSERTION: &str = "NOASSERTION";

/// What the document keeps of each package: its id, its declared license (which depends on
/// the document's extracted licenses) and the component it describes (none for the subject).
pub struct PackageSlot<'a> {
    pub spdx_id: String,
    pub license_declared: String,
    pub component: Option<&'a Component>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageOut<'a> {
    #[serde(rename = "SPDXID")]
    pub spdx_id: &'a str,
    pub name: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_info: Option<&'a str>,
    pub supplier: Cow<'a, str>,
    pub download_location: Cow<'a, str>,
    pub files_analyzed: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checksums: Vec<ChecksumOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub homepage: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_info: Option<SourceInfo<'a>>,
    pub license_concluded: &'static str,
    pub license_declared: &'a str,
    pub copyright_text: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<IdComment<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_refs: Option<[PurlRef<'a>; 1]>,
    pub primary_package_purpose: &'static str,
}

/// `w::Checksum`, its algorithm's name borrowed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChecksumOut {
    pub algorithm: &'static str,
    pub checksum_value: String,
}

/// `w::ExternalRef` of a purl.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PurlRef<'a> {
    pub reference_category: &'static str,
    pub reference_type: &'static str,
    pub reference_locator: &'a str,
}

/// `source S; found in PATH[:LINE], ...`.
pub struct SourceInfo<'a>(&'a Component);

/// `bomsight id: ID`: lets bomsight read its own document back to the very same component.
pub struct IdComment<'a>(&'a str);

/// A text made only as it is written, into this thread's reused buffer.
pub trait MadeText {
    fn make(&self, text: &mut String);
}

impl MadeText for SourceInfo<'_> {
    fn make(&self, text: &mut String) {
        use std::fmt::Write as _;
        let _ = write!(text, "source {}; found in ", self.0.source);
        for (i, l) in self.0.locations.iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            text.push_str(&l.path);
            if let Some(line) = l.line {
                text.push(':');
                crate::decimal::push(text, line as u64);
            }
        }
    }
}

/// A formatted value (`format_args!`), made without a string of its own.
impl MadeText for std::fmt::Arguments<'_> {
    fn make(&self, text: &mut String) {
        use std::fmt::Write as _;
        let _ = text.write_fmt(*self);
    }
}

impl MadeText for IdComment<'_> {
    fn make(&self, text: &mut String) {
        text.push_str("bomsight id: ");
        text.push_str(self.0);
    }
}

thread_local! {
    static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The text as `make` writes it (one buffer per thread, reused: no string per package).
pub fn with_made<R>(value: &dyn MadeText, f: impl FnOnce(&str) -> R) -> R {
    TEXT.with(|text| match text.try_borrow_mut() {
        Ok(mut text) => {
            text.clear();
            value.make(&mut text);
            f(&text)
        }
        // Not reached (nothing made calls back here); a fresh buffer keeps it correct anyway.
        Err(_) => {
            let mut text = String::new();
            value.make(&mut text);
            f(&text)
        }
    })
}

macro_rules! serialize_as_made {
    ($($t:ident),*) => {$(
        impl Serialize for $t<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                with_made(self, |text| serializer.serialize_str(text))
            }
        }
    )*};
}
serialize_as_made!(SourceInfo, IdComment);

impl<'a> PackageSlot<'a> {
    /// The package as written: the component's, or the subject's (the scanned project).
    pub fn view(&'a self, sbom: &'a Sbom) -> PackageOut<'a> {
        match self.component {
            Some(c) => component(c, self),
            None => PackageOut {
                spdx_id: &self.spdx_id,
                name: Cow::Borrowed(&sbom.subject.name),
                version_info: sbom.subject.version.as_deref(),
                supplier: Cow::Borrowed(NOASSERTION),
                download_location: Cow::Borrowed(NOASSERTION),
                files_analyzed: false,
                checksums: Vec::new(),
                homepage: None,
                source_info: None,
                license_concluded: NOASSERTION,
                license_declared: &self.license_declared,
                copyright_text: NOASSERTION,
                description: None,
                comment: None,
                external_refs: None,
                primary_package_purpose: "APPLICATION",
            },
        }
    }
}

fn component<'a>(c: &'a Component, slot: &'a PackageSlot<'a>) -> PackageOut<'a> {
    let name = match &c.namespace {
        Some(ns) => Cow::Owned(format!("{ns}/{}", c.name)),
        None => Cow::Borrowed(&*c.name),
    };
    let download_location = match &c.source {
        Source::Git {
            url,
            revision: Some(rev),
            ..
        } => Cow::Owned(format!("git+{}@{rev}", url.trim_start_matches("git+"))),
        Source::Git {
            url, revision: None, ..
        } => Cow::Owned(format!("git+{}", url.trim_start_matches("git+"))),
        Source::Url { url } => Cow::Borrowed(url.as_str()),
        _ => Cow::Borrowed(NOASSERTION),
    };
    PackageOut {
        spdx_id: &slot.spdx_id,
        name,
        version_info: c.version.as_deref(),
        supplier: c
            .supplier
            .as_ref()
            .map_or(Cow::Borrowed(NOASSERTION), |s| Cow::Owned(format!("Organization: {s}"))),
        download_location,
        files_analyzed: false,
        checksums: c
            .hashes
            .iter()
            .map(|h| ChecksumOut {
                algorithm: h.algorithm.spdx_name(),
                checksum_value: h.hex(),
            })
            .collect(),
        homepage: c.homepage.as_deref(),
        source_info: Some(SourceInfo(c)),
        license_concluded: NOASSERTION,
        license_declared: &slot.license_declared,
        copyright_text: NOASSERTION,
        description: c.description.as_deref(),
        comment: Some(IdComment(c.id.as_str())),
        external_refs: c.purl.as_deref().map(|purl| {
            [PurlRef {
                reference_category: "PACKAGE-MANAGER",
                reference_type: "purl",
                reference_locator: purl,
            }]
        }),
        primary_package_purpose: match (c.role, c.purpose) {
            (Role::Project, Purpose::Application) => "APPLICATION",
            _ => "LIBRARY",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_component::full_component;
    use super::*;
    use crate::model::{Ecosystem, GraphBuilder, Subject, Timestamp};
    use crate::wire::spdx as w;

    fn slot(c: &Component) -> PackageSlot<'_> {
        PackageSlot {
            spdx_id: "SPDXRef-Package-x".into(),
            license_declared: "(MIT) AND (LicenseRef-Some-custom-licence)".into(),
            component: Some(c),
        }
    }

    #[test]
    fn a_package_is_written_as_the_wire_type_writes_it() {
        // The view must keep the wire type's fields, order and omissions: what it writes,
        // read into `w::Package` and written again, is the same text.
        let mut bare = Component::new(Ecosystem::Cargo, None, "bare", None, Source::DefaultRegistry).unwrap();
        bare.found_in("Cargo.lock", None);
        let full = full_component();
        let sbom = Sbom {
            subject: Subject {
                name: "app \"x\"".into(),
                version: Some("2.0".into()),
            },
            created: Timestamp(0),
            graph: GraphBuilder::new().build().0,
        };
        let subject = PackageSlot {
            spdx_id: "SPDXRef-Subject".into(),
            license_declared: NOASSERTION.into(),
            component: None,
        };
        for slot in [slot(&full), slot(&bare), subject] {
            let written = super::super::json::to_string_pretty(&slot.view(&sbom)).unwrap();
            let wire: w::Package = serde_json::from_str(&written).unwrap();
            let again = super::super::json::to_string_pretty(&wire).unwrap();
            assert_eq!(written, again, "{}", slot.spdx_id);
        }
    }

    #[test]
    fn source_info_lists_every_place_and_the_comment_names_the_id() {
        let c = full_component();
        let slot = slot(&c);
        let sbom = Sbom {
            subject: Subject {
                name: "app".into(),
                version: None,
            },
            created: Timestamp(0),
            graph: GraphBuilder::new().build().0,
        };
        let p = slot.view(&sbom);
        assert_eq!(
            with_made(&p.source_info.unwrap(), str::to_string),
            "source git+https://example.com/r.git#abc; found in a dir/ü/package-lock.json, \
             b/package-lock.json:12, b/package-lock.json:40"
        );
        assert_eq!(
            with_made(&p.comment.unwrap(), str::to_string),
            format!("bomsight id: {}", c.id)
        );
        assert_eq!(p.name, "@scope/name");
        assert_eq!(p.download_location, "git+https://example.com/r.git@abc");
        assert_eq!(p.supplier, "Organization: Supplier Inc.");
        assert_eq!(p.primary_package_purpose, "APPLICATION");
        let json = super::super::json::to_string_pretty(&IdComment("a\"b\\c\nd")).unwrap();
        assert_eq!(json, serde_json::to_string(&"bomsight id: a\"b\\c\nd").unwrap());
    }
}
