//! The core's receiver policy for the JavaScript receivers (`lib/receiver.mjs` of the shared
//! layer): options checked once, then per request a tagged verdict and body result (`ffi::js`).

use primevox_webhooks::ffi::js;
use wasm_bindgen::prelude::*;

/// The answers after the policy and the receiver table, as JSON text.
#[wasm_bindgen(js_name = "receiverAnswers")]
pub fn receiver_answers() -> String {
    js::receiver_answers()
}

/// A receiver built from the JavaScript options (JSON text).
#[wasm_bindgen]
pub struct Receiver(primevox_webhooks::receiver::Receiver);

#[wasm_bindgen]
impl Receiver {
    /// Throws an Error whose message names the bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Result<Receiver, JsError> {
        js::receiver(options_json)
            .map(Receiver)
            .map_err(|m| JsError::new(&m))
    }

    /// `{"event":…}` or `{"answer":…}` for the body read after a `read` verdict.
    pub fn receive(
        &self,
        body: &[u8],
        content_type: Option<String>,
        content_encoding: Option<String>,
    ) -> String {
        js::receive_body(
            &self.0,
            body,
            content_type.as_deref(),
            content_encoding.as_deref(),
        )
    }

    /// `{"refuse":…}` or `{"read":…}`; `headers` flattened `[name, value, …]`.
    pub fn check(
        &self,
        method: &str,
        peer: Option<String>,
        query: &str,
        headers: Vec<String>,
    ) -> String {
        js::check(&self.0, method, peer.as_deref(), query, &headers)
    }

    /// The lowercase names of the headers the policy reads.
    pub fn headers(&self) -> Vec<String> {
        self.0.headers().to_vec()
    }
}
