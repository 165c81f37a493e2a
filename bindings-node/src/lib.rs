//! Node.js binding of `primevox-webhooks` (napi-rs). Thin on purpose: every function hands
//! strings or bytes to the core's binding-neutral `api` module and returns strings; the JS
//! wrapper (`index.js`) turns them into plain objects and `ParseError`s.
//!
//! Conventions shared with the wrapper:
//! - `parse*Layout` return the values string of the core's `api::write_layout` and fill a
//!   table (see `parse_layout`); `parseManyStrings` returns one JSON text per item: the
//!   canonical event or the core's error object. Errors are values: the hot path throws nothing.
//! - The helpers (`encodeJson`, ...) throw a JS `Error` whose message is the core's error JSON.
//! - A panic in the core never crosses into Node: it is caught here and thrown as a plain
//!   `Error` ("primevox-webhooks internal error: ...").

#![deny(clippy::all)]

use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::bindgen_prelude::*;
use napi_derive::napi;
use primevox_webhooks::{api, ErrorCode, Kind, ParseError, ParseOptions};

fn options(
    strict: Option<bool>,
    max_body_bytes: Option<f64>,
    max_depth: Option<u32>,
) -> ParseOptions {
    let mut o = ParseOptions::default();
    if let Some(s) = strict {
        o.strict = s;
    }
    if let Some(m) = max_body_bytes {
        // `as` saturates (and maps NaN to 0); the wrapper validated it as a safe integer.
        o.max_body_bytes = m as usize;
    }
    if let Some(d) = max_depth {
        o.max_depth = d as usize;
    }
    o
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    let what = if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    };
    format!("primevox-webhooks internal error (please report): {what}")
}

fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => Err(Error::new(Status::GenericFailure, panic_message(p))),
    }
}

fn helper_error(e: &ParseError) -> Error {
    Error::new(Status::GenericFailure, api::error_to_json(e))
}

/// Status slot (the table's last entry) of the layout functions.
const LAYOUT_OK: u32 = 0;
const LAYOUT_ERROR: u32 = 1;
const LAYOUT_TOO_SMALL: u32 = 2;

/// The layout path of `parse`: returns the values string of `api::write_layout` and fills
/// `table` with its layout (the last entry is the status: 0 event, 1 error (the string is the
/// error JSON), 2 table too small (the string is the canonical JSON)). No JSON crosses into
/// JavaScript for an event, and the generated `event-builder.cjs` makes the object.
fn parse_layout(
    body: &[u8],
    content_type: Option<&str>,
    strict: Option<bool>,
    max_body_bytes: Option<f64>,
    max_depth: Option<u32>,
    table: &mut Uint32Array,
) -> Result<String> {
    guarded(|| {
        let opts = options(strict, max_body_bytes, max_depth);
        // SAFETY: the JavaScript side owns this Uint32Array privately (one per module instance,
        // not shared across threads) and cannot run while this synchronous call does.
        let t = unsafe { table.as_mut() };
        let Some(last) = t.len().checked_sub(1) else {
            return Err(Error::new(Status::InvalidArg, "layout table is empty"));
        };
        let (entries, status) = t.split_at_mut(last);
        Ok(
            match primevox_webhooks::parse_with(body, content_type, &opts) {
                Err(e) => {
                    status[0] = LAYOUT_ERROR;
                    api::error_to_json(&e)
                }
                Ok(event) => LAYOUT.with(|scratch| {
                    let mut scratch = scratch.borrow_mut();
                    scratch.clear();
                    let mut values = String::with_capacity(body.len());
                    api::write_layout(&event, &mut values, &mut scratch);
                    if scratch.len() > entries.len() {
                        status[0] = LAYOUT_TOO_SMALL;
                        return event.to_json();
                    }
                    entries[..scratch.len()].copy_from_slice(&scratch);
                    status[0] = LAYOUT_OK;
                    values
                }),
            },
        )
    })
}

thread_local! {
    static LAYOUT: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Parses a body given as bytes (Buffer / Uint8Array, read without copying) through the layout
/// path (see `parse_layout`).
#[napi(js_name = "parseBytesLayout")]
pub fn parse_bytes_layout(
    body: &[u8],
    content_type: Option<String>,
    strict: Option<bool>,
    max_body_bytes: Option<f64>,
    max_depth: Option<u32>,
    mut table: Uint32Array,
) -> Result<String> {
    parse_layout(
        body,
        content_type.as_deref(),
        strict,
        max_body_bytes,
        max_depth,
        &mut table,
    )
}

/// Parses a body given as a string (its UTF-8 bytes) through the layout path.
#[napi(js_name = "parseStringLayout")]
pub fn parse_string_layout(
    body: String,
    content_type: Option<String>,
    strict: Option<bool>,
    max_body_bytes: Option<f64>,
    max_depth: Option<u32>,
    mut table: Uint32Array,
) -> Result<String> {
    parse_layout(
        body.as_bytes(),
        content_type.as_deref(),
        strict,
        max_body_bytes,
        max_depth,
        &mut table,
    )
}

/// Parses many bodies at once (the core spreads large batches over the cores). Returns one
/// JSON text per body, in order: the canonical event or the error object. (One string per item
/// rather than one JSON array: ASCII items stay one-byte V8 strings; measured with callgrind,
/// 26.4K instructions per item with JSON.parse in JS against 34.1K for one big array text.)
#[napi(js_name = "parseManyStrings")]
pub fn parse_many_strings(
    bodies: Vec<&[u8]>,
    content_types: Vec<Option<String>>,
    strict: Option<bool>,
    max_body_bytes: Option<f64>,
    max_depth: Option<u32>,
) -> Result<Vec<String>> {
    if bodies.len() != content_types.len() {
        return Err(Error::new(
            Status::InvalidArg,
            "parseManyStrings: bodies and content types differ in length",
        ));
    }
    guarded(|| {
        let opts = options(strict, max_body_bytes, max_depth);
        let items: Vec<primevox_webhooks::BatchItem<'_>> = bodies
            .iter()
            .zip(&content_types)
            .map(|(b, ct)| (*b, ct.as_deref()))
            .collect();
        Ok(primevox_webhooks::parse_many_map(
            &items,
            &opts,
            |r| match r {
                Ok(e) => e.to_json(),
                Err(e) => api::error_to_json(&e),
            },
        ))
    })
}

/// The vendor wire format of an event.
#[napi(object)]
pub struct Encoded {
    pub content_type: String,
    pub body: String,
}

/// Encodes a canonical event JSON back to the vendor's wire format.
#[napi(js_name = "encodeJson")]
pub fn encode_json(canonical: String) -> Result<Encoded> {
    guarded(|| match api::encode_json(&canonical) {
        Ok(e) => Ok(Encoded {
            content_type: e.content_type.to_owned(),
            body: e.body,
        }),
        Err(e) => Err(helper_error(&e)),
    })
}

/// The dedup key of a canonical event JSON.
#[napi(js_name = "dedupKeyJson")]
pub fn dedup_key_json(canonical: String) -> Result<String> {
    guarded(|| api::dedup_key_json(&canonical).map_err(|e| helper_error(&e)))
}

/// The caller number as E.164, if known, of a canonical event JSON.
#[napi(js_name = "callerE164Json")]
pub fn caller_e164_json(canonical: String) -> Result<Option<String>> {
    guarded(|| api::caller_e164_json(&canonical).map_err(|e| helper_error(&e)))
}

/// Every error code, in the core's order.
#[napi(js_name = "errorCodes")]
pub fn error_codes() -> Vec<&'static str> {
    ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
}

/// Every kind string, in the core's order.
#[napi]
pub fn kinds() -> Vec<&'static str> {
    Kind::ALL.iter().map(|k| k.as_str()).collect()
}

/// Whether `presented` equals one of `expected`, in constant time (the core's verify_token).
#[napi(js_name = "verifyToken")]
pub fn verify_token(presented: String, expected: Vec<String>) -> bool {
    primevox_webhooks::verify_token(&presented, &expected)
}

/// The first value of `name` in a URL query string, form-decoded (the core's query_param).
#[napi(js_name = "queryParam")]
pub fn query_param(query: String, name: String) -> Option<String> {
    primevox_webhooks::security::query_param(&query, &name)
}

/// CIDR ranges of allowed peer addresses (the core's AllowList).
#[napi(js_name = "AllowList")]
pub struct AllowList {
    inner: primevox_webhooks::AllowList,
}

#[napi]
impl AllowList {
    /// Throws an Error naming the first entry that is not an address or CIDR range.
    #[napi(constructor)]
    pub fn new(ranges: Vec<String>) -> Result<Self> {
        primevox_webhooks::AllowList::parse(&ranges)
            .map(|inner| AllowList { inner })
            .map_err(|e| Error::new(Status::InvalidArg, e))
    }

    /// Whether the peer address (with or without a port) is in one of the ranges.
    #[napi]
    pub fn contains(&self, addr: String) -> bool {
        self.inner.contains_str(&addr)
    }
}

/// For tests only: a panic inside the addon, which must reach JS as an Error.
#[doc(hidden)]
#[napi(js_name = "__panicForTests")]
pub fn panic_for_tests() -> Result<()> {
    guarded(|| panic!("deliberate panic for tests"))
}
