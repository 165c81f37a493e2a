//! The README's Rust quick start: `cargo run -p primevox-webhooks --example quickstart < examples/inbound-call.form`

use std::io::Read;

use primevox_webhooks::{parse_with, Kind, ParseOptions};

fn handle(body: &[u8], content_type: Option<&str>) -> Result<(), primevox_webhooks::ParseError> {
    let event = parse_with(body, content_type, &ParseOptions::default())?;
    match event.kind() {
        Kind::InboundCall => println!("call from {:?}", event.caller_e164()),
        Kind::InboundMessage => println!("text: {:?}", event.message_text()),
        Kind::Unknown => println!("new event type {}", event.event_type()),
        other => println!("{}", other.as_str()),
    }
    let _retry_key = event.dedup_key(); // the same for every retry of one delivery
    Ok(())
}

fn main() {
    let mut body = Vec::new();
    std::io::stdin().read_to_end(&mut body).expect("read stdin");
    if let Err(e) = handle(&body, None) {
        eprintln!("{}: {e}", e.code());
        std::process::exit(1);
    }
}
