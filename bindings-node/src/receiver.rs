//! The core's receiver policy for the JavaScript receivers (`lib/receiver.mjs`): options
//! checked once, then per request a tagged verdict and a tagged body result (`ffi::js`).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use primevox_webhooks::ffi::js;

use crate::guarded;

/// A receiver built from the JavaScript options (JSON text).
#[napi(js_name = "Receiver")]
pub struct Receiver {
    inner: primevox_webhooks::receiver::Receiver,
}

#[napi]
impl Receiver {
    /// Throws an Error whose message names the bad option.
    #[napi(constructor)]
    pub fn new(options_json: String) -> Result<Self> {
        let inner = js::receiver(&options_json).map_err(|m| Error::new(Status::InvalidArg, m))?;
        Ok(Receiver { inner })
    }

    /// The lowercase names of the headers the policy reads.
    #[napi]
    pub fn headers(&self) -> Vec<String> {
        self.inner.headers().to_vec()
    }

    /// `{"refuse":…}` or `{"read":…}`; `headers` flattened `[name, value, …]`.
    #[napi]
    pub fn check(
        &self,
        method: String,
        peer: Option<String>,
        query: String,
        headers: Vec<String>,
    ) -> Result<String> {
        guarded(|| {
            Ok(js::check(
                &self.inner,
                &method,
                peer.as_deref(),
                &query,
                &headers,
            ))
        })
    }

    /// `{"event":…}` or `{"answer":…}` for the body read after a `read` verdict.
    #[napi]
    pub fn receive(
        &self,
        body: &[u8],
        content_type: Option<String>,
        content_encoding: Option<String>,
    ) -> Result<String> {
        let (ct, ce) = (content_type.as_deref(), content_encoding.as_deref());
        guarded(|| Ok(js::receive_body(&self.inner, body, ct, ce)))
    }
}

/// The answers after the policy and the receiver table, as JSON text (`ffi::js::receiver_answers`).
#[napi(js_name = "receiverAnswers")]
pub fn receiver_answers() -> String {
    js::receiver_answers()
}
