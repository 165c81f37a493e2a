//! The receiver policy, free of I/O (in the manner of h11): what every framework adapter in
//! every language asks before and after reading a webhook request. An adapter only moves bytes:
//!
//! 1. build a [`Receiver`] once from the user's options ([`Receiver::new`], or
//!    [`Receiver::from_json`] with the options as a JSON object in camelCase or snake_case);
//!    bad options fail here, with a message naming the option as the user wrote it;
//! 2. per request, hand [`Receiver::check`] what the framework knows before the body (method,
//!    the socket's peer address, the raw query string, the headers of [`Receiver::headers`]);
//!    the answer is [`Check::Refuse`] (send the [`Answer`], do not read the body) or
//!    [`Check::Read`] (read at most `max_bytes` bytes; log `learn` if set);
//! 3. hand the body and its Content-Type / Content-Encoding to [`Receiver::parse_body`]: the
//!    event, or the [`Answer`] for a bad body;
//! 4. after the handler ran: [`Answer::ok`], or [`Answer::refusal`] with
//!    [`Refusal::HandlerFailed`] (log the error server-side, never send it) or
//!    [`Refusal::BodyConsumed`]; [`Refusal::RequestTimeout`] when the body did not come in time.
//!
//! ```
//! use primevox_webhooks::receiver::{Answer, Check, Receiver, Request};
//!
//! let rx = Receiver::from_json(r#"{"token": "s3cret", "maxBodyBytes": 4096}"#).unwrap();
//! let body = b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=u";
//! let request = Request::new("POST", Some("203.0.113.9:5000"), "token=s3cret")
//!     .header("Content-Type", "application/x-www-form-urlencoded");
//! let answer = match rx.check(&request) {
//!     Check::Refuse(answer) => answer, // send it; do not read the body
//!     Check::Read(read) => {
//!         assert_eq!(read.max_bytes, 4097); // read at most this much
//!         match rx.parse_body(body, request.get("content-type").as_deref(), None) {
//!             Ok(event) => {
//!                 assert_eq!(event.call_uuid(), Some("u")); // run the handler here
//!                 Answer::ok()
//!             }
//!             Err(answer) => answer,
//!         }
//!     }
//! };
//! assert_eq!((answer.status, answer.body()), (200, r#"{"ok":true}"#.to_owned()));
//! assert!(Receiver::from_json(r#"{"token": null}"#).is_err());
//! ```
//!
//! Codes, statuses, messages and defaults are in one table ([`crate::Refusal`],
//! [`crate::ErrorCode`] and the constants here), which bindings export through [`table_json`].

mod answer;
mod encoding;
mod options;
mod peer;

use std::borrow::Cow;
use std::net::IpAddr;

pub use answer::{table_json, Answer, CONTENT_TYPE};
pub use options::{OptionError, ReceiverOptions, OPTIONS};

use crate::error::{ErrorCode, ParseError, Refusal};
use crate::security::{header_token, query_param, verify_token, AllowList};
use crate::{parse_with, Event, ParseOptions};

/// The default body limit in bytes (`maxBodyBytes` / `max_body_bytes`).
pub const DEFAULT_MAX_BODY_BYTES: usize = 65536;
/// The default JSON nesting limit (`maxDepth` / `max_depth`).
pub const DEFAULT_MAX_DEPTH: usize = 32;
/// The default name of the query parameter that carries the token (`tokenQuery`).
pub const DEFAULT_TOKEN_QUERY: &str = "token";
/// The default time a receiver waits for the whole body, where the adapter controls it
/// (`bodyTimeoutMs` / `body_timeout_ms`); 408 `request_timeout` after it.
pub const DEFAULT_BODY_TIMEOUT_MS: u64 = 10_000;

/// What a framework knows about a request before reading its body.
#[derive(Clone, Debug, Default)]
pub struct Request<'a> {
    /// The HTTP method, as sent (methods are case-sensitive: `post` is not `POST`).
    pub method: &'a str,
    /// The address of the socket's peer (with or without a port), if the server knows it.
    pub peer: Option<&'a str>,
    /// The raw query string, with or without its leading `?`.
    pub query: &'a str,
    /// Request headers (any case); the receiver only looks at [`Receiver::headers`].
    pub headers: Vec<(&'a str, &'a str)>,
}

impl<'a> Request<'a> {
    /// A request with no headers yet.
    pub fn new(method: &'a str, peer: Option<&'a str>, query: &'a str) -> Self {
        Request {
            method,
            peer,
            query,
            headers: Vec::new(),
        }
    }

    /// Adds a header (builder style).
    pub fn header(mut self, name: &'a str, value: &'a str) -> Self {
        self.headers.push((name, value));
        self
    }

    /// A header's value by case-insensitive name; repeated headers joined by `", "`, as HTTP
    /// allows for list-valued headers such as `X-Forwarded-For`.
    pub fn get(&self, name: &str) -> Option<Cow<'a, str>> {
        let mut found: Option<Cow<'a, str>> = None;
        for &(n, v) in &self.headers {
            if n.eq_ignore_ascii_case(name) {
                found = Some(match found {
                    None => Cow::Borrowed(v),
                    Some(prev) => Cow::Owned(format!("{prev}, {v}")),
                });
            }
        }
        found
    }
}

/// The verdict on a request before its body is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// Answer this without reading the body.
    Refuse(Answer),
    /// Go on: read the body.
    Read(Read),
}

/// Go on reading the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read {
    /// Read at most this many bytes (`max_body_bytes + 1`: one byte over the limit is enough
    /// for [`Receiver::parse_body`] to answer `body_too_large`); the rest is never read.
    pub max_bytes: usize,
    /// Give up reading after this many milliseconds and answer [`Refusal::RequestTimeout`],
    /// where the framework lets the adapter bound the read.
    pub timeout_ms: u64,
    /// The sender's address as the checks saw it (the socket peer, or the forwarded address
    /// behind a trusted proxy), if known.
    pub peer: Option<String>,
    /// In allow-list learn mode, a line to log: the address `allow` would have refused.
    pub learn: Option<String>,
}

/// The receiver options, validated once; see the module documentation for the flow.
#[derive(Clone, Debug)]
pub struct Receiver {
    tokens: Vec<String>,
    token_query: Option<String>,
    token_header: Option<String>,
    allow: Option<AllowList>,
    trusted_proxies: Option<AllowList>,
    allow_learn: bool,
    peer_header: Option<String>,
    parse: ParseOptions,
    body_timeout_ms: u64,
    headers: Vec<String>,
}

impl Default for Receiver {
    fn default() -> Self {
        Receiver::new(ReceiverOptions::default()).expect("the default options are valid")
    }
}

impl Receiver {
    /// Validates `options`; the error names the option (in snake_case, as in Rust).
    pub fn new(options: ReceiverOptions) -> Result<Receiver, OptionError> {
        options.build(&options::Spelling::default())
    }

    /// Options as one JSON object, keys in camelCase (`maxBodyBytes`, as JavaScript writes
    /// them) or snake_case (`max_body_bytes`, as Python does); error messages name the option
    /// the way the object spells it. Unknown keys are refused (a misspelt `alow` must not turn
    /// a check off silently). `null` means "not set", except for `token`, where it is refused
    /// (an unset environment variable must not switch the token check off), and `tokenQuery`,
    /// where it turns the query token off.
    pub fn from_json(json: &str) -> Result<Receiver, OptionError> {
        let (options, spelling) = options::from_json(json)?;
        options.build(&spelling)
    }

    /// The lowercase names of the request headers [`Receiver::check`] and
    /// [`Receiver::parse_body`] read (Content-Type and Content-Encoding included).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The options [`Receiver::parse_body`] parses with.
    pub fn parse_options(&self) -> &ParseOptions {
        &self.parse
    }

    /// The body limit in bytes.
    pub fn max_body_bytes(&self) -> usize {
        self.parse.max_body_bytes
    }

    /// The body-read timeout in milliseconds.
    pub fn body_timeout_ms(&self) -> u64 {
        self.body_timeout_ms
    }

    /// The checks before the body, in this order: the method (405), the sender's address
    /// against `allow` (403), the token (401), a declared Content-Length over the limit (400
    /// `body_too_large`), the Content-Encoding (415).
    pub fn check(&self, request: &Request<'_>) -> Check {
        if request.method != "POST" {
            return Check::Refuse(Answer::refusal(Refusal::MethodNotAllowed));
        }
        let peer: Option<IpAddr> = peer::resolve(
            request,
            self.peer_header.as_deref(),
            self.trusted_proxies.as_ref(),
        );
        let mut learn = None;
        if self.allow.is_some() || self.allow_learn {
            let allowed = match (&self.allow, peer) {
                (Some(list), Some(ip)) => list.contains(ip),
                _ => false,
            };
            if !allowed {
                if !self.allow_learn {
                    return Check::Refuse(Answer::refusal(Refusal::Forbidden));
                }
                learn = Some(peer::learn_line(peer));
            }
        }
        if !self.tokens.is_empty() && !self.token_ok(request) {
            return Check::Refuse(Answer::refusal(Refusal::Unauthorized));
        }
        let declared = request
            .get("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.parse.max_body_bytes as u64) {
            return Check::Refuse(self.too_large(""));
        }
        if let Err(answer) = encoding::codings(request.get("content-encoding").as_deref()) {
            return Check::Refuse(answer);
        }
        Check::Read(Read {
            max_bytes: self.parse.max_body_bytes.saturating_add(1),
            timeout_ms: self.body_timeout_ms,
            peer: peer.map(ip_text),
            learn,
        })
    }

    fn token_ok(&self, request: &Request<'_>) -> bool {
        let from_header = self
            .token_header
            .as_deref()
            .and_then(|name| request.get(name));
        let presented: Option<Cow<'_, str>> = match from_header {
            Some(v) => Some(Cow::Owned(header_token(&v).to_owned())),
            None => self
                .token_query
                .as_deref()
                .and_then(|name| query_param(request.query, name))
                .map(Cow::Owned),
        };
        presented.is_some_and(|p| verify_token(&p, &self.tokens))
    }

    fn too_large(&self, when: &str) -> Answer {
        let mut answer = Answer::from_error(&ParseError::new(
            ErrorCode::BodyTooLarge,
            None,
            format!(
                "the body is larger than {} bytes{when} (max_body_bytes)",
                self.parse.max_body_bytes
            ),
        ));
        answer.close = true;
        answer
    }

    /// Undoes the Content-Encoding (gzip, deflate, identity), bounded by the body limit after
    /// decoding: a small compressed body cannot expand past `max_body_bytes`.
    pub fn decode<'a>(
        &self,
        body: &'a [u8],
        content_encoding: Option<&str>,
    ) -> Result<Cow<'a, [u8]>, Answer> {
        if body.len() > self.parse.max_body_bytes {
            return Err(self.too_large(""));
        }
        let codings = encoding::codings(content_encoding)?;
        encoding::decode(body, &codings, self.parse.max_body_bytes)
            .map_err(|e| e.unwrap_or_else(|| self.too_large(" once decoded")))
    }

    /// Decodes and parses a body read after [`Check::Read`]: the event, or the answer for a
    /// body that is too large, badly encoded, or not a valid webhook.
    pub fn parse_body<'a>(
        &self,
        body: &'a [u8],
        content_type: Option<&str>,
        content_encoding: Option<&str>,
    ) -> Result<Event<'a>, Answer> {
        let to_answer = |e: ParseError| Answer::from_error(&e);
        match self.decode(body, content_encoding)? {
            Cow::Borrowed(b) => parse_with(b, content_type, &self.parse).map_err(to_answer),
            Cow::Owned(b) => parse_with(&b, content_type, &self.parse)
                .map(Event::into_owned)
                .map_err(to_answer),
        }
    }
}

/// An address as `to_string` writes it; an IPv4 one without the formatting machinery, which
/// cost more than the rest of the checks (this runs per request).
pub(crate) fn ip_text(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let mut out = String::with_capacity(15);
            for (i, octet) in v4.octets().into_iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                if octet >= 100 {
                    out.push(char::from(b'0' + octet / 100));
                }
                if octet >= 10 {
                    out.push(char::from(b'0' + octet / 10 % 10));
                }
                out.push(char::from(b'0' + octet % 10));
            }
            out
        }
        IpAddr::V6(v6) => v6.to_string(),
    }
}

#[cfg(test)]
mod tests;
