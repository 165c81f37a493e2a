//! `application/x-www-form-urlencoded` bodies, decoded without copying when nothing is escaped.

use std::borrow::Cow;

use crate::error::{ErrorCode, ParseError};
use crate::kind::Field;
use crate::scan;

/// Calls `pair` for each `name=value` of the body in order; empty segments are skipped and a
/// segment without `=` has an empty value, as browsers and URLSearchParams read them. `pair`
/// may stop the reading with an error of its own (`E`); a malformed escape is an error only in
/// strict mode.
pub(crate) fn pairs<'a, E: From<ParseError>>(
    body: &'a str,
    strict: bool,
    mut pair: impl FnMut(Cow<'a, str>, Cow<'a, str>) -> Result<(), E>,
) -> Result<(), E> {
    // One pass over the delimiters and escapes of the whole body (crate::scan::Marks); splitting
    // on ASCII bytes keeps every slice on a char boundary.
    let b = body.as_bytes();
    let mut seg = Segment::at(0);
    let mut marks = scan::Marks::new(b, [b'&', b'=', b'%', b'+']);
    loop {
        // The end of the body ends the last segment as a `&` would: one call site of `pair`,
        // which lets it be inlined.
        let (i, c) = marks.next().map_or((b.len(), b'&'), |i| (i, b[i]));
        match c {
            b'&' => {
                seg.emit(body, i, strict, &mut pair)?;
                if i == b.len() {
                    return Ok(());
                }
                seg = Segment::at(i + 1);
            }
            b'=' => {
                if seg.eq == NONE {
                    seg.eq = i;
                }
            }
            // `%` or `+`: the first one of the key, or of the value, is where decoding starts.
            _ if seg.eq == NONE => seg.key_escape = seg.key_escape.min(i),
            _ => seg.value_escape = seg.value_escape.min(i),
        }
    }
}

const NONE: usize = usize::MAX;

/// The delimiters of the form segment being read, as offsets into the body (`NONE` until seen).
struct Segment {
    start: usize,
    eq: usize,
    key_escape: usize,
    value_escape: usize,
}

impl Segment {
    fn at(start: usize) -> Self {
        Segment {
            start,
            eq: NONE,
            key_escape: NONE,
            value_escape: NONE,
        }
    }

    #[inline(always)]
    fn emit<'a, E: From<ParseError>>(
        &self,
        body: &'a str,
        end: usize,
        strict: bool,
        pair: &mut impl FnMut(Cow<'a, str>, Cow<'a, str>) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.start == end {
            return Ok(());
        }
        let eq = self.eq.min(end);
        let key = &body[self.start..eq];
        let key = match self.key_escape {
            NONE => Cow::Borrowed(key),
            first => decode_from(key, first - self.start, strict, None)?,
        };
        let value_start = (eq + 1).min(end);
        let value = &body[value_start..end];
        let value = match self.value_escape {
            NONE => Cow::Borrowed(value),
            first => decode_from(value, first - value_start, strict, Some(&key))?,
        };
        pair(key, value)
    }
}

const fn hex_table() -> [u8; 256] {
    let mut t = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
}

/// The value of a hex digit, or 0xFF.
pub(crate) static HEX_VALUE: [u8; 256] = hex_table();

/// Decodes `+` and percent-escapes; borrows when there are none.
#[cfg(test)]
pub(crate) fn decode<'a>(
    s: &'a str,
    strict: bool,
    key: Option<&str>,
) -> Result<Cow<'a, str>, ParseError> {
    match s.bytes().position(|c| c == b'%' || c == b'+') {
        Some(first) => decode_from(s, first, strict, key),
        None => Ok(Cow::Borrowed(s)),
    }
}

/// Decodes `s`, whose first `+` or `%` is at `first`.
fn decode_from<'a>(
    s: &'a str,
    first: usize,
    strict: bool,
    key: Option<&str>,
) -> Result<Cow<'a, str>, ParseError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..first]);
    let mut i = first;
    // The OR of the bytes that percent-escapes decoded to: below 0x80, the output is the valid
    // UTF-8 input with ASCII sequences replaced by ASCII bytes, so it needs no validation.
    let mut escaped = 0u8;
    while i < b.len() {
        match b[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let h = b.get(i + 1).map_or(0xFF, |&c| HEX_VALUE[c as usize]);
                let l = b.get(i + 2).map_or(0xFF, |&c| HEX_VALUE[c as usize]);
                if h < 16 && l < 16 {
                    escaped |= h << 4 | l;
                    out.push(h << 4 | l);
                    i += 3;
                } else if strict {
                    return Err(ParseError::new(
                        ErrorCode::InvalidForm,
                        error_field(key),
                        format!("malformed percent-escape in the form {}", where_(key)),
                    ));
                } else {
                    out.push(b'%');
                    i += 1;
                }
            }
            _ => {
                let run = scan::find2(b'%', b'+', &b[i..]).map_or(b.len(), |n| i + n);
                out.extend_from_slice(&b[i..run]);
                i = run;
            }
        }
    }
    if escaped < 0x80 {
        // SAFETY: `out` is `s` (valid UTF-8) with ASCII sequences (`+`, `%XX`) each replaced by
        // one ASCII byte, which keeps it valid UTF-8.
        return Ok(Cow::Owned(unsafe { String::from_utf8_unchecked(out) }));
    }
    match String::from_utf8(out) {
        Ok(s) => Ok(Cow::Owned(s)),
        Err(_) if strict => Err(ParseError::new(
            ErrorCode::InvalidForm,
            error_field(key),
            format!("a percent-escape in the form {} is not UTF-8", where_(key)),
        )),
        Err(e) => Ok(Cow::Owned(
            String::from_utf8_lossy(e.as_bytes()).into_owned(),
        )),
    }
}

/// The `field` of an error about the value of wire key `key`: the canonical name of a
/// documented field whatever its wire spelling (`containerID` -> `containerId`), else the key.
/// Only strict mode reports these errors, so the spelling is matched exactly.
fn error_field(key: Option<&str>) -> Option<&str> {
    key.map(|k| Field::from_wire_name(k, false).map_or(k, |f| f.camel_name()))
}

fn where_(key: Option<&str>) -> String {
    match key {
        Some(k) => format!("value of '{k}'"),
        None => "field name".to_owned(),
    }
}

/// Appends `s` percent-encoded for a form body: unreserved bytes as they are, space as `+`.
pub(crate) fn write_encoded(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &c in s.as_bytes() {
        match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'*' => {
                out.push(c as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(c >> 4) as usize] as char);
                out.push(HEX[(c & 15) as usize] as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes() {
        assert_eq!(decode("a+b%20c%C3%A9", false, None).unwrap(), "a b cé");
        assert!(matches!(
            decode("plain", false, None).unwrap(),
            Cow::Borrowed(_)
        ));
        assert_eq!(decode("100%", false, None).unwrap(), "100%");
        assert_eq!(decode("%zz", false, None).unwrap(), "%zz");
        assert!(decode("%zz", true, None).is_err());
        assert_eq!(decode("%FF", false, None).unwrap(), "\u{FFFD}");
        assert!(decode("%FF", true, Some("x")).is_err());
    }

    #[test]
    fn errors_name_the_canonical_field() {
        let field = |body: &str| {
            pairs(body, true, |_, _| Ok::<(), ParseError>(()))
                .unwrap_err()
                .field()
                .map(str::to_owned)
        };
        assert_eq!(field("containerID=35%G7").as_deref(), Some("containerId"));
        assert_eq!(field("extNumber=%FF").as_deref(), Some("extensionNumber"));
        assert_eq!(
            field("didDescription=100%").as_deref(),
            Some("didDescription")
        );
        assert_eq!(field("eventType=%zz").as_deref(), Some("eventType"));
        assert_eq!(field("CONTAINERID=%zz").as_deref(), Some("CONTAINERID"));
        assert_eq!(field("%zz=1"), None);
    }

    #[test]
    fn encodes() {
        let mut s = String::new();
        write_encoded(&mut s, "+1 555&x=é");
        assert_eq!(s, "%2B1+555%26x%3D%C3%A9");
        assert_eq!(decode(&s, true, None).unwrap(), "+1 555&x=é");
    }
}
