//! The graph as an SPDX 2.3 document (JSON here; tag-value renders the same document). The
//! mapping is documented in `formats/spdx.md`.

use super::ids::{spdx_package_id, spdx_safe};
use super::spdx_package::{PackageSlot, NOASSERTION};
use super::Rendering;
use crate::model::{Component, DependencyKind, License, Role, Sbom, SortedSet};
use crate::wire::spdx as w;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub const SUBJECT_ID: &str = "SPDXRef-Subject";

/// The JSON document: `w::Document`'s fields in its order, borrowed, with the packages
/// rendered on every core and the relationships one at a time as they are written.
pub fn write_json(rendering: &Rendering<'_>, out: &mut (dyn Write + Send)) -> io::Result<()> {
    let document = rendering.spdx_document();
    let head = &document.head;
    let sbom = rendering.sbom;
    let mut json = super::json::ObjectWriter::begin(&mut *out);
    json.field("spdxVersion", &head.spdx_version)?;
    json.field("dataLicense", &head.data_license)?;
    json.field("SPDXID", &head.spdx_id)?;
    json.field("name", &head.name)?;
    json.field("documentNamespace", &head.document_namespace)?;
    json.field("creationInfo", &head.creation_info)?;
    // (Items that outlive the call, so that each view can borrow its slot.)
    let slots: Vec<&PackageSlot> = document.packages.iter().collect();
    json.field_rendered_in_parallel("packages", &slots, super::pieces::RECORDS, |slot| slot.view(sbom))?;
    if !head.extracted_licenses.is_empty() {
        json.field("hasExtractedLicensingInfos", &head.extracted_licenses)?;
    }
    json.field_rendered_in_parallel(
        "relationships",
        document.relationship_keys(),
        super::pieces::LINES,
        |&key| {
            let (a, kind, b) = document.relationship(key);
            Relationship { a, kind, b }
        },
    )?;
    json.end()?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The document both SPDX formats render. The head and extracted licenses are wire values
/// (`head`, whose `packages` and `relationships` stay empty); the packages are views of the
/// graph's components ([`PackageSlot::view`]); the relationships, as many as the graph's
/// edges, are sort keys of the ids they name ([`Relations`]), never copies of them.
pub struct Document<'a> {
    pub head: w::Document,
    /// The subject first, then one per component in the graph's order.
    pub packages: Vec<PackageSlot<'a>>,
    relationships: Relations,
}

/// `(element, relationship type, related element)`.
type Relation = (Element, &'static str, Element);

/// One end of a relationship: the document, or a package by its position in `packages`.
#[derive(Clone, Copy)]
enum Element {
    Document,
    Package(u32),
}

/// The relationships, sorted by the ids they name and each once, as packed keys: the rank of
/// the element's id among all ids, the rank of the type among the types used, the rank of
/// the related element's id. Sorting plain integers instead of comparing ids (or tuples) at
/// every step is what makes sorting as many relationships as edges cheap.
struct Relations {
    keys: Vec<RelationKey>,
    /// The element of each id rank.
    elements: Vec<Element>,
    /// The types used, in order: a type's rank is its position.
    kinds: Vec<&'static str>,
}

/// The SPDX id of an element of a document with these packages.
fn element_id<'p>(packages: &'p [PackageSlot<'_>], element: Element) -> &'p str {
    match element {
        Element::Document => "SPDXRef-DOCUMENT",
        Element::Package(at) => &packages[at as usize].spdx_id,
    }
}

impl Document<'_> {
    fn id(&self, element: Element) -> &str {
        element_id(&self.packages, element)
    }

    /// Names the document: `id` identifies its content, and the namespace ends with it.
    pub fn set_namespace(&mut self, id: &uuid::Uuid) {
        self.head.document_namespace = format!("https://spdx.org/spdxdocs/{}-{id}", spdx_safe(&self.head.name));
    }

    /// The relationships, sorted, each once, as keys [`relationship`](Self::relationship)
    /// reads (a slice, so that they can be written in pieces on every core).
    pub fn relationship_keys(&self) -> &[RelationKey] {
        &self.relationships.keys
    }

    /// `(element, relationship type, related element)` of one of the document's keys.
    pub fn relationship(&self, key: RelationKey) -> (&str, &'static str, &str) {
        let r = &self.relationships;
        let RelationKey(key) = key;
        let element = |rank: u128| r.elements[(rank & u128::from(u32::MAX)) as usize];
        let kind = r.kinds[((key >> 32) & 0xff) as usize];
        (self.id(element(key >> 40)), kind, self.id(element(key)))
    }
}

/// One relationship of a [`Document`], packed (see [`Relations`]).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RelationKey(u128);

#[derive(Serialize)]
struct Relationship<'a> {
    #[serde(rename = "spdxElementId")]
    a: &'a str,
    #[serde(rename = "relationshipType")]
    kind: &'a str,
    #[serde(rename = "relatedSpdxElement")]
    b: &'a str,
}

/// Builds the document, all but its namespace ([`Document::set_namespace`]).
pub fn to_document(sbom: &Sbom) -> Document<'_> {
    let graph = &sbom.graph;
    let mut extracted = BTreeMap::new();
    let mut packages = vec![PackageSlot {
        spdx_id: SUBJECT_ID.into(),
        license_declared: NOASSERTION.into(),
        component: None,
    }];
    // On every core, a run of components at a time; the runs' extracted licenses are then
    // merged in order (the first of an id counts, as when built one by one).
    let components: Vec<&Component> = graph.components().collect();
    let runs = crate::parallel::map_runs(&components, 256, |run| {
        let mut extracted = BTreeMap::new();
        let slots: Vec<PackageSlot> = run
            .iter()
            .map(|&c| PackageSlot {
                spdx_id: spdx_package_id(c.ecosystem.purl_type(), &c.name, c.version.as_deref(), &c.id.0),
                license_declared: declared_license(&c.licenses, &mut extracted),
                component: Some(c),
            })
            .collect();
        (slots, extracted)
    });
    packages.reserve(components.len());
    for (run, run_extracted) in runs {
        packages.extend(run);
        for (id, license) in run_extracted {
            extracted.entry(id).or_insert(license);
        }
    }

    // Component `at` of the graph is package `at + 1` (the subject comes first).
    let package_of = |at: usize| Element::Package(u32::try_from(at + 1).expect("fewer than 2^32 packages"));
    let edges = graph.edge_positions();
    let mut relationships = Vec::with_capacity(1 + graph.roots().count() + edges.len());
    relationships.push((Element::Document, "DESCRIBES", Element::Package(0)));
    for (at, c) in graph.components().enumerate() {
        if c.role == Role::Project {
            relationships.push((Element::Package(0), "CONTAINS", package_of(at)));
        }
    }
    for (from, to, kind) in edges {
        let (a, b) = (package_of(from), package_of(to));
        relationships.push(match kind {
            DependencyKind::Normal | DependencyKind::Peer => (a, "DEPENDS_ON", b),
            DependencyKind::Optional => (b, "OPTIONAL_DEPENDENCY_OF", a),
            DependencyKind::Dev => (b, "DEV_DEPENDENCY_OF", a),
            DependencyKind::Build => (b, "BUILD_DEPENDENCY_OF", a),
        });
    }
    let head = w::Document {
        spdx_version: "SPDX-2.3".into(),
        data_license: "CC0-1.0".into(),
        spdx_id: "SPDXRef-DOCUMENT".into(),
        name: sbom.subject.name.clone(),
        document_namespace: String::new(),
        creation_info: w::CreationInfo {
            created: sbom.created.to_string(),
            creators: vec![format!("Tool: bomsight-{}", env!("CARGO_PKG_VERSION"))],
            ..Default::default()
        },
        packages: Vec::new(),
        extracted_licenses: extracted.into_values().collect(),
        relationships: Vec::new(),
        document_describes: Vec::new(),
        files: Vec::new(),
    };
    let relationships = sorted_by_ids(&packages, relationships);
    Document {
        head,
        packages,
        relationships,
    }
}

/// The relationships sorted and deduplicated by the ids they name (see [`Relations`]).
fn sorted_by_ids(packages: &[PackageSlot<'_>], relationships: Vec<Relation>) -> Relations {
    // Position 0 is the document, 1.. the packages; equal ids get equal ranks.
    let element_at = |i: usize| {
        if i == 0 {
            Element::Document
        } else {
            Element::Package((i - 1) as u32)
        }
    };
    let id = |i: usize| element_id(packages, element_at(i));
    let mut order: Vec<usize> = (0..=packages.len()).collect();
    order.sort_unstable_by(|&x, &y| id(x).cmp(id(y)));
    let mut ranks = vec![0u32; order.len()];
    let mut elements = Vec::with_capacity(order.len());
    for (n, &at) in order.iter().enumerate() {
        let same = n > 0 && id(order[n - 1]) == id(at);
        if same {
            ranks[at] = ranks[order[n - 1]];
        } else {
            ranks[at] = elements.len() as u32;
            elements.push(element_at(at));
        }
    }
    let rank = |e: Element| {
        u128::from(match e {
            Element::Document => ranks[0],
            Element::Package(at) => ranks[at as usize + 1],
        })
    };
    // The few types used, each once (sorting one per relationship compared a hundred
    // thousand strings); a type is found by its address first: each is one literal.
    let same = |a: &str, b: &str| std::ptr::eq(a, b) || a == b;
    let mut kinds: Vec<&'static str> = Vec::new();
    for &(_, kind, _) in &relationships {
        if !kinds.iter().any(|k| same(k, kind)) {
            kinds.push(kind);
        }
    }
    kinds.sort_unstable();
    let kind_rank = |kind: &str| kinds.iter().position(|k| same(k, kind)).expect("every kind is listed") as u128;
    let mut keys: Vec<u128> = relationships
        .iter()
        .map(|&(a, kind, b)| rank(a) << 40 | kind_rank(kind) << 32 | rank(b))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let keys = keys.into_iter().map(RelationKey).collect();
    Relations { keys, elements, kinds }
}

/// All declared licenses joined with AND; text that is no SPDX expression becomes a
/// `LicenseRef-` with the text kept in `hasExtractedLicensingInfos`.
fn declared_license(licenses: &SortedSet<License>, extracted: &mut BTreeMap<String, w::ExtractedLicense>) -> String {
    let parts: Vec<String> = licenses
        .iter()
        .map(|l| match &l.expression {
            Some(e) => e.clone(),
            None => {
                let id = format!("LicenseRef-{}", spdx_safe(&l.raw));
                extracted.entry(id.clone()).or_insert_with(|| w::ExtractedLicense {
                    license_id: id.clone(),
                    extracted_text: l.raw.clone(),
                    name: Some(l.raw.clone()),
                });
                id
            }
        })
        .collect();
    match parts.len() {
        0 => NOASSERTION.into(),
        1 => parts[0].clone(),
        _ => parts.iter().map(|p| format!("({p})")).collect::<Vec<_>>().join(" AND "),
    }
}
