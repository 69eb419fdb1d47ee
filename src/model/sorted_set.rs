//! A set kept as a sorted vector: for the small sets every component carries (its digests,
//! where it was found), where a `BTreeSet` would allocate an eleven-slot node for one element
//! and compare its way through pointers on every merge.

use smallvec::SmallVec;

/// Sorted, without duplicates; iterates in order like a `BTreeSet`. The first `INLINE`
/// values are kept in the set itself: a set that almost always holds one value (where a
/// component was found) then costs no allocation, and no free on another core when a
/// repeated sighting is merged.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SortedSet<T, const INLINE: usize = 0>(SmallVec<[T; INLINE]>);

impl<T: Ord, const INLINE: usize> SortedSet<T, INLINE> {
    pub const fn new() -> SortedSet<T, INLINE> {
        SortedSet(SmallVec::new_const())
    }

    /// Adds `value`; false when it was there already. Values that arrive in order (a scan
    /// merges files in path order) take one comparison.
    pub fn insert(&mut self, value: T) -> bool {
        let at = match self.0.last() {
            None => 0,
            Some(last) if *last < value => self.0.len(),
            Some(_) => match self.0.binary_search(&value) {
                Ok(_) => return false,
                Err(at) => at,
            },
        };
        // One to a few values is the rule (a digest or two, a location): grow one slot at a
        // time up to four, not straight to Vec's first four slots.
        if self.0.len() < 4 && self.0.len() >= INLINE {
            self.0.reserve_exact(1);
        }
        self.0.insert(at, value);
        true
    }

    pub fn contains(&self, value: &T) -> bool {
        self.0.binary_search(value).is_ok()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    pub fn first(&self) -> Option<&T> {
        self.0.first()
    }

    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// Adds every value of `other`. Merging a repeated sighting usually adds nothing new:
    /// that is found without moving or sorting anything.
    pub fn append(&mut self, other: SortedSet<T, INLINE>) {
        if other.is_subset(self) {
            return;
        }
        self.extend(other);
    }

    /// Whether every value of `self` is in `of`: a binary search each when `self` is much
    /// the smaller, else one walk through both (a repeated sighting's artifacts are the same
    /// twenty wheels, whose names share long prefixes: one comparison each, not five).
    pub fn is_subset<const OF_INLINE: usize>(&self, of: &SortedSet<T, OF_INLINE>) -> bool {
        if self.len() * 4 < of.len() {
            return self.0.iter().all(|value| of.contains(value));
        }
        let mut rest = of.0.iter();
        'values: for value in &self.0 {
            for candidate in rest.by_ref() {
                match candidate.cmp(value) {
                    std::cmp::Ordering::Less => continue,
                    std::cmp::Ordering::Equal => continue 'values,
                    std::cmp::Ordering::Greater => return false,
                }
            }
            return false;
        }
        true
    }
}

impl<T: Ord, const INLINE: usize> Default for SortedSet<T, INLINE> {
    fn default() -> Self {
        SortedSet::new()
    }
}

impl<T: Ord, const INLINE: usize> Extend<T> for SortedSet<T, INLINE> {
    /// A single value (a merge of one more sighting) goes in by binary search; more are
    /// appended and the whole sorted once (already-sorted runs make that near linear).
    fn extend<I: IntoIterator<Item = T>>(&mut self, values: I) {
        let mut values = values.into_iter();
        let Some(first) = values.next() else {
            return;
        };
        match values.next() {
            None => {
                self.insert(first);
            }
            Some(second) => {
                self.0.push(first);
                self.0.push(second);
                self.0.extend(values);
                self.0.sort();
                self.0.dedup();
            }
        }
    }
}

impl<T: Ord, const INLINE: usize> FromIterator<T> for SortedSet<T, INLINE> {
    fn from_iter<I: IntoIterator<Item = T>>(values: I) -> Self {
        let mut set = SortedSet::new();
        set.extend(values);
        set
    }
}

impl<T: Ord, const N: usize, const INLINE: usize> From<[T; N]> for SortedSet<T, INLINE> {
    fn from(values: [T; N]) -> Self {
        values.into_iter().collect()
    }
}

impl<T, const INLINE: usize> IntoIterator for SortedSet<T, INLINE> {
    type Item = T;
    type IntoIter = smallvec::IntoIter<[T; INLINE]>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T, const INLINE: usize> IntoIterator for &'a SortedSet<T, INLINE> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::SortedSet;
    use std::collections::BTreeSet;

    #[test]
    fn behaves_like_a_btree_set() {
        behaves_like_a_btree_set_with::<0>();
        behaves_like_a_btree_set_with::<1>();
        behaves_like_a_btree_set_with::<3>();
    }

    fn behaves_like_a_btree_set_with<const INLINE: usize>() {
        // The same operations on both, in an order that exercises every path of `extend`.
        let steps: Vec<Vec<u32>> = vec![
            vec![5],
            vec![3, 9, 3],
            vec![],
            vec![9],
            vec![1, 7],
            vec![4],
            vec![5, 5, 0],
        ];
        let mut ours = SortedSet::<u32, INLINE>::new();
        let mut reference = BTreeSet::new();
        for step in steps {
            ours.extend(step.clone());
            reference.extend(step);
            assert_eq!(ours.iter().collect::<Vec<_>>(), reference.iter().collect::<Vec<_>>());
        }
        assert!(!ours.insert(7), "already there");
        assert!(ours.insert(8));
        assert!(ours.contains(&8) && !ours.contains(&2));
        assert_eq!((ours.len(), ours.first()), (8, Some(&0)));
        assert_eq!(
            SortedSet::<u32, INLINE>::from([3, 1, 3])
                .into_iter()
                .collect::<Vec<_>>(),
            vec![1, 3]
        );
        assert!(SortedSet::<u8, INLINE>::default().is_empty());
    }

    #[test]
    fn subsets_are_found_by_either_way() {
        subsets_are_found_by_either_way_with::<0>();
        subsets_are_found_by_either_way_with::<1>();
    }

    fn subsets_are_found_by_either_way_with<const INLINE: usize>() {
        let big: SortedSet<u32> = (0..40).map(|n| n * 2).collect();
        for small in [
            vec![],
            vec![0],
            vec![78],
            vec![2, 40, 78],
            (0..40).map(|n| n * 2).collect(),
        ] {
            let small: SortedSet<u32, INLINE> = small.into_iter().collect();
            assert!(small.is_subset(&big), "{:?}", small.as_slice());
        }
        for small in [
            vec![1],
            vec![80],
            vec![0, 2, 3],
            vec![0, 2, 4, 6, 8, 10, 11, 12, 14, 16, 18],
        ] {
            let small: SortedSet<u32, INLINE> = small.into_iter().collect();
            assert!(!small.is_subset(&big), "{:?}", small.as_slice());
        }
        assert!(!big.is_subset(&SortedSet::<u32, INLINE>::new()));
    }

    #[test]
    fn append_adds_what_is_new() {
        append_adds_what_is_new_with::<0>();
        append_adds_what_is_new_with::<1>();
    }

    fn append_adds_what_is_new_with<const INLINE: usize>() {
        let mut ours = SortedSet::<u32, INLINE>::from([2, 4, 6]);
        ours.append(SortedSet::from([4, 2]));
        assert_eq!(ours.as_slice(), [2, 4, 6]);
        ours.append(SortedSet::from([6, 5, 1]));
        assert_eq!(ours.as_slice(), [1, 2, 4, 5, 6]);
        ours.append(SortedSet::new());
        assert_eq!(ours.len(), 5);
    }
}
