//! Property tests: no input panics, and every event round-trips through the wire format and
//! through canonical JSON.

use primevox_webhooks::{from_json, parse, parse_with, Event, ParseOptions};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("application/json"),
    Some("application/x-www-form-urlencoded"),
    Some("text/plain"),
    Some("application/json; charset=utf-8"),
];

const KEYS: &[&str] = &[
    "eventType",
    "eventTarget",
    "containerId",
    "containerID",
    "tenantId",
    "tenantID",
    "conversationID",
    "toNumber",
    "fromNumber",
    "messageText",
    "didNumber",
    "didDescription",
    "didGroup",
    "cidPrefix",
    "callUuid",
    "callerIdNum",
    "callerIdName",
    "extNumber",
    "extensionNumber",
    "extName",
    "extensionName",
    "numberDialed",
    "rgNumber",
    "queueNumber",
    "CALLUUID",
    "foo",
    "x y",
    "",
];

const TYPES: &[&str] = &[
    "inboundMessage",
    "outboundMessage",
    "InboundCall",
    "HangupCall",
    "ringAttempt",
    "ExtensionAnswered",
    "inboundCallCompleted",
    "voicemailHangup",
    "outboundCall",
    "queueEntered",
    "INBOUNDCALL",
    "somethingNew",
    "",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,12}",
        " [0-9]{10}",
        "\\+1[0-9]{10}",
        "[a-fA-F0-9-]{36}",
        any::<String>(),
        Just(String::new()),
        "[a-z&=+%# ]{0,12}",
    ]
}

/// A form body built from plausible keys and arbitrary values, percent-encoded.
fn form_body() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(TYPES),
        prop::collection::vec((prop::sample::select(KEYS), value()), 0..14),
    )
        .prop_map(|(t, pairs)| {
            let mut s = format!("eventType={}", enc(t));
            for (k, v) in pairs {
                s.push('&');
                s.push_str(&enc(k));
                s.push('=');
                s.push_str(&enc(&v));
            }
            s.into_bytes()
        })
}

fn json_body() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(TYPES),
        prop::collection::vec((prop::sample::select(KEYS), value(), 0u8..6), 0..14),
    )
        .prop_map(|(t, pairs)| {
            let mut s = format!("{{\"eventType\":{}", js(t));
            for (k, v, shape) in pairs {
                let v = match shape {
                    0 => "12345".to_owned(),
                    1 => "null".to_owned(),
                    2 => "[1,{\"a\":\"b\"}]".to_owned(),
                    _ => js(&v),
                };
                s.push_str(&format!(",{}:{}", js(k), v));
            }
            s.push('}');
            s.into_bytes()
        })
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn js(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn round_trips(event: &Event<'_>) {
    let wire = event.encode();
    let again = parse(wire.body.as_bytes(), Some(wire.content_type))
        .unwrap_or_else(|e| panic!("encoded event does not parse: {e:?}\n{}", wire.body));
    assert_eq!(&again, event, "wire: {}", wire.body);
    let canonical = event.to_json();
    assert_eq!(&from_json(&canonical).unwrap(), event, "json: {canonical}");
}

/// 2000 cases per property; `PROPTEST_CASES` lowers it where each case is slow (valgrind).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..300),
                                   ct in prop::sample::select(CONTENT_TYPES),
                                   strict in any::<bool>()) {
        let options = ParseOptions { strict, ..ParseOptions::default() };
        if let Ok(event) = parse_with(&body, ct, &options) {
            round_trips(&event);
        }
    }

    #[test]
    fn form_events_round_trip(body in form_body(), strict in any::<bool>()) {
        let options = ParseOptions { strict, ..ParseOptions::default() };
        if let Ok(event) = parse_with(&body, Some("application/x-www-form-urlencoded"), &options) {
            round_trips(&event);
        }
    }

    #[test]
    fn json_events_round_trip(body in json_body()) {
        if let Ok(event) = parse(&body, Some("application/json")) {
            round_trips(&event);
        }
    }
}

#[test]
fn generators_reach_real_events() {
    // Guards the properties above against generators that only ever produce errors.
    let runner_cfg = ProptestConfig::default();
    let mut runner = proptest::test_runner::TestRunner::new(runner_cfg);
    let mut ok = 0;
    for _ in 0..2000 {
        let body = form_body().new_tree(&mut runner).unwrap().current();
        if parse(&body, None).is_ok_and(|e| e.kind() != primevox_webhooks::Kind::Unknown) {
            ok += 1;
        }
    }
    assert!(
        ok > 20,
        "only {ok} of 2000 generated form bodies were known events"
    );
}
