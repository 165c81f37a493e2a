//! The event helpers and the core's lists, each answer a tagged JSON text (`ffi::js`).

use primevox_webhooks::{api, ffi::js, ErrorCode, Kind};
use wasm_bindgen::prelude::*;

/// `{"ok":{"contentType":…,"body":…}}`: a canonical event JSON in the vendor's wire format.
#[wasm_bindgen]
pub fn encode(canonical: &str) -> String {
    js::encode_tagged(canonical)
}

/// `{"ok":"<key>"}`: the dedup key of a canonical event JSON.
#[wasm_bindgen(js_name = "dedupKey")]
pub fn dedup_key(canonical: &str) -> String {
    js::tagged_str(api::dedup_key_json(canonical))
}

/// `{"ok":"+1…"}` or `{"ok":null}`: the caller's E.164 number of a canonical event JSON.
#[wasm_bindgen(js_name = "callerE164")]
pub fn caller_e164(canonical: &str) -> String {
    js::tagged_opt_str(api::caller_e164_json(canonical))
}

/// Every error code, in the core's order.
#[wasm_bindgen(js_name = "errorCodes")]
pub fn error_codes() -> Vec<String> {
    ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect()
}

/// Every kind string, in the core's order.
#[wasm_bindgen]
pub fn kinds() -> Vec<String> {
    Kind::ALL.iter().map(|k| k.as_str().to_owned()).collect()
}
