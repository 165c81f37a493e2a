//! The `charset` parameter of a Content-Type. PrimeVOX sends UTF-8; a form body declared in
//! ISO-8859-1 / Windows-1252 (what some proxies and older HTTP stacks write) is decoded as
//! declared instead of turning every accented letter into U+FFFD.

use crate::error::{ErrorCode, ParseError};
use crate::parse::truncate;

/// How the body's bytes are to be read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Charset {
    Utf8,
    /// `iso-8859-1`, `latin1`, `windows-1252` and their aliases. As in browsers (the WHATWG
    /// Encoding Standard), ISO-8859-1 labels mean Windows-1252: bytes 0x80-0x9F are `€`, `‘`...
    /// rather than C1 controls that no webhook contains.
    Windows1252,
}

const UTF8_LABELS: &[&str] = &["utf-8", "utf8", "unicode-1-1-utf-8", "us-ascii", "ascii"];
const WINDOWS_1252_LABELS: &[&str] = &[
    "iso-8859-1",
    "iso8859-1",
    "iso_8859-1",
    "iso88591",
    "latin1",
    "latin-1",
    "l1",
    "cp1252",
    "windows-1252",
    "x-cp1252",
    "cp819",
    "ibm819",
    "iso-ir-100",
];

/// The charset that a Content-Type's parameters (the text after its first `;`) declare: UTF-8
/// when they declare none.
#[allow(clippy::manual_pattern_char_comparison)]
pub(crate) fn of(params: &str) -> Result<Charset, ParseError> {
    // What PrimeVOX sends: the loop below reads it the same way, at several times the cost.
    if params
        .trim_ascii_start()
        .eq_ignore_ascii_case("charset=utf-8")
    {
        return Ok(Charset::Utf8);
    }
    // A predicate, not a `char` pattern: `split(';')` sets up a memchr searcher per call, which
    // costs more than scanning these few bytes.
    for param in params.split(|c: char| c == ';') {
        let Some((name, value)) = param.split_once(|c: char| c == '=') else {
            continue;
        };
        if !name.trim().eq_ignore_ascii_case("charset") {
            continue;
        }
        let label = value.trim().trim_matches('"').trim();
        let is = |labels: &[&str]| labels.iter().any(|l| l.eq_ignore_ascii_case(label));
        if is(UTF8_LABELS) {
            return Ok(Charset::Utf8);
        }
        if is(WINDOWS_1252_LABELS) {
            return Ok(Charset::Windows1252);
        }
        return Err(ParseError::new(
            ErrorCode::UnsupportedContentType,
            None,
            format!(
                "charset '{}' is not supported: PrimeVOX sends UTF-8 (ISO-8859-1 and Windows-1252 are also read)",
                truncate(label, 40)
            ),
        ));
    }
    Ok(Charset::Utf8)
}

/// Windows-1252's bytes 0x80-0x9F; the five it leaves undefined map to the C1 control of the
/// same value, as browsers do.
const HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

fn char_of(b: u8) -> char {
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// A Windows-1252 body as UTF-8. In a form body (`form`), percent-escapes of bytes over 0x7F
/// stand for Windows-1252 bytes too (`%E9` is `é`): they are rewritten as the percent-escapes
/// of the character's UTF-8 bytes, so the form decoder reads them right.
pub(crate) fn windows_1252_to_utf8(body: &[u8], form: bool) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 8);
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if form && b == b'%' {
            let hex = |j: usize| {
                body.get(j)
                    .map_or(0xFF, |&c| crate::form::HEX_VALUE[c as usize])
            };
            let (h, l) = (hex(i + 1), hex(i + 2));
            if h < 16 && l < 16 && h >= 8 {
                let mut buf = [0u8; 4];
                for byte in char_of(h << 4 | l).encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
                i += 3;
                continue;
            }
        }
        out.push(char_of(b));
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `of` over a whole Content-Type, split at its first `;` as `parse` does.
    fn of_ct(content_type: &str) -> Result<Charset, ParseError> {
        of(content_type
            .split_once(';')
            .map_or("", |(_, params)| params))
    }

    #[test]
    fn labels() {
        assert_eq!(
            of_ct("application/x-www-form-urlencoded").unwrap(),
            Charset::Utf8
        );
        assert_eq!(
            of_ct("application/json; charset=UTF-8").unwrap(),
            Charset::Utf8
        );
        assert_eq!(
            of_ct("text/plain; charset=\"latin1\"").unwrap(),
            Charset::Windows1252
        );
        assert_eq!(
            of_ct("a/b; q=1; Charset=ISO-8859-1").unwrap(),
            Charset::Windows1252
        );
        let e = of_ct("application/json; charset=utf-16").unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnsupportedContentType);
        assert!(e.message().contains("'utf-16'"), "{}", e.message());
    }

    #[test]
    fn transcodes() {
        assert_eq!(windows_1252_to_utf8(b"caf\xe9 \x80", false), "café €");
        assert_eq!(
            windows_1252_to_utf8(b"a=caf%E9%41%zz%", true),
            "a=caf%C3%A9%41%zz%"
        );
        assert_eq!(windows_1252_to_utf8(b"%80", true), "%E2%82%AC");
    }
}
