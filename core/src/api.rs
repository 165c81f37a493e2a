//! A binding-neutral surface: bytes and strings in, strings out, so that each language binding
//! is a few lines of glue and none of them re-implements a rule.

use crate::canonical::from_json;
use crate::encode::Encoded;
use crate::error::ParseError;
use crate::json::write_str;
use crate::parse::{parse_with, ParseOptions};

/// Parses a body straight to its canonical JSON.
pub fn parse_to_json(
    body: &[u8],
    content_type: Option<&str>,
    options: &ParseOptions,
) -> Result<String, ParseError> {
    parse_with(body, content_type, options).map(|e| e.to_json())
}

/// An error as `{"code":…,"field":…,"message":…}` (the CLI's and receivers' error body is
/// `{"error": <this>}`).
pub fn error_to_json(e: &ParseError) -> String {
    let mut out = String::with_capacity(96 + e.message().len());
    out.push_str("{\"code\":\"");
    out.push_str(e.code().as_str());
    out.push_str("\",\"field\":");
    match e.field() {
        Some(f) => write_str(&mut out, f),
        None => out.push_str("null"),
    }
    out.push_str(",\"message\":");
    write_str(&mut out, e.message());
    out.push('}');
    out
}

/// Encodes a canonical-JSON event back to the vendor's wire format.
pub fn encode_json(canonical: &str) -> Result<Encoded, ParseError> {
    from_json(canonical).map(|e| e.encode())
}

/// The dedup key of a canonical-JSON event.
pub fn dedup_key_json(canonical: &str) -> Result<String, ParseError> {
    from_json(canonical).map(|e| e.dedup_key())
}

/// The caller's E.164 number of a canonical-JSON event.
pub fn caller_e164_json(canonical: &str) -> Result<Option<String>, ParseError> {
    from_json(canonical).map(|e| e.caller_e164())
}

/// The stable error codes, as strings, in documentation order.
pub fn error_codes() -> Vec<&'static str> {
    crate::ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
}

/// The stable kind strings, `unknown` last.
pub fn kinds() -> Vec<&'static str> {
    crate::Kind::ALL.iter().map(|k| k.as_str()).collect()
}

/// In a layout table: the field is absent.
pub const LAYOUT_NULL: u32 = u32::MAX;

/// The length of `s` in UTF-16 code units (JavaScript string indices).
fn utf16_len(s: &str) -> u32 {
    if s.is_ascii() {
        s.len() as u32
    } else {
        s.chars().map(|c| c.len_utf16() as u32).sum()
    }
}

/// Lays an event out for a JavaScript host without JSON: every string back to back in `values`,
/// and in `table` where each ends, in UTF-16 units so that JavaScript slices `values` without
/// decoding it again:
/// `[kind index (in Kind::ALL), extra count, eventType end, (field end | LAYOUT_NULL)…,
/// (name end, value end, 1 if the value is JSON text else 0)…]`.
/// The generated `event-builder` JavaScript (see [`crate::codegen::js_event_builder`]) turns
/// this back into the canonical object, keys in canonical order.
pub fn write_layout(event: &crate::Event<'_>, values: &mut String, table: &mut Vec<u32>) {
    let mut end = 0u32;
    let mut push = |values: &mut String, s: &str| {
        values.push_str(s);
        end += utf16_len(s);
        end
    };
    let kind = crate::Kind::ALL
        .iter()
        .position(|&k| k == event.kind())
        .unwrap_or(crate::Kind::ALL.len() - 1);
    table.push(kind as u32);
    table.push(event.extra().len() as u32);
    table.push(push(values, event.event_type()));
    for (_, v) in event.fields() {
        table.push(v.map_or(LAYOUT_NULL, |v| push(values, v)));
    }
    for (name, value) in event.extra() {
        table.push(push(values, name));
        match value {
            crate::ExtraValue::Text(v) => {
                table.push(push(values, v));
                table.push(0);
            }
            crate::ExtraValue::Json(v) => {
                table.push(push(values, v));
                table.push(1);
            }
        }
    }
}
