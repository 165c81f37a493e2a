//! Encode-then-parse: every event `parse_with` returns goes back to the vendor's wire format
//! and through canonical JSON unchanged, with the same dedup key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use primevox_webhooks::{from_json, parse_with, ParseOptions};

mod common;

fuzz_target!(|data: &[u8]| {
    let Some((body, content_type, options)) = common::split(data) else {
        return;
    };
    let Ok(event) = parse_with(body, content_type.as_deref(), &options) else {
        return;
    };
    // The encoded body may be larger than the original (escapes) and keeps the original's
    // nesting: re-read it with room for both, in lenient mode.
    let roomy = ParseOptions {
        strict: false,
        max_body_bytes: usize::MAX,
        max_depth: options.max_depth.max(ParseOptions::default().max_depth),
    };
    let wire = event.encode();
    let again = parse_with(wire.body.as_bytes(), Some(wire.content_type), &roomy)
        .unwrap_or_else(|e| panic!("encoded event does not parse: {e:?}\n{}", wire.body));
    assert_eq!(again, event, "wire: {}", wire.body);
    assert_eq!(again.dedup_key(), event.dedup_key());
    let canonical = event.to_json();
    let back = from_json(&canonical).unwrap_or_else(|e| panic!("{e:?}\n{canonical}"));
    assert_eq!(back, event, "canonical: {canonical}");
    assert_eq!(back.to_json(), canonical);
});
