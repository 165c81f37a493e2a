//! Runs every shared receiver vector (tests/receivers/*.json) against the receiver policy
//! itself, without HTTP: the reference answer every framework adapter must give on a real
//! server.

use base64::Engine;
use primevox_webhooks::receiver::{Answer, Check, Receiver, Request};
use primevox_webhooks::Refusal;
use serde_json::Value;

fn vectors() -> Vec<(String, Value)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/receivers");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/receivers")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for path in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for v in doc["vectors"].as_array().expect("vectors") {
            out.push((v["name"].as_str().unwrap().to_owned(), v.clone()));
        }
    }
    out
}

fn body_of(request: &Value) -> Vec<u8> {
    if let Some(b) = request["bodyBase64"].as_str() {
        return base64::engine::general_purpose::STANDARD.decode(b).unwrap();
    }
    if let Some(r) = request.get("bodyRepeat") {
        let times = r["times"].as_u64().unwrap() as usize;
        return r["text"].as_str().unwrap().repeat(times).into_bytes();
    }
    request["body"].as_str().unwrap_or("").as_bytes().to_vec()
}

/// What the policy answers, and whether it asked the adapter to log a learn-mode line.
fn answer(rx: &Receiver, v: &Value) -> (Answer, Option<Value>, bool) {
    let request = &v["request"];
    let body = body_of(request);
    let headers: Vec<(String, String)> = request["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let chunked = request["chunked"].as_bool().unwrap_or(false);
    let declared = body.len().to_string();
    let mut req = Request::new(
        request["method"].as_str().unwrap(),
        Some("127.0.0.1"),
        request["query"].as_str().unwrap_or(""),
    );
    for (k, v) in &headers {
        req = req.header(k, v);
    }
    if !chunked && req.get("content-length").is_none() {
        req = req.header("content-length", &declared);
    }
    let read = match rx.check(&req) {
        Check::Refuse(a) => return (a, None, false),
        Check::Read(r) => r,
    };
    if request.get("stallAfterBytes").is_some() {
        // The adapter's read timer (read.timeout_ms) fires: the policy's answer for it.
        assert!(read.timeout_ms > 0);
        return (Answer::refusal(Refusal::RequestTimeout), None, false);
    }
    // The adapter reads at most max_bytes (and, with a declared length, no more than that).
    let sent = &body[..body.len().min(read.max_bytes)];
    let learn = read.learn.is_some();
    let header = |n: &str| req.get(n).map(|c| c.into_owned());
    match rx.parse_body(
        sent,
        header("content-type").as_deref(),
        header("content-encoding").as_deref(),
    ) {
        Err(a) => (a, None, learn),
        Ok(event) => {
            let canonical: Value = serde_json::from_str(&event.to_json()).unwrap();
            let a = match v["handler"].as_str().unwrap_or("ok") {
                "ok" => Answer::ok(),
                "throws" => Answer::refusal(Refusal::HandlerFailed),
                "reads_body_first" => Answer::refusal(Refusal::BodyConsumed),
                other => panic!("unknown handler behaviour {other}"),
            };
            (a, Some(canonical), learn)
        }
    }
}

fn body_matches(expected: &Value, got: &Value) -> bool {
    match (expected.get("error"), got.get("error")) {
        (Some(e), Some(g)) if e.get("message").is_none() => {
            e["code"] == g["code"] && e["field"] == g["field"]
        }
        _ => expected == got,
    }
}

#[test]
fn every_receiver_vector() {
    let all = vectors();
    assert!(all.len() >= 60, "only {} receiver vectors", all.len());
    let mut seen_issues = std::collections::BTreeSet::new();
    for (name, v) in &all {
        if let Some(i) = v["issue"].as_str() {
            seen_issues.insert(i.to_owned());
        }
        let options = v
            .get("options")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let expect = &v["expect"];
        let made = Receiver::from_json(&options.to_string());
        if let Some(option) = expect["optionError"].as_str() {
            let e = made
                .err()
                .unwrap_or_else(|| panic!("{name}: options accepted"));
            assert!(
                e.option() == option || e.option().starts_with(&format!("{option}[")),
                "{name}: the error names {:?}",
                e.option()
            );
            assert!(e.message().starts_with(option), "{name}: {}", e.message());
            if let Some(part) = expect["messageContains"].as_str() {
                assert!(e.message().contains(part), "{name}: {}", e.message());
            }
            continue;
        }
        let rx = made.unwrap_or_else(|e| panic!("{name}: {e}"));
        let (a, event, learn) = answer(&rx, v);
        let got: Value = serde_json::from_str(&a.body()).unwrap();
        assert_eq!(
            a.status as u64,
            expect["status"].as_u64().unwrap(),
            "{name}: {got}"
        );
        assert!(body_matches(&expect["body"], &got), "{name}: got {got}");
        for (k, want) in expect["headers"].as_object().into_iter().flatten() {
            let have = a.headers.iter().find(|h| h.0.eq_ignore_ascii_case(k));
            assert_eq!(have.map(|h| h.1), want.as_str(), "{name}: header {k}");
        }
        if let Some(want) = expect["event"].as_object() {
            let event = event.unwrap_or_else(|| panic!("{name}: no event"));
            for (k, x) in want {
                assert_eq!(&event[k], x, "{name}: event.{k}");
            }
        }
        assert_eq!(
            learn,
            expect["learn"].as_bool().unwrap_or(false),
            "{name}: learn"
        );
    }
    for issue in [
        "16.1", "16.2", "16.3", "16.4", "16.5", "16.6", "16.7", "16.8", "16.9", "16.10", "16.11",
        "16.12", "16.13", "16.14", "12.4", "12.5",
    ] {
        assert!(
            seen_issues.contains(issue),
            "no receiver vector for issue {issue}"
        );
    }
}
