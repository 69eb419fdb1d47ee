//! SPDX 2.2 / 2.3 (JSON here; tag-value is read into the same shape) back into the model:
//! packages and files as components, `externalRefs` purls, checksums, declared licenses,
//! and every dependency relationship type, whichever way it points.

use super::cyclonedx::source_from_qualifiers;
use crate::diagnostic::Diagnostic;
use crate::export::SUBJECT_ID;
use crate::model::{
    Component, ComponentId, DependencyKind, Ecosystem, Edge, GraphBuilder, Hash, HashAlgorithm, License, Location,
    Purpose, Role, Sbom, Source, Subject, Timestamp,
};
use crate::wire::spdx as w;
use std::collections::{HashMap, HashSet};

pub fn import_json(path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Result<Sbom, Diagnostic> {
    let doc: w::Document = serde_json::from_str(text).map_err(|e| {
        Diagnostic::error(
            path,
            Some(e.line()),
            format!("invalid SPDX JSON: {}", crate::text::without_position(&e.to_string())),
        )
    })?;
    Ok(from_document(path, doc, diagnostics))
}

/// Which way a relationship type points, and the kind of dependency it states:
/// (`dependent is the first element`, kind).
fn relationship(kind: &str) -> Option<(bool, DependencyKind)> {
    Some(match kind {
        "DEPENDS_ON" | "CONTAINS" => (true, DependencyKind::Normal),
        "DEPENDENCY_OF" | "RUNTIME_DEPENDENCY_OF" | "PROVIDED_DEPENDENCY_OF" | "CONTAINED_BY" => {
            (false, DependencyKind::Normal)
        }
        "OPTIONAL_DEPENDENCY_OF" => (false, DependencyKind::Optional),
        "DEV_DEPENDENCY_OF" | "TEST_DEPENDENCY_OF" | "DEV_TOOL_OF" | "TEST_TOOL_OF" => (false, DependencyKind::Dev),
        "BUILD_DEPENDENCY_OF" | "BUILD_TOOL_OF" => (false, DependencyKind::Build),
        _ => return None,
    })
}

pub fn from_document(path: &str, mut doc: w::Document, diagnostics: &mut Vec<Diagnostic>) -> Sbom {
    let created = Timestamp::parse_rfc3339(&doc.creation_info.created).unwrap_or(Timestamp(0));
    let mut subject = Subject {
        name: doc.name.clone(),
        version: None,
    };
    let extracted: HashMap<String, String> = doc
        .extracted_licenses
        .iter()
        .map(|e| (e.license_id.clone(), e.extracted_text.clone()))
        .collect();
    let described: HashSet<String> = doc
        .relationships
        .iter()
        .filter(|r| r.spdx_element_id == "SPDXRef-DOCUMENT" && r.relationship_type == "DESCRIBES")
        .map(|r| r.related_spdx_element.clone())
        .chain(doc.document_describes.iter().cloned())
        .collect();
    let ours = doc.packages.iter().any(|p| p.spdx_id == SUBJECT_ID);
    let roots: HashSet<String> = if ours {
        doc.relationships
            .iter()
            .filter(|r| r.spdx_element_id == SUBJECT_ID && r.relationship_type == "CONTAINS")
            .map(|r| r.related_spdx_element.clone())
            .collect()
    } else {
        described.clone()
    };
    let mut builder = GraphBuilder::new();
    let mut ids: HashMap<String, ComponentId> = HashMap::new();
    for p in std::mem::take(&mut doc.packages) {
        if p.spdx_id == SUBJECT_ID {
            subject = Subject {
                name: p.name.clone(),
                version: p.version_info.clone(),
            };
            continue;
        }
        let mut c = package(path, &p, &extracted, diagnostics);
        if roots.contains(&p.spdx_id) {
            c.role = Role::Project;
        }
        ids.insert(p.spdx_id.clone(), c.id.clone());
        builder.add_component(c);
    }
    // A file entry is a component of its own (its name is its identity across releases).
    for f in std::mem::take(&mut doc.files) {
        let mut c = Component::new(
            Ecosystem::Generic,
            None,
            &f.file_name,
            None,
            Source::Path {
                path: Some(f.file_name.clone()),
            },
        )
        .unwrap_or_else(|_| {
            Component::new(Ecosystem::Generic, None, "file", None, Source::Path { path: None }).expect("plain name")
        });
        c.id = ComponentId::from(format!("file:{}", f.file_name));
        c.purl = None;
        c.properties.insert("spdx:file".into(), "true".into());
        for ch in &f.checksums {
            if let Some(h) = checksum(ch) {
                c.hashes.insert(h);
            }
        }
        if let Some(l) = f
            .license_concluded
            .as_deref()
            .filter(|l| !matches!(*l, "NOASSERTION" | "NONE"))
        {
            c.licenses.insert(License::parse(l));
        }
        ids.insert(f.spdx_id.clone(), c.id.clone());
        builder.add_component(c);
    }
    for r in &doc.relationships {
        let Some((forward, kind)) = relationship(&r.relationship_type) else {
            continue;
        };
        let (a, b) = if forward {
            (&r.spdx_element_id, &r.related_spdx_element)
        } else {
            (&r.related_spdx_element, &r.spdx_element_id)
        };
        if a == SUBJECT_ID || a == "SPDXRef-DOCUMENT" || b == "NONE" || b == "NOASSERTION" {
            continue;
        }
        match (ids.get(a), ids.get(b)) {
            (Some(from), Some(to)) => builder.add_edge(Edge {
                from: from.clone(),
                to: to.clone(),
                kind,
            }),
            _ => diagnostics.push(Diagnostic::warning(
                path,
                None,
                format!(
                    "relationship `{} {} {}` names an unknown element",
                    r.spdx_element_id, r.relationship_type, r.related_spdx_element
                ),
            )),
        }
    }
    let (graph, _) = builder.build();
    Sbom {
        subject,
        created,
        graph,
    }
}

fn checksum(c: &w::Checksum) -> Option<Hash> {
    Hash::from_hex(HashAlgorithm::parse(&c.algorithm)?, &c.checksum_value).ok()
}

fn package(
    path: &str,
    p: &w::Package,
    extracted: &HashMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Component {
    let purl_text = p
        .external_refs
        .iter()
        .find(|r| r.reference_type == "purl" && r.reference_category.replace('_', "-") == "PACKAGE-MANAGER")
        .map(|r| r.reference_locator.clone());
    let purl = purl_text
        .as_deref()
        .and_then(|t| t.parse::<packageurl::PackageUrl>().ok());
    let ecosystem = purl
        .as_ref()
        .and_then(|u| Ecosystem::from_purl_type(u.ty()))
        .unwrap_or(Ecosystem::Generic);
    // Ours: `source SOURCE; found in PATH:LINE, PATH`.
    let (source_text, found_in) = match p.source_info.as_deref().and_then(|s| s.strip_prefix("source ")) {
        Some(rest) => match rest.split_once("; found in ") {
            Some((s, f)) => (Some(s.to_string()), Some(f.to_string())),
            None => (Some(rest.to_string()), None),
        },
        None => (None, None),
    };
    let source = source_text
        .as_deref()
        .and_then(Source::parse)
        .or_else(|| purl.as_ref().map(source_from_qualifiers))
        .or_else(|| p.download_location.strip_prefix("git+").map(vcs_download))
        .unwrap_or(Source::DefaultRegistry);
    let (namespace, name) = match (&purl, p.name.rsplit_once('/')) {
        (Some(u), _) => (u.namespace().map(str::to_string), u.name().to_string()),
        (None, Some((ns, n))) if ns.starts_with('@') => (Some(ns.to_string()), n.to_string()),
        _ => (None, p.name.clone()),
    };
    let mut c = Component::new(
        ecosystem,
        namespace.as_deref(),
        &name,
        p.version_info.as_deref(),
        source.clone(),
    )
    .or_else(|_| Component::new(Ecosystem::Generic, None, &p.name, p.version_info.as_deref(), source))
    .unwrap_or_else(|_| {
        Component::new(Ecosystem::Generic, None, "unnamed", None, Source::DefaultRegistry).expect("plain name")
    });
    if ecosystem == Ecosystem::Pypi || ecosystem == Ecosystem::Generic {
        c.name = p.name.as_str().into();
    }
    c.purl = purl_text.as_deref().map(std::sync::Arc::from);
    if let Some(id) = p.comment.as_deref().and_then(|c| c.strip_prefix("bomsight id: ")) {
        c.id = ComponentId::from(id);
    } else if let Some(t) = purl_text {
        c.id = ComponentId::from(t);
    } else {
        c.id = ComponentId::from(format!("spdx:{}", p.spdx_id));
    }
    c.purpose = if p.primary_package_purpose.as_deref() == Some("APPLICATION") {
        Purpose::Application
    } else {
        Purpose::Library
    };
    for ch in &p.checksums {
        match checksum(ch) {
            Some(h) => {
                c.hashes.insert(h);
            }
            None => diagnostics.push(Diagnostic::warning(
                path,
                None,
                format!(
                    "package `{}`: checksum `{}: {}` ignored",
                    p.spdx_id, ch.algorithm, ch.checksum_value
                ),
            )),
        }
    }
    let declared = p
        .license_declared
        .as_deref()
        .filter(|l| !matches!(*l, "NOASSERTION" | "NONE"));
    if let Some(l) = declared {
        let parts = split_and(l);
        for part in parts {
            let text = extracted.get(&part).cloned().unwrap_or(part);
            c.licenses.insert(License::parse(&text));
        }
    }
    c.description = p.description.clone();
    c.supplier = p
        .supplier
        .as_deref()
        .filter(|s| *s != "NOASSERTION")
        .map(|s| s.split_once(':').map_or(s, |(_, who)| who).trim().to_string());
    c.homepage = p.homepage.clone();
    if let Some(f) = found_in {
        c.locations = f
            .split(", ")
            .map(
                |l| match l.rsplit_once(':').and_then(|(p, n)| n.parse().ok().map(|n| (p, n))) {
                    Some((p, n)) => Location {
                        path: p.into(),
                        line: Some(n),
                    },
                    None => Location {
                        path: l.into(),
                        line: None,
                    },
                },
            )
            .collect();
    }
    c
}

/// `(A) AND (B)` as bomsight writes several declared licenses → `A`, `B`; anything else whole.
fn split_and(expr: &str) -> Vec<String> {
    let parts: Vec<&str> = expr.split(") AND (").collect();
    if parts.len() > 1 && expr.starts_with('(') && expr.ends_with(')') {
        parts
            .iter()
            .map(|p| p.trim_start_matches('(').trim_end_matches(')').to_string())
            .collect()
    } else {
        vec![expr.to_string()]
    }
}

/// `downloadLocation: git+https://host/repo@REVISION`.
fn vcs_download(url: &str) -> Source {
    let path_start = url.find("://").map_or(0, |i| i + 3);
    match url[path_start..].rfind('@') {
        Some(i) => Source::Git {
            url: url[..path_start + i].to_string(),
            reference: None,
            revision: Some(url[path_start + i + 1..].to_string()),
        },
        None => Source::Git {
            url: url.to_string(),
            reference: None,
            revision: None,
        },
    }
}
