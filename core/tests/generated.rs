//! The checked-in generated files must match what the tables generate now.

use primevox_webhooks::codegen;

fn check(name: &str, expected: String) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/generated/").to_owned() + name;
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{path} is stale: run `cargo run -p primevox-webhooks-cli -- codegen`"
    );
}

#[test]
fn json_schema_is_fresh() {
    check("event.schema.json", codegen::json_schema());
}

#[test]
fn typescript_types_are_fresh() {
    check("events.d.ts", codegen::typescript_types());
}

#[test]
fn js_event_builders_are_fresh() {
    check(
        "event-builder.cjs",
        codegen::js_event_builder(codegen::JsModule::CommonJs),
    );
    check(
        "event-builder.mjs",
        codegen::js_event_builder(codegen::JsModule::Esm),
    );
}

fn examples() -> Vec<primevox_webhooks::openapi::Example> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
    primevox_webhooks::openapi::read_examples(std::path::Path::new(dir)).expect("examples/")
}

#[test]
fn openapi_document_is_fresh() {
    let doc = primevox_webhooks::openapi::openapi_document(&examples()).expect("examples parse");
    check("openapi.json", doc.clone());
    let copy = concat!(env!("CARGO_MANIFEST_DIR"), "/../").to_owned()
        + primevox_webhooks::openapi::PYTHON_PACKAGE_COPY;
    assert!(
        std::fs::read_to_string(&copy).unwrap_or_default() == doc,
        "{copy} is stale: run `cargo run -p primevox-webhooks-cli -- codegen`"
    );
}

#[test]
fn asyncapi_document_is_fresh() {
    let doc = primevox_webhooks::openapi::asyncapi_document(&examples()).expect("examples parse");
    check("asyncapi.json", doc);
}
