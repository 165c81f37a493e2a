//! `parse` and `parseMany`: the core's parser, its answer in the JavaScript wire format.
//!
//! The hot path writes the event's layout (`ffi::js::write_layout`) into a table that stays in
//! linear memory, where JavaScript reads it in place; the body comes through a reusable input
//! area that JavaScript writes straight into.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};

use primevox_webhooks::ffi::js;
use primevox_webhooks::{ParseError, ParseOptions};
use wasm_bindgen::prelude::*;

/// Limits arrive as JS numbers; `as` saturates (NaN becomes 0), so no value can wrap around.
fn options(strict: bool, max_body_bytes: f64, max_depth: f64) -> ParseOptions {
    ParseOptions {
        strict,
        max_body_bytes: max_body_bytes as usize,
        max_depth: max_depth as usize,
    }
}

/// A payload the core rejected: the error half of `parse`'s tagged result, holding the tagged
/// JSON text `{"error":…}` that every other call answers with.
#[wasm_bindgen(getter_with_clone)]
pub struct Failure {
    pub tagged: String,
}

thread_local! {
    static TABLE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    /// The input area: JavaScript writes the body (and content type) straight into it.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Where the last table is: `[address, length]`, read by JavaScript from linear memory.
static TABLE_AT: [AtomicU32; 2] = [AtomicU32::new(0), AtomicU32::new(0)];

/// The tagged result of the hot path: the values string (its table at `tableAt()`), or the
/// `Failure`.
fn layout(r: Result<primevox_webhooks::Event<'_>, ParseError>) -> JsValue {
    match r {
        Ok(ev) => laid_out(&ev),
        Err(e) => Failure {
            tagged: js::error_json(&e),
        }
        .into(),
    }
}

/// The values string of `ev`, its layout table left at `tableAt()`.
pub(crate) fn laid_out(ev: &primevox_webhooks::Event<'_>) -> JsValue {
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        t.clear();
        let mut out = String::with_capacity(256);
        js::write_layout(ev, &mut out, &mut t);
        TABLE_AT[0].store(t.as_ptr() as usize as u32, Ordering::Relaxed);
        TABLE_AT[1].store(t.len() as u32, Ordering::Relaxed);
        JsValue::from_str(&out)
    })
}

/// The module's memory (the JavaScript side writes input into it and reads tables from it).
#[wasm_bindgen(js_name = "linearMemory")]
pub fn linear_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Address of `[table address, table length]` of the last event parsed.
#[wasm_bindgen(js_name = "tableAt")]
pub fn table_at() -> u32 {
    TABLE_AT.as_ptr() as usize as u32
}

/// Address of an input area of at least `capacity` bytes (kept and reused between calls).
#[wasm_bindgen(js_name = "inputArea")]
pub fn input_area(capacity: u32) -> u32 {
    INPUT.with(|b| {
        let mut b = b.borrow_mut();
        if b.len() < capacity as usize {
            b.resize(capacity as usize, 0);
        }
        b.as_mut_ptr() as usize as u32
    })
}

/// Parses the body JavaScript wrote at the start of the input area (`body_len` bytes),
/// followed by the content type (`content_type_len` bytes, or -1 for none).
#[wasm_bindgen(js_name = "parseInputLayout")]
pub fn parse_input_layout(
    body_len: u32,
    content_type_len: i32,
    strict: bool,
    max_body_bytes: f64,
    max_depth: f64,
) -> JsValue {
    let o = options(strict, max_body_bytes, max_depth);
    INPUT.with(|b| {
        let b = b.borrow();
        let (body, rest) = b.split_at((body_len as usize).min(b.len()));
        let ct = usize::try_from(content_type_len)
            .ok()
            .map(|n| String::from_utf8_lossy(&rest[..n.min(rest.len())]));
        layout(primevox_webhooks::parse_with(body, ct.as_deref(), &o))
    })
}

/// Parses a body handed over as bytes (one over the limit, whose exact size the error names).
#[wasm_bindgen(js_name = "parseBytesLayout")]
pub fn parse_bytes_layout(
    body: &[u8],
    content_type: Option<String>,
    strict: bool,
    max_body_bytes: f64,
    max_depth: f64,
) -> JsValue {
    let o = options(strict, max_body_bytes, max_depth);
    layout(primevox_webhooks::parse_with(
        body,
        content_type.as_deref(),
        &o,
    ))
}

/// The default parse options as JSON text, camelCase.
#[wasm_bindgen(js_name = "defaultOptions")]
pub fn default_options() -> String {
    js::default_options_json()
}
