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
    static VALUES: RefCell<js::JsValues> = RefCell::new(js::JsValues::default());
    /// The input area: JavaScript writes the body (and content type) straight into it.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The content types `parseInputLayout` was sent, by slot: JavaScript sends one only when
    /// no slot holds it, as a sender's deliveries share a few (decoding one into the module costs
    /// as much as copying a whole body in).
    static CONTENT_TYPES: RefCell<[String; CONTENT_TYPE_SLOTS]> = RefCell::default();
}

/// Slots of `CONTENT_TYPES` (js/engine.js knows the same number).
const CONTENT_TYPE_SLOTS: usize = 4;

/// Where the last event's layout is, read by JavaScript from linear memory:
/// `[table address, table capacity, values address, values length in bytes, 1 if the values are
/// UTF-16 else 0 (ASCII)]`. The table keeps its buffer between events, so JavaScript keeps its
/// view of it (`table capacity` words) until the address or the capacity changes.
static TABLE_AT: [AtomicU32; 5] = [const { AtomicU32::new(0) }; 5];

/// The hot path's result: `None` with the event laid out at `tableAt()` ([`laid_out`]), or the
/// `Failure`.
fn layout(r: Result<primevox_webhooks::Event<'_>, ParseError>) -> Option<Failure> {
    match r {
        Ok(ev) => {
            laid_out(&ev);
            None
        }
        Err(e) => Some(Failure {
            tagged: js::error_json(&e),
        }),
    }
}

/// Lays `ev` out in linear memory, at the addresses `tableAt()` points to: JavaScript decodes the
/// values with one TextDecoder call (UTF-16LE, or ASCII) and reads the table in place.
pub(crate) fn laid_out(ev: &primevox_webhooks::Event<'_>) {
    TABLE.with(|t| {
        VALUES.with(|v| {
            let (mut t, mut v) = (t.borrow_mut(), v.borrow_mut());
            t.clear();
            v.clear();
            js::write_layout(ev, &mut v, &mut t);
            let (at, bytes, wide) = match v.text() {
                Ok(ascii) => (ascii.as_ptr() as usize, ascii.len(), 0),
                Err(utf16) => (utf16.as_ptr() as usize, 2 * utf16.len(), 1),
            };
            let words = [
                t.as_ptr() as usize as u32,
                t.capacity() as u32,
                at as u32,
                bytes as u32,
                wide,
            ];
            for (slot, w) in TABLE_AT.iter().zip(words) {
                slot.store(w, Ordering::Relaxed);
            }
        })
    })
}

/// The module's memory (the JavaScript side writes input into it and reads tables from it).
#[wasm_bindgen(js_name = "linearMemory")]
pub fn linear_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Address of the last event's layout words (see `TABLE_AT`).
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

/// Runs `f` on the body JavaScript wrote at the start of the input area (`body_len` bytes) and
/// its content type. `content_type` is negative for none; else `(sent << 2) | slot`: the content
/// type in `slot` (of `CONTENT_TYPES`) when `sent` is 0, otherwise the `sent - 1` bytes after the
/// body, which `slot` then holds.
pub(crate) fn with_input<R>(
    body_len: u32,
    content_type: i32,
    f: impl FnOnce(&[u8], Option<&str>) -> R,
) -> R {
    INPUT.with(|b| {
        let b = b.borrow();
        let (body, rest) = b.split_at((body_len as usize).min(b.len()));
        let Ok(arg) = usize::try_from(content_type) else {
            return f(body, None);
        };
        CONTENT_TYPES.with(|c| {
            let mut c = c.borrow_mut();
            let slot = &mut c[arg % CONTENT_TYPE_SLOTS];
            if let Some(n) = (arg / CONTENT_TYPE_SLOTS).checked_sub(1) {
                slot.clear();
                slot.push_str(&String::from_utf8_lossy(&rest[..n.min(rest.len())]));
            }
            f(body, Some(slot))
        })
    })
}

/// Parses the body JavaScript wrote into the input area ([`with_input`]).
#[wasm_bindgen(js_name = "parseInputLayout")]
pub fn parse_input_layout(
    body_len: u32,
    content_type: i32,
    strict: bool,
    max_body_bytes: f64,
    max_depth: f64,
) -> Option<Failure> {
    let o = options(strict, max_body_bytes, max_depth);
    with_input(body_len, content_type, |body, ct| {
        layout(primevox_webhooks::parse_with(body, ct, &o))
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
) -> Option<Failure> {
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
