//! axum receivers (feature `axum`), on the core receiver policy ([`crate::receiver`]): the same
//! sender checks, limits, status codes and error bodies as every other receiver of the SDK.
//!
//! Two ways in:
//!
//! - the extractor [`PrimevoxEvent`] (its `.0` is the owned [`Event`]) in your own handler; it
//!   reads its options from a [`Receiver`] put in the request extensions with
//!   [`receiver_layer`] (without one, the default options: no token, no allow list);
//! - an [`EventRouter`]: handlers registered by kind, served with [`EventRouter::into_route`].
//!
//! ```no_run
//! use std::net::SocketAddr;
//! use primevox_webhooks::axum::{receiver_layer, EventRouter, HandlerError, PrimevoxEvent, Received};
//! use primevox_webhooks::receiver::{Receiver, ReceiverOptions};
//! use primevox_webhooks::Kind;
//!
//! async fn hook(PrimevoxEvent(event): PrimevoxEvent) -> Result<Received, HandlerError> {
//!     println!("{}", event.kind().as_str());
//!     Ok(Received)
//! }
//!
//! # async fn run() -> std::io::Result<()> {
//! let receiver = Receiver::new(ReceiverOptions {
//!     token: vec![std::env::var("PRIMEVOX_TOKEN").expect("PRIMEVOX_TOKEN")],
//!     ..ReceiverOptions::default()
//! })
//! .expect("valid options");
//! let events = EventRouter::new(receiver.clone())
//!     .on(Kind::CallHangup, |event| async move { println!("ended {:?}", event.call_uuid()) });
//! let app = axum::Router::new()
//!     // `any`, not `post`: the policy answers other methods (405 with its JSON body).
//!     .route("/primevox", axum::routing::any(hook).layer(receiver_layer(receiver)))
//!     .route("/primevox/routed", events.into_route());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! // The peer address is needed for `allow`: serve with connect info.
//! axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await
//! # }
//! ```
//!
//! Logging goes through the `log` facade (target `primevox_webhooks`): allow-list learn-mode
//! lines (`warn`) and handler failures (`error`; the sender only ever sees `handler_failed`).
//!
//! A raw body "already consumed" (500 `body_consumed` in other frameworks) cannot happen here:
//! axum hands the body to exactly one extractor, the last argument of the handler.

use std::borrow::Cow;
use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::Poll;
use std::time::Duration;

use ::axum::body::{Body, Bytes};
use ::axum::extract::{ConnectInfo, FromRequest, Request};
use ::axum::http::request::Parts;
use ::axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use ::axum::response::{IntoResponse, Response};
use ::axum::routing::MethodRouter;
use ::axum::Extension;
use http_body_util::BodyExt;
use smallvec::SmallVec;

use crate::calls::{CallErrorCode, CallSummary, CallTracker};
use crate::error::Refusal;
use crate::receiver::{ip_text, Answer, Check, Receiver, Request as PolicyRequest, CONTENT_TYPE};
use crate::{Event, Kind};

/// A handler's failure.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

const LOG_TARGET: &str = "primevox_webhooks";

/// The default time an [`EventRouter`] waits for each handler: 30 s.
pub const DEFAULT_HANDLER_TIMEOUT: Duration = Duration::from_secs(30);

/// The policy's [`Answer`] as an axum response: status, exact JSON body, `Allow` on 405,
/// `Connection: close` when the body was not (fully) read.
pub fn answer_response(answer: &Answer) -> Response {
    let body = if answer.is_ok() {
        Body::from(ok_body())
    } else {
        Body::from(answer.body())
    };
    let mut response = Response::new(body);
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, JSON.clone());
    for &(name, value) in &answer.headers {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if answer.close {
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// [`CONTENT_TYPE`], checked once (a clone of a static value is a copy).
static JSON: HeaderValue = HeaderValue::from_static(CONTENT_TYPE);

/// The 200 body as the policy writes it, made once: the answer to every handled event costs
/// no allocation for its body.
fn ok_body() -> &'static str {
    static OK: OnceLock<&'static str> = OnceLock::new();
    OK.get_or_init(|| Box::leak(Answer::ok().body().into_boxed_str()))
}

/// The extractor's rejection: the policy's refusal, sent as every receiver sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection(pub Answer);

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        answer_response(&self.0)
    }
}

/// 200 `{"ok":true}`, what a handler returns when it handled the event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Received;

impl IntoResponse for Received {
    fn into_response(self) -> Response {
        answer_response(&Answer::ok())
    }
}

/// One or more handlers failed; as a response, 500 `handler_failed` (the errors are logged,
/// never sent).
#[derive(Debug)]
pub struct HandlerError {
    /// Every failure, in order (failing `on_error` handlers are not retried).
    pub errors: Vec<BoxError>,
}

impl HandlerError {
    /// A failure of one handler.
    pub fn new(error: impl Into<BoxError>) -> Self {
        HandlerError {
            errors: vec![error.into()],
        }
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(f, "{n} handler{} failed", if n == 1 { "" } else { "s" })?;
        for (i, e) in self.errors.iter().enumerate() {
            write!(f, "{} {e}", if i == 0 { ":" } else { ";" })?;
        }
        Ok(())
    }
}

impl StdError for HandlerError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.errors
            .first()
            .map(|e| e.as_ref() as &(dyn StdError + 'static))
    }
}

impl IntoResponse for HandlerError {
    fn into_response(self) -> Response {
        log::error!(target: LOG_TARGET, "webhook handler failed: {self}");
        answer_response(&Answer::refusal(Refusal::HandlerFailed))
    }
}

/// The layer that gives [`PrimevoxEvent`] its options: `.layer(receiver_layer(receiver))`.
pub fn receiver_layer(receiver: Receiver) -> Extension<Arc<Receiver>> {
    Extension(Arc::new(receiver))
}

fn default_receiver() -> &'static Receiver {
    static DEFAULT: OnceLock<Receiver> = OnceLock::new();
    DEFAULT.get_or_init(Receiver::default)
}

/// The event of a webhook request that passed the receiver policy (options from
/// [`receiver_layer`]); otherwise the request is answered with the policy's refusal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrimevoxEvent(pub Event<'static>);

impl<S: Send + Sync> FromRequest<S> for PrimevoxEvent {
    type Rejection = Rejection;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        // Borrowed from the request: no reference count touched per request.
        let receiver = parts
            .extensions
            .get::<Arc<Receiver>>()
            .map_or_else(|| default_receiver(), |r| &**r);
        receive_parts(receiver, &parts, body)
            .await
            .map(PrimevoxEvent)
            .map_err(Rejection)
    }
}

/// Runs the receiver policy over a request: the event, or the answer to send.
pub async fn receive(receiver: &Receiver, req: Request) -> Result<Event<'static>, Answer> {
    let (parts, body) = req.into_parts();
    receive_parts(receiver, &parts, body).await
}

async fn receive_parts(
    receiver: &Receiver,
    parts: &Parts,
    body: Body,
) -> Result<Event<'static>, Answer> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| ip_text(addr.ip()));
    let wanted = wanted_headers(receiver, &parts.headers);
    let mut policy = PolicyRequest::new(
        parts.method.as_str(),
        peer.as_deref(),
        parts.uri.query().unwrap_or(""),
    );
    policy.headers = wanted
        .iter()
        .map(|(name, value)| (*name, &**value))
        .collect();
    let read = match receiver.check(&policy) {
        Check::Refuse(answer) => return Err(answer),
        Check::Read(read) => read,
    };
    if let Some(line) = &read.learn {
        log::warn!(target: LOG_TARGET, "{line}");
    }
    let limit = Duration::from_millis(read.timeout_ms);
    let bytes = match within(limit, read_at_most(body, read.max_bytes)).await {
        Some(Ok(bytes)) => bytes,
        None | Some(Err(_)) => return Err(Answer::refusal(Refusal::RequestTimeout)),
    };
    let content_type = policy.get("content-type");
    let content_encoding = policy.get("content-encoding");
    receiver
        .parse_body(&bytes, content_type.as_deref(), content_encoding.as_deref())
        .map(Event::into_owned)
}

/// `fut`'s output, or `None` when it is not done `limit` after the call: `tokio::time::timeout`,
/// except that a future done at its first poll (a small body that came in with the headers,
/// the usual webhook) takes no timer. `timeout` polls its future before its timer too, so the
/// outcome is the same; the deadline counts from the same instant.
async fn within<F: Future>(limit: Duration, fut: F) -> Option<F::Output> {
    let start = tokio::time::Instant::now();
    let mut fut = std::pin::pin!(fut);
    let first = std::future::poll_fn(|cx| Poll::Ready(fut.as_mut().poll(cx))).await;
    match first {
        Poll::Ready(out) => Some(out),
        Poll::Pending => tokio::time::timeout_at(start + limit, fut).await.ok(),
    }
}

/// The headers the policy reads, borrowed as text (a value that is not UTF-8 is passed on
/// lossily: the policy then refuses it as it would any wrong value).
fn wanted_headers<'a>(
    receiver: &'a Receiver,
    headers: &'a HeaderMap,
) -> SmallVec<[(&'a str, Cow<'a, str>); 4]> {
    let mut out = SmallVec::new();
    for name in receiver.headers() {
        // The names every receiver reads, without parsing them per request.
        let values = match name.as_str() {
            "content-length" => headers.get_all(header::CONTENT_LENGTH),
            "content-type" => headers.get_all(header::CONTENT_TYPE),
            "content-encoding" => headers.get_all(header::CONTENT_ENCODING),
            other => headers.get_all(other),
        };
        for value in values {
            // `from_utf8` first: its ASCII fast path is several times quicker than the lossy
            // decoder's, and a header value is ASCII.
            let text = match std::str::from_utf8(value.as_bytes()) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(value.as_bytes()),
            };
            out.push((name.as_str(), text));
        }
    }
    out
}

/// Reads the body up to `max` bytes and stops there (the policy answers `body_too_large` for a
/// body of `max` bytes, which is one over the limit); an error is a broken connection. A body
/// that comes in one piece is kept as the server read it, not copied.
async fn read_at_most(mut body: Body, max: usize) -> Result<Bytes, ::axum::Error> {
    let mut first = Bytes::new();
    let mut joined: Vec<u8> = Vec::new();
    let mut len = 0;
    while len < max {
        let Some(frame) = body.frame().await else {
            break;
        };
        let Ok(mut data) = frame?.into_data() else {
            continue;
        };
        data.truncate(max - len);
        len += data.len();
        if first.is_empty() && joined.is_empty() {
            first = data;
        } else {
            if joined.is_empty() {
                joined.extend_from_slice(&first);
            }
            joined.extend_from_slice(&data);
        }
    }
    Ok(if joined.is_empty() {
        first
    } else {
        Bytes::from(joined)
    })
}

/// What a handler may return: `()` or a `Result<(), E>`.
pub trait HandlerOutput: Send + 'static {
    /// The failure, if any.
    fn into_result(self) -> Result<(), BoxError>;
}

impl HandlerOutput for () {
    fn into_result(self) -> Result<(), BoxError> {
        Ok(())
    }
}

impl<E: Into<BoxError> + Send + 'static> HandlerOutput for Result<(), E> {
    fn into_result(self) -> Result<(), BoxError> {
        self.map_err(Into::into)
    }
}

/// One kind or several, for [`EventRouter::on`].
pub trait Kinds {
    /// The kinds.
    fn kinds(self) -> Vec<Kind>;
}

impl Kinds for Kind {
    fn kinds(self) -> Vec<Kind> {
        vec![self]
    }
}

impl<const N: usize> Kinds for [Kind; N] {
    fn kinds(self) -> Vec<Kind> {
        self.to_vec()
    }
}

impl Kinds for &[Kind] {
    fn kinds(self) -> Vec<Kind> {
        self.to_vec()
    }
}

impl Kinds for Vec<Kind> {
    fn kinds(self) -> Vec<Kind> {
        self
    }
}

type BoxFuture = Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send>>;
type Handler = Arc<dyn Fn(Event<'static>) -> BoxFuture + Send + Sync>;
type ErrorHandler = Arc<dyn Fn(&(dyn StdError + Send + Sync), &Event<'static>) + Send + Sync>;
type CallHandler = Arc<dyn Fn(CallSummary) -> BoxFuture + Send + Sync>;

/// How many calls the router's own [`CallTracker`] holds (the least recently seen is dropped).
pub const DEFAULT_MAX_CALLS: usize = 10_000;

/// Handlers by event kind, with the rules of the Python and JavaScript `Router`: a kind's
/// handlers run in registration order, then the `on_any` ones (an event of a kind the SDK does
/// not know reaches [`Kind::Unknown`] and `on_any`); when a handler fails (error, panic, or no
/// answer within the timeout) the others still run, each `on_error` handler is called once per
/// failure, and [`EventRouter::dispatch`] fails with [`HandlerError`] (a 500 `handler_failed`
/// answer when served).
#[derive(Clone)]
pub struct EventRouter {
    receiver: Arc<Receiver>,
    by_kind: HashMap<Kind, Vec<Handler>>,
    any: Vec<Handler>,
    errors: Vec<ErrorHandler>,
    completed: Vec<CallHandler>,
    calls: Option<Arc<Mutex<CallTracker>>>,
    timeout: Option<Duration>,
    answer_first: bool,
}

impl fmt::Debug for EventRouter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventRouter")
            .field("kinds", &self.by_kind.keys().collect::<Vec<_>>())
            .field("on_any", &self.any.len())
            .field("on_error", &self.errors.len())
            .field("on_call_completed", &self.completed.len())
            .field("timeout", &self.timeout)
            .field("answer_first", &self.answer_first)
            .finish()
    }
}

impl EventRouter {
    /// A router with no handlers, receiving with `receiver`'s options.
    pub fn new(receiver: Receiver) -> Self {
        EventRouter {
            receiver: Arc::new(receiver),
            by_kind: HashMap::new(),
            any: Vec::new(),
            errors: Vec::new(),
            completed: Vec::new(),
            calls: None,
            timeout: Some(DEFAULT_HANDLER_TIMEOUT),
            answer_first: false,
        }
    }

    fn boxed<F, Fut>(handler: F) -> Handler
    where
        F: Fn(Event<'static>) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HandlerOutput,
    {
        Arc::new(move |event| {
            let fut = handler(event);
            Box::pin(async move { fut.await.into_result() })
        })
    }

    /// Registers an async handler for one kind or several (`Kind::CallHangup`,
    /// `[Kind::InboundCall, Kind::CallHangup]`).
    pub fn on<F, Fut>(mut self, kinds: impl Kinds, handler: F) -> Self
    where
        F: Fn(Event<'static>) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HandlerOutput,
    {
        let handler = Self::boxed(handler);
        for kind in kinds.kinds() {
            self.by_kind.entry(kind).or_default().push(handler.clone());
        }
        self
    }

    /// Registers a handler for every event, run after the kind's own handlers.
    pub fn on_any<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(Event<'static>) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HandlerOutput,
    {
        self.any.push(Self::boxed(handler));
        self
    }

    /// Registers a handler called once per failure with (error, event).
    pub fn on_error<F>(mut self, handler: F) -> Self
    where
        F: Fn(&(dyn StdError + Send + Sync), &Event<'static>) + Send + Sync + 'static,
    {
        self.errors.push(Arc::new(handler));
        self
    }

    /// Registers an async handler called with the call record when a call ends: the router
    /// feeds every call event it dispatches to its own [`CallTracker`] (at most
    /// [`DEFAULT_MAX_CALLS`] calls in this process) and runs these handlers on the delivery that
    /// ends a call, once (a retry of that delivery does not run them again). Their failures
    /// count like any handler's.
    pub fn on_call_completed<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(CallSummary) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HandlerOutput,
    {
        if self.calls.is_none() {
            let tracker = CallTracker::new().with_max_calls(DEFAULT_MAX_CALLS);
            self.calls = Some(Arc::new(Mutex::new(tracker)));
        }
        self.completed.push(Arc::new(move |record| {
            let fut = handler(record);
            Box::pin(async move { fut.await.into_result() })
        }));
        self
    }

    /// The record of the call `event` ended, if it ended one (fed to the tracker).
    fn ended_call(
        &self,
        event: &Event<'static>,
        errors: &mut Vec<BoxError>,
    ) -> Option<CallSummary> {
        let calls = self.calls.as_ref()?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let mut tracker = calls
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match tracker.add(event, now) {
            Ok(tracked) => tracked.ended.then_some(tracked.record),
            Err(e) if e.code() == CallErrorCode::NotACallEvent => None,
            Err(e) => {
                errors.push(e.message().to_owned().into());
                None
            }
        }
    }

    /// Runs one handler's future in its own task, bounded by the timeout.
    async fn run(&self, fut: BoxFuture, errors: &mut Vec<BoxError>) {
        let task = tokio::spawn(fut);
        let abort = task.abort_handle();
        let joined = match self.timeout {
            None => Ok(task.await),
            Some(limit) => tokio::time::timeout(limit, task).await,
        };
        match joined {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => errors.push(e),
            Ok(Err(join)) => errors.push(format!("a handler panicked: {join}").into()),
            Err(_) => {
                abort.abort();
                errors.push(
                    format!(
                        "a handler did not finish within {:?} (EventRouter::timeout)",
                        self.timeout.unwrap_or_default()
                    )
                    .into(),
                );
            }
        }
    }

    /// How long each handler may take (default 30 s; `None`: no limit). A handler still running
    /// then is abandoned (its task aborted at its next `.await`) and counted as a failure.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Answer 200 as soon as the event is parsed and run the handlers after, in a task. The
    /// sender no longer waits for (nor retries after) your handlers: a failure is only logged,
    /// and a crash after the answer loses that event.
    pub fn answer_first(mut self, yes: bool) -> Self {
        self.answer_first = yes;
        self
    }

    /// Runs the event's handlers, one after the other, then (when it ended a call) the
    /// `on_call_completed` ones; each runs in its own task, so a panic is a failure like an
    /// error. Needs a tokio runtime.
    pub async fn dispatch(&self, event: &Event<'static>) -> Result<(), HandlerError> {
        let kind_handlers = self.by_kind.get(&event.kind()).into_iter().flatten();
        let mut errors: Vec<BoxError> = Vec::new();
        for handler in kind_handlers.chain(&self.any) {
            self.run(handler(event.clone()), &mut errors).await;
        }
        if let Some(record) = self.ended_call(event, &mut errors) {
            for handler in &self.completed {
                self.run(handler(record.clone()), &mut errors).await;
            }
        }
        if errors.is_empty() {
            return Ok(());
        }
        for error in &errors {
            for on_error in &self.errors {
                on_error(error.as_ref(), event);
            }
        }
        Err(HandlerError { errors })
    }

    /// Receives one request: the policy's refusal, or the event dispatched and answered
    /// (200, or 500 `handler_failed`).
    pub async fn handle(&self, req: Request) -> Response {
        let event = match receive(&self.receiver, req).await {
            Ok(event) => event,
            Err(answer) => return answer_response(&answer),
        };
        if self.answer_first {
            let router = self.clone();
            tokio::spawn(async move {
                if let Err(e) = router.dispatch(&event).await {
                    log::error!(target: LOG_TARGET, "webhook handler failed after the answer: {e}");
                }
            });
            return Received.into_response();
        }
        match self.dispatch(&event).await {
            Ok(()) => Received.into_response(),
            Err(e) => e.into_response(),
        }
    }

    /// The route: every method goes to the receiver (so that a GET is answered 405 with
    /// `Allow: POST`, as every receiver does).
    pub fn into_route<S: Clone + Send + Sync + 'static>(self) -> MethodRouter<S> {
        let router = Arc::new(self);
        ::axum::routing::any(move |req: Request| {
            let router = router.clone();
            async move { router.handle(req).await }
        })
    }
}
