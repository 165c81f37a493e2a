//! The core's receiver policy for the Python framework adapters (FastAPI, Starlette, Flask,
//! Django): options validated once, the checks before the body, decoding and parsing, and the
//! answers with their codes, statuses and messages. The adapters only move bytes.

use std::borrow::Cow;

use primevox_webhooks::receiver::{self as policy, Check, Request};
use primevox_webhooks::{ErrorCode, Refusal};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

use crate::body::{body_from, parse_body};
use crate::kinds::new_event;

/// The receiver options (a JSON object, snake_case or camelCase keys), validated once.
#[pyclass(frozen, module = "primevox_webhooks")]
pub struct Receiver {
    inner: policy::Receiver,
}

/// An HTTP answer: ``status``, the JSON ``body`` to send as is, ``headers`` it must carry
/// (besides Content-Type ``CONTENT_TYPE``), and ``close`` when the body was left unread.
#[pyclass(frozen, module = "primevox_webhooks", name = "Answer")]
pub struct PyAnswer {
    #[pyo3(get)]
    status: u16,
    #[pyo3(get)]
    code: Option<&'static str>,
    #[pyo3(get)]
    field: Option<String>,
    #[pyo3(get)]
    message: String,
    #[pyo3(get)]
    headers: Vec<(&'static str, &'static str)>,
    #[pyo3(get)]
    close: bool,
    #[pyo3(get)]
    body: String,
}

impl From<policy::Answer> for PyAnswer {
    fn from(a: policy::Answer) -> Self {
        PyAnswer {
            body: a.body(),
            status: a.status,
            code: a.code,
            field: a.field,
            message: a.message,
            headers: a.headers,
            close: a.close,
        }
    }
}

#[pymethods]
impl PyAnswer {
    /// 200 ``{"ok":true}``.
    #[staticmethod]
    fn ok() -> Self {
        policy::Answer::ok().into()
    }

    /// 500 ``handler_failed``: a handler raised (log it; the sender only learns that it failed).
    #[staticmethod]
    fn handler_failed() -> Self {
        policy::Answer::refusal(Refusal::HandlerFailed).into()
    }

    /// 500 ``body_consumed``: something read the raw body before the receiver.
    #[staticmethod]
    fn body_consumed() -> Self {
        policy::Answer::refusal(Refusal::BodyConsumed).into()
    }

    /// 405 with ``Allow: POST``: for a framework that routes methods itself (FastAPI's 405).
    #[staticmethod]
    fn not_post() -> Self {
        policy::Answer::refusal(Refusal::MethodNotAllowed).into()
    }

    /// 408 ``request_timeout``: the body did not arrive in time.
    #[staticmethod]
    fn request_timeout() -> Self {
        policy::Answer::refusal(Refusal::RequestTimeout).into()
    }

    /// Whether ``code`` is a parse error code (``ParseError``) rather than a refusal.
    #[getter]
    fn is_parse_error(&self) -> bool {
        self.code.and_then(ErrorCode::from_code_str).is_some()
    }

    fn __repr__(&self) -> String {
        format!("Answer({} {})", self.status, self.body)
    }
}

/// Go on reading: at most ``max_bytes`` bytes within ``timeout_ms``; ``learn`` is a line to log.
#[pyclass(frozen, module = "primevox_webhooks")]
pub struct Read {
    #[pyo3(get)]
    max_bytes: usize,
    #[pyo3(get)]
    timeout_ms: u64,
    #[pyo3(get)]
    peer: Option<String>,
    #[pyo3(get)]
    learn: Option<String>,
}

#[pymethods]
impl Receiver {
    /// ``ValueError`` naming the option when one is bad.
    #[new]
    fn new(options_json: &str) -> PyResult<Self> {
        policy::Receiver::from_json(options_json)
            .map(|inner| Receiver { inner })
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The lowercase names of the request headers the checks and the body step read.
    #[getter]
    fn headers(&self) -> Vec<String> {
        self.inner.headers().to_vec()
    }

    #[getter]
    fn max_body_bytes(&self) -> usize {
        self.inner.max_body_bytes()
    }

    #[getter]
    fn body_timeout_ms(&self) -> u64 {
        self.inner.body_timeout_ms()
    }

    /// The checks before the body: an ``Answer`` (refused: send it, do not read) or a ``Read``.
    fn check(
        &self,
        py: Python<'_>,
        method: &str,
        peer: Option<&str>,
        query: &str,
        headers: Vec<(PyBackedStr, PyBackedStr)>,
    ) -> PyResult<Py<PyAny>> {
        let mut request = Request::new(method, peer, query);
        request.headers = headers.iter().map(|(k, v)| (&**k, &**v)).collect();
        Ok(match self.inner.check(&request) {
            Check::Refuse(a) => Py::new(py, PyAnswer::from(a))?.into_any(),
            Check::Read(r) => Py::new(
                py,
                Read {
                    max_bytes: r.max_bytes,
                    timeout_ms: r.timeout_ms,
                    peer: r.peer,
                    learn: r.learn,
                },
            )?
            .into_any(),
        })
    }

    /// Decodes (Content-Encoding) and parses a body: the event, or the ``Answer`` for a body
    /// that is too large, badly encoded or not a valid webhook.
    #[pyo3(signature = (body, content_type = None, content_encoding = None))]
    fn parse_body<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        content_type: Option<PyBackedStr>,
        content_encoding: Option<PyBackedStr>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let body = body_from(body)?;
        let refused = |a: policy::Answer| Ok(Bound::new(py, PyAnswer::from(a))?.into_any());
        let decoded = match self
            .inner
            .decode(body.as_bytes(), content_encoding.as_deref())
        {
            Err(a) => return refused(a),
            Ok(Cow::Borrowed(_)) => None,
            Ok(Cow::Owned(bytes)) => Some(bytes),
        };
        let opts = self.inner.parse_options();
        let to_answer = |e: &primevox_webhooks::ParseError| policy::Answer::from_error(e);
        match decoded {
            // Nothing to decode: the event borrows from the body it keeps alive.
            None => match parse_body(body, content_type.as_deref(), opts) {
                Ok((event, body)) => new_event(py, event, Some(body)),
                Err(e) => refused(to_answer(&e)),
            },
            Some(bytes) => {
                match primevox_webhooks::parse_with(&bytes, content_type.as_deref(), opts) {
                    Ok(event) => new_event(py, event.into_owned(), None),
                    Err(e) => refused(to_answer(&e)),
                }
            }
        }
    }
}

/// The receiver table (defaults, codes, statuses, messages, option names) as JSON.
#[pyfunction]
fn receiver_table() -> String {
    policy::table_json()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Receiver>()?;
    m.add_class::<PyAnswer>()?;
    m.add_class::<Read>()?;
    m.add_function(wrap_pyfunction!(receiver_table, m)?)?;
    m.add("CONTENT_TYPE", policy::CONTENT_TYPE)?;
    Ok(())
}
