//! A PrimeVOX webhook receiver on axum: `PRIMEVOX_TOKEN=... cargo run --example axum_receiver
//! --features axum`, then point PrimeVOX at http://<host>:3000/primevox?token=...
use std::net::SocketAddr;

use axum::routing::any;
use primevox_webhooks::axum::{receiver_layer, EventRouter, HandlerError, PrimevoxEvent, Received};
use primevox_webhooks::receiver::{Receiver, ReceiverOptions};
use primevox_webhooks::Kind;

// Your own handler: the extractor has already checked the sender and parsed the body.
async fn log_event(PrimevoxEvent(event): PrimevoxEvent) -> Result<Received, HandlerError> {
    println!("{}", event.to_json()); // or serde_json::to_string(&event) with the `serde` feature
    Ok(Received)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let token =
        std::env::var("PRIMEVOX_TOKEN").unwrap_or_else(|_| "change-me-to-a-random-secret".into());
    let receiver = Receiver::new(ReceiverOptions {
        token: vec![token],
        ..Default::default()
    })
    .expect("valid receiver options");
    // Handlers by kind: a failure (or a panic, or 30 s without an answer) answers 500
    // handler_failed, so PrimeVOX retries.
    let events = EventRouter::new(receiver.clone())
        .on(Kind::InboundCall, |e| async move {
            println!("call from {:?}", e.caller_e164())
        })
        .on(Kind::InboundMessage, |e| async move {
            println!("text: {:?}", e.message_text())
        })
        .on([Kind::CallHangup, Kind::VoicemailLeft], |e| async move {
            println!("{} on call {:?}", e.kind().as_str(), e.call_uuid());
            Ok::<(), std::io::Error>(())
        })
        .on_call_completed(|call| async move {
            println!("call {:?} ended: {}", call.call_uuid, call.outcome.as_str());
        })
        .on_error(|error, event| {
            eprintln!("handler failed for {}: {error}", event.kind().as_str())
        });
    let app = axum::Router::new()
        .route("/primevox", events.into_route()) // every method: the policy answers 405 itself
        .route(
            "/primevox/raw",
            any(log_event).layer(receiver_layer(receiver)),
        );
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".into());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on http://{}", listener.local_addr()?);
    // Connect info gives the policy the peer address (for `allow` and trusted proxies).
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
