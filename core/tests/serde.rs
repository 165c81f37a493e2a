//! Feature `serde`: `Event` serializes to exactly its canonical JSON and deserializes exactly as
//! `from_json` reads it, over every shared vector and over the `extra` values serde's own number
//! types cannot hold.
#![cfg(feature = "serde")]

use std::fs;
use std::path::Path;

use base64::Engine as _;
use primevox_webhooks::{from_json, parse, parse_with, Event, Kind, ParseOptions};
use serde::de::value::{Error as ValueError, MapDeserializer};
use serde::de::IntoDeserializer;
use serde::Deserialize;
use serde_json::Value;

/// Every event the shared vectors produce.
fn vector_events() -> Vec<(String, Event<'static>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut paths: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let v: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        if v["expect"].get("event").is_none() {
            continue;
        }
        let body = match (&v["body"], &v["body_base64"]) {
            (Value::String(s), _) => s.clone().into_bytes(),
            (_, Value::String(b)) => base64::engine::general_purpose::STANDARD.decode(b).unwrap(),
            _ => panic!("{name}: no body"),
        };
        let mut options = ParseOptions::default();
        if let Some(o) = v.get("options") {
            options.strict = o["strict"].as_bool().unwrap_or(false);
            if let Some(n) = o["max_body_bytes"].as_u64() {
                options.max_body_bytes = n as usize;
            }
            if let Some(n) = o["max_depth"].as_u64() {
                options.max_depth = n as usize;
            }
        }
        let event = parse_with(&body, v["content_type"].as_str(), &options)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"))
            .into_owned();
        out.push((name, event));
    }
    assert!(out.len() >= 60, "only {} event vectors", out.len());
    out
}

#[test]
fn serialize_is_the_canonical_json_for_every_vector() {
    for (name, event) in vector_events() {
        let canonical = event.to_json();
        assert_eq!(serde_json::to_string(&event).unwrap(), canonical, "{name}");
        // Through serde_json's Value too (the same data, not the same bytes).
        let via_value = serde_json::to_value(&event).unwrap();
        let direct: Value = serde_json::from_str(&canonical).unwrap();
        assert_eq!(via_value, direct, "{name}");
    }
}

#[test]
fn deserialize_agrees_with_from_json_for_every_vector() {
    for (name, event) in vector_events() {
        let canonical = event.to_json();
        let back: Event<'static> = serde_json::from_str(&canonical).unwrap();
        assert_eq!(back, from_json(&canonical).unwrap(), "{name}");
        assert_eq!(back, event, "{name}");
        // From a reader (owned strings) and from a Value.
        let from_reader: Event<'static> = serde_json::from_reader(canonical.as_bytes()).unwrap();
        assert_eq!(from_reader, event, "{name}");
        let pretty = serde_json::to_string_pretty(&event).unwrap();
        let from_pretty: Event<'static> = serde_json::from_str(&pretty).unwrap();
        assert_eq!(from_pretty, event, "{name}");
    }
}

#[test]
fn extra_numbers_pass_through_digit_for_digit() {
    let body = br#"{"eventType":"inboundMessage","containerId":"1","tenantId":"2","conversationId":"c","toNumber":"+15125550100","fromNumber":"+15125550199","messageText":"hi","a":1.50,"b":1180591620717411303424,"c":-0,"d":1E5,"e":{"x" : [1, 2.0 ,{}]},"f":true,"g":null}"#;
    let event = parse(body, Some("application/json")).unwrap();
    let json = serde_json::to_string(&event).unwrap();
    assert_eq!(json, event.to_json());
    assert!(json.contains(r#"["a",1.50],["b",1180591620717411303424],["c",-0],["d",1E5]"#));
    assert!(json.contains(r#"["e",{"x":[1,2.0,{}]}]"#));
    let back: Event<'static> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, event.clone().into_owned());
    // Whitespace inside a value is compacted exactly as from_json compacts it.
    let spaced = json.replace(r#"{"x":[1,2.0,{}]}"#, r#"{ "x" : [ 1 , 2.0 , { } ] }"#);
    assert_ne!(spaced, json);
    let back: Event<'static> = serde_json::from_str(&spaced).unwrap();
    assert_eq!(back, from_json(&spaced).unwrap());
    assert_eq!(back.to_json(), json);
}

#[test]
fn deserialize_errors_are_from_json_errors() {
    let cases = [
        r#"{"kind":"call.nope","eventType":"X","extra":[]}"#,
        r#"{"eventType":"X","extra":[]}"#,
        r#"{"kind":"unknown","extra":[]}"#,
        r#"{"kind":"unknown","eventType":"X","bogus":"1","extra":[]}"#,
        r#"{"kind":"unknown","eventType":"X","callUuid":"u","extra":[]}"#,
        r#"{"kind":"call.hangup","eventType":"HangupCall","callUuid":5,"extra":[]}"#,
        r#"{"kind":"unknown","eventType":"X","extra":[["a"]]}"#,
        r#"{"kind":"unknown","eventType":"X","extra":[[1,2]]}"#,
        r#"["kind"]"#,
    ];
    for case in cases {
        let want = from_json(case).unwrap_err();
        let got = serde_json::from_str::<Event<'static>>(case).unwrap_err();
        assert!(
            got.to_string().starts_with(want.message()),
            "{case}: serde said {got}, from_json said {}",
            want.message()
        );
    }
}

#[test]
fn deserialize_from_a_format_that_is_not_serde_json() {
    // serde's own map deserializer knows nothing of raw JSON: the value is rebuilt from serde's
    // data model and read by from_json all the same.
    let pairs = vec![
        ("kind", "call.hangup"),
        ("eventType", "HangupCall"),
        ("containerId", "1"),
        ("callUuid", "u-1"),
    ];
    let de: MapDeserializer<_, ValueError> = MapDeserializer::new(pairs.into_iter());
    let event = Event::deserialize(de).unwrap();
    assert_eq!(event.kind(), Kind::CallHangup);
    assert_eq!(event.call_uuid(), Some("u-1"));
    assert_eq!(event.container_id(), Some("1"));
    assert!(event.extra().is_empty());

    let bad: MapDeserializer<_, ValueError> =
        MapDeserializer::new(vec![("kind", "nope"), ("eventType", "X")].into_iter());
    let err = Event::deserialize(bad).unwrap_err();
    assert!(err.to_string().contains("unknown kind 'nope'"), "{err}");

    let s: serde::de::value::StrDeserializer<ValueError> = "call.hangup".into_deserializer();
    assert!(Event::deserialize(s).is_err());
}

#[test]
fn call_records_serialize_as_their_to_json() {
    use primevox_webhooks::calls::Call;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/calls");
    let mut checked = 0;
    let form = Some("application/x-www-form-urlencoded");
    let mut call = Call::default();
    for (i, body) in [
        "eventType=InboundCall&containerId=1&tenantId=2&callUuid=ABC&callerIdNum=5125550199&didNumber=5125550100",
        "eventType=queueEntered&containerId=1&tenantId=2&callUuid=abc&queueNumber=600",
        "eventType=ExtensionAnswered&containerId=1&tenantId=2&callUuid=abc&extNumber=101&extName=Front",
        "eventType=HangupCall&containerId=1&tenantId=2&callUuid=abc",
    ]
    .iter()
    .enumerate()
    {
        let event = parse(body.as_bytes(), form).unwrap();
        call.add(&event, 1_700_000_000_000 + i as u64 * 1000).unwrap();
        let record = call.summary();
        assert_eq!(serde_json::to_string(&record).unwrap(), record.to_json());
        assert_eq!(serde_json::to_string(&call).unwrap(), call.to_json());
        let back: Call = serde_json::from_str(&call.to_json()).unwrap();
        assert_eq!(back.summary(), record);
        checked += 1;
    }
    // The shared call vectors' states, where they hold one.
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let v: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let Some(deliveries) = v["deliveries"].as_array() else {
            continue;
        };
        let mut call = Call::default();
        for d in deliveries {
            let (Some(body), Some(at)) = (d["body"].as_str(), d["at"].as_u64()) else {
                continue;
            };
            let ct = d["content_type"].as_str().or(d["contentType"].as_str());
            if let Ok(event) = parse(body.as_bytes(), ct) {
                let _ = call.add(&event, at);
            }
        }
        let record = call.summary();
        assert_eq!(
            serde_json::to_string(&record).unwrap(),
            record.to_json(),
            "{path:?}"
        );
        let value = serde_json::to_value(&record).unwrap();
        assert_eq!(
            value,
            serde_json::from_str::<Value>(&record.to_json()).unwrap()
        );
        checked += 1;
    }
    assert!(checked >= 4);
    let err = serde_json::from_str::<Call>(r#"{"version":9}"#).unwrap_err();
    assert!(!err.to_string().is_empty());
}
