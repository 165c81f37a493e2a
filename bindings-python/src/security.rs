//! Sender checks the receivers build on: constant-time token comparison, query parameters,
//! peer-address allow-lists. The rules are the core's.

use primevox_webhooks as core;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyString;

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

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verify_token, m)?)?;
    m.add_function(wrap_pyfunction!(query_param, m)?)?;
    m.add_class::<AllowList>()?;
    Ok(())
}
