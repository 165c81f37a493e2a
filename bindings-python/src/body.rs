//! Request bodies handed over by Python (bytes, bytearray, memoryview, str), kept alive while the
//! events parsed from them borrow from them.

use primevox_webhooks::{self as core, ParseOptions};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};

/// A request body kept alive while events borrow from it. Its bytes never move or change while
/// it exists: a `PyBackedBytes` holds an immutable `bytes` object (or, for a `bytearray`, its own
/// copy), and a `PyBackedStr` keeps its UTF-8 buffer alive.
pub enum Body {
    Bytes(PyBackedBytes),
    Str(PyBackedStr),
}

impl Body {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Bytes(b) => b,
            Body::Str(s) => s.as_bytes(),
        }
    }
}

pub(crate) fn body_from(obj: &Bound<'_, PyAny>) -> PyResult<Body> {
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
pub(crate) fn parse_body(
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

pub(crate) fn options(strict: bool, max_body_bytes: usize, max_depth: usize) -> ParseOptions {
    ParseOptions {
        strict,
        max_body_bytes,
        max_depth,
    }
}

pub(crate) fn is_body(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.is_instance_of::<PyMemoryView>()
}
