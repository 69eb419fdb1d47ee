//! A map kept as a vector sorted by key: for a component's few properties, where a
//! `BTreeMap` allocates an eleven-slot node (over 500 bytes for string pairs) for one entry,
//! once per sighting.

use std::borrow::Borrow;
use std::fmt;

/// Sorted by key, one entry per key; iterates in key order like a `BTreeMap`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SortedMap<K, V>(Vec<(K, V)>);

impl<K: Ord, V> SortedMap<K, V> {
    pub const fn new() -> SortedMap<K, V> {
        SortedMap(Vec::new())
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// Sets `key` to `value`; returns the value it replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at].1, value)),
            Err(at) => {
                // Most components have one to three properties: grow a slot at a time.
                if self.0.len() < 4 {
                    self.0.reserve_exact(1);
                }
                self.0.insert(at, (key, value));
                None
            }
        }
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| &self.0[at].1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| self.0.remove(at).1)
    }

    /// The map of these entries; of a key given twice, the last value counts (as a JSON
    /// object or a `BTreeMap` built in order reads it).
    pub fn from_entries(mut entries: Vec<(K, V)>) -> SortedMap<K, V> {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        // `dedup_by` keeps the first of equal neighbours; it takes the later one's value.
        entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(&mut later.1, &mut kept.1);
            }
            same
        });
        SortedMap(entries)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }
}

impl<K: Ord, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(k, v)| (k, v))).finish()
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, entries: I) {
        for (k, v) in entries {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut map = SortedMap::new();
        map.extend(entries);
        map
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SortedMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

/// Read from a map (a JSON object, a YAML mapping): entries gathered, then sorted once.
impl<'de, K: Ord + serde::Deserialize<'de>, V: serde::Deserialize<'de>> serde::Deserialize<'de> for SortedMap<K, V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<SortedMap<K, V>, D::Error> {
        map_entries(deserializer, "a map").map(SortedMap::from_entries)
    }
}

/// A map's entries in the document's order, a repeated key as often as it is written;
/// `expecting` names what else is found ("expected a map").
pub(crate) fn map_entries<'de, D, K, V>(deserializer: D, expecting: &'static str) -> Result<Vec<(K, V)>, D::Error>
where
    D: serde::Deserializer<'de>,
    K: serde::Deserialize<'de>,
    V: serde::Deserialize<'de>,
{
    struct Entries<K, V>(&'static str, std::marker::PhantomData<(K, V)>);

    impl<'de, K: serde::Deserialize<'de>, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Entries<K, V> {
        type Value = Vec<(K, V)>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }

        fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Vec<(K, V)>, M::Error> {
            // The hint is capped: a hostile document's claim is no reason to reserve.
            let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
            while let Some(entry) = map.next_entry()? {
                entries.push(entry);
            }
            Ok(entries)
        }
    }

    deserializer.deserialize_map(Entries(expecting, std::marker::PhantomData))
}

impl<K, Q, V> std::ops::Index<&Q> for SortedMap<K, V>
where
    K: Ord + Borrow<Q>,
    Q: Ord + ?Sized,
{
    type Output = V;

    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry for the key")
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::SortedMap;
    use std::collections::BTreeMap;

    #[test]
    fn behaves_like_a_btree_map() {
        let steps = [("m", 1), ("c", 2), ("x", 3), ("c", 4), ("a", 5), ("m", 6), ("b", 7)];
        let mut ours = SortedMap::new();
        let mut reference = BTreeMap::new();
        for (k, v) in steps {
            assert_eq!(ours.insert(k.to_string(), v), reference.insert(k.to_string(), v));
            assert_eq!(ours.iter().collect::<Vec<_>>(), reference.iter().collect::<Vec<_>>());
        }
        assert_eq!((ours.get("c"), ours.get("d")), (Some(&4), None));
        assert!(ours.contains_key("x") && !ours.contains_key("y"));
        assert_eq!(ours["a"], 5);
        assert_eq!(ours.remove("x"), Some(3));
        assert_eq!(ours.remove("x"), None);
        assert_eq!(ours.len(), 4);
        assert_eq!(
            ours.keys().map(String::as_str).collect::<Vec<_>>(),
            ["a", "b", "c", "m"]
        );
        assert_eq!(ours.values().copied().collect::<Vec<_>>(), [5, 7, 4, 6]);
        assert_eq!(
            format!("{:?}", SortedMap::from([("b", 1), ("a", 2)])),
            r#"{"a": 2, "b": 1}"#
        );
        let owned: Vec<(String, i32)> = ours.clone().into_iter().collect();
        assert_eq!(owned[0], ("a".to_string(), 5));
        assert!(SortedMap::<u8, u8>::default().is_empty());
        assert_eq!((&ours).into_iter().count(), 4);
    }

    #[test]
    fn read_from_a_document_the_last_of_a_repeated_key_counts() {
        let json = r#"{"m": 1, "c": 2, "x": 3, "c": 4, "a": 5, "m": 6, "c": 7}"#;
        let ours: SortedMap<String, u32> = serde_json::from_str(json).unwrap();
        let reference: BTreeMap<String, u32> = serde_json::from_str(json).unwrap();
        assert_eq!(ours.iter().collect::<Vec<_>>(), reference.iter().collect::<Vec<_>>());
        assert_eq!(ours["c"], 7);
        let yaml: SortedMap<String, u32> = serde_yaml_ng::from_str("b: 1\na: 2\n").unwrap();
        assert_eq!(yaml.keys().map(String::as_str).collect::<Vec<_>>(), ["a", "b"]);
        let not_a_map = serde_json::from_str::<SortedMap<String, u32>>("[1, 2]").unwrap_err();
        assert!(not_a_map.to_string().contains("expected a map"), "{not_a_map}");
    }
}
