//! Core parse errors as the Python `ParseError` (defined in `primevox_webhooks._error`), the
//! error-code list, and the deliberate panic the tests use to prove panics become exceptions.

use primevox_webhooks as core;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyString, PyTuple};

static PARSE_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Builds the Python `ParseError` (defined in `primevox_webhooks._error`) from a core error.
pub(crate) fn parse_error(py: Python<'_>, e: &core::ParseError) -> PyErr {
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

/// For tests only: a panic inside the extension, which must reach Python as an exception.
#[pyfunction]
fn _panic_for_tests() {
    panic!("deliberate panic for tests");
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    let codes = core::ErrorCode::ALL.iter().map(|c| c.as_str());
    m.add("ERROR_CODES", PyTuple::new(m.py(), codes)?)?;
    Ok(())
}
