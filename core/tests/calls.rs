//! The shared call vectors (tests/calls/*.json) and property tests of the call record: any
//! permutation, duplication, split-and-merge and state round trip give the same record.

use std::path::PathBuf;

use primevox_webhooks::calls::{Call, CallTracker};
use primevox_webhooks::{from_json, parse, Event, Field, Kind};
use proptest::prelude::*;
use serde_json::Value;

fn vectors() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/calls");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A delivery of a vector: `{at, contentType, body}` parsed leniently, or `{at, event}`.
fn delivery(d: &Value) -> (Event<'static>, u64) {
    let at = d["at"].as_u64().expect("at");
    let event = match &d["body"] {
        Value::String(body) => parse(body.as_bytes(), d["contentType"].as_str())
            .expect("vector bodies parse")
            .into_owned(),
        _ => from_json(&d["event"].to_string()).expect("canonical event"),
    };
    (event, at)
}

fn record(call: &Call) -> Value {
    serde_json::from_str(&call.summary_json()).unwrap()
}

#[test]
fn call_vectors() {
    let all = vectors();
    assert!(all.len() >= 15, "{} call vectors", all.len());
    let mut outcomes = std::collections::BTreeSet::new();
    let mut codes = std::collections::BTreeSet::new();
    for (name, v) in &all {
        let mut call = Call::default();
        let mut good = Vec::new();
        for (i, d) in v["deliveries"].as_array().unwrap().iter().enumerate() {
            let (event, at) = delivery(d);
            let before = call.clone();
            match call.add(&event, at) {
                Ok(new) => {
                    assert_eq!(Some(new), d["new"].as_bool(), "{name} delivery {i}");
                    good.push((event, at));
                }
                Err(e) => {
                    assert_eq!(Some(e.code().as_str()), d["error"].as_str(), "{name} {i}");
                    assert_eq!(call, before, "{name} {i}: an error changed the call");
                    codes.insert(e.code().as_str());
                }
            }
        }
        let expected = &v["record"];
        assert_eq!(&record(&call), expected, "{name}");
        outcomes.insert(expected["outcome"].as_str().unwrap().to_owned());
        // The typed record and its JSON agree.
        assert_eq!(call.summary().to_json(), call.summary_json());

        // Reversed, split in two and merged, and through the state: the same record.
        let mut rev = Call::default();
        for (e, at) in good.iter().rev() {
            rev.add(e, *at).unwrap();
        }
        assert_eq!(&record(&rev), expected, "{name} reversed");
        let (mut a, mut b) = (Call::default(), Call::default());
        for (i, (e, at)) in good.iter().enumerate() {
            if i % 2 == 0 {
                a.add(e, *at)
            } else {
                b.add(e, *at)
            }
            .unwrap();
        }
        let a = Call::from_json(&a.to_json()).unwrap();
        b.merge(&a).unwrap();
        assert_eq!(&record(&b), expected, "{name} split and merged");
        assert_eq!(
            Call::from_json(&call.to_json()).unwrap(),
            call,
            "{name} state"
        );
    }
    for o in ["placed", "answered", "voicemail", "missed", "in_progress"] {
        assert!(outcomes.contains(o), "no vector has outcome {o}");
    }
    for c in ["not_a_call_event", "call_mismatch"] {
        assert!(codes.contains(c), "no vector has error {c}");
    }
}

#[test]
fn invalid_states() {
    let mut good = Call::default();
    let e = parse(
        b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=AbC",
        Some("application/x-www-form-urlencoded"),
    )
    .unwrap();
    good.add(&e, 5).unwrap();
    let s = good.to_json();
    let bad = [
        String::new(),
        "null".into(),
        "{\"version\":1}".into(),
        s.replace("\"version\":1", "\"version\":\"1\""),
        s.replace("\"at\":5", "\"at\":-5"),
        s.replace("\"at\":5", "\"at\":5.5"),
        s.replace("\"callUuid\":\"abc\"", "\"callUuid\":\"ABC\""),
        s.replace("\"callUuid\":\"abc\"", "\"callUuid\":null"),
        s.replace("call.hangup", "message.inbound"),
        s.replace("]}", "],\"more\":1}"),
        // The same delivery twice.
        {
            let d = &s[s.find("{\"at\"").unwrap()..s.len() - 2];
            format!("{{\"version\":1,\"callUuid\":\"abc\",\"deliveries\":[{d},{d}]}}")
        },
        "{\"version\":1,\"callUuid\":\"abc\",\"deliveries\":[]}".into(),
    ];
    for b in &bad {
        let err = Call::from_json(b).expect_err(b);
        assert_eq!(err.code(), "invalid_state", "{b}");
    }
    assert_eq!(Call::from_json(&s).unwrap(), good);
}

// ---- property tests ----

const UUIDS: &[&str] = &["abc-1", "ABC-1", "Abc-1"];
const NUMBERS: &[&str] = &["", "101", "102", "800"];
const NAMES: &[&str] = &["", "Ann", "Bob"];

fn arb_event() -> impl Strategy<Value = Event<'static>> {
    let kinds: Vec<Kind> = Kind::ALL.into_iter().filter(|k| k.is_call()).collect();
    (
        proptest::sample::select(kinds),
        proptest::sample::select(UUIDS),
        proptest::collection::vec(proptest::sample::select(NUMBERS), 4),
        proptest::sample::select(NAMES),
    )
        .prop_map(|(kind, uuid, nums, name)| {
            let mut e = Event::new(kind, kind.wire_event_type().unwrap())
                .with(Field::ContainerId, nums[0].to_owned())
                .with(Field::TenantId, "7")
                .with(Field::CallUuid, uuid);
            for (f, v) in [
                (Field::ExtensionNumber, nums[1]),
                (Field::QueueNumber, nums[2]),
                (Field::RingGroupNumber, nums[2]),
                (Field::CallerIdNum, nums[3]),
                (Field::DidNumber, nums[3]),
                (Field::NumberDialed, nums[1]),
                (Field::ExtensionName, name),
                (Field::CallerIdName, name),
            ] {
                if kind.has_field(f) {
                    e = e.with(f, v.to_owned());
                }
            }
            e
        })
}

fn arb_deliveries() -> impl Strategy<Value = Vec<(Event<'static>, u64)>> {
    proptest::collection::vec((arb_event(), 0u64..6), 1..14)
}

fn build(ds: &[(Event<'static>, u64)]) -> Call {
    let mut c = Call::default();
    for (e, at) in ds {
        c.add(e, *at).unwrap();
    }
    c
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_order_duplication_split_and_state_give_one_record(
        ds in arb_deliveries(),
        seed in any::<u64>(),
        dups in proptest::collection::vec((any::<prop::sample::Index>(), 0u64..9), 0..5),
        cut in any::<prop::sample::Index>(),
        parts in any::<prop::sample::Index>(),
    ) {
        let reference = build(&ds);
        // Retries, each received later or earlier than the original.
        let mut mixed = ds.clone();
        for (i, at) in &dups {
            let (e, _) = &ds[i.index(ds.len())];
            mixed.push((e.clone(), *at));
        }
        let mut expected_call = build(&mixed);
        // A permutation from the seed (Fisher-Yates with a small LCG).
        let mut s = seed | 1;
        for i in (1..mixed.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            mixed.swap(i, (s >> 33) as usize % (i + 1));
        }
        let permuted = build(&mixed);
        prop_assert_eq!(permuted.summary_json(), expected_call.summary_json());
        prop_assert_eq!(permuted.to_json(), expected_call.to_json());
        // Split into up to 4 processes, each with a state round trip at a random point, merged.
        let n = 1 + parts.index(4);
        let mut calls = vec![Call::default(); n];
        let at_cut = cut.index(mixed.len() + 1);
        for (i, (e, at)) in mixed.iter().enumerate() {
            if i == at_cut {
                for c in calls.iter_mut() {
                    *c = Call::from_json(&c.to_json()).unwrap();
                }
            }
            calls[i % n].add(e, *at).unwrap();
        }
        let mut merged = Call::default();
        for c in &calls {
            merged.merge(c).unwrap();
        }
        prop_assert_eq!(merged.summary_json(), expected_call.summary_json());
        prop_assert_eq!(&merged, &expected_call);
        // Duplicates do not count: retries at later times do not change the record.
        let later: Vec<_> = ds.iter().map(|(e, at)| (e.clone(), at + 100)).collect();
        expected_call = reference.clone();
        for (e, at) in &later {
            prop_assert!(!expected_call.add(e, *at).unwrap());
        }
        prop_assert_eq!(expected_call.summary_json(), reference.summary_json());
    }

    #[test]
    fn tracker_records_equal_one_call_each(ds in arb_deliveries()) {
        let mut t = CallTracker::new();
        let mut ended = 0;
        for (e, at) in &ds {
            let r = t.add(e, *at).unwrap();
            ended += usize::from(r.ended);
        }
        let one = build(&ds);
        prop_assert_eq!(t.len(), 1);
        prop_assert_eq!(t.get("ABC-1").unwrap(), &one);
        prop_assert_eq!(ended, usize::from(one.is_ended()));
    }
}
