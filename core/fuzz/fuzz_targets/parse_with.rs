//! Arbitrary bytes, Content-Type and options into `parse_with`: it must return, never panic,
//! and whatever it returns must be usable (canonical JSON, error JSON, helpers).
#![no_main]

use libfuzzer_sys::fuzz_target;
use primevox_webhooks::{api, parse_with, ErrorCode};

mod common;

fuzz_target!(|data: &[u8]| {
    let Some((body, content_type, options)) = common::split(data) else {
        return;
    };
    match parse_with(body, content_type.as_deref(), &options) {
        Ok(event) => {
            let json = event.to_json();
            assert!(json.starts_with("{\"kind\":\""));
            let _ = event.dedup_key();
            let _ = event.caller_e164();
            let _ = event.encode();
        }
        Err(e) => {
            assert!(ErrorCode::ALL.contains(&e.code()));
            assert!(!e.message().is_empty());
            let _ = api::error_to_json(&e);
        }
    }
});
