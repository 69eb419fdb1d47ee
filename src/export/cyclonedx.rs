//! The graph as CycloneDX JSON (1.6 by default, 1.5 for older tools). The mapping is
//! documented in `formats/cyclonedx.md`.

use super::Rendering;
use crate::model::{Component, DependencyGraph, License, Purpose, Role, Sbom, Scope, SortedSet, Source};
use crate::wire::cyclonedx as cdx;
use serde::Serialize;
use std::borrow::Cow;
use std::io::{self, Write};

/// The CycloneDX versions bomsight writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CycloneDxVersion {
    V1_5,
    V1_6,
}

impl CycloneDxVersion {
    fn spec(self) -> &'static str {
        match self {
            CycloneDxVersion::V1_5 => "1.5",
            CycloneDxVersion::V1_6 => "1.6",
        }
    }
}

pub fn write_1_6(rendering: &Rendering<'_>, out: &mut (dyn Write + Send)) -> io::Result<()> {
    write(rendering, CycloneDxVersion::V1_6, out)
}

pub fn write_1_5(rendering: &Rendering<'_>, out: &mut (dyn Write + Send)) -> io::Result<()> {
    write(rendering, CycloneDxVersion::V1_5, out)
}

/// The bom-ref of `metadata.component`, the scanned project as a whole.
pub const SUBJECT_REF: &str = "bomsight:subject";

/// The document: `cdx::Bom`'s fields in its order, with components rendered on every core
/// and dependencies made one at a time as they are written, so no copy of the whole graph is
/// ever held.
fn write(rendering: &Rendering<'_>, version: CycloneDxVersion, out: &mut (dyn Write + Send)) -> io::Result<()> {
    let sbom = rendering.sbom;
    let graph = &sbom.graph;
    let serial = rendering.content_uuid(&format!("cyclonedx-{}", version.spec()));
    let components: Vec<&Component> = graph.components().collect();
    let mut document = super::json::ObjectWriter::begin(&mut *out);
    document.field("bomFormat", "CycloneDX")?;
    document.field("specVersion", version.spec())?;
    document.field("serialNumber", &format!("urn:uuid:{serial}"))?;
    document.field("version", &1u32)?;
    document.field("metadata", &metadata(sbom))?;
    document.field_rendered_in_parallel("components", &components, super::pieces::RECORDS, |c| {
        component(c, version)
    })?;
    // Entry 0 is the subject's, entry `n + 1` component `n`'s.
    let entries: Vec<usize> = (0..=components.len()).collect();
    document.field_rendered_in_parallel("dependencies", &entries, super::pieces::LINES / 8, |&at| {
        dependency(graph, &components, at)
    })?;
    document.end()?;
    out.write_all(b"\n")?;
    out.flush()
}

/// One entry of `dependencies`, borrowing the ids it names.
#[derive(Serialize)]
struct Dependency<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    #[serde(rename = "dependsOn")]
    depends_on: Vec<&'a str>,
}

fn metadata(sbom: &Sbom) -> cdx::Metadata {
    let subject = cdx::Component {
        kind: "application".into(),
        bom_ref: Some(SUBJECT_REF.into()),
        name: sbom.subject.name.clone(),
        version: sbom.subject.version.clone(),
        ..Default::default()
    };
    let tool = cdx::Component {
        kind: "application".into(),
        name: "bomsight".into(),
        version: Some(env!("CARGO_PKG_VERSION").into()),
        ..Default::default()
    };
    cdx::Metadata {
        timestamp: Some(sbom.created.to_string()),
        tools: Some(cdx::ToolsChoice::Modern(cdx::Tools { components: vec![tool] })),
        component: Some(subject),
        ..Default::default()
    }
}

/// Entry `at` of `dependencies`: the subject's (the projects) first, then one per component in
/// id order, each listing its dependencies' ids once, in id order (edges sorted by position
/// are ordered by dependency id).
fn dependency<'a>(graph: &'a DependencyGraph, components: &[&'a Component], at: usize) -> Dependency<'a> {
    let Some(position) = at.checked_sub(1) else {
        return Dependency {
            reference: SUBJECT_REF,
            depends_on: graph.roots().map(|r| r.id.as_str()).collect(),
        };
    };
    let mut depends_on: Vec<&str> = Vec::new();
    for (to, _) in graph.edge_positions_from(position) {
        let id = components[to].id.as_str();
        if depends_on.last() != Some(&id) {
            depends_on.push(id);
        }
    }
    Dependency {
        reference: components[position].id.as_str(),
        depends_on,
    }
}

/// A component as written: `cdx::Component`'s fields in its order, with its omissions,
/// borrowing the graph's strings instead of copying them. (Copying meant, besides the
/// allocations, a reference count bumped and dropped for every evidence path, the same few
/// thousand paths from the two CycloneDX outputs on two cores.) The nested `components`,
/// which bomsight never fills, are left out, as the wire type leaves them out when empty.
#[derive(Serialize)]
struct ComponentOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    authors: Option<Vec<cdx::OrganizationalContact>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    scope: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<HashOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<cdx::LicenseChoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<&'a str>,
    #[serde(rename = "externalReferences", skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<cdx::ExternalReference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<PropertyOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<EvidenceOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier: Option<cdx::OrganizationalEntity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
}

/// `cdx::HashValue`, its algorithm's name borrowed.
#[derive(Serialize)]
struct HashOut {
    alg: &'static str,
    content: String,
}

/// `cdx::Property`; sorted by name, then value, as the wire type sorts.
#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct PropertyOut<'a> {
    name: String,
    value: Cow<'a, str>,
}

/// `cdx::Evidence`, never empty.
#[derive(Serialize)]
struct EvidenceOut<'a> {
    occurrences: Vec<OccurrenceOut<'a>>,
}

/// `cdx::Occurrence`.
#[derive(Serialize, PartialEq)]
struct OccurrenceOut<'a> {
    location: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

fn component(c: &Component, version: CycloneDxVersion) -> ComponentOut<'_> {
    let kind = match (c.role, c.purpose) {
        (Role::Project, Purpose::Application) => "application",
        _ => "library",
    };
    let scope = match c.scope {
        Scope::Required => "required",
        Scope::Optional => "optional",
        Scope::Dev | Scope::Build => "excluded",
    };
    let supplier = c
        .supplier
        .as_ref()
        .map(|s| cdx::OrganizationalEntity { name: Some(s.clone()) });
    let mut author = None;
    let authors = if c.authors.is_empty() {
        None
    } else if version == CycloneDxVersion::V1_5 {
        author = Some(normalized(&c.authors.join(", ")));
        None
    } else {
        Some(
            c.authors
                .iter()
                .map(|a| cdx::OrganizationalContact {
                    name: Some(a.clone()),
                    ..Default::default()
                })
                .collect(),
        )
    };
    ComponentOut {
        kind,
        bom_ref: c.id.as_str(),
        authors,
        group: c.namespace.as_deref(),
        name: &c.name,
        version: c.version.as_deref(),
        description: c.description.as_deref().map(normalized),
        scope,
        hashes: c
            .hashes
            .iter()
            .map(|h| HashOut {
                alg: h.algorithm.cyclonedx_name(),
                content: h.hex(),
            })
            .collect(),
        licenses: licenses(&c.licenses, version),
        purl: c.purl.as_deref(),
        external_references: external_references(c),
        properties: properties(c),
        evidence: evidence(c, version),
        supplier,
        author,
    }
}

/// CycloneDX models free text such as descriptions as XML `normalizedString`: no tabs or
/// line breaks, which consumers built on the XML model reject.
fn normalized(text: &str) -> String {
    text.split(['\r', '\n', '\t'])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A single compound expression stays an expression; otherwise each license is listed by
/// id, or by name where it is not an SPDX expression. CycloneDX forbids mixing the two forms.
fn licenses(licenses: &SortedSet<License>, version: CycloneDxVersion) -> Vec<cdx::LicenseChoice> {
    let acknowledgement = (version == CycloneDxVersion::V1_6).then(|| "declared".to_string());
    let all_expressions = licenses.iter().all(|l| l.expression.is_some());
    let any_compound = licenses
        .iter()
        .any(|l| l.expression.is_some() && l.single_id().is_none());
    if all_expressions && any_compound {
        let parts: Vec<String> = licenses.iter().filter_map(|l| l.expression.clone()).collect();
        let expression = if parts.len() == 1 {
            parts[0].clone()
        } else {
            parts.iter().map(|p| format!("({p})")).collect::<Vec<_>>().join(" AND ")
        };
        return vec![cdx::LicenseChoice::Expression {
            expression,
            acknowledgement,
        }];
    }
    licenses
        .iter()
        .map(|l| {
            let (id, name) = match l.single_id() {
                Some(id) => (Some(id.to_string()), None),
                None => (None, Some(l.raw.clone())),
            };
            cdx::LicenseChoice::License {
                license: cdx::LicenseRef {
                    id,
                    name,
                    acknowledgement: acknowledgement.clone(),
                },
            }
        })
        .collect()
}

fn external_references(c: &Component) -> Vec<cdx::ExternalReference> {
    let mut refs = Vec::new();
    let mut add = |kind: &str, url: &str, comment: Option<String>, hashes: Vec<cdx::HashValue>| {
        refs.push(cdx::ExternalReference {
            kind: kind.into(),
            url: url.into(),
            comment,
            hashes,
        });
    };
    match &c.source {
        Source::Git { url, revision, .. } => {
            let url = crate::model::git_url_as_uri(url);
            let url = match revision {
                Some(rev) => format!("{url}#{rev}"),
                None => url,
            };
            add("vcs", &url, Some("git source".into()), Vec::new());
        }
        Source::Url { url } => add("distribution", url, None, Vec::new()),
        Source::Registry { url } => add("distribution", url, Some("package registry".into()), Vec::new()),
        Source::DefaultRegistry | Source::Path { .. } => {}
    }
    if let Some(repo) = &c.repository {
        add("vcs", repo, None, Vec::new());
    }
    if let Some(home) = &c.homepage {
        add("website", home, None, Vec::new());
    }
    for a in &c.artifacts {
        let hashes = a
            .hashes
            .iter()
            .map(|h| cdx::HashValue {
                alg: h.algorithm.cyclonedx_name().into(),
                content: h.hex(),
            })
            .collect();
        let url = a.url.clone().unwrap_or_else(|| a.file_name.clone());
        add("distribution", &url, Some(a.file_name.clone()), hashes);
    }
    refs.sort_by(|a, b| (&a.kind, &a.url, &a.comment).cmp(&(&b.kind, &b.url, &b.comment)));
    refs.dedup_by(|a, b| a.kind == b.kind && a.url == b.url && a.comment == b.comment);
    refs
}

fn properties(c: &Component) -> Vec<PropertyOut<'_>> {
    let mut props = vec![PropertyOut {
        name: "bomsight:source".into(),
        value: Cow::Owned(c.source.to_string()),
    }];
    if matches!(c.scope, Scope::Dev | Scope::Build) {
        props.push(PropertyOut {
            name: "bomsight:scope".into(),
            value: Cow::Borrowed(c.scope.id()),
        });
    }
    if c.role == Role::Project {
        props.push(PropertyOut {
            name: "bomsight:role".into(),
            value: Cow::Borrowed("project"),
        });
    }
    for (k, v) in &c.properties {
        props.push(PropertyOut {
            name: format!("bomsight:{k}"),
            value: Cow::Borrowed(v),
        });
    }
    props.sort();
    props
}

fn evidence(c: &Component, version: CycloneDxVersion) -> Option<EvidenceOut<'_>> {
    if c.locations.is_empty() {
        return None;
    }
    let mut occurrences: Vec<OccurrenceOut<'_>> = c
        .locations
        .iter()
        .map(|l| OccurrenceOut {
            location: l.path.as_str(),
            line: if version == CycloneDxVersion::V1_6 {
                l.line
            } else {
                None
            },
        })
        .collect();
    // 1.5 has no line numbers: two sightings in one file become one occurrence.
    occurrences.dedup();
    Some(EvidenceOut { occurrences })
}

#[cfg(test)]
mod tests {
    use super::super::test_component::full_component;
    use super::*;
    use crate::model::Ecosystem;

    #[test]
    fn a_component_is_written_as_the_wire_type_writes_it() {
        // The borrowed view must keep the wire type's fields, order and omissions: what it
        // writes, read into `cdx::Component` and written again, is the same text.
        let mut bare = Component::new(Ecosystem::Cargo, None, "bare", None, Source::DefaultRegistry).unwrap();
        bare.found_in("Cargo.lock", None);
        for c in [full_component(), bare] {
            for version in [CycloneDxVersion::V1_5, CycloneDxVersion::V1_6] {
                let written = super::super::json::to_string_pretty(&component(&c, version)).unwrap();
                let wire: cdx::Component = serde_json::from_str(&written).unwrap();
                let again = super::super::json::to_string_pretty(&wire).unwrap();
                assert_eq!(written, again, "{} as {}", c.name, version.spec());
            }
        }
    }

    #[test]
    fn version_1_5_merges_the_occurrences_of_one_file_and_lists_one_author() {
        let c = full_component();
        let v15 = component(&c, CycloneDxVersion::V1_5);
        let locations: Vec<_> = v15
            .evidence
            .as_ref()
            .unwrap()
            .occurrences
            .iter()
            .map(|o| (o.location, o.line))
            .collect();
        assert_eq!(
            locations,
            [("a dir/ü/package-lock.json", None), ("b/package-lock.json", None)]
        );
        assert_eq!(v15.author.as_deref(), Some("A. Author, B\\Author"));
        assert!(v15.authors.is_none());
        let v16 = component(&c, CycloneDxVersion::V1_6);
        assert_eq!(v16.evidence.as_ref().unwrap().occurrences.len(), 3);
        assert_eq!(v16.authors.as_ref().map(Vec::len), Some(2));
        assert_eq!(v16.description.as_deref(), Some("line one line \"two\" tab"));
    }
}
