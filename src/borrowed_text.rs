//! A string read from a document that points into the document wherever the document spells
//! it without escapes, so that reading a lockfile's names and keys allocates nothing for
//! them (serde's `String` and `Cow` in a map or an `Option` always copy).

use serde::de::{Deserialize, Deserializer, Error, Visitor};
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

/// Text borrowed from the input, or owned where the input escaped some of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text<'a>(pub Cow<'a, str>);

impl Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text<'_> {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text<'a>, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: Error>(self, text: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(text)))
            }

            fn visit_str<E: Error>(self, text: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(text.to_string())))
            }

            fn visit_string<E: Error>(self, text: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(text)))
            }
        }

        deserializer.deserialize_str(TextVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn borrows_plain_text_and_owns_escaped_text() {
        let json = r#"{"plain": "a", "esc\u0061ped": "b\nc"}"#;
        let map: BTreeMap<Text<'_>, Text<'_>> = serde_json::from_str(json).unwrap();
        let (plain, a) = map.get_key_value("plain").unwrap();
        assert!(matches!(plain.0, Cow::Borrowed(_)));
        assert!(matches!(a.0, Cow::Borrowed("a")));
        let (escaped, b) = map.get_key_value("escaped").unwrap();
        assert!(matches!(escaped.0, Cow::Owned(_)));
        assert_eq!(&**b, "b\nc");
        assert!(matches!(b.0, Cow::Owned(_)));
    }

    #[test]
    fn refuses_what_is_no_string() {
        let err = serde_json::from_str::<Text<'_>>("12").unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }
}
