//! The event helpers and the core's lists, each answer a tagged JSON text (`ffi::js`).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use primevox_webhooks::{api, ffi::js, ErrorCode, Kind};

use crate::guarded;

/// `{"ok":{"contentType":…,"body":…}}`: a canonical event JSON in the vendor's wire format.
#[napi]
pub fn encode(canonical: String) -> Result<String> {
    guarded(|| Ok(js::encode_tagged(&canonical)))
}

/// `{"ok":"<key>"}`: the dedup key of a canonical event JSON.
#[napi(js_name = "dedupKey")]
pub fn dedup_key(canonical: String) -> Result<String> {
    guarded(|| Ok(js::tagged_str(api::dedup_key_json(&canonical))))
}

/// `{"ok":"+1…"}` or `{"ok":null}`: the caller's E.164 number of a canonical event JSON.
#[napi(js_name = "callerE164")]
pub fn caller_e164(canonical: String) -> Result<String> {
    guarded(|| Ok(js::tagged_opt_str(api::caller_e164_json(&canonical))))
}

/// Every error code, in the core's order.
#[napi(js_name = "errorCodes")]
pub fn error_codes() -> Vec<&'static str> {
    ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
}

/// Every kind string, in the core's order.
#[napi]
pub fn kinds() -> Vec<&'static str> {
    Kind::ALL.iter().map(|k| k.as_str()).collect()
}
