//! The JavaScript wire format, shared by the napi addon (`bindings-node`) and the wasm-bindgen
//! module (`bindings-wasm`); the one JavaScript layer (`bindings-node/lib/`) reads it.
//!
//! Two shapes cross the boundary, both tagged so that JavaScript never sniffs a prefix or a
//! message:
//! - the hot path of `parse`: an event as its *layout* (every value back to back in one string,
//!   and a table of where each ends, in UTF-16 units: see [`write_layout`]), or an error;
//!   each binding returns that as one of two JS types (a string or a failure object);
//! - every other fallible call: one JSON text, `{"ok":VALUE}` or
//!   `{"error":{"code":…,"field":…,"message":…}}` ([`ok_json`], [`error_json`], [`tagged`]).

use crate::error::ParseError;
use crate::error::Refusal;
use crate::json::write_str;
use crate::receiver::{Answer, Check, Receiver, Request};
use crate::{Event, ExtraValue, Kind};

mod utf16;
use utf16::push_utf16;

/// In a layout table: the field is absent.
pub const LAYOUT_NULL: u32 = u32::MAX;

/// Table entries that the layout of any event parsed from `body_bytes` bytes fits in: the kind,
/// the extra count, the event type, the largest kind's fields, and three per extra field (an
/// extra field takes at least two bytes of the body, `a&` in a form).
pub fn layout_capacity(body_bytes: usize) -> usize {
    let most_fields = Kind::ALL
        .iter()
        .map(|k| k.fields().len())
        .max()
        .unwrap_or(0);
    3 + most_fields + 3 * (body_bytes / 2 + 1)
}

/// Lays an event out for a JavaScript host without JSON: every string back to back in
/// `values`, and in `table` where each ends, in UTF-16 units so that JavaScript slices the values
/// without decoding them again:
/// `[kind index (in Kind::ALL), extra count, eventType end, (field end | LAYOUT_NULL)…,
/// (name end, value end, 1 if the value is JSON text else 0)…]`.
/// The generated `event-builder` JavaScript (see [`crate::codegen::js_event_builder`]) turns
/// this back into the canonical object, keys in canonical order.
pub fn write_layout(event: &Event<'_>, values: &mut JsValues, table: &mut Vec<u32>) {
    write_layout_to(event, values, table);
}

/// Where [`write_layout_to`] puts the values.
pub trait LayoutValues {
    /// Appends `s`; returns where the values now end, in UTF-16 units.
    fn push(&mut self, s: &str) -> u32;
}

/// The layout's values in the forms JavaScript engines make strings from cheapest: one byte per
/// character while every value is ASCII, else UTF-16 (V8 copies either; decoding UTF-8 instead
/// was the largest cost of a call, in the napi addon and in the wasm module's TextDecoder, where
/// UTF-16LE decodes about 3x faster than UTF-8 on the message texts of the benchmark corpus).
/// The layout's offsets are UTF-16 units in both forms.
#[derive(Default)]
pub struct JsValues {
    ascii: Vec<u8>,
    utf16: Vec<u16>,
    wide: bool,
}

impl LayoutValues for JsValues {
    fn push(&mut self, s: &str) -> u32 {
        if !self.wide {
            if s.is_ascii() {
                self.ascii.extend_from_slice(s.as_bytes());
                return self.ascii.len() as u32;
            }
            self.wide = true;
            self.utf16.clear();
            self.utf16.extend(self.ascii.iter().map(|&b| u16::from(b)));
        }
        push_utf16(s, &mut self.utf16);
        self.utf16.len() as u32
    }
}

impl JsValues {
    /// Empties the values for the next event, keeping the buffers unless one very large body
    /// (maxBodyBytes raised) grew them.
    pub fn clear(&mut self) {
        const KEEP: usize = 1 << 20;
        if self.ascii.capacity() > KEEP || self.utf16.capacity() > KEEP {
            *self = JsValues::default();
        }
        self.ascii.clear();
        self.utf16.clear();
        self.wide = false;
    }

    /// [`JsValues::text`], owned.
    pub fn into_text(self) -> Result<Vec<u8>, Vec<u16>> {
        if self.wide {
            Err(self.utf16)
        } else {
            Ok(self.ascii)
        }
    }

    /// The values: `Ok` ASCII bytes, or `Err` UTF-16 units when any value is not ASCII.
    pub fn text(&self) -> Result<&[u8], &[u16]> {
        if self.wide {
            Err(&self.utf16)
        } else {
            Ok(&self.ascii)
        }
    }
}

/// [`write_layout`] into any [`LayoutValues`].
pub fn write_layout_to(event: &Event<'_>, values: &mut impl LayoutValues, table: &mut Vec<u32>) {
    let kind = Kind::ALL
        .iter()
        .position(|&k| k == event.kind())
        .unwrap_or(Kind::ALL.len() - 1);
    table.push(kind as u32);
    table.push(event.extra().len() as u32);
    table.push(values.push(event.event_type()));
    for (_, v) in event.fields() {
        table.push(v.map_or(LAYOUT_NULL, |v| values.push(v)));
    }
    for (name, value) in event.extra() {
        table.push(values.push(name));
        match value {
            ExtraValue::Text(v) => {
                table.push(values.push(v));
                table.push(0);
            }
            ExtraValue::Json(v) => {
                table.push(values.push(v));
                table.push(1);
            }
        }
    }
}

/// `{"ok":VALUE}`, where `value_json` is already JSON text.
pub fn ok_json(value_json: &str) -> String {
    let mut out = String::with_capacity(7 + value_json.len());
    out.push_str("{\"ok\":");
    out.push_str(value_json);
    out.push('}');
    out
}

/// `{"ok":"TEXT"}`: a string value, JSON-escaped.
pub fn ok_str(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    write_str(&mut s, value);
    ok_json(&s)
}

/// `{"error":{"code":…,"field":…,"message":…}}`: the receivers' and the CLI's error body, too.
pub fn error_json(e: &ParseError) -> String {
    tag("error", &crate::api::error_to_json(e))
}

fn tag(tag: &str, inner: &str) -> String {
    let mut out = String::with_capacity(5 + tag.len() + inner.len());
    out.push_str("{\"");
    out.push_str(tag);
    out.push_str("\":");
    out.push_str(inner);
    out.push('}');
    out
}

/// The tagged JSON text of a result whose value is already JSON text.
pub fn tagged(r: Result<String, ParseError>) -> String {
    match r {
        Ok(v) => ok_json(&v),
        Err(e) => error_json(&e),
    }
}

/// The tagged JSON text of a string result.
pub fn tagged_str(r: Result<String, ParseError>) -> String {
    match r {
        Ok(v) => ok_str(&v),
        Err(e) => error_json(&e),
    }
}

/// The tagged JSON text of an optional string result (`{"ok":null}` for none).
pub fn tagged_opt_str(r: Result<Option<String>, ParseError>) -> String {
    match r {
        Ok(Some(v)) => ok_str(&v),
        Ok(None) => ok_json("null"),
        Err(e) => error_json(&e),
    }
}

/// `{"ok":{"contentType":…,"body":…}}`: a canonical event JSON in the vendor's wire format.
pub fn encode_tagged(canonical: &str) -> String {
    match crate::api::encode_json(canonical) {
        Ok(enc) => {
            let mut v = String::with_capacity(enc.body.len() + 64);
            v.push_str("{\"contentType\":");
            write_str(&mut v, enc.content_type);
            v.push_str(",\"body\":");
            write_str(&mut v, &enc.body);
            v.push('}');
            ok_json(&v)
        }
        Err(e) => error_json(&e),
    }
}

/// The default parse options, camelCase as the JavaScript API spells them.
pub fn default_options_json() -> String {
    let o = crate::ParseOptions::default();
    format!(
        "{{\"strict\":{},\"maxBodyBytes\":{},\"maxDepth\":{}}}",
        o.strict, o.max_body_bytes, o.max_depth
    )
}

// ---- The receiver policy (`crate::receiver`) for the JavaScript receivers -------------------

/// A receiver from the JavaScript options object (`JSON.stringify`, camelCase keys); the error
/// message names the option as JavaScript spells it.
pub fn receiver(options_json: &str) -> Result<Receiver, String> {
    Receiver::from_json(options_json).map_err(|e| e.to_string())
}

/// The tagged verdict of [`Receiver::check`] on a request given as JavaScript has it (headers
/// flattened `[name, value, name, value, …]`): `{"refuse":<answer>}` or
/// `{"read":{"maxBytes":…,"timeoutMs":…,"peer":…|null,"learn":…|null}}`, where `<answer>` is
/// [`Answer::to_json`].
pub fn check(
    receiver: &Receiver,
    method: &str,
    peer: Option<&str>,
    query: &str,
    headers: &[String],
) -> String {
    let mut request = Request::new(method, peer, query);
    for pair in headers.chunks_exact(2) {
        request = request.header(&pair[0], &pair[1]);
    }
    verdict(&receiver.check(&request))
}

/// The tagged JSON text of a verdict ([`check`]).
pub fn verdict(check: &Check) -> String {
    match check {
        Check::Refuse(answer) => tag("refuse", &answer.to_json()),
        Check::Read(read) => {
            // Written out by hand, in one buffer: this is per request, and `format!` cost about
            // as much as the checks.
            let mut v = String::with_capacity(96);
            v.push_str("{\"read\":{\"maxBytes\":");
            push_u64(&mut v, read.max_bytes as u64);
            v.push_str(",\"timeoutMs\":");
            push_u64(&mut v, read.timeout_ms);
            v.push_str(",\"peer\":");
            write_opt_str(&mut v, read.peer.as_deref());
            v.push_str(",\"learn\":");
            write_opt_str(&mut v, read.learn.as_deref());
            v.push_str("}}");
            v
        }
    }
}

/// Separates the parts of a request in [`check_joined`]: NUL, which no method, address, query
/// string or header value that reaches a receiver holds (a request that does goes to [`check`]:
/// the JavaScript layer checks, or [`check_joined_counted`] tells it).
pub const JOIN: char = '\0';

/// [`check`] on a request given as one string, so that a binding makes one host string rather
/// than one per header: `method NUL peer NUL query (NUL name NUL value)…`, where `peer` is `-`
/// for none or `+` followed by the address.
pub fn check_joined(receiver: &Receiver, request: &str) -> String {
    verdict(&check_joined_verdict(receiver, request))
}

/// [`check_joined`]'s verdict before it is made text: a binding that keeps the texts it gave
/// compares this with the verdicts it kept, and makes the text of a new one only.
pub fn check_joined_verdict(receiver: &Receiver, request: &str) -> Check {
    let mut parts = parts_of(request);
    let method = parts.next().unwrap_or("");
    let peer = parts.next().and_then(|p| p.strip_prefix('+'));
    let query = parts.next().unwrap_or("");
    let mut r = Request::new(method, peer, query);
    while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
        r = r.header(name, value);
    }
    receiver.check(&r)
}

/// [`check_joined_verdict`] on a request that has `pairs` headers, or `None` when its parts are
/// not that many: a NUL inside one of them, which the binding then hands over as parts to
/// [`check`]. (Counted in the split, so that JavaScript need not search every part for a NUL.)
pub fn check_joined_counted(receiver: &Receiver, request: &str, pairs: usize) -> Option<Check> {
    let mut parts = parts_of(request);
    let (method, peer, query) = (parts.next()?, parts.next()?, parts.next()?);
    let mut r = Request::new(method, peer.strip_prefix('+'), query);
    for _ in 0..pairs {
        r = r.header(parts.next()?, parts.next()?);
    }
    match parts.next() {
        Some(_) => None,
        None => Some(receiver.check(&r)),
    }
}

/// The parts of a joined request, split at each [`JOIN`].
fn parts_of(request: &str) -> impl Iterator<Item = &str> {
    // By memchr: `str::split` by a char costs more than the check itself on a request this short.
    let mut rest = Some(request);
    std::iter::from_fn(move || {
        let s = rest.take()?;
        Some(match memchr::memchr(JOIN as u8, s.as_bytes()) {
            Some(i) => {
                rest = Some(&s[i + 1..]);
                &s[..i]
            }
            None => s,
        })
    })
}

/// `n` in decimal.
fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or("0"));
}

fn write_opt_str(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => write_str(out, s),
        None => out.push_str("null"),
    }
}

/// The body read after a `read` verdict ([`Receiver::parse_body`]): `lay` lays the event out
/// (with [`write_layout`] or [`write_layout_to`]), so that no JSON text is made and parsed per
/// event; else the answer ([`Answer::to_json`]).
pub fn receive_event<R>(
    receiver: &Receiver,
    body: &[u8],
    content_type: Option<&str>,
    content_encoding: Option<&str>,
    lay: impl FnOnce(&Event<'_>) -> R,
) -> Result<R, String> {
    match receiver.parse_body(body, content_type, content_encoding) {
        Ok(event) => Ok(lay(&event)),
        Err(answer) => Err(answer.to_json()),
    }
}

/// The answers a JavaScript receiver gives after the policy, keyed by what happened:
/// `{"ok":<answer>,"handlerFailed":…,"bodyConsumed":…,"requestTimeout":…,"unauthorized":…}`,
/// and the receiver table (`receiver::table_json`) as `"table"`.
pub fn receiver_answers() -> String {
    let mut out = String::from("{\"ok\":");
    out.push_str(&Answer::ok().to_json());
    for (key, refusal) in [
        ("handlerFailed", Refusal::HandlerFailed),
        ("bodyConsumed", Refusal::BodyConsumed),
        ("requestTimeout", Refusal::RequestTimeout),
        ("unauthorized", Refusal::Unauthorized),
    ] {
        out.push_str(",\"");
        out.push_str(key);
        out.push_str("\":");
        out.push_str(&Answer::refusal(refusal).to_json());
    }
    out.push_str(",\"table\":");
    out.push_str(&crate::receiver::table_json());
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn tagged_texts() {
        assert_eq!(ok_json("1"), "{\"ok\":1}");
        assert_eq!(ok_str("a\"b"), "{\"ok\":\"a\\\"b\"}");
        let e = ParseError::new(ErrorCode::EmptyBody, None, "the body is empty".to_owned());
        assert_eq!(
            error_json(&e),
            "{\"error\":{\"code\":\"empty_body\",\"field\":null,\"message\":\"the body is empty\"}}"
        );
    }

    #[test]
    fn layout_values_in_any_form_share_the_offsets() {
        struct Utf16(Vec<u16>);
        impl LayoutValues for Utf16 {
            fn push(&mut self, s: &str) -> u32 {
                self.0.extend(s.encode_utf16());
                self.0.len() as u32
            }
        }
        let body = "{\"eventType\":\"inboundMessage\",\"toNumber\":\"+16717943433\",\"fromNumber\":\"4704396178\",\"containerID\":\"306660\",\"tenantID\":\"20394\",\"conversationID\":\"58357660\",\"messageText\":\"caf\u{e9} \u{1f697} \u{4e2d}\",\"x\":\"\u{fc}\"}";
        let ev = crate::parse(body.as_bytes(), Some("application/json")).expect("parses");
        let (mut values, mut t) = (JsValues::default(), Vec::new());
        write_layout(&ev, &mut values, &mut t);
        let (mut units, mut t16) = (Utf16(Vec::new()), Vec::new());
        write_layout_to(&ev, &mut units, &mut t16);
        assert_eq!(t, t16);
        assert_eq!(values.text(), Err(&units.0[..]));
        let text = String::from_utf16(&units.0).expect("UTF-16");
        assert!(text.contains('\u{1f697}'), "the text crossed: {text}");
        values.clear();
        let ascii = crate::parse(
            b"eventType=SomethingNew&x=InboundCall",
            Some("application/x-www-form-urlencoded"),
        )
        .expect("parses");
        write_layout(&ascii, &mut values, &mut t);
        let bytes = values
            .text()
            .expect("every value is ASCII: one byte per character");
        assert!(
            bytes.windows(11).any(|w| w == b"InboundCall"),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }

    #[test]
    fn layout_fits_capacity() {
        let body = b"a&b&c&eventType=SomethingNew&d&e";
        let ev = crate::parse(body, Some("application/x-www-form-urlencoded"))
            .expect("a lenient form with bare extra keys parses");
        assert!(ev.extra().len() >= 5, "the bare keys are extra fields");
        let (mut v, mut t) = (JsValues::default(), Vec::new());
        write_layout(&ev, &mut v, &mut t);
        assert!(t.len() <= layout_capacity(body.len()));
    }

    #[test]
    fn receiver_verdicts() {
        let r = receiver(r#"{"token":"s3cret","maxBodyBytes":10}"#).unwrap();
        let refused = check(&r, "GET", None, "", &[]);
        assert!(
            refused.starts_with("{\"refuse\":{\"status\":405"),
            "{refused}"
        );
        let h = ["content-length".to_owned(), "3".to_owned()];
        assert_eq!(
            check(&r, "POST", Some("127.0.0.1"), "token=s3cret", &h),
            "{\"read\":{\"maxBytes\":11,\"timeoutMs\":10000,\"peer\":\"127.0.0.1\",\"learn\":null}}"
        );
        let joined = "POST\0+127.0.0.1\0token=s3cret\0content-length\x003";
        assert_eq!(
            check_joined(&r, joined),
            check(&r, "POST", Some("127.0.0.1"), "token=s3cret", &h)
        );
        assert_eq!(
            check_joined(&r, "POST\0-\0token=s3cret"),
            check(&r, "POST", None, "token=s3cret", &[])
        );
        assert_eq!(
            check_joined(&r, "GET\0-\0"),
            check(&r, "GET", None, "", &[])
        );
        // Counted: the verdict of the same request, or None for a NUL inside a part.
        let want = check_joined_verdict(&r, joined);
        assert_eq!(check_joined_counted(&r, joined, 1), Some(want));
        for nul in [
            "PO\0ST\0+127.0.0.1\0token=s3cret\0content-length\x003",
            "POST\0+127.0.0.1\0token=s3\0cret\0content-length\x003",
            "POST\0+127.0.0.1\0token=s3cret\0content-length\x003\0",
            "POST\0+127.0.0.1\0token=s3cret\0content-length\x003\0content-type\0x",
        ] {
            assert_eq!(check_joined_counted(&r, nul, 1), None, "{nul:?}");
        }
        assert_eq!(check_joined_counted(&r, joined, 2), None);
        assert_eq!(check_joined_counted(&r, joined, 0), None);
        assert_eq!(check_joined_counted(&r, "GET\0-", 0), None);
        assert_eq!(
            check_joined_counted(&r, "GET\0-\0", 0),
            Some(check_joined_verdict(&r, "GET\0-\0"))
        );
        let bad = receive_event(&r, b"x", None, None, |_| ()).unwrap_err();
        assert!(bad.starts_with("{\"status\":400"), "{bad}");
        let big = receive_event(&r, b"eventType=x&a=1", None, None, |_| ()).unwrap_err();
        assert!(big.contains("body_too_large"), "{big}");
        let r = receiver("{}").unwrap();
        let kind = receive_event(&r, b"eventType=SomethingNew", None, None, |ev| ev.kind());
        assert_eq!(kind, Ok(Kind::Unknown));
        let (mut values, mut t) = (JsValues::default(), Vec::new());
        let lay = |ev: &Event<'_>| write_layout(ev, &mut values, &mut t);
        assert!(receive_event(&r, b"eventType=SomethingNew", None, None, lay).is_ok());
        assert_eq!(values.text(), Ok(&b"SomethingNew"[..]));
        assert!(receiver(r#"{"token":null}"#)
            .unwrap_err()
            .starts_with("token"));
        let answers = receiver_answers();
        assert!(answers.contains("handler_failed") && answers.contains("\"table\":{"));
        for n in [0, 7, 10, 65_537, u64::MAX] {
            let mut out = String::from("x");
            push_u64(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }
}
