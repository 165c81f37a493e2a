//! The core's receiver policy for the JavaScript receivers (`lib/receiver.mjs`): options
//! checked once, then per request a tagged verdict and a tagged body result (`ffi::js`).

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::JsString;
use napi_derive::napi;
use primevox_webhooks::ffi::js;

use crate::guarded;
use crate::parse::laid_out;

/// A body the receiver refused: the answer half of `receiveLayout`, as `{status, headers, close,
/// body}` JSON text.
#[napi(object)]
pub struct Refused {
    pub answer: String,
}

/// A receiver built from the JavaScript options (JSON text).
#[napi(js_name = "Receiver")]
pub struct Receiver {
    // Shared with the functions of `directCalls`.
    inner: Arc<primevox_webhooks::receiver::Receiver>,
}

#[napi]
impl Receiver {
    /// Throws an Error whose message names the bad option.
    #[napi(constructor)]
    pub fn new(options_json: String) -> Result<Self> {
        let inner = js::receiver(&options_json).map_err(|m| Error::new(Status::InvalidArg, m))?;
        Ok(Receiver {
            inner: Arc::new(inner),
        })
    }

    /// The lowercase names of the headers the policy reads.
    #[napi]
    pub fn headers(&self) -> Vec<String> {
        self.inner.headers().to_vec()
    }

    /// The body limit after decoding: the layout table of `receiveLayout` is sized for it.
    #[napi(js_name = "maxBodyBytes")]
    pub fn max_body_bytes(&self) -> f64 {
        self.inner.max_body_bytes() as f64
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

    /// `check` on the request as one string (`ffi::js::check_joined`): one string to make, not
    /// one per header.
    #[napi(js_name = "checkJoined")]
    pub fn check_joined(&self, request: String) -> Result<String> {
        guarded(|| Ok(js::check_joined(&self.inner, &request)))
    }

    /// `[checkJoined, receiveLayout]` as plain functions bound to this receiver, the same
    /// calls without napi-rs's per-call glue (`direct.rs`): the receivers call them per request.
    #[napi(js_name = "directCalls")]
    pub fn direct_calls<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let calls = crate::direct::calls(env.raw(), &self.inner)?;
        // SAFETY: a value just made in this env.
        Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), calls) })
    }

    /// `receive` on the layout path of `parse`: the event's values string (its layout written
    /// into `table`, sized with `layoutCapacity(maxBodyBytes)`), or the answer.
    #[napi(js_name = "receiveLayout")]
    pub fn receive_layout<'env>(
        &self,
        env: &'env Env,
        body: &[u8],
        content_type: Option<String>,
        content_encoding: Option<String>,
        mut table: Uint32ArraySlice<'_>,
    ) -> Result<Either<JsString<'env>, Refused>> {
        let (ct, ce) = (content_type.as_deref(), content_encoding.as_deref());
        guarded(|| {
            let laid = js::receive_event(&self.inner, body, ct, ce, |event| {
                laid_out(env, &mut table, |values, scratch| {
                    js::write_layout_to(event, values, scratch)
                })
            });
            match laid {
                Ok(values) => Ok(Either::A(values?)),
                Err(answer) => Ok(Either::B(Refused { answer })),
            }
        })
    }
}

/// The answers after the policy and the receiver table, as JSON text (`ffi::js::receiver_answers`).
#[napi(js_name = "receiverAnswers")]
pub fn receiver_answers() -> String {
    js::receiver_answers()
}
