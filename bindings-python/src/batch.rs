//! `parse_many`: many bodies at once, the GIL released while the core parses.

use primevox_webhooks as core;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::body::{body_from, is_body, options, Body};
use crate::errors::parse_error;
use crate::kinds::new_event;

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

type Parsed = core::Parsed<'static>;

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
/// the core parses (its batch API: large batches on one thread per core) and taken to wrap each
/// chunk of results as it is ready.
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
    let batch: Vec<core::BatchItem<'static>> = bodies
        .iter()
        .zip(&cts)
        .map(|(body, ct)| {
            let bytes = body.as_ref().map_or(&[][..], Body::as_bytes);
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
    let shared = out.clone().unbind();
    // The core parses on its threads, without the GIL; this thread takes the GIL only to wrap
    // each chunk, in order, as soon as it is parsed (see `parse_many_pipelined`).
    py.detach(|| {
        core::parse_many_pipelined(&batch, &opts, |first, results| {
            Python::attach(|py| wrap_chunk(py, shared.bind(py), results, &mut bodies[first..]))
        })
    })?;
    Ok(out)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse_many, m)?)
}
