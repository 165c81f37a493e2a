//! Arbitrary text into `from_json` and the canonical-JSON helpers the bindings call: they must
//! return, never panic, and an accepted event must be a fixed point of to_json/from_json.
#![no_main]

use libfuzzer_sys::fuzz_target;
use primevox_webhooks::{api, from_json};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = api::encode_json(&text);
    let _ = api::dedup_key_json(&text);
    let _ = api::caller_e164_json(&text);
    if let Ok(event) = from_json(&text) {
        let canonical = event.to_json();
        let back = from_json(&canonical).unwrap_or_else(|e| panic!("{e:?}\n{canonical}"));
        assert_eq!(back, event, "canonical: {canonical}");
        assert_eq!(back.to_json(), canonical);
        let _ = event.encode();
        let _ = event.dedup_key();
    }
});
