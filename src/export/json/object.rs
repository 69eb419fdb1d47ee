//! A JSON object written one field at a time, in the same layout as [`super::to_writer_pretty`],
//! whose big arrays (a CycloneDX document's components) are rendered on every core
//! ([`crate::export::pieces`]).

use super::{Error, Pretty};
use serde::Serialize;
use std::io::{self, Write};

/// An open JSON object at the top of a document: `{`, then fields, then [`ObjectWriter::end`].
pub struct ObjectWriter<W: Write + Send> {
    ser: Pretty<W>,
    first: bool,
}

impl<W: Write + Send> ObjectWriter<W> {
    /// Starts the object (`{`).
    pub fn begin(out: W) -> ObjectWriter<W> {
        let mut ser = Pretty::new(out);
        ser.open(b'{');
        ObjectWriter { ser, first: true }
    }

    fn key(&mut self, key: &str) {
        self.ser.element(self.first);
        self.first = false;
        self.ser.string(key);
        self.ser.buf.extend_from_slice(b": ");
    }

    /// Writes `"key": value`.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> io::Result<()> {
        self.key(key);
        value.serialize(&mut self.ser).map_err(Error::into_io)?;
        self.ser.maybe_flush().map_err(Error::into_io)
    }

    /// Writes `"key": [...]` with an element `render(item)` for each item, rendered on all
    /// cores `piece` items at a time ([`crate::export::pieces::RECORDS`], `LINES`).
    pub fn field_rendered_in_parallel<I, T, F>(
        &mut self,
        key: &str,
        items: &[I],
        piece: usize,
        render: F,
    ) -> io::Result<()>
    where
        I: Sync,
        T: Serialize,
        F: Fn(&I) -> T + Sync,
    {
        self.array_in_parallel(key, items, piece, &|item, ser| render(item).serialize(ser))
    }

    /// Writes `"key": [...]`, each element by `write` into a piece rendered on all cores
    /// ([`crate::export::pieces`]); the bytes are the same as for one `field` of the whole
    /// array.
    fn array_in_parallel<I: Sync>(
        &mut self,
        key: &str,
        items: &[I],
        piece: usize,
        write: &WriteElement<'_, I>,
    ) -> io::Result<()> {
        self.key(key);
        self.ser.open(b'[');
        self.ser.flush_buffer()?;
        let depth = self.ser.depth;
        crate::export::pieces::write_in_order(&mut self.ser.out, items, piece, &|start, piece, buf| {
            let mut ser = Pretty {
                out: io::sink(),
                buf: std::mem::take(buf),
                depth,
                flush_at: usize::MAX,
            };
            let rendered = piece.iter().enumerate().try_for_each(|(i, item)| {
                ser.element(start + i == 0);
                write(item, &mut ser)
            });
            *buf = ser.buf;
            rendered.map_err(Error::into_io)
        })?;
        self.ser.close(b']', items.is_empty());
        self.ser.maybe_flush().map_err(Error::into_io)
    }

    /// Closes the object (`}`) and writes what is left.
    pub fn end(mut self) -> io::Result<()> {
        self.ser.close(b'}', self.first);
        self.ser.flush_buffer()
    }
}

/// Writes one element into a piece being rendered.
type WriteElement<'a, I> = dyn Fn(&I, &mut Pretty<io::Sink>) -> Result<(), Error> + Sync + 'a;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item {
        name: String,
        tags: Vec<u32>,
    }

    fn item(i: &u32) -> Item {
        Item {
            name: format!("item \"{i}\""),
            tags: (0..i % 4).collect(),
        }
    }

    #[derive(Serialize)]
    struct Whole {
        head: &'static str,
        items: Vec<Item>,
        tail: Vec<u8>,
    }

    fn written(count: u32) -> Vec<u8> {
        let numbers: Vec<u32> = (0..count).collect();
        let mut out = Vec::new();
        let mut doc = ObjectWriter::begin(&mut out);
        doc.field("head", "first").unwrap();
        doc.field_rendered_in_parallel("items", &numbers, crate::export::pieces::RECORDS, item)
            .unwrap();
        doc.field("tail", &Vec::<u8>::new()).unwrap();
        doc.end().unwrap();
        out
    }

    #[test]
    fn writes_what_serde_json_writes_for_the_whole_object() {
        // Empty, one, within a piece, across pieces and across batches of pieces.
        for count in [0, 1, 5, 65, 1100] {
            let whole = Whole {
                head: "first",
                items: (0..count).map(|i| item(&i)).collect(),
                tail: Vec::new(),
            };
            let expected = serde_json::to_vec_pretty(&whole).unwrap();
            assert_eq!(
                String::from_utf8(written(count)).unwrap(),
                String::from_utf8(expected).unwrap(),
                "{count} items"
            );
        }
    }

    #[test]
    fn values_written_as_they_are_match_serde_json() {
        let values: Vec<Item> = (0..300).map(|i| item(&i)).collect();
        let mut out = Vec::new();
        let mut doc = ObjectWriter::begin(&mut out);
        let refs: Vec<&Item> = values.iter().collect();
        doc.field_rendered_in_parallel("values", &refs, crate::export::pieces::LINES, |v| *v)
            .unwrap();
        doc.end().unwrap();
        let expected = serde_json::to_vec_pretty(&std::collections::BTreeMap::from([("values", &values)])).unwrap();
        assert_eq!(out, expected);
    }

    #[test]
    fn an_object_without_fields_is_empty() {
        let mut out = Vec::new();
        ObjectWriter::begin(&mut out).end().unwrap();
        assert_eq!(out, b"{}");
    }

    #[test]
    fn a_rendering_error_is_returned() {
        // A map keyed by lists cannot be JSON.
        let keys = [vec![1u8], vec![2u8]];
        let mut out = Vec::new();
        let mut doc = ObjectWriter::begin(&mut out);
        let failed = doc.field_rendered_in_parallel("maps", &keys, crate::export::pieces::RECORDS, |k| {
            std::collections::BTreeMap::from([(k.clone(), 1u8)])
        });
        let err = failed.unwrap_err();
        assert!(err.to_string().contains("key must be a string"), "{err}");
    }
}
