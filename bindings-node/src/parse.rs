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

/// The layout's values in the forms V8 keeps strings in, so that making the JavaScript string is
/// a copy (`napi_create_string_utf8` would decode UTF-8 character by character, the largest cost
/// of a call): one byte per character while every value is ASCII, else UTF-16. The layout's
/// offsets are UTF-16 units in both.
#[derive(Default)]
pub(crate) struct V8Values {
    latin1: Vec<u8>,
    utf16: Vec<u16>,
    wide: bool,
}

impl js::LayoutValues for V8Values {
    fn push(&mut self, s: &str) -> u32 {
        if !self.wide {
            if s.is_ascii() {
                self.latin1.extend_from_slice(s.as_bytes());
                return self.latin1.len() as u32;
            }
            self.wide = true;
            self.utf16.clear();
            self.utf16.extend(self.latin1.iter().map(|&b| u16::from(b)));
        }
        push_utf16(s, &mut self.utf16);
        self.utf16.len() as u32
    }
}

impl V8Values {
    fn clear(&mut self) {
        // Kept between calls, unless one very large body (maxBodyBytes raised) grew them.
        const KEEP: usize = 1 << 20;
        if self.latin1.capacity() > KEEP || self.utf16.capacity() > KEEP {
            *self = V8Values::default();
        }
        self.latin1.clear();
        self.utf16.clear();
        self.wide = false;
    }

    fn to_js<'env>(&self, env: &'env Env) -> Result<JsString<'env>> {
        if self.wide {
            env.create_string_utf16(&self.utf16)
        } else {
            env.create_string_latin1(&self.latin1)
        }
    }
}

/// Appends `s` to `out` as UTF-16.
fn push_utf16(s: &str, out: &mut Vec<u16>) {
    let b = s.as_bytes();
    let mut o = out.len();
    // A UTF-8 text never has more UTF-16 units than bytes.
    out.resize(o + b.len(), 0);
    let mut i = 0;
    while let Some(&b0) = b.get(i) {
        // Runs of ASCII (ids, numbers, most text), 16 bytes at a time: widened by the vector unit.
        if let (Some(src), Some(dst)) = (b.get(i..i + 16), out.get_mut(o..o + 16)) {
            if src.is_ascii() {
                for (d, &c) in dst.iter_mut().zip(src) {
                    *d = u16::from(c);
                }
                i += 16;
                o += 16;
                continue;
            }
        }
        // `s` is valid UTF-8: the sequence's continuation bytes are there.
        let cont = |k: usize| u32::from(b[i + k] & 0x3f);
        let (c, len) = match b0 {
            0..=0x7f => (u32::from(b0), 1),
            0x80..=0xdf => ((u32::from(b0 & 0x1f) << 6) | cont(1), 2),
            0xe0..=0xef => ((u32::from(b0 & 0x0f) << 12) | (cont(1) << 6) | cont(2), 3),
            _ => (
                (u32::from(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
                4,
            ),
        };
        i += len;
        if c < 0x1_0000 {
            out[o] = c as u16;
            o += 1;
        } else {
            let c = c - 0x1_0000;
            out[o] = 0xd800 | (c >> 10) as u16;
            out[o + 1] = 0xdc00 | (c & 0x3ff) as u16;
            o += 2;
        }
    }
    out.truncate(o);
}

thread_local! {
    static SCRATCH: std::cell::RefCell<(Vec<u32>, V8Values)> = std::cell::RefCell::default();
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
    lay: impl FnOnce(&mut V8Values, &mut Vec<u32>),
) -> Result<JsString<'env>> {
    SCRATCH.with(|scratch| {
        let (scratch, values) = &mut *scratch.borrow_mut();
        scratch.clear();
        values.clear();
        lay(values, scratch);
        // SAFETY: the JavaScript layer owns this Uint32Array privately and cannot run while
        // this synchronous call does.
        let t = unsafe { table.as_mut() };
        let Some(dst) = t.get_mut(..scratch.len()) else {
            return Err(Error::new(
                Status::InvalidArg,
                "layout table smaller than layoutCapacity(body length)",
            ));
        };
        dst.copy_from_slice(scratch);
        values.to_js(env)
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
                let mut values = V8Values::default();
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
                        if values.wide {
                            Either3::B(Utf16String::from(values.utf16))
                        } else {
                            // Only ASCII is kept as Latin-1, so this is UTF-8 too; should it ever
                            // not be, Latin-1 bytes widened are its UTF-16.
                            match String::from_utf8(values.latin1) {
                                Ok(ascii) => Either3::A(Latin1String::from(ascii)),
                                Err(e) => Either3::B(Utf16String::from(
                                    e.into_bytes()
                                        .into_iter()
                                        .map(u16::from)
                                        .collect::<Vec<_>>(),
                                )),
                            }
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
