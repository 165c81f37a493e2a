//! The core's receiver policy for the Python framework adapters (FastAPI, Starlette, Flask,
//! Django): options validated once, the checks before the body, decoding and parsing, and the
//! answers with their codes, statuses and messages. The adapters only move bytes.

use std::borrow::Cow;

use primevox_webhooks::receiver::{self as policy, Check, Request};
use primevox_webhooks::{ErrorCode, Refusal};
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::body::{body_from, parse_body};
use crate::kinds::new_event;

/// The receiver options (a JSON object, snake_case or camelCase keys), validated once.
#[pyclass(frozen, module = "primevox_webhooks")]
pub struct Receiver {
    inner: policy::Receiver,
    asgi: AsgiWanted,
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
    /// The request's Content-Type and Content-Encoding as ``check_asgi`` / ``check_environ``
    /// found them (``None`` from ``check``, which is not given them apart).
    #[pyo3(get)]
    content_type: Option<String>,
    #[pyo3(get)]
    content_encoding: Option<String>,
}

/// What ``check_asgi`` reads of a scope's headers, worked out once per receiver: the policy's
/// header names, then those the adapter reads itself (``x-forwarded-for`` for the peer, the
/// body's two), each once, as the lowercase bytes ASGI spells header names with.
struct AsgiWanted {
    slots: Vec<String>,
    /// The slot of each of the policy's names, in its order.
    policy: Vec<usize>,
    forwarded: usize,
    content_type: usize,
    content_encoding: usize,
    /// The policy reads ``x-forwarded-for`` itself (``trusted_proxies``).
    forwarded_checked: bool,
    /// Each slot's WSGI environ key (``HTTP_X_TOKEN``; ``CONTENT_TYPE`` and ``CONTENT_LENGTH``
    /// unprefixed), as werkzeug's and Django's header lookups find them; made once as Python
    /// strings (a lookup by a Rust string makes, hashes and frees one per call).
    environ: Vec<Py<PyString>>,
}

impl AsgiWanted {
    fn new(py: Python<'_>, names: &[String]) -> Self {
        let mut slots: Vec<String> = Vec::new();
        let mut slot = |name: &str| match slots.iter().position(|s| s == name) {
            Some(i) => i,
            None => {
                slots.push(name.to_owned());
                slots.len() - 1
            }
        };
        let policy = names.iter().map(|n| slot(n)).collect();
        let (forwarded, content_type, content_encoding) = (
            slot("x-forwarded-for"),
            slot("content-type"),
            slot("content-encoding"),
        );
        AsgiWanted {
            forwarded_checked: names.iter().any(|n| n == "x-forwarded-for"),
            environ: slots
                .iter()
                .map(|n| PyString::intern(py, &environ_key(n)).unbind())
                .collect(),
            slots,
            policy,
            forwarded,
            content_type,
            content_encoding,
        }
    }
}

/// The WSGI environ key of a request header (PEP 3333).
fn environ_key(name: &str) -> String {
    let key = name.to_ascii_uppercase().replace('-', "_");
    if key == "CONTENT_TYPE" || key == "CONTENT_LENGTH" {
        key
    } else {
        format!("HTTP_{key}")
    }
}

/// ASGI text (header values, the query string) is latin-1: each byte one character.
fn latin1(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) if bytes.is_ascii() => Cow::Borrowed(s),
        _ => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// Python's whitespace among latin-1 characters (``str.strip()``'s; Rust's lacks U+001C..U+001F).
const PY_SPACE: &[char] = &[
    '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1c}', '\u{1d}', '\u{1e}', '\u{1f}', ' ', '\u{85}',
    '\u{a0}',
];

/// The two items of a scope's ``(name, value)`` header pair (a tuple, or a list from some
/// servers); ``None`` for anything else.
fn pair<'py>(item: &Bound<'py, PyAny>) -> PyResult<Option<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
    if let Ok(t) = item.cast::<PyTuple>() {
        if t.len() == 2 {
            return Ok(Some((t.get_item(0)?, t.get_item(1)?)));
        }
    } else if let Ok(l) = item.cast::<PyList>() {
        if l.len() == 2 {
            return Ok(Some((l.get_item(0)?, l.get_item(1)?)));
        }
    }
    Ok(None)
}

#[pymethods]
impl Receiver {
    /// ``ValueError`` naming the option when one is bad.
    #[new]
    fn new(py: Python<'_>, options_json: &str) -> PyResult<Self> {
        policy::Receiver::from_json(options_json)
            .map(|inner| Receiver {
                asgi: AsgiWanted::new(py, inner.headers()),
                inner,
            })
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
        verdict(py, self.inner.check(&request), None, None)
    }

    /// ``check`` on an ASGI scope: its method, client, query string and headers read here, in
    /// one call (repeated headers joined by ``", "``, empty ones left out; the client's address
    /// dropped when the server took it from ``X-Forwarded-For`` and the policy does not read
    /// that header: see ``_receiver.asgi_peer``). ``None`` when the scope is not the plain
    /// shape this reads (a dict, str method, a list or tuple of ``(bytes, bytes)`` header
    /// pairs): the caller reads it itself then.
    fn check_asgi(&self, py: Python<'_>, scope: &Bound<'_, PyAny>) -> PyResult<Option<Py<PyAny>>> {
        let Ok(scope) = scope.cast_exact::<PyDict>() else {
            return Ok(None);
        };
        let Some(method) = scope.get_item(intern!(py, "method"))? else {
            return Ok(None);
        };
        if !method.is_instance_of::<PyString>() {
            return Ok(None);
        }
        let method: PyBackedStr = method.extract()?;
        let Some(raw) = scope.get_item(intern!(py, "headers"))? else {
            return Ok(None);
        };
        // A list or tuple only: another iterable could be read once, leaving nothing for the
        // caller's own steps should this hand the scope back.
        if !(raw.is_instance_of::<PyList>() || raw.is_instance_of::<PyTuple>()) {
            return Ok(None);
        }
        let want = &self.asgi;
        let mut found: Vec<Option<String>> = vec![None; want.slots.len()];
        for item in raw.try_iter()? {
            let item = item?;
            let Some((key, value)) = pair(&item)? else {
                return Ok(None);
            };
            let Ok(key) = key.cast::<PyBytes>() else {
                return Ok(None);
            };
            let key = key.as_bytes();
            let Some(i) = want.slots.iter().position(|s| s.as_bytes() == key) else {
                continue;
            };
            let Ok(value) = value.cast::<PyBytes>() else {
                return Ok(None);
            };
            let text = latin1(value.as_bytes());
            found[i] = Some(match found[i].take() {
                None => text.into_owned(),
                Some(prev) => format!("{prev}, {text}"),
            });
        }
        for f in &mut found {
            if f.as_deref() == Some("") {
                *f = None;
            }
        }
        let client: Option<PyBackedStr> = match scope.get_item(intern!(py, "client"))? {
            None => None,
            Some(c) if c.is_none() => None,
            Some(c) => {
                let first = match pair(&c)? {
                    Some((first, _)) => first,
                    None => return Ok(None),
                };
                if first.is_none() {
                    None
                } else if first.is_instance_of::<PyString>() {
                    Some(first.extract()?)
                } else {
                    return Ok(None);
                }
            }
        };
        let mut peer = client.as_deref();
        if let (Some(addr), Some(forwarded), false) =
            (peer, &found[want.forwarded], want.forwarded_checked)
        {
            if forwarded
                .split(',')
                .any(|hop| hop.trim_matches(PY_SPACE) == addr)
            {
                peer = None;
            }
        }
        let query_bytes = match scope.get_item(intern!(py, "query_string"))? {
            Some(q) => q.cast_into::<PyBytes>().ok(),
            None => None,
        };
        let query = query_bytes
            .as_ref()
            .map_or(Cow::Borrowed(""), |q| latin1(q.as_bytes()));
        self.check_found(py, &method, peer, &query, &found)
            .map(Some)
    }

    /// ``check`` with the headers read from a WSGI environ (or Django's ``META``) at their
    /// environ keys, in one call. ``None`` when the environ is not a plain dict of str values
    /// at those keys: the caller reads it itself then.
    fn check_environ(
        &self,
        py: Python<'_>,
        environ: &Bound<'_, PyAny>,
        method: &str,
        peer: Option<&str>,
        query: &str,
    ) -> PyResult<Option<Py<PyAny>>> {
        let Ok(environ) = environ.cast_exact::<PyDict>() else {
            return Ok(None);
        };
        let want = &self.asgi;
        let mut found: Vec<Option<PyBackedStr>> = Vec::with_capacity(want.slots.len());
        for key in &want.environ {
            found.push(match environ.get_item(key.bind(py))? {
                None => None,
                Some(v) if v.is_instance_of::<PyString>() => Some(v.extract()?),
                Some(v) if v.is_none() => None,
                Some(_) => return Ok(None),
            });
        }
        self.check_found(py, method, peer, query, &found).map(Some)
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

impl Receiver {
    /// ``check`` with the headers ``check_asgi`` / ``check_environ`` found, one per slot of
    /// ``AsgiWanted``; the body's two headers go back in the ``Read``.
    fn check_found<T: std::ops::Deref<Target = str>>(
        &self,
        py: Python<'_>,
        method: &str,
        peer: Option<&str>,
        query: &str,
        found: &[Option<T>],
    ) -> PyResult<Py<PyAny>> {
        let want = &self.asgi;
        let mut request = Request::new(method, peer, query);
        request.headers = want
            .policy
            .iter()
            .filter_map(|&i| Some((want.slots[i].as_str(), found[i].as_deref()?)))
            .collect();
        let check = self.inner.check(&request);
        let text = |i: usize| found[i].as_deref().map(str::to_owned);
        verdict(
            py,
            check,
            text(want.content_type),
            text(want.content_encoding),
        )
    }
}

fn verdict(
    py: Python<'_>,
    check: Check,
    content_type: Option<String>,
    content_encoding: Option<String>,
) -> PyResult<Py<PyAny>> {
    Ok(match check {
        Check::Refuse(a) => Py::new(py, PyAnswer::from(a))?.into_any(),
        Check::Read(r) => Py::new(
            py,
            Read {
                max_bytes: r.max_bytes,
                timeout_ms: r.timeout_ms,
                peer: r.peer,
                learn: r.learn,
                content_type,
                content_encoding,
            },
        )?
        .into_any(),
    })
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
