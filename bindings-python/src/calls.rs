//! `Call`, `CallTracker` and the call record (`CallSummary` and its parts): thin wrappers over
//! `primevox_webhooks::calls`. Every rule lives in the core; this file converts types.

use primevox_webhooks::calls::{
    self as core_calls, Call as CoreCall, CallError as CoreCallError, CallTracker as CoreTracker,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyString, PyTuple};

use crate::event::Event;

static CALL_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Builds the Python `CallError` (a `ValueError` defined in `primevox_webhooks._error`).
fn call_error(py: Python<'_>, e: &CoreCallError) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = CALL_ERROR.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py
                .import("primevox_webhooks._error")?
                .getattr("CallError")?
                .unbind())
        })?;
        let code = PyString::intern(py, e.code().as_str());
        Ok(PyErr::from_value(cls.bind(py).call1((e.message(), code))?))
    };
    build().unwrap_or_else(|err| err)
}

/// An extension and when: ``placed_by``, ``voicemail``, ``answered_by``.
#[pyclass(frozen, eq, hash, get_all, module = "primevox_webhooks")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Party {
    extension_number: Option<String>,
    extension_name: Option<String>,
    at: u64,
}

/// A queue the caller entered, at its first delivery.
#[pyclass(frozen, eq, hash, get_all, module = "primevox_webhooks")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct QueueVisit {
    queue_number: String,
    at: u64,
}

/// A ring group the caller entered, at its first delivery.
#[pyclass(frozen, eq, hash, get_all, module = "primevox_webhooks")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RingGroupVisit {
    ring_group_number: String,
    at: u64,
}

/// An extension that rang, at its first delivery, with the first name given for it.
#[pyclass(frozen, eq, hash, get_all, module = "primevox_webhooks")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ExtensionRung {
    extension_number: String,
    extension_name: Option<String>,
    at: u64,
}

#[pymethods]
impl Party {
    fn __repr__(&self) -> String {
        format!(
            "Party(extension_number={:?}, extension_name={:?}, at={})",
            self.extension_number, self.extension_name, self.at
        )
    }
}

#[pymethods]
impl QueueVisit {
    fn __repr__(&self) -> String {
        format!(
            "QueueVisit(queue_number={:?}, at={})",
            self.queue_number, self.at
        )
    }
}

#[pymethods]
impl RingGroupVisit {
    fn __repr__(&self) -> String {
        format!(
            "RingGroupVisit(ring_group_number={:?}, at={})",
            self.ring_group_number, self.at
        )
    }
}

#[pymethods]
impl ExtensionRung {
    fn __repr__(&self) -> String {
        format!(
            "ExtensionRung(extension_number={:?}, extension_name={:?}, at={})",
            self.extension_number, self.extension_name, self.at
        )
    }
}

fn party(p: &Option<core_calls::Party>) -> Option<Party> {
    p.as_ref().map(|p| Party {
        extension_number: p.extension_number.clone(),
        extension_name: p.extension_name.clone(),
        at: p.at,
    })
}

/// The call record: immutable, snake_case attributes; ``to_json()`` gives the camelCase JSON.
#[pyclass(frozen, eq, hash, module = "primevox_webhooks")]
#[derive(PartialEq, Eq, Hash)]
pub struct CallSummary {
    inner: core_calls::CallSummary,
}

#[pymethods]
impl CallSummary {
    #[getter]
    fn call_uuid(&self) -> Option<&str> {
        self.inner.call_uuid.as_deref()
    }

    #[getter]
    fn container_id(&self) -> Option<&str> {
        self.inner.container_id.as_deref()
    }

    #[getter]
    fn tenant_id(&self) -> Option<&str> {
        self.inner.tenant_id.as_deref()
    }

    #[getter]
    fn caller_id_num(&self) -> Option<&str> {
        self.inner.caller_id_num.as_deref()
    }

    #[getter]
    fn caller_id_name(&self) -> Option<&str> {
        self.inner.caller_id_name.as_deref()
    }

    #[getter]
    fn did_number(&self) -> Option<&str> {
        self.inner.did_number.as_deref()
    }

    #[getter]
    fn did_description(&self) -> Option<&str> {
        self.inner.did_description.as_deref()
    }

    #[getter]
    fn did_group(&self) -> Option<&str> {
        self.inner.did_group.as_deref()
    }

    #[getter]
    fn cid_prefix(&self) -> Option<&str> {
        self.inner.cid_prefix.as_deref()
    }

    #[getter]
    fn number_dialed(&self) -> Option<&str> {
        self.inner.number_dialed.as_deref()
    }

    /// ``"inbound"`` or ``"outbound"``.
    #[getter]
    fn direction<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::intern(py, self.inner.direction.as_str())
    }

    /// ``"placed"``, ``"answered"``, ``"voicemail"``, ``"missed"`` or ``"in_progress"``.
    #[getter]
    fn outcome<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::intern(py, self.inner.outcome.as_str())
    }

    #[getter]
    fn ended(&self) -> bool {
        self.inner.ended
    }

    #[getter]
    fn ended_at(&self) -> Option<u64> {
        self.inner.ended_at
    }

    #[getter]
    fn placed_by(&self) -> Option<Party> {
        party(&self.inner.placed_by)
    }

    #[getter]
    fn voicemail(&self) -> Option<Party> {
        party(&self.inner.voicemail)
    }

    #[getter]
    fn answered_by(&self) -> Option<Party> {
        party(&self.inner.answered_by)
    }

    #[getter]
    fn queues<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let items = self.inner.queues.iter().map(|q| QueueVisit {
            queue_number: q.queue_number.clone(),
            at: q.at,
        });
        PyTuple::new(py, items)
    }

    #[getter]
    fn ring_groups<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let items = self.inner.ring_groups.iter().map(|r| RingGroupVisit {
            ring_group_number: r.ring_group_number.clone(),
            at: r.at,
        });
        PyTuple::new(py, items)
    }

    #[getter]
    fn extensions_rung<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let items = self.inner.extensions_rung.iter().map(|e| ExtensionRung {
            extension_number: e.extension_number.clone(),
            extension_name: e.extension_name.clone(),
            at: e.at,
        });
        PyTuple::new(py, items)
    }

    #[getter]
    fn first_seen_at(&self) -> Option<u64> {
        self.inner.first_seen_at
    }

    #[getter]
    fn last_seen_at(&self) -> Option<u64> {
        self.inner.last_seen_at
    }

    #[getter]
    fn deliveries(&self) -> usize {
        self.inner.deliveries
    }

    /// The record as JSON with the camelCase keys (the same text in every language).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    fn __repr__(&self) -> String {
        format!(
            "CallSummary(call_uuid={:?}, direction={:?}, outcome={:?}, ended={}, deliveries={})",
            self.inner.call_uuid,
            self.inner.direction.as_str(),
            self.inner.outcome.as_str(),
            if self.inner.ended { "True" } else { "False" },
            self.inner.deliveries
        )
    }
}

fn summary(s: core_calls::CallSummary) -> CallSummary {
    CallSummary { inner: s }
}

/// The deliveries of one call and the record derived from them.
#[pyclass(module = "primevox_webhooks", name = "Call")]
#[derive(Clone, Default)]
pub struct Call {
    pub(crate) inner: CoreCall,
}

#[pymethods]
impl Call {
    #[new]
    fn new() -> Self {
        Call::default()
    }

    /// Adds a delivery received at ``at_ms`` (ms since the epoch); ``True`` when it is new,
    /// ``False`` for a retry. Raises ``CallError`` (nothing changed) otherwise.
    fn add(&mut self, py: Python<'_>, event: PyRef<'_, Event>, at_ms: u64) -> PyResult<bool> {
        self.inner
            .add(&event.inner, at_ms)
            .map_err(|e| call_error(py, &e))
    }

    /// Adds every delivery of ``other`` (a call of the same ``call_uuid``).
    fn merge(&mut self, py: Python<'_>, other: PyRef<'_, Call>) -> PyResult<()> {
        // Cloned first: merging a call into itself borrows it twice otherwise.
        let other = other.inner.clone();
        self.inner.merge(&other).map_err(|e| call_error(py, &e))
    }

    /// The call record.
    fn summary(&self) -> CallSummary {
        summary(self.inner.summary())
    }

    /// The call record as JSON, camelCase keys.
    fn summary_json(&self) -> String {
        self.inner.summary_json()
    }

    /// The whole state as JSON; ``Call.from_json`` reads it back.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Reads a state written by ``to_json`` (``CallError`` ``invalid_state`` otherwise).
    #[staticmethod]
    fn from_json(py: Python<'_>, state: &str) -> PyResult<Call> {
        CoreCall::from_json(state)
            .map(|inner| Call { inner })
            .map_err(|e| call_error(py, &e))
    }

    /// The lowercased ``callUuid``, ``None`` before the first delivery.
    #[getter]
    fn call_uuid(&self) -> Option<&str> {
        self.inner.call_uuid()
    }

    /// Whether the call has ended.
    #[getter]
    fn ended(&self) -> bool {
        self.inner.is_ended()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = other.py();
        match other.cast::<Call>() {
            Ok(o) => {
                let same = self.inner == o.borrow().inner;
                Ok(pyo3::types::PyBool::new(py, same)
                    .to_owned()
                    .into_any()
                    .unbind())
            }
            Err(_) => Ok(py.NotImplemented()),
        }
    }

    fn __copy__(&self) -> Call {
        self.clone()
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Call {
        self.clone()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let from_json = slf.get_type().getattr("from_json")?;
        let state = slf.borrow().inner.to_json();
        PyTuple::new(py, [from_json, PyTuple::new(py, [state])?.into_any()])
    }

    fn __repr__(&self) -> String {
        format!(
            "Call(call_uuid={:?}, deliveries={})",
            self.inner.call_uuid(),
            self.inner.len()
        )
    }
}

/// Many calls keyed by the lowercased ``callUuid``; see ``primevox_webhooks.CallTracker``.
#[pyclass(module = "primevox_webhooks._native", name = "_CallTracker")]
pub struct CallTracker {
    inner: CoreTracker,
}

fn calls_list<'py>(py: Python<'py>, calls: Vec<CoreCall>) -> PyResult<Bound<'py, PyList>> {
    let items = calls
        .into_iter()
        .map(|inner| Bound::new(py, Call { inner }))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

#[pymethods]
impl CallTracker {
    #[new]
    #[pyo3(signature = (max_calls=None))]
    fn new(max_calls: Option<usize>) -> PyResult<Self> {
        let mut inner = CoreTracker::new();
        if let Some(n) = max_calls {
            if n == 0 {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "max_calls must be at least 1",
                ));
            }
            inner = inner.with_max_calls(n);
        }
        Ok(CallTracker { inner })
    }

    /// ``(record, ended, new, evicted)``: the wrapper in ``_calls.py`` names them.
    fn add<'py>(
        &mut self,
        py: Python<'py>,
        event: PyRef<'_, Event>,
        at_ms: u64,
    ) -> PyResult<(CallSummary, bool, bool, Bound<'py, PyList>)> {
        let t = self
            .inner
            .add(&event.inner, at_ms)
            .map_err(|e| call_error(py, &e))?;
        Ok((
            summary(t.record),
            t.ended,
            t.new,
            calls_list(py, t.evicted)?,
        ))
    }

    fn expire<'py>(
        &mut self,
        py: Python<'py>,
        now_ms: u64,
        idle_ms: u64,
    ) -> PyResult<Bound<'py, PyList>> {
        calls_list(py, self.inner.expire(now_ms, idle_ms))
    }

    fn get(&self, call_uuid: &str) -> Option<Call> {
        self.inner.get(call_uuid).map(|c| Call { inner: c.clone() })
    }

    fn remove(&mut self, call_uuid: &str) -> Option<Call> {
        self.inner.remove(call_uuid).map(|inner| Call { inner })
    }

    fn drain<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        calls_list(py, self.inner.drain())
    }

    #[getter]
    fn max_calls(&self) -> Option<usize> {
        self.inner.max_calls()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Registers the call classes on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Call>()?;
    m.add_class::<CallSummary>()?;
    m.add_class::<Party>()?;
    m.add_class::<QueueVisit>()?;
    m.add_class::<RingGroupVisit>()?;
    m.add_class::<ExtensionRung>()?;
    m.add_class::<CallTracker>()?;
    let codes = core_calls::CallErrorCode::ALL.iter().map(|c| c.as_str());
    m.add("CALL_ERROR_CODES", PyTuple::new(m.py(), codes)?)?;
    Ok(())
}
