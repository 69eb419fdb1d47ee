//! The graph as CycloneDX JSON (1.6 by default, 1.5 for older tools). The mapping is
//! documented in `formats/cyclonedx.md`.

use super::Rendering;
use crate::model::{Component, DependencyGraph, License, Purpose, Role, Sbom, Scope, SortedSet, Source};
use crate::wire::cyclonedx as cdx;
use serde::Serialize;
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
    document.field_rendered_in_parallel("components", &components, |c| component(c, version))?;
    document.field("dependencies", &super::Streamed(|| dependencies(graph)))?;
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

/// The subject's entry (the projects), then one per component in id order, each listing its
/// dependencies' ids once, in id order.
fn dependencies(graph: &DependencyGraph) -> impl Iterator<Item = Dependency<'_>> {
    let subject = Dependency {
        reference: SUBJECT_REF,
        depends_on: graph.roots().map(|r| r.id.as_str()).collect(),
    };
    let ids: Vec<&str> = graph.components().map(|c| c.id.as_str()).collect();
    // Edges sorted by position are grouped by dependent and ordered by dependency id.
    let mut edges = graph.edge_positions().into_iter().peekable();
    let per_component = (0..ids.len()).map(move |at| {
        let mut depends_on: Vec<&str> = Vec::new();
        while let Some((_, to, _)) = edges.next_if(|(from, _, _)| *from == at) {
            if depends_on.last() != Some(&ids[to]) {
                depends_on.push(ids[to]);
            }
        }
        Dependency {
            reference: ids[at],
            depends_on,
        }
    });
    std::iter::once(subject).chain(per_component)
}

fn component(c: &Component, version: CycloneDxVersion) -> cdx::Component {
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
    cdx::Component {
        kind: kind.into(),
        bom_ref: Some(c.id.to_string()),
        authors,
        group: c.namespace.as_deref().map(str::to_string),
        name: c.name.to_string(),
        version: c.version.as_deref().map(str::to_string),
        description: c.description.as_deref().map(normalized),
        scope: Some(scope.into()),
        hashes: c
            .hashes
            .iter()
            .map(|h| cdx::HashValue {
                alg: h.algorithm.cyclonedx_name().into(),
                content: h.hex(),
            })
            .collect(),
        licenses: licenses(&c.licenses, version),
        purl: c.purl.as_deref().map(str::to_string),
        external_references: external_references(c),
        properties: properties(c),
        evidence: evidence(c, version),
        components: Vec::new(),
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

fn properties(c: &Component) -> Vec<cdx::Property> {
    let mut props = vec![cdx::Property {
        name: "bomsight:source".into(),
        value: Some(c.source.to_string()),
    }];
    if matches!(c.scope, Scope::Dev | Scope::Build) {
        props.push(cdx::Property {
            name: "bomsight:scope".into(),
            value: Some(c.scope.id().into()),
        });
    }
    if c.role == Role::Project {
        props.push(cdx::Property {
            name: "bomsight:role".into(),
            value: Some("project".into()),
        });
    }
    for (k, v) in &c.properties {
        let name = format!("bomsight:{k}");
        props.push(cdx::Property {
            name,
            value: Some(v.clone()),
        });
    }
    props.sort();
    props
}

fn evidence(c: &Component, version: CycloneDxVersion) -> Option<cdx::Evidence> {
    if c.locations.is_empty() {
        return None;
    }
    let mut occurrences: Vec<cdx::Occurrence> = c
        .locations
        .iter()
        .map(|l| cdx::Occurrence {
            location: l.path.clone(),
            line: if version == CycloneDxVersion::V1_6 {
                l.line
            } else {
                None
            },
        })
        .collect();
    // 1.5 has no line numbers: two sightings in one file become one occurrence.
    occurrences.dedup_by(|a, b| a.location == b.location && a.line == b.line);
    Some(cdx::Evidence { occurrences })
}
