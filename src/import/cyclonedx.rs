//! CycloneDX (JSON here; XML is read into the same shape) back into the model. Our own
//! documents come back exactly (ids, sources and roles are in bom-refs and properties);
//! other tools' documents are read for what they say: purls, versions, hashes, licenses,
//! scopes, nested components and the `dependencies` graph.
//! `cyclonedx_json` streams JSON into the assembler here; XML is parsed whole first.

use crate::diagnostic::Diagnostic;
use crate::export::SUBJECT_REF;
use crate::model::{
    Artifact, Component, ComponentId, DependencyKind, Ecosystem, GraphBuilder, Hash, HashAlgorithm, License, Location,
    Purpose, Role, Sbom, Scope, Source, Subject, Timestamp,
};
use crate::wire::cyclonedx as cdx;
use foldhash::{HashMap, HashMapExt};

/// The model of a parsed CycloneDX document (XML; JSON is streamed by `cyclonedx_json`).
pub fn from_bom(path: &str, bom: cdx::Bom, diagnostics: &mut Vec<Diagnostic>) -> Sbom {
    let mut assembler = Assembler::new(path, diagnostics);
    let metadata = bom.metadata.unwrap_or_default();
    for c in bom.components {
        assembler.add(c);
    }
    assembler.finish(metadata, bom.dependencies)
}

/// Turns CycloneDX components into the model one at a time, as they are read, so a large
/// document is never held twice; then joins them by the `dependencies` graph.
pub struct Assembler<'a> {
    path: &'a str,
    diagnostics: &'a mut Vec<Diagnostic>,
    builder: GraphBuilder,
    /// Each bom-ref's position in the builder.
    ids: HashMap<String, usize>,
}

impl<'a> Assembler<'a> {
    pub fn new(path: &'a str, diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        Assembler {
            path,
            diagnostics,
            builder: GraphBuilder::new(),
            ids: HashMap::new(),
        }
    }

    /// Adds `c` and, flattened, the components nested in it.
    pub fn add(&mut self, mut c: cdx::Component) {
        let children = std::mem::take(&mut c.components);
        let reference = c.bom_ref.take();
        let component = component(self.path, c, reference.as_deref(), self.diagnostics);
        if self.builder.contains(&component.id) {
            self.diagnostics.push(Diagnostic::warning(
                self.path,
                None,
                format!("component `{}` appears twice; merged", component.id),
            ));
        }
        let at = self.builder.add_component(component);
        if let Some(r) = reference {
            self.ids.insert(r, at);
        }
        for child in children {
            self.add(child);
        }
    }

    /// The document: `metadata` names the subject, `dependencies` gives the edges.
    pub fn finish(mut self, metadata: cdx::Metadata, dependencies: Vec<cdx::Dependency>) -> Sbom {
        let created = metadata
            .timestamp
            .as_deref()
            .and_then(Timestamp::parse_rfc3339)
            .unwrap_or(Timestamp(0));
        let mut subject = Subject {
            name: "unnamed".into(),
            version: None,
        };
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
                self.add(root);
            }
        }
        for dep in dependencies {
            self.add_dependency(dep);
        }
        let (graph, _) = self.builder.build();
        Sbom {
            subject,
            created,
            graph,
        }
    }

    fn add_dependency(&mut self, dep: cdx::Dependency) {
        if dep.reference == SUBJECT_REF {
            return;
        }
        let Some(&from) = self.ids.get(&dep.reference) else {
            self.diagnostics.push(Diagnostic::warning(
                self.path,
                None,
                format!("dependencies: `{}` is no component's bom-ref", dep.reference),
            ));
            return;
        };
        for target in dep.depends_on {
            match self.ids.get(&target) {
                Some(&to) => self.builder.add_edge_at(from, to, DependencyKind::Normal),
                None => self.diagnostics.push(Diagnostic::warning(
                    self.path,
                    None,
                    format!(
                        "dependencies: `{}` depends on `{target}`, which is no component's bom-ref",
                        dep.reference
                    ),
                )),
            }
        }
    }
}

fn component(path: &str, c: cdx::Component, reference: Option<&str>, diagnostics: &mut Vec<Diagnostic>) -> Component {
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
    let namespace = c.group.as_deref().filter(|g| !g.is_empty());
    // A stated purl is kept as it is; building one is only for its check that a purl of this
    // ecosystem, namespace and name can exist, which without a namespace is a non-empty name.
    let mut out = match &c.purl {
        Some(purl) if namespace.is_none() && !ecosystem.normalize_name(&c.name).is_empty() => Component::with_identity(
            ComponentId::from(reference.unwrap_or(purl)),
            purl.as_str().into(),
            ecosystem,
            None,
            &c.name,
            c.version.as_deref(),
            source,
        ),
        _ => {
            let mut out = Component::new(ecosystem, namespace, &c.name, c.version.as_deref(), source.clone())
                .or_else(|_| Component::new(Ecosystem::Generic, None, &c.name, c.version.as_deref(), source))
                .unwrap_or_else(|_| {
                    Component::new(Ecosystem::Generic, None, "unnamed", None, Source::DefaultRegistry)
                        .expect("a plain name always makes a purl")
                });
            out.name = c.name.as_str().into();
            out.purl = c.purl.as_deref().map(std::sync::Arc::from);
            if let Some(r) = reference.or(c.purl.as_deref()) {
                out.id = ComponentId::from(r);
            }
            out
        }
    };
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
    out.supplier = c.supplier.as_ref().and_then(|s| s.name.clone());
    out.authors = match &c.authors {
        Some(list) => list.iter().filter_map(|a| a.name.clone()).collect(),
        None => c
            .author
            .as_deref()
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
        out.properties.insert(key.into(), value.to_string());
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
