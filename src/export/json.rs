//! Indented JSON, byte for byte what `serde_json::to_writer_pretty` writes, made faster for
//! documents of hundreds of megabytes: indentation is one copy from a row of spaces (not one
//! write per level), strings are checked for characters to escape eight bytes at a time, and
//! everything goes through one buffer of a known type.

use serde::ser::{self, Serialize};
use std::fmt::Display;
use std::io::{self, Write};

mod object;
pub use object::ObjectWriter;

/// Writes `value` to `out` as serde_json's pretty printer would (two-space indentation).
pub fn to_writer_pretty<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> io::Result<()> {
    let mut writer = Pretty::new(out);
    value.serialize(&mut writer).map_err(Error::into_io)?;
    writer.flush_buffer()
}

/// `value` as a pretty-printed string (the in-memory counterpart of [`to_writer_pretty`]).
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> io::Result<String> {
    let mut bytes = Vec::new();
    to_writer_pretty(&mut bytes, value)?;
    // Everything written is UTF-8: strings are copied whole or escaped, the rest is ASCII.
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// The buffer is handed to the writer once it holds this much.
const FLUSH_AT: usize = 1 << 16;

struct Pretty<W> {
    out: W,
    buf: Vec<u8>,
    depth: usize,
    /// The buffer goes to `out` once it holds this much ([`FLUSH_AT`]; never, for a piece
    /// rendered into memory).
    flush_at: usize,
}

#[derive(Debug)]
enum Error {
    Io(io::Error),
    Message(String),
}

impl Error {
    fn into_io(self) -> io::Error {
        match self {
            Error::Io(e) => e,
            Error::Message(m) => io::Error::new(io::ErrorKind::InvalidData, m),
        }
    }
}

impl Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io(e) => e.fmt(f),
            Error::Message(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Error {
        Error::Message(msg.to_string())
    }
}

type Result<T = ()> = std::result::Result<T, Error>;

/// `,`, a line break and spaces: the start of every line, sliced.
const LINE_STARTS: &[u8; 130] = &{
    let mut row = [b' '; 130];
    row[0] = b',';
    row[1] = b'\n';
    row
};

/// How much of `LINE_STARTS` one fixed-size copy takes: a comma, a line break and 15 levels.
const FIXED_LINE_START: usize = 32;

impl<W: Write> Pretty<W> {
    /// A writer at the top of a document, handing `out` its bytes [`FLUSH_AT`] at a time.
    fn new(out: W) -> Pretty<W> {
        Pretty {
            out,
            buf: Vec::with_capacity(FLUSH_AT + (1 << 12)),
            depth: 0,
            flush_at: FLUSH_AT,
        }
    }

    fn flush_buffer(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn maybe_flush(&mut self) -> Result {
        if self.buf.len() >= self.flush_at {
            self.flush_buffer().map_err(Error::Io)?;
        }
        Ok(())
    }

    /// A line break and the current indentation.
    fn newline(&mut self) {
        self.line_start(false);
    }

    /// A comma where `comma` asks for one, a line break and the current indentation. Up to
    /// 15 levels (documents rarely nest deeper) this is one copy of a fixed size (a few
    /// vector stores, no call), the bytes beyond the indentation dropped again.
    fn line_start(&mut self, comma: bool) {
        let width = usize::from(comma) + 1 + self.depth * 2;
        let skip = usize::from(!comma);
        if width <= FIXED_LINE_START {
            let end = self.buf.len() + width;
            self.buf.extend_from_slice(&LINE_STARTS[skip..skip + FIXED_LINE_START]);
            self.buf.truncate(end);
            return;
        }
        self.buf.extend_from_slice(&LINE_STARTS[skip..2]);
        let mut left = self.depth * 2;
        while left > 0 {
            let n = left.min(LINE_STARTS.len() - 2);
            self.buf.extend_from_slice(&LINE_STARTS[2..2 + n]);
            left -= n;
        }
    }

    fn open(&mut self, bracket: u8) {
        self.buf.push(bracket);
        self.depth += 1;
    }

    /// Before an element or a key: a comma after the previous one, a new line.
    fn element(&mut self, first: bool) {
        self.line_start(!first);
    }

    fn close(&mut self, bracket: u8, empty: bool) {
        self.depth -= 1;
        if !empty {
            self.newline();
        }
        self.buf.push(bracket);
    }

    fn string(&mut self, s: &str) {
        self.buf.push(b'"');
        escape_into(&mut self.buf, s.as_bytes());
        self.buf.push(b'"');
    }

    fn unsigned(&mut self, n: u64) {
        self.buf.extend_from_slice(crate::decimal::digits(n, &mut [0; 20]));
    }

    fn signed(&mut self, n: i64) {
        if n < 0 {
            self.buf.push(b'-');
        }
        self.unsigned(n.unsigned_abs());
    }

    /// Floats and 128-bit integers are rare here: serde_json's own compact form of them is
    /// the same as its pretty one.
    fn via_serde_json<T: Serialize>(&mut self, value: T) -> Result {
        serde_json::to_writer(&mut self.buf, &value).map_err(|e| Error::Message(e.to_string()))
    }

    /// `{"variant": ` of an enum variant with content; [`Pretty::close_variant`] closes it.
    fn open_variant(&mut self, variant: &str) {
        self.open(b'{');
        self.newline();
        self.string(variant);
        self.buf.extend_from_slice(b": ");
    }

    fn close_variant(&mut self) {
        self.close(b'}', false);
    }
}

/// Copies `bytes` into `buf` with JSON's escapes: `"`, `\` and control characters, as
/// serde_json writes them (`\n`, `\t`, ..., otherwise `\u00xx`).
fn escape_into(buf: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    while let Some(offset) = first_to_escape(&bytes[start..]) {
        let at = start + offset;
        buf.extend_from_slice(&bytes[start..at]);
        let b = bytes[at];
        match b {
            b'"' => buf.extend_from_slice(b"\\\""),
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            0x08 => buf.extend_from_slice(b"\\b"),
            0x0c => buf.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                buf.extend_from_slice(b"\\u00");
                buf.push(HEX[usize::from(b >> 4)]);
                buf.push(HEX[usize::from(b & 0xf)]);
            }
        }
        start = at + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
}

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The position of the first byte to escape, skipping clean runs a word at a time.
fn first_to_escape(bytes: &[u8]) -> Option<usize> {
    let word_at = |at: usize| u64::from_ne_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    let mut clean = 0;
    while clean + 8 <= bytes.len() && word_is_clean(word_at(clean)) {
        clean += 8;
    }
    // The last few bytes of a clean string: the last eight bytes as one (overlapping) word,
    // rather than a byte at a time (most strings written are paths and purls whose length
    // is no multiple of eight).
    if clean + 8 > bytes.len() && bytes.len() >= 8 && word_is_clean(word_at(bytes.len() - 8)) {
        return None;
    }
    bytes[clean..].iter().position(|&b| needs_escape(b)).map(|i| clean + i)
}

/// Whether none of eight bytes needs escaping.
fn word_is_clean(word: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let has_zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    // A byte below 0x20 (an exact test for bytes under 0x80: the high bit of each byte of
    // `word - 0x20..` is set only by those that borrowed, or were 0x80 and up, which `!word`
    // leaves out), or a byte equal to `"` or `\`.
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
    !(control || has_zero_byte(word ^ (ONES * u64::from(b'"'))) || has_zero_byte(word ^ (ONES * u64::from(b'\\'))))
}

impl<'a, W: Write> ser::Serializer for &'a mut Pretty<W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = Compound<'a, W>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Compound<'a, W>;

    fn serialize_bool(self, v: bool) -> Result {
        self.buf.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result {
        self.signed(v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result {
        self.signed(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result {
        self.via_serde_json(v)
    }
    fn serialize_u8(self, v: u8) -> Result {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result {
        self.unsigned(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result {
        self.unsigned(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result {
        self.via_serde_json(v)
    }
    fn serialize_f32(self, v: f32) -> Result {
        self.via_serde_json(v)
    }
    fn serialize_f64(self, v: f64) -> Result {
        self.via_serde_json(v)
    }
    fn serialize_char(self, v: char) -> Result {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.buf.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.close_variant();
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, W>> {
        self.open(b'[');
        Ok(Compound::new(self, false))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, W>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, W>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, W>> {
        self.open_variant(variant);
        self.open(b'[');
        Ok(Compound::new(self, true))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, W>> {
        self.open(b'{');
        Ok(Compound::new(self, false))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, W>> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, W>> {
        self.open_variant(variant);
        self.open(b'{');
        Ok(Compound::new(self, true))
    }
}

/// An array or object being written; `in_variant` when it is the content of an enum variant
/// (`{"variant": [...]}`), which closes one more level.
struct Compound<'a, W> {
    ser: &'a mut Pretty<W>,
    first: bool,
    in_variant: bool,
}

impl<'a, W: Write> Compound<'a, W> {
    fn new(ser: &'a mut Pretty<W>, in_variant: bool) -> Compound<'a, W> {
        Compound {
            ser,
            first: true,
            in_variant,
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.ser.element(self.first);
        self.first = false;
        value.serialize(&mut *self.ser)?;
        self.ser.maybe_flush()
    }

    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.ser.element(self.first);
        self.first = false;
        key.serialize(KeySerializer(&mut *self.ser))?;
        self.ser.buf.extend_from_slice(b": ");
        Ok(())
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.ser)?;
        self.ser.maybe_flush()
    }

    fn end_with(self, bracket: u8) -> Result {
        self.ser.close(bracket, self.first);
        if self.in_variant {
            self.ser.close_variant();
        }
        Ok(())
    }
}

impl<W: Write> ser::SerializeSeq for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }
    fn end(self) -> Result {
        self.end_with(b']')
    }
}

impl<W: Write> ser::SerializeTuple for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }
    fn end(self) -> Result {
        self.end_with(b']')
    }
}

impl<W: Write> ser::SerializeTupleStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }
    fn end(self) -> Result {
        self.end_with(b']')
    }
}

impl<W: Write> ser::SerializeTupleVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }
    fn end(self) -> Result {
        self.end_with(b']')
    }
}

impl<W: Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.value(value)
    }
    fn end(self) -> Result {
        self.end_with(b'}')
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.key(key)?;
        self.value(value)
    }
    fn end(self) -> Result {
        self.end_with(b'}')
    }
}

impl<W: Write> ser::SerializeStructVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.key(key)?;
        self.value(value)
    }
    fn end(self) -> Result {
        self.end_with(b'}')
    }
}

/// An object key: strings as they are, numbers (finite ones), booleans and characters quoted
/// (what serde_json accepts); anything else is an error, as there.
struct KeySerializer<'a, W>(&'a mut Pretty<W>);

fn key_must_be_a_string() -> Error {
    Error::Message("key must be a string".to_string())
}

impl<W: Write> KeySerializer<'_, W> {
    fn quoted(self, write: impl FnOnce(&mut Pretty<W>)) -> Result {
        self.0.buf.push(b'"');
        write(self.0);
        self.0.buf.push(b'"');
        Ok(())
    }
}

impl<W: Write> ser::Serializer for KeySerializer<'_, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result {
        self.0.string(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result {
        self.0.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result {
        self.quoted(|p| p.buf.extend_from_slice(if v { b"true" } else { b"false" }))
    }
    fn serialize_i8(self, v: i8) -> Result {
        self.quoted(|p| p.signed(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result {
        self.quoted(|p| p.signed(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result {
        self.quoted(|p| p.signed(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result {
        self.quoted(|p| p.signed(v))
    }
    fn serialize_i128(self, v: i128) -> Result {
        self.0.string(&v.to_string());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result {
        self.quoted(|p| p.unsigned(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result {
        self.quoted(|p| p.unsigned(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result {
        self.quoted(|p| p.unsigned(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result {
        self.quoted(|p| p.unsigned(v))
    }
    fn serialize_u128(self, v: u128) -> Result {
        self.0.string(&v.to_string());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result {
        if !v.is_finite() {
            return Err(Error::Message(
                "float key must be finite (got NaN or +/-inf)".to_string(),
            ));
        }
        let pretty = self.0;
        pretty.buf.push(b'"');
        pretty.via_serde_json(v)?;
        pretty.buf.push(b'"');
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn same_as_serde_json<T: Serialize>(value: &T) {
        let ours = to_string_pretty(value).unwrap();
        let theirs = serde_json::to_string_pretty(value).unwrap();
        assert_eq!(ours, theirs);
    }

    #[derive(Serialize)]
    enum Shape {
        Point,
        Circle(f64),
        Pair(u8, i64),
        Box { w: u32, h: Option<u32>, tags: Vec<String> },
        Empty {},
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Wrapper(String);

    #[derive(Serialize)]
    struct Everything {
        shapes: Vec<Shape>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        none: Option<u8>,
        unit: Unit,
        unit_value: (),
        wrapper: Wrapper,
        tuple: (bool, char, i8, u128, i128),
        #[serde(with = "serde_bytes_as_seq")]
        bytes: Vec<u8>,
        int_keys: BTreeMap<i32, bool>,
        bool_keys: BTreeMap<bool, Vec<()>>,
        nested_empty: Vec<Vec<BTreeMap<String, u8>>>,
        floats: Vec<f64>,
        extremes: (u64, i64, i64, u64),
        #[serde(flatten)]
        flattened: BTreeMap<String, String>,
    }

    mod serde_bytes_as_seq {
        pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(bytes)
        }
    }

    #[test]
    fn writes_every_serde_shape_as_serde_json_does() {
        let value = Everything {
            shapes: vec![
                Shape::Point,
                Shape::Circle(1.5),
                Shape::Pair(7, -3),
                Shape::Box {
                    w: 3,
                    h: None,
                    tags: vec![],
                },
                Shape::Box {
                    w: 0,
                    h: Some(9),
                    tags: vec!["a".into(), "b\"c".into()],
                },
                Shape::Empty {},
            ],
            skipped: None,
            none: None,
            unit: Unit,
            unit_value: (),
            wrapper: Wrapper("wrapped".into()),
            tuple: (true, '\u{1F600}', -128, u128::MAX, i128::MIN),
            bytes: vec![0, 1, 255],
            int_keys: [(-5, true), (12, false)].into_iter().collect(),
            bool_keys: [(true, vec![()]), (false, vec![])].into_iter().collect(),
            nested_empty: vec![
                vec![],
                vec![BTreeMap::new()],
                vec![[("k".to_string(), 1)].into_iter().collect()],
            ],
            floats: vec![0.1, -0.0, 1e300, 5e-324, f64::NAN, f64::INFINITY, 3.0],
            extremes: (u64::MAX, i64::MIN, i64::MAX, 0),
            flattened: [("extra".to_string(), "value".to_string())].into_iter().collect(),
        };
        same_as_serde_json(&value);
        same_as_serde_json(&Vec::<u8>::new());
        same_as_serde_json(&BTreeMap::<String, u8>::new());
        same_as_serde_json(&"top-level string");
        same_as_serde_json(&Some(42));
    }

    #[test]
    fn escapes_every_character_as_serde_json_does() {
        // Every byte below 0x80 at every offset of a word, among plain runs of several lengths,
        // and non-ASCII text (left as it is).
        for c in 0u8..0x80 {
            for before in 0..17 {
                let s = format!("{}{}{}é✓", "x".repeat(before), c as char, "y".repeat(9));
                same_as_serde_json(&s);
            }
        }
        same_as_serde_json(&"\"\\\u{7f}\u{80}\u{2028}\n\r\t\u{8}\u{c}\u{0}\u{1f}");
    }

    #[test]
    fn finds_the_first_byte_to_escape_at_every_length_and_position() {
        // The word loop, the overlapping last word and the byte-wise rest meet at every
        // length up to three words: clean strings, and one or two bytes to escape anywhere.
        let naive = |bytes: &[u8]| bytes.iter().position(|&b| needs_escape(b));
        for len in 0..=24 {
            let clean = vec![b'a'; len];
            assert_eq!(first_to_escape(&clean), None, "clean, {len} bytes");
            for at in 0..len {
                for dirty in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    let mut bytes = clean.clone();
                    bytes[at] = dirty;
                    assert_eq!(first_to_escape(&bytes), Some(at), "{len} bytes, {dirty:#x} at {at}");
                    if at + 3 < len {
                        bytes[len - 1] = b'"';
                        assert_eq!(first_to_escape(&bytes), naive(&bytes), "{len} bytes, two");
                    }
                }
            }
        }
    }

    #[test]
    fn escapes_random_strings_as_serde_json_does() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet: Vec<char> = "ab\"\\\n\t\u{0}\u{1f} é✓\u{10348}/".chars().collect();
        for _ in 0..2000 {
            let len = (next() % 40) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            same_as_serde_json(
                &[("key\n".to_string() + &s, s.clone())]
                    .into_iter()
                    .collect::<BTreeMap<_, _>>(),
            );
        }
    }

    struct Pairs<K, V>(Vec<(K, V)>);

    impl<K: Serialize, V: Serialize> Serialize for Pairs<K, V> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }

    #[test]
    fn quotes_number_and_character_keys_as_serde_json_does() {
        same_as_serde_json(&Pairs(vec![(0.5f64, 1), (-2.0, 2), (1e21, 3)]));
        same_as_serde_json(&Pairs(vec![(1.25f32, "f32")]));
        same_as_serde_json(&Pairs(vec![('k', 1), ('"', 2)]));
        same_as_serde_json(&Pairs(vec![(u128::MAX, 1)]));
        same_as_serde_json(&Pairs(vec![(i128::MIN, 1)]));
        same_as_serde_json(&Pairs(vec![(Wrapper("newtype".into()), 1)]));
        same_as_serde_json(&Pairs(vec![(Shape::Point, 1)]));
        assert!(serde_json::to_string_pretty(&Pairs(vec![(f64::NAN, 1)])).is_err());
        assert!(to_string_pretty(&Pairs(vec![(f64::NAN, 1)])).is_err());
    }

    #[test]
    fn rejects_keys_serde_json_rejects() {
        let map: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
        assert!(serde_json::to_string_pretty(&map).is_err());
        let err = to_string_pretty(&map).unwrap_err();
        assert!(err.to_string().contains("key must be a string"), "{err}");
    }

    #[test]
    fn indents_every_depth_as_serde_json_does() {
        // Line starts are copied at a fixed size up to 15 levels and level by level beyond;
        // 80 levels also pass the 128 spaces one copy of the row gives.
        let mut value = serde_json::json!({"leaf": [1, 2]});
        for depth in 0..80 {
            value = if depth % 2 == 0 {
                serde_json::json!([value, depth])
            } else {
                serde_json::json!({"a": value, "b": [depth]})
            };
            same_as_serde_json(&value);
        }
    }

    #[test]
    fn flushes_large_documents_whole() {
        let big: Vec<String> = (0..20_000)
            .map(|i| format!("component number {i} \"quoted\""))
            .collect();
        let mut out = Vec::new();
        to_writer_pretty(&mut out, &big).unwrap();
        assert!(out.len() > FLUSH_AT * 4);
        assert_eq!(out, serde_json::to_vec_pretty(&big).unwrap());
    }

    #[test]
    fn reports_the_writers_error() {
        struct Failing;
        impl Write for Failing {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let big: Vec<u64> = (0..100_000).collect();
        let err = to_writer_pretty(Failing, &big).unwrap_err();
        assert_eq!(err.to_string(), "disk full");
    }
}
