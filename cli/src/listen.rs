//! `listen`: a real HTTP receiver on the core's receiver policy, printing and saving every
//! delivery, optionally forwarding it.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use http_body_util::BodyExt;
use primevox_webhooks::receiver::{self, Answer, Check, Receiver, ReceiverOptions};
use primevox_webhooks::{Event, Refusal};
use reqwest::Url;

use crate::capture::Saved;
use crate::send::{self, target_url};
use crate::{now_ms, Failure, Outcome};

/// Receive deliveries on a real HTTP server; print, save and forward them.
///
/// The checks and answers are the library receivers' (the core's receiver policy). The first line on stdout is always `listening on http://HOST:PORT/PATH` (with the port the
/// system gave for --port 0). Then one line per delivery: the UTC time, the status answered,
/// the kind, the callUuid or conversationId, and the caller; with --json, the event's canonical
/// JSON (or the {"error": …} answered) instead. Stops cleanly on Ctrl-C or SIGTERM.
#[derive(clap::Args)]
#[command(after_help = "\
--save writes one JSON line per delivery, accepted or refused, flushed line by line:
  {\"at\": <ms>, \"method\", \"path\", \"query\", \"headers\": {content-type, content-length,
   user-agent, x-forwarded-for, the token header}, \"contentType\", \"body\": <string>,
   \"status\", \"error\": <object, absent when accepted>}
with \"bodyBase64\" instead of \"body\" when the bytes are not UTF-8. `replay` and `calls`
read it, also while listen is still writing it.")]
pub struct Args {
    /// The address to listen on.
    #[arg(long, value_name = "HOST", default_value = "127.0.0.1")]
    host: String,
    /// The port; 0 lets the system pick a free one (printed on the first line).
    #[arg(long, value_name = "PORT", default_value_t = 8787)]
    port: u16,
    /// The path deliveries are POSTed to; other paths get 404.
    #[arg(long, value_name = "PATH", default_value = "/")]
    path: String,
    /// Accept only deliveries carrying this token (repeat while rotating). Read from the
    /// `token` query parameter, or from --token-header.
    #[arg(long, value_name = "T")]
    token: Vec<String>,
    /// Read the token from this request header (before the query parameter).
    #[arg(long, value_name = "H")]
    token_header: Option<String>,
    /// Accept only senders in this CIDR range (repeatable), e.g. 203.0.113.0/24.
    #[arg(long, value_name = "CIDR")]
    allow: Vec<String>,
    /// Refuse anything not exactly as the vendor documents it.
    #[arg(long)]
    strict: bool,
    /// Append every delivery to this file as one JSON line.
    #[arg(long, value_name = "FILE")]
    save: Option<String>,
    /// Re-send each delivery whose sender passed the checks (method, content type, body,
    /// query) to this URL, and print its status.
    #[arg(long, value_name = "URL")]
    forward_to: Option<String>,
    /// Print each event's canonical JSON instead of a summary line.
    #[arg(long)]
    json: bool,
}

struct App {
    receiver: Receiver,
    path: String,
    token_header: Option<String>,
    save: Option<Mutex<std::fs::File>>,
    forward: Option<(reqwest::Client, Url)>,
    json: bool,
}

pub fn run(a: Args) -> Outcome {
    if !a.path.starts_with('/') {
        return Err(Failure::usage(format!(
            "--path {:?} must start with /",
            a.path
        )));
    }
    let receiver = Receiver::new(ReceiverOptions {
        token: a.token.clone(),
        token_header: a.token_header.clone(),
        allow: (!a.allow.is_empty()).then(|| a.allow.clone()),
        strict: a.strict,
        ..ReceiverOptions::default()
    })
    .map_err(|e| Failure::usage(format!("bad option: {e}")))?;
    let forward = match &a.forward_to {
        Some(u) => Some((send::client()?, target_url("--forward-to", u)?)),
        None => None,
    };
    let save = match &a.save {
        Some(p) => Some(Mutex::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(|e| Failure::usage(format!("cannot open --save {p}: {e}")))?,
        )),
        None => None,
    };
    let app = Arc::new(App {
        receiver,
        path: a.path.clone(),
        token_header: a.token_header.map(|h| h.to_ascii_lowercase()),
        save,
        forward,
        json: a.json,
    });
    crate::runtime()?.block_on(serve(app, &a.host, a.port))
}

async fn serve(app: Arc<App>, host: &str, port: u16) -> Outcome {
    let listener = tokio::net::TcpListener::bind((host, port))
        .await
        .map_err(|e| Failure::failed(format!("cannot listen on {host}:{port}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::failed(format!("no local address: {e}")))?;
    println!("listening on http://{local}{}", app.path);
    let path = app.path.clone();
    let router = axum::Router::new().fallback(handle).with_state(app);
    let stopping = Arc::new(tokio::sync::Notify::new());
    let stop = stopping.clone();
    let server = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        stop_signal().await;
        stop.notify_one();
    });
    // Graceful: in-flight requests finish; a client that keeps a connection open cannot hold
    // the stop up for more than a few seconds.
    tokio::select! {
        r = server => r.map_err(|e| Failure::failed(format!("server error: {e}")))?,
        () = async {
            stopping.notified().await;
            tokio::time::sleep(Duration::from_secs(3)).await;
        } => {}
    }
    eprintln!("stopped listening on http://{local}{path}");
    Ok(())
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The headers kept in a saved delivery (and the token header, when one is configured).
const SAVED_HEADERS: [&str; 4] = [
    "content-type",
    "content-length",
    "user-agent",
    "x-forwarded-for",
];

async fn handle(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    let at = now_ms();
    let (parts, body) = req.into_parts();
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or("").to_owned();
    let header = |name: &str| header_str(&parts.headers, name);
    let content_type = header("content-type").map(str::to_owned);

    let mut saved = Saved {
        at,
        method: Some(method.clone()),
        path: Some(path.clone()),
        query: Some(query.clone()),
        headers: Some(
            SAVED_HEADERS
                .iter()
                .copied()
                .chain(app.token_header.as_deref())
                .filter_map(|n| Some((n.to_owned(), header(n)?.to_owned())))
                .collect::<BTreeMap<_, _>>(),
        ),
        content_type: content_type.clone(),
        ..Saved::default()
    };

    let peer_text = peer.ip().to_string();
    let verdict = if path == app.path {
        let mut request = receiver::Request::new(&method, Some(&peer_text), &query);
        for name in app.receiver.headers() {
            for v in parts.headers.get_all(name.as_str()) {
                if let Ok(v) = v.to_str() {
                    request = request.header(name, v);
                }
            }
        }
        app.receiver.check(&request)
    } else {
        Check::Refuse(not_found(&app.path))
    };

    let (answer, body, event) = match verdict {
        Check::Refuse(answer) => {
            // Not read for the checks; read for the capture only (bounded), so that a real
            // delivery refused for a wrong token is still on record, byte for byte.
            let body = if app.save.is_some() {
                let max = app.receiver.max_body_bytes() + 1;
                read_body(body, max, 2_000).await.unwrap_or_default()
            } else {
                Vec::new()
            };
            (answer, body, None)
        }
        Check::Read(read) => match read_body(body, read.max_bytes, read.timeout_ms).await {
            None => (Answer::refusal(Refusal::RequestTimeout), Vec::new(), None),
            Some(bytes) => {
                let parsed = app.receiver.parse_body(
                    &bytes,
                    content_type.as_deref(),
                    header("content-encoding"),
                );
                let (answer, event) = match parsed {
                    Ok(e) => (Answer::ok(), Some(e.into_owned())),
                    Err(a) => (a, None),
                };
                if let Some((client, url)) = &app.forward {
                    forward(
                        client.clone(),
                        url.clone(),
                        parts.method.clone(),
                        &query,
                        content_type.clone(),
                        bytes.clone(),
                    );
                }
                (answer, bytes, event)
            }
        },
    };

    saved.set_body(&body);
    saved.status = Some(answer.status);
    if answer.code.is_some() {
        saved.error = serde_json::from_str::<serde_json::Value>(&answer.body())
            .ok()
            .and_then(|mut v| v.get_mut("error").map(serde_json::Value::take));
    }
    if let Some(file) = &app.save {
        let mut line = saved.to_line();
        line.push('\n');
        // One write per line on an unbuffered file: a reader never sees half a line unless the
        // disk is full, and a crash loses no line already answered.
        let mut f = file.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = f.write_all(line.as_bytes()).and_then(|_| f.flush()) {
            eprintln!("primevox-webhooks: cannot write the save file: {e}");
        }
    }
    print_delivery(&app, at, &answer, event.as_ref());
    respond(&answer)
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Reads at most `max` bytes of the body within `timeout_ms`; `None` when it did not come in
/// time. A body that breaks off is kept as far as it came.
async fn read_body(mut body: Body, max: usize, timeout_ms: u64) -> Option<Vec<u8>> {
    let read = async {
        let mut buf = Vec::new();
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else { break };
            if let Ok(data) = frame.into_data() {
                buf.extend_from_slice(&data);
                if buf.len() >= max {
                    buf.truncate(max);
                    break;
                }
            }
        }
        buf
    };
    tokio::time::timeout(Duration::from_millis(timeout_ms), read)
        .await
        .ok()
}

fn not_found(path: &str) -> Answer {
    let mut a = Answer::ok();
    a.status = 404;
    a.code = Some("not_found");
    a.message = format!("no webhook receiver here; deliveries go to {path}");
    a
}

fn respond(answer: &Answer) -> Response {
    let mut res = Response::new(Body::from(answer.body()));
    *res.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_REQUEST);
    let h = res.headers_mut();
    h.insert(
        "content-type",
        HeaderValue::from_static(receiver::CONTENT_TYPE),
    );
    for (k, v) in &answer.headers {
        h.insert(*k, HeaderValue::from_static(v));
    }
    if answer.close {
        h.insert("connection", HeaderValue::from_static("close"));
    }
    res
}

/// `HH:MM:SS.mmm` in UTC.
fn clock(at_ms: u64) -> String {
    let ms = at_ms % 1000;
    let s = at_ms / 1000 % 86_400;
    format!("{:02}:{:02}:{:02}.{ms:03}", s / 3600, s / 60 % 60, s % 60)
}

fn print_delivery(app: &App, at: u64, answer: &Answer, event: Option<&Event<'_>>) {
    let line = match (app.json, event) {
        (true, Some(e)) => e.to_json(),
        (true, None) => answer.body(),
        (false, Some(e)) => format!(
            "{} {} {} {} {}",
            clock(at),
            answer.status,
            e.kind().as_str(),
            e.call_uuid().or(e.conversation_id()).unwrap_or("-"),
            e.caller_number().unwrap_or("-"),
        ),
        (false, None) => format!(
            "{} {} {}: {}",
            clock(at),
            answer.status,
            answer.code.unwrap_or("-"),
            answer.message
        ),
    };
    println!("{line}");
}

/// Re-sends the request in the background and prints the status it got.
fn forward(
    client: reqwest::Client,
    url: Url,
    method: axum::http::Method,
    query: &str,
    content_type: Option<String>,
    body: Vec<u8>,
) {
    let url = send::with_query(&url, query);
    tokio::spawn(async move {
        let shown = url.to_string();
        let method = reqwest::Method::from_bytes(method.as_str().as_bytes())
            .unwrap_or(reqwest::Method::POST);
        match send::send(&client, method, url, content_type.as_deref(), &[], body).await {
            Ok(a) => println!("{} forwarded to {shown}: {}", clock(now_ms()), a.status),
            Err(why) => println!("{} forward to {shown} failed: {why}", clock(now_ms())),
        }
    });
}
