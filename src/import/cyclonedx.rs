//! CycloneDX (JSON here; XML is read into the same shape) back into the model. Our own
//! documents come back exactly (ids, sources and roles are in bom-refs and properties);
//! other tools' documents are read for what they say: purls, versions, hashes, licenses,
//! scopes, nested components and the `dependencies` graph.

use crate::diagnostic::Diagnostic;
use crate::export::SUBJECT_REF;
use crate::model::{
    Artifact, Component, ComponentId, DependencyKind, Ecosystem, Edge, GraphBuilder, Hash, HashAlgorithm, License,
    Location, Purpose, Role, Sbom, Scope, Source, Subject, Timestamp,
};
use crate::wire::cyclonedx as cdx;
use std::collections::{BTreeSet, HashMap};

pub fn import_json(path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Result<Sbom, Diagnostic> {
    let bom: cdx::Bom = serde_json::from_str(text).map_err(|e| {
        Diagnostic::error(
            path,
            Some(e.line()),
            format!(
                "invalid CycloneDX JSON: {}",
                crate::text::without_position(&e.to_string())
            ),
        )
    })?;
    Ok(from_bom(path, bom, diagnostics))
}

/// The model of a parsed CycloneDX document (JSON or XML).
pub fn from_bom(path: &str, bom: cdx::Bom, diagnostics: &mut Vec<Diagnostic>) -> Sbom {
    let metadata = bom.metadata.unwrap_or_default();
    let created = metadata
        .timestamp
        .as_deref()
        .and_then(Timestamp::parse_rfc3339)
        .unwrap_or(Timestamp(0));
    let mut subject = Subject {
        name: "unnamed".into(),
        version: None,
    };
    let mut flat: Vec<cdx::Component> = Vec::new();
    if let Some(mc) = metadata.component {
        subject = Subject {
            name: mc.name.clone(),
            version: mc.version.clone(),
        };
        // Another tool's subject is a project of the graph; ours is the document itself.
        if mc.bom_ref.as_deref() != Some(SUBJECT_REF) {
            let mut root = mc;
            root.properties.push(cdx::Property {
                name: "bomsight:role".into(),
                value: Some("project".into()),
            });
            flatten(root, &mut flat);
        }
    }
    for c in bom.components {
        flatten(c, &mut flat);
    }
    let mut builder = GraphBuilder::new();
    let mut ids: HashMap<String, ComponentId> = HashMap::new();
    let mut seen = BTreeSet::new();
    for c in flat {
        let reference = c.bom_ref.clone();
        let component = component(path, c, diagnostics);
        if !seen.insert(component.id.clone()) {
            diagnostics.push(Diagnostic::warning(
                path,
                None,
                format!("component `{}` appears twice; merged", component.id),
            ));
        }
        if let Some(r) = reference {
            ids.insert(r, component.id.clone());
        }
        builder.add_component(component);
    }
    for dep in bom.dependencies {
        if dep.reference == SUBJECT_REF {
            continue;
        }
        let Some(from) = ids.get(&dep.reference) else {
            diagnostics.push(Diagnostic::warning(
                path,
                None,
                format!("dependencies: `{}` is no component's bom-ref", dep.reference),
            ));
            continue;
        };
        for target in dep.depends_on {
            match ids.get(&target) {
                Some(to) => builder.add_edge(Edge {
                    from: from.clone(),
                    to: to.clone(),
                    kind: DependencyKind::Normal,
                }),
                None => diagnostics.push(Diagnostic::warning(
                    path,
                    None,
                    format!(
                        "dependencies: `{}` depends on `{target}`, which is no component's bom-ref",
                        dep.reference
                    ),
                )),
            }
        }
    }
    let (graph, _) = builder.build();
    Sbom {
        subject,
        created,
        graph,
    }
}

fn flatten(mut c: cdx::Component, out: &mut Vec<cdx::Component>) {
    let children = std::mem::take(&mut c.components);
    out.push(c);
    for child in children {
        flatten(child, out);
    }
}

fn component(path: &str, c: cdx::Component, diagnostics: &mut Vec<Diagnostic>) -> Component {
    let props: HashMap<&str, &str> = c
        .properties
        .iter()
        .filter_map(|p| Some((p.name.as_str(), p.value.as_deref()?)))
        .collect();
    let parsed = c.purl.as_deref().and_then(|p| p.parse::<packageurl::PackageUrl>().ok());
    let ecosystem = parsed
        .as_ref()
        .and_then(|p| Ecosystem::from_purl_type(p.ty()))
        .unwrap_or(Ecosystem::Generic);
    let source = props
        .get("bomsight:source")
        .and_then(|s| Source::parse(s))
        .or_else(|| parsed.as_ref().map(source_from_qualifiers))
        .unwrap_or(Source::DefaultRegistry);
    let namespace = c.group.clone().filter(|g| !g.is_empty());
    let mut out = Component::new(
        ecosystem,
        namespace.as_deref(),
        &c.name,
        c.version.as_deref(),
        source.clone(),
    )
    .or_else(|_| Component::new(Ecosystem::Generic, None, &c.name, c.version.as_deref(), source))
    .unwrap_or_else(|_| {
        Component::new(Ecosystem::Generic, None, "unnamed", None, Source::DefaultRegistry)
            .expect("a plain name always makes a purl")
    });
    out.name = c.name.clone();
    out.purl = c.purl.clone();
    if let Some(r) = c.bom_ref.clone().or_else(|| c.purl.clone()) {
        out.id = ComponentId(r);
    }
    out.role = if props.get("bomsight:role") == Some(&"project") {
        Role::Project
    } else {
        Role::Package
    };
    out.purpose = if c.kind == "application" {
        Purpose::Application
    } else {
        Purpose::Library
    };
    out.scope = match (c.scope.as_deref(), props.get("bomsight:scope")) {
        (Some("optional"), _) => Scope::Optional,
        (Some("excluded"), Some(&"build")) => Scope::Build,
        (Some("excluded"), _) => Scope::Dev,
        _ => Scope::Required,
    };
    out.max_scope = out.scope;
    for h in &c.hashes {
        match hash(&h.alg, &h.content) {
            Ok(h) => {
                out.hashes.insert(h);
            }
            Err(m) => diagnostics.push(Diagnostic::warning(path, None, format!("component `{}`: {m}", out.id))),
        }
    }
    for l in &c.licenses {
        let text = match l {
            cdx::LicenseChoice::License { license } => license.id.clone().or_else(|| license.name.clone()),
            cdx::LicenseChoice::Expression { expression, .. } => Some(expression.clone()),
        };
        out.licenses.extend(text.map(|t| License::parse(&t)));
    }
    out.description = c.description.clone();
    out.supplier = c
        .extra
        .get("supplier")
        .and_then(|s| s.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    out.authors = match &c.authors {
        Some(list) => list.iter().filter_map(|a| a.name.clone()).collect(),
        None => c
            .extra
            .get("author")
            .and_then(|a| a.as_str())
            .map(|a| a.split(", ").map(str::to_string).collect())
            .unwrap_or_default(),
    };
    for r in &c.external_references {
        match (r.kind.as_str(), r.comment.as_deref()) {
            ("distribution", Some(comment)) if comment != "package registry" => {
                let hashes = r.hashes.iter().filter_map(|h| hash(&h.alg, &h.content).ok()).collect();
                let url = (r.url != comment).then(|| r.url.clone());
                out.artifacts.insert(Artifact {
                    file_name: comment.to_string(),
                    url,
                    hashes,
                });
            }
            ("vcs", None) => out.repository = Some(r.url.clone()),
            ("vcs", Some("git source")) => {}
            ("website", _) => out.homepage = Some(r.url.clone()),
            _ => {}
        }
    }
    if let Some(ev) = &c.evidence {
        out.locations = ev
            .occurrences
            .iter()
            .map(|o| Location {
                path: o.location.clone(),
                line: o.line,
            })
            .collect();
    }
    for (name, value) in &props {
        if matches!(*name, "bomsight:source" | "bomsight:scope" | "bomsight:role") {
            continue;
        }
        let key = name.strip_prefix("bomsight:").unwrap_or(name);
        out.properties.insert(key.to_string(), value.to_string());
    }
    out
}

/// The source a purl's qualifiers state.
pub fn source_from_qualifiers(p: &packageurl::PackageUrl<'_>) -> Source {
    let q = p.qualifiers();
    if let Some(vcs) = q.get("vcs_url") {
        let url = vcs.trim_start_matches("git+");
        return match url.rsplit_once('@').filter(|(repo, _)| repo.contains("://")) {
            Some((repo, rev)) => Source::Git {
                url: repo.to_string(),
                reference: None,
                revision: Some(rev.to_string()),
            },
            None => Source::Git {
                url: url.to_string(),
                reference: None,
                revision: None,
            },
        };
    }
    if let Some(repo) = q.get("repository_url") {
        return Source::Registry { url: repo.to_string() };
    }
    if let Some(url) = q.get("download_url") {
        return Source::Url { url: url.to_string() };
    }
    Source::DefaultRegistry
}

pub fn hash(alg: &str, value: &str) -> Result<Hash, String> {
    let algorithm = HashAlgorithm::parse(alg).ok_or_else(|| format!("unknown hash algorithm `{alg}`"))?;
    Hash::from_hex(algorithm, value).map_err(|e| e.to_string())
}
