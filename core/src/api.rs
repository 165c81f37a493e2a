//! A binding-neutral surface: bytes and strings in, strings out, so that each language binding
//! is a few lines of glue and none of them re-implements a rule. What is particular to one host
//! language's boundary (the JavaScript layout of an event, tagged results) is in [`crate::ffi`].

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
