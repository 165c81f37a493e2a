//! Python bindings for `primevox-webhooks`: the private `primevox_webhooks._native` module.
//!
//! Thin by design: every rule (parsing, validation, canonical JSON, encoding, helpers) lives in the
//! core crate. This module only converts between Python objects and the core's types:
//! one Python class per [`Kind`] (subclasses of [`Event`]) wrapping a core event that borrows from
//! the request body it keeps alive; attributes are Python objects built on access straight from
//! the core event (interned names, no JSON round trip). `parse_many` releases the GIL while the
//! core parses.

mod calls;

use std::hash::{BuildHasher, RandomState};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, OnceLock};

use primevox_webhooks::{self as core, ExtraValue, Field, Kind, ParseOptions};
use pyo3::exceptions::{PyImportError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyMemoryView, PyString, PyTuple};

/// Python strings created once per interpreter: kind strings, field names, dict keys.
struct Interned {
    kinds: Vec<Py<PyString>>,
    snake: Vec<Py<PyString>>,
    kind_key: Py<PyString>,
    event_type_key: Py<PyString>,
    extra_key: Py<PyString>,
}

static INTERNED: PyOnceLock<Interned> = PyOnceLock::new();
static PARSE_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static FROM_JSON: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn interned(py: Python<'_>) -> &Interned {
    INTERNED.get_or_init(py, || Interned {
        kinds: Kind::ALL
            .iter()
            .map(|k| PyString::intern(py, k.as_str()).unbind())
            .collect(),
        snake: Field::ALL
            .iter()
            .map(|f| PyString::intern(py, f.snake_name()).unbind())
            .collect(),
        kind_key: PyString::intern(py, "kind").unbind(),
        event_type_key: PyString::intern(py, "event_type").unbind(),
        extra_key: PyString::intern(py, "extra").unbind(),
    })
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("Kind::ALL lists every kind")
}

/// Builds the Python `ParseError` (defined in `primevox_webhooks._error`) from a core error.
fn parse_error(py: Python<'_>, e: &core::ParseError) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = PARSE_ERROR.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py
                .import("primevox_webhooks._error")?
                .getattr("ParseError")?
                .unbind())
        })?;
        let code = PyString::intern(py, e.code().as_str());
        let value = cls.bind(py).call1((e.message(), code, e.field()))?;
        Ok(PyErr::from_value(value))
    };
    build().unwrap_or_else(|err| err)
}

fn extra_value<'py>(py: Python<'py>, v: &ExtraValue<'_>) -> PyResult<Bound<'py, PyAny>> {
    match v {
        ExtraValue::Text(s) => Ok(PyString::new(py, s).into_any()),
        ExtraValue::Json(text) => {
            let loads = JSON_LOADS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
                Ok(py.import("json")?.getattr("loads")?.unbind())
            })?;
            loads.bind(py).call1((text.as_str(),))
        }
    }
}

/// The common base class of every event class.
#[pyclass(subclass, frozen, module = "primevox_webhooks")]
pub struct Event {
    /// The core event. Its `'static` is a promise kept by `_body`: strings that needed no decoding
    /// borrow from the request body (no copy), which `_body` keeps alive and unmoved. Declared
    /// first so it is dropped first.
    inner: core::Event<'static>,
    _body: Option<Body>,
}

impl Event {
    fn field<'py>(&self, py: Python<'py>, f: Field) -> Option<Bound<'py, PyString>> {
        self.inner.get(f).map(|s| PyString::new(py, s))
    }

    fn extra_pairs<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Vec<(Bound<'py, PyString>, Bound<'py, PyAny>)>> {
        self.inner
            .extra()
            .iter()
            .map(|(name, value)| Ok((PyString::new(py, name), extra_value(py, value)?)))
            .collect()
    }
}

#[pymethods]
impl Event {
    /// The stable kind string, for example ``"call.inbound"``.
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        interned(py).kinds[kind_index(self.inner.kind())]
            .bind(py)
            .clone()
    }

    /// The wire ``eventType``, verbatim.
    #[getter]
    fn event_type<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, self.inner.event_type())
    }

    /// The fields this kind does not recognise, in the order received: ``(name, value)`` pairs.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let pairs = self.extra_pairs(py)?;
        PyTuple::new(py, pairs)
    }

    /// A plain dict with snake_case keys: kind, event_type, the kind's fields, extra.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let names = interned(py);
        let d = PyDict::new(py);
        d.set_item(names.kind_key.bind(py), self.kind(py))?;
        d.set_item(names.event_type_key.bind(py), self.event_type(py))?;
        for (f, v) in self.inner.fields() {
            d.set_item(names.snake[f.index()].bind(py), v)?;
        }
        let extra = PyList::empty(py);
        for (name, value) in self.extra_pairs(py)? {
            extra.append(PyList::new(py, [name.into_any(), value])?)?;
        }
        d.set_item(names.extra_key.bind(py), extra)?;
        Ok(d)
    }

    /// The canonical JSON text (camelCase keys), byte-identical to the core's.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The event back in the vendor's wire format: ``(content_type, body)``.
    fn encode(&self) -> (&'static str, String) {
        let encoded = self.inner.encode();
        (encoded.content_type, encoded.body)
    }

    /// The caller's number as sent (callerIdNum for calls, fromNumber for messages).
    fn caller_number(&self) -> Option<&str> {
        self.inner.caller_number()
    }

    /// The caller's number as E.164 (``+1NXXNXXXXXX``) when it is North American or already E.164.
    fn caller_e164(&self) -> Option<String> {
        self.inner.caller_e164()
    }

    /// A key that is stable across retries of one delivery, the same in every language.
    fn dedup_key(&self) -> String {
        self.inner.dedup_key()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = other.py();
        match other.cast::<Event>() {
            Ok(o) => Ok(pyo3::types::PyBool::new(py, self.inner == o.get().inner)
                .to_owned()
                .into_any()
                .unbind()),
            Err(_) => Ok(py.NotImplemented()),
        }
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = other.py();
        match other.cast::<Event>() {
            Ok(o) => Ok(pyo3::types::PyBool::new(py, self.inner != o.get().inner)
                .to_owned()
                .into_any()
                .unbind()),
            Err(_) => Ok(py.NotImplemented()),
        }
    }

    fn __hash__(&self) -> u64 {
        // Keyed randomly once per process, like Python's own str hashes: payloads cannot be
        // crafted to collide in a set or dict of events.
        static STATE: OnceLock<RandomState> = OnceLock::new();
        STATE.get_or_init(RandomState::new).hash_one(&self.inner)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let py = slf.py();
        let this = slf.get();
        let name = slf.get_type().name()?;
        let mut out = format!(
            "{name}(event_type={}",
            PyString::new(py, this.inner.event_type()).repr()?
        );
        for (f, v) in this.inner.fields() {
            if let Some(v) = v {
                out.push_str(&format!(
                    ", {}={}",
                    f.snake_name(),
                    PyString::new(py, v).repr()?
                ));
            }
        }
        if !this.inner.extra().is_empty() {
            out.push_str(&format!(", extra={}", this.extra(py)?.repr()?));
        }
        out.push(')');
        Ok(out)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let from_json = FROM_JSON.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py
                .import("primevox_webhooks._native")?
                .getattr("from_json")?
                .unbind())
        })?;
        Ok((from_json.bind(py).clone(), (self.inner.to_json(),)))
    }

    fn __copy__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    #[pyo3(signature = (memo, /))]
    fn __deepcopy__<'py>(slf: Bound<'py, Self>, memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        let _ = memo;
        slf
    }
}

fn match_args(py: Python<'_>, kind: Kind) -> PyResult<Py<PyTuple>> {
    let names = kind
        .fields()
        .iter()
        .map(|f| PyString::intern(py, f.snake_name()));
    Ok(PyTuple::new(py, names)?.unbind())
}

/// Declares one Python class per kind, with a getter per field of that kind. The lists here are
/// checked against the core's `Kind::fields()` / `Kind::class_name()` when the module loads.
macro_rules! kind_classes {
    ($( $cls:ident = $kind:ident { $( $getter:ident => $field:ident ),* } )*) => {
        $(
            #[pyclass(extends = Event, frozen, module = "primevox_webhooks")]
            pub struct $cls;

            #[pymethods]
            impl $cls {
                #[classattr]
                fn __match_args__(py: Python<'_>) -> PyResult<Py<PyTuple>> {
                    match_args(py, Kind::$kind)
                }
                $(
                    #[getter]
                    fn $getter<'py>(slf: &Bound<'py, Self>) -> Option<Bound<'py, PyString>> {
                        slf.as_super().get().field(slf.py(), Field::$field)
                    }
                )*
            }
        )*

        /// Wraps a core event; `body` owns the bytes `inner` may borrow from (see [`Event`]).
        fn new_event<'py>(
            py: Python<'py>,
            inner: core::Event<'static>,
            body: Option<Body>,
        ) -> PyResult<Bound<'py, PyAny>> {
            let kind = inner.kind();
            let base = PyClassInitializer::from(Event { inner, _body: body });
            Ok(match kind {
                $( Kind::$kind => Bound::new(py, base.add_subclass($cls))?.into_any(), )*
            })
        }

        /// (class name, kind, getters) as declared above.
        const DECLARED: &[(&str, Kind, &[Field])] = &[
            $( (stringify!($cls), Kind::$kind, &[ $( Field::$field ),* ]), )*
        ];

        fn add_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $( m.add_class::<$cls>()?; )*
            Ok(())
        }
    };
}

kind_classes! {
    InboundMessage = InboundMessage {
        container_id => ContainerId, tenant_id => TenantId, conversation_id => ConversationId,
        to_number => ToNumber, from_number => FromNumber, message_text => MessageText
    }
    OutboundMessage = OutboundMessage {
        container_id => ContainerId, tenant_id => TenantId, conversation_id => ConversationId,
        to_number => ToNumber, from_number => FromNumber, message_text => MessageText
    }
    InboundCall = InboundCall {
        container_id => ContainerId, tenant_id => TenantId, did_number => DidNumber,
        did_description => DidDescription, did_group => DidGroup, cid_prefix => CidPrefix,
        call_uuid => CallUuid, caller_id_num => CallerIdNum, caller_id_name => CallerIdName
    }
    CallHangup = CallHangup {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, caller_id_name => CallerIdName,
        extension_number => ExtensionNumber, extension_name => ExtensionName
    }
    ExtensionRinging = ExtensionRinging {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, extension_number => ExtensionNumber,
        extension_name => ExtensionName
    }
    ExtensionAnswered = ExtensionAnswered {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, caller_id_name => CallerIdName,
        extension_number => ExtensionNumber, extension_name => ExtensionName
    }
    ExtensionHangup = ExtensionHangup {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, caller_id_name => CallerIdName,
        extension_number => ExtensionNumber, extension_name => ExtensionName
    }
    VoicemailLeft = VoicemailLeft {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, caller_id_name => CallerIdName,
        extension_number => ExtensionNumber, extension_name => ExtensionName
    }
    OutboundCall = OutboundCall {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        extension_number => ExtensionNumber, extension_name => ExtensionName,
        number_dialed => NumberDialed
    }
    RingGroupEntered = RingGroupEntered {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, ring_group_number => RingGroupNumber
    }
    QueueEntered = QueueEntered {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, queue_number => QueueNumber
    }
    UnknownEvent = Unknown {}
}

/// Fails the import if the classes declared here drift from the core's model.
fn check_declared() -> PyResult<()> {
    if DECLARED.len() != Kind::ALL.len() {
        return Err(PyImportError::new_err(
            "primevox_webhooks: kind classes out of date",
        ));
    }
    for (kind, (name, declared_kind, fields)) in Kind::ALL.iter().zip(DECLARED) {
        if kind != declared_kind || kind.class_name() != *name || kind.fields() != *fields {
            return Err(PyImportError::new_err(format!(
                "primevox_webhooks: class {name} does not match the core's kind {}",
                kind.as_str()
            )));
        }
    }
    Ok(())
}

/// A request body kept alive while events borrow from it. Its bytes never move or change while
/// it exists: a `PyBackedBytes` holds an immutable `bytes` object (or, for a `bytearray`, its own
/// copy), and a `PyBackedStr` keeps its UTF-8 buffer alive.
pub enum Body {
    Bytes(PyBackedBytes),
    Str(PyBackedStr),
}

impl Body {
    fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Bytes(b) => b,
            Body::Str(s) => s.as_bytes(),
        }
    }
}

fn body_from(obj: &Bound<'_, PyAny>) -> PyResult<Body> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Body::Bytes(PyBackedBytes::from(b.clone())));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Body::Str(obj.extract::<PyBackedStr>()?));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Body::Bytes(PyBackedBytes::from(b.clone()))); // mutable: copied
    }
    if obj.is_instance_of::<PyMemoryView>() {
        let bytes = obj.call_method0("tobytes")?.cast_into::<PyBytes>()?;
        return Ok(Body::Bytes(PyBackedBytes::from(bytes)));
    }
    Err(PyTypeError::new_err(format!(
        "body must be bytes, bytearray, memoryview or str, not {}",
        obj.get_type().name()?
    )))
}

/// Parses `body`, returning an event that borrows from it, together with the body.
fn parse_body(
    body: Body,
    content_type: Option<&str>,
    options: &ParseOptions,
) -> Result<(core::Event<'static>, Body), core::ParseError> {
    let bytes: &[u8] = body.as_bytes();
    // SAFETY: the bytes live in a buffer `body` owns and that never moves or changes while
    // `body` exists (see `Body`); the event is stored next to `body` in `Event`, is dropped
    // before it, and never hands out a borrow that outlives the `Event`.
    let bytes: &'static [u8] = unsafe { std::slice::from_raw_parts(bytes.as_ptr(), bytes.len()) };
    let event = core::parse_with(bytes, content_type, options)?;
    Ok((event, body))
}

fn options(strict: bool, max_body_bytes: usize, max_depth: usize) -> ParseOptions {
    ParseOptions {
        strict,
        max_body_bytes,
        max_depth,
    }
}

/// Parse the raw body of a PrimeVOX webhook POST into one event.
#[pyfunction]
#[pyo3(signature = (body, content_type = None, *, strict = false, max_body_bytes = 65536, max_depth = 32))]
fn parse<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    content_type: Option<PyBackedStr>,
    strict: bool,
    max_body_bytes: usize,
    max_depth: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let body = body_from(body)?;
    let opts = options(strict, max_body_bytes, max_depth);
    match parse_body(body, content_type.as_deref(), &opts) {
        Ok((event, body)) => new_event(py, event, Some(body)),
        Err(e) => Err(parse_error(py, &e)),
    }
}

/// A Content-Type per item, converted once per distinct value (batches repeat a few). The objects
/// are held, so an identity match can never be a new object at a freed one's address. Equal
/// strings that are different objects (one per line read) are found through a dict (their hash
/// is cached in the string), not by comparing against each value seen.
struct ContentTypes<'py> {
    seen: Vec<(Bound<'py, PyAny>, PyBackedStr)>,
    by_value: Bound<'py, PyDict>,
}

impl<'py> ContentTypes<'py> {
    fn new(py: Python<'py>) -> Self {
        ContentTypes {
            seen: Vec::new(),
            by_value: PyDict::new(py),
        }
    }

    fn index(&mut self, obj: Bound<'py, PyAny>) -> PyResult<Option<usize>> {
        if obj.is_none() {
            return Ok(None);
        }
        if let Some(i) = self.seen.iter().rev().take(4).position(|(o, _)| o.is(&obj)) {
            return Ok(Some(self.seen.len() - 1 - i));
        }
        let exact_str = obj.is_exact_instance_of::<PyString>();
        if exact_str {
            if let Some(i) = self.by_value.get_item(&obj)? {
                return Ok(Some(i.extract()?));
            }
        }
        let text = obj.extract::<PyBackedStr>()?;
        if exact_str {
            self.by_value.set_item(&obj, self.seen.len())?;
        }
        self.seen.push((obj, text));
        Ok(Some(self.seen.len() - 1))
    }
}

fn is_body(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.is_instance_of::<PyMemoryView>()
}

/// Items per unit of work in a large batch: workers parse chunks while this thread, holding the
/// GIL, wraps the chunks already parsed (parsing and wrapping overlap).
const CHUNK: usize = 256;
/// Below this many bytes a batch is parsed on this thread: a second thread costs more than it saves.
const MIN_BYTES_PER_THREAD: usize = 32 * 1024;

type Parsed = Vec<Result<core::Event<'static>, core::ParseError>>;

/// Wraps one chunk of results, in order, appending them to `out`; `bodies[first..]` are theirs.
fn wrap_chunk(
    py: Python<'_>,
    out: &Bound<'_, PyList>,
    results: Parsed,
    bodies: &mut [Option<Body>],
) -> PyResult<()> {
    for (result, body) in results.into_iter().zip(bodies.iter_mut()) {
        match result {
            Ok(event) => out.append(new_event(py, event, body.take())?)?,
            Err(e) => out.append(parse_error(py, &e).into_value(py))?,
        }
    }
    Ok(())
}

/// Reads one item: `(body, content_type)` or a bare body.
fn batch_item<'py>(
    item: &Bound<'py, PyAny>,
    content_types: &mut ContentTypes<'py>,
) -> PyResult<(Body, Option<usize>)> {
    if let Ok(t) = item.cast::<PyTuple>() {
        if t.len() == 2 {
            let body = body_from(&t.get_item(0)?)?;
            return Ok((body, content_types.index(t.get_item(1)?)?));
        }
    } else if is_body(item) {
        return Ok((body_from(item)?, None));
    }
    let (body, ct): (Bound<'py, PyAny>, Bound<'py, PyAny>) = item.extract().map_err(|_| {
        PyTypeError::new_err("parse_many items must be (body, content_type) pairs or bodies")
    })?;
    Ok((body_from(&body)?, content_types.index(ct)?))
}

/// Parse many bodies at once: one event or ``ParseError`` per item, in order (nothing raised for
/// a bad payload). Each item is ``(body, content_type)`` or a bare body. The GIL is released while
/// the core parses; large batches are parsed on worker threads (one per core) while this thread
/// wraps the results already parsed.
#[pyfunction]
#[pyo3(signature = (items, *, strict = false, max_body_bytes = 65536, max_depth = 32))]
fn parse_many<'py>(
    py: Python<'py>,
    items: &Bound<'py, PyAny>,
    strict: bool,
    max_body_bytes: usize,
    max_depth: usize,
) -> PyResult<Bound<'py, PyList>> {
    let hint = items.len().unwrap_or(0);
    let mut bodies: Vec<Option<Body>> = Vec::with_capacity(hint);
    let mut cts: Vec<Option<usize>> = Vec::with_capacity(hint);
    let mut content_types = ContentTypes::new(py);
    for item in items.try_iter()? {
        let (body, ct) = batch_item(&item?, &mut content_types)?;
        bodies.push(Some(body));
        cts.push(ct);
    }
    let mut total = 0usize;
    let batch: Vec<core::BatchItem<'static>> = bodies
        .iter()
        .zip(&cts)
        .map(|(body, ct)| {
            let bytes = body.as_ref().map_or(&[][..], Body::as_bytes);
            total += bytes.len();
            let ct: Option<&str> = ct.map(|i| &*content_types.seen[i].1);
            // SAFETY: `bodies` and `content_types` own these buffers, which never move or change
            // (see `Body`; a `PyBackedStr` keeps its UTF-8 buffer alive); a `Body` taken out of
            // `bodies` moves into the event that borrows from it, which keeps it alive. Both
            // outlive `batch`, and events never borrow from the Content-Type.
            unsafe {
                (
                    std::slice::from_raw_parts(bytes.as_ptr(), bytes.len()),
                    ct.map(|c| &*(c as *const str)),
                )
            }
        })
        .collect();
    let opts = options(strict, max_body_bytes, max_depth);
    let out = PyList::empty(py);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cores
        .min(total / MIN_BYTES_PER_THREAD)
        .min(batch.len().div_ceil(CHUNK));
    if workers <= 1 {
        let results = py.detach(|| core::parse_many(&batch, &opts));
        wrap_chunk(py, &out, results, &mut bodies)?;
        return Ok(out);
    }
    let chunks: Vec<&[core::BatchItem<'static>]> = batch.chunks(CHUNK).collect();
    let chunks: &[&[core::BatchItem<'static>]] = &chunks;
    let shared = out.clone().unbind();
    let next = AtomicUsize::new(0);
    let outcome = py.detach(|| {
        let parse_chunk = |i: usize| -> std::thread::Result<Parsed> {
            catch_unwind(AssertUnwindSafe(|| {
                chunks[i]
                    .iter()
                    .map(|(b, ct)| core::parse_with(b, *ct, &opts))
                    .collect::<Parsed>()
            }))
        };
        let (tx, rx) = mpsc::channel::<(usize, std::thread::Result<Parsed>)>();
        std::thread::scope(|s| {
            // This thread is one of the `workers`: it parses too whenever the next chunk to
            // wrap is not ready yet.
            for _ in 1..workers {
                let tx = tx.clone();
                let (next, parse_chunk) = (&next, &parse_chunk);
                s.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= chunks.len() || tx.send((i, parse_chunk(i))).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            let stop = || next.store(chunks.len(), Ordering::Relaxed);
            let mut ready: Vec<Option<Parsed>> = (0..chunks.len()).map(|_| None).collect();
            let mut done = 0;
            while done < chunks.len() {
                let mut arrived = rx.try_recv().ok();
                if arrived.is_none() && ready[done].is_none() {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    arrived = if i < chunks.len() {
                        Some((i, parse_chunk(i)))
                    } else {
                        let Ok(m) = rx.recv() else {
                            return Ok(Err(PyRuntimeError::new_err(
                                "parse_many: a worker thread stopped early",
                            )));
                        };
                        Some(m)
                    };
                }
                if let Some((i, parsed)) = arrived {
                    match parsed {
                        Ok(v) => ready[i] = Some(v),
                        Err(panic) => {
                            stop();
                            return Err(panic);
                        }
                    }
                }
                // Wrap the chunks ready in order, holding the GIL only for that.
                while let Some(v) = ready.get_mut(done).and_then(Option::take) {
                    let first = done * CHUNK;
                    let wrapped = Python::attach(|py| {
                        wrap_chunk(py, shared.bind(py), v, &mut bodies[first..])
                    });
                    if let Err(e) = wrapped {
                        stop();
                        return Ok(Err(e));
                    }
                    done += 1;
                }
            }
            Ok(Ok(()))
        })
    });
    match outcome {
        Ok(result) => result.map(|()| out),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Whether ``presented`` equals ``expected`` (or one of several, for rotation), compared in
/// constant time by the core. ``None`` and empty expected tokens never match.
#[pyfunction]
fn verify_token(presented: Option<PyBackedStr>, expected: &Bound<'_, PyAny>) -> PyResult<bool> {
    let expected: Vec<PyBackedStr> = if expected.is_instance_of::<PyString>() {
        vec![expected.extract()?]
    } else {
        let mut list = Vec::new();
        for t in expected
            .try_iter()
            .map_err(|_| PyTypeError::new_err("expected must be a str or an iterable of str"))?
        {
            list.push(t?.extract::<PyBackedStr>().map_err(|_| {
                PyTypeError::new_err("expected must be a str or an iterable of str")
            })?);
        }
        list
    };
    Ok(match presented {
        Some(p) => core::verify_token(&p, &expected),
        None => false,
    })
}

/// The first value of ``name`` in a URL query string (``a=1&token=x``), form-decoded; ``None``
/// when absent.
#[pyfunction]
fn query_param(query: &str, name: &str) -> Option<String> {
    core::security::query_param(query, name)
}

/// CIDR ranges (``"203.0.113.0/24"``, ``"2001:db8::/32"``, or single addresses) of allowed peer
/// addresses. ``ValueError`` names the first entry that is not an address or range.
#[pyclass(frozen, module = "primevox_webhooks")]
pub struct AllowList {
    inner: core::AllowList,
    ranges: Vec<String>,
}

#[pymethods]
impl AllowList {
    #[new]
    fn new(ranges: &Bound<'_, PyAny>) -> PyResult<Self> {
        if ranges.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "ranges must be a list of CIDR ranges, not one str",
            ));
        }
        let mut list = Vec::new();
        for r in ranges.try_iter()? {
            list.push(r?.extract::<String>()?);
        }
        let inner = core::AllowList::parse(&list).map_err(PyValueError::new_err)?;
        Ok(AllowList {
            inner,
            ranges: list,
        })
    }

    /// Whether the peer address (with or without a port; IPv4-mapped IPv6 counts as IPv4) is in
    /// one of the ranges. ``None`` or an unparseable address is not.
    fn contains(&self, addr: Option<&str>) -> bool {
        addr.is_some_and(|a| self.inner.contains_str(a))
    }

    fn __contains__(&self, addr: Option<&str>) -> bool {
        self.contains(addr)
    }

    fn __repr__(&self) -> String {
        format!("AllowList({:?})", self.ranges)
    }
}

/// For tests only: a panic inside the extension, which must reach Python as an exception.
#[pyfunction]
fn _panic_for_tests() {
    panic!("deliberate panic for tests");
}

/// Rebuild an event from its canonical JSON (the output of ``to_json()``).
#[pyfunction]
fn from_json<'py>(py: Python<'py>, canonical: PyBackedStr) -> PyResult<Bound<'py, PyAny>> {
    match core::from_json(&canonical) {
        Ok(event) => new_event(py, event, None),
        Err(e) => Err(parse_error(py, &e)),
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    check_declared()?;
    m.add_class::<Event>()?;
    add_classes(m)?;
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(parse_many, m)?)?;
    m.add_function(wrap_pyfunction!(from_json, m)?)?;
    m.add_function(wrap_pyfunction!(verify_token, m)?)?;
    m.add_function(wrap_pyfunction!(query_param, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_class::<AllowList>()?;
    calls::register(m)?;
    let codes = core::ErrorCode::ALL.iter().map(|c| c.as_str());
    m.add("ERROR_CODES", PyTuple::new(py, codes)?)?;
    let kinds = Kind::ALL.iter().map(|k| k.as_str());
    m.add("KINDS", PyTuple::new(py, kinds)?)?;
    Ok(())
}
