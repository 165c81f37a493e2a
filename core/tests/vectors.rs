//! Runs every shared, language-neutral test vector in `tests/vectors/` against the core.
//!
//! Each vector is one JSON file (format: `tests/vectors/README.md`). The parsed event's canonical
//! JSON must equal the expected event (as JSON values), or the parse must fail with the expected
//! error code and field. The set itself is checked too: every error code and every kind must be
//! covered, and every expected event must have exactly the keys of its kind.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use primevox_webhooks::{from_json, parse, parse_with, ErrorCode, Kind, ParseOptions};
use serde_json::{Map, Value};

/// The number of vectors in the shared set today: a floor, so that a loader that silently finds
/// fewer files (or a deleted vector) fails. Raise it when adding vectors.
const MIN_CASES: usize = 314;

/// The number of vectors pinning a `dedup_key` today (a floor, like `MIN_CASES`).
const MIN_DEDUP_CASES: usize = 30;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("tests")
        .join("vectors")
}

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("examples")
}

struct Vector {
    name: String,
    body: Vec<u8>,
    content_type: Option<String>,
    options: ParseOptions,
    expect: Expect,
}

enum Expect {
    /// The event, and its `dedup_key` when the vector pins one.
    Event(Value, Option<String>),
    Error {
        code: String,
        field: Option<String>,
    },
}

fn load_vectors() -> Vec<Vector> {
    let mut paths: Vec<PathBuf> = fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| load_vector(p)).collect()
}

fn load_vector(path: &Path) -> Vector {
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{name}: not an object"));
    for key in obj.keys() {
        assert!(
            [
                "description",
                "body",
                "body_base64",
                "content_type",
                "options",
                "expect"
            ]
            .contains(&key.as_str()),
            "{name}: unexpected key {key:?}"
        );
    }
    assert!(
        obj.get("description")
            .and_then(Value::as_str)
            .is_some_and(|d| !d.is_empty()),
        "{name}: needs a description"
    );
    let prefix = name.split('-').next().unwrap_or("");
    assert!(
        ["kind", "rule", "error", "strict", "lenient", "hostile"].contains(&prefix),
        "{name}: file name must start with kind-, rule-, error-, strict-, lenient- or hostile-"
    );

    let body = match (obj.get("body"), obj.get("body_base64")) {
        (Some(Value::String(s)), None) => s.clone().into_bytes(),
        (None, Some(Value::String(b))) => base64::engine::general_purpose::STANDARD
            .decode(b)
            .unwrap_or_else(|e| panic!("{name}: body_base64: {e}")),
        _ => panic!("{name}: exactly one of body (string) or body_base64 (string)"),
    };
    let content_type = match obj.get("content_type") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) => None,
        other => panic!("{name}: content_type must be a string or null, got {other:?}"),
    };

    let mut options = ParseOptions::default();
    if let Some(o) = obj.get("options") {
        let o = o
            .as_object()
            .unwrap_or_else(|| panic!("{name}: options not an object"));
        for (k, v) in o {
            match k.as_str() {
                "strict" => options.strict = v.as_bool().expect("strict is a bool"),
                "max_body_bytes" => {
                    options.max_body_bytes =
                        v.as_u64().expect("max_body_bytes is an integer") as usize
                }
                "max_depth" => {
                    options.max_depth = v.as_u64().expect("max_depth is an integer") as usize
                }
                _ => panic!("{name}: unknown option {k:?}"),
            }
        }
    }

    let expect = obj
        .get("expect")
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("{name}: expect must be an object"));
    let keys: Vec<&str> = expect.keys().map(String::as_str).collect();
    assert!(
        matches!(keys.as_slice(), ["event"] | ["error"])
            || (keys.len() == 2 && keys.contains(&"event") && keys.contains(&"dedup_key")),
        "{name}: expect holds event (and optionally dedup_key) or error, not {keys:?}"
    );
    let expect = if let Some(ev) = expect.get("event") {
        check_expected_event_shape(&name, ev);
        let dedup = expect.get("dedup_key").map(|k| {
            k.as_str()
                .unwrap_or_else(|| panic!("{name}: dedup_key must be a string"))
                .to_owned()
        });
        Expect::Event(ev.clone(), dedup)
    } else if let Some(err) = expect.get("error") {
        let err = err
            .as_object()
            .unwrap_or_else(|| panic!("{name}: error not an object"));
        let code = err
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{name}: error.code must be a string"))
            .to_owned();
        assert!(
            ErrorCode::ALL.iter().any(|c| c.as_str() == code),
            "{name}: {code:?} is not an error code"
        );
        let field = match err.get("field") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) => None,
            other => panic!("{name}: error.field must be present, a string or null: {other:?}"),
        };
        Expect::Error { code, field }
    } else {
        panic!("{name}: expect needs event or error");
    };

    Vector {
        name,
        body,
        content_type,
        options,
        expect,
    }
}

/// An expected event must have exactly `kind`, `eventType`, the kind's fields and `extra`.
fn check_expected_event_shape(name: &str, ev: &Value) {
    let obj: &Map<String, Value> = ev
        .as_object()
        .unwrap_or_else(|| panic!("{name}: event not an object"));
    let kind_str = obj
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{name}: event.kind must be a string"));
    let kind =
        Kind::from_kind_str(kind_str).unwrap_or_else(|| panic!("{name}: unknown kind {kind_str}"));
    let mut want: BTreeSet<&str> = kind.fields().iter().map(|f| f.camel_name()).collect();
    want.extend(["kind", "eventType", "extra"]);
    let have: BTreeSet<&str> = obj.keys().map(String::as_str).collect();
    assert_eq!(have, want, "{name}: expected event has the wrong keys");
    for f in kind.fields() {
        let v = &obj[f.camel_name()];
        assert!(
            v.is_null() || v.as_str().is_some_and(|s| !s.is_empty()),
            "{name}: {} must be a non-empty string or null",
            f.camel_name()
        );
    }
    let extra = obj["extra"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: extra must be an array"));
    for pair in extra {
        let ok = pair
            .as_array()
            .is_some_and(|p| p.len() == 2 && p[0].is_string());
        assert!(ok, "{name}: extra items are [name, value] pairs: {pair}");
    }
}

/// The exact canonical JSON text of an expected event up to and including `"extra":`: keys in
/// canonical order, no whitespace, strings escaped minimally (as serde_json escapes them).
fn canonical_prefix(want: &Value) -> String {
    let kind = Kind::from_kind_str(want["kind"].as_str().unwrap()).unwrap();
    let mut keys = vec!["kind", "eventType"];
    keys.extend(kind.fields().iter().map(|f| f.camel_name()));
    let mut out = String::from("{");
    for key in keys {
        out.push_str(&serde_json::to_string(key).unwrap());
        out.push(':');
        out.push_str(&serde_json::to_string(&want[key]).unwrap());
        out.push(',');
    }
    out.push_str("\"extra\":");
    out
}

/// Runs one vector; `Err` describes the mismatch.
fn run(v: &Vector) -> Result<(), String> {
    let got = parse_with(&v.body, v.content_type.as_deref(), &v.options);
    match (&v.expect, got) {
        (Expect::Event(want, dedup), Ok(event)) => {
            if let Some(dedup) = dedup {
                let have = event.dedup_key();
                if &have != dedup {
                    return Err(format!(
                        "dedup_key mismatch\n    want: {dedup}\n    have: {have}"
                    ));
                }
            }
            let json = event.to_json();
            let have: Value = serde_json::from_str(&json)
                .map_err(|e| format!("to_json is not JSON ({e}): {json}"))?;
            if &have != want {
                return Err(format!(
                    "event mismatch\n    want: {want}\n    have: {json}"
                ));
            }
            let prefix = canonical_prefix(want);
            if json.starts_with(&prefix) {
                Ok(())
            } else {
                Err(format!(
                    "canonical JSON not in canonical order/format\n    want prefix: {prefix}\n    have: {json}"
                ))
            }
        }
        (Expect::Event(want, _), Err(e)) => Err(format!(
            "expected event {want}\n    got error {} field={:?}: {}",
            e.code().as_str(),
            e.field(),
            e.message()
        )),
        (Expect::Error { code, field }, Ok(event)) => Err(format!(
            "expected error {code} field={field:?}\n    got event {}",
            event.to_json()
        )),
        (Expect::Error { code, field }, Err(e)) => {
            if e.code().as_str() == code && e.field() == field.as_deref() {
                Ok(())
            } else {
                Err(format!(
                    "expected error {code} field={field:?}\n    got error {} field={:?}: {}",
                    e.code().as_str(),
                    e.field(),
                    e.message()
                ))
            }
        }
    }
}

#[test]
fn every_vector_passes() {
    let vectors = load_vectors();
    let failures: Vec<String> = vectors
        .iter()
        .filter_map(|v| run(v).err().map(|e| format!("{}: {e}", v.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}

#[test]
fn vectors_cover_every_error_code_and_kind() {
    let vectors = load_vectors();
    assert!(
        vectors.len() >= MIN_CASES,
        "only {} vectors, want at least {MIN_CASES}",
        vectors.len()
    );
    let dedup = vectors
        .iter()
        .filter(|v| matches!(v.expect, Expect::Event(_, Some(_))))
        .count();
    assert!(
        dedup >= MIN_DEDUP_CASES,
        "only {dedup} vectors pin a dedup_key, want at least {MIN_DEDUP_CASES}"
    );
    let mut codes = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    for v in &vectors {
        match &v.expect {
            Expect::Error { code, .. } => {
                codes.insert(code.clone());
            }
            Expect::Event(ev, _) => {
                kinds.insert(ev["kind"].as_str().unwrap().to_owned());
            }
        }
    }
    for code in ErrorCode::ALL {
        assert!(
            codes.contains(code.as_str()),
            "no vector expects error {}",
            code.as_str()
        );
    }
    for kind in Kind::ALL {
        assert!(
            kinds.contains(kind.as_str()),
            "no vector expects kind {}",
            kind.as_str()
        );
    }
    // Every documented kind also has a `kind-` vector in its documented encoding.
    let names: BTreeSet<&str> = vectors.iter().map(|v| v.name.as_str()).collect();
    for kind in Kind::ALL {
        let covered = vectors.iter().any(|v| {
            v.name.starts_with("kind-")
                && matches!(&v.expect, Expect::Event(ev, _) if ev["kind"] == kind.as_str())
        });
        assert!(covered, "no kind- vector for {} ({names:?})", kind.as_str());
    }
}

/// Every event a vector produces survives the README's round trips: back to the vendor's wire
/// format (`parse(encode(e)) == e`, same dedup key) and through the canonical JSON
/// (`from_json(to_json(e)) == e`).
#[test]
fn every_vector_event_round_trips() {
    let mut failures = Vec::new();
    for v in load_vectors() {
        let Ok(event) = parse_with(&v.body, v.content_type.as_deref(), &v.options) else {
            continue;
        };
        let json = event.to_json();
        let encoded = event.encode();
        match parse(encoded.body.as_bytes(), Some(encoded.content_type)) {
            Ok(again) if again.to_json() == json && again.dedup_key() == event.dedup_key() => {}
            Ok(again) => failures.push(format!(
                "{}: parse(encode(e)) differs\n    body: {}\n    want: {json}\n    have: {}",
                v.name,
                encoded.body,
                again.to_json()
            )),
            Err(e) => failures.push(format!(
                "{}: parse(encode(e)) failed: {e}\n    body: {}",
                v.name, encoded.body
            )),
        }
        match from_json(&json) {
            Ok(back) if back.to_json() == json => {}
            Ok(back) => failures.push(format!(
                "{}: from_json(to_json(e)) differs\n    want: {json}\n    have: {}",
                v.name,
                back.to_json()
            )),
            Err(e) => failures.push(format!("{}: from_json(to_json(e)) failed: {e}", v.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every bundled example payload parses, strictly, into the kind its file name says.
#[test]
fn examples_parse_strictly() {
    let expected = [
        ("inbound-message.json", Kind::InboundMessage),
        ("outbound-message.json", Kind::OutboundMessage),
        ("inbound-call.form", Kind::InboundCall),
        ("call-hangup.form", Kind::CallHangup),
        ("extension-ringing.form", Kind::ExtensionRinging),
        ("extension-answered.form", Kind::ExtensionAnswered),
        ("extension-hangup.form", Kind::ExtensionHangup),
        ("voicemail-left.form", Kind::VoicemailLeft),
        ("outbound-call.form", Kind::OutboundCall),
        ("ring-group-entered.form", Kind::RingGroupEntered),
        ("queue-entered.form", Kind::QueueEntered),
    ];
    for (file, kind) in expected {
        let path = examples_dir().join(file);
        let body = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let content_type = if file.ends_with(".json") {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        for strict in [false, true] {
            let options = ParseOptions {
                strict,
                ..ParseOptions::default()
            };
            let event = parse_with(&body, Some(content_type), &options)
                .unwrap_or_else(|e| panic!("{file} (strict={strict}): {e}"));
            assert_eq!(event.kind(), kind, "{file}");
            assert!(event.extra().is_empty(), "{file}: unexpected extra fields");
            for (field, value) in event.fields() {
                assert!(
                    value.is_some(),
                    "{file}: example leaves {} empty; fill every field",
                    field.camel_name()
                );
            }
        }
    }
}
