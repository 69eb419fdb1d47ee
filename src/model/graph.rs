//! The dependency graph: components and project roots as nodes, typed dependency edges.
//!
//! Nodes are inserted in id order, so iterating the graph is already sorted and output built
//! from it is deterministic. Scopes are derived here, once, from the edge kinds.

use super::{Component, ComponentId, Role, Scope};
use foldhash::{HashMap, HashSet};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rayon::slice::ParallelSliceMut;
use std::collections::VecDeque;

/// How a dependent uses a dependency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DependencyKind {
    Normal,
    Optional,
    Build,
    Dev,
    Peer,
}

impl DependencyKind {
    pub fn id(self) -> &'static str {
        match self {
            DependencyKind::Normal => "normal",
            DependencyKind::Optional => "optional",
            DependencyKind::Build => "build",
            DependencyKind::Dev => "dev",
            DependencyKind::Peer => "peer",
        }
    }

    /// The scope a dependency reached only through this kind of edge can have at most.
    fn scope_cap(self) -> Scope {
        match self {
            DependencyKind::Normal | DependencyKind::Peer => Scope::Required,
            DependencyKind::Optional => Scope::Optional,
            DependencyKind::Build => Scope::Build,
            DependencyKind::Dev => Scope::Dev,
        }
    }
}

/// A dependency edge between two components, by id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edge {
    pub from: ComponentId,
    pub to: ComponentId,
    pub kind: DependencyKind,
}

/// Collects components and edges from any number of files, merging repeated sightings.
/// Components are kept in arrival order and found by id through a hash index (a monorepo
/// repeats most sightings many times); they are sorted once, when built.
#[derive(Default)]
pub struct GraphBuilder {
    /// Boxed: growing a vector of components (over 400 bytes each) copied them all, into
    /// freshly zeroed pages (a third of the time to import a 100,000-component SBOM).
    #[allow(clippy::vec_box)]
    components: Vec<Box<Component>>,
    /// Arrival positions until built; then, remapped in place, the graph's node indices.
    by_id: HashMap<ComponentId, NodeIndex>,
    /// Arrival positions of ids seen before, by the address of their shared text: the purl
    /// memo gives every sighting of a purl on one thread the same text, so a repeat (most
    /// sightings and edge ends in a monorepo) is found without hashing or comparing it. Each
    /// entry holds its id, so no address here can come to name another text.
    by_address: HashMap<usize, (ComponentId, u32)>,
    /// Edges naming a component not added yet (resolved, or reported, when built).
    edges: HashSet<Edge>,
    /// Edges between components already added, by arrival position (`add_component`'s
    /// answers): given so by importers, or by id once both ends are known. A monorepo repeats
    /// most edges many times; a repeat costs two index lookups, not two strings kept.
    /// Indexed by the dependent's position, so that a file's edges, which come grouped by
    /// dependent, look in one short list (one table of every edge missed the cache on each).
    edges_at: Vec<Dependencies>,
}

/// One component's dependencies in the builder: a list searched from end to end while it is
/// short, a hash set once it is long (an imported SBOM's root may depend on every component).
#[derive(Default)]
enum Dependencies {
    #[default]
    None,
    Few(Vec<(u32, DependencyKind)>),
    Many(HashSet<(u32, DependencyKind)>),
}

/// Above this many, a component's dependencies move from a list to a hash set.
const FEW_DEPENDENCIES: usize = 32;

impl Dependencies {
    fn insert(&mut self, to: u32, kind: DependencyKind) {
        match self {
            Dependencies::None => *self = Dependencies::Few(vec![(to, kind)]),
            Dependencies::Few(list) if list.contains(&(to, kind)) => {}
            Dependencies::Few(list) if list.len() < FEW_DEPENDENCIES => list.push((to, kind)),
            Dependencies::Few(list) => {
                let mut set: HashSet<_> = list.drain(..).collect();
                set.insert((to, kind));
                *self = Dependencies::Many(set);
            }
            Dependencies::Many(set) => {
                set.insert((to, kind));
            }
        }
    }

    fn len(&self) -> usize {
        match self {
            Dependencies::None => 0,
            Dependencies::Few(list) => list.len(),
            Dependencies::Many(set) => set.len(),
        }
    }

    fn into_vec(self) -> Vec<(u32, DependencyKind)> {
        match self {
            Dependencies::None => Vec::new(),
            Dependencies::Few(list) => list,
            Dependencies::Many(set) => set.into_iter().collect(),
        }
    }
}

impl GraphBuilder {
    pub fn new() -> GraphBuilder {
        GraphBuilder::default()
    }

    /// Adds a component, or merges it into the one with the same id. Returns its position,
    /// which `add_edge_at` takes.
    pub fn add_component(&mut self, component: Component) -> usize {
        match self.position_of(&component.id) {
            Some(at) => {
                self.components[at].absorb(component);
                at
            }
            None => {
                let at = self.components.len();
                self.by_id.insert(component.id.clone(), NodeIndex::new(at));
                self.components.push(Box::new(component));
                at
            }
        }
    }

    /// Where a component with this id arrived, if one did.
    fn position_of(&mut self, id: &ComponentId) -> Option<usize> {
        let address = std::sync::Arc::as_ptr(&id.0).cast::<u8>() as usize;
        if let Some(&(_, at)) = self.by_address.get(&address) {
            return Some(at as usize);
        }
        let at = self.by_id.get(id)?.index();
        let position = u32::try_from(at).expect("fewer than 2^32 components");
        self.by_address.insert(address, (id.clone(), position));
        Some(at)
    }

    pub fn add_edge(&mut self, edge: Edge) {
        match (self.position_of(&edge.from), self.position_of(&edge.to)) {
            (Some(a), Some(b)) => self.add_edge_at(a, b, edge.kind),
            _ => {
                self.edges.insert(edge);
            }
        }
    }

    /// An edge between two components by the positions `add_component` returned (no ids to
    /// clone, hash and compare: an imported SBOM has as many edges as components).
    pub fn add_edge_at(&mut self, from: usize, to: usize, kind: DependencyKind) {
        let to = u32::try_from(to).expect("fewer than 2^32 components");
        if self.edges_at.len() <= from {
            self.edges_at.resize_with(from + 1, Dependencies::default);
        }
        self.edges_at[from].insert(to, kind);
    }

    pub fn contains(&self, id: &ComponentId) -> bool {
        self.by_id.contains_key(id)
    }

    pub fn component_mut(&mut self, id: &ComponentId) -> Option<&mut Component> {
        let &at = self.by_id.get(id)?;
        self.components.get_mut(at.index()).map(|c| &mut **c)
    }

    /// Freezes the graph and derives every reachable component's scope from the edge kinds.
    /// Edges naming an unknown component are returned rather than kept.
    pub fn build(self) -> (DependencyGraph, Vec<Edge>) {
        let GraphBuilder {
            components,
            by_id: mut index,
            by_address,
            edges,
            edges_at,
        } = self;
        // A table of every id seen, which nothing reads any more: freed on another core.
        rayon::spawn(move || drop(by_address));
        let mut order: Vec<u32> = (0..components.len() as u32).collect();
        // On every core: the scan's other threads have nothing else to do at this point.
        order.par_sort_unstable_by(|&a, &b| components[a as usize].id.cmp(&components[b as usize].id));
        // Where each component lands in the graph, by arrival position.
        let mut node_of = vec![0u32; components.len()];
        for (node, &at) in order.iter().enumerate() {
            node_of[at as usize] = node as u32;
        }
        let edge_count = edges.len() + edges_at.iter().map(Dependencies::len).sum::<usize>();
        let mut graph = DiGraph::with_capacity(components.len(), edge_count);
        let mut slots: Vec<Option<Box<Component>>> = components.into_iter().map(Some).collect();
        for &at in &order {
            let component = slots[at as usize].take().expect("each position is placed once");
            graph.add_node(component);
        }
        drop(slots);
        // Every edge as (dependent, dependency, kind) by node: nodes are in id order, so these
        // sort as the edges' ids would, for a fraction of the comparisons.
        let mut resolved: Vec<(u32, u32, DependencyKind)> = Vec::with_capacity(edge_count);
        let mut dangling = Vec::new();
        for edge in edges {
            match (index.get(&edge.from), index.get(&edge.to)) {
                (Some(a), Some(b)) => resolved.push((node_of[a.index()], node_of[b.index()], edge.kind)),
                _ => dangling.push(edge),
            }
        }
        for (a, dependencies) in edges_at.into_iter().enumerate() {
            let a = node_of[a];
            resolved.extend(
                dependencies
                    .into_vec()
                    .into_iter()
                    .map(|(b, kind)| (a, node_of[b as usize], kind)),
            );
        }
        resolved.par_sort_unstable();
        resolved.dedup();
        for (a, b, kind) in resolved {
            graph.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), kind);
        }
        dangling.sort_unstable();
        for node in index.values_mut() {
            *node = NodeIndex::new(node_of[node.index()] as usize);
        }
        let mut built = DependencyGraph {
            graph,
            index,
            root_distance: Vec::new(),
        };
        // Two walks from the roots over the same graph, one on each core.
        let (scopes, distances) = rayon::join(|| built.derived_scopes(), || built.distances_from_roots());
        built.apply_scopes(&scopes);
        built.root_distance = distances;
        (built, dangling)
    }
}

/// The frozen graph. Iteration order is by component id.
#[derive(Clone, Debug, Default)]
pub struct DependencyGraph {
    /// Boxed: the components stay where the builder first put them (moving values of over
    /// 400 bytes into one large array touched as much fresh memory again).
    graph: DiGraph<Box<Component>, DependencyKind>,
    index: HashMap<ComponentId, NodeIndex>,
    /// Per node, the fewest edges from a project root (`u32::MAX`: no root reaches it).
    root_distance: Vec<u32>,
}

impl DependencyGraph {
    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Every node, projects and packages, sorted by id.
    pub fn components(&self) -> impl Iterator<Item = &Component> {
        self.graph.node_indices().map(move |i| &*self.graph[i])
    }

    /// The project roots, sorted by id.
    pub fn roots(&self) -> impl Iterator<Item = &Component> {
        self.components().filter(|c| c.role == Role::Project)
    }

    /// Where the component is in `components()` (ids are unique, so positions are too).
    pub fn position(&self, id: &ComponentId) -> Option<usize> {
        self.index.get(id).map(|i| i.index())
    }

    pub fn get(&self, id: &ComponentId) -> Option<&Component> {
        self.index.get(id).map(|&i| &*self.graph[i])
    }

    /// The direct dependencies of a component, sorted by target id then kind.
    pub fn dependencies(&self, id: &ComponentId) -> Vec<(&Component, DependencyKind)> {
        let Some(&node) = self.index.get(id) else {
            return Vec::new();
        };
        let mut deps: Vec<_> = self
            .graph
            .edges(node)
            .map(|e| (&*self.graph[e.target()], *e.weight()))
            .collect();
        deps.sort_by(|a, b| (&a.0.id, a.1).cmp(&(&b.0.id, b.1)));
        deps
    }

    /// Every edge as (dependent, dependency, kind), sorted.
    pub fn edges(&self) -> Vec<(&Component, &Component, DependencyKind)> {
        self.edge_positions()
            .map(|(a, b, kind)| (&*self.graph[NodeIndex::new(a)], &*self.graph[NodeIndex::new(b)], kind))
            .collect()
    }

    /// Every edge as positions in `components()` (dependent, dependency, kind), sorted; the
    /// order of [`edges`](Self::edges), since positions follow ids.
    pub fn edge_positions(&self) -> impl ExactSizeIterator<Item = (usize, usize, DependencyKind)> + '_ {
        self.edge_positions_in(0..self.graph.edge_count())
    }

    /// The edges from `range` of [`edge_positions`](Self::edge_positions) (for work split
    /// into runs). Sorted as stored: [`GraphBuilder::build`] adds the edges in this order.
    pub fn edge_positions_in(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl ExactSizeIterator<Item = (usize, usize, DependencyKind)> + '_ {
        self.graph.raw_edges()[range]
            .iter()
            .map(|e| (e.source().index(), e.target().index(), e.weight))
    }

    /// The edges from the component at `position` (dependency, kind), in the order of
    /// [`edge_positions`](Self::edge_positions): found by binary search, so that the
    /// components' lists can be made independently (on every core).
    pub fn edge_positions_from(&self, position: usize) -> impl Iterator<Item = (usize, DependencyKind)> + '_ {
        let edges = self.graph.raw_edges();
        let start = edges.partition_point(|e| e.source().index() < position);
        let end = start + edges[start..].partition_point(|e| e.source().index() == position);
        edges[start..end].iter().map(|e| (e.target().index(), e.weight))
    }

    /// A shortest path from a project root to the component (root first); `None` when no root
    /// reaches it. Walking back from the component, each step goes to the dependent with the
    /// smallest id among those one edge closer to a root.
    pub fn path_from_root(&self, id: &ComponentId) -> Option<Vec<&Component>> {
        let &target = self.index.get(id)?;
        let mut at = target;
        let mut distance = *self.root_distance.get(at.index())?;
        if distance == u32::MAX {
            return None;
        }
        let mut path: Vec<&Component> = vec![&self.graph[at]];
        while distance > 0 {
            at = self
                .graph
                .neighbors_directed(at, petgraph::Direction::Incoming)
                .filter(|p| self.root_distance[p.index()] == distance - 1)
                .min_by(|a, b| self.graph[*a].id.cmp(&self.graph[*b].id))?;
            distance -= 1;
            path.push(&self.graph[at]);
        }
        path.reverse();
        Some(path)
    }

    /// Breadth-first from every project root at once, along dependency edges.
    fn distances_from_roots(&self) -> Vec<u32> {
        let mut distance = vec![u32::MAX; self.graph.node_count()];
        let mut queue = VecDeque::new();
        for node in self.graph.node_indices() {
            if self.graph[node].role == Role::Project {
                distance[node.index()] = 0;
                queue.push_back(node);
            }
        }
        while let Some(node) = queue.pop_front() {
            let next = distance[node.index()] + 1;
            for child in self.graph.neighbors_directed(node, petgraph::Direction::Outgoing) {
                if distance[child.index()] == u32::MAX {
                    distance[child.index()] = next;
                    queue.push_back(child);
                }
            }
        }
        distance
    }

    /// The components that depend on this one, sorted.
    /// Whether a project depends on the component directly.
    pub fn has_project_dependent(&self, id: &ComponentId) -> bool {
        self.index.get(id).is_some_and(|&node| {
            self.graph
                .neighbors_directed(node, petgraph::Direction::Incoming)
                .any(|n| self.graph[n].role == Role::Project)
        })
    }

    pub fn dependents(&self, id: &ComponentId) -> Vec<&Component> {
        let Some(&node) = self.index.get(id) else {
            return Vec::new();
        };
        let mut out: Vec<&Component> = self
            .graph
            .neighbors_directed(node, petgraph::Direction::Incoming)
            .map(|n| &*self.graph[n])
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out.dedup_by(|a, b| a.id == b.id);
        out
    }

    /// A component's scope is the strongest over all paths from a project root, each path
    /// capped by its weakest edge (`None`: no root reaches it, and the component keeps the
    /// collector's scope; see [`apply_scopes`](Self::apply_scopes)).
    fn derived_scopes(&self) -> Vec<Option<Scope>> {
        let mut best: Vec<Option<Scope>> = vec![None; self.graph.node_count()];
        let mut queue = VecDeque::new();
        for i in self.graph.node_indices() {
            if self.graph[i].role == Role::Project {
                best[i.index()] = Some(Scope::Required);
                queue.push_back(i);
            }
        }
        while let Some(node) = queue.pop_front() {
            // Every queued node was given a scope first.
            let Some(here) = best[node.index()] else { continue };
            for edge in self.graph.edges(node) {
                let reached = here.min(edge.weight().scope_cap());
                let target = edge.target().index();
                if best[target].is_none_or(|s| reached > s) {
                    best[target] = Some(reached);
                    queue.push_back(edge.target());
                }
            }
        }
        best
    }

    /// Sets each component's scope to the derived one (its own where no root reaches it),
    /// never above what its lockfile allows (`max_scope`).
    fn apply_scopes(&mut self, derived: &[Option<Scope>]) {
        for node in self.graph.node_indices() {
            let c = &mut self.graph[node];
            let scope = derived[node.index()].unwrap_or(c.scope);
            c.scope = scope.min(c.max_scope);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ecosystem, Source};

    fn package(name: &str) -> Component {
        Component::new(Ecosystem::Cargo, None, name, Some("1.0.0"), Source::DefaultRegistry).unwrap()
    }

    fn edge(a: &Component, b: &Component, kind: DependencyKind) -> Edge {
        Edge {
            from: a.id.clone(),
            to: b.id.clone(),
            kind,
        }
    }

    #[test]
    fn ids_are_found_by_text_whichever_copy_of_it_a_sighting_holds() {
        let mut b = GraphBuilder::new();
        for n in 0..1000 {
            let first = package(&format!("p{n}"));
            // The same text in a copy of its own, dropped after the merge: were its address
            // not held, the next id's text could be allocated there and be taken for it.
            let mut again = first.clone();
            again.id = ComponentId(std::sync::Arc::from(first.id.as_str()));
            assert!(!std::sync::Arc::ptr_eq(&first.id.0, &again.id.0));
            let edge_to_self = Edge {
                from: ComponentId(std::sync::Arc::from(first.id.as_str())),
                to: again.id.clone(),
                kind: DependencyKind::Normal,
            };
            let at = b.add_component(first);
            assert_eq!(b.add_component(again), at);
            b.add_edge(edge_to_self);
        }
        let (g, dangling) = b.build();
        assert!(dangling.is_empty());
        assert_eq!(g.len(), 1000);
        assert_eq!(g.edge_count(), 1000);
        assert!(g.edges().iter().all(|(a, b, _)| a.id == b.id));
    }

    #[test]
    fn repeated_edges_count_once_in_short_and_long_dependency_lists() {
        let mut b = GraphBuilder::new();
        let root = b.add_component(package("root"));
        let leaves: Vec<usize> = (0..100)
            .map(|n| b.add_component(package(&format!("leaf{n:03}"))))
            .collect();
        // Every edge three times, the short list turning into a set on the way.
        for _ in 0..3 {
            for &leaf in &leaves {
                b.add_edge_at(root, leaf, DependencyKind::Normal);
            }
            b.add_edge_at(leaves[0], leaves[1], DependencyKind::Dev);
            b.add_edge_at(leaves[0], leaves[1], DependencyKind::Normal);
        }
        let (g, _) = b.build();
        assert_eq!(g.edge_count(), 102);
        // Stored sorted (and without repeats), whichever order they were added in; runs of
        // them put together are the whole.
        let positions: Vec<_> = g.edge_positions().collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
        let runs: Vec<_> = (0..102)
            .step_by(25)
            .flat_map(|start| g.edge_positions_in(start..(start + 25).min(102)))
            .collect();
        assert_eq!(runs, positions);
        let by_dependent: Vec<_> = (0..g.len())
            .flat_map(|from| g.edge_positions_from(from).map(move |(to, kind)| (from, to, kind)))
            .collect();
        assert_eq!(by_dependent, positions);
        let root = g.components().find(|c| c.name == "root").unwrap();
        let deps: Vec<String> = g
            .dependencies(&root.id)
            .iter()
            .map(|(c, _)| c.name.to_string())
            .collect();
        assert_eq!(deps, (0..100).map(|n| format!("leaf{n:03}")).collect::<Vec<_>>());
        let first = g.components().find(|c| c.name == "leaf000").unwrap();
        let kinds: Vec<DependencyKind> = g.dependencies(&first.id).iter().map(|(_, k)| *k).collect();
        assert_eq!(kinds, [DependencyKind::Normal, DependencyKind::Dev]);
    }

    #[test]
    fn scope_is_the_strongest_path_capped_by_its_weakest_edge() {
        let mut root = package("app");
        root.role = Role::Project;
        let (runtime, tester, helper, builder) = (package("rt"), package("test"), package("helper"), package("cc"));
        let mut b = GraphBuilder::new();
        b.add_edge(edge(&root, &runtime, DependencyKind::Normal));
        b.add_edge(edge(&root, &tester, DependencyKind::Dev));
        b.add_edge(edge(&tester, &helper, DependencyKind::Normal));
        b.add_edge(edge(&runtime, &builder, DependencyKind::Build));
        b.add_edge(edge(&builder, &helper, DependencyKind::Normal));
        for c in [root, runtime, tester, helper, builder] {
            b.add_component(c);
        }
        let (g, dangling) = b.build();
        assert!(dangling.is_empty());
        let scope = |n: &str| g.components().find(|c| c.name == n).unwrap().scope;
        assert_eq!(scope("rt"), Scope::Required);
        assert_eq!(scope("test"), Scope::Dev);
        assert_eq!(scope("cc"), Scope::Build);
        assert_eq!(scope("helper"), Scope::Build, "build beats dev");
    }

    #[test]
    fn edges_by_position_and_by_id_make_one_sorted_edge_list() {
        let (x, y, z) = (package("x"), package("y"), package("z"));
        let mut b = GraphBuilder::new();
        let at_z = b.add_component(z.clone());
        let at_x = b.add_component(x.clone());
        assert_eq!(b.add_component(x.clone()), at_x, "a repeated id keeps its position");
        let at_y = b.add_component(y.clone());
        b.add_edge_at(at_z, at_x, DependencyKind::Dev);
        b.add_edge_at(at_x, at_y, DependencyKind::Normal);
        b.add_edge(edge(&x, &y, DependencyKind::Normal));
        b.add_edge(edge(&x, &z, DependencyKind::Build));
        let (g, dangling) = b.build();
        assert!(dangling.is_empty());
        let names: Vec<(&str, &str, DependencyKind)> = g
            .edges()
            .into_iter()
            .map(|(a, b, k)| (a.name.as_str(), b.name.as_str(), k))
            .collect();
        assert_eq!(
            names,
            [
                ("x", "y", DependencyKind::Normal),
                ("x", "z", DependencyKind::Build),
                ("z", "x", DependencyKind::Dev)
            ]
        );
        assert_eq!(g.edge_count(), 3, "the same edge given both ways is one edge");
        assert_eq!(g.position(&y.id), Some(1));
    }

    #[test]
    fn repeated_components_merge_and_dangling_edges_are_returned() {
        let mut a = package("a");
        a.locations.insert(crate::model::Location {
            path: "x/Cargo.lock".into(),
            line: Some(3),
        });
        let mut a2 = package("a");
        a2.locations.insert(crate::model::Location {
            path: "y/Cargo.lock".into(),
            line: Some(9),
        });
        let ghost = package("ghost");
        let mut b = GraphBuilder::new();
        b.add_edge(edge(&a, &ghost, DependencyKind::Normal));
        b.add_component(a);
        b.add_component(a2);
        let (g, dangling) = b.build();
        assert_eq!(g.len(), 1);
        assert_eq!(g.components().next().unwrap().locations.len(), 2);
        assert_eq!(dangling.len(), 1);
    }

    #[test]
    fn an_edge_given_before_and_after_its_components_is_one_edge() {
        let (x, y) = (package("x"), package("y"));
        let mut b = GraphBuilder::new();
        b.add_edge(edge(&x, &y, DependencyKind::Normal));
        b.add_component(y.clone());
        b.add_component(x.clone());
        b.add_edge(edge(&x, &y, DependencyKind::Normal));
        b.add_edge(edge(&x, &y, DependencyKind::Normal));
        b.add_edge(edge(&x, &y, DependencyKind::Dev));
        let (g, dangling) = b.build();
        assert!(dangling.is_empty());
        let edges: Vec<(&str, &str, DependencyKind)> = g
            .edges()
            .into_iter()
            .map(|(a, b, kind)| (a.name.as_str(), b.name.as_str(), kind))
            .collect();
        assert_eq!(
            edges,
            [("x", "y", DependencyKind::Normal), ("x", "y", DependencyKind::Dev)]
        );
        assert_eq!(
            g.edge_positions().collect::<Vec<_>>(),
            [(0, 1, DependencyKind::Normal), (0, 1, DependencyKind::Dev)]
        );
    }
}
