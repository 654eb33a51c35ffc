//! A fast reader for the RON that valid scenario files are written in.
//!
//! ron tokenises with general machinery (Unicode identifiers, every number form, raw
//! strings, extensions) and keeps positions for its messages; on a large generated scenario
//! that is most of the load time. This reader is a serde `Deserializer` over the bytes for
//! the plain subset scenarios use: `Name(field: value, …)` structs, enums, `[…]` lists,
//! tuples, options with ron's `implicit_some`, decimal integers, `true`/`false`, strings
//! with the common escapes, white space and `//` comments.
//!
//! It never reports anything: whatever it does not read exactly as ron would (a syntax or
//! type error, a `/* */` comment, a hex number, a raw string, deep nesting…) makes it give
//! up, and the loader reads the file again with ron, which produces the value or the
//! diagnostic. So it only has to agree with ron on the files it accepts; a differential test
//! checks that on every bundled scenario, every fixture and thousands of mutants.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, VariantAccess,
    Visitor,
};

/// Reads `text` as a `T`, or `None` when it is not plain RON this reader handles exactly.
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Option<T> {
    let mut r = Reader {
        b: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
    };
    r.ws().ok()?;
    let v = T::deserialize(&mut r).ok()?;
    r.ws().ok()?;
    (r.pos == r.b.len()).then_some(v)
}

/// Nesting deeper than this is left to ron, whose limit (128 of its own levels, at most a
/// few per level here) then decides.
const MAX_DEPTH: u32 = 32;

/// "Not read here": the loader falls back to ron. Carries nothing, costs nothing.
#[derive(Debug)]
pub struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not plain RON")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

type Res<T> = Result<T, GiveUp>;

/// The bytes of an ASCII identifier after its first: letters, digits and `_`.
static IDENT: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        #[allow(clippy::cast_possible_truncation)] // c < 256
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'_';
        c += 1;
    }
    t
};

struct Reader<'de> {
    b: &'de [u8],
    text: &'de str,
    pos: usize,
    depth: u32,
}

impl<'de> Reader<'de> {
    /// Skips white space and `//` comments.
    fn ws(&mut self) -> Res<()> {
        /// Eight spaces, as one word: indentation is most of the white space in a file.
        const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
        loop {
            if let Some(w) = self.b.get(self.pos..self.pos + 8)
                && <[u8; 8]>::try_from(w).is_ok_and(|w| u64::from_ne_bytes(w) == SPACES)
            {
                self.pos += 8;
                continue;
            }
            match self.b.get(self.pos) {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.pos += 1,
                Some(b'/') if self.b.get(self.pos + 1) == Some(&b'/') => {
                    match self.b[self.pos..].iter().position(|&c| c == b'\n') {
                        Some(n) => self.pos += n + 1,
                        None => self.pos = self.b.len(),
                    }
                }
                // `/*` comments, other Unicode white space: ron's business.
                Some(b'/' | 0x0b | 0x0c | 0x80..) => return Err(GiveUp),
                _ => return Ok(()),
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// Consumes `c` after white space, if it is next.
    fn eat(&mut self, c: u8) -> Res<bool> {
        self.ws()?;
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn expect(&mut self, c: u8) -> Res<()> {
        if self.eat(c)? { Ok(()) } else { Err(GiveUp) }
    }

    /// An ASCII identifier after white space, or `None` (nothing consumed) when none starts
    /// here. Anything ron might read differently (raw identifiers, Unicode, string prefixes)
    /// gives up.
    fn ident(&mut self) -> Res<Option<&'de str>> {
        self.ws()?;
        let start = self.pos;
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {}
            _ => return Ok(None),
        }
        let len = self.b[start..]
            .iter()
            .position(|&c| !IDENT[usize::from(c)])
            .unwrap_or(self.b.len() - start);
        self.pos = start + len;
        if matches!(self.peek(), Some(b'"' | b'#' | b'\'' | 0x80..)) {
            return Err(GiveUp);
        }
        Ok(Some(&self.text[start..self.pos]))
    }

    /// A raw string `r#"…"#` (any number of `#`, including none), borrowed.
    fn raw_string(&mut self) -> Res<&'de str> {
        let hashes = self.b[self.pos + 1..]
            .iter()
            .position(|&c| c != b'#')
            .ok_or(GiveUp)?;
        let open = self.pos + 1 + hashes;
        if self.b.get(open) != Some(&b'"') {
            return Err(GiveUp);
        }
        let start = open + 1;
        let mut from = start;
        loop {
            let q = from
                + self.b[from..]
                    .iter()
                    .position(|&c| c == b'"')
                    .ok_or(GiveUp)?;
            let end = q + 1 + hashes;
            if self
                .b
                .get(q + 1..end)
                .is_some_and(|h| h.iter().all(|&c| c == b'#'))
            {
                self.pos = end;
                return Ok(&self.text[start..q]);
            }
            from = q + 1;
        }
    }

    /// A double-quoted string, borrowed when it has no escapes, or a raw string.
    fn string(&mut self) -> Res<Cow<'de, str>> {
        self.ws()?;
        if self.peek() == Some(b'r') {
            return self.raw_string().map(Cow::Borrowed);
        }
        if self.peek() != Some(b'"') {
            return Err(GiveUp);
        }
        self.pos += 1;
        let start = self.pos;
        let rest = &self.b[start..];
        let end = rest
            .iter()
            .position(|&c| c == b'"' || c == b'\\')
            .ok_or(GiveUp)?;
        if rest[end] == b'"' {
            self.pos = start + end + 1;
            return Ok(Cow::Borrowed(&self.text[start..start + end]));
        }
        let mut out = String::with_capacity(end + 16);
        let mut i = start;
        loop {
            let run = self.b[i..]
                .iter()
                .position(|&c| c == b'"' || c == b'\\')
                .ok_or(GiveUp)?;
            out.push_str(&self.text[i..i + run]);
            i += run;
            if self.b[i] == b'"' {
                self.pos = i + 1;
                return Ok(Cow::Owned(out));
            }
            out.push(match self.b.get(i + 1) {
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'\'') => '\'',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'0') => '\0',
                _ => return Err(GiveUp),
            });
            i += 2;
        }
    }

    /// A decimal integer: `-`? digits, no leading zero, nothing number-like after it.
    fn integer(&mut self) -> Res<i128> {
        self.ws()?;
        let neg = self.peek() == Some(b'-');
        if neg {
            self.pos += 1;
        }
        let start = self.pos;
        let digits = self.b[start..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .unwrap_or(self.b.len() - start);
        if digits == 0 || digits > 20 || (digits > 1 && self.b[start] == b'0') {
            return Err(GiveUp);
        }
        self.pos = start + digits;
        if matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | 0x80..))
        {
            return Err(GiveUp);
        }
        let mut v: i128 = 0;
        for &c in &self.b[start..self.pos] {
            v = v * 10 + i128::from(c - b'0');
        }
        if neg && v == 0 {
            // `-0`: whether ron takes it depends on the field's type; let ron decide.
            return Err(GiveUp);
        }
        Ok(if neg { -v } else { v })
    }

    fn nest<T>(&mut self, f: impl FnOnce(&mut Self) -> Res<T>) -> Res<T> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(GiveUp);
        }
        let v = f(self);
        self.depth -= 1;
        v
    }

    /// After an item of a list or struct: a `,` (then maybe the end), or the end.
    /// Returns true when the list is over (the closing byte consumed).
    fn after_item(&mut self, close: u8) -> Res<bool> {
        if self.eat(b',')? {
            self.eat(close)
        } else if self.eat(close)? {
            Ok(true)
        } else {
            Err(GiveUp)
        }
    }
}

macro_rules! integers {
    ($($method:ident $visit:ident $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
            let v = <$t>::try_from(self.integer()?).map_err(|_| GiveUp)?;
            visitor.$visit(v)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Res<V::Value> {
        Err(GiveUp)
    }

    integers! {
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16,
        deserialize_i32 visit_i32 i32, deserialize_i64 visit_i64 i64,
        deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self.ident()? {
            Some("true") => visitor.visit_bool(true),
            Some("false") => visitor.visit_bool(false),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self.string()? {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        let save = self.pos;
        match self.ident()? {
            Some("None") => visitor.visit_none(),
            Some("Some") => {
                self.expect(b'(')?;
                let v = self.nest(|r| visitor.visit_some(&mut *r))?;
                self.eat(b',')?;
                self.expect(b')')?;
                Ok(v)
            }
            _ => {
                // ron's `implicit_some`: a bare value is `Some(value)`.
                self.pos = save;
                self.nest(|r| visitor.visit_some(&mut *r))
            }
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.expect(b'[')?;
        self.nest(|r| visitor.visit_seq(List { r, done: false }))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Res<V::Value> {
        self.expect(b'(')?;
        let v = self.nest(|r| visitor.visit_seq(Tuple { r, first: true }))?;
        self.eat(b',')?;
        self.expect(b')')?;
        Ok(v)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Res<V::Value> {
        if let Some(found) = self.ident()?
            && found != name
        {
            return Err(GiveUp);
        }
        self.expect(b'(')?;
        self.nest(|r| visitor.visit_map(Fields { r, done: false }))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Res<V::Value> {
        let variant = self.ident()?.ok_or(GiveUp)?;
        self.nest(|r| visitor.visit_enum(Variant { r, variant }))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_borrowed_str(self.ident()?.ok_or(GiveUp)?)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 f32 f64 char bytes byte_buf unit unit_struct newtype_struct
        tuple_struct map ignored_any
    }
}

/// The items of a list, up to and including the `]`.
struct List<'a, 'de> {
    r: &'a mut Reader<'de>,
    done: bool,
}

impl<'de> SeqAccess<'de> for List<'_, 'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Res<Option<T::Value>> {
        if self.done || self.r.eat(b']')? {
            self.done = true;
            return Ok(None);
        }
        let v = seed.deserialize(&mut *self.r)?;
        self.done = self.r.after_item(b']')?;
        Ok(Some(v))
    }
}

/// The elements of a tuple; the caller reads the `)` once the visitor has taken as many as
/// the type has.
struct Tuple<'a, 'de> {
    r: &'a mut Reader<'de>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Tuple<'_, 'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Res<Option<T::Value>> {
        if !std::mem::take(&mut self.first) {
            self.r.expect(b',')?;
        }
        seed.deserialize(&mut *self.r).map(Some)
    }
}

/// The fields of a struct or a struct variant, up to and including the `)`.
struct Fields<'a, 'de> {
    r: &'a mut Reader<'de>,
    done: bool,
}

impl<'de> MapAccess<'de> for Fields<'_, 'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Res<Option<K::Value>> {
        if self.done || self.r.eat(b')')? {
            self.done = true;
            return Ok(None);
        }
        let key = self.r.ident()?.ok_or(GiveUp)?;
        self.r.expect(b':')?;
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Res<V::Value> {
        let v = seed.deserialize(&mut *self.r)?;
        self.done = self.r.after_item(b')')?;
        Ok(v)
    }
}

/// An enum value whose variant name has been read.
struct Variant<'a, 'de> {
    r: &'a mut Reader<'de>,
    variant: &'de str,
}

impl<'a, 'de> EnumAccess<'de> for Variant<'a, 'de> {
    type Error = GiveUp;
    type Variant = &'a mut Reader<'de>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Res<(S::Value, Self::Variant)> {
        let v = seed.deserialize(de::value::BorrowedStrDeserializer::<GiveUp>::new(
            self.variant,
        ))?;
        Ok((v, self.r))
    }
}

impl<'de> VariantAccess<'de> for &mut Reader<'de> {
    type Error = GiveUp;

    fn unit_variant(self) -> Res<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Res<T::Value> {
        self.expect(b'(')?;
        let v = self.nest(|r| seed.deserialize(&mut *r))?;
        self.eat(b',')?;
        self.expect(b')')?;
        Ok(v)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Res<V::Value> {
        de::Deserializer::deserialize_tuple(self, len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Res<V::Value> {
        self.expect(b'(')?;
        self.nest(|r| visitor.visit_map(Fields { r, done: false }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename = "T")]
    struct T {
        s: String,
        #[serde(default)]
        o: Option<(u32, i32)>,
        #[serde(default)]
        e: Vec<E>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum E {
        Unit,
        New(u8),
        Pair(String, i32),
        Named { n: bool },
    }

    fn read(text: &str) -> Option<T> {
        from_str(text)
    }

    #[test]
    fn reads_plain_ron_as_ron_does() {
        let text = "// a comment\n T(s: \"a \\\"b\\\"\\n\", o: (1, -2), \
            e: [Unit, New(7), Pair(r#\"x \"y\"\"#, 3,), Named(n: true),],)";
        let want = T {
            s: "a \"b\"\n".into(),
            o: Some((1, -2)),
            e: vec![
                E::Unit,
                E::New(7),
                E::Pair("x \"y\"".into(), 3),
                E::Named { n: true },
            ],
        };
        assert_eq!(read(text), Some(want));
        let ron: T = crate::scenario::parse_with_ron(text).expect("ron reads it too");
        assert_eq!(read(text), Some(ron));
        assert_eq!(
            read("(s: \"\", o: Some((1, 2)))").and_then(|t| t.o),
            Some((1, 2))
        );
        assert_eq!(read("(s: \"\", o: None)").map(|t| t.o), Some(None));
    }

    #[test]
    fn gives_up_on_what_ron_must_judge() {
        for text in [
            "/* block */ T(s: \"\")",
            "T(s: \"\", o: (0x1, 2))",
            "T(s: \"\", o: (1_000, 2))",
            "T(s: \"\\u{e9}\")",
            "U(s: \"\")",
            "T(s: \"\", x: 1)",
            "T(s: \"\") trailing",
            "T(s: \"\", e: [New(300)])",
            "T(s: \"never closed)",
            "T(s: \"\", o: (1, 2)",
            "T(s: \"\", o: (-0, 2))",
            "T(s: \"\", o: (007, 2))",
            "T(s: \"\", e: [Unit()])",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}
