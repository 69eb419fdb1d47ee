//! Matching the components of two documents and naming every difference.

use super::{version, Change, ChangeKind, DiffReport, Document, MatchKeys, Side};
use crate::model::{Component, ComponentId, DependencyGraph, Ecosystem, HashAlgorithm, Role, Sbom, Source};
use foldhash::{HashMap, HashSet};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// What matches a component across documents: purl type, namespace and name (normalized per
/// ecosystem) and the qualifiers that make a different package; files by their name.
pub fn match_key(c: &Component) -> String {
    if c.properties.contains_key("spdx:file") {
        return format!("file:{}", c.name);
    }
    let parsed = c.purl.as_deref().and_then(|p| p.parse::<packageurl::PackageUrl>().ok());
    let (ty, namespace, name, extra) = match &parsed {
        Some(p) => {
            let ty = p.ty().to_ascii_lowercase();
            let distinguishing: Vec<String> = ["classifier", "type"]
                .iter()
                .filter(|_| ty == "maven")
                .filter_map(|q| p.qualifiers().get(*q).map(|v| format!("{q}={v}")))
                .collect();
            (
                ty,
                p.namespace().map(str::to_string),
                p.name().to_string(),
                distinguishing.join("&"),
            )
        }
        None => (
            c.ecosystem.purl_type().to_string(),
            c.namespace.as_deref().map(str::to_string),
            c.name.to_string(),
            String::new(),
        ),
    };
    let ecosystem = Ecosystem::from_purl_type(&ty).unwrap_or(Ecosystem::Generic);
    let fold = |s: &str| match ecosystem {
        Ecosystem::Pypi => ecosystem.normalize_name(s),
        Ecosystem::Nuget | Ecosystem::Composer => s.to_ascii_lowercase(),
        _ => s.to_string(),
    };
    let mut key = format!("{ty}/");
    if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
        key.push_str(&fold(&ns.replace("%40", "@")));
        key.push('/');
    }
    key.push_str(&fold(&name));
    if !extra.is_empty() {
        key.push('?');
        key.push_str(&extra);
    }
    key
}

/// Compares `old` with `new`. Labels name the inputs in the report.
pub fn diff(old: &Sbom, new: &Sbom, old_label: &str, new_label: &str) -> DiffReport {
    let (old_keys, new_keys) = rayon::join(|| MatchKeys::new(&old.graph), || MatchKeys::new(&new.graph));
    diff_keyed(old, &old_keys, new, &new_keys, old_label, new_label)
}

/// `diff` with the documents' match keys already computed (the signals reuse them).
pub fn diff_keyed(
    old: &Sbom,
    old_keys: &MatchKeys,
    new: &Sbom,
    new_keys: &MatchKeys,
    old_label: &str,
    new_label: &str,
) -> DiffReport {
    let (old_side, new_side) = rayon::join(
        || SideIndex::new(&old.graph, old_keys),
        || SideIndex::new(&new.graph, new_keys),
    );
    let mut keys: Vec<&str> = old_side.by_key.keys().chain(new_side.by_key.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    let mut changes = Vec::new();
    let mut pairs: Vec<(&Component, &Component)> = Vec::new();
    let mut leftovers: Vec<(&str, Vec<&Component>, Vec<&Component>)> = Vec::new();
    for key in keys {
        let (olds, news) = (old_side.by_key.get(key), new_side.by_key.get(key));
        // One component on each side always pairs, whatever its version, source or role
        // (see `pair_versions`): most keys, and no work to find it.
        if let (Some([o]), Some([n])) = (olds.map(Vec::as_slice), news.map(Vec::as_slice)) {
            pairs.push((*o, *n));
            continue;
        }
        let olds = olds.cloned().unwrap_or_default();
        let news = news.cloned().unwrap_or_default();
        let (matched, gone, arrived) = pair_versions(olds, news, &old_side, &new_side);
        pairs.extend(matched);
        leftovers.push((key, gone, arrived));
    }
    pair_moved_versions(&mut pairs, &mut leftovers, &old_side, &new_side);
    for (key, gone, arrived) in leftovers {
        for c in gone {
            changes.push(change(
                ChangeKind::Removed,
                key,
                Some(c),
                None,
                format!("{} removed", c.display_name()),
                path(&old.graph, c),
            ));
        }
        for c in arrived {
            changes.push(change(
                ChangeKind::Added,
                key,
                None,
                Some(c),
                format!("{} added", c.display_name()),
                path(&new.graph, c),
            ));
        }
    }
    let roots_known = old.graph.roots().next().is_some() && new.graph.roots().next().is_some();
    let compared: Vec<Vec<Change>> = {
        use rayon::prelude::*;
        pairs
            .par_iter()
            .map(|&(o, n)| {
                let mut found = Vec::new();
                compare_pair(o, n, &old_side, &new_side, new, roots_known, &mut found);
                found
            })
            .collect()
    };
    changes.extend(compared.into_iter().flatten());
    changes
        .sort_by(|a, b| (a.kind, &a.key, &a.old, &a.new, &a.detail).cmp(&(b.kind, &b.key, &b.old, &b.new, &b.detail)));
    let mut summary: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_ecosystem: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for c in &changes {
        *summary.entry(c.kind.id().to_string()).or_default() += 1;
        *by_ecosystem
            .entry(c.ecosystem.clone())
            .or_default()
            .entry(c.kind.id().to_string())
            .or_default() += 1;
    }
    let document = |label: &str, s: &Sbom| Document {
        label: label.to_string(),
        name: s.subject.name.clone(),
        version: s.subject.version.clone(),
        components: s.graph.len(),
    };
    DiffReport {
        old: document(old_label, old),
        new: document(new_label, new),
        summary,
        by_ecosystem,
        signals: Vec::new(),
        changes,
    }
}

/// The components of one document, by match key, with their dependents' keys.
struct SideIndex<'a> {
    by_key: HashMap<&'a str, Vec<&'a Component>>,
    keys: &'a MatchKeys,
    graph: &'a DependencyGraph,
}

impl<'a> SideIndex<'a> {
    fn new(graph: &'a DependencyGraph, keys: &'a MatchKeys) -> SideIndex<'a> {
        SideIndex {
            by_key: keys.group(graph),
            keys,
            graph,
        }
    }

    fn key(&self, c: &Component) -> Option<&'a str> {
        self.keys.of(self.graph, c)
    }

    fn dependent_keys(&self, c: &Component) -> BTreeSet<&'a str> {
        self.graph
            .dependents(&c.id)
            .into_iter()
            .filter_map(|d| self.key(d))
            .collect()
    }

    fn dependency_keys(&self, c: &Component) -> BTreeSet<&'a str> {
        self.graph
            .dependencies(&c.id)
            .into_iter()
            .filter_map(|(d, _)| self.key(d))
            .collect()
    }

    fn is_direct(&self, c: &Component) -> bool {
        self.graph.has_project_dependent(&c.id)
    }
}

type Paired<'a> = (
    Vec<(&'a Component, &'a Component)>,
    Vec<&'a Component>,
    Vec<&'a Component>,
);

/// Pairs projects with projects and packages with packages first (prettier's repository
/// depends on the published prettier: the two are not one component), then what is left
/// across roles (a package that became a workspace member).
fn pair_versions<'a>(
    olds: Vec<&'a Component>,
    news: Vec<&'a Component>,
    old_side: &SideIndex<'a>,
    new_side: &SideIndex<'a>,
) -> Paired<'a> {
    let (mut pairs, mut left_old, mut left_new) = (Vec::new(), Vec::new(), Vec::new());
    for role in [Role::Project, Role::Package] {
        let o: Vec<&Component> = olds.iter().copied().filter(|c| c.role == role).collect();
        let n: Vec<&Component> = news.iter().copied().filter(|c| c.role == role).collect();
        let (p, lo, ln) = pair_same_role(o, n, old_side, new_side);
        pairs.extend(p);
        left_old.extend(lo);
        left_new.extend(ln);
    }
    if left_old.len() == 1 && left_new.len() == 1 {
        pairs.push((left_old.remove(0), left_new.remove(0)));
    }
    (pairs, left_old, left_new)
}

fn pair_same_role<'a>(
    mut olds: Vec<&'a Component>,
    mut news: Vec<&'a Component>,
    old_side: &SideIndex<'a>,
    new_side: &SideIndex<'a>,
) -> Paired<'a> {
    let mut pairs = Vec::new();
    // Equal versions (and, among those, equal sources first).
    for same_source in [true, false] {
        let mut i = 0;
        while i < olds.len() {
            let found = news
                .iter()
                .position(|n| n.version == olds[i].version && (!same_source || n.source == olds[i].source));
            match found {
                Some(j) => pairs.push((olds.remove(i), news.remove(j))),
                None => i += 1,
            }
        }
    }
    // Different versions used by the same dependents.
    loop {
        let mut best: Option<(usize, usize, usize)> = None;
        for (i, o) in olds.iter().enumerate() {
            let od = old_side.dependent_keys(o);
            for (j, n) in news.iter().enumerate() {
                let score = od.intersection(&new_side.dependent_keys(n)).count();
                if score > 0 && best.is_none_or(|(_, _, s)| score > s) {
                    best = Some((i, j, score));
                }
            }
        }
        match best {
            Some((i, j, _)) => pairs.push((olds.remove(i), news.remove(j))),
            None => break,
        }
    }
    if olds.len() == 1 && news.len() == 1 {
        pairs.push((olds.remove(0), news.remove(0)));
    }
    (pairs, olds, news)
}

type Leftovers<'a, 'k> = Vec<(&'k str, Vec<&'a Component>, Vec<&'a Component>)>;

/// A version left over on one side while its dependents moved to a version the other side
/// has (a nested 8.63.0 gone, the packages that used it now on the hoisted 8.62.1) is a
/// version change for them, not a removal. Only dependents that carry on across the two
/// documents count, and a version paired this way carries on in turn, so a whole chain of
/// nested copies pairs; a version whose dependents all went away stays removed.
fn pair_moved_versions<'a>(
    pairs: &mut Vec<(&'a Component, &'a Component)>,
    leftovers: &mut Leftovers<'a, '_>,
    old_side: &SideIndex<'a>,
    new_side: &SideIndex<'a>,
) {
    let mut carried_old: HashSet<&ComponentId> = pairs.iter().map(|p| &p.0.id).collect();
    let mut carried_new: HashSet<&ComponentId> = pairs.iter().map(|p| &p.1.id).collect();
    loop {
        let mut progress = false;
        // The pairs made so far, by match key (pairs added in this pass are of the key being
        // worked on, which the snapshot below must not see anyway).
        let mut by_key: HashMap<&str, Vec<(&'a Component, &'a Component)>> = HashMap::default();
        for p in pairs.iter() {
            by_key
                .entry(old_side.key(p.0).unwrap_or_default())
                .or_default()
                .push(*p);
        }
        for (key, gone, arrived) in leftovers.iter_mut() {
            let same_key: Vec<(&'a Component, &'a Component)> = by_key.get(*key).cloned().unwrap_or_default();
            let mut i = 0;
            while i < gone.len() {
                let o = gone[i];
                let carried: BTreeSet<&str> = old_side
                    .graph
                    .dependents(&o.id)
                    .into_iter()
                    .filter(|d| carried_old.contains(&d.id))
                    .filter_map(|d| old_side.key(d))
                    .collect();
                let best = same_key
                    .iter()
                    .map(|p| (carried.intersection(&new_side.dependent_keys(p.1)).count(), p.1))
                    .filter(|(s, _)| *s > 0)
                    .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.id.cmp(&a.1.id)));
                match best {
                    Some((_, n)) => {
                        pairs.push((o, n));
                        carried_old.insert(&o.id);
                        gone.remove(i);
                        progress = true;
                    }
                    None => i += 1,
                }
            }
            let mut j = 0;
            while j < arrived.len() {
                let n = arrived[j];
                let carried: BTreeSet<&str> = new_side
                    .graph
                    .dependents(&n.id)
                    .into_iter()
                    .filter(|d| carried_new.contains(&d.id))
                    .filter_map(|d| new_side.key(d))
                    .collect();
                let best = same_key
                    .iter()
                    .map(|p| (carried.intersection(&old_side.dependent_keys(p.0)).count(), p.0))
                    .filter(|(s, _)| *s > 0)
                    .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.id.cmp(&a.1.id)));
                match best {
                    Some((_, o)) => {
                        pairs.push((o, n));
                        carried_new.insert(&n.id);
                        arrived.remove(j);
                        progress = true;
                    }
                    None => j += 1,
                }
            }
        }
        if !progress {
            break;
        }
    }
}

fn compare_pair(
    o: &Component,
    n: &Component,
    old_side: &SideIndex<'_>,
    new_side: &SideIndex<'_>,
    new: &Sbom,
    roots_known: bool,
    changes: &mut Vec<Change>,
) {
    let key = old_side.key(o).unwrap_or_default();
    let name = n.display_name_without_version();
    let (ov, nv) = (
        o.version.as_deref().unwrap_or("(none)"),
        n.version.as_deref().unwrap_or("(none)"),
    );
    if o.version != n.version {
        let kind = match version::compare(n.ecosystem, ov, nv) {
            Some(Ordering::Less) => ChangeKind::Upgraded,
            Some(Ordering::Greater) => ChangeKind::Downgraded,
            _ => ChangeKind::VersionChanged,
        };
        let detail = match kind {
            ChangeKind::VersionChanged => format!("{name} {ov} → {nv} (these versions cannot be ordered)"),
            _ => format!("{name} {ov} → {nv}"),
        };
        changes.push(change(kind, key, Some(o), Some(n), detail, path(&new.graph, n)));
    } else {
        hash_changes(o, n, key, changes);
    }
    if let Some(detail) = source_change(o, n) {
        changes.push(change(
            ChangeKind::SourceChanged,
            key,
            Some(o),
            Some(n),
            format!("{name}: {detail}"),
            path(&new.graph, n),
        ));
    }
    let licenses = |c: &Component| -> BTreeSet<String> {
        c.licenses
            .iter()
            .map(|l| l.expression.clone().unwrap_or_else(|| l.raw.clone()))
            .collect()
    };
    let (ol, nl) = if o.licenses == n.licenses {
        Default::default()
    } else {
        (licenses(o), licenses(n))
    };
    if !ol.is_empty() && !nl.is_empty() && ol != nl {
        let show = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(" AND ");
        changes.push(change(
            ChangeKind::LicenseChanged,
            key,
            Some(o),
            Some(n),
            format!("{name}: {} → {}", show(&ol), show(&nl)),
            Vec::new(),
        ));
    }
    if let (Some(a), Some(b)) = (&o.supplier, &n.supplier) {
        if a != b {
            changes.push(change(
                ChangeKind::SupplierChanged,
                key,
                Some(o),
                Some(n),
                format!("{name}: supplier {a} → {b}"),
                Vec::new(),
            ));
        }
    }
    if o.scope != n.scope {
        changes.push(change(
            ChangeKind::ScopeChanged,
            key,
            Some(o),
            Some(n),
            format!("{name}: {} → {}", o.scope.id(), n.scope.id()),
            path(&new.graph, n),
        ));
    }
    if roots_known && o.role == Role::Package && n.role == Role::Package {
        match (old_side.is_direct(o), new_side.is_direct(n)) {
            (false, true) => changes.push(change(
                ChangeKind::NowDirect,
                key,
                Some(o),
                Some(n),
                format!("{name} is now a direct dependency"),
                path(&new.graph, n),
            )),
            (true, false) => changes.push(change(
                ChangeKind::NowTransitive,
                key,
                Some(o),
                Some(n),
                format!("{name} is no longer a direct dependency"),
                path(&new.graph, n),
            )),
            _ => {}
        }
    }
    let (od, nd) = (old_side.dependency_keys(o), new_side.dependency_keys(n));
    for added in nd.difference(&od) {
        changes.push(change(
            ChangeKind::EdgeAdded,
            key,
            Some(o),
            Some(n),
            format!("{name} now depends on {}", short(added)),
            Vec::new(),
        ));
    }
    for removed in od.difference(&nd) {
        changes.push(change(
            ChangeKind::EdgeRemoved,
            key,
            Some(o),
            Some(n),
            format!("{name} no longer depends on {}", short(removed)),
            Vec::new(),
        ));
    }
}

/// `npm/@scope/name` → `@scope/name`.
fn short(key: &str) -> &str {
    key.split_once('/').map_or(key, |(_, rest)| rest)
}

/// Same version: per algorithm, and per file of the release, values must agree.
fn hash_changes(o: &Component, n: &Component, key: &str, changes: &mut Vec<Change>) {
    if o.hashes == n.hashes && o.artifacts == n.artifacts {
        return;
    }
    let name = n.display_name();
    fn by_alg(c: &Component) -> BTreeMap<HashAlgorithm, BTreeSet<&[u8]>> {
        let mut m: BTreeMap<HashAlgorithm, BTreeSet<&[u8]>> = BTreeMap::new();
        for h in &c.hashes {
            m.entry(h.algorithm).or_default().insert(h.bytes());
        }
        m
    }
    let (oh, nh) = (by_alg(o), by_alg(n));
    for (alg, ov) in &oh {
        if let Some(nv) = nh.get(alg) {
            if ov != nv {
                let at = if n.version.is_some() {
                    " at the same version"
                } else {
                    ""
                };
                changes.push(change(
                    ChangeKind::HashChanged,
                    key,
                    Some(o),
                    Some(n),
                    format!("{name}: {} differs{at}", alg.cyclonedx_name()),
                    Vec::new(),
                ));
            }
        }
    }
    for a in &o.artifacts {
        let Some(b) = n.artifacts.iter().find(|b| b.file_name == a.file_name) else {
            continue;
        };
        let differs = a.hashes.iter().any(|h| {
            b.hashes
                .iter()
                .any(|g| g.algorithm == h.algorithm && g.bytes() != h.bytes())
        });
        if differs {
            changes.push(change(
                ChangeKind::HashChanged,
                key,
                Some(o),
                Some(n),
                format!("{name}: file {} has a different hash at the same version", a.file_name),
                Vec::new(),
            ));
        }
    }
    let had: BTreeSet<HashAlgorithm> = oh.keys().copied().collect();
    let has: BTreeSet<HashAlgorithm> = nh.keys().copied().collect();
    let lost: Vec<&str> = had.difference(&has).map(|a| a.cyclonedx_name()).collect();
    if !lost.is_empty() && !o.hashes.is_empty() {
        changes.push(change(
            ChangeKind::HashesRemoved,
            key,
            Some(o),
            Some(n),
            format!("{name}: no {} hash any more", lost.join(", ")),
            Vec::new(),
        ));
    }
}

fn source_change(o: &Component, n: &Component) -> Option<String> {
    match (&o.source, &n.source) {
        (a, b) if a == b => None,
        (
            Source::Git {
                url: ua, revision: ra, ..
            },
            Source::Git {
                url: ub, revision: rb, ..
            },
            // A new commit for a new version is the upgrade itself; for the same version (a moved
            // tag) or no version at all, the commit is what changed.
        ) if ua == ub => {
            (ra != rb && (o.version == n.version || o.version.is_none() || n.version.is_none())).then(|| {
                format!(
                    "git revision {} → {}",
                    ra.as_deref().unwrap_or("(none)"),
                    rb.as_deref().unwrap_or("(none)")
                )
            })
        }
        (Source::Path { .. }, Source::Path { .. }) => None,
        (a, b) => Some(format!("{} → {}", describe(a), describe(b))),
    }
}

fn describe(s: &Source) -> String {
    match s {
        Source::DefaultRegistry => "default registry".into(),
        other => other.to_string(),
    }
}

/// `app 1.0.0 → express 4.21.0 → qs 6.13.0`, as a list of steps.
fn path(graph: &DependencyGraph, c: &Component) -> Vec<String> {
    let step = |x: &Component| match &x.version {
        Some(v) => format!("{} {v}", x.display_name_without_version()),
        None => x.display_name_without_version(),
    };
    graph
        .path_from_root(&c.id)
        .map(|p| p.into_iter().map(step).collect())
        .unwrap_or_default()
}

fn side(c: &Component) -> Side {
    Side {
        version: c.version.as_deref().map(str::to_string),
        purl: c.purl.as_deref().map(str::to_string),
        source: c.source.to_string(),
        scope: c.scope.id().to_string(),
        hashes: c.hashes.iter().map(|h| h.to_string()).collect(),
        licenses: c
            .licenses
            .iter()
            .map(|l| l.expression.clone().unwrap_or_else(|| l.raw.clone()))
            .collect(),
        supplier: c.supplier.clone(),
        locations: c
            .locations
            .iter()
            .map(|l| l.line.map_or_else(|| l.path.to_string(), |n| format!("{}:{n}", l.path)))
            .collect(),
    }
}

fn change(
    kind: ChangeKind,
    key: &str,
    o: Option<&Component>,
    n: Option<&Component>,
    detail: String,
    path: Vec<String>,
) -> Change {
    let c = n.or(o).expect("a change has a side");
    Change {
        kind,
        ecosystem: c.ecosystem.purl_type().to_string(),
        name: c.display_name_without_version(),
        key: key.to_string(),
        old: o.map(side),
        new: n.map(side),
        detail,
        path,
    }
}
