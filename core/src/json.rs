//! A small JSON reader for one flat object: strings borrow from the body unless they contain
//! escapes; nested values are kept as a tree only to re-emit them as compact JSON.
//!
//! Hand-written rather than serde so that duplicate keys, lone surrogates, raw control
//! characters and nesting depth can be handled by our own lenient/strict rules in one pass.

use std::borrow::Cow;

use crate::error::{ErrorCode, ParseError};
use crate::scan::find2;

/// A JSON value below the top-level object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json<'a> {
    Str(Cow<'a, str>),
    Num(&'a str),
    Bool(bool),
    Null,
    Arr(Vec<Json<'a>>),
    Obj(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// An array or object being read: its items so far (and, for an object, the name of the
/// member whose value is being read).
enum Container<'a> {
    Arr(Vec<Json<'a>>),
    Obj(Vec<(Cow<'a, str>, Json<'a>)>, Cow<'a, str>),
}

pub(crate) struct Reader<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    strict: bool,
    max_depth: usize,
}

fn err(msg: impl Into<String>) -> ParseError {
    ParseError::new(ErrorCode::InvalidJson, None, msg)
}

impl<'a> Reader<'a> {
    pub(crate) fn new(src: &'a str, strict: bool, max_depth: usize) -> Self {
        Reader {
            src,
            b: src.as_bytes(),
            pos: 0,
            strict,
            // A hard cap bounds the tree that is re-emitted (recursively) as compact JSON.
            max_depth: max_depth.clamp(1, 512),
        }
    }

    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.pos) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<(), ParseError> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn unexpected(&self, what: &str) -> ParseError {
        match self.peek() {
            None => err(format!("the JSON ends early: expected {what}")),
            Some(c) => err(format!(
                "unexpected {} at byte {} of the JSON: expected {what}",
                describe(c),
                self.pos
            )),
        }
    }

    /// Reads the whole body as one object, calling `pair` for each member in order.
    pub(crate) fn top_object(
        &mut self,
        mut pair: impl FnMut(Cow<'a, str>, Json<'a>) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        self.ws();
        if self.peek() != Some(b'{') {
            return Err(err(
                "the body is not a JSON object: a PrimeVOX webhook is one object such as {\"eventType\": ...}",
            ));
        }
        self.pos += 1;
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                if self.peek() != Some(b'"') {
                    return Err(self.unexpected("a quoted member name"));
                }
                let key = self.string()?;
                self.ws();
                self.expect(b':', "':' after a member name")?;
                self.ws();
                let value = self.value(1)?;
                pair(key, value)?;
                self.ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.unexpected("',' or '}'")),
                }
            }
        }
        self.ws();
        if self.pos != self.b.len() {
            return Err(err(format!(
                "unexpected content after the JSON object at byte {}",
                self.pos
            )));
        }
        Ok(())
    }

    /// Reads one value; `depth` is the nesting depth of the container it is in.
    ///
    /// Nested arrays and objects are read with an explicit stack on the heap, not by recursion,
    /// so that the native stack use does not grow with nesting: a host thread with a small
    /// stack (musl's 128 KiB, a worker thread) cannot be overflowed whatever `max_depth` is.
    pub(crate) fn value(&mut self, mut depth: usize) -> Result<Json<'a>, ParseError> {
        let mut open: Vec<Container<'a>> = Vec::new();
        loop {
            // Read the start of a value: a scalar is complete, a container is opened.
            let mut done = match self.peek() {
                Some(c @ (b'{' | b'[')) => {
                    if depth >= self.max_depth {
                        return Err(err(format!(
                            "the JSON is nested more than {} levels deep",
                            self.max_depth
                        )));
                    }
                    self.pos += 1;
                    self.ws();
                    if c == b'{' {
                        if self.peek() == Some(b'}') {
                            self.pos += 1;
                            Json::Obj(Vec::new())
                        } else {
                            let key = self.member_name()?;
                            open.push(Container::Obj(Vec::new(), key));
                            depth += 1;
                            continue;
                        }
                    } else if self.peek() == Some(b']') {
                        self.pos += 1;
                        Json::Arr(Vec::new())
                    } else {
                        open.push(Container::Arr(Vec::new()));
                        depth += 1;
                        continue;
                    }
                }
                _ => self.scalar()?,
            };
            // Hand the finished value to the innermost open container, closing containers
            // until one expects another value.
            loop {
                let Some(top) = open.last_mut() else {
                    return Ok(done);
                };
                self.ws();
                let closed = match top {
                    Container::Arr(items) => {
                        items.push(done);
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                self.ws();
                                false
                            }
                            Some(b']') => true,
                            _ => return Err(self.unexpected("',' or ']'")),
                        }
                    }
                    Container::Obj(members, key) => {
                        members.push((std::mem::take(key), done));
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                *key = self.member_name()?;
                                false
                            }
                            Some(b'}') => true,
                            _ => return Err(self.unexpected("',' or '}'")),
                        }
                    }
                };
                if !closed {
                    break;
                }
                self.pos += 1;
                depth -= 1;
                done = match open.pop() {
                    Some(Container::Arr(items)) => Json::Arr(items),
                    Some(Container::Obj(members, _)) => Json::Obj(members),
                    None => return Err(err("unbalanced JSON")),
                };
            }
        }
    }

    /// At a member name (after `{` or `,` and whitespace): the name, the `:` and the
    /// whitespace after it.
    fn member_name(&mut self) -> Result<Cow<'a, str>, ParseError> {
        self.ws();
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a quoted member name"));
        }
        let k = self.string()?;
        self.ws();
        self.expect(b':', "':' after a member name")?;
        self.ws();
        Ok(k)
    }

    fn scalar(&mut self) -> Result<Json<'a>, ParseError> {
        match self.peek() {
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.unexpected("a JSON value")),
        }
    }

    fn literal(&mut self, word: &str, v: Json<'a>) -> Result<Json<'a>, ParseError> {
        if self.b[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Json<'a>, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.unexpected("a digit after '.'"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.unexpected("a digit in the exponent"));
            }
        }
        Ok(Json::Num(&self.src[start..self.pos]))
    }

    /// Reads a string at `"`; borrows when it has no escapes.
    #[inline]
    pub(crate) fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        self.pos += 1;
        let start = self.pos;
        let rest = &self.b[start..];
        let Some(i) = find2(b'"', b'\\', rest) else {
            return Err(err("a JSON string is not closed"));
        };
        if self.strict {
            check_controls(&rest[..i])?;
        }
        if rest[i] == b'"' {
            self.pos = start + i + 1;
            return Ok(Cow::Borrowed(&self.src[start..start + i]));
        }
        self.escaped_string(start, i)
    }

    /// The rest of a string with escapes, from the first backslash at `start + i`: copied run
    /// by run between escapes into one buffer sized once.
    #[inline(never)]
    fn escaped_string(&mut self, start: usize, i: usize) -> Result<Cow<'a, str>, ParseError> {
        let b = self.b;
        // The decoded text is never longer than the raw text, and the string ends at or after
        // the next quote (at it, unless that quote is escaped): one allocation in the usual case.
        let raw = memchr::memchr(b'"', &b[start + i..]).map_or(i + 16, |q| i + q);
        // Bytes rather than a `String`: every run copied lies between ASCII delimiters of a
        // valid `str` and every escape is pushed as a whole UTF-8 sequence, so the buffer is
        // UTF-8 without `String::push`'s per-char work (54 escapes in a typical message).
        let mut out: Vec<u8> = Vec::with_capacity(raw);
        out.extend_from_slice(&b[start..start + i]);
        let mut pos = start + i;
        loop {
            // At a backslash.
            let Some(&c) = b.get(pos + 1) else {
                self.pos = b.len();
                return Err(err("a JSON string is not closed"));
            };
            pos += 2;
            if c == b'u' {
                let ch = self.unicode_escape_at(&mut pos)?;
                if ch < 0x80 {
                    out.push(ch as u8);
                } else {
                    let ch = char::from_u32(ch).unwrap_or('\u{FFFD}');
                    out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                }
            } else {
                match SIMPLE_ESCAPE[usize::from(c)] {
                    0 => {
                        self.pos = pos;
                        return Err(err(format!(
                            "invalid escape '\\{}' in a JSON string",
                            char::from(c).escape_default()
                        )));
                    }
                    byte => out.push(byte),
                }
            }
            if b.get(pos) == Some(&b'\\') {
                // Text escaped as \uXXXX runs escape after escape: no run to copy in between.
                continue;
            }
            let rest = &b[pos..];
            let Some(i) = find2(b'"', b'\\', rest) else {
                self.pos = b.len();
                return Err(err("a JSON string is not closed"));
            };
            if self.strict {
                check_controls(&rest[..i])?;
            }
            out.extend_from_slice(&rest[..i]);
            pos += i;
            if rest[i] == b'"' {
                self.pos = pos + 1;
                debug_assert!(std::str::from_utf8(&out).is_ok());
                // SAFETY: see the comment on `out`: runs of a `str` cut at ASCII bytes, and
                // chars encoded whole.
                return Ok(Cow::Owned(unsafe { String::from_utf8_unchecked(out) }));
            }
        }
    }

    /// The code point of the `\u` escape whose digits start at `*pos` (a surrogate pair is
    /// one code point; a lone surrogate is U+FFFD, or an error in strict mode), moving `*pos`
    /// past it.
    #[inline(always)]
    fn unicode_escape_at(&self, pos: &mut usize) -> Result<u32, ParseError> {
        let bad = || err("invalid \\u escape in a JSON string: expected four hex digits");
        let hi = hex4(self.b, *pos).ok_or_else(bad)?;
        *pos += 4;
        if (0xD800..0xDC00).contains(&hi) {
            // A high surrogate must be followed by an escaped low surrogate.
            if self.b[*pos..].starts_with(b"\\u") {
                let lo = hex4(self.b, *pos + 2).ok_or_else(bad)?;
                if (0xDC00..0xE000).contains(&lo) {
                    *pos += 6;
                    return Ok(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                }
            }
            return self.lone_surrogate().map(u32::from);
        }
        if (0xDC00..0xE000).contains(&hi) {
            return self.lone_surrogate().map(u32::from);
        }
        Ok(hi)
    }

    fn lone_surrogate(&self) -> Result<char, ParseError> {
        if self.strict {
            Err(err("a JSON string has a lone UTF-16 surrogate escape"))
        } else {
            Ok('\u{FFFD}')
        }
    }
}

/// The value of the four hex digits at `b[at..]`.
#[inline(always)]
fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let h = b.get(at..at + 4)?;
    // Unrolled, one test for the four digits (HEX_VALUE is above 15 for a non-digit).
    let v = |i: usize| u32::from(crate::form::HEX_VALUE[usize::from(h[i])]);
    let (a, b, c, d) = (v(0), v(1), v(2), v(3));
    if (a | b | c | d) > 15 {
        return None;
    }
    Some(a << 12 | b << 8 | c << 4 | d)
}

/// The byte a one-letter escape stands for (`\n` is a newline), 0 for no escape; `\u` is read
/// apart.
static SIMPLE_ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t[b'/' as usize] = b'/';
    t[b'b' as usize] = 0x08;
    t[b'f' as usize] = 0x0c;
    t[b'n' as usize] = b'\n';
    t[b'r' as usize] = b'\r';
    t[b't' as usize] = b'\t';
    t
};

fn check_controls(s: &[u8]) -> Result<(), ParseError> {
    if s.iter().any(|&c| c < 0x20) {
        Err(err(
            "a JSON string contains an unescaped control character (strict mode)",
        ))
    } else {
        Ok(())
    }
}

fn describe(c: u8) -> String {
    if c.is_ascii_graphic() {
        format!("'{}'", c as char)
    } else {
        format!("byte 0x{c:02x}")
    }
}

/// Appends `s` as a JSON string literal, escaping only what JSON requires.
pub(crate) fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let b = s.as_bytes();
    let mut last = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &str = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        if esc.is_empty() {
            out.push_str(&format!("\\u{c:04x}"));
        } else {
            out.push_str(esc);
        }
        last = i + 1;
    }
    out.push_str(&s[last..]);
    out.push('"');
}

/// Appends a value as compact JSON.
pub(crate) fn write_compact(out: &mut String, v: &Json<'_>) {
    match v {
        Json::Str(s) => write_str(out, s),
        Json::Num(n) => out.push_str(n),
        Json::Bool(true) => out.push_str("true"),
        Json::Bool(false) => out.push_str("false"),
        Json::Null => out.push_str("null"),
        Json::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(out, item);
            }
            out.push(']');
        }
        Json::Obj(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, k);
                out.push(':');
                write_compact(out, item);
            }
            out.push('}');
        }
    }
}

/// A value as compact JSON text.
pub(crate) fn compact(v: &Json<'_>) -> String {
    let mut s = String::new();
    write_compact(&mut s, v);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(s: &str, strict: bool) -> Result<Vec<(String, Json<'_>)>, ParseError> {
        let mut v = Vec::new();
        Reader::new(s, strict, 32).top_object(|k, j| {
            v.push((k.into_owned(), j));
            Ok(())
        })?;
        Ok(v)
    }

    #[test]
    fn escapes_and_surrogates() {
        let m = members(r#"{"a":"x\"\\\/\n\u00e9\ud83d\ude00","b":"\ud800"}"#, false).unwrap();
        assert_eq!(m[0].1, Json::Str(Cow::Owned("x\"\\/\né😀".into())));
        assert_eq!(m[1].1, Json::Str(Cow::Owned("\u{FFFD}".into())));
        assert!(members(r#"{"b":"\ud800"}"#, true).is_err());
    }

    #[test]
    fn depth_is_bounded() {
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        let e = members(&deep, false).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
    }

    #[test]
    fn nesting_does_not_use_the_native_stack() {
        // Reading is iterative: even at the hard cap (512) and past it, a 32 KiB thread stack
        // is enough in a debug build to reject, and re-emitting 500 levels fits 512 KiB.
        let run = |levels: usize, stack_kib: usize| {
            let body = format!(
                "{{\"a\":{}1{}}}",
                "[{\"k\":".repeat(levels),
                "}]".repeat(levels)
            );
            std::thread::Builder::new()
                .stack_size(stack_kib * 1024)
                .spawn(move || {
                    let mut out = Vec::new();
                    Reader::new(&body, false, usize::MAX).top_object(|_, v| {
                        out.push(compact(&v).len());
                        Ok(())
                    })?;
                    Ok::<_, ParseError>(out)
                })
                .unwrap()
                .join()
                .unwrap()
        };
        assert_eq!(run(5_000, 32).unwrap_err().code(), ErrorCode::InvalidJson);
        assert_eq!(run(255, 512).unwrap(), vec![255 * 8 + 1]);
    }

    #[test]
    fn compact_round_trip() {
        let m = members(r#"{"a": [1, {"b" : null}, "\u0001"], "c": -1.5e3}"#, false).unwrap();
        assert_eq!(compact(&m[0].1), r#"[1,{"b":null},"\u0001"]"#);
        assert_eq!(compact(&m[1].1), "-1.5e3");
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "[]",
            "{\"a\":1} x",
            "{\"a\":01}",
        ] {
            assert!(members(bad, false).is_err(), "{bad}");
        }
    }
}
