//! Canonical JSON straight from typed data: the bytes `to_canonical(&serde_json::to_value(x))`
//! gives, without building the `Value` tree in between (which was most of the time spent
//! re-encoding an entry to check its spelling, once per entry in `check` and `verify`).
//!
//! Objects are written field by field in the order serde hands them over; when a key
//! arrives out of order the object's fields are sorted once it is complete (by UTF-16 code
//! units, as `to_canonical` sorts). Everything `to_canonical` refuses is refused here with
//! the same error: `null`, floats, integers outside ±(2^53−1), text not in NFC, nesting past
//! `MAX_DEPTH`. Anything this writer does not handle is reported as `Unsupported` so the
//! caller can fall back to the `Value` route; it never writes different bytes (tests
//! compare the two routes on every kind of entry and on fuzzed ones).

use std::borrow::Cow;

use serde::ser::{self, Serialize};

use super::canonical::{CanonError, MAX_DEPTH, MAX_ENTRY_BYTES, MAX_SAFE_INTEGER, write_str};

/// Why the direct writer stopped.
#[derive(Debug)]
pub enum Error {
    /// What `to_canonical` would refuse too.
    Canon(CanonError),
    /// Something this writer does not write (the caller falls back to the `Value` route).
    Unsupported(&'static str),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(_msg: T) -> Self {
        Error::Unsupported("custom serializer error")
    }
}

impl From<CanonError> for Error {
    fn from(e: CanonError) -> Self {
        Error::Canon(e)
    }
}

/// Writes `value` as canonical JSON.
pub fn to_canonical_bytes<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(512);
    write_canonical(value, &mut out, 0)?;
    if out.len() > MAX_ENTRY_BYTES {
        return Err(CanonError::TooLarge { len: out.len() }.into());
    }
    Ok(out)
}

/// Appends `value` as canonical JSON to `out`, as a value nested `depth` levels deep.
pub fn write_canonical<T: Serialize + ?Sized>(
    value: &T,
    out: &mut Vec<u8>,
    depth: usize,
) -> Result<(), Error> {
    let mut w = Writer {
        out: std::mem::take(out),
        depth,
        scratch: Vec::new(),
    };
    let r = value.serialize(&mut w);
    *out = w.out;
    r
}

struct Writer {
    out: Vec<u8>,
    depth: usize,
    /// Where an object's fields wait while they are put in order.
    scratch: Vec<u8>,
}

impl Writer {
    fn int(&mut self, i: i128) -> Result<(), Error> {
        if !(-(MAX_SAFE_INTEGER as i128)..=MAX_SAFE_INTEGER as i128).contains(&i) {
            return Err(CanonError::IntegerOutOfRange.into());
        }
        use std::io::Write as _;
        let _ = write!(self.out, "{i}");
        Ok(())
    }

    fn enter(&mut self) -> Result<(), Error> {
        if self.depth >= MAX_DEPTH {
            return Err(CanonError::TooDeep.into());
        }
        self.depth += 1;
        Ok(())
    }

    fn object(&mut self) -> Result<Object<'_>, Error> {
        self.enter()?;
        self.out.push(b'{');
        let start = self.out.len();
        Ok(Object {
            w: self,
            start,
            fields: Vec::new(),
            sorted: true,
            pending_key: None,
        })
    }

    fn array(&mut self) -> Result<Array<'_>, Error> {
        self.enter()?;
        self.out.push(b'[');
        Ok(Array {
            w: self,
            first: true,
        })
    }
}

/// One object being written: where each field's `"key":value` starts in `out`, so the
/// fields can be put in canonical order once the object is complete.
struct Object<'a> {
    w: &'a mut Writer,
    start: usize,
    /// (key, start of `"key":value` in `out`, its end).
    fields: Vec<(Cow<'static, str>, usize, usize)>,
    sorted: bool,
    /// A map key waiting for its value.
    pending_key: Option<String>,
}

fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

impl<'a> Object<'a> {
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        value: &T,
    ) -> Result<(), Error> {
        if let Some((last, _, _)) = self.fields.last() {
            match utf16_cmp(last, &key) {
                std::cmp::Ordering::Less => {}
                // `to_value` keeps the last of two equal keys; we never write two.
                std::cmp::Ordering::Equal => return Err(Error::Unsupported("duplicate key")),
                std::cmp::Ordering::Greater => self.sorted = false,
            }
            self.w.out.push(b',');
        }
        let begin = self.w.out.len();
        write_str(&key, &mut self.w.out)?;
        self.w.out.push(b':');
        value.serialize(&mut *self.w)?;
        let end = self.w.out.len();
        self.fields.push((key, begin, end));
        Ok(())
    }

    /// Closes the object (sorting its fields if they came out of order) and gives the
    /// writer back.
    fn finish(self) -> Result<&'a mut Writer, Error> {
        let Object {
            w,
            start,
            mut fields,
            sorted,
            ..
        } = self;
        if !sorted {
            fields.sort_by(|a, b| utf16_cmp(&a.0, &b.0));
            if fields.windows(2).any(|p| p[0].0 == p[1].0) {
                return Err(Error::Unsupported("duplicate key"));
            }
            let mut body = std::mem::take(&mut w.scratch);
            body.clear();
            body.extend_from_slice(&w.out[start..]);
            w.out.truncate(start);
            for (i, (_, a, b)) in fields.iter().enumerate() {
                if i > 0 {
                    w.out.push(b',');
                }
                w.out.extend_from_slice(&body[a - start..b - start]);
            }
            w.scratch = body;
        }
        w.out.push(b'}');
        w.depth -= 1;
        Ok(w)
    }
}

struct Array<'a> {
    w: &'a mut Writer,
    first: bool,
}

impl<'a> Array<'a> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if !self.first {
            self.w.out.push(b',');
        }
        self.first = false;
        value.serialize(&mut *self.w)
    }

    fn finish(self) -> Result<&'a mut Writer, Error> {
        self.w.out.push(b']');
        self.w.depth -= 1;
        Ok(self.w)
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Array<'a>;
    type SerializeTuple = Array<'a>;
    type SerializeTupleStruct = Array<'a>;
    type SerializeTupleVariant = VariantArray<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = VariantObject<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" as &[u8] } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.int(v.into())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.int(i128::try_from(v).unwrap_or(i128::MAX))
    }
    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(Error::Unsupported("float"))
    }
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Err(Error::Unsupported("float"))
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut b = [0u8; 4];
        write_str(v.encode_utf8(&mut b), &mut self.out)?;
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(v, &mut self.out)?;
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error::Unsupported("bytes"))
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(CanonError::Null.into())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(CanonError::Null.into())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(CanonError::Null.into())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut o = self.object()?;
        o.field(Cow::Borrowed(variant), value)?;
        o.finish().map(|_| ())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Array<'a>, Error> {
        self.array()
    }
    fn serialize_tuple(self, _: usize) -> Result<Array<'a>, Error> {
        self.array()
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Array<'a>, Error> {
        self.array()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<VariantArray<'a>, Error> {
        // {"variant":[…]}: the outer object has one key, so it is always in order.
        self.enter()?;
        self.out.push(b'{');
        write_str(variant, &mut self.out)?;
        self.out.push(b':');
        let inner = self.array()?;
        Ok(VariantArray { inner })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a>, Error> {
        self.object()
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'a>, Error> {
        self.object()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<VariantObject<'a>, Error> {
        self.enter()?;
        self.out.push(b'{');
        write_str(variant, &mut self.out)?;
        self.out.push(b':');
        let inner = self.object()?;
        Ok(VariantObject { inner })
    }
}

impl ser::SerializeSeq for Array<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish().map(|_| ())
    }
}

impl ser::SerializeTuple for Array<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish().map(|_| ())
    }
}

impl ser::SerializeTupleStruct for Array<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish().map(|_| ())
    }
}

struct VariantArray<'a> {
    inner: Array<'a>,
}

impl ser::SerializeTupleVariant for VariantArray<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.inner.element(value)
    }
    fn end(self) -> Result<(), Error> {
        let w = self.inner.finish()?;
        w.out.push(b'}');
        w.depth -= 1;
        Ok(())
    }
}

struct VariantObject<'a> {
    inner: Object<'a>,
}

impl ser::SerializeStructVariant for VariantObject<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.inner.field(Cow::Borrowed(key), value)
    }
    fn end(self) -> Result<(), Error> {
        let w = self.inner.finish()?;
        w.out.push(b'}');
        w.depth -= 1;
        Ok(())
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(Cow::Borrowed(key), value)
    }
    fn skip_field(&mut self, _: &'static str) -> Result<(), Error> {
        Ok(())
    }
    fn end(self) -> Result<(), Error> {
        self.finish().map(|_| ())
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.pending_key = Some(key.serialize(KeyWriter)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .pending_key
            .take()
            .ok_or(Error::Unsupported("value without key"))?;
        self.field(Cow::Owned(key), value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish().map(|_| ())
    }
}

/// Map keys: strings (and newtypes of strings), as `serde_json::to_value` takes them.
struct KeyWriter;

/// `KeyWriter` methods for what cannot be a key here: each refuses.
macro_rules! no_key {
    ($($name:ident($t:ty)),* $(,)?) => {
        $(fn $name(self, _: $t) -> Result<String, Error> {
            Err(Error::Unsupported("key"))
        })*
    };
}

impl ser::Serializer for KeyWriter {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_string())
    }
    no_key! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_f32(f32), serialize_f64(f64), serialize_char(char),
        serialize_bytes(&[u8]), serialize_unit_struct(&'static str)
    }
    fn serialize_none(self) -> Result<String, Error> {
        Err(Error::Unsupported("key"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Error> {
        Err(Error::Unsupported("key"))
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Err(Error::Unsupported("key"))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(Error::Unsupported("key"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Error::Unsupported("key"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error::Unsupported("key"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error::Unsupported("key"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error::Unsupported("key"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error::Unsupported("key"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(Error::Unsupported("key"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error::Unsupported("key"))
    }
}
