//! The CLI's contract for scripts: canonical JSON and exit 0, or an error object and exit 1.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_primevox-webhooks"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn parses_every_bundled_example() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    let mut kinds = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let ct = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => "application/json",
            Some("form") => "application/x-www-form-urlencoded",
            _ => continue,
        };
        let (code, out) = run(
            &[
                "parse",
                path.to_str().unwrap(),
                "--content-type",
                ct,
                "--strict",
            ],
            b"",
        );
        assert_eq!(code, 0, "{}: {out}", path.display());
        let event = primevox_webhooks::from_json(out.trim()).unwrap();
        kinds.insert(event.kind().as_str());
    }
    assert_eq!(
        kinds.len(),
        11,
        "examples cover every documented kind: {kinds:?}"
    );
}

#[test]
fn errors_are_json_with_exit_1() {
    let (code, out) = run(&["parse", "-"], b"eventType=InboundCall&containerId=1");
    assert_eq!(code, 1);
    assert!(
        out.starts_with(r#"{"error":{"code":"missing_field","field":"tenantId","message":"#),
        "{out}"
    );
    let (code, out) = run(
        &["parse", "--content-type", "multipart/form-data; boundary=x"],
        b"x",
    );
    assert_eq!(code, 1);
    assert!(
        out.contains(r#""code":"unsupported_content_type""#),
        "{out}"
    );
}

#[test]
fn strict_flag_is_honoured() {
    let body = b"eventType=inboundcall&containerId=1&tenantId=2&callUuid=3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d";
    assert_eq!(run(&["parse"], body).0, 0);
    let (code, out) = run(&["parse", "--strict"], body);
    assert_eq!(code, 1);
    assert!(out.contains("unknown_event_type"), "{out}");
}

#[test]
fn encode_inverts_parse() {
    let body = b"eventType=HangupCall&containerId=1&tenantId=2&extNumber=101&callUuid=u&callerIdNum=+15125550199";
    let (_, json) = run(&["parse"], body);
    let (code, wire) = run(&["encode"], json.as_bytes());
    assert_eq!(code, 0);
    let (_, again) = run(&["parse"], wire.trim().as_bytes());
    assert_eq!(json, again);
}
