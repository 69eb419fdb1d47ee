//! A set of digests as a sorted vector. Components carry one or two; a `BTreeSet` allocated a
//! whole eleven-slot node for each (about 370 bytes per component, which a 100,000-component
//! import paid in freshly zeroed pages).

use super::{Hash, SortedSet};

/// Sorted, without duplicates; iterates and compares like the `BTreeSet` it replaces.
pub type Hashes = SortedSet<Hash>;

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
