//! wasm-bindgen binding of `primevox-webhooks`. Thin on purpose: every function hands bytes or
//! strings to the core and moves its answer back in the core's JavaScript wire format
//! (`primevox_webhooks::ffi::js`). The one JavaScript layer (`bindings-node/lib/`, shared with
//! the Node package) reaches these through `js/engine.js`; the napi crate exports the same JS
//! names.
//!
//! Fallible calls return one tagged result: the hot path of `parse` a string (the event's
//! layout) or a `Failure` object, every other call a tagged JSON text (`{"ok":…}` /
//! `{"error":…}`). A panic is a trap here; `js/engine.js` resets the instance after one.

mod calls;
mod helpers;
mod parse;
mod receiver;
mod security;

use wasm_bindgen::prelude::*;

/// The module's linear memory, in bytes (for the memory tests: it must stay flat).
#[wasm_bindgen(js_name = "memoryBytes")]
pub fn memory_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        (core::arch::wasm32::memory_size(0) * 65536) as f64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// Traps (panics) on purpose: lets the tests prove that a failure inside the module becomes a
/// JavaScript `Error` and that the engine resets the instance, so the next call works.
#[wasm_bindgen(js_name = "trapForTests")]
pub fn trap_for_tests() {
    panic!("trap_for_tests");
}
