//! One file's components, one per id: a later sighting of an id folds into the first.

use crate::model::{Component, ComponentId};

/// Components in the order their ids first appeared. A lockfile that installs a package at
/// several paths (npm's nested `node_modules`, pnpm's peer variants) names it many times.
#[derive(Default)]
pub struct DistinctComponents {
    position: foldhash::HashMap<ComponentId, usize>,
    components: Vec<Component>,
}

impl DistinctComponents {
    pub fn add(&mut self, component: Component) {
        match self.position.get(&component.id) {
            Some(&at) => self.components[at].absorb(component),
            None => {
                self.position.insert(component.id.clone(), self.components.len());
                self.components.push(component);
            }
        }
    }

    pub fn into_vec(self) -> Vec<Component> {
        self.components
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ecosystem, Source};

    #[test]
    fn later_sightings_fold_into_the_first() {
        let sighting = |name: &str, line: usize| {
            let mut c = Component::new(Ecosystem::Npm, None, name, Some("1.0.0"), Source::DefaultRegistry).unwrap();
            c.found_in("package-lock.json", Some(line));
            c
        };
        let mut distinct = DistinctComponents::default();
        for (name, line) in [("b", 1), ("a", 2), ("b", 3)] {
            distinct.add(sighting(name, line));
        }
        let components = distinct.into_vec();
        let seen: Vec<(&str, Vec<usize>)> = components
            .iter()
            .map(|c| (c.name.as_str(), c.locations.iter().filter_map(|l| l.line).collect()))
            .collect();
        assert_eq!(seen, [("b", vec![1, 3]), ("a", vec![2])]);
    }
}
