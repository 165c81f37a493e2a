//! The core's receiver policy for the JavaScript receivers (`lib/receiver.mjs` of the shared
//! layer): options checked once, then per request a tagged verdict and body result (`ffi::js`).

use std::cell::RefCell;

use primevox_webhooks::ffi::js;
use primevox_webhooks::receiver::Check;
use wasm_bindgen::prelude::*;

use crate::parse::{laid_out, with_input};

/// A body the receiver refused: the answer half of `receiveLayout`, as `{status, headers, close,
/// body}` JSON text.
#[wasm_bindgen(getter_with_clone)]
pub struct Refused {
    pub answer: String,
}

thread_local! {
    /// The verdicts `checkInput` answered, with their texts, by number: a receiver gives a few
    /// distinct ones (one per peer address and refusal), so JavaScript keeps each text by its
    /// number and never decodes it again, and a verdict seen before is found by comparing it,
    /// without making its text again.
    static VERDICTS: RefCell<Vec<(Check, String)>> = const { RefCell::new(Vec::new()) };
}

/// Verdict texts kept before `VERDICTS` starts over (many peers).
const VERDICTS_KEPT: usize = 64;
/// Set in `checkInput`'s answer when `VERDICTS` started over: numbers seen before mean nothing.
const VERDICTS_RESET: u32 = 1 << 31;
/// `checkInput`'s answer for a request whose parts are not as many as its `pairs` make (a NUL
/// inside one: `js::check_joined_counted`).
const MISCOUNTED: u32 = VERDICTS_RESET - 1;

/// The text of verdict number `id` (`Receiver.checkInput`).
#[wasm_bindgen(js_name = "verdictText")]
pub fn verdict_text(id: u32) -> String {
    VERDICTS.with(|v| {
        v.borrow()
            .get(id as usize)
            .map(|(_, text)| text.clone())
            .unwrap_or_default()
    })
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

    /// `checkJoined` on the request JavaScript wrote into the input area (`request_len` bytes of
    /// UTF-8): the verdict's number for `verdictText`, with `VERDICTS_RESET` set when the numbers
    /// started over. With `pairs` (not negative), the request has that many headers, and a
    /// request that has more parts answers `MISCOUNTED` (`js::check_joined_counted`).
    #[wasm_bindgen(js_name = "checkInput")]
    pub fn check_input(&self, request_len: u32, pairs: i32) -> u32 {
        let check = with_input(request_len, -1, |request, _| {
            // JavaScript writes UTF-8 (encodeInto): validated, which costs a fraction of the
            // lossy conversion's walk over every byte; that one stays for what is not.
            let request = match std::str::from_utf8(request) {
                Ok(request) => std::borrow::Cow::Borrowed(request),
                Err(_) => String::from_utf8_lossy(request),
            };
            match usize::try_from(pairs) {
                Ok(pairs) => js::check_joined_counted(&self.0, &request, pairs),
                Err(_) => Some(js::check_joined_verdict(&self.0, &request)),
            }
        });
        let Some(check) = check else {
            return MISCOUNTED;
        };
        VERDICTS.with(|v| {
            let mut v = v.borrow_mut();
            if let Some(i) = v.iter().position(|(c, _)| *c == check) {
                return i as u32;
            }
            let mut reset = 0;
            if v.len() >= VERDICTS_KEPT {
                v.clear();
                reset = VERDICTS_RESET;
            }
            let text = js::verdict(&check);
            v.push((check, text));
            (v.len() - 1) as u32 | reset
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
