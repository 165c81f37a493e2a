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
//! `pvload-axum --inproc CORPUS.wrk [--rounds N]` serves nothing: it calls the same router in
//! process (`tower_service::Service::call`, as hyper does, with the `ConnectInfo` hyper's
//! connection would add) over the deliveries of a wrk.lua corpus file, every route in rounds in
//! a rotating order, and prints the thread's CPU time per request of each route and the SDK's
//! over the others', paired round by round (bench/README.md). No sockets, no scheduler: the
//! routes' own work, less moved by the machine's other tenants than requests/s under wrk.
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
use clap::Parser;
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

fn router(token: String) -> axum::Router {
    let receiver = Receiver::new(ReceiverOptions {
        token: vec![token.clone()],
        ..Default::default()
    })
    .expect("valid receiver options");
    let app = App {
        token: token.into(),
        calls: Arc::default(),
    };
    axum::Router::new()
        // every method: the policy answers 405 itself
        .route("/sdk", any(sdk).layer(receiver_layer(receiver)))
        .route("/hand", post(hand))
        .route("/empty", post(empty))
        .route("/__stats", get(stats))
        .with_state(app)
}

/// The axum receivers under load: `pvload-axum [PORT]` serves /sdk, /hand and /empty on
/// 127.0.0.1; `pvload-axum --inproc CORPUS.wrk` calls them in process instead.
#[derive(Parser)]
#[command(name = "pvload-axum")]
struct Args {
    /// The port to serve on, on 127.0.0.1 (0: a free one; the address is printed).
    #[arg(default_value_t = 0, conflicts_with = "inproc")]
    port: u16,
    /// Serve nothing: call the router in process over the deliveries of this wrk.lua corpus file,
    /// and print each route's CPU time per request.
    #[arg(long, value_name = "CORPUS.wrk")]
    inproc: Option<String>,
    /// Rounds of `--inproc` (every route once per round, in a rotating order).
    #[arg(long, default_value_t = 5, requires = "inproc", value_parser = clap::value_parser!(u32).range(1..))]
    rounds: u32,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let token = std::env::var("PV_LOAD_TOKEN").unwrap_or_else(|_| "load-token".into());
    if let Some(corpus) = &args.inproc {
        return inproc::run(router(token.clone()), &token, corpus, args.rounds as usize);
    }
    let port = args.port;
    let router = router(token);
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

#[path = "../cpu.rs"]
mod cpu;

mod inproc {
    use std::net::SocketAddr;

    use axum::body::{Body, Bytes};
    use axum::extract::{ConnectInfo, Request};
    use axum::http::header;
    use tower_service::Service;

    use crate::cpu::thread_cpu_seconds;

    const ROUTES: [&str; 3] = ["sdk", "hand", "empty"];

    /// One pass of `route` over the deliveries; every answer must be 200.
    async fn pass(
        router: &mut axum::Router,
        route: &str,
        token: &str,
        deliveries: &[(String, Bytes)],
    ) {
        let uri = format!("/{route}?token={token}");
        let peer = ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 50000)));
        for (ct, body) in deliveries {
            let mut req = Request::post(&uri)
                .header(header::HOST, "127.0.0.1")
                .header(header::CONTENT_LENGTH, body.len())
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body.clone()))
                .expect("a valid request");
            req.extensions_mut().insert(peer);
            let answer = router.call(req).await.expect("infallible");
            assert_eq!(answer.status(), 200, "/{route}");
            let _ = axum::body::to_bytes(answer.into_body(), usize::MAX).await;
        }
    }

    pub fn run(
        mut router: axum::Router,
        token: &str,
        corpus: &str,
        rounds: usize,
    ) -> std::io::Result<()> {
        let deliveries: Vec<(String, Bytes)> = std::fs::read_to_string(corpus)?
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(ct, body)| (ct.to_owned(), Bytes::copy_from_slice(body.as_bytes())))
            .collect();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            for route in ROUTES {
                pass(&mut router, route, token, &deliveries).await; // warm-up
            }
            let mut per: [Vec<f64>; 3] = Default::default();
            for round in 0..rounds {
                for k in 0..3 {
                    let i = (round + k) % 3;
                    let t0 = thread_cpu_seconds();
                    pass(&mut router, ROUTES[i], token, &deliveries).await;
                    per[i].push((thread_cpu_seconds() - t0) / deliveries.len() as f64 * 1e9);
                }
            }
            let median = |v: &mut Vec<f64>| {
                v.sort_by(f64::total_cmp);
                v[v.len() / 2]
            };
            let ratios = |other: usize| -> Vec<f64> {
                (0..rounds).map(|r| per[0][r] / per[other][r]).collect()
            };
            let (mut vs_hand, mut vs_empty) = (ratios(1), ratios(2));
            let (sdk_ratio_hand, sdk_ratio_empty) = (median(&mut vs_hand), median(&mut vs_empty));
            let ns: Vec<f64> = per.iter_mut().map(median).collect();
            println!(
                "{{\"deliveries\": {}, \"rounds\": {rounds}, \"cpu_ns_per_request\": {{\"sdk\": {:.0}, \"hand\": {:.0}, \"empty\": {:.0}}}, \"sdk_over_hand\": {sdk_ratio_hand:.3}, \"sdk_over_empty\": {sdk_ratio_empty:.3}}}",
                deliveries.len(),
                ns[0],
                ns[1],
                ns[2]
            );
        });
        Ok(())
    }
}
