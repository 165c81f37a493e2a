//! Sender checks of the core: constant-time tokens, query parameters, CIDR allow-lists.

use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Whether `presented` equals one of `expected`, in constant time (the core's verify_token).
#[napi(js_name = "verifyToken")]
pub fn verify_token(presented: String, expected: Vec<String>) -> bool {
    primevox_webhooks::verify_token(&presented, &expected)
}

/// The first value of `name` in a URL query string, form-decoded (the core's query_param).
#[napi(js_name = "queryParam")]
pub fn query_param(query: String, name: String) -> Option<String> {
    primevox_webhooks::security::query_param(&query, &name)
}

/// CIDR ranges of allowed peer addresses (the core's AllowList).
#[napi(js_name = "AllowList")]
pub struct AllowList {
    inner: primevox_webhooks::AllowList,
}

#[napi]
impl AllowList {
    /// Throws an Error naming the first entry that is not an address or CIDR range.
    #[napi(constructor)]
    pub fn new(ranges: Vec<String>) -> Result<Self> {
        primevox_webhooks::AllowList::parse(&ranges)
            .map(|inner| AllowList { inner })
            .map_err(|e| Error::new(Status::InvalidArg, e))
    }

    /// Whether the peer address (with or without a port) is in one of the ranges.
    #[napi]
    pub fn contains(&self, addr: String) -> bool {
        self.inner.contains_str(&addr)
    }
}
