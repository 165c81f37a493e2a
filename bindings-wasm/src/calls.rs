//! Calls: handles over the core's `calls::js` glue (the napi crate exports the same names);
//! `bindings-node/lib/calls.mjs` builds `Call` and `CallTracker` on them. `at` arrives as a JS
//! number the JavaScript layer has checked (a safe non-negative integer).

use primevox_webhooks::calls::js::{JsCall, JsTracker};
use wasm_bindgen::prelude::*;

/// One call's state in the core.
#[wasm_bindgen(js_name = "CallHandle")]
#[derive(Default)]
pub struct CallHandle {
    inner: JsCall,
}

#[wasm_bindgen(js_class = "CallHandle")]
impl CallHandle {
    #[wasm_bindgen(constructor)]
    pub fn new() -> CallHandle {
        CallHandle::default()
    }

    /// Tagged `true` (new) / `false` (retry), or the error.
    pub fn add(&mut self, event_json: &str, at_ms: f64) -> String {
        self.inner.add(event_json, at_ms as u64)
    }

    /// Tagged `null`, or the error.
    pub fn merge(&mut self, other: &CallHandle) -> String {
        self.inner.merge(&other.inner)
    }

    /// Replaces the state (tagged `null`) or leaves it (the error).
    pub fn load(&mut self, state: &str) -> String {
        self.inner.load(state)
    }

    #[wasm_bindgen(js_name = "summaryJson")]
    pub fn summary_json(&self) -> String {
        self.inner.summary_json()
    }

    #[wasm_bindgen(js_name = "toJson")]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }
}

/// Many calls in the core's tracker.
#[wasm_bindgen(js_name = "TrackerHandle")]
pub struct TrackerHandle {
    inner: JsTracker,
}

#[wasm_bindgen(js_class = "TrackerHandle")]
impl TrackerHandle {
    /// `maxCalls` 0: no bound.
    #[wasm_bindgen(constructor)]
    pub fn new(max_calls: u32) -> TrackerHandle {
        TrackerHandle {
            inner: JsTracker::new(max_calls),
        }
    }

    /// Tagged `{record, ended, new, evicted: [state…]}`, or the error.
    pub fn add(&mut self, event_json: &str, at_ms: f64) -> String {
        self.inner.add(event_json, at_ms as u64)
    }

    /// A JSON array of the expired calls' states.
    pub fn expire(&mut self, now_ms: f64, idle_ms: f64) -> String {
        self.inner.expire(now_ms as u64, idle_ms as u64)
    }

    pub fn drain(&mut self) -> String {
        self.inner.drain()
    }

    pub fn get(&self, call_uuid: &str) -> Option<String> {
        self.inner.get(call_uuid)
    }

    pub fn remove(&mut self, call_uuid: &str) -> Option<String> {
        self.inner.remove(call_uuid)
    }

    pub fn size(&self) -> u32 {
        self.inner.len()
    }
}
