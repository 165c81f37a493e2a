//! Property tests: no input panics, and every event round-trips through the wire format and
//! through canonical JSON.

use primevox_webhooks::{from_json, parse, parse_with, Event, Field, Kind, ParseOptions};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("application/json"),
    Some("application/x-www-form-urlencoded"),
    Some("text/plain"),
    Some("application/json; charset=utf-8"),
];

/// Every wire spelling of every field (from the kind table), and names that are none.
fn keys() -> Vec<&'static str> {
    let mut keys = vec!["eventType", "eventTarget", "CALLUUID", "foo", "x y", ""];
    for f in Field::ALL {
        keys.extend(f.wire_names());
    }
    keys
}

/// Every documented eventType (from the kind table), and some that are not.
fn types() -> Vec<&'static str> {
    let mut types = vec!["INBOUNDCALL", "somethingNew", ""];
    types.extend(Kind::ALL.iter().filter_map(|k| k.wire_event_type()));
    types.dedup();
    types
}

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
        prop::sample::select(types()),
        prop::collection::vec((prop::sample::select(keys()), value()), 0..14),
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
        prop::sample::select(types()),
        any::<bool>(),
        prop::collection::vec((prop::sample::select(keys()), value(), 0u8..6), 0..14),
    )
        .prop_map(|(t, complete, pairs)| {
            let mut s = format!("{{\"eventType\":{}", js(t));
            // Half the bodies start with the fields the event type requires, so that random
            // members mostly land on real events rather than on missing_field.
            let required = Kind::ALL
                .iter()
                .filter(|k| k.wire_event_type() == Some(t))
                .flat_map(|k| k.fields().iter().filter(move |f| k.is_required(**f)));
            for f in required.filter(|_| complete) {
                s.push_str(&format!(",{}:\"3547\"", js(f.camel_name())));
            }
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

/// How many of 2000 bodies from `generator` parse (with `content_type`) into a known event.
fn known_events(generator: impl Strategy<Value = Vec<u8>>, content_type: &str) -> usize {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::default());
    (0..2000)
        .filter(|_| {
            let body = generator.new_tree(&mut runner).unwrap().current();
            parse(&body, Some(content_type)).is_ok_and(|e| e.kind() != Kind::Unknown)
        })
        .count()
}

#[test]
fn generators_reach_real_events() {
    // Guards the properties above against generators that only ever produce errors.
    let form = known_events(form_body(), "application/x-www-form-urlencoded");
    assert!(
        form > 20,
        "only {form} of 2000 generated form bodies were known events"
    );
    let json = known_events(json_body(), "application/json");
    eprintln!("known events: {form} form, {json} JSON of 2000 each");
    assert!(
        json > 200,
        "only {json} of 2000 generated JSON bodies were known events"
    );
}
