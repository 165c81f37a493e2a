//! `application/x-www-form-urlencoded` bodies, decoded without copying when nothing is escaped.

use std::borrow::Cow;

use crate::error::{ErrorCode, ParseError};

/// Calls `pair` for each `name=value` of the body in order; empty segments are skipped and a
/// segment without `=` has an empty value, as browsers and URLSearchParams read them.
pub(crate) fn pairs<'a>(
    body: &'a str,
    strict: bool,
    mut pair: impl FnMut(Cow<'a, str>, Cow<'a, str>) -> Result<(), ParseError>,
) -> Result<(), ParseError> {
    for seg in body.split('&') {
        if seg.is_empty() {
            continue;
        }
        let (k, v) = match memchr::memchr(b'=', seg.as_bytes()) {
            Some(i) => (&seg[..i], &seg[i + 1..]),
            None => (seg, ""),
        };
        let key = decode(k, strict, None)?;
        let value = decode(v, strict, Some(&key))?;
        pair(key, value)?;
    }
    Ok(())
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Decodes `+` and percent-escapes; borrows when there are none.
pub(crate) fn decode<'a>(
    s: &'a str,
    strict: bool,
    key: Option<&str>,
) -> Result<Cow<'a, str>, ParseError> {
    let b = s.as_bytes();
    if memchr::memchr2(b'%', b'+', b).is_none() {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                }
                _ if strict => {
                    return Err(ParseError::new(
                        ErrorCode::InvalidForm,
                        key,
                        format!("malformed percent-escape in the form {}", where_(key)),
                    ))
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(s) => Ok(Cow::Owned(s)),
        Err(_) if strict => Err(ParseError::new(
            ErrorCode::InvalidForm,
            key,
            format!("a percent-escape in the form {} is not UTF-8", where_(key)),
        )),
        Err(e) => Ok(Cow::Owned(
            String::from_utf8_lossy(e.as_bytes()).into_owned(),
        )),
    }
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
    fn encodes() {
        let mut s = String::new();
        write_encoded(&mut s, "+1 555&x=é");
        assert_eq!(s, "%2B1+555%26x%3D%C3%A9");
        assert_eq!(decode(&s, true, None).unwrap(), "+1 555&x=é");
    }
}
