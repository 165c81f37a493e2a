//! `parse` and `parseMany`: the core's parser, its answer in the JavaScript wire format.

use napi::bindgen_prelude::*;
use napi::JsString;
use napi_derive::napi;
use primevox_webhooks::ffi::js;
use primevox_webhooks::{ParseError, ParseOptions};

use crate::guarded;

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
        // `as` saturates (and maps NaN to 0); the JS layer validated it as a safe integer.
        o.max_body_bytes = m as usize;
    }
    if let Some(d) = max_depth {
        o.max_depth = d as usize;
    }
    o
}

/// A payload the core rejected: the error half of `parse`'s tagged result.
#[napi(object)]
pub struct Failure {
    pub code: String,
    pub field: Option<String>,
    pub message: String,
}

impl From<ParseError> for Failure {
    fn from(e: ParseError) -> Self {
        Failure {
            code: e.code().as_str().to_owned(),
            field: e.field().map(str::to_owned),
            message: e.message().to_owned(),
        }
    }
}

/// The layout's values as a V8 string: a copy of ASCII bytes or UTF-16 units
/// (`napi_create_string_utf8` would decode UTF-8 character by character).
fn values_to_js<'env>(values: &js::JsValues, env: &'env Env) -> Result<JsString<'env>> {
    match values.text() {
        Ok(ascii) => env.create_string_latin1(ascii),
        Err(utf16) => env.create_string_utf16(utf16),
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<(Vec<u32>, js::JsValues)> = std::cell::RefCell::default();
}

/// The hot path of `parse`: the event's values string, its layout written into `table` (sized by
/// the JS layer with `layoutCapacity`), or the `Failure`. No JSON crosses for an event: the
/// generated `event-builder.cjs` makes the object.
fn parse_layout<'env>(
    env: &'env Env,
    body: &[u8],
    content_type: Option<&str>,
    opts: ParseOptions,
    table: &mut Uint32ArraySlice<'_>,
) -> Result<Either<JsString<'env>, Failure>> {
    guarded(|| {
        let event = match primevox_webhooks::parse_with(body, content_type, &opts) {
            Ok(event) => event,
            Err(e) => return Ok(Either::B(e.into())),
        };
        Ok(Either::A(laid_out(env, table, |values, scratch| {
            js::write_layout_to(&event, values, scratch)
        })?))
    })
}

/// The values string of what `lay` lays out, its layout copied into `table` (the JavaScript
/// layer's, sized with `layoutCapacity`).
pub(crate) fn laid_out<'env>(
    env: &'env Env,
    table: &mut Uint32ArraySlice<'_>,
    lay: impl FnOnce(&mut js::JsValues, &mut Vec<u32>),
) -> Result<JsString<'env>> {
    with_layout(lay, |values, layout| {
        // SAFETY: the JavaScript layer owns this Uint32Array privately and cannot run while
        // this synchronous call does.
        let t = unsafe { table.as_mut() };
        let Some(dst) = t.get_mut(..layout.len()) else {
            return Err(Error::new(
                Status::InvalidArg,
                "layout table smaller than layoutCapacity(body length)",
            ));
        };
        dst.copy_from_slice(layout);
        values_to_js(values, env)
    })
}

/// What `lay` lays out (values, layout words), in this thread's reused buffers, handed to `then`.
pub(crate) fn with_layout<R>(
    lay: impl FnOnce(&mut js::JsValues, &mut Vec<u32>),
    then: impl FnOnce(&js::JsValues, &[u32]) -> R,
) -> R {
    SCRATCH.with(|scratch| {
        let (scratch, values) = &mut *scratch.borrow_mut();
        scratch.clear();
        values.clear();
        lay(values, scratch);
        then(values, scratch)
    })
}

/// Parses a body given as bytes (Buffer / Uint8Array, read without copying).
#[napi(js_name = "parseBytesLayout")]
pub fn parse_bytes_layout<'env>(
    env: &'env Env,
    body: &[u8],
    content_type: Option<String>,
    strict: Option<bool>,
    max_body_bytes: Option<f64>,
    max_depth: Option<u32>,
    mut table: Uint32ArraySlice<'_>,
) -> Result<Either<JsString<'env>, Failure>> {
    let opts = options(strict, max_body_bytes, max_depth);
    parse_layout(env, body, content_type.as_deref(), opts, &mut table)
}

/// Parses a body given as a string (its UTF-8 bytes).
#[napi(js_name = "parseStringLayout")]
pub fn parse_string_layout<'env>(
    env: &'env Env,
    body: String,
    content_type: Option<String>,
    strict: Option<bool>,
    max_body_bytes: Option<f64>,
    max_depth: Option<u32>,
    mut table: Uint32ArraySlice<'_>,
) -> Result<Either<JsString<'env>, Failure>> {
    let opts = options(strict, max_body_bytes, max_depth);
    parse_layout(
        env,
        body.as_bytes(),
        content_type.as_deref(),
        opts,
        &mut table,
    )
}

/// Table entries that the layout of a body of `body_bytes` bytes fits in.
#[napi(js_name = "layoutCapacity")]
pub fn layout_capacity(body_bytes: f64) -> f64 {
    js::layout_capacity(body_bytes as usize) as f64
}

/// Parses many bodies at once (the core spreads large batches over the cores). Returns one
/// tagged JSON text per body, in order: `{"ok":<canonical event>}` or `{"error":…}`. (One string
/// per item rather than one JSON array: ASCII items stay one-byte V8 strings.)
#[napi(js_name = "parseManyTagged")]
pub fn parse_many_tagged(
    bodies: Vec<&[u8]>,
    content_types: Vec<Option<String>>,
    strict: Option<bool>,
    max_body_bytes: Option<f64>,
    max_depth: Option<u32>,
) -> Result<Vec<String>> {
    if bodies.len() != content_types.len() {
        return Err(Error::new(
            Status::InvalidArg,
            "parseManyTagged: bodies and content types differ in length",
        ));
    }
    guarded(|| {
        let opts = options(strict, max_body_bytes, max_depth);
        let items: Vec<primevox_webhooks::BatchItem<'_>> = bodies
            .iter()
            .zip(&content_types)
            .map(|(b, ct)| (*b, ct.as_deref()))
            .collect();
        Ok(primevox_webhooks::parse_many_map(&items, &opts, |r| {
            js::tagged(r.map(|e| e.to_json()))
        }))
    })
}

/// `parseManyLayout`'s answer: per body, its values string (an event laid out in `table` from
/// `starts[i]`) or its `Failure`.
#[napi(object)]
pub struct ManyLayout {
    pub results: Vec<Either3<Latin1String, Utf16String, Failure>>,
    pub table: Uint32Array,
    pub starts: Uint32Array,
}

/// Parses many bodies in one call, the batch form of the layout path: the core spreads large
/// batches over the cores and lays every event out there (values string + layout), so that the
/// generated event builder makes each object, as `parse` does, without JSON.
#[napi(js_name = "parseManyLayout")]
pub fn parse_many_layout(
    bodies: Vec<Either<String, &[u8]>>,
    content_types: Vec<Option<String>>,
    strict: Option<bool>,
    max_body_bytes: Option<f64>,
    max_depth: Option<u32>,
) -> Result<ManyLayout> {
    if bodies.len() != content_types.len() {
        return Err(Error::new(
            Status::InvalidArg,
            "parseManyLayout: bodies and content types differ in length",
        ));
    }
    guarded(|| {
        let opts = options(strict, max_body_bytes, max_depth);
        let items: Vec<primevox_webhooks::BatchItem<'_>> = bodies
            .iter()
            .zip(&content_types)
            .map(|(b, ct)| {
                let bytes: &[u8] = match b {
                    Either::A(text) => text.as_bytes(),
                    Either::B(bytes) => bytes,
                };
                (bytes, ct.as_deref())
            })
            .collect();
        let laid = primevox_webhooks::parse_many_map(&items, &opts, |r| {
            r.map(|event| {
                // The values as V8 keeps strings (Latin-1 or UTF-16), as `parse` hands them over.
                let mut values = js::JsValues::default();
                let mut layout = Vec::with_capacity(24);
                js::write_layout_to(&event, &mut values, &mut layout);
                (values, layout)
            })
        });
        let mut table = Vec::with_capacity(laid.len() * 24);
        let mut starts = Vec::with_capacity(laid.len());
        let results = laid
            .into_iter()
            .map(|r| {
                starts.push(table.len() as u32);
                match r {
                    Ok((values, layout)) => {
                        table.extend_from_slice(&layout);
                        match values.into_text() {
                            // ASCII only: valid UTF-8 as well as Latin-1.
                            Ok(ascii) => Either3::A(Latin1String::from(
                                String::from_utf8(ascii).unwrap_or_else(|e| {
                                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                                }),
                            )),
                            Err(utf16) => Either3::B(Utf16String::from(utf16)),
                        }
                    }
                    Err(e) => Either3::C(e.into()),
                }
            })
            .collect();
        Ok(ManyLayout {
            results,
            table: Uint32Array::new(table),
            starts: Uint32Array::new(starts),
        })
    })
}

/// The default parse options as JSON text, camelCase.
#[napi(js_name = "defaultOptions")]
pub fn default_options() -> String {
    js::default_options_json()
}
