//! Calls: handles over the core's `calls::js` glue (the wasm crate exports the same names);
//! `lib/calls.mjs` builds `Call` and `CallTracker` on them. `at` arrives as a JS number the
//! JavaScript layer has checked (a safe non-negative integer).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use primevox_webhooks::calls::js::{JsCall, JsTracker};

use crate::guarded;

/// One call's state in the core.
#[napi(js_name = "CallHandle")]
pub struct CallHandle {
    inner: JsCall,
}

#[napi]
impl CallHandle {
    #[napi(constructor)]
    pub fn new() -> Self {
        CallHandle {
            inner: JsCall::default(),
        }
    }

    /// Tagged `true` (new) / `false` (retry), or the error.
    #[napi]
    pub fn add(&mut self, event_json: String, at_ms: f64) -> Result<String> {
        guarded(|| Ok(self.inner.add(&event_json, at_ms as u64)))
    }

    /// Tagged `null`, or the error.
    #[napi]
    pub fn merge(&mut self, other: &CallHandle) -> Result<String> {
        guarded(|| Ok(self.inner.merge(&other.inner)))
    }

    /// Replaces the state (tagged `null`) or leaves it (the error).
    #[napi]
    pub fn load(&mut self, state: String) -> Result<String> {
        guarded(|| Ok(self.inner.load(&state)))
    }

    #[napi(js_name = "summaryJson")]
    pub fn summary_json(&self) -> Result<String> {
        guarded(|| Ok(self.inner.summary_json()))
    }

    #[napi(js_name = "toJson")]
    pub fn to_json(&self) -> Result<String> {
        guarded(|| Ok(self.inner.to_json()))
    }
}

impl Default for CallHandle {
    fn default() -> Self {
        CallHandle::new()
    }
}

/// Many calls in the core's tracker.
#[napi(js_name = "TrackerHandle")]
pub struct TrackerHandle {
    inner: JsTracker,
}

#[napi]
impl TrackerHandle {
    /// `maxCalls` 0: no bound.
    #[napi(constructor)]
    pub fn new(max_calls: u32) -> Self {
        TrackerHandle {
            inner: JsTracker::new(max_calls),
        }
    }

    /// Tagged `{record, ended, new, evicted: [state…]}`, or the error.
    #[napi]
    pub fn add(&mut self, event_json: String, at_ms: f64) -> Result<String> {
        guarded(|| Ok(self.inner.add(&event_json, at_ms as u64)))
    }

    /// A JSON array of the expired calls' states.
    #[napi]
    pub fn expire(&mut self, now_ms: f64, idle_ms: f64) -> Result<String> {
        guarded(|| Ok(self.inner.expire(now_ms as u64, idle_ms as u64)))
    }

    #[napi]
    pub fn drain(&mut self) -> Result<String> {
        guarded(|| Ok(self.inner.drain()))
    }

    #[napi]
    pub fn get(&self, call_uuid: String) -> Option<String> {
        self.inner.get(&call_uuid)
    }

    #[napi]
    pub fn remove(&mut self, call_uuid: String) -> Option<String> {
        self.inner.remove(&call_uuid)
    }

    #[napi]
    pub fn size(&self) -> u32 {
        self.inner.len()
    }
}
