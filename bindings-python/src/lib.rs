//! Python bindings for `primevox-webhooks`: the private `primevox_webhooks._native` module.
//!
//! Thin by design: every rule (parsing, validation, canonical JSON, encoding, helpers) lives in the
//! core crate. This crate only converts between Python objects and the core's types, one file per
//! concept. Each concept module exposes `pub(crate) fn register(m)`, which adds its classes,
//! functions and constants to the module; a new module is one `mod x;` line and one entry in
//! `CONCEPTS` below.

mod batch;
mod body;
mod calls;
mod errors;
mod event;
mod kinds;
mod parse;
mod receiver;
mod security;
mod text;

use pyo3::prelude::*;

type Register = fn(&Bound<'_, PyModule>) -> PyResult<()>;

/// Every concept module's `register`, in order: `event` before `kinds` (subclasses need their base).
const CONCEPTS: &[Register] = &[
    errors::register,
    event::register,
    kinds::register,
    parse::register,
    batch::register,
    security::register,
    calls::register,
    receiver::register,
];

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    for register in CONCEPTS {
        register(m)?;
    }
    Ok(())
}
