//! Sender checks of the core: constant-time tokens, query parameters, CIDR allow-lists.

use wasm_bindgen::prelude::*;

/// Whether `presented` equals one of `expected`, in constant time (the core's verify_token).
#[wasm_bindgen(js_name = "verifyToken")]
pub fn verify_token(presented: &str, expected: Vec<String>) -> bool {
    primevox_webhooks::verify_token(presented, &expected)
}

/// The first value of `name` in a URL query string, form-decoded (the core's query_param).
#[wasm_bindgen(js_name = "queryParam")]
pub fn query_param(query: &str, name: &str) -> Option<String> {
    primevox_webhooks::security::query_param(query, name)
}

/// CIDR ranges of allowed peer addresses (the core's AllowList).
#[wasm_bindgen]
pub struct AllowList {
    inner: primevox_webhooks::AllowList,
}

#[wasm_bindgen]
impl AllowList {
    /// Throws an Error naming the first entry that is not an address or CIDR range.
    #[wasm_bindgen(constructor)]
    pub fn new(ranges: Vec<String>) -> Result<AllowList, JsError> {
        primevox_webhooks::AllowList::parse(&ranges)
            .map(|inner| AllowList { inner })
            .map_err(|e| JsError::new(&e))
    }

    /// Whether the peer address (with or without a port) is in one of the ranges.
    pub fn contains(&self, addr: &str) -> bool {
        self.inner.contains_str(addr)
    }
}
