//! Feature `axum`: the extractor `PrimevoxEvent` and the `EventRouter` route, each on a real axum
//! server on 127.0.0.1, against every shared receiver vector (tests/receivers/*.json), with
//! requests written byte for byte over a socket.
#![cfg(feature = "axum")]

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use base64::Engine as _;
use primevox_webhooks::axum::{EventRouter, HandlerError, PrimevoxEvent, Received};
use primevox_webhooks::receiver::Receiver;
use primevox_webhooks::Kind;
use serde_json::Value;

/// Vectors this receiver does not run, and why: axum hands the body to exactly one extractor
/// (the handler's last argument), so nothing in the app can have read it first.
const NOT_RUN: &[&str] = &["body-consumed"];

/// Vectors the extractor does not run, and why: with `PrimevoxEvent` your handler makes the
/// answer, so answering first is yours to do; the receiver's answer-first is
/// `EventRouter::answer_first`, which runs them.
const NOT_RUN_BY_THE_EXTRACTOR: &[&str] = &["answer-first-throws"];

fn vectors() -> Vec<(String, Value)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/receivers");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for v in doc["vectors"].as_array().unwrap() {
            out.push((v["name"].as_str().unwrap().to_owned(), v.clone()));
        }
    }
    out
}

/// Log lines (the learn-mode line goes through the `log` facade).
struct Lines(Mutex<Vec<String>>);

impl log::Log for Lines {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        if record.target() == "primevox_webhooks" {
            self.0
                .lock()
                .unwrap()
                .push(format!("{} {}", record.level(), record.args()));
        }
    }
    fn flush(&self) {}
}

fn lines() -> &'static Lines {
    static LINES: OnceLock<&'static Lines> = OnceLock::new();
    LINES.get_or_init(|| {
        let l: &'static Lines = Box::leak(Box::new(Lines(Mutex::new(Vec::new()))));
        log::set_logger(l).unwrap();
        log::set_max_level(log::LevelFilter::Trace);
        l
    })
}

/// What the servers do for the vector being sent.
#[derive(Default)]
struct Current {
    receiver: Option<Arc<Receiver>>,
    handler: String,
    /// The canonical JSON of the event a handler received.
    event: Option<String>,
}

type Shared = Arc<Mutex<Current>>;

fn behave(shared: &Shared, event: &primevox_webhooks::Event<'static>) -> Result<(), String> {
    let mut cur = shared.lock().unwrap();
    cur.event = Some(event.to_json());
    match cur.handler.as_str() {
        "ok" => Ok(()),
        "throws" | "answer_first_throws" => Err("the handler failed on purpose".into()),
        other => panic!("unknown handler behaviour {other}"),
    }
}

/// Starts both servers on one runtime thread: (extractor address, router address).
fn start(shared: Shared) -> (SocketAddr, SocketAddr) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            // 1. The extractor in the user's own handler; options from the request extensions.
            let s1 = shared.clone();
            let hook = move |PrimevoxEvent(event): PrimevoxEvent| {
                let s = s1.clone();
                async move {
                    behave(&s, &event).map_err(HandlerError::new)?;
                    Ok::<_, HandlerError>(Received)
                }
            };
            let s2 = shared.clone();
            let with_receiver = move |mut req: Request, next: Next| {
                let s = s2.clone();
                async move {
                    let rx = s.lock().unwrap().receiver.clone().unwrap();
                    req.extensions_mut().insert(rx);
                    next.run(req).await
                }
            };
            let app1 = axum::Router::new()
                .fallback(hook)
                .layer(middleware::from_fn(with_receiver));
            // 2. An EventRouter, rebuilt per request with the vector's receiver.
            let s3 = shared.clone();
            let routed = move |req: Request| {
                let s = s3.clone();
                async move {
                    let rx = s.lock().unwrap().receiver.clone().unwrap();
                    let s4 = s.clone();
                    let answer_first = s.lock().unwrap().handler == "answer_first_throws";
                    let router = EventRouter::new((*rx).clone())
                        .answer_first(answer_first)
                        .on(Kind::ALL, move |event| {
                            let s = s4.clone();
                            async move { behave(&s, &event) }
                        });
                    let r: Response = router.handle(req).await;
                    r
                }
            };
            let app2 = axum::Router::new().fallback(routed);
            let l1 = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let l2 = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send((l1.local_addr().unwrap(), l2.local_addr().unwrap()))
                .unwrap();
            let a = axum::serve(l1, app1.into_make_service_with_connect_info::<SocketAddr>());
            let b = axum::serve(l2, app2.into_make_service_with_connect_info::<SocketAddr>());
            let _ = tokio::join!(a, b);
        });
    });
    rx.recv_timeout(Duration::from_secs(30)).unwrap()
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

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Sends the vector's request over a socket (the body from a second thread, so that an answer
/// sent before the body is read still arrives) and reads the answer.
fn send(addr: SocketAddr, request: &Value) -> Answer {
    let body = body_of(request);
    let chunked = request["chunked"].as_bool().unwrap_or(false);
    let mut head = format!(
        "{} {}{} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n",
        request["method"].as_str().unwrap(),
        request["path"].as_str().unwrap_or("/"),
        match request["query"].as_str() {
            Some(q) if !q.is_empty() => format!("?{q}"),
            _ => String::new(),
        }
    );
    let headers = request["headers"].as_object().cloned().unwrap_or_default();
    for (k, v) in &headers {
        head.push_str(&format!("{k}: {}\r\n", v.as_str().unwrap()));
    }
    if chunked {
        head.push_str("transfer-encoding: chunked\r\n");
    } else if !headers.contains_key("content-length") {
        head.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut payload = head.into_bytes();
    // Declare the whole body, send only its first bytes, keep the connection open.
    let stall = request["stallAfterBytes"].as_u64().map(|n| n as usize);
    if let Some(n) = stall {
        payload.extend_from_slice(&body[..n.min(body.len())]);
    } else if chunked {
        for chunk in body.chunks(4096) {
            payload.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            payload.extend_from_slice(chunk);
            payload.extend_from_slice(b"\r\n");
        }
        payload.extend_from_slice(b"0\r\n\r\n");
    } else {
        payload.extend_from_slice(&body);
    }
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let w = std::thread::spawn(move || {
        let _ = writer.write_all(&payload);
    });
    let mut raw = Vec::new();
    let mut reader = stream;
    let mut buf = [0u8; 8192];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
        if let Some(a) = parse_answer(&raw) {
            let _ = w.join();
            return a;
        }
    }
    let _ = w.join();
    parse_answer(&raw)
        .unwrap_or_else(|| panic!("no whole answer: {:?}", String::from_utf8_lossy(&raw)))
}

fn parse_answer(raw: &[u8]) -> Option<Answer> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .map(|(_, v)| v.parse().unwrap())?;
    let body = raw.get(end + 4..end + 4 + len)?.to_vec();
    Some(Answer {
        status,
        headers,
        body,
    })
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
fn every_receiver_vector_on_a_real_axum_server() {
    let lines = lines();
    let shared: Shared = Arc::default();
    let (extractor, routed) = start(shared.clone());
    let all = vectors();
    assert!(all.len() >= 60);
    let consumed: BTreeSet<&str> = all
        .iter()
        .filter(|(_, v)| v["handler"] == "reads_body_first")
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        consumed,
        NOT_RUN.iter().copied().collect(),
        "NOT_RUN is stale"
    );
    let mut ran = 0;
    for (name, v) in &all {
        if NOT_RUN.contains(&name.as_str()) {
            continue;
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
            assert!(e.message().starts_with(option), "{name}: {}", e.message());
            continue;
        }
        let rx = Arc::new(made.unwrap_or_else(|e| panic!("{name}: {e}")));
        for (which, addr) in [("extractor", extractor), ("router", routed)] {
            if which == "extractor" && NOT_RUN_BY_THE_EXTRACTOR.contains(&name.as_str()) {
                continue;
            }
            let after_answer = v["handler"] == "answer_first_throws";
            {
                let mut cur = shared.lock().unwrap();
                cur.receiver = Some(rx.clone());
                cur.handler = v["handler"].as_str().unwrap_or("ok").to_owned();
                cur.event = None;
            }
            let logged_before = lines.0.lock().unwrap().len();
            let a = send(addr, &v["request"]);
            let got: Value = serde_json::from_slice(&a.body)
                .unwrap_or_else(|e| panic!("{name} ({which}): {e}: {:?}", a.body));
            assert_eq!(
                a.status as u64,
                expect["status"].as_u64().unwrap(),
                "{name} ({which}): {got}"
            );
            assert!(
                body_matches(&expect["body"], &got),
                "{name} ({which}): {got}"
            );
            let header = |k: &str| a.headers.iter().find(|h| h.0 == k).map(|h| h.1.as_str());
            assert_eq!(
                header("content-type"),
                Some("application/json; charset=utf-8"),
                "{name} ({which})"
            );
            for (k, want) in expect["headers"].as_object().into_iter().flatten() {
                assert_eq!(header(k), want.as_str(), "{name} ({which}): header {k}");
            }
            if after_answer {
                // The handler runs after the answer: wait (bounded) for it and its logged failure.
                let deadline = std::time::Instant::now() + Duration::from_secs(10);
                while std::time::Instant::now() < deadline
                    && !lines.0.lock().unwrap()[logged_before..]
                        .iter()
                        .any(|l| l.starts_with("ERROR") && l.contains("after the answer"))
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                let logged = lines.0.lock().unwrap()[logged_before..]
                    .iter()
                    .any(|l| l.starts_with("ERROR") && l.contains("on purpose"));
                assert!(
                    logged,
                    "{name} ({which}): the failure after the answer was not logged"
                );
            }
            if let Some(want) = expect["event"].as_object() {
                let seen = shared.lock().unwrap().event.clone();
                let seen: Value = serde_json::from_str(
                    &seen.unwrap_or_else(|| panic!("{name} ({which}): no event")),
                )
                .unwrap();
                for (k, x) in want {
                    assert_eq!(&seen[k], x, "{name} ({which}): event.{k}");
                }
            }
            let learned = lines.0.lock().unwrap()[logged_before..]
                .iter()
                .any(|l| l.starts_with("WARN"));
            assert_eq!(
                learned,
                expect["learn"].as_bool().unwrap_or(false),
                "{name} ({which}): learn line"
            );
            ran += 1;
        }
    }
    assert!(ran >= 80, "ran {ran}");
}

fn hangup() -> primevox_webhooks::Event<'static> {
    primevox_webhooks::parse(
        b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=u-1",
        Some("application/x-www-form-urlencoded"),
    )
    .unwrap()
    .into_owned()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn event_router_order_failures_panics_and_timeout() {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = |s: &Arc<Mutex<Vec<String>>>, what: &str| s.lock().unwrap().push(what.to_owned());
    let (s1, s2, s3, s4, s5, s6) = (
        seen.clone(),
        seen.clone(),
        seen.clone(),
        seen.clone(),
        seen.clone(),
        seen.clone(),
    );
    let router = EventRouter::new(Receiver::default())
        .timeout(Some(Duration::from_millis(200)))
        .on_any(move |_| {
            let s = s1.clone();
            async move { log(&s, "any") }
        })
        .on(Kind::CallHangup, move |e| {
            let s = s2.clone();
            async move {
                log(&s, &format!("hangup {}", e.call_uuid().unwrap()));
                Err::<(), _>("first failure")
            }
        })
        .on([Kind::InboundCall, Kind::CallHangup], move |_| {
            let s = s3.clone();
            async move {
                log(&s, "panics next");
                if !s.lock().unwrap().is_empty() {
                    panic!("a handler bug");
                }
            }
        })
        .on(Kind::CallHangup, move |_| {
            let s = s4.clone();
            async move {
                log(&s, "hangs");
                std::future::pending::<()>().await;
            }
        })
        .on(Kind::CallHangup, move |_| {
            let s = s5.clone();
            async move { log(&s, "still runs") }
        })
        .on_error(move |err, event| {
            log(&s6, &format!("on_error {} {err}", event.kind().as_str()));
        });
    let started = std::time::Instant::now();
    let err = runtime().block_on(router.dispatch(&hangup())).unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(190));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(err.errors.len(), 3, "{err}");
    assert_eq!(err.errors[0].to_string(), "first failure");
    assert!(err.errors[1].to_string().contains("panicked"), "{err}");
    assert!(
        err.errors[2].to_string().contains("did not finish within"),
        "{err}"
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        &seen[..5],
        ["hangup u-1", "panics next", "hangs", "still runs", "any"]
    );
    assert_eq!(seen.len(), 8);
    assert!(seen[5].starts_with("on_error call.hangup first failure"));
    assert!(seen[6].contains("panicked"));
    assert!(seen[7].contains("did not finish"));
    assert!(err
        .to_string()
        .starts_with("3 handlers failed: first failure;"));

    // Unknown events reach Kind::Unknown and on_any; no failure, no error.
    let hits: Arc<Mutex<Vec<&'static str>>> = Arc::default();
    let (h1, h2, h3) = (hits.clone(), hits.clone(), hits.clone());
    let router = EventRouter::new(Receiver::default())
        .on(Kind::Unknown, move |_| {
            let h = h1.clone();
            async move { h.lock().unwrap().push("unknown") }
        })
        .on(Kind::CallHangup, move |_| {
            let h = h2.clone();
            async move { h.lock().unwrap().push("hangup") }
        })
        .on_any(move |_| {
            let h = h3.clone();
            async move { h.lock().unwrap().push("any") }
        });
    let unknown = primevox_webhooks::parse(br#"{"eventType":"new"}"#, Some("application/json"))
        .unwrap()
        .into_owned();
    runtime().block_on(router.dispatch(&unknown)).unwrap();
    assert_eq!(*hits.lock().unwrap(), ["unknown", "any"]);
}

#[test]
fn the_readme_shows_the_axum_example_verbatim() {
    let readme = include_str!("../../README.md");
    let example = include_str!("../examples/axum_receiver.rs").trim_end();
    assert!(
        readme.contains(&format!("```rust\n{example}\n```")),
        "README.md must show core/examples/axum_receiver.rs verbatim"
    );
}

#[test]
fn on_call_completed_runs_once_when_a_call_ends() {
    let form = Some("application/x-www-form-urlencoded");
    let event = |body: &str| {
        primevox_webhooks::parse(body.as_bytes(), form)
            .unwrap()
            .into_owned()
    };
    let inbound = event("eventType=InboundCall&containerId=1&tenantId=2&callUuid=ABC&callerIdNum=5125550199&didNumber=5125550100");
    let hangup = event("eventType=HangupCall&containerId=1&tenantId=2&callUuid=abc");
    let message = primevox_webhooks::parse(
        br#"{"eventType":"inboundMessage","containerId":"1","tenantId":"2","conversationId":"c","toNumber":"+15125550100","fromNumber":"+15125550199","messageText":"hi"}"#,
        Some("application/json"),
    )
    .unwrap()
    .into_owned();
    let records: Arc<Mutex<Vec<String>>> = Arc::default();
    let r = records.clone();
    let router = EventRouter::new(Receiver::default()).on_call_completed(move |call| {
        let r = r.clone();
        async move {
            r.lock().unwrap().push(format!(
                "{} {} {}",
                call.call_uuid.unwrap_or_default(),
                call.outcome.as_str(),
                call.deliveries
            ));
            if call.deliveries > 5 {
                return Err("never");
            }
            Ok(())
        }
    });
    let rt = runtime();
    rt.block_on(router.dispatch(&inbound)).unwrap();
    rt.block_on(router.dispatch(&message)).unwrap(); // not a call: nothing, no error
    assert!(records.lock().unwrap().is_empty());
    rt.block_on(router.dispatch(&hangup)).unwrap();
    assert_eq!(*records.lock().unwrap(), ["abc missed 2"]);
    rt.block_on(router.dispatch(&hangup)).unwrap(); // a retry of the delivery that ended it
    assert_eq!(records.lock().unwrap().len(), 1);

    // A failing completion handler is a failure like any other.
    let failing = EventRouter::new(Receiver::default())
        .on_call_completed(|_| async { Err::<(), _>("cannot file the call") });
    rt.block_on(failing.dispatch(&inbound)).unwrap();
    let err = rt.block_on(failing.dispatch(&hangup)).unwrap_err();
    assert_eq!(err.errors.len(), 1);
    assert_eq!(err.errors[0].to_string(), "cannot file the call");
}

/// A body that arrives in pieces, the first after the headers (so the read has to wait and the
/// body timer is armed), is read whole; a body that stops coming is answered 408 when the
/// timer fires. (The vectors' bodies arrive with their headers, or stall at once.)
#[test]
fn a_body_in_pieces_is_read_whole_and_a_stalled_one_times_out() {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        runtime().block_on(async move {
            let receiver = Receiver::from_json(r#"{"token": "t", "bodyTimeoutMs": 400}"#).unwrap();
            let hook = |PrimevoxEvent(event): PrimevoxEvent| async move {
                assert_eq!(event.caller_id_name(), Some("JANE DOE"));
                Received
            };
            let app = axum::Router::new().route(
                "/hook",
                axum::routing::any(hook).layer(primevox_webhooks::axum::receiver_layer(receiver)),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let _ = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
    });
    let addr = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    let body = "eventType=InboundCall&containerId=3547&tenantId=118&didNumber=%2B15125550100&\
                callUuid=3f2b8c1e&callerIdNum=%2B17375550142&callerIdName=JANE+DOE";
    let post = |pieces: &[&str], declared: usize| -> String {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.set_nodelay(true).unwrap();
        write!(
            s,
            "POST /hook?token=t HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\
             content-type: application/x-www-form-urlencoded\r\ncontent-length: {declared}\r\n\r\n"
        )
        .unwrap();
        for piece in pieces {
            std::thread::sleep(Duration::from_millis(60));
            s.write_all(piece.as_bytes()).unwrap();
        }
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        answer
    };
    let (a, b) = body.split_at(40);
    let (b, c) = b.split_at(30);
    let whole = post(&[a, b, c], body.len());
    assert!(whole.starts_with("HTTP/1.1 200"), "{whole}");
    assert!(whole.ends_with(r#"{"ok":true}"#), "{whole}");
    let stalled = post(&[a], body.len());
    assert!(stalled.starts_with("HTTP/1.1 408"), "{stalled}");
    assert!(stalled.contains(r#""code":"request_timeout""#), "{stalled}");
}
