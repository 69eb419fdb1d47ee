//! The match key of every component of one document, computed once: parsing a purl is most
//! of what matching costs, and the differ and the signals both need the keys.

use super::compute::match_key;
use crate::model::{Component, DependencyGraph};
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

/// Match keys by position in `DependencyGraph::components()`.
pub struct MatchKeys {
    keys: Vec<String>,
}

impl MatchKeys {
    pub fn new(graph: &DependencyGraph) -> MatchKeys {
        let components: Vec<&Component> = graph.components().collect();
        MatchKeys {
            keys: components.par_iter().map(|c| match_key(c)).collect(),
        }
    }

    /// The key of `c`, a component of `graph` (the graph these keys were made from).
    pub fn of(&self, graph: &DependencyGraph, c: &Component) -> Option<&str> {
        graph.position(&c.id).map(|at| self.keys[at].as_str())
    }

    /// The graph's components grouped by key, each group in graph order.
    pub fn group<'a>(&'a self, graph: &'a DependencyGraph) -> HashMap<&'a str, Vec<&'a Component>> {
        let mut by_key: HashMap<&str, Vec<&Component>> = HashMap::with_capacity(self.keys.len());
        for (key, c) in self.keys.iter().zip(graph.components()) {
            by_key.entry(key.as_str()).or_default().push(c);
        }
        by_key
    }
}
