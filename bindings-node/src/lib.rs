//! Node.js binding of `primevox-webhooks` (napi-rs). Thin on purpose: every function hands
//! bytes or strings to the core and moves its answer back in the core's JavaScript wire format
//! (`primevox_webhooks::ffi::js`). The one JavaScript layer (`lib/`, shared with the wasm
//! package) reaches these through `engine.js`; the wasm crate exports the same JS names.
//!
//! - Fallible calls return one tagged result: the hot path of `parse` a string (the event's
//!   layout) or a `Failure` object, every other call a tagged JSON text (`{"ok":…}` /
//!   `{"error":…}`). Errors are values: nothing here throws for a bad payload.
//! - A panic in the core never crosses into Node: it is caught here and thrown as a plain
//!   `Error` ("primevox-webhooks internal error: ...").

#![deny(clippy::all)]

pub mod calls;
mod direct;
pub mod helpers;
pub mod parse;
pub mod receiver;
pub mod security;

use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::bindgen_prelude::*;
use napi_derive::napi;

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    let what = if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    };
    format!("primevox-webhooks internal error (please report): {what}")
}

/// Runs `f`, turning a panic into a thrown JS `Error`.
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => Err(Error::new(Status::GenericFailure, panic_message(p))),
    }
}

/// For tests only: a panic inside the addon, which must reach JS as an Error.
#[doc(hidden)]
#[napi(js_name = "__panicForTests")]
pub fn panic_for_tests() -> Result<()> {
    guarded(|| panic!("deliberate panic for tests"))
}
