//! Calls for the JavaScript bindings (napi and wasm-bindgen): the same handles and tagged JSON
//! texts in both, so that each binding is a line per method and the one JavaScript layer
//! (`bindings-node/lib/calls.mjs`) reads one format. Results are `{"ok":VALUE}` or
//! `{"error":{"code":…,"field":null,"message":…}}`, as in [`crate::ffi::js`].

use super::{Call, CallError, CallErrorCode, CallTracker};
use crate::ffi::js::ok_json;

fn error_json(e: &CallError) -> String {
    let mut out = String::with_capacity(64 + e.message().len());
    out.push_str("{\"error\":{\"code\":\"");
    out.push_str(e.code().as_str());
    out.push_str("\",\"field\":null,\"message\":");
    crate::json::write_str(&mut out, e.message());
    out.push_str("}}");
    out
}

fn tagged(r: Result<String, CallError>) -> String {
    match r {
        Ok(v) => ok_json(&v),
        Err(e) => error_json(&e),
    }
}

/// A JavaScript event object's `JSON.stringify` (its canonical JSON) as a core event.
fn event(event_json: &str) -> Result<crate::Event<'static>, CallError> {
    crate::from_json(event_json).map_err(|e| {
        CallError::new(
            CallErrorCode::NotACallEvent,
            format!("not an event of this SDK: {}", e.message()),
        )
    })
}

fn states(calls: Vec<Call>) -> String {
    let mut out = String::from("[");
    for (i, c) in calls.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&c.to_json());
    }
    out.push(']');
    out
}

/// One call behind a JavaScript handle.
#[derive(Default)]
pub struct JsCall(pub Call);

impl JsCall {
    /// `{"ok":true|false}` (new or retry) or the error.
    pub fn add(&mut self, event_json: &str, at_ms: u64) -> String {
        tagged(event(event_json).and_then(|e| self.0.add(&e, at_ms).map(|b| b.to_string())))
    }

    /// `{"ok":null}` or the error.
    pub fn merge(&mut self, other: &JsCall) -> String {
        tagged(self.0.merge(&other.0).map(|()| "null".to_owned()))
    }

    /// Replaces the call by a state from `to_json` (`{"ok":null}`), or leaves it (the error).
    pub fn load(&mut self, state: &str) -> String {
        tagged(Call::from_json(state).map(|c| {
            self.0 = c;
            "null".to_owned()
        }))
    }

    /// The record's JSON.
    pub fn summary_json(&self) -> String {
        self.0.summary_json()
    }

    /// The state's JSON.
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }
}

/// A tracker behind a JavaScript handle.
#[derive(Default)]
pub struct JsTracker(pub CallTracker);

impl JsTracker {
    /// A tracker holding at most `max_calls` calls (0: no bound).
    pub fn new(max_calls: u32) -> Self {
        let t = CallTracker::new();
        JsTracker(if max_calls == 0 {
            t
        } else {
            t.with_max_calls(max_calls as usize)
        })
    }

    /// `{"ok":{"record":…,"ended":…,"new":…,"evicted":[state,…]}}` or the error.
    pub fn add(&mut self, event_json: &str, at_ms: u64) -> String {
        tagged(event(event_json).and_then(|e| {
            let t = self.0.add(&e, at_ms)?;
            Ok(format!(
                "{{\"record\":{},\"ended\":{},\"new\":{},\"evicted\":{}}}",
                t.record.to_json(),
                t.ended,
                t.new,
                states(t.evicted)
            ))
        }))
    }

    /// The expired calls' states, a JSON array.
    pub fn expire(&mut self, now_ms: u64, idle_ms: u64) -> String {
        states(self.0.expire(now_ms, idle_ms))
    }

    /// Every call's state, a JSON array; the tracker is left empty.
    pub fn drain(&mut self) -> String {
        states(self.0.drain())
    }

    /// The call's state, if held.
    pub fn get(&self, call_uuid: &str) -> Option<String> {
        self.0.get(call_uuid).map(Call::to_json)
    }

    /// Removes the call; its state, if it was held.
    pub fn remove(&mut self, call_uuid: &str) -> Option<String> {
        self.0.remove(call_uuid).map(|c| c.to_json())
    }

    /// How many calls are held.
    pub fn len(&self) -> u32 {
        self.0.len() as u32
    }

    /// Whether no call is held.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
