//! The content digest of an SBOM: BLAKE3 over everything the exporters render (every
//! field of every component, the edges, the subject and bomsight's version), but not the
//! creation time. Serial numbers and SPDX namespaces are derived from it, so that identical
//! content always gets the same identifiers, without rendering any document twice.

use crate::model::{Component, DependencyKind, Hashes, Sbom, Source};
use uuid::Uuid;

/// Components hashed as one group, and edges hashed as one run: the groups' and runs'
/// digests are computed on every core ([`crate::parallel::map_runs`]) and hashed in order
/// (fixed sizes, so the digest does not depend on the number of cores).
const GROUP: usize = 1024;
const EDGE_RUN: usize = 16_384;

/// One share of the hashing: a group of components or a run of edges (by position).
enum Part<'a> {
    Components(&'a [&'a Component]),
    Edges(std::ops::Range<usize>),
}

/// The digest of `sbom`'s content.
pub fn content_digest(sbom: &Sbom) -> [u8; 32] {
    let graph = &sbom.graph;
    let components: Vec<&Component> = graph.components().collect();
    let edge_count = graph.edge_count();
    let parts: Vec<Part> = components
        .chunks(GROUP)
        .map(Part::Components)
        .chain(
            (0..edge_count)
                .step_by(EDGE_RUN)
                .map(|start| Part::Edges(start..edge_count.min(start + EDGE_RUN))),
        )
        .collect();
    let digests = crate::parallel::map_runs(&parts, 1, |part| {
        let mut feed = Feed::new();
        match &part[0] {
            Part::Components(group) => group.iter().for_each(|c| feed.component(c)),
            Part::Edges(range) => {
                for (from, to, kind) in graph.edge_positions_in(range.clone()) {
                    feed.edge(from, to, kind);
                }
            }
        }
        feed.finish()
    });
    let mut feed = Feed::new();
    feed.text(env!("CARGO_PKG_VERSION"));
    feed.text(&sbom.subject.name);
    feed.optional(sbom.subject.version.as_deref());
    feed.number(components.len());
    feed.number(edge_count);
    feed.number(digests.len());
    for digest in &digests {
        feed.update(digest);
    }
    feed.finish()
}

/// A UUID v5 (URL namespace) naming one rendering (`label`: the format and its version) of
/// content with this digest.
pub fn content_uuid(digest: &[u8; 32], label: &str) -> Uuid {
    let mut name = Vec::with_capacity(digest.len() + label.len());
    name.extend_from_slice(digest);
    name.extend_from_slice(label.as_bytes());
    Uuid::new_v5(&Uuid::NAMESPACE_URL, &name)
}

/// Writes values into the hash unambiguously: every string and list is preceded by its length.
/// The pieces are gathered into a buffer and hashed in large blocks (a million small updates
/// cost more than the hashing).
struct Feed {
    hasher: blake3::Hasher,
    pending: Vec<u8>,
}

const HASH_BLOCK: usize = 1 << 16;

impl Feed {
    fn new() -> Feed {
        Feed {
            hasher: blake3::Hasher::new(),
            pending: Vec::with_capacity(HASH_BLOCK + 256),
        }
    }

    fn update(&mut self, bytes: impl AsRef<[u8]>) {
        self.pending.extend_from_slice(bytes.as_ref());
        if self.pending.len() >= HASH_BLOCK {
            self.hasher.update(&self.pending);
            self.pending.clear();
        }
    }

    fn finish(mut self) -> [u8; 32] {
        self.hasher.update(&self.pending);
        self.hasher.finalize().into()
    }

    fn number(&mut self, n: usize) {
        self.update((n as u64).to_le_bytes());
    }

    fn text(&mut self, s: &str) {
        self.number(s.len());
        self.update(s.as_bytes());
    }

    fn optional(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.update([1]);
                self.text(s);
            }
            None => self.update([0]),
        }
    }

    /// An edge in nine bytes: positions below 2^32 (a graph's node indices are `u32`).
    fn edge(&mut self, from: usize, to: usize, kind: DependencyKind) {
        let position = |at: usize| u32::try_from(at).expect("node positions fit in u32").to_le_bytes();
        let kind = match kind {
            DependencyKind::Normal => 0,
            DependencyKind::Optional => 1,
            DependencyKind::Build => 2,
            DependencyKind::Dev => 3,
            DependencyKind::Peer => 4,
        };
        let (from, to) = (position(from), position(to));
        self.update([from[0], from[1], from[2], from[3], to[0], to[1], to[2], to[3], kind]);
    }

    fn hashes(&mut self, hashes: &Hashes) {
        self.number(hashes.len());
        for h in hashes.iter() {
            self.text(h.algorithm.cyclonedx_name());
            self.number(h.bytes().len());
            self.update(h.bytes());
        }
    }

    fn component(&mut self, c: &Component) {
        // Destructured whole, so that a field added to the model cannot be left out here.
        let Component {
            id,
            role,
            purpose,
            ecosystem,
            namespace,
            name,
            version,
            purl,
            source,
            hashes,
            artifacts,
            scope,
            max_scope,
            licenses,
            locations,
            description,
            authors,
            homepage,
            repository,
            supplier,
            properties,
        } = c;
        self.text(&id.0);
        self.update([*role as u8, *purpose as u8, *scope as u8, *max_scope as u8]);
        self.text(ecosystem.purl_type());
        self.optional(namespace.as_deref());
        self.text(name);
        self.optional(version.as_deref());
        self.optional(purl.as_deref());
        self.source(source);
        self.hashes(hashes);
        self.number(artifacts.len());
        for a in artifacts {
            self.text(&a.file_name);
            self.optional(a.url.as_deref());
            self.hashes(&a.hashes);
        }
        self.number(licenses.len());
        for l in licenses {
            self.text(&l.raw);
            self.optional(l.expression.as_deref());
        }
        self.number(locations.len());
        for l in locations {
            self.text(&l.path);
            self.number(l.line.map_or(0, |n| n + 1));
        }
        self.optional(description.as_deref());
        self.number(authors.len());
        for a in authors {
            self.text(a);
        }
        self.optional(homepage.as_deref());
        self.optional(repository.as_deref());
        self.optional(supplier.as_deref());
        self.number(properties.len());
        for (k, v) in properties {
            self.text(k);
            self.text(v);
        }
    }

    fn source(&mut self, source: &Source) {
        self.text(source.kind());
        match source {
            Source::DefaultRegistry => self.update([0]),
            Source::Registry { url } | Source::Url { url } => {
                self.update([1]);
                self.text(url);
            }
            Source::Git {
                url,
                reference,
                revision,
            } => {
                self.update([2]);
                self.text(url);
                self.optional(reference.as_deref());
                self.optional(revision.as_deref());
            }
            Source::Path { path } => {
                self.update([3]);
                self.optional(path.as_deref());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DependencyGraph, Ecosystem, Subject, Timestamp};

    fn sbom(graph: DependencyGraph, created: &str) -> Sbom {
        Sbom {
            subject: Subject {
                name: "demo".into(),
                version: None,
            },
            created: Timestamp::parse_rfc3339(created).unwrap(),
            graph,
        }
    }

    const EPOCH: &str = "1970-01-01T00:00:00Z";

    fn graph_of(components: Vec<Component>) -> DependencyGraph {
        let mut builder = crate::model::GraphBuilder::new();
        for c in components {
            builder.add_component(c);
        }
        builder.build().0
    }

    #[test]
    fn follows_the_content_not_the_time() {
        let left_pad =
            || Component::new(Ecosystem::Npm, None, "left-pad", Some("1.3.0"), Source::DefaultRegistry).unwrap();
        let base = content_digest(&sbom(graph_of(vec![left_pad()]), EPOCH));
        assert_eq!(
            base,
            content_digest(&sbom(graph_of(vec![left_pad()]), "2023-11-14T22:13:20Z"))
        );

        let mut described = left_pad();
        described.description = Some("pads".into());
        assert_ne!(base, content_digest(&sbom(graph_of(vec![described]), EPOCH)));
        let mut found = left_pad();
        found.found_in("package-lock.json", Some(3));
        let found_digest = content_digest(&sbom(graph_of(vec![found]), EPOCH));
        assert_ne!(base, found_digest);
        let mut elsewhere = left_pad();
        elsewhere.found_in("package-lock.json", Some(4));
        assert_ne!(found_digest, content_digest(&sbom(graph_of(vec![elsewhere]), EPOCH)));

        let uuid = content_uuid(&base, "cyclonedx-1.6");
        assert_eq!(uuid.get_version_num(), 5);
        assert_ne!(uuid, content_uuid(&base, "cyclonedx-1.5"));
    }

    #[test]
    fn groups_of_components_do_not_depend_on_the_cores() {
        let many = |changed: Option<usize>| {
            let components = (0..GROUP * 2 + 5)
                .map(|n| {
                    let mut c = Component::new(
                        Ecosystem::Cargo,
                        None,
                        &format!("c{n:05}"),
                        Some("1.0.0"),
                        Source::DefaultRegistry,
                    )
                    .unwrap();
                    if changed == Some(n) {
                        c.scope = crate::model::Scope::Dev;
                    }
                    c
                })
                .collect();
            sbom(graph_of(components), EPOCH)
        };
        let on = |threads: usize, sbom: &Sbom| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| content_digest(sbom))
        };
        let base = many(None);
        assert_eq!(on(1, &base), on(4, &base));
        // A change in the last group, and one scope in the first: both are seen.
        assert_ne!(on(2, &base), on(2, &many(Some(GROUP * 2 + 1))));
        assert_ne!(on(2, &base), on(2, &many(Some(3))));
    }

    #[test]
    fn runs_of_edges_do_not_depend_on_the_cores_and_each_edge_counts() {
        // 150 x 120 edges: more than one run of them.
        let edged = |changed: Option<(usize, usize)>| {
            let mut builder = crate::model::GraphBuilder::new();
            for n in 0..270 {
                let c = Component::new(
                    Ecosystem::Npm,
                    None,
                    &format!("p{n:03}"),
                    Some("1.0.0"),
                    Source::DefaultRegistry,
                )
                .unwrap();
                builder.add_component(c);
            }
            for from in 0..150 {
                for to in 150..270 {
                    let kind = if changed == Some((from, to)) {
                        crate::model::DependencyKind::Dev
                    } else {
                        crate::model::DependencyKind::Normal
                    };
                    builder.add_edge_at(from, to, kind);
                }
            }
            sbom(builder.build().0, EPOCH)
        };
        let base = edged(None);
        assert!(base.graph.edge_count() > EDGE_RUN);
        let on = |threads: usize, sbom: &Sbom| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| content_digest(sbom))
        };
        assert_eq!(on(1, &base), on(3, &base));
        assert_ne!(
            on(2, &base),
            on(2, &edged(Some((0, 150)))),
            "an edge's kind in the first run"
        );
        assert_ne!(on(2, &base), on(2, &edged(Some((149, 269)))), "and in the last");
    }
}
