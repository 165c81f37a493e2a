//! Thin wasm-bindgen layer over `primevox_webhooks::api`.
//!
//! Everything crosses the boundary as strings: the core's canonical JSON for events, its error
//! JSON for errors. The JavaScript wrapper (`js/api.js`) turns those into plain objects and
//! `ParseError`s. No parsing or validation logic lives here.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};

use primevox_webhooks::api;
use primevox_webhooks::{ErrorCode, Event, ExtraValue, Kind, ParseError, ParseOptions};
use wasm_bindgen::prelude::*;

/// Marks an error result: the rest of the string is the core's error JSON.
/// Events are canonical JSON objects and always start with `{`.
const ERR: char = '!';

/// Limits arrive as JS numbers; `as` saturates (NaN becomes 0), so no value can wrap around.
fn options(strict: bool, max_body_bytes: f64, max_depth: f64) -> ParseOptions {
    ParseOptions {
        strict,
        max_body_bytes: max_body_bytes as usize,
        max_depth: max_depth as usize,
    }
}

fn error_string(e: &ParseError) -> String {
    let json = api::error_to_json(e);
    let mut out = String::with_capacity(json.len() + 1);
    out.push(ERR);
    out.push_str(&json);
    out
}

fn result_string(r: Result<String, ParseError>) -> String {
    match r {
        Ok(json) => json,
        Err(e) => error_string(&e),
    }
}

/// Parse a body given as UTF-8 text. Returns canonical JSON, or `!` + error JSON.
#[wasm_bindgen]
pub fn parse_text(
    body: &str,
    content_type: Option<String>,
    strict: bool,
    max_body_bytes: f64,
    max_depth: f64,
) -> String {
    let o = options(strict, max_body_bytes, max_depth);
    result_string(api::parse_to_json(
        body.as_bytes(),
        content_type.as_deref(),
        &o,
    ))
}

/// Parse a body given as raw bytes. Returns canonical JSON, or `!` + error JSON.
#[wasm_bindgen]
pub fn parse_bytes(
    body: &[u8],
    content_type: Option<String>,
    strict: bool,
    max_body_bytes: f64,
    max_depth: f64,
) -> String {
    let o = options(strict, max_body_bytes, max_depth);
    result_string(api::parse_to_json(body, content_type.as_deref(), &o))
}

// ---- The fast path of `parse` ------------------------------------------------------------
//
// Building the event from canonical JSON costs a JSON.parse on the JavaScript side. Instead the
// fast path hands over one string holding every value back to back, plus a table of where each
// one ends (in UTF-16 code units, so that JavaScript slices the string without decoding again).
// The JavaScript wrapper assembles the plain object in canonical key order from the kind's field
// list (`kind_fields`, from the core). The vectors check it against the canonical JSON, keys in order.

/// Marks an absent (null) field in the table.
const NULL: u32 = u32::MAX;

thread_local! {
    static TABLE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    /// The input area: JavaScript writes the body (and content type) straight into it.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Where the last table is: `[address, length]`, read by JavaScript from linear memory.
static TABLE_AT: [AtomicU32; 2] = [AtomicU32::new(0), AtomicU32::new(0)];

fn utf16_len(s: &str) -> u32 {
    let b = s.as_bytes();
    if b.is_ascii() {
        b.len() as u32
    } else {
        s.chars().map(|c| c.len_utf16() as u32).sum()
    }
}

/// The values string; the table (see `take_table`) is
/// `[kind index, extra count, eventType end, (field end | NULL)..., (name end, value end, is JSON)...]`,
/// or empty when the result is an error, in which case the string is the error JSON.
fn fast(r: Result<Event<'_>, ParseError>) -> String {
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        t.clear();
        TABLE_AT[1].store(0, Ordering::Relaxed);
        let ev = match r {
            Ok(ev) => ev,
            Err(e) => return api::error_to_json(&e),
        };
        let mut out = String::with_capacity(256);
        let mut pos = 0u32;
        let mut push = |out: &mut String, s: &str| {
            out.push_str(s);
            pos += utf16_len(s);
            pos
        };
        let kind = Kind::ALL
            .iter()
            .position(|&k| k == ev.kind())
            .unwrap_or(Kind::ALL.len() - 1);
        t.push(kind as u32);
        t.push(ev.extra().len() as u32);
        t.push(push(&mut out, ev.event_type()));
        for (_, v) in ev.fields() {
            t.push(v.map_or(NULL, |v| push(&mut out, v)));
        }
        for (name, value) in ev.extra() {
            t.push(push(&mut out, name));
            match value {
                ExtraValue::Text(v) => {
                    t.push(push(&mut out, v));
                    t.push(0);
                }
                ExtraValue::Json(v) => {
                    t.push(push(&mut out, v));
                    t.push(1);
                }
            }
        }
        TABLE_AT[0].store(t.as_ptr() as usize as u32, Ordering::Relaxed);
        TABLE_AT[1].store(t.len() as u32, Ordering::Relaxed);
        out
    })
}

/// The module's memory (the JavaScript side writes input into it and reads tables from it).
#[wasm_bindgen]
pub fn linear_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Address of `[table address, table length]` for the last fast parse (length 0: an error).
#[wasm_bindgen]
pub fn table_at() -> u32 {
    TABLE_AT.as_ptr() as usize as u32
}

/// Address of an input area of at least `capacity` bytes (kept and reused between calls).
#[wasm_bindgen]
pub fn input_area(capacity: u32) -> u32 {
    INPUT.with(|b| {
        let mut b = b.borrow_mut();
        if b.len() < capacity as usize {
            b.resize(capacity as usize, 0);
        }
        b.as_mut_ptr() as usize as u32
    })
}

/// Fast parse of the body JavaScript wrote at the start of the input area (`body_len` bytes),
/// followed by the content type (`content_type_len` bytes, or -1 for none). Returns the values
/// string; the table is at `table_at()`.
#[wasm_bindgen]
pub fn parse_input_fast(
    body_len: u32,
    content_type_len: i32,
    strict: bool,
    max_body_bytes: f64,
    max_depth: f64,
) -> String {
    let o = options(strict, max_body_bytes, max_depth);
    INPUT.with(|b| {
        let b = b.borrow();
        let (body, rest) = b.split_at((body_len as usize).min(b.len()));
        let ct = usize::try_from(content_type_len)
            .ok()
            .map(|n| String::from_utf8_lossy(&rest[..n.min(rest.len())]));
        fast(primevox_webhooks::parse_with(body, ct.as_deref(), &o))
    })
}

/// Fast path of `parse_text`: the values string (see `fast`); then call `take_table`.
#[wasm_bindgen]
pub fn parse_text_fast(
    body: &str,
    content_type: Option<String>,
    strict: bool,
    max_body_bytes: f64,
    max_depth: f64,
) -> String {
    let o = options(strict, max_body_bytes, max_depth);
    fast(primevox_webhooks::parse_with(
        body.as_bytes(),
        content_type.as_deref(),
        &o,
    ))
}

/// Fast path of `parse_bytes`: the values string (see `fast`); then call `take_table`.
#[wasm_bindgen]
pub fn parse_bytes_fast(
    body: &[u8],
    content_type: Option<String>,
    strict: bool,
    max_body_bytes: f64,
    max_depth: f64,
) -> String {
    let o = options(strict, max_body_bytes, max_depth);
    fast(primevox_webhooks::parse_with(
        body,
        content_type.as_deref(),
        &o,
    ))
}

/// Each kind's canonical field names (camelCase), kinds separated by `;`, names by `,`, in the
/// order of `kinds()`.
#[wasm_bindgen]
pub fn kind_fields() -> String {
    Kind::ALL
        .map(|k| {
            k.fields()
                .iter()
                .map(|f| f.camel_name())
                .collect::<Vec<_>>()
                .join(",")
        })
        .join(";")
}

/// Encode a canonical event back to the vendor's wire format.
/// Returns `content type` + `\n` + body, or `!` + error JSON.
#[wasm_bindgen]
pub fn encode(canonical: &str) -> String {
    match api::encode_json(canonical) {
        Ok(enc) => {
            let mut out = String::with_capacity(enc.content_type.len() + 1 + enc.body.len());
            out.push_str(enc.content_type);
            out.push('\n');
            out.push_str(&enc.body);
            out
        }
        Err(e) => error_string(&e),
    }
}

/// The delivery's deduplication key, or `!` + error JSON.
#[wasm_bindgen]
pub fn dedup_key(canonical: &str) -> String {
    result_string(api::dedup_key_json(canonical))
}

/// `+` E.164 caller number, `""` when there is none, or `!` + error JSON.
#[wasm_bindgen]
pub fn caller_e164(canonical: &str) -> String {
    result_string(api::caller_e164_json(canonical).map(Option::unwrap_or_default))
}

/// Every error code, comma-separated, in the core's order.
#[wasm_bindgen]
pub fn error_codes() -> String {
    ErrorCode::ALL.map(ErrorCode::as_str).join(",")
}

/// Every kind string, comma-separated, in the core's order.
#[wasm_bindgen]
pub fn kinds() -> String {
    Kind::ALL.map(Kind::as_str).join(",")
}

/// The default `ParseOptions` as `strict,max_body_bytes,max_depth`.
#[wasm_bindgen]
pub fn default_options() -> String {
    let o = ParseOptions::default();
    format!("{},{},{}", o.strict, o.max_body_bytes, o.max_depth)
}

/// Whether `presented` equals one of `expected`, in constant time (the core's verify_token).
#[wasm_bindgen]
pub fn verify_token(presented: &str, expected: Vec<String>) -> bool {
    primevox_webhooks::verify_token(presented, &expected)
}

/// The first value of `name` in a URL query string, form-decoded (the core's query_param).
#[wasm_bindgen]
pub fn query_param(query: &str, name: &str) -> Option<String> {
    primevox_webhooks::security::query_param(query, name)
}

/// CIDR ranges of allowed peer addresses (the core's AllowList).
#[wasm_bindgen]
pub struct AllowList {
    inner: primevox_webhooks::AllowList,
}

#[wasm_bindgen]
impl AllowList {
    /// Throws an Error naming the first entry that is not an address or CIDR range.
    #[wasm_bindgen(constructor)]
    pub fn new(ranges: Vec<String>) -> Result<AllowList, JsError> {
        primevox_webhooks::AllowList::parse(&ranges)
            .map(|inner| AllowList { inner })
            .map_err(|e| JsError::new(&e))
    }

    /// Whether the peer address (with or without a port) is in one of the ranges.
    pub fn contains(&self, addr: &str) -> bool {
        self.inner.contains_str(addr)
    }
}

/// The module's linear memory, in bytes (for the memory tests: it must stay flat).
#[wasm_bindgen]
pub fn memory_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        (core::arch::wasm32::memory_size(0) * 65536) as f64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// Traps (panics) on purpose: lets the tests prove that a failure inside the module becomes a
/// JavaScript `Error` and that the wrapper resets the instance, so the next call works.
#[wasm_bindgen]
pub fn trap_for_tests() {
    panic!("trap_for_tests");
}
