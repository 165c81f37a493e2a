//! The local loop on 127.0.0.1: trigger every kind and scenario into `listen --save`, read the
//! capture back, stitch it with `calls`, replay it into a second listener, forward it.

mod common;

use std::collections::BTreeMap;

use common::{run, saved, scratch, Listener};
use primevox_webhooks::{parse_with, Kind, ParseOptions};

/// What each scenario sends and the outcome its call record must have (written here by hand,
/// from issues 11 and 13, not read from the CLI's own table).
const SCENARIOS: &[(&str, &[&str], &str)] = &[
    (
        "call:answered",
        &[
            "call.inbound",
            "extension.ringing",
            "extension.answered",
            "extension.hangup",
            "call.hangup",
        ],
        "answered",
    ),
    (
        "call:missed",
        &[
            "call.inbound",
            "extension.ringing",
            "extension.ringing",
            "call.hangup",
        ],
        "missed",
    ),
    (
        "call:voicemail",
        &[
            "call.inbound",
            "extension.ringing",
            "voicemail.left",
            "call.hangup",
        ],
        "voicemail",
    ),
    (
        "call:queue-abandoned",
        &[
            "call.inbound",
            "queue.entered",
            "extension.ringing",
            "extension.ringing",
            "call.hangup",
        ],
        "missed",
    ),
    (
        "call:ring-group",
        &[
            "call.inbound",
            "ring_group.entered",
            "extension.ringing",
            "extension.ringing",
            "extension.answered",
            "extension.hangup",
            "call.hangup",
        ],
        "answered",
    ),
    (
        "call:outbound",
        &["call.outbound", "extension.hangup"],
        "placed",
    ),
];

fn strict_parse(line: &serde_json::Value) -> primevox_webhooks::Event<'static> {
    let body = line["body"].as_str().expect("a text body");
    parse_with(
        body.as_bytes(),
        line["contentType"].as_str(),
        &ParseOptions::strict(),
    )
    .unwrap_or_else(|e| panic!("{e:?}: {body}"))
    .into_owned()
}

#[test]
fn trigger_every_kind_and_scenario_then_calls_and_replay() {
    let dir = scratch("loop");
    let cap = dir.join("capture.jsonl");
    let listen = Listener::start(&["--save", cap.to_str().unwrap()]);
    let url = listen.url.clone();

    // Every canonical kind, as PrimeVOX sends it.
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| *k != Kind::Unknown)
        .collect();
    for k in &kinds {
        let out = run(&["trigger", k.as_str(), "--to", &url], b"");
        assert_eq!(out.code, 0, "{}: {}{}", k.as_str(), out.stdout, out.stderr);
        assert!(
            out.stdout.starts_with(&format!("200 {}", k.as_str())),
            "{}",
            out.stdout
        );
    }
    // Every scenario, fast.
    let mut call_ids = BTreeMap::new();
    for (name, _, _) in SCENARIOS {
        let out = run(&["trigger", name, "--to", &url, "--speed", "2000"], b"");
        assert_eq!(out.code, 0, "{name}: {}{}", out.stdout, out.stderr);
        let ids: std::collections::BTreeSet<&str> = out
            .stdout
            .lines()
            .map(|l| l.split(' ').nth(2).unwrap())
            .collect();
        assert_eq!(ids.len(), 1, "one call per scenario: {}", out.stdout);
        call_ids.insert(ids.into_iter().next().unwrap().to_owned(), *name);
    }
    let lines = saved(&cap);
    let total: usize = kinds.len() + SCENARIOS.iter().map(|s| s.1.len()).sum::<usize>();
    assert_eq!(lines.len(), total);
    assert_eq!(listen.next_lines(total).len(), total);

    // The capture: every delivery accepted, in the vendor's format, parsing strictly.
    for (i, k) in kinds.iter().enumerate() {
        let line = &lines[i];
        assert_eq!(line["status"], 200);
        assert_eq!(line["method"], "POST");
        assert_eq!(line["path"], "/");
        assert!(line.get("error").is_none());
        let event = strict_parse(line);
        assert_eq!(event.kind(), *k);
        let wire_ct = if k.is_message() {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        assert_eq!(line["contentType"], wire_ct);
        assert_eq!(line["headers"]["content-type"], wire_ct);
        let body = line["body"].as_str().unwrap();
        if k.is_message() {
            assert!(
                body.contains("\"containerID\"") && body.contains("\"tenantID\""),
                "{body}"
            );
        }
        if let Some(target) = k.wire_event_target() {
            assert!(body.contains(&format!("&eventTarget={target}&")), "{body}");
        }
    }
    let mut at = kinds.len();
    for (name, expected, _) in SCENARIOS {
        let got: Vec<&str> = lines[at..at + expected.len()]
            .iter()
            .map(|l| strict_parse(l).kind().as_str())
            .collect();
        assert_eq!(&got, expected, "{name}");
        at += expected.len();
    }

    // calls: one record per call, the expected outcome for each scenario, sorted.
    let out = run(&["calls", cap.to_str().unwrap()], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    let records: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let call_kinds = kinds.iter().filter(|k| k.is_call()).count();
    assert_eq!(
        records.len(),
        call_kinds + SCENARIOS.len(),
        "{}",
        out.stdout
    );
    let keys: Vec<(u64, String)> = records
        .iter()
        .map(|r| {
            (
                r["firstSeenAt"].as_u64().unwrap(),
                r["callUuid"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    for r in &records {
        let id = r["callUuid"].as_str().unwrap();
        if let Some(name) = call_ids.get(id) {
            let (_, sent, outcome) = SCENARIOS.iter().find(|s| s.0 == *name).unwrap();
            assert_eq!(r["outcome"], *outcome, "{name}: {r}");
            assert_eq!(r["ended"], true, "{name}");
            assert_eq!(r["deliveries"], sent.len(), "{name}");
        }
    }
    let by_name = |n: &str| {
        let id = call_ids.iter().find(|(_, v)| **v == n).unwrap().0;
        records
            .iter()
            .find(|r| r["callUuid"] == id.as_str())
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_name("call:queue-abandoned")["queues"][0]["queueNumber"],
        "700"
    );
    assert_eq!(
        by_name("call:ring-group")["ringGroups"][0]["ringGroupNumber"],
        "600"
    );
    assert_eq!(
        by_name("call:ring-group")["answeredBy"]["extensionNumber"],
        "102"
    );
    assert_eq!(by_name("call:outbound")["direction"], "outbound");
    assert_eq!(
        by_name("call:voicemail")["voicemail"]["extensionNumber"],
        "101"
    );
    assert_eq!(listen.stop().0, 0);

    // replay into a second listener: the same bodies and content types, byte for byte.
    let cap2 = dir.join("replayed.jsonl");
    let second = Listener::start(&["--save", cap2.to_str().unwrap()]);
    let out = run(&["replay", cap.to_str().unwrap(), "--to", &second.url], b"");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let strip = |v: &[serde_json::Value]| -> Vec<(serde_json::Value, serde_json::Value)> {
        v.iter()
            .map(|l| (l["contentType"].clone(), l["body"].clone()))
            .collect()
    };
    let replayed = saved(&cap2);
    assert_eq!(strip(&replayed), strip(&lines));

    // --kind and --since pick deliveries; --rate spaces them.
    let since = lines[kinds.len()]["at"].as_u64().unwrap();
    let out = run(
        &[
            "replay",
            cap.to_str().unwrap(),
            "--to",
            &second.url,
            "--kind",
            "call.hangup",
            "--kind",
            "queue.entered",
            "--since",
            &since.to_string(),
            "--rate",
            "200",
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let picked = &saved(&cap2)[replayed.len()..];
    let want: Vec<_> = lines[kinds.len()..]
        .iter()
        .filter(|l| {
            matches!(
                strict_parse(l).kind(),
                Kind::CallHangup | Kind::QueueEntered
            )
        })
        .cloned()
        .collect();
    assert_eq!(want.len(), 6);
    assert_eq!(strip(picked), strip(&want));
    // --speed keeps the saved gaps, divided: the last call's 26 s of gaps at 1000x.
    let missed: Vec<&serde_json::Value> = {
        let id = call_ids
            .iter()
            .find(|(_, v)| **v == "call:missed")
            .unwrap()
            .0;
        lines
            .iter()
            .filter(|l| l["body"].as_str().unwrap().contains(id.as_str()))
            .collect()
    };
    let span = missed[3]["at"].as_u64().unwrap() - missed[0]["at"].as_u64().unwrap();
    let from = missed[0]["at"].as_u64().unwrap().to_string();
    let until_kinds = [
        "--kind",
        "call.inbound",
        "--kind",
        "extension.ringing",
        "--kind",
        "call.hangup",
    ];
    let mut args = vec![
        "replay",
        cap.to_str().unwrap(),
        "--to",
        &second.url,
        "--since",
        &from,
        "--speed",
        "1",
    ];
    args.extend(until_kinds);
    let before = saved(&cap2).len();
    let started = std::time::Instant::now();
    let out = run(&args, b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(saved(&cap2).len() > before + 3);
    assert!(
        started.elapsed().as_millis() as u64 >= span,
        "replay at --speed 1 keeps the {span} ms of gaps"
    );
    assert_eq!(second.stop().0, 0);
}

#[test]
fn set_overrides_fields_and_count_repeats_with_fresh_call_ids() {
    let dir = scratch("set");
    let cap = dir.join("capture.jsonl");
    let listen = Listener::start(&["--save", cap.to_str().unwrap(), "--json"]);
    let out = run(
        &[
            "trigger",
            "call:missed",
            "--to",
            &listen.url,
            "--speed",
            "5000",
            "--set",
            "callerIdNum=+15125550123",
            "--set",
            "containerId=99",
            "--count",
            "3",
            "--concurrency",
            "3",
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines = saved(&cap);
    assert_eq!(lines.len(), 12);
    let mut ids = std::collections::BTreeSet::new();
    for l in &lines {
        let e = strict_parse(l);
        assert_eq!(e.caller_id_num(), Some("+15125550123"));
        assert_eq!(e.container_id(), Some("99"));
        ids.insert(e.call_uuid().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 3, "a fresh callUuid per run");
    // --json prints the canonical event.
    let printed = listen.next_lines(12);
    for p in &printed {
        let e = primevox_webhooks::from_json(p).unwrap_or_else(|e| panic!("{e:?}: {p}"));
        assert_eq!(e.container_id(), Some("99"));
    }
    // --speed 5000 divides the scenario's 26.2 s of gaps: each run spans at least 5.24 ms.
    for id in &ids {
        let ats: Vec<u64> = lines
            .iter()
            .filter(|l| l["body"].as_str().unwrap().contains(id.as_str()))
            .map(|l| l["at"].as_u64().unwrap())
            .collect();
        assert_eq!(ats.len(), 4);
        assert!(ats[3] - ats[0] >= 5, "gaps kept: {ats:?}");
    }
    let calls = run(&["calls", "-"], std::fs::read(&cap).unwrap().as_slice());
    assert_eq!(calls.stdout.lines().count(), 3);
    assert!(calls
        .stdout
        .lines()
        .all(|l| l.contains("\"outcome\":\"missed\"")));
}

#[test]
fn tokens_in_the_query_or_a_header() {
    let dir = scratch("tokens");
    let cap = dir.join("capture.jsonl");
    let listen = Listener::start(&[
        "--save",
        cap.to_str().unwrap(),
        "--token",
        "s3cret",
        "--token",
        "n3w",
        "--token-header",
        "X-Webhook-Token",
    ]);
    let url = listen.url.clone();
    let no = run(&["trigger", "call.inbound", "--to", &url], b"");
    assert_eq!(no.code, 1, "{}", no.stdout);
    assert!(no.stdout.starts_with("401 call.inbound"), "{}", no.stdout);
    assert!(
        no.stderr.contains("1 delivery failed") && no.stderr.contains("401"),
        "{}",
        no.stderr
    );
    let wrong = run(
        &["trigger", "call.inbound", "--to", &url, "--token", "nope"],
        b"",
    );
    assert_eq!(wrong.code, 1);
    let q = run(
        &["trigger", "call.inbound", "--to", &url, "--token", "s3cret"],
        b"",
    );
    assert_eq!(q.code, 0, "{}", q.stderr);
    let h = run(
        &[
            "trigger",
            "message.outbound",
            "--to",
            &url,
            "--token",
            "n3w",
            "--token-header",
            "X-Webhook-Token",
        ],
        b"",
    );
    assert_eq!(h.code, 0, "{}", h.stderr);
    let lines = saved(&cap);
    let status: Vec<u64> = lines
        .iter()
        .map(|l| l["status"].as_u64().unwrap())
        .collect();
    assert_eq!(status, [401, 401, 200, 200]);
    assert_eq!(lines[0]["error"]["code"], "unauthorized");
    // A refused delivery is still saved with its body.
    assert!(lines[0]["body"]
        .as_str()
        .unwrap()
        .starts_with("eventType=InboundCall&"));
    assert_eq!(lines[2]["query"], "token=s3cret");
    assert_eq!(lines[3]["headers"]["x-webhook-token"], "n3w");
    // calls leaves out what the receiver refused.
    let calls = run(&["calls", cap.to_str().unwrap()], b"");
    assert_eq!(calls.stdout.lines().count(), 1, "{}", calls.stdout);
}

#[test]
fn forward_to_resends_the_raw_request() {
    let dir = scratch("forward");
    let (cap_a, cap_b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
    let b = Listener::start(&[
        "--save",
        cap_b.to_str().unwrap(),
        "--path",
        "/hook",
        "--token",
        "t0k",
    ]);
    let a = Listener::start(&["--save", cap_a.to_str().unwrap(), "--forward-to", &b.url]);
    let out = run(
        &[
            "trigger",
            "call:outbound",
            "--to",
            &format!("{}?token=t0k", a.url),
            "--speed",
            "5000",
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let printed = a.next_lines(4);
    assert_eq!(
        printed
            .iter()
            .filter(|l| l.contains(&format!("forwarded to {}?token=t0k: 200", b.url)))
            .count(),
        2,
        "{printed:?}"
    );
    let (la, lb) = (saved(&cap_a), saved(&cap_b));
    assert_eq!(lb.len(), 2);
    for (x, y) in la.iter().zip(&lb) {
        assert_eq!(
            (&x["body"], &x["contentType"], &x["query"]),
            (&y["body"], &y["contentType"], &y["query"])
        );
        assert_eq!(y["status"], 200);
    }
}

/// With the example's callUuid, each kind goes out exactly as its example in examples/ (the
/// vendor's spelling, order and eventTarget): form bodies byte for byte, JSON member by member.
#[test]
fn trigger_sends_each_kind_as_its_vendor_example() {
    let dir = scratch("examples");
    let cap = dir.join("capture.jsonl");
    let listen = Listener::start(&["--save", cap.to_str().unwrap()]);
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let mut files: Vec<_> = std::fs::read_dir(examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("form" | "json")
            )
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 11);
    for (i, path) in files.iter().enumerate() {
        let bytes = std::fs::read(path).unwrap();
        let example = primevox_webhooks::parse(&bytes, None).unwrap();
        let mut args = vec!["trigger", example.kind().as_str(), "--to", &listen.url];
        let set = example.call_uuid().map(|u| format!("callUuid={u}"));
        if let Some(s) = &set {
            args.extend(["--set", s]);
        }
        let out = run(&args, b"");
        assert_eq!(out.code, 0, "{}", out.stderr);
        let line = &saved(&cap)[i];
        let body = line["body"].as_str().unwrap();
        let text = std::str::from_utf8(&bytes).unwrap().trim_end();
        if example.kind().is_message() {
            assert_eq!(line["contentType"], "application/json");
            let want: serde_json::Value = serde_json::from_str(text).unwrap();
            let got: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(got, want, "{}", path.display());
            let keys = [
                "eventType",
                "toNumber",
                "fromNumber",
                "containerID",
                "tenantID",
                "conversationID",
                "messageText",
            ];
            let at: Vec<usize> = keys
                .iter()
                .map(|k| body.find(&format!("\"{k}\":")).unwrap())
                .collect();
            assert!(
                at.windows(2).all(|w| w[0] < w[1]),
                "documented order: {body}"
            );
        } else {
            assert_eq!(line["contentType"], "application/x-www-form-urlencoded");
            assert_eq!(body, text, "{}", path.display());
        }
    }
}
