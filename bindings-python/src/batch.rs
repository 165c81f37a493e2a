//! `parse_many`: many bodies at once, the GIL released while the core parses.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use primevox_webhooks as core;
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
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

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse_many, m)?)
}
