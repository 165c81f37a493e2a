//! Bad input to every subcommand: one clear line on stderr, exit 2 for usage errors, exit 1 for
//! failed deliveries, never a panic (run() asserts that for every call).

mod common;

use common::{raw_http, run, saved, scratch, Listener};

fn one_line(err: &str) -> &str {
    let t = err.trim_end();
    assert_eq!(t.lines().count(), 1, "one line: {err}");
    t
}

/// A port on 127.0.0.1 where nothing listens (bound, then closed).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn trigger_usage_errors_exit_2() {
    let to = format!("http://127.0.0.1:{}/", closed_port());
    for (args, needle) in [
        (
            vec!["trigger", "call.nope", "--to", &to],
            "unknown kind or scenario \"call.nope\"",
        ),
        (
            vec!["trigger", "call:nope", "--to", &to],
            "unknown kind or scenario",
        ),
        (vec!["trigger", "unknown", "--to", &to], "no wire format"),
        (
            vec![
                "trigger",
                "call.inbound",
                "--to",
                &to,
                "--set",
                "callerNumber=1",
            ],
            "not a canonical field",
        ),
        (
            vec![
                "trigger",
                "call.inbound",
                "--to",
                &to,
                "--set",
                "callerIdNum",
            ],
            "expected FIELD=VALUE",
        ),
        (
            vec![
                "trigger",
                "message.inbound",
                "--to",
                &to,
                "--set",
                "callUuid=x",
            ],
            "no delivery sent here has the field callUuid",
        ),
        (
            vec!["trigger", "call.inbound", "--to", "not a url"],
            "is not a URL",
        ),
        (
            vec!["trigger", "call.inbound", "--to", "ftp://127.0.0.1/"],
            "scheme",
        ),
        (
            vec!["trigger", "call.inbound", "--to", &to, "--speed", "0"],
            "--speed",
        ),
        (
            vec!["trigger", "call.inbound", "--to", &to, "--count", "x"],
            "--count",
        ),
        (vec!["trigger", "call.inbound"], "--to"),
        (
            vec![
                "trigger",
                "call.inbound",
                "--to",
                &to,
                "--token-header",
                "X-T",
            ],
            "--token",
        ),
    ] {
        let out = run(&args, b"");
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(needle), "{args:?}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{args:?}: nothing sent");
    }
    // clap's own messages are a few lines; ours are exactly one.
    let out = run(&["trigger", "call.nope", "--to", &to], b"");
    one_line(&out.stderr);
}

#[test]
fn unreachable_targets_exit_1_and_say_which() {
    let to = format!("http://127.0.0.1:{}/", closed_port());
    let out = run(
        &["trigger", "call:missed", "--to", &to, "--speed", "10000"],
        b"",
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("4 deliveries failed"), "{}", out.stderr);
    assert!(
        out.stderr.contains("call.inbound") && out.stderr.contains("cannot connect"),
        "{}",
        out.stderr
    );
    one_line(&out.stderr);
}

#[test]
fn replay_and_calls_name_the_bad_line() {
    let dir = scratch("bad-files");
    let file = dir.join("bad.jsonl");
    std::fs::write(
        &file,
        "{\"at\":1,\"contentType\":\"application/x-www-form-urlencoded\",\"body\":\"eventType=HangupCall&containerId=1&tenantId=2&callUuid=AB\"}\n\
         {\"at\":2,\"body\":\n\
         \n\
         {\"at\":3,\"contentType\":null,\"bodyBase64\":\"%%%\"}\n\
         {\"at\":4,\"contentType\":null,\"body\":\"eventType=HangupCall&containerId=1\"}\n\
         {\"at\":5,\"contentType\":null,\"body\":\"eventType=InboundCall&containerId=1&tenantId=2&callUuid=ab\"}\n",
    )
    .unwrap();
    let to = format!("http://127.0.0.1:{}/", closed_port());
    let out = run(&["replay", file.to_str().unwrap(), "--to", &to], b"");
    assert_eq!(out.code, 2);
    assert!(
        one_line(&out.stderr).contains("bad.jsonl:2:"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "", "nothing sent");

    let out = run(&["calls", file.to_str().unwrap()], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let errs: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errs.len(), 3, "{}", out.stderr);
    assert!(errs[0].contains(":2: "), "{}", errs[0]);
    assert!(
        errs[1].contains(":4: ") && errs[1].contains("base64"),
        "{}",
        errs[1]
    );
    assert!(
        errs[2].contains(":5: ") && errs[2].contains("missing_field"),
        "{}",
        errs[2]
    );
    // The readable lines still make their call, ids folded to lowercase.
    let rec: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(rec["callUuid"], "ab");
    assert_eq!(rec["deliveries"], 2);
    assert_eq!(rec["outcome"], "missed");

    for args in [
        vec!["replay", "/no/such/file", "--to", &to],
        vec!["calls", "/no/such/file"],
        vec![
            "replay",
            file.to_str().unwrap(),
            "--to",
            &to,
            "--kind",
            "call.nope",
        ],
        vec!["replay", file.to_str().unwrap(), "--to", "nope"],
        vec![
            "replay",
            file.to_str().unwrap(),
            "--to",
            &to,
            "--speed",
            "2",
            "--rate",
            "3",
        ],
        vec!["parse", "/no/such/file"],
    ] {
        let out = run(&args, b"");
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn replay_exits_1_on_a_refusal() {
    let dir = scratch("replay-refused");
    let file = dir.join("one.jsonl");
    std::fs::write(
        &file,
        "{\"at\":1,\"contentType\":\"application/json\",\"body\":\"{}\"}\n",
    )
    .unwrap();
    let listen = Listener::start(&[]);
    let out = run(
        &["replay", file.to_str().unwrap(), "--to", &listen.url],
        b"",
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.starts_with("400 "), "{}", out.stdout);
    assert!(
        out.stderr.contains("1 of 1 deliveries failed"),
        "{}",
        out.stderr
    );
}

#[test]
fn listen_usage_errors_exit_2() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    for (args, code) in [
        (vec!["listen", "--allow", "10.0.0.0/33"], 2),
        (vec!["listen", "--allow", "nope"], 2),
        (vec!["listen", "--token", ""], 2),
        (vec!["listen", "--path", "hook"], 2),
        (vec!["listen", "--forward-to", "nope"], 2),
        (vec!["listen", "--port", "70000"], 2),
        (vec!["listen", "--save", "/no/such/dir/x.jsonl"], 2),
        (vec!["listen", "--port", &port], 1),
    ] {
        let out = run(&args, b"");
        assert_eq!(out.code, code, "{args:?}: {}", out.stderr);
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn listen_answers_like_the_library_receivers() {
    let dir = scratch("answers");
    let cap = dir.join("capture.jsonl");
    let listen = Listener::start(&[
        "--save",
        cap.to_str().unwrap(),
        "--path",
        "/hook",
        "--strict",
    ]);
    let p = listen.port;
    let get = raw_http(
        p,
        b"GET /hook HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(get.starts_with("HTTP/1.1 405"), "{get}");
    assert!(
        get.to_ascii_lowercase().contains("\r\nallow: post\r\n"),
        "{get}"
    );
    assert!(get.contains(r#""code":"method_not_allowed""#), "{get}");
    let elsewhere = raw_http(
        p,
        b"POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(elsewhere.starts_with("HTTP/1.1 404"), "{elsewhere}");
    // Strict: a lowercase eventType is refused with the core's error.
    let body = b"eventType=inboundcall&containerId=1&tenantId=2&callUuid=u";
    let req = [
        format!("POST /hook?x=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nUser-Agent: test-agent\r\nX-Forwarded-For: 203.0.113.9\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).as_bytes(),
        body,
    ]
    .concat();
    let bad = raw_http(p, &req);
    assert!(bad.starts_with("HTTP/1.1 400"), "{bad}");
    assert!(
        bad.contains(r#"{"error":{"code":"unknown_event_type""#),
        "{bad}"
    );
    // Bytes that are not UTF-8 are saved as base64, exactly.
    let bytes = [
        b"{\"eventType\":\"inboundMessage\",\"x\":\"".as_slice(),
        &[0xff, 0xfe],
        b"\"}",
    ]
    .concat();
    let req = [
        format!("POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", bytes.len()).as_bytes(),
        &bytes,
    ]
    .concat();
    let not_utf8 = raw_http(p, &req);
    assert!(not_utf8.starts_with("HTTP/1.1 400"), "{not_utf8}");
    let printed = listen.next_lines(4);
    assert!(
        printed[0].contains(" 405 method_not_allowed: "),
        "{printed:?}"
    );
    assert!(
        printed[2].contains(" 400 unknown_event_type: "),
        "{printed:?}"
    );
    let (code, err) = listen.stop();
    assert_eq!(code, 0, "a clean stop on SIGTERM: {err}");
    assert!(err.contains("stopped listening"), "{err}");

    let lines = saved(&cap);
    assert_eq!(lines.len(), 4);
    let status: Vec<u64> = lines
        .iter()
        .map(|l| l["status"].as_u64().unwrap())
        .collect();
    assert_eq!(status, [405, 404, 400, 400]);
    assert_eq!(lines[0]["method"], "GET");
    assert_eq!(lines[2]["query"], "x=1");
    assert_eq!(lines[2]["body"], std::str::from_utf8(body).unwrap());
    assert_eq!(lines[2]["error"]["code"], "unknown_event_type");
    assert_eq!(lines[2]["headers"]["user-agent"], "test-agent");
    assert_eq!(lines[2]["headers"]["x-forwarded-for"], "203.0.113.9");
    assert!(lines[3].get("body").is_none());
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(lines[3]["bodyBase64"].as_str().unwrap())
        .unwrap();
    assert_eq!(decoded, bytes);
}

#[test]
fn listen_allow_list_refuses_other_senders() {
    let dir = scratch("allow");
    let cap = dir.join("capture.jsonl");
    let listen = Listener::start(&["--save", cap.to_str().unwrap(), "--allow", "203.0.113.0/24"]);
    let out = run(&["trigger", "queue.entered", "--to", &listen.url], b"");
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.starts_with("403 queue.entered"),
        "{}",
        out.stdout
    );
    assert_eq!(saved(&cap)[0]["error"]["code"], "forbidden");
    drop(listen);
    let ok = Listener::start(&["--allow", "127.0.0.0/8", "--allow", "::1"]);
    assert_eq!(
        run(&["trigger", "queue.entered", "--to", &ok.url], b"").code,
        0
    );
}

#[test]
fn every_subcommand_has_complete_help() {
    let flags: &[(&str, &[&str])] = &[
        (
            "listen",
            &[
                "--host",
                "--port",
                "--path",
                "--token",
                "--token-header",
                "--allow",
                "--strict",
                "--save",
                "--forward-to",
                "--json",
            ],
        ),
        (
            "trigger",
            &[
                "--to",
                "--set",
                "--token",
                "--token-header",
                "--count",
                "--concurrency",
                "--speed",
                "call:answered",
                "call:missed",
                "call:voicemail",
                "call:queue-abandoned",
                "call:ring-group",
                "call:outbound",
                "call.inbound",
                "message.outbound",
                "queueNumber",
            ],
        ),
        (
            "replay",
            &["--to", "--kind", "--since", "--speed", "--rate"],
        ),
        ("calls", &["FILE|-", "firstSeenAt", "bodyBase64"]),
        ("parse", &["--content-type", "--strict", "--max-body-bytes"]),
        ("encode", &["FILE|-"]),
        ("schema", &[]),
        ("codegen", &["ROOT"]),
    ];
    let top = run(&["--help"], b"");
    assert_eq!(top.code, 0);
    for (sub, wanted) in flags {
        assert!(top.stdout.contains(sub), "{sub} in --help");
        let out = run(&[sub, "--help"], b"");
        assert_eq!(out.code, 0, "{sub}");
        for w in *wanted {
            assert!(
                out.stdout.contains(w),
                "{sub} --help mentions {w}:\n{}",
                out.stdout
            );
        }
    }
}

#[test]
fn listen_bounds_bodies_declared_or_chunked() {
    let dir = scratch("bounds");
    let cap = dir.join("capture.jsonl");
    let listen = Listener::start(&["--save", cap.to_str().unwrap()]);
    let big = vec![b'a'; 70_000];
    let declared = [
        format!("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", big.len()).as_bytes(),
        &big,
    ]
    .concat();
    let answer = raw_http(listen.port, &declared);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains(r#""code":"body_too_large""#), "{answer}");
    // Chunked, no length declared: read up to the limit, then refused the same way.
    let mut chunked = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for chunk in big.chunks(10_000) {
        chunked.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend(chunk);
        chunked.extend(b"\r\n");
    }
    chunked.extend(b"0\r\n\r\n");
    let answer = raw_http(listen.port, &chunked);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains(r#""code":"body_too_large""#), "{answer}");
    let lines = saved(&cap);
    assert_eq!(lines.len(), 2);
    for l in &lines {
        assert_eq!(l["error"]["code"], "body_too_large");
        // Never more than the limit and one byte is kept.
        assert!(l["body"].as_str().unwrap().len() <= 65_537);
    }
}

#[test]
fn listen_undoes_gzip_and_refuses_unknown_encodings() {
    use std::io::Write;
    let dir = scratch("encodings");
    let cap = dir.join("capture.jsonl");
    let listen = Listener::start(&["--save", cap.to_str().unwrap()]);
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/queue-entered.form"
    ))
    .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&body).unwrap();
    let gz = gz.finish().unwrap();
    let head = |encoding: &str, len: usize| {
        format!("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Encoding: {encoding}\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n")
    };
    let ok = raw_http(
        listen.port,
        &[head("gzip", gz.len()).as_bytes(), &gz].concat(),
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    let br = raw_http(
        listen.port,
        &[head("br", body.len()).as_bytes(), &body].concat(),
    );
    assert!(br.starts_with("HTTP/1.1 415"), "{br}");
    assert!(
        br.contains(r#""code":"unsupported_content_encoding""#),
        "{br}"
    );
    let printed = listen.next_lines(2);
    assert!(
        printed[0].contains(" 200 queue.entered e41d6b2c-8f3a-4b95-a07c-d26e1f8b3a59 +13125550164"),
        "{printed:?}"
    );
    // The capture keeps the bytes as they came (compressed, so base64).
    let lines = saved(&cap);
    use base64::Engine;
    let kept = base64::engine::general_purpose::STANDARD
        .decode(lines[0]["bodyBase64"].as_str().unwrap())
        .unwrap();
    assert_eq!(kept, gz);
    assert_eq!(lines[1]["status"], 415);
}
