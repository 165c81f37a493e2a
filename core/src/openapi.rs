//! The OpenAPI 3.1 and AsyncAPI 3 documents of what PrimeVOX sends (checked in under
//! `core/generated/`), generated from the kind and field tables like the JSON Schema.
//!
//! They describe the wire format a receiver gets, not the canonical event: one webhook (OpenAPI)
//! or message (AsyncAPI) per kind, JSON for messages and `application/x-www-form-urlencoded` for
//! calls, with the vendor's field spellings, and the payloads of `examples/` as examples. The
//! examples are passed in (see [`read_examples`]) and must parse in strict mode: a broken example
//! fails the generation, so the documents and the parser cannot disagree about them.

use std::path::Path;

use crate::codegen::{Output, Target};

use crate::error::ErrorCode;
use crate::json::{write_str, Reader};
use crate::kind::{Field, Kind};
use crate::parse::{parse_with, ParseOptions};

/// A payload from `examples/`: its file name (which says its content type: `.json` or `.form`)
/// and its bytes.
#[derive(Clone, Debug)]
pub struct Example {
    /// File name, e.g. `inbound-call.form`.
    pub name: String,
    /// The body, as PrimeVOX sends it.
    pub body: Vec<u8>,
}

impl Example {
    /// The Content-Type PrimeVOX sends this body with.
    pub fn content_type(&self) -> &'static str {
        if self.name.ends_with(".json") {
            JSON
        } else {
            FORM
        }
    }
}

/// Where the Python package keeps its copy of the OpenAPI document, from the repository's root
/// (`primevox_webhooks.fastapi.delivery_openapi()` reads it).
pub const PYTHON_PACKAGE_COPY: &str = "bindings-python/python/primevox_webhooks/openapi.json";

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

/// Every `*.json` and `*.form` file of `dir` (the repository's `examples/`), sorted by name.
pub fn read_examples(dir: &Path) -> std::io::Result<Vec<Example>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if path.is_file() && (name.ends_with(".json") || name.ends_with(".form")) {
            out.push(Example {
                body: std::fs::read(&path)?,
                name,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The generated API documents under the repository root `root`, from its `examples/`:
/// `core/generated/openapi.json`, `core/generated/asyncapi.json` and the Python package's copy of
/// the OpenAPI document. An example that does not parse strictly is an error.
pub fn outputs(root: &Path) -> std::io::Result<Vec<Output>> {
    let examples = read_examples(&root.join("examples"))?;
    let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    let openapi = openapi_document(&examples).map_err(invalid)?;
    let asyncapi = asyncapi_document(&examples).map_err(invalid)?;
    let file = |path, text| Output {
        path,
        target: Target::File,
        text,
    };
    Ok(vec![
        file("core/generated/openapi.json", openapi.clone()),
        file("core/generated/asyncapi.json", asyncapi),
        file(PYTHON_PACKAGE_COPY, openapi),
    ])
}

/// The OpenAPI 3.1 document: a `webhooks` entry per kind (named by the kind string), whose
/// request body is the kind's wire payload with its examples.
pub fn openapi_document(examples: &[Example]) -> Result<String, String> {
    let by_kind = examples_by_kind(examples)?;
    let mut webhooks = Vec::new();
    for kind in Kind::ALL {
        let mut content = Vec::new();
        for &media in media_types(kind) {
            let mut m = vec![(
                "schema".to_owned(),
                reference(&format!("#/components/schemas/{}", schema_name(kind))),
            )];
            let exs: Vec<(String, V)> = by_kind[kind as usize]
                .iter()
                .filter(|(e, _)| e.content_type() == media)
                .map(|(e, value)| {
                    (
                        e.name.clone(),
                        obj([
                            ("summary", s(&format!("examples/{}", e.name))),
                            ("value", value.clone()),
                        ]),
                    )
                })
                .collect();
            if !exs.is_empty() {
                m.push(("examples".to_owned(), V::Obj(exs)));
            }
            content.push((media.to_owned(), V::Obj(m)));
        }
        let operation = obj([
            ("operationId", s(&operation_id(kind))),
            ("summary", s(kind.description())),
            ("description", s(&wire_description(kind))),
            ("tags", V::Arr(vec![s(tag(kind))])),
            (
                "requestBody",
                obj([("required", V::Bool(true)), ("content", V::Obj(content))]),
            ),
            ("responses", responses()),
        ]);
        webhooks.push((kind.as_str().to_owned(), obj([("post", operation)])));
    }
    let mut schemas: Vec<(String, V)> = Kind::ALL
        .iter()
        .map(|k| (schema_name(*k), payload_schema(*k)))
        .collect();
    schemas.push(("Accepted".to_owned(), accepted_schema()));
    schemas.push(("Error".to_owned(), error_schema()));
    let doc = obj([
        ("openapi", s("3.1.0")),
        ("info", info()),
        (
            "tags",
            V::Arr(vec![
                obj([
                    ("name", s("messages")),
                    ("description", s("Text messages, sent as JSON.")),
                ]),
                obj([
                    ("name", s("calls")),
                    (
                        "description",
                        s("Call events, sent as application/x-www-form-urlencoded."),
                    ),
                ]),
                obj([
                    ("name", s("other")),
                    ("description", s("Event types this SDK does not know yet.")),
                ]),
            ]),
        ),
        ("webhooks", V::Obj(webhooks)),
        ("components", obj([("schemas", V::Obj(schemas))])),
    ]);
    Ok(render(&doc))
}

/// The AsyncAPI 3 document: one channel (the receiver's URL), one message per kind with the
/// same payload schemas and examples as [`openapi_document`], and the `receive` operation.
pub fn asyncapi_document(examples: &[Example]) -> Result<String, String> {
    let by_kind = examples_by_kind(examples)?;
    let mut channel_messages = Vec::new();
    let mut operation_messages = Vec::new();
    let mut messages = Vec::new();
    for kind in Kind::ALL {
        let name = kind.class_name();
        channel_messages.push((
            name.to_owned(),
            reference(&format!("#/components/messages/{name}")),
        ));
        operation_messages.push(reference(&format!("#/channels/delivery/messages/{name}")));
        let mut m = vec![
            ("name".to_owned(), s(kind.as_str())),
            ("title".to_owned(), s(name)),
            ("summary".to_owned(), s(kind.description())),
            ("description".to_owned(), s(&wire_description(kind))),
        ];
        if kind != Kind::Unknown {
            // An unknown event may come in either encoding: the message leaves it open.
            m.push(("contentType".to_owned(), s(media_types(kind)[0])));
        }
        m.push((
            "payload".to_owned(),
            reference(&format!("#/components/schemas/{}", schema_name(kind))),
        ));
        let exs: Vec<V> = by_kind[kind as usize]
            .iter()
            .map(|(e, value)| {
                obj([
                    ("name", s(&e.name)),
                    ("summary", s(&format!("examples/{}", e.name))),
                    ("payload", value.clone()),
                ])
            })
            .collect();
        if !exs.is_empty() {
            m.push(("examples".to_owned(), V::Arr(exs)));
        }
        messages.push((name.to_owned(), V::Obj(m)));
    }
    let schemas: Vec<(String, V)> = Kind::ALL
        .iter()
        .map(|k| (schema_name(*k), payload_schema(*k)))
        .collect();
    let doc = obj([
        ("asyncapi", s("3.0.0")),
        ("info", info()),
        (
            "channels",
            obj([(
                "delivery",
                obj([
                    ("address", V::Null),
                    ("title", s("Webhook delivery")),
                    (
                        "description",
                        s("The URL registered in PrimeVOX; every event kind is POSTed to it."),
                    ),
                    ("messages", V::Obj(channel_messages)),
                ]),
            )]),
        ),
        (
            "operations",
            obj([(
                "receiveDelivery",
                obj([
                    ("action", s("receive")),
                    ("channel", reference("#/channels/delivery")),
                    (
                        "summary",
                        s("Receive one PrimeVOX webhook delivery (an HTTP POST)."),
                    ),
                    ("messages", V::Arr(operation_messages)),
                ]),
            )]),
        ),
        (
            "components",
            obj([("messages", V::Obj(messages)), ("schemas", V::Obj(schemas))]),
        ),
    ]);
    Ok(render(&doc))
}

/// Each example parsed (it must be a valid delivery) and filed under its kind, with its
/// payload as a JSON value.
fn examples_by_kind(examples: &[Example]) -> Result<Vec<Vec<(&Example, V)>>, String> {
    let mut by_kind: Vec<Vec<(&Example, V)>> = vec![Vec::new(); Kind::ALL.len()];
    // Strict: an example shows exactly what the vendor documents.
    let strict = ParseOptions {
        strict: true,
        ..ParseOptions::default()
    };
    for e in examples {
        let event = parse_with(&e.body, Some(e.content_type()), &strict)
            .map_err(|err| format!("examples/{}: {}", e.name, err.message()))?;
        let value = payload_value(e)?;
        by_kind[event.kind() as usize].push((e, value));
    }
    for kind in Kind::ALL {
        if kind != Kind::Unknown && by_kind[kind as usize].is_empty() {
            return Err(format!("no example of kind {} in examples/", kind.as_str()));
        }
    }
    Ok(by_kind)
}

/// The example's members as a JSON object (a form's values are its decoded strings).
fn payload_value(e: &Example) -> Result<V, String> {
    let text =
        std::str::from_utf8(&e.body).map_err(|_| format!("examples/{}: not UTF-8", e.name))?;
    let mut members = Vec::new();
    let failed = |err: crate::ParseError| format!("examples/{}: {}", e.name, err.message());
    if e.content_type() == JSON {
        Reader::new(text.trim(), true, 32)
            .top_object(|k, v| {
                members.push((k.into_owned(), V::Raw(crate::json::compact(&v))));
                Ok(())
            })
            .map_err(failed)?;
    } else {
        crate::form::pairs(text.trim(), true, |k, v| {
            members.push((k.into_owned(), s(&v)));
            Ok(())
        })
        .map_err(failed)?;
    }
    Ok(V::Obj(members))
}

/// How PrimeVOX sends a kind (an unknown event may come either way).
fn media_types(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Unknown => &[JSON, FORM],
        k if k.is_message() => &[JSON],
        _ => &[FORM],
    }
}

fn tag(kind: Kind) -> &'static str {
    match kind {
        Kind::Unknown => "other",
        k if k.is_message() => "messages",
        _ => "calls",
    }
}

/// `call.inbound` -> `callInbound`, `ring_group.entered` -> `ringGroupEntered`.
fn operation_id(kind: Kind) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in kind.as_str().chars() {
        if c == '.' || c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn schema_name(kind: Kind) -> String {
    format!("{}Payload", kind.class_name())
}

fn wire_description(kind: Kind) -> String {
    match kind.wire_event_type() {
        None => "Any other `eventType`: the SDK parses it as kind `unknown` (strict mode refuses it with \
                 `unknown_event_type`) and keeps every field in `extra`."
            .to_owned(),
        Some(t) => {
            let mut d = format!("`eventType` `{t}`");
            if let Some(target) = kind.wire_event_target() {
                d.push_str(&format!(", `eventTarget` `{target}`"));
            }
            d.push_str(&format!(
                "; the SDK parses it as kind `{}`. Sent as `{}`.",
                kind.as_str(),
                media_types(kind)[0]
            ));
            d
        }
    }
}

/// The wire payload of a kind: the documented spelling of each field, alternatives noted.
fn payload_schema(kind: Kind) -> V {
    let mut props = Vec::new();
    let mut required = vec![s("eventType")];
    match kind.wire_event_type() {
        Some(t) => props.push((
            "eventType".to_owned(),
            obj([
                ("const", s(t)),
                (
                    "description",
                    s("Matched ASCII-case-insensitively unless strict."),
                ),
            ]),
        )),
        None => props.push((
            "eventType".to_owned(),
            obj([("type", s("string")), ("minLength", V::Raw("1".to_owned()))]),
        )),
    }
    if let Some(target) = kind.wire_event_target() {
        props.push(("eventTarget".to_owned(), obj([("const", s(target))])));
    }
    for &(name, field) in kind.wire_fields() {
        let mut p = vec![("type".to_owned(), s("string"))];
        if kind.is_required(field) {
            p.push(("minLength".to_owned(), V::Raw("1".to_owned())));
            required.push(s(name));
        }
        p.push(("description".to_owned(), s(&field_description(field, name))));
        props.push((name.to_owned(), V::Obj(p)));
    }
    let mut schema = vec![
        ("title".to_owned(), s(&schema_name(kind))),
        ("description".to_owned(), s(kind.description())),
        ("type".to_owned(), s("object")),
        ("required".to_owned(), V::Arr(required)),
        ("properties".to_owned(), V::Obj(props)),
    ];
    // Fields the kind does not document are kept in the event's `extra` (strict mode refuses
    // them), so the payload stays open.
    schema.push(("additionalProperties".to_owned(), V::Bool(true)));
    V::Obj(schema)
}

fn field_description(field: Field, name: &str) -> String {
    let mut d = format!(
        "{} Canonical name `{}`.",
        field.description(),
        field.camel_name()
    );
    let others: Vec<&str> = field
        .wire_names()
        .iter()
        .copied()
        .filter(|n| *n != name)
        .collect();
    if !others.is_empty() {
        d.push_str(&format!(
            " Lenient mode also accepts `{}`; strict mode only this spelling.",
            others.join("`, `")
        ));
    }
    if field.is_phone_number() {
        d.push_str(" A phone number: a leading space before digits is read as an unencoded `+`.");
    }
    d
}

fn info() -> V {
    obj([
        ("title", s("PrimeVOX webhooks")),
        ("version", s(env!("CARGO_PKG_VERSION"))),
        (
            "description",
            s("The webhooks PrimeVOX POSTs to the URL you register, as parsed by primevox-webhooks. \
               PrimeVOX does not sign them: the SDK's receivers take a secret token in the URL \
               (`?token=`) or a header. Generated from the SDK's kind table; do not edit."),
        ),
        (
            "license",
            obj([("name", s("MIT OR Apache-2.0")), ("identifier", s("MIT OR Apache-2.0"))]),
        ),
    ])
}

fn responses() -> V {
    let error = |d: &str| {
        obj([
            ("description", s(d)),
            (
                "content",
                obj([(
                    JSON,
                    obj([("schema", reference("#/components/schemas/Error"))]),
                )]),
            ),
        ])
    };
    obj([
        (
            "200",
            obj([
                ("description", s("The event was parsed and handled.")),
                (
                    "content",
                    obj([(
                        JSON,
                        obj([("schema", reference("#/components/schemas/Accepted"))]),
                    )]),
                ),
            ]),
        ),
        (
            "400",
            error("The body is not a valid delivery (`code` says why)."),
        ),
        (
            "401",
            error("`unauthorized`: the token is missing or wrong."),
        ),
        (
            "403",
            error("`forbidden`: the peer address is not allowed."),
        ),
    ])
}

fn accepted_schema() -> V {
    obj([
        ("type", s("object")),
        ("required", V::Arr(vec![s("ok")])),
        ("properties", obj([("ok", obj([("const", V::Bool(true))]))])),
    ])
}

fn error_schema() -> V {
    let parse_codes = ErrorCode::ALL
        .iter()
        .map(|c| s(c.as_str()))
        .collect::<Vec<_>>();
    obj([
        ("type", s("object")),
        ("required", V::Arr(vec![s("error")])),
        (
            "properties",
            obj([(
                "error",
                obj([
                    ("type", s("object")),
                    ("required", V::Arr(vec![s("code"), s("field"), s("message")])),
                    (
                        "properties",
                        obj([
                            (
                                "code",
                                obj([
                                    ("type", s("string")),
                                    (
                                        "description",
                                        s("A stable code; the parse errors are listed, the receivers add their own (`unauthorized`, `forbidden`, ...)."),
                                    ),
                                    ("examples", V::Arr(parse_codes)),
                                ]),
                            ),
                            ("field", obj([("type", V::Arr(vec![s("string"), s("null")]))])),
                            ("message", obj([("type", s("string"))])),
                        ]),
                    ),
                ]),
            )]),
        ),
    ])
}

/// A JSON value of the generated documents, kept in insertion order.
#[derive(Clone, Debug)]
enum V {
    Null,
    Bool(bool),
    Str(String),
    /// Already JSON text (numbers, example values).
    Raw(String),
    Arr(Vec<V>),
    Obj(Vec<(String, V)>),
}

fn s(text: &str) -> V {
    V::Str(text.to_owned())
}

fn obj<const N: usize>(members: [(&str, V); N]) -> V {
    V::Obj(
        members
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn reference(to: &str) -> V {
    obj([("$ref", s(to))])
}

/// Two-space indented JSON, one member per line, ending with a newline.
fn render(v: &V) -> String {
    let mut out = String::new();
    write(&mut out, v, 0);
    out.push('\n');
    out
}

fn write(out: &mut String, v: &V, depth: usize) {
    let pad = |out: &mut String, d: usize| {
        for _ in 0..d {
            out.push_str("  ");
        }
    };
    match v {
        V::Null => out.push_str("null"),
        V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Str(t) => write_str(out, t),
        V::Raw(t) => out.push_str(t),
        V::Arr(items) if items.is_empty() => out.push_str("[]"),
        V::Obj(members) if members.is_empty() => out.push_str("{}"),
        V::Arr(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(out, depth + 1);
                write(out, item, depth + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(out, depth);
            out.push(']');
        }
        V::Obj(members) => {
            out.push_str("{\n");
            for (i, (k, item)) in members.iter().enumerate() {
                pad(out, depth + 1);
                write_str(out, k);
                out.push_str(": ");
                write(out, item, depth + 1);
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
            pad(out, depth);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(name: &str, body: &str) -> Example {
        Example {
            name: name.to_owned(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_broken_or_missing_example_is_an_error() {
        let call = "eventType=HangupCall&containerId=1&tenantId=2";
        let err = openapi_document(&[example("call-hangup.form", call)]).unwrap_err();
        assert!(err.starts_with("examples/call-hangup.form: "), "{err}");
        let err = openapi_document(&[]).unwrap_err();
        assert!(
            err.starts_with("no example of kind message.inbound"),
            "{err}"
        );
    }
}
