use super::*;
use crate::kind::Field;

fn ev(kind: Kind, uuid: &str, fields: &[(Field, &str)]) -> Event<'static> {
    let mut e = Event::new(kind, kind.wire_event_type().unwrap_or("x").to_owned())
        .with(Field::ContainerId, "1")
        .with(Field::TenantId, "2")
        .with(Field::CallUuid, uuid.to_owned());
    for (f, v) in fields {
        e = e.with(*f, v.to_string());
    }
    e
}

#[test]
fn missed_call_out_of_order() {
    let mut c = Call::default();
    let hangup = ev(Kind::CallHangup, "ABC", &[]);
    let inbound = ev(
        Kind::InboundCall,
        "abc",
        &[(Field::CallerIdNum, "5125550199")],
    );
    assert_eq!(c.add(&hangup, 30), Ok(true));
    assert_eq!(c.add(&inbound, 10), Ok(true));
    assert_eq!(c.add(&hangup, 40), Ok(false));
    let s = c.summary();
    assert_eq!(s.outcome, "missed");
    assert_eq!(s.direction, Direction::Inbound);
    assert_eq!(s.call_uuid.as_deref(), Some("abc"));
    assert!(s.ended);
    assert_eq!(s.ended_at, Some(30));
    assert_eq!(s.first_seen_at, Some(10));
    assert_eq!(s.last_seen_at, Some(30));
    assert_eq!(s.deliveries, 2);
    assert_eq!(s.caller_id_num.as_deref(), Some("5125550199"));
}

#[test]
fn retry_keeps_smaller_at() {
    let mut c = Call::default();
    let hangup = ev(Kind::CallHangup, "abc", &[]);
    c.add(&hangup, 50).unwrap();
    assert_eq!(c.add(&hangup, 20), Ok(false));
    assert_eq!(c.summary().ended_at, Some(20));
    assert_eq!(c.summary().last_seen_at, Some(20));
}

#[test]
fn outcomes() {
    let cases: Vec<(Vec<Event<'static>>, &str)> = vec![
        (vec![ev(Kind::InboundCall, "u", &[])], "in_progress"),
        (
            vec![
                ev(Kind::InboundCall, "u", &[]),
                ev(Kind::CallHangup, "u", &[]),
            ],
            "missed",
        ),
        (
            vec![ev(
                Kind::CallHangup,
                "u",
                &[(Field::ExtensionNumber, "101")],
            )],
            "answered",
        ),
        (
            vec![
                ev(Kind::VoicemailLeft, "u", &[(Field::ExtensionNumber, "101")]),
                ev(Kind::CallHangup, "u", &[(Field::ExtensionNumber, "101")]),
            ],
            "voicemail",
        ),
        (
            vec![
                ev(Kind::VoicemailLeft, "u", &[]),
                ev(Kind::ExtensionHangup, "u", &[]),
            ],
            "answered",
        ),
        (
            vec![
                ev(Kind::OutboundCall, "u", &[]),
                ev(Kind::ExtensionAnswered, "u", &[]),
            ],
            "placed",
        ),
    ];
    for (events, outcome) in cases {
        let mut c = Call::default();
        for (i, e) in events.iter().enumerate() {
            c.add(e, i as u64).unwrap();
        }
        assert_eq!(c.summary().outcome.as_str(), outcome, "{events:?}");
    }
}

#[test]
fn answered_by_rules() {
    let mut c = Call::default();
    c.add(
        &ev(Kind::VoicemailLeft, "u", &[(Field::ExtensionNumber, "9")]),
        5,
    )
    .unwrap();
    c.add(
        &ev(Kind::CallHangup, "u", &[(Field::ExtensionNumber, "101")]),
        6,
    )
    .unwrap();
    let s = c.summary();
    assert_eq!(s.answered_by, None);
    assert_eq!(
        s.voicemail.as_ref().unwrap().extension_number.as_deref(),
        Some("9")
    );

    let mut c = Call::default();
    c.add(
        &ev(
            Kind::CallHangup,
            "u",
            &[
                (Field::ExtensionNumber, "101"),
                (Field::ExtensionName, "Ann"),
            ],
        ),
        6,
    )
    .unwrap();
    c.add(
        &ev(
            Kind::ExtensionHangup,
            "u",
            &[(Field::ExtensionNumber, "102")],
        ),
        7,
    )
    .unwrap();
    assert_eq!(
        c.summary().answered_by,
        Some(Party {
            extension_number: Some("102".into()),
            extension_name: None,
            at: 7
        })
    );

    let mut c = Call::default();
    c.add(
        &ev(Kind::OutboundCall, "u", &[(Field::ExtensionNumber, "101")]),
        1,
    )
    .unwrap();
    c.add(
        &ev(
            Kind::ExtensionHangup,
            "u",
            &[(Field::ExtensionNumber, "101")],
        ),
        9,
    )
    .unwrap();
    let s = c.summary();
    assert_eq!(s.answered_by, None);
    assert_eq!(s.ended_at, Some(9));
    assert_eq!(s.placed_by.unwrap().at, 1);
}

#[test]
fn visits_dedup_and_sort() {
    let mut c = Call::default();
    c.add(
        &ev(Kind::QueueEntered, "u", &[(Field::QueueNumber, "800")]),
        5,
    )
    .unwrap();
    c.add(
        &ev(Kind::QueueEntered, "u", &[(Field::QueueNumber, "700")]),
        5,
    )
    .unwrap();
    c.add(
        &ev(
            Kind::QueueEntered,
            "u",
            &[(Field::QueueNumber, "800"), (Field::CallerIdNum, "1")],
        ),
        3,
    )
    .unwrap();
    c.add(
        &ev(
            Kind::ExtensionRinging,
            "u",
            &[(Field::ExtensionNumber, "101")],
        ),
        4,
    )
    .unwrap();
    c.add(
        &ev(
            Kind::ExtensionRinging,
            "u",
            &[
                (Field::ExtensionNumber, "101"),
                (Field::ExtensionName, "Ann"),
            ],
        ),
        6,
    )
    .unwrap();
    let s = c.summary();
    let q: Vec<_> = s
        .queues
        .iter()
        .map(|q| (q.queue_number.as_str(), q.at))
        .collect();
    assert_eq!(q, [("800", 3), ("700", 5)]);
    assert_eq!(s.extensions_rung[0].extension_name.as_deref(), Some("Ann"));
    assert_eq!(s.extensions_rung[0].at, 4);
}

#[test]
fn errors_leave_the_call_unchanged() {
    let mut c = Call::default();
    c.add(&ev(Kind::InboundCall, "u", &[]), 1).unwrap();
    let before = c.clone();
    let msg = Event::new(Kind::InboundMessage, "inboundMessage").with(Field::ContainerId, "1");
    assert_eq!(c.add(&msg, 2).unwrap_err().code(), "not_a_call_event");
    let unknown = Event::new(Kind::Unknown, "x");
    assert_eq!(
        c.add(&unknown, 2).unwrap_err().code(),
        CallErrorCode::NotACallEvent
    );
    let no_uuid = Event::new(Kind::CallHangup, "HangupCall");
    assert_eq!(c.add(&no_uuid, 2).unwrap_err().code(), "not_a_call_event");
    assert_eq!(
        c.add(&ev(Kind::CallHangup, "v", &[]), 2)
            .unwrap_err()
            .code(),
        "call_mismatch"
    );
    let mut other = Call::default();
    other.add(&ev(Kind::CallHangup, "v", &[]), 2).unwrap();
    assert_eq!(c.merge(&other).unwrap_err().code(), "call_mismatch");
    assert_eq!(c, before);
    for bad in [
        "",
        "{}",
        "[]",
        "{\"version\":2,\"callUuid\":null,\"deliveries\":[]}",
        "nope",
    ] {
        assert_eq!(
            Call::from_json(bad).unwrap_err().code(),
            "invalid_state",
            "{bad}"
        );
    }
}

#[test]
fn state_round_trip_and_merge() {
    let mut a = Call::default();
    a.add(
        &ev(Kind::InboundCall, "U", &[(Field::DidNumber, "5125550100")]),
        1,
    )
    .unwrap();
    a.add(
        &ev(
            Kind::ExtensionAnswered,
            "u",
            &[(Field::ExtensionNumber, "101")],
        ),
        3,
    )
    .unwrap();
    let back = Call::from_json(&a.to_json()).unwrap();
    assert_eq!(back, a);
    assert_eq!(back.to_json(), a.to_json());
    let mut b = Call::default();
    b.add(
        &ev(Kind::CallHangup, "u", &[(Field::ExtensionNumber, "101")]),
        9,
    )
    .unwrap();
    b.merge(&back).unwrap();
    let mut all = a.clone();
    all.add(
        &ev(Kind::CallHangup, "u", &[(Field::ExtensionNumber, "101")]),
        9,
    )
    .unwrap();
    assert_eq!(b.summary_json(), all.summary_json());
    assert_eq!(
        Call::from_json(&Call::default().to_json()).unwrap(),
        Call::default()
    );
    // Another call's delivery, or a repeated one, is not a state add() could have built.
    let s = a.to_json();
    let evil = s.replacen("\"callUuid\":\"u\"", "\"callUuid\":\"w\"", 1);
    assert_eq!(Call::from_json(&evil).unwrap_err().code(), "invalid_state");
}

#[test]
fn summary_json_keys() {
    let s = Call::default().summary_json();
    assert_eq!(
        s,
        "{\"callUuid\":null,\"direction\":\"inbound\",\"outcome\":\"in_progress\",\"ended\":false,\
         \"endedAt\":null,\"containerId\":null,\"tenantId\":null,\"callerIdNum\":null,\
         \"callerIdName\":null,\"didNumber\":null,\"didDescription\":null,\"didGroup\":null,\
         \"cidPrefix\":null,\"numberDialed\":null,\"placedBy\":null,\"voicemail\":null,\
         \"answeredBy\":null,\"queues\":[],\"ringGroups\":[],\"extensionsRung\":[],\
         \"firstSeenAt\":null,\"lastSeenAt\":null,\"deliveries\":0}"
    );
}

#[test]
fn tracker_completion_expiry_and_bound() {
    use std::sync::{Arc, Mutex};
    let done = Arc::new(Mutex::new(Vec::new()));
    let seen = done.clone();
    let mut t = CallTracker::new()
        .with_max_calls(2)
        .on_complete(move |r| seen.lock().unwrap().push(r.call_uuid.clone()));
    let r = t.add(&ev(Kind::InboundCall, "A", &[]), 10).unwrap();
    assert!(r.new && !r.ended && r.evicted.is_empty());
    assert!(t.add(&ev(Kind::CallHangup, "a", &[]), 20).unwrap().ended);
    assert!(!t.add(&ev(Kind::CallHangup, "a", &[]), 21).unwrap().ended);
    t.add(&ev(Kind::InboundCall, "b", &[]), 15).unwrap();
    assert_eq!(*done.lock().unwrap(), vec![Some("a".to_owned())]);
    // b (15) is less recently seen than a (21): it goes first.
    let r = t.add(&ev(Kind::InboundCall, "c", &[]), 30).unwrap();
    assert_eq!(r.evicted.len(), 1);
    assert_eq!(r.evicted[0].call_uuid(), Some("b"));
    assert_eq!(t.len(), 2);
    assert!(t.get("A").is_some());
    assert!(t.add(&Event::new(Kind::Unknown, "x"), 1).is_err());
    let gone = t.expire(40, 15);
    assert_eq!(
        gone.iter()
            .map(|c| c.call_uuid().unwrap())
            .collect::<Vec<_>>(),
        ["a"]
    );
    assert_eq!(t.expire(45, 15).len(), 0);
    assert_eq!(t.expire(46, 15).len(), 1);
    assert!(t.is_empty());
}
