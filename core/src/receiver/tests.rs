use std::io::Write;

use super::*;

fn rx(json: &str) -> Receiver {
    Receiver::from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn err(json: &str) -> OptionError {
    Receiver::from_json(json).expect_err(json)
}

fn post<'a>() -> Request<'a> {
    Request::new("POST", Some("127.0.0.1"), "")
}

fn refused(check: Check) -> Answer {
    match check {
        Check::Refuse(a) => a,
        Check::Read(r) => panic!("expected a refusal, got {r:?}"),
    }
}

fn read(check: Check) -> Read {
    match check {
        Check::Read(r) => r,
        Check::Refuse(a) => panic!("expected to read, got {}", a.body()),
    }
}

const FORM: &[u8] = b"eventType=InboundCall&eventTarget=phoneNumber&containerId=1&tenantId=2&didNumber=15125550100&callUuid=u&callerIdNum=5125550199&callerIdName=Ren%E9";

#[test]
fn options_are_checked_and_named_as_written() {
    assert!(err(r#"{"token":null}"#)
        .message()
        .starts_with("token is not set (null"));
    assert!(err(r#"{"token":""}"#)
        .message()
        .starts_with("token is empty"));
    assert!(err(r#"{"token":[]}"#).message().contains("empty list"));
    assert_eq!(err(r#"{"token":["ok-1",""]}"#).option(), "token[1]");
    for bad in ["a+b", "a/b", "a=", "a%b", "a&b", "a#b", "a b"] {
        let e = err(&format!(r#"{{"token":"{bad}"}}"#));
        assert!(
            e.message().contains("secrets.token_urlsafe(32)"),
            "{bad}: {e}"
        );
    }
    assert_eq!(err(r#"{"maxBodyBytes":0}"#).option(), "maxBodyBytes");
    assert!(err(r#"{"max_body_bytes":-1}"#)
        .message()
        .starts_with("max_body_bytes"));
    assert!(err(r#"{"maxDepth":1.5}"#).message().starts_with("maxDepth"));
    let e = err(r#"{"allow":["10.0.0.0/33"]}"#);
    assert_eq!(
        e.to_string(),
        "allow: '10.0.0.0/33' has an invalid prefix length"
    );
    assert!(err(r#"{"trustedProxies":["nope"]}"#)
        .message()
        .starts_with("trustedProxies: 'nope'"));
    assert!(err(r#"{"trusted_proxies":"10.0.0.1"}"#)
        .message()
        .starts_with("trusted_proxies must be a list"));
    assert!(err(r#"{"tokenHeadr":"x"}"#)
        .message()
        .contains("tokenHeader"));
    assert!(err(r#"{"token_headr":"x"}"#)
        .message()
        .contains("token_header"));
    assert!(err(r#"{"tokenHeader":"a b"}"#)
        .message()
        .starts_with("tokenHeader"));
    assert!(err(r#"{"token":"t","tokenQuery":null}"#)
        .message()
        .contains("tokenHeader"));
    assert!(err("[1]").message().contains("not a JSON object"));
    let e = Receiver::new(ReceiverOptions {
        max_depth: 0,
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(e.option(), "max_depth");
    // null is "not set" for everything but token
    let r = rx(r#"{"allow":null,"tokenHeader":null,"maxBodyBytes":null,"strict":null}"#);
    assert_eq!(r.max_body_bytes(), DEFAULT_MAX_BODY_BYTES);
    rx(r#"{"token":["A-z0_9.~"],"token_query":"t"}"#);
}

#[test]
fn method_then_address_then_token() {
    let r = rx(r#"{"token":"s3cret","allow":["10.0.0.0/8"]}"#);
    let a = refused(r.check(&Request::new("GET", Some("127.0.0.1"), "")));
    assert_eq!(
        (a.status, a.headers.clone()),
        (405, vec![("allow", "POST")])
    );
    assert_eq!(
        a.body(),
        r#"{"error":{"code":"method_not_allowed","field":null,"message":"use POST"}}"#
    );
    assert_eq!(refused(r.check(&post())).status, 403);
    let r = rx(r#"{"token":"s3cret","allow":["127.0.0.1"]}"#);
    assert_eq!(refused(r.check(&post())).code, Some("unauthorized"));
    read(r.check(&Request::new("POST", Some("127.0.0.1"), "?token=s3cret")));
    let none = Request::new("POST", None, "token=s3cret");
    assert_eq!(refused(r.check(&none)).status, 403, "no peer, no entry");
}

#[test]
fn header_tokens_are_trimmed_and_rotate() {
    let r = rx(r#"{"token":["new","old"],"tokenHeader":"X-Webhook-Token"}"#);
    read(r.check(&post().header("x-webhook-token", "  old\t")));
    read(r.check(&post().header("X-WEBHOOK-TOKEN", "new")));
    assert_eq!(
        refused(r.check(&post().header("x-webhook-token", "n ew"))).status,
        401
    );
    // the header wins over the query when present
    assert_eq!(
        refused(r.check(&Request::new("POST", None, "token=new").header("x-webhook-token", "x")))
            .status,
        401
    );
    read(r.check(&Request::new("POST", None, "token=new")));
}

#[test]
fn peers_behind_proxies() {
    let r = rx(r#"{"allow":["203.0.113.0/24"],"trustedProxies":["127.0.0.1","10.0.0.0/8"]}"#);
    let via = |xff| post().header("X-Forwarded-For", xff);
    assert_eq!(
        read(r.check(&via("203.0.113.9"))).peer.as_deref(),
        Some("203.0.113.9")
    );
    assert_eq!(
        read(r.check(&via("1.1.1.1, 203.0.113.9, 10.1.1.1")))
            .peer
            .as_deref(),
        Some("203.0.113.9")
    );
    assert_eq!(refused(r.check(&via("203.0.113.9, 1.1.1.1"))).status, 403);
    assert_eq!(refused(r.check(&via("unknown"))).status, 403);
    let fwd = post().header(
        "forwarded",
        "for=\"[2001:db8::1]:4711\", for=203.0.113.4;proto=https",
    );
    assert_eq!(read(r.check(&fwd)).peer.as_deref(), Some("203.0.113.4"));
    // a peer that is not a trusted proxy: its header means nothing
    let direct =
        Request::new("POST", Some("192.0.2.1"), "").header("x-forwarded-for", "203.0.113.9");
    assert_eq!(refused(r.check(&direct)).status, 403);
    // without trusted proxies, forwarding headers are ignored
    let plain = rx(r#"{"allow":["203.0.113.0/24"]}"#);
    assert_eq!(refused(plain.check(&via("203.0.113.9"))).status, 403);
    assert!(!plain.headers().contains(&"x-forwarded-for".to_owned()));
}

#[test]
fn peer_header_only_when_named() {
    let cf = rx(r#"{"allow":["203.0.113.0/24"],"peerHeader":"CF-Connecting-IP"}"#);
    read(cf.check(&post().header("cf-connecting-ip", "203.0.113.5")));
    assert_eq!(refused(cf.check(&post())).status, 403);
    let plain = rx(r#"{"allow":["203.0.113.0/24"]}"#);
    assert_eq!(
        refused(plain.check(&post().header("cf-connecting-ip", "203.0.113.5"))).status,
        403
    );
}

#[test]
fn learn_mode_logs_instead_of_refusing() {
    let r = rx(r#"{"allow":["10.0.0.0/8"],"allowLearn":true}"#);
    let got = read(r.check(&post()));
    assert!(got.learn.as_deref().unwrap().contains("127.0.0.1"));
    let r = rx(r#"{"allow":["127.0.0.1"],"allow_learn":true}"#);
    assert_eq!(read(r.check(&post())).learn, None);
}

#[test]
fn mapped_addresses() {
    let r = rx(r#"{"allow":["::ffff:127.0.0.1"]}"#);
    read(r.check(&Request::new("POST", Some("::ffff:127.0.0.1"), "")));
    read(r.check(&post()));
    let r = rx(r#"{"allow":["::ffff:0:0/96"]}"#);
    read(r.check(&post()));
}

#[test]
fn limits_and_encodings_before_the_body() {
    let r = rx(r#"{"maxBodyBytes":100}"#);
    let a = refused(r.check(&post().header("Content-Length", "10000000")));
    assert_eq!(
        (a.status, a.code, a.close),
        (400, Some("body_too_large"), true)
    );
    assert_eq!(
        read(r.check(&post().header("content-length", "100"))).max_bytes,
        101
    );
    let a = refused(r.check(&post().header("content-encoding", "br")));
    assert_eq!(
        (a.status, a.code),
        (415, Some("unsupported_content_encoding"))
    );
    assert!(a.message.contains("'br'"));
    read(r.check(&post().header("content-encoding", "GZIP")));
    read(r.check(&post().header("content-encoding", "identity")));
}

fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

#[test]
fn bodies_are_decoded_within_the_limit() {
    let r = Receiver::default();
    let json = br#"{"eventType":"Ping","x":1}"#;
    let zipped = gzip(json);
    let ev = r
        .parse_body(&zipped, Some("application/json"), Some("gzip"))
        .unwrap();
    assert_eq!(ev.event_type(), "Ping");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(json).unwrap();
    r.parse_body(&z.finish().unwrap(), None, Some("deflate"))
        .unwrap();
    let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    raw.write_all(json).unwrap();
    r.parse_body(&raw.finish().unwrap(), None, Some("deflate"))
        .unwrap();
    // a bomb: 10 MB of spaces in a few KB
    let bomb = gzip(&vec![b' '; 10_000_000]);
    assert!(bomb.len() < 20_000);
    let a = r.parse_body(&bomb, None, Some("gzip")).unwrap_err();
    assert_eq!((a.status, a.code), (400, Some("body_too_large")));
    assert!(a.message.contains("once decoded"), "{}", a.message);
    let a = r.parse_body(b"not gzip", None, Some("gzip")).unwrap_err();
    assert_eq!((a.status, a.code), (400, Some("invalid_content_encoding")));
    let a = r.parse_body(&[b' '; 65537], None, None).unwrap_err();
    assert_eq!(a.code, Some("body_too_large"));
}

#[test]
fn charsets() {
    let r = Receiver::default();
    let latin1 = FORM;
    for ct in ["iso-8859-1", "latin1", "windows-1252", "ISO-8859-1"] {
        let ev = r
            .parse_body(
                latin1,
                Some(&format!("application/x-www-form-urlencoded; charset={ct}")),
                None,
            )
            .unwrap();
        assert_eq!(ev.caller_id_name(), Some("René"), "{ct}");
    }
    let raw: Vec<u8> = FORM
        .iter()
        .copied()
        .take(FORM.len() - 3)
        .chain([0xE9])
        .collect();
    let ev = r
        .parse_body(
            &raw,
            Some("application/x-www-form-urlencoded;charset=latin1"),
            None,
        )
        .unwrap();
    assert_eq!(ev.caller_id_name(), Some("René"));
    let a = r
        .parse_body(
            FORM,
            Some("application/x-www-form-urlencoded; charset=utf-16"),
            None,
        )
        .unwrap_err();
    assert_eq!((a.status, a.code), (400, Some("unsupported_content_type")));
    assert!(a.message.contains("utf-16"));
}

#[test]
fn answers() {
    assert_eq!(Answer::ok().body(), r#"{"ok":true}"#);
    let a = Answer::refusal(Refusal::HandlerFailed);
    assert_eq!(a.status, 500);
    assert_eq!(
        a.body(),
        r#"{"error":{"code":"handler_failed","field":null,"message":"the webhook handler failed"}}"#
    );
    assert!(!a.close);
    let b = Answer::refusal(Refusal::BodyConsumed);
    assert!(b.message.contains("express.json()") && b.message.contains("request.POST"));
    assert_eq!(Answer::refusal(Refusal::RequestTimeout).status, 408);
    assert_eq!(
        Answer::refusal(Refusal::MethodNotAllowed).to_json(),
        r#"{"status":405,"headers":{"allow":"POST"},"close":true,"body":"{\"error\":{\"code\":\"method_not_allowed\",\"field\":null,\"message\":\"use POST\"}}"}"#
    );
    let t: serde_json::Value = serde_json::from_str(&table_json()).unwrap();
    assert_eq!(t["defaults"]["maxBodyBytes"], 65536);
    assert_eq!(t["defaults"]["maxDepth"], 32);
    assert_eq!(t["refusals"].as_array().unwrap().len(), Refusal::ALL.len());
    assert_eq!(t["errors"][0]["code"], "empty_body");
    assert_eq!(t["options"][1][1], "token_query");
    assert_eq!(t["ok"], r#"{"ok":true}"#);
    for r in Refusal::ALL {
        assert_eq!(Refusal::from_code_str(r.as_str()), Some(r));
    }
}

mod hostile {
    use proptest::prelude::*;

    use super::super::*;
    use super::FORM;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ -~]{0,40}",
            Just("::ffff:127.0.0.1".to_owned()),
            Just("[::1]:8080".to_owned()),
            Just("203.0.113.9, 10.0.0.1".to_owned()),
            Just("for=\"[2001:db8::1]:4711\";proto=https".to_owned()),
            Just("gzip, deflate".to_owned()),
            "\\PC{0,20}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

        /// Whatever a client sends, the policy answers with a status from the table and a body
        /// that is JSON, and never panics.
        #[test]
        fn any_request_gets_a_table_answer(
            method in prop_oneof![Just("POST".to_owned()), "[A-Za-z]{0,8}"],
            peer in prop_oneof![Just(Some("10.1.2.3".to_owned())), proptest::option::of(text())],
            query in prop_oneof![Just("token=a-1".to_owned()), text()],
            names in proptest::collection::vec(prop_oneof![
                Just("content-length".to_owned()), Just("content-encoding".to_owned()),
                Just("x-forwarded-for".to_owned()), Just("forwarded".to_owned()),
                Just("x-token".to_owned()), Just("cf-connecting-ip".to_owned()),
            ], 0..5),
            values in proptest::collection::vec(text(), 5),
            body in prop_oneof![proptest::collection::vec(any::<u8>(), 0..300), Just(FORM.to_vec())],
            encoding in prop_oneof![Just(None), proptest::option::of(text())],
            content_type in proptest::option::of(text()),
        ) {
            let rx = Receiver::from_json(
                r#"{"token":["a-1","b_2"],"tokenHeader":"x-token","allow":["10.0.0.0/8","::ffff:0:0/96"],
                    "trustedProxies":["127.0.0.1","10.0.0.0/8"],"maxBodyBytes":256}"#,
            ).unwrap();
            let mut request = Request::new(&method, peer.as_deref(), &query);
            for (n, v) in names.iter().zip(&values) {
                request = request.header(n, v);
            }
            let answer = match rx.check(&request) {
                Check::Refuse(a) => a,
                Check::Read(read) => {
                    let sent = &body[..body.len().min(read.max_bytes)];
                    match rx.parse_body(sent, content_type.as_deref(), encoding.as_deref()) {
                        Ok(_) => Answer::ok(),
                        Err(a) => a,
                    }
                }
            };
            prop_assert!([200, 400, 401, 403, 405, 415].contains(&answer.status), "{}", answer.status);
            let json: serde_json::Value = serde_json::from_str(&answer.body()).unwrap();
            prop_assert!(json.get("ok").is_some() || json["error"]["code"].is_string());
        }
    }
}

#[test]
fn ip_text_writes_what_to_string_writes() {
    let mut ips: Vec<IpAddr> = [
        "0.0.0.0",
        "9.10.99.100",
        "255.255.255.255",
        "127.0.0.1",
        "::1",
        "::ffff:10.0.0.1",
        "2001:db8::5",
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    ips.extend((0..=255u8).map(|o| IpAddr::from([o, 255 - o, o / 3, 7])));
    for ip in ips {
        assert_eq!(ip_text(ip), ip.to_string());
    }
}
