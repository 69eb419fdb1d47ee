//! A lockfile's big JSON object (npm's and bun's `packages`) read as its entries in the
//! document's order: sorting a map on arrival moves every entry, hundreds of bytes each, a
//! few times over, and the readers look entries up by key in a hash index anyway.

use foldhash::{HashMap, HashMapExt};
use serde::de::{Deserialize, Deserializer};
use std::borrow::Borrow;

/// The entries of an object, in the document's order, repeated keys included.
#[derive(Debug)]
pub struct InOrder<K, V>(pub Vec<(K, V)>);

impl<K, V> Default for InOrder<K, V> {
    fn default() -> Self {
        InOrder(Vec::new())
    }
}

impl<K: Borrow<str>, V> InOrder<K, V> {
    /// Each key's value; of a key written twice, the last (as any JSON object reads).
    pub fn by_key(&self) -> HashMap<&str, &V> {
        let mut index = HashMap::with_capacity(self.0.len());
        for (k, v) in &self.0 {
            index.insert(k.borrow(), v);
        }
        index
    }

    /// The entries `by_key` (this object's [`InOrder::by_key`]) counts, in the document's
    /// order.
    pub fn counted<'s>(&'s self, by_key: &'s HashMap<&str, &V>) -> impl Iterator<Item = (&'s str, &'s V)> + 's {
        self.0
            .iter()
            .map(|(k, v)| (k.borrow(), v))
            .filter(|&(k, v)| by_key.get(k).is_some_and(|&counted| std::ptr::eq(counted, v)))
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for InOrder<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<InOrder<K, V>, D::Error> {
        crate::model::map_entries(deserializer, "an object").map(InOrder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_document_order_and_counts_the_last_of_a_repeated_key() {
        let doc: InOrder<String, u32> = serde_json::from_str(r#"{"b": 1, "a": 2, "b": 3, "c": 4}"#).unwrap();
        let keys: Vec<&str> = doc.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "b", "c"]);
        let by_key = doc.by_key();
        assert_eq!(by_key["b"], &3);
        let counted: Vec<(&str, u32)> = doc.counted(&by_key).map(|(k, v)| (k, *v)).collect();
        assert_eq!(counted, [("a", 2), ("b", 3), ("c", 4)]);
    }

    #[test]
    fn refuses_what_is_no_object() {
        let err = serde_json::from_str::<InOrder<String, u32>>("[1]").unwrap_err();
        assert!(err.to_string().contains("expected an object"), "{err}");
    }
}
