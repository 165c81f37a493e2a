//! A small JSON reader for one flat object: strings borrow from the body unless they contain
//! escapes; nested values are kept as a tree only to re-emit them as compact JSON.
//!
//! Hand-written rather than serde so that duplicate keys, lone surrogates, raw control
//! characters and nesting depth can be handled by our own lenient/strict rules in one pass.

use std::borrow::Cow;

use crate::error::{ErrorCode, ParseError};
use crate::scan::{find2, find_stop, is_stop, stops16_copy};

/// A JSON value below the top-level object.
// A word-sized tag puts every payload at offset 8 (`Bool`'s would be at 1): a value is then
// moved in whole aligned words, and a load just after a store of it is forwarded, where
// copies of bytes 1..32 in odd pieces stalled each member on its way into the event.
#[repr(u64)]
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

/// An error while reading: boxed, so that a `Result` of a value is no larger than the value
/// (reading moves them through every level).
pub(crate) type Fail = Box<ParseError>;

#[cold]
fn err(msg: impl Into<String>) -> Fail {
    Box::new(ParseError::new(ErrorCode::InvalidJson, None, msg))
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

    fn expect(&mut self, c: u8, what: &str) -> Result<(), Fail> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn unexpected(&self, what: &str) -> Fail {
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
        pair: impl FnMut(Cow<'a, str>, Json<'a>) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        self.members(pair).map_err(|e| *e)
    }

    #[inline(always)]
    fn members(
        &mut self,
        mut pair: impl FnMut(Cow<'a, str>, Json<'a>) -> Result<(), ParseError>,
    ) -> Result<(), Fail> {
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
                pair(key, value).map_err(Box::new)?;
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
    #[inline(always)]
    pub(crate) fn value(&mut self, depth: usize) -> Result<Json<'a>, Fail> {
        match self.peek() {
            // Webhook members are strings (and a few numbers): read where they are used.
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b'{' | b'[') => self.nested(depth),
            _ => self.scalar(),
        }
    }

    /// [`Self::value`] at an array or object.
    #[inline(never)]
    fn nested(&mut self, mut depth: usize) -> Result<Json<'a>, Fail> {
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
    fn member_name(&mut self) -> Result<Cow<'a, str>, Fail> {
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

    fn scalar(&mut self) -> Result<Json<'a>, Fail> {
        match self.peek() {
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.unexpected("a JSON value")),
        }
    }

    fn literal(&mut self, word: &str, v: Json<'a>) -> Result<Json<'a>, Fail> {
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

    fn number(&mut self) -> Result<Json<'a>, Fail> {
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
    pub(crate) fn string(&mut self) -> Result<Cow<'a, str>, Fail> {
        // Strict mode also stops at raw control characters: one test per string, not per byte.
        if self.strict {
            self.string_as::<true>()
        } else {
            self.string_as::<false>()
        }
    }

    #[inline(always)]
    fn string_as<const STRICT: bool>(&mut self) -> Result<Cow<'a, str>, Fail> {
        self.pos += 1;
        let start = self.pos;
        let Some(i) = find_stop::<STRICT>(self.b, start) else {
            return Err(err("a JSON string is not closed"));
        };
        match self.b[i] {
            b'"' => {
                self.pos = i + 1;
                // SAFETY: `start` is just after a quote and `i` at one: the text between two
                // ASCII bytes of a `str` is UTF-8 (and no slicing check is paid per string).
                Ok(Cow::Borrowed(unsafe {
                    std::str::from_utf8_unchecked(&self.b[start..i])
                }))
            }
            b'\\' => self.escaped_string::<STRICT>(start, i),
            _ => Err(self.control_or_unclosed(i)),
        }
    }

    /// At a raw control character in strict mode: the string is reported unclosed when no
    /// quote or backslash follows (as a search for the end of the run finds first), else the
    /// control character.
    #[cold]
    fn control_or_unclosed(&self, at: usize) -> Fail {
        if find2(b'"', b'\\', &self.b[at..]).is_none() {
            err("a JSON string is not closed")
        } else {
            err("a JSON string contains an unescaped control character (strict mode)")
        }
    }

    /// A string with escapes, the first at `first`, decoded from `start` (just after its
    /// opening quote) into one buffer: plain runs are copied 16 bytes per step while they are
    /// searched ([`stops16_copy`]), each escape is decoded in place, and escapes that follow
    /// each other (text escaped as `\uXXXX`) are decoded with no search in between.
    #[inline(never)]
    fn escaped_string<const STRICT: bool>(
        &mut self,
        start: usize,
        first: usize,
    ) -> Result<Cow<'a, str>, Fail> {
        let b = self.b;
        let n = b.len();
        // Capacity: up to `bound`, the first quote after the first backslash that no backslash
        // precedes (or the end of the body), plus 16 for a whole store. Every quote before the
        // closing one is escaped, so the string ends at or before `bound`; and the decoded text
        // is never longer than the raw text read (an escape of 2, 6 or 12 bytes decodes to at
        // most 1, 3 or 4), so while the reading position `p` is at most `bound`,
        // `d + 16 <= (bound - start) + 16`. (Should an escaped quote at `bound` move `p` past
        // it, the next quote is the new bound.)
        let quote_from = |mut at: usize| loop {
            match memchr::memchr(b'"', &b[at..]) {
                None => break n,
                Some(q) if b[at + q - 1] == b'\\' => at += q + 1,
                Some(q) => break at + q,
            }
        };
        // Near the end of the body (a message text is usually the last member) the end of the
        // body is bound enough, and a search for it would cost more than the room it saves.
        let mut bound = if n - first <= NEAR_END {
            n
        } else {
            quote_from(first + 1)
        };
        let mut out: Vec<u8> = Vec::with_capacity(bound - start + 16);
        // Bytes in `out` (its length is set at the end).
        let mut d = 0usize;
        let mut p = start;
        loop {
            // A plain run up to the next stop.
            loop {
                debug_assert!(p <= bound && d <= p - start && d + 16 <= out.capacity());
                if p + 16 > n {
                    while p < n && !is_stop::<STRICT>(b[p]) {
                        // SAFETY: `d < p - start + 1 <= bound - start + 1`, within capacity.
                        unsafe { *out.as_mut_ptr().add(d) = b[p] };
                        p += 1;
                        d += 1;
                    }
                    break;
                }
                // SAFETY: 16 bytes are read at `p` (`p + 16 <= n`) and written at `d`
                // (`d + 16 <= capacity`, see above).
                let m =
                    unsafe { stops16_copy::<STRICT>(b.as_ptr().add(p), out.as_mut_ptr().add(d)) };
                if m != 0 {
                    let k = m.trailing_zeros() as usize;
                    p += k;
                    d += k;
                    break;
                }
                p += 16;
                d += 16;
            }
            match b.get(p) {
                Some(b'"') => {
                    self.pos = p + 1;
                    // SAFETY: `d` bytes were written (runs and escapes, in order).
                    unsafe { out.set_len(d) };
                    debug_assert!(std::str::from_utf8(&out).is_ok());
                    // SAFETY: the runs copied are the text of a `str` between ASCII bytes (a
                    // stop, an escape's end), and each escape is a whole UTF-8 sequence.
                    return Ok(Cow::Owned(unsafe { String::from_utf8_unchecked(out) }));
                }
                Some(b'\\') => {}
                Some(_) => return Err(self.control_or_unclosed(p)),
                None => {
                    self.pos = n;
                    return Err(err("a JSON string is not closed"));
                }
            }
            // At a backslash: this escape and any that follow it directly.
            loop {
                // SAFETY (every write below): at most 4 bytes at `d`, and `d + 16` is within
                // capacity.
                debug_assert!(p < bound && d <= p - start && d + 16 <= out.capacity());
                let at = unsafe { out.as_mut_ptr().add(d) };
                if let Some(ch) = b.get(p..).and_then(bmp_escape) {
                    // The usual `\uXXXX`, with one bounds check.
                    d += unsafe { put_utf8(at, ch) };
                    p += 6;
                } else {
                    let Some(&c) = b.get(p + 1) else {
                        self.pos = n;
                        return Err(err("a JSON string is not closed"));
                    };
                    if c == b'u' {
                        p += 2;
                        let ch = self.unicode_escape_at(&mut p)?;
                        d += unsafe { put_utf8(at, ch) };
                    } else {
                        let byte = SIMPLE_ESCAPE[usize::from(c)];
                        if byte == 0 {
                            self.pos = p + 2;
                            return Err(err(format!(
                                "invalid escape '\\{}' in a JSON string",
                                char::from(c).escape_default()
                            )));
                        }
                        unsafe { *at = byte };
                        d += 1;
                        p += 2;
                        if p > bound {
                            bound = quote_from(p);
                            grow(&mut out, d, bound - start + 16);
                        }
                    }
                }
                if b.get(p) != Some(&b'\\') {
                    break;
                }
            }
        }
    }

    /// The code point of the `\u` escape whose digits start at `*pos` (a surrogate pair is
    /// one code point; a lone surrogate is U+FFFD, or an error in strict mode), moving `*pos`
    /// past it.
    #[inline(always)]
    fn unicode_escape_at(&self, pos: &mut usize) -> Result<u32, Fail> {
        let bad = || err("invalid \\u escape in a JSON string: expected four hex digits");
        let hi = hex4(self.b, *pos).ok_or_else(bad)?;
        *pos += 4;
        if hi & 0xF800 != 0xD800 {
            // Not a surrogate: the usual case.
            return Ok(hi);
        }
        if hi < 0xDC00 {
            // A high surrogate must be followed by an escaped low surrogate.
            if self.b[*pos..].starts_with(b"\\u") {
                let lo = hex4(self.b, *pos + 2).ok_or_else(bad)?;
                if (0xDC00..0xE000).contains(&lo) {
                    *pos += 6;
                    return Ok(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                }
            }
        }
        self.lone_surrogate().map(u32::from)
    }

    fn lone_surrogate(&self) -> Result<char, Fail> {
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

/// How close to the end of the body an escaped string starts for the end of the body to bound
/// its decoded length (see `escaped_string`): at most this much room is given beyond a string.
const NEAR_END: usize = 2048;

/// The code point of a `\uXXXX` escape at the start of `s` that is not a surrogate.
#[inline(always)]
fn bmp_escape(s: &[u8]) -> Option<u32> {
    let e = s.first_chunk::<6>()?;
    if e[1] != b'u' {
        return None;
    }
    let v = |i: usize| u32::from(crate::form::HEX_VALUE[usize::from(e[i])]);
    let (a, b, c, d) = (v(2), v(3), v(4), v(5));
    let ch = a << 12 | b << 8 | c << 4 | d;
    // HEX_VALUE is above 15 for a non-digit; surrogates are read apart.
    ((a | b | c | d) <= 15 && ch & 0xF800 != 0xD800).then_some(ch)
}

/// Makes room for `need` bytes in `out`, whose first `d` bytes are written.
#[cold]
fn grow(out: &mut Vec<u8>, d: usize, need: usize) {
    if need > out.capacity() {
        // SAFETY: `d` bytes were written; `reserve` keeps them.
        unsafe { out.set_len(d) };
        out.reserve(need - d);
    }
}

/// Writes the UTF-8 encoding of the scalar value `ch` at `at`; returns its length.
///
/// # Safety
/// `at` must be valid for writing 4 bytes, and `ch` must not be a surrogate.
#[inline(always)]
unsafe fn put_utf8(at: *mut u8, ch: u32) -> usize {
    debug_assert!(char::from_u32(ch).is_some());
    let cont = |shift: u32| 0x80 | (ch >> shift & 0x3F) as u8;
    let (bytes, len) = if ch < 0x80 {
        ([ch as u8, 0, 0, 0], 1)
    } else if ch < 0x800 {
        ([0xC0 | (ch >> 6) as u8, cont(0), 0, 0], 2)
    } else if ch < 0x1_0000 {
        ([0xE0 | (ch >> 12) as u8, cont(6), cont(0), 0], 3)
    } else {
        ([0xF0 | (ch >> 18) as u8, cont(12), cont(6), cont(0)], 4)
    };
    // SAFETY: as required of the caller; one store of four bytes, `len` of them meant.
    unsafe { at.cast::<[u8; 4]>().write_unaligned(bytes) };
    len
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

    /// The string reader as it was before 16-byte stops (`find2` per run, a check of each run
    /// for control characters in strict mode): the behaviour the reader must keep, including
    /// which error a broken string gets. Returns the text and the position after it.
    fn reference_string(src: &str, at: usize, strict: bool) -> Result<(String, usize), Fail> {
        let b = src.as_bytes();
        let controls = |s: &[u8]| {
            if strict && s.iter().any(|&c| c < 0x20) {
                Err(err(
                    "a JSON string contains an unescaped control character (strict mode)",
                ))
            } else {
                Ok(())
            }
        };
        let unclosed = || err("a JSON string is not closed");
        let lone = || {
            if strict {
                Err(err("a JSON string has a lone UTF-16 surrogate escape"))
            } else {
                Ok(0xFFFD)
            }
        };
        let start = at + 1;
        let i = find2(b'"', b'\\', &b[start..]).ok_or_else(unclosed)?;
        controls(&b[start..start + i])?;
        if b[start + i] == b'"' {
            return Ok((src[start..start + i].to_owned(), start + i + 1));
        }
        let mut out = src[start..start + i].to_owned();
        let mut pos = start + i;
        loop {
            let &c = b.get(pos + 1).ok_or_else(unclosed)?;
            pos += 2;
            if c == b'u' {
                let bad = || err("invalid \\u escape in a JSON string: expected four hex digits");
                let hi = hex4(b, pos).ok_or_else(bad)?;
                pos += 4;
                let ch = if (0xD800..0xDC00).contains(&hi) {
                    let mut pair = None;
                    if b[pos..].starts_with(b"\\u") {
                        let lo = hex4(b, pos + 2).ok_or_else(bad)?;
                        if (0xDC00..0xE000).contains(&lo) {
                            pos += 6;
                            pair = Some(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                        }
                    }
                    match pair {
                        Some(ch) => ch,
                        None => lone()?,
                    }
                } else if (0xDC00..0xE000).contains(&hi) {
                    lone()?
                } else {
                    hi
                };
                out.push(char::from_u32(ch).unwrap());
            } else {
                match SIMPLE_ESCAPE[usize::from(c)] {
                    0 => {
                        return Err(err(format!(
                            "invalid escape '\\{}' in a JSON string",
                            char::from(c).escape_default()
                        )))
                    }
                    byte => out.push(char::from(byte)),
                }
            }
            if b.get(pos) == Some(&b'\\') {
                continue;
            }
            let i = find2(b'"', b'\\', &b[pos..]).ok_or_else(unclosed)?;
            controls(&b[pos..pos + i])?;
            out.push_str(&src[pos..pos + i]);
            pos += i;
            if b[pos] == b'"' {
                return Ok((out, pos + 1));
            }
        }
    }

    fn check_string(src: &str, strict: bool) {
        let mut r = Reader::new(src, strict, 32);
        let got = r.string().map(|s| (s.into_owned(), r.pos));
        assert_eq!(
            got,
            reference_string(src, 0, strict),
            "{src:?} strict={strict}"
        );
    }

    /// Pieces of string text: plain runs, escapes of every kind, broken escapes, raw control
    /// characters and multi-byte characters.
    const PIECES: &[&str] = &[
        "",
        "a",
        "plain text",
        "0123456789abcdef",
        "0123456789abcdefghijklmnopqrstuvwxyz!#$%&'()*+,-./:;<=>?@[]^_`{|}~",
        "é",
        "明天",
        "🚗",
        "\u{7f}\u{80}\u{9f}\u{a0}\u{dc}\u{a2}",
        "\\\"",
        "\\\\",
        "\\/",
        "\\b\\f\\n\\r\\t",
        "\\u0041",
        "\\u0000",
        "\\u001f",
        "\\u007F",
        "\\u0080",
        "\\u00e9",
        "\\u07ff",
        "\\u0800",
        "\\u4E2D",
        "\\ud7ff",
        "\\ue000",
        "\\uffff",
        "\\ud83d\\ude00",
        "\\uDBFF\\uDFFF",
        "\\ud800",
        "\\udc00",
        "\\ud800\\u0041",
        "\\ud800\\ud800",
        "\\ud800\\uZZZZ",
        "\\ud800\\",
        "\\u12G4",
        "\\u12",
        "\\x",
        "\\é",
        "\\'",
        "\u{1}",
        "\t",
        "\u{1f}",
        "\\",
        "\"",
    ];

    #[test]
    fn strings_read_as_before() {
        // Every sequence of up to three pieces, closed or not, lenient and strict; those of up
        // to two also after a plain prefix and before short and long rests of the body (the
        // last 16 bytes are read apart, and the room for the text is found two ways).
        let tails = ["", "\"", "\"}", "\"                    }", " \"x\\\"y\""];
        // Under valgrind, the sequences of three end with one piece in eleven: the pairs, after
        // each prefix and before each rest of the body, already run every unsafe path of the
        // reader (tests/ci/memory.sh says which test runs which).
        let third = if crate::test_support::under_valgrind() {
            11
        } else {
            1
        };
        let check = |s: &str, pad: usize, tail: &str| {
            let body = format!("\"{}{s}{tail}", "x".repeat(pad));
            check_string(&body, false);
            check_string(&body, true);
        };
        for a in PIECES {
            for b in PIECES {
                let ab = format!("{a}{b}");
                for pad in [0, 5, 17, 40] {
                    for tail in tails {
                        check(&ab, pad, tail);
                    }
                }
                // Far from the end of the body (the room for the text is found otherwise).
                let far = " ".repeat(NEAR_END);
                check(&ab, 0, &format!("\"{far}"));
                check(&ab, 3, &format!("{far}\"x\\\"y\""));
                for c in PIECES.iter().step_by(third) {
                    check(&format!("{ab}{c}"), 0, "");
                    check(&format!("{ab}{c}"), 0, "\"}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn random_strings_read_as_before(
            picks in proptest::collection::vec(0..PIECES.len(), 0..60),
            tail in 0usize..4,
        ) {
            let mut body = String::from("\"");
            for p in picks {
                body.push_str(PIECES[p]);
            }
            body.push_str(["\"", "\"}", "", "\"                   ,\"k\":1}"][tail]);
            check_string(&body, false);
            check_string(&body, true);
        }
    }

    #[test]
    fn escapes_and_surrogates() {
        let m = members(r#"{"a":"x\"\\\/\n\u00e9\ud83d\ude00","b":"\ud800"}"#, false).unwrap();
        assert_eq!(m[0].1, Json::Str(Cow::Owned("x\"\\/\né😀".into())));
        assert_eq!(m[1].1, Json::Str(Cow::Owned("\u{FFFD}".into())));
        assert!(members(r#"{"b":"\ud800"}"#, true).is_err());
    }

    #[test]
    fn escaped_quotes_before_a_long_rest() {
        // The decoder sizes its buffer up to the first quote that no backslash precedes: the
        // text after escaped quotes (plain runs, escapes of every width) must fit in it (the
        // debug assertions in `escaped_string` check the room at every store). A piece of the
        // rest as JSON text, and as decoded:
        let (piece, decoded) = (r#"é😀\n\u00e9\ud83d\ude00"#, "é😀\né😀");
        for rest in [17usize, 64, 1000] {
            for quotes in 1..4 {
                let raw = format!(
                    "{}x{}{}",
                    r#"\""#.repeat(quotes),
                    "y".repeat(rest),
                    piece.repeat(rest / 8)
                );
                let body = format!(r#"{{"a":"{raw}","b":"z"}}"#);
                let m = members(&body, false).unwrap();
                let want = format!(
                    "{}x{}{}",
                    "\"".repeat(quotes),
                    "y".repeat(rest),
                    decoded.repeat(rest / 8)
                );
                assert_eq!(m[0].1, Json::Str(Cow::Owned(want)));
                assert_eq!(m[1].1, Json::Str(Cow::Borrowed("z")));
            }
        }
    }

    #[test]
    fn results_are_no_larger_than_values() {
        assert_eq!(std::mem::size_of::<Json<'_>>(), 32);
        assert_eq!(std::mem::size_of::<Result<Json<'_>, Fail>>(), 32);
        assert_eq!(std::mem::size_of::<Result<Cow<'_, str>, Fail>>(), 24);
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
