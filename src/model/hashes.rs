//! A set of digests as a sorted vector. Components carry one or two; a `BTreeSet` allocated a
//! whole eleven-slot node for each (about 370 bytes per component, which a 100,000-component
//! import paid in freshly zeroed pages).

use super::Hash;

/// Sorted, without duplicates; iterates and compares like the `BTreeSet` it replaces.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hashes(Vec<Hash>);

impl Hashes {
    pub fn new() -> Hashes {
        Hashes(Vec::new())
    }

    /// Adds `hash`; false if it was already there.
    pub fn insert(&mut self, hash: Hash) -> bool {
        match self.0.binary_search(&hash) {
            Ok(_) => false,
            Err(at) => {
                // One or two digests is the rule: grow by one, not to Vec's first four slots.
                self.0.reserve_exact(1);
                self.0.insert(at, hash);
                true
            }
        }
    }

    pub fn contains(&self, hash: &Hash) -> bool {
        self.0.binary_search(hash).is_ok()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Hash> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Extend<Hash> for Hashes {
    fn extend<I: IntoIterator<Item = Hash>>(&mut self, hashes: I) {
        for h in hashes {
            self.insert(h);
        }
    }
}

impl FromIterator<Hash> for Hashes {
    fn from_iter<I: IntoIterator<Item = Hash>>(hashes: I) -> Hashes {
        let mut all: Vec<Hash> = hashes.into_iter().collect();
        all.sort();
        all.dedup();
        Hashes(all)
    }
}

impl IntoIterator for Hashes {
    type Item = Hash;
    type IntoIter = std::vec::IntoIter<Hash>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Hashes {
    type Item = &'a Hash;
    type IntoIter = std::slice::Iter<'a, Hash>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HashAlgorithm;
    use std::collections::BTreeSet;

    #[test]
    fn behaves_like_a_btree_set() {
        let h = |alg, c: char| Hash::from_hex(alg, &c.to_string().repeat(alg.hex_len())).unwrap();
        let items = [
            h(HashAlgorithm::Sha512, 'b'),
            h(HashAlgorithm::Sha1, 'f'),
            h(HashAlgorithm::Sha512, 'a'),
            h(HashAlgorithm::Sha1, 'f'),
        ];
        let mut ours = Hashes::new();
        let mut reference = BTreeSet::new();
        for item in &items {
            assert_eq!(ours.insert(item.clone()), reference.insert(item.clone()));
        }
        assert!(ours.iter().eq(reference.iter()));
        assert_eq!(ours, items.iter().cloned().collect::<Hashes>());
        assert_eq!(ours.len(), 3);
        assert!(ours.contains(&items[0]));
        // Ordered as the sets were, so artifacts sort as before.
        let fewer: Hashes = items[..1].iter().cloned().collect();
        let fewer_reference: BTreeSet<Hash> = items[..1].iter().cloned().collect();
        assert_eq!(ours.cmp(&fewer), reference.cmp(&fewer_reference));
    }
}
