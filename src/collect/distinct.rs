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

    /// Room for `n` distinct components, where the caller knows how many entries come.
    pub fn with_capacity(n: usize) -> DistinctComponents {
        let mut position = foldhash::HashMap::default();
        position.reserve(n);
        DistinctComponents {
            position,
            components: Vec::with_capacity(n),
        }
    }

    /// Moves the components to the end of `out` (an empty `out` takes the vector as it is:
    /// no component copied again).
    pub fn append_to(self, out: &mut Vec<Component>) {
        if out.is_empty() {
            *out = self.components;
        } else {
            out.extend(self.components);
        }
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
        let summary = |components: &[Component]| -> Vec<(String, Vec<usize>)> {
            components
                .iter()
                .map(|c| (c.name.to_string(), c.locations.iter().filter_map(|l| l.line).collect()))
                .collect()
        };
        let mut distinct = DistinctComponents::default();
        for (name, line) in [("b", 1), ("a", 2), ("b", 3)] {
            distinct.add(sighting(name, line));
        }
        let mut alone = Vec::new();
        distinct.append_to(&mut alone);
        assert_eq!(summary(&alone), [("b".into(), vec![1, 3]), ("a".into(), vec![2])]);

        let mut distinct = DistinctComponents::with_capacity(2);
        distinct.add(sighting("c", 4));
        let mut after = vec![sighting("z", 9)];
        distinct.append_to(&mut after);
        assert_eq!(summary(&after), [("z".into(), vec![9]), ("c".into(), vec![4])]);
    }
}
