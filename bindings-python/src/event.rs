//! `Event`, the base class of every event class: it wraps a core event that borrows from the
//! request body it keeps alive; attributes are built on access straight from the core event
//! (interned names, no JSON round trip).

use std::hash::{BuildHasher, RandomState};
use std::sync::OnceLock;

use primevox_webhooks::{self as core, ExtraValue, Field, Kind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::body::Body;
use crate::text::py_str;

/// Python strings created once per interpreter: kind strings, field names, dict keys.
struct Interned {
    kinds: Vec<Py<PyString>>,
    /// Per kind (as `kinds`), its documented wire `eventType`, which nearly every event has.
    wire_event_types: Vec<Option<Py<PyString>>>,
    snake: Vec<Py<PyString>>,
    kind_key: Py<PyString>,
    event_type_key: Py<PyString>,
    extra_key: Py<PyString>,
}

static INTERNED: PyOnceLock<Interned> = PyOnceLock::new();
static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static FROM_JSON: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn interned(py: Python<'_>) -> &Interned {
    INTERNED.get_or_init(py, || Interned {
        kinds: Kind::ALL
            .iter()
            .map(|k| PyString::intern(py, k.as_str()).unbind())
            .collect(),
        wire_event_types: Kind::ALL
            .iter()
            .map(|k| {
                k.wire_event_type()
                    .map(|t| PyString::intern(py, t).unbind())
            })
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

fn extra_value<'py>(py: Python<'py>, v: &ExtraValue<'_>) -> PyResult<Bound<'py, PyAny>> {
    match v {
        ExtraValue::Text(s) => Ok(py_str(py, s).into_any()),
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
    pub(crate) inner: core::Event<'static>,
    pub(crate) _body: Option<Body>,
}

impl Event {
    pub(crate) fn field<'py>(&self, py: Python<'py>, f: Field) -> Option<Bound<'py, PyString>> {
        self.inner.get(f).map(|s| py_str(py, s))
    }

    fn extra_pairs<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Vec<(Bound<'py, PyString>, Bound<'py, PyAny>)>> {
        self.inner
            .extra()
            .iter()
            .map(|(name, value)| Ok((py_str(py, name), extra_value(py, value)?)))
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
        let event_type = self.inner.event_type();
        let kind = self.inner.kind();
        if kind.wire_event_type() == Some(event_type) {
            if let Some(s) = &interned(py).wire_event_types[kind_index(kind)] {
                return s.bind(py).clone();
            }
        }
        PyString::new(py, event_type)
    }

    /// The fields this kind does not recognise, in the order received: ``(name, value)`` pairs.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        if self.inner.extra().is_empty() {
            return Ok(PyTuple::empty(py));
        }
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

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Event>()
}
