//! `parse` (one body) and `from_json` (an event back from its canonical JSON).

use primevox_webhooks as core;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

use crate::body::{body_from, options, parse_body};
use crate::errors::parse_error;
use crate::kinds::new_event;

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

/// Rebuild an event from its canonical JSON (the output of ``to_json()``).
#[pyfunction]
fn from_json<'py>(py: Python<'py>, canonical: PyBackedStr) -> PyResult<Bound<'py, PyAny>> {
    match core::from_json(&canonical) {
        Ok(event) => new_event(py, event, None),
        Err(e) => Err(parse_error(py, &e)),
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(from_json, m)?)?;
    Ok(())
}
