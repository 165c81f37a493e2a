//! The axum receivers under load (bench/load/run.py starts this: `pvload-axum PORT`; built with
//! `cargo build --release -p primevox-webhooks-bench --features axum --bin pvload-axum`).
//!
//!   POST /sdk    the SDK's receiver: the `PrimevoxEvent` extractor under `receiver_layer`
//!   POST /hand   a minimal hand-written receiver making the same checks (token, body limit,
//!                JSON with serde_json or form with serde_urlencoded, documented eventType,
//!                required fields), 200 {"ok":true}
//!   POST /empty  reads the body and answers 200 {"ok":true}: the framework's ceiling
//!   GET  /__stats   handler calls per delivery key, per route
//!
//! A delivery whose caller name (or message text) contains THROW makes the handler fail after
//! counting. Adapting to a new receiver API: only `sdk` below changes.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use primevox_webhooks::axum::{receiver_layer, HandlerError, PrimevoxEvent, Received};
use primevox_webhooks::receiver::{Receiver, ReceiverOptions};
use primevox_webhooks::Field;

const LIMIT: usize = 64 * 1024;
const KINDS: [&str; 10] = [
    "inboundMessage",
    "outboundMessage",
    "InboundCall",
    "HangupCall",
    "ringAttempt",
    "ExtensionAnswered",
    "inboundCallCompleted",
    "voicemailHangup",
    "outboundCall",
    "queueEntered",
];

#[derive(Default)]
struct Calls {
    sdk: HashMap<String, u64>,
    hand: HashMap<String, u64>,
}

#[derive(Clone)]
struct App {
    token: Arc<str>,
    calls: Arc<Mutex<Calls>>,
}

impl App {
    fn record(&self, hand: bool, key: &str, text: Option<&str>) -> Result<(), &'static str> {
        let mut c = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        let m = if hand { &mut c.hand } else { &mut c.sdk };
        *m.entry(key.to_owned()).or_default() += 1;
        match text {
            Some(t) if t.contains("THROW") => Err("handler failed on purpose (load fault mix)"),
            _ => Ok(()),
        }
    }
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn bad(status: StatusCode, code: &str) -> Response {
    json(status, format!(r#"{{"error":{{"code":"{code}"}}}}"#))
}

// --- the SDK ------------------------------------------------------------------------------------
async fn sdk(
    State(app): State<App>,
    PrimevoxEvent(event): PrimevoxEvent,
) -> Result<Received, HandlerError> {
    let key = event
        .get(Field::CallUuid)
        .or(event.get(Field::ConversationId))
        .unwrap_or("?");
    let text = event
        .get(Field::CallerIdName)
        .or(event.get(Field::MessageText));
    app.record(false, key, text).map_err(HandlerError::new)?;
    Ok(Received)
}

// --- hand-written -------------------------------------------------------------------------------
async fn hand(State(app): State<App>, req: Request) -> Response {
    let query = req.uri().query().unwrap_or("");
    let q: HashMap<String, String> = serde_urlencoded::from_str(query).unwrap_or_default();
    if q.get("token").map(String::as_str) != Some(&*app.token) {
        return bad(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let Ok(body) = to_bytes(req.into_body(), LIMIT).await else {
        return bad(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
    };
    let (d, required, key, text): (HashMap<String, String>, &[&str], &str, &str);
    if ct.starts_with("application/json") {
        let Ok(serde_json::Value::Object(o)) = serde_json::from_slice::<serde_json::Value>(&body)
        else {
            return bad(StatusCode::BAD_REQUEST, "invalid_json");
        };
        d = o
            .into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect();
        (required, key, text) = (
            &["containerID", "tenantID", "toNumber", "fromNumber"],
            "conversationID",
            "messageText",
        );
    } else if ct.starts_with("application/x-www-form-urlencoded") {
        let Ok(f) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
            return bad(StatusCode::BAD_REQUEST, "invalid_form");
        };
        d = f.into_iter().collect();
        (required, key, text) = (
            &["containerId", "tenantId", "callUuid"],
            "callUuid",
            "callerIdName",
        );
    } else {
        return bad(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_content_type",
        );
    }
    if !d
        .get("eventType")
        .is_some_and(|t| KINDS.contains(&t.as_str()))
    {
        return bad(StatusCode::BAD_REQUEST, "unknown_event_type");
    }
    if required
        .iter()
        .any(|r| d.get(*r).is_none_or(|v| v.is_empty()))
    {
        return bad(StatusCode::BAD_REQUEST, "missing_field");
    }
    let key = d.get(key).map(String::as_str).unwrap_or("?");
    match app.record(true, key, d.get(text).map(String::as_str)) {
        Ok(()) => json(StatusCode::OK, r#"{"ok":true}"#.into()),
        Err(_) => bad(StatusCode::INTERNAL_SERVER_ERROR, "handler_failed"),
    }
}

async fn empty(req: Request) -> Response {
    let _ = to_bytes(req.into_body(), LIMIT).await;
    json(StatusCode::OK, r#"{"ok":true}"#.into())
}

async fn stats(State(app): State<App>) -> Response {
    let c = app.calls.lock().unwrap_or_else(|e| e.into_inner());
    let body =
        serde_json::json!({ "pid": std::process::id(), "calls": { "sdk": c.sdk, "hand": c.hand } });
    json(StatusCode::OK, body.to_string())
}

fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let token = std::env::var("PV_LOAD_TOKEN").unwrap_or_else(|_| "load-token".into());
    let receiver = Receiver::new(ReceiverOptions {
        token: vec![token.clone()],
        ..Default::default()
    })
    .expect("valid receiver options");
    let app = App {
        token: token.into(),
        calls: Arc::default(),
    };
    let router = axum::Router::new()
        // every method: the policy answers 405 itself
        .route("/sdk", any(sdk).layer(receiver_layer(receiver)))
        .route("/hand", post(hand))
        .route("/empty", post(empty))
        .route("/__stats", get(stats))
        .with_state(app);
    // The multi-threaded runtime, as axum services are deployed (one worker thread per core).
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async move {
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
            println!("listening {}", listener.local_addr()?);
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
        })
}
