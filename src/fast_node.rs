//! The document the fast readers (`yaml_block`, `toml_simple`) build: scalars borrowed from
//! the text where no escape changed them, mappings as lists of entries. Serde reads it exactly
//! as it reads serde_yaml_ng's `Value` (same types accepted, same ones refused), without a
//! value built first: no key hashed, no scalar copied.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde_yaml_ng::{Error, Number, Value};
use std::borrow::Cow;
use std::hash::{Hash, Hasher};

#[derive(Clone, Debug, PartialEq)]
pub enum Node<'a> {
    Null,
    Bool(bool),
    Number(Number),
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    /// Entries in document order, no key twice (the reader refuses a repeated key).
    Map(Vec<(Node<'a>, Node<'a>)>),
}

impl<'a> Node<'a> {
    /// The `serde_yaml_ng::Value` the full parser builds for the same text.
    pub fn into_value(self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::Number(n) => Value::Number(n),
            Node::Str(s) => Value::String(s.into_owned()),
            Node::Seq(items) => Value::Sequence(items.into_iter().map(Node::into_value).collect()),
            Node::Map(entries) => Value::Mapping(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.into_value(), v.into_value()))
                    .collect(),
            ),
        }
    }

    /// The node the full parser's `value` reads as, owning its texts. A tagged value
    /// (`!tag x`) becomes `Null`: like the tagged value, it is none of a string, a number, a
    /// mapping or a sequence to readers that ask.
    pub fn from_value(value: Value) -> Node<'static> {
        match value {
            Value::Null | Value::Tagged(_) => Node::Null,
            Value::Bool(b) => Node::Bool(b),
            Value::Number(n) => Node::Number(n),
            Value::String(s) => Node::Str(Cow::Owned(s)),
            Value::Sequence(items) => Node::Seq(items.into_iter().map(Node::from_value).collect()),
            Value::Mapping(m) => Node::Map(
                m.into_iter()
                    .map(|(k, v)| (Node::from_value(k), Node::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// A mapping's entries, in document order.
    pub fn entries(&self) -> Option<&[(Node<'a>, Node<'a>)]> {
        match self {
            Node::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// A string's text (not a number's or a boolean's).
    pub fn text(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Node::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value of a mapping's entry whose key is the string `key`.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        entry(self.entries()?, key)
    }

    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Node::Null => Unexpected::Unit,
            Node::Bool(b) => Unexpected::Bool(*b),
            Node::Number(_) => Unexpected::Other("number"),
            Node::Str(s) => Unexpected::Str(s),
            Node::Seq(_) => Unexpected::Seq,
            Node::Map(_) => Unexpected::Map,
        }
    }

    fn invalid_type<'de, V: Visitor<'de>>(&self, visitor: &V) -> Error {
        de::Error::invalid_type(self.unexpected(), visitor)
    }
}

/// The value of the entry of `entries` (a mapping's) whose key is the string `key`.
pub fn entry<'n, 'a>(entries: &'n [(Node<'a>, Node<'a>)], key: &str) -> Option<&'n Node<'a>> {
    entries.iter().find(|(k, _)| k.text() == Some(key)).map(|(_, v)| v)
}

/// A mapping key as the full parser compares keys (its `Value` equality and hash), for
/// finding a repeated one. Keys are scalars: the reader refuses collections as keys.
#[derive(PartialEq)]
pub(crate) enum KeyRef<'k> {
    Null,
    Bool(bool),
    Number(&'k Number),
    Str(&'k str),
    Collection,
}

// `Number` equality is reflexive (YAML has one NaN, equal to itself).
impl Eq for KeyRef<'_> {}

impl Hash for KeyRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            KeyRef::Bool(b) => b.hash(state),
            KeyRef::Number(n) => n.hash(state),
            KeyRef::Str(s) => s.hash(state),
            KeyRef::Null | KeyRef::Collection => {}
        }
    }
}

impl<'k> KeyRef<'k> {
    pub(crate) fn of(node: &'k Node<'_>) -> KeyRef<'k> {
        match node {
            Node::Null => KeyRef::Null,
            Node::Bool(b) => KeyRef::Bool(*b),
            Node::Number(n) => KeyRef::Number(n),
            Node::Str(s) => KeyRef::Str(s),
            Node::Seq(_) | Node::Map(_) => KeyRef::Collection,
        }
    }
}

/// True when two entries have the same key (a mapping the full parser refuses).
pub(crate) fn has_repeated_key(entries: &[(Node<'_>, Node<'_>)]) -> bool {
    if entries.len() <= 8 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, (a, _))| entries[..i].iter().any(|(b, _)| KeyRef::of(a) == KeyRef::of(b)));
    }
    let mut seen = foldhash::HashSet::with_capacity_and_hasher(entries.len(), Default::default());
    !entries.iter().all(|(k, _)| seen.insert(KeyRef::of(k)))
}

fn visit_seq<'de, V: Visitor<'de>>(items: Vec<Node<'de>>, visitor: V) -> Result<V::Value, Error> {
    let len = items.len();
    let mut access = Items(items.into_iter());
    let value = visitor.visit_seq(&mut access)?;
    if access.0.len() == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in sequence"))
    }
}

fn visit_map<'de, V: Visitor<'de>>(entries: Vec<(Node<'de>, Node<'de>)>, visitor: V) -> Result<V::Value, Error> {
    let len = entries.len();
    let mut access = Entries {
        entries: entries.into_iter(),
        value: None,
    };
    let value = visitor.visit_map(&mut access)?;
    if access.entries.len() == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in map"))
    }
}

struct Items<'de>(std::vec::IntoIter<Node<'de>>);

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|node| seed.deserialize(node)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'de> {
    entries: std::vec::IntoIter<(Node<'de>, Node<'de>)>,
    value: Option<Node<'de>>,
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// Numbers are read by `Number` itself, as the full parser's value does.
macro_rules! numbers_from_number {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self {
                Node::Number(n) => de::Deserializer::deserialize_any(n, visitor),
                other => Err(other.invalid_type(&visitor)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Node<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(b),
            Node::Number(n) => de::Deserializer::deserialize_any(n, visitor),
            Node::Str(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Node::Str(Cow::Owned(s)) => visitor.visit_string(s),
            Node::Seq(items) => visit_seq(items, visitor),
            Node::Map(entries) => visit_map(entries, visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Bool(b) => visitor.visit_bool(b),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    numbers_from_number! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Str(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Node::Str(Cow::Owned(s)) => visitor.visit_string(s),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Str(_) => self.deserialize_string(visitor),
            Node::Seq(items) => visit_seq(items, visitor),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => visitor.visit_unit(),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Seq(items) => visit_seq(items, visitor),
            Node::Null => visit_seq(Vec::new(), visitor),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Map(entries) => visit_map(entries, visitor),
            Node::Null => visit_map(Vec::new(), visitor),
            other => Err(other.invalid_type(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    /// A string names a unit variant; the full parser's value reads other variants from
    /// YAML tags, which the fast reader never accepts.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Str(s) => visitor.visit_enum(s.into_owned().into_deserializer()),
            other => Err(de::Error::invalid_type(other.unexpected(), &"a Value::Tagged enum")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use super::Node;
    use crate::yaml_block::parse_node_within;
    use serde::de::{DeserializeOwned, IgnoredAny};
    use serde::Deserialize;
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    #[test]
    fn nodes_from_the_full_parser_read_as_the_fast_reader_builds_them() {
        let text = "a:\n  b: x\n  c: 1.5\n  d: true\n  e: [1, 2]\n'5': five\n5: number key\n";
        let fast = parse_node_within(text, 64).unwrap();
        let tagged = format!("{text}t: !tag value\n");
        let full = Node::from_value(serde_yaml_ng::from_str(&tagged).unwrap());
        let t = &full.get("t");
        assert_eq!(
            t,
            &Some(&Node::Null),
            "a tagged value is none of the kinds readers ask for"
        );
        for node in [&fast, &full] {
            let a = node.get("a").unwrap();
            assert_eq!(a.get("b").and_then(Node::text), Some("x"));
            assert_eq!(a.get("c").and_then(Node::text), None, "a number is no text");
            assert_eq!(a.get("d").and_then(Node::as_bool), Some(true));
            assert_eq!(a.entries().map(<[_]>::len), Some(4));
            assert_eq!(node.get("5").and_then(Node::text), Some("five"), "string keys only");
            assert!(node.get("missing").is_none() && a.get("b").unwrap().get("b").is_none());
        }
        fn without_tag<'a>(n: &Node<'a>) -> Vec<(Node<'a>, Node<'a>)> {
            let entries = n.entries().unwrap().iter();
            entries.filter(|(k, _)| k.text() != Some("t")).cloned().collect()
        }
        assert_eq!(without_tag(&fast), without_tag(&full));
    }

    /// Serde over the fast reader's nodes, and over the full parser's value of the same
    /// text: the typed result (as Debug), or None where it refuses.
    fn both<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> (Option<String>, Option<String>) {
        let node = parse_node_within(text, 64).unwrap_or_else(|| panic!("refused: {text}"));
        let fast = T::deserialize(node).ok().map(|v| format!("{v:?}"));
        let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).unwrap();
        let full = serde_yaml_ng::from_value::<T>(value).ok().map(|v| format!("{v:?}"));
        (fast, full)
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Link {
        #[serde(rename = "hard")]
        Hard,
        #[serde(rename = "soft")]
        Soft,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Entry {
        version: Option<String>,
        #[serde(default)]
        dependencies: BTreeMap<String, String>,
        #[serde(default)]
        cpu: Vec<String>,
        size: Option<u32>,
        optional: Option<bool>,
        #[serde(rename = "linkType")]
        link_type: Option<Link>,
        skipped: Option<IgnoredAny>,
    }

    #[test]
    fn typed_reads_agree_with_the_full_parsers_value() {
        let accepted = [
            "version: 1.2.3\ndependencies:\n  a: ^1\n  '@s/b': \"npm:2\"\ncpu: [x64, arm64]\nsize: 12\noptional: true\nlinkType: hard\nskipped: {a: [1, 2]}\n",
            "version: ~\ncpu:\nsize: 0x1F\n",
            "dependencies: {}\ncpu: []\nlinkType: soft\n",
            "unknown: [a, {b: c}]\nversion: 'it''s'\n",
        ];
        for text in accepted {
            let (fast, full) = both::<Entry>(text);
            assert!(fast.is_some(), "{text}");
            assert_eq!(fast, full, "{text}");
        }
        // Where the value is refused, so are the nodes (the caller then asks the full parser).
        let refused = [
            "version: 1.5\n",        // a number where a string is expected
            "version: true\n",       // a boolean likewise
            "size: x\n",             // a string where a number is expected
            "size: -1\n",            // out of range
            "linkType: other\n",     // no such variant
            "linkType: {hard: 1}\n", // variants with content come from tags only
            "dependencies: [a]\n",   // a sequence where a mapping is expected
            "cpu: x64\n",            // a scalar where a sequence is expected
            "optional: 'true'\n",    // a string where a boolean is expected
        ];
        for text in refused {
            let (fast, full) = both::<Entry>(text);
            assert_eq!(fast, None, "{text}");
            assert_eq!(full, None, "{text}");
        }
        let (fast, full) = both::<BTreeMap<String, serde_yaml_ng::Value>>("b: [1, x, ~]\na: {k: 2.5}\n");
        assert_eq!(fast, full);
    }

    #[test]
    fn scalars_are_borrowed_unless_an_escape_changed_them() {
        let node = parse_node_within("a: plain\nb: 'quoted'\nc: 'it''s'\nd: \"tab\\t\"\n", 64).unwrap();
        let Node::Map(entries) = node else { panic!("a mapping") };
        let borrowed: Vec<bool> = entries
            .iter()
            .map(|(_, v)| matches!(v, Node::Str(Cow::Borrowed(_))))
            .collect();
        assert_eq!(borrowed, [true, true, false, false]);
        assert_eq!(entries[2].1, Node::Str(Cow::Owned("it's".into())));
        assert_eq!(entries[3].1, Node::Str(Cow::Owned("tab\t".into())));
    }

    #[test]
    fn a_repeated_key_is_refused_in_small_and_large_mappings() {
        let many: String = (0..20).map(|i| format!("k{i}: v\n")).collect();
        assert!(parse_node_within(&many, 64).is_some());
        for text in [
            "a: 1\nb: 2\na: 3\n".to_string(),
            format!("{many}k7: again\n"),
            "m: {x: 1, y: 2, x: 3}\n".to_string(),
            "1: a\n0x1: b\n".to_string(),
            "~: a\nnull: b\n".to_string(),
        ] {
            assert_eq!(parse_node_within(&text, 64), None, "{text}");
        }
        // Different types are different keys, as in the full parser.
        assert!(parse_node_within("1: a\n'1': b\ntrue: c\n'true': d\n", 64).is_some());
    }
}
