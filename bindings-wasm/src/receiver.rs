//! The core's receiver policy for the JavaScript receivers (`lib/receiver.mjs` of the shared
//! layer): options checked once, then per request a tagged verdict and body result (`ffi::js`).

use primevox_webhooks::ffi::js;
use wasm_bindgen::prelude::*;

use crate::parse::{laid_out, with_input};

/// A body the receiver refused: the answer half of `receiveLayout`, as `{status, headers, close,
/// body}` JSON text.
#[wasm_bindgen(getter_with_clone)]
pub struct Refused {
    pub answer: String,
}

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

    /// The body limit after decoding.
    #[wasm_bindgen(js_name = "maxBodyBytes")]
    pub fn max_body_bytes(&self) -> f64 {
        self.0.max_body_bytes() as f64
    }

    /// `receive` on the layout path of `parse`: `None` with the event laid out at `tableAt()`,
    /// or `Refused`.
    #[wasm_bindgen(js_name = "receiveLayout")]
    pub fn receive_layout(
        &self,
        body: &[u8],
        content_type: Option<String>,
        content_encoding: Option<String>,
    ) -> Option<Refused> {
        let (ct, ce) = (content_type.as_deref(), content_encoding.as_deref());
        js::receive_event(&self.0, body, ct, ce, laid_out)
            .err()
            .map(|answer| Refused { answer })
    }

    /// `receiveLayout` on the body (and content type) JavaScript wrote into the input area, as
    /// `parseInputLayout` takes them.
    #[wasm_bindgen(js_name = "receiveInputLayout")]
    pub fn receive_input_layout(
        &self,
        body_len: u32,
        content_type: i32,
        content_encoding: Option<String>,
    ) -> Option<Refused> {
        with_input(body_len, content_type, |body, ct| {
            js::receive_event(&self.0, body, ct, content_encoding.as_deref(), laid_out)
                .err()
                .map(|answer| Refused { answer })
        })
    }

    /// `check` on the request as one string (`ffi::js::check_joined`).
    #[wasm_bindgen(js_name = "checkJoined")]
    pub fn check_joined(&self, request: &str) -> String {
        js::check_joined(&self.0, request)
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
