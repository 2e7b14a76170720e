//! Pretty JSON, byte for byte as `serde_json::to_writer_pretty` writes it
//! (two-space indent, `": "` after a key, the same escapes and number
//! forms), with a faster string escape.
//!
//! Why it exists: the JSON answer of a badly patched host is over a
//! megabyte, most of it CVE titles and notes, and `serde_json` checks a
//! string one byte at a time: that check alone was 15% of a cold `assess`.
//! Here eight bytes are checked at once, a run that needs no escape is
//! copied whole, and the text goes to the writer in large pieces. The tests compare every output with `serde_json`'s, on
//! generated values and on the answers of every example.
use serde::ser::{self, Serialize};
use std::io::{self, Write};

/// Why a value could not be written.
#[derive(Debug)]
pub enum Error {
    /// The writer failed.
    Io(io::Error),
    /// The value refused to serialize, or has a form JSON cannot hold (a
    /// map key that is not a string, number or bool).
    Value(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io(e) => write!(f, "writing JSON: {e}"),
            Error::Value(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            Error::Value(_) => None,
        }
    }
}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error::Value(msg.to_string())
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

/// Writes `value` as pretty JSON to `out` (no trailing newline).
///
/// # Errors
/// The writer fails, or the value cannot be written as JSON.
pub fn write<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> Result<(), Error> {
    let mut ser = Serializer { out, buf: Vec::with_capacity(FLUSH_AT + 4096), depth: 0 };
    value.serialize(&mut ser)?;
    ser.flush()
}

/// `value` as pretty JSON text (no trailing newline).
///
/// # Errors
/// The value cannot be written as JSON.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut text = Vec::new();
    write(&mut text, value)?;
    // Only whole UTF-8 strings and ASCII were written.
    String::from_utf8(text).map_err(|e| Error::Value(e.to_string()))
}

/// The buffered text goes to the writer once it is this long (at the start
/// of an array element or object member).
const FLUSH_AT: usize = 64 * 1024;

/// The writer, the text not yet given to it, and the nesting depth. Pieces
/// are appended to `buf` (no error to check per piece); `buf` goes to the
/// writer in large writes.
struct Serializer<W> {
    out: W,
    buf: Vec<u8>,
    depth: usize,
}

/// A newline and the indentation of up to 64 levels, written in one piece.
const NEWLINE_INDENT: &[u8; 129] = b"\n                                                                                                                                ";

impl<W: Write> Serializer<W> {
    /// Gives the buffered text to the writer.
    fn flush(&mut self) -> Result<(), Error> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    /// A newline and the indentation of the current depth.
    fn newline(&mut self) {
        let width = 1 + 2 * self.depth;
        match NEWLINE_INDENT.get(..width) {
            Some(s) => self.buf.extend_from_slice(s),
            None => {
                self.buf.push(b'\n');
                (0..self.depth).for_each(|_| self.buf.extend_from_slice(b"  "));
            }
        }
    }

    /// Opens an array or object (`[` or `{`).
    fn open(&mut self, bracket: u8) {
        self.depth += 1;
        self.buf.push(bracket);
    }

    /// Before an element or key: the separator, the line and its indent
    /// (and the buffered text to the writer, once there is enough).
    fn item(&mut self, first: bool) -> Result<(), Error> {
        if self.buf.len() >= FLUSH_AT {
            self.flush()?;
        }
        if !first {
            self.buf.push(b',');
        }
        self.newline();
        Ok(())
    }

    /// Closes an array or object; a non-empty one ends on its own line.
    fn close(&mut self, bracket: u8, had_items: bool) {
        self.depth = self.depth.saturating_sub(1);
        if had_items {
            self.newline();
        }
        self.buf.push(bracket);
    }

    fn string(&mut self, s: &str) {
        escape_into(&mut self.buf, s);
    }

    /// `{"variant": ` opened: the start of an externally tagged variant.
    fn open_variant(&mut self, variant: &str) -> Result<(), Error> {
        self.open(b'{');
        self.item(true)?;
        self.string(variant);
        self.buf.extend_from_slice(b": ");
        Ok(())
    }
}

/// True if some byte of the eight in `w` is a control character, `"` or `\`.
#[inline]
fn needs_escape_in(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    (below_space | zero_byte(w ^ (ONES * u64::from(b'"'))) | zero_byte(w ^ (ONES * u64::from(b'\\')))) != 0
}

/// True for a byte JSON writes escaped.
#[inline]
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// How many bytes at the start of `b` need no escape.
#[inline]
fn plain_prefix(b: &[u8]) -> usize {
    let mut n = 0;
    for chunk in b.chunks_exact(8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else { break };
        if needs_escape_in(u64::from_le_bytes(word)) {
            break;
        }
        n += 8;
    }
    n + b.get(n..).unwrap_or_default().iter().take_while(|&&c| !needs_escape(c)).count()
}

/// Appends `s` as a JSON string: quoted, with `"`, `\` and control
/// characters escaped as `serde_json` escapes them (`\n`, `\t`, ... where
/// JSON has a short form, `\u00XX` with lowercase hex otherwise). The runs
/// between escapes are found eight bytes at a time and copied whole.
fn escape_into(buf: &mut Vec<u8>, s: &str) {
    buf.reserve(s.len() + 2);
    buf.push(b'"');
    let mut rest = s.as_bytes();
    loop {
        let (run, tail) = rest.split_at(plain_prefix(rest));
        buf.extend_from_slice(run);
        let Some((&c, after)) = tail.split_first() else { break };
        push_escaped(buf, c);
        rest = after;
    }
    buf.push(b'"');
}

/// Appends the escape of a byte JSON does not write as it is.
fn push_escaped(buf: &mut Vec<u8>, c: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short: &[u8] = match c {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        0x08 => b"\\b",
        0x0c => b"\\f",
        _ => b"",
    };
    if short.is_empty() {
        let hex = |n: u8| HEX.get(usize::from(n & 0xf)).copied().unwrap_or(b'0');
        buf.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(c >> 4), hex(c)]);
    } else {
        buf.extend_from_slice(short);
    }
}

/// An array or object being written: whether an item was written yet, and
/// how it closes.
pub struct Compound<'a, W> {
    ser: &'a mut Serializer<W>,
    first: bool,
    /// `]` or `}`.
    close: u8,
    /// Also close the `{"variant": ...}` around it.
    variant: bool,
}

impl<W: Write> Compound<'_, W> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.ser.item(self.first)?;
        self.first = false;
        value.serialize(&mut *self.ser)
    }

    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.ser.item(self.first)?;
        self.first = false;
        key.serialize(KeySerializer { ser: &mut *self.ser })?;
        self.ser.buf.extend_from_slice(b": ");
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.ser.item(self.first)?;
        self.first = false;
        self.ser.string(key);
        self.ser.buf.extend_from_slice(b": ");
        value.serialize(&mut *self.ser)
    }

    fn finish(self) -> Result<(), Error> {
        self.ser.close(self.close, !self.first);
        if self.variant {
            self.ser.close(b'}', true);
        }
        Ok(())
    }
}

impl<'a, W: Write> Serializer<W> {
    fn compound(&'a mut self, open: u8, close: u8) -> Result<Compound<'a, W>, Error> {
        self.open(open);
        Ok(Compound { ser: self, first: true, close, variant: false })
    }

    fn variant_compound(&'a mut self, variant: &str, open: u8, close: u8) -> Result<Compound<'a, W>, Error> {
        self.open_variant(variant)?;
        self.open(open);
        Ok(Compound { ser: self, first: true, close, variant: true })
    }
}

/// Writes a number with `itoa` (as `serde_json` does; floats with `zmij`, as it does).
macro_rules! int {
    ($($name:ident: $t:ty),*) => {$(
        fn $name(self, v: $t) -> Result<(), Error> {
            self.buf.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            Ok(())
        }
    )*};
}

impl<'a, W: Write> ser::Serializer for &'a mut Serializer<W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = Compound<'a, W>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Compound<'a, W>;

    int!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64, serialize_i128: i128);
    int!(serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_u128: u128);

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.buf.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if !v.is_finite() {
            return self.serialize_unit();
        }
        self.buf.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() {
            return self.serialize_unit();
        }
        self.buf.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        v.iter().try_for_each(|b| seq.serialize_element(b))?;
        seq.end()
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.buf.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.open_variant(variant)?;
        value.serialize(&mut *self)?;
        self.close(b'}', true);
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, W>, Error> {
        self.compound(b'[', b']')
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a, W>, Error> {
        self.compound(b'[', b']')
    }

    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a, W>, Error> {
        self.compound(b'[', b']')
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, W>, Error> {
        self.variant_compound(variant, b'[', b']')
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, W>, Error> {
        self.compound(b'{', b'}')
    }

    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Compound<'a, W>, Error> {
        if name == RAW_VALUE_TOKEN {
            return Err(Error::Value("a raw JSON value cannot be written by report::pretty_json".into()));
        }
        self.compound(b'{', b'}')
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, W>, Error> {
        self.variant_compound(variant, b'{', b'}')
    }
}

/// The struct name `serde_json::value::RawValue` serializes under.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// The serde traits of arrays: each item (`$add`) is an element.
macro_rules! array_traits {
    ($($name:ident::$add:ident),*) => {$(
        impl<W: Write> ser::$name for Compound<'_, W> {
            type Ok = ();
            type Error = Error;
            fn $add<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}

array_traits!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl<W: Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// The serde traits of structs: each field is a member named by its key.
macro_rules! struct_traits {
    ($($name:ident),*) => {$(
        impl<W: Write> ser::$name for Compound<'_, W> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}

struct_traits!(SerializeStruct, SerializeStructVariant);

/// A map key: a string, or a number, bool or character written as one (as
/// `serde_json` writes them).
struct KeySerializer<'a, W> {
    ser: &'a mut Serializer<W>,
}

impl<W: Write> KeySerializer<'_, W> {
    fn quoted(self, text: &str) -> Result<(), Error> {
        self.ser.string(text);
        Ok(())
    }
}

fn key_error() -> Error {
    Error::Value("key must be a string".into())
}

/// A map key from a number, quoted.
macro_rules! int_key {
    ($($name:ident: $t:ty),*) => {$(
        fn $name(self, v: $t) -> Result<(), Error> {
            self.quoted(itoa::Buffer::new().format(v))
        }
    )*};
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

    int_key!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64, serialize_i128: i128);
    int_key!(serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_u128: u128);

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.quoted(if v { "true" } else { "false" })
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if !v.is_finite() {
            return Err(Error::Value("float key must be finite".into()));
        }
        self.quoted(zmij::Buffer::new().format_finite(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() {
            return Err(Error::Value("float key must be finite".into()));
        }
        self.quoted(zmij::Buffer::new().format_finite(v))
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.quoted(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.quoted(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    fn both<T: Serialize + ?Sized>(v: &T) -> (String, String) {
        let theirs = serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("error: {e}"));
        let ours = to_string(v).unwrap_or_else(|e| format!("error: {e}"));
        (ours, theirs)
    }

    /// Hand-written expectations: the layout and escapes, independent of
    /// serde_json.
    #[test]
    fn layout_and_escapes_by_hand() {
        let v = json!({"a": [1, [], {}], "b": {"c": "x\"\\\n\t\u{1}\u{7f}é"}, "d": null});
        let want = "{\n  \"a\": [\n    1,\n    [],\n    {}\n  ],\n  \"b\": {\n    \"c\": \"x\\\"\\\\\\n\\t\\u0001\u{7f}é\"\n  },\n  \"d\": null\n}";
        assert_eq!(to_string(&v).unwrap(), want);
        assert_eq!(to_string(&Vec::<u8>::new()).unwrap(), "[]");
        assert_eq!(to_string("\u{8}\u{c}\r\u{1f}").unwrap(), "\"\\b\\f\\r\\u001f\"");
    }

    #[derive(serde::Serialize)]
    enum E {
        Unit,
        New(u8),
        Tuple(u8, String),
        Struct { a: Option<f64>, b: Vec<bool> },
    }

    #[derive(serde::Serialize)]
    struct Unit;

    #[derive(serde::Serialize)]
    struct Wrap(String);

    /// Every serde form a derived model can take, against serde_json.
    #[test]
    fn every_serde_form_matches_serde_json() {
        let mut by_num = BTreeMap::new();
        by_num.insert(7u32, "seven");
        by_num.insert(11u32, "eleven");
        let mut by_bool = BTreeMap::new();
        by_bool.insert(true, 1);
        let forms: Vec<(String, String)> = vec![
            both(&E::Unit),
            both(&E::New(3)),
            both(&E::Tuple(1, "x".into())),
            both(&E::Struct { a: Some(1.5), b: vec![true, false] }),
            both(&E::Struct { a: None, b: vec![] }),
            both(&E::Struct { a: Some(f64::NAN), b: vec![] }),
            both(&vec![E::Unit, E::New(0)]),
            both(&Unit),
            both(&Wrap("w".into())),
            both(&by_num),
            both(&by_bool),
            both(&(1u8, -2i64, 3.25f32, 'c', u128::MAX, i128::MIN)),
            both(&Some(Some(()))),
            both(&[0.1f64, 1e21, -0.0, 1e-7, 123456789.0]),
            both(serde_bytes_like()),
        ];
        for (ours, theirs) in forms {
            assert_eq!(ours, theirs);
        }
    }

    fn serde_bytes_like() -> &'static [u8] {
        b"\x00\xff"
    }

    /// A map key that is not a string, number or bool is an error, not bad JSON.
    #[test]
    fn a_key_json_cannot_hold_is_an_error() {
        let mut m = BTreeMap::new();
        m.insert(vec![1u8], 1);
        assert!(matches!(to_string(&m), Err(Error::Value(_))));
    }

    /// Text past the flush size goes to the writer in pieces, whole.
    #[test]
    fn a_large_answer_is_flushed_whole() {
        let v: Vec<String> = (0..20_000).map(|i| format!("CVE-2020-{i:05} \"quoted\"")).collect();
        let mut out = Vec::new();
        write(&mut out, &v).unwrap();
        assert!(out.len() > 3 * FLUSH_AT);
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string_pretty(&v).unwrap());
    }

    /// A writer that fails is an I/O error with its cause.
    #[test]
    fn a_failing_writer_is_an_io_error() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let e = write(Full, &[1, 2, 3]).unwrap_err();
        assert!(matches!(&e, Error::Io(io) if io.kind() == io::ErrorKind::StorageFull), "{e}");
        assert!(std::error::Error::source(&e).is_some());
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<String>().prop_map(Value::String),
            "[\\x00-\\x7f]{0,40}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(any::<String>(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Any JSON value is written byte for byte as serde_json writes it.
        #[test]
        fn any_value_matches_serde_json(v in value()) {
            let (ours, theirs) = both(&v);
            prop_assert_eq!(ours, theirs);
        }

        /// Any string, escaped: every run length around every special byte.
        #[test]
        fn any_string_matches_serde_json(s in "[\\x00-\\x22\\x5c a-z\\u{80}-\\u{10ffff}]{0,70}") {
            let (ours, theirs) = both(&s);
            prop_assert_eq!(ours, theirs);
        }
    }
}
