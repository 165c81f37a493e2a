//! STAND-IN for the core's receiver policy (`primevox_webhooks::receiver`, being written on
//! branch b-receiver), with the same names and shapes (`Receiver`, `ReceiverOptions`,
//! `Request`, `Check`, `Read`, `Answer`) so that `listen` switches to the core by replacing
//! this module with `pub use primevox_webhooks::receiver::*;`. Only the subset `listen` uses,
//! built from the core's own checks (verify_token, query_param, AllowList, parse_with).

use std::borrow::Cow;

use primevox_webhooks::security::{query_param, verify_token, AllowList};
use primevox_webhooks::{parse_with, Event, ParseError, ParseOptions};

pub const DEFAULT_BODY_TIMEOUT_MS: u64 = 10_000;

#[derive(Clone, Debug)]
pub struct ReceiverOptions {
    pub token: Vec<String>,
    pub token_query: Option<String>,
    pub token_header: Option<String>,
    pub allow: Option<Vec<String>>,
    pub strict: bool,
}

impl Default for ReceiverOptions {
    fn default() -> Self {
        ReceiverOptions {
            token: Vec::new(),
            token_query: Some("token".into()),
            token_header: None,
            allow: None,
            strict: false,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Request<'a> {
    pub method: &'a str,
    pub peer: Option<&'a str>,
    pub query: &'a str,
    pub headers: Vec<(&'a str, &'a str)>,
}

impl<'a> Request<'a> {
    pub fn new(method: &'a str, peer: Option<&'a str>, query: &'a str) -> Self {
        Request {
            method,
            peer,
            query,
            headers: Vec::new(),
        }
    }

    pub fn header(mut self, name: &'a str, value: &'a str) -> Self {
        self.headers.push((name, value));
        self
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

pub enum Check {
    Refuse(Answer),
    Read(Read),
}

pub struct Read {
    pub max_bytes: usize,
    pub timeout_ms: u64,
}

#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub code: Option<&'static str>,
    pub field: Option<String>,
    pub message: String,
    pub headers: Vec<(&'static str, &'static str)>,
    pub close: bool,
}

impl Answer {
    pub fn ok() -> Answer {
        Answer {
            status: 200,
            code: None,
            field: None,
            message: String::new(),
            headers: Vec::new(),
            close: false,
        }
    }

    fn refuse(status: u16, code: &'static str, message: &str) -> Answer {
        Answer {
            status,
            code: Some(code),
            field: None,
            message: message.into(),
            headers: if status == 405 {
                vec![("allow", "POST")]
            } else {
                Vec::new()
            },
            close: true,
        }
    }

    fn from_error(e: &ParseError) -> Answer {
        Answer {
            status: 400,
            code: Some(e.code().as_str()),
            field: e.field().map(str::to_owned),
            message: e.message().to_owned(),
            headers: Vec::new(),
            close: false,
        }
    }

    pub fn body(&self) -> String {
        match self.code {
            None => "{\"ok\":true}".into(),
            Some(code) => serde_json::json!({"error": {
                "code": code, "field": self.field, "message": self.message,
            }})
            .to_string(),
        }
    }
}

pub struct Receiver {
    tokens: Vec<String>,
    token_query: Option<String>,
    token_header: Option<String>,
    allow: Option<AllowList>,
    parse: ParseOptions,
    headers: Vec<String>,
}

impl Receiver {
    pub fn new(o: ReceiverOptions) -> Result<Receiver, String> {
        if o.token.iter().any(String::is_empty) {
            return Err("token: empty tokens are refused".into());
        }
        let allow = o.allow.as_deref().map(AllowList::parse).transpose()?;
        let mut headers: Vec<String> = ["content-type", "content-length", "content-encoding"]
            .map(String::from)
            .into();
        headers.extend(o.token_header.iter().map(|h| h.to_ascii_lowercase()));
        Ok(Receiver {
            tokens: o.token,
            token_query: o.token_query,
            token_header: o.token_header,
            allow,
            parse: ParseOptions {
                strict: o.strict,
                ..ParseOptions::default()
            },
            headers,
        })
    }

    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    pub fn check(&self, r: &Request<'_>) -> Check {
        if r.method != "POST" {
            return Check::Refuse(Answer::refuse(405, "method_not_allowed", "use POST"));
        }
        if let Some(allow) = &self.allow {
            if !r.peer.is_some_and(|p| allow.contains_str(p)) {
                return Check::Refuse(Answer::refuse(
                    403,
                    "forbidden",
                    "the sender address is not allowed",
                ));
            }
        }
        if !self.tokens.is_empty() {
            let presented: Option<Cow<'_, str>> = self
                .token_header
                .as_deref()
                .and_then(|h| r.get(h))
                .map(Cow::Borrowed)
                .or_else(|| {
                    self.token_query
                        .as_deref()
                        .and_then(|q| query_param(r.query, q))
                        .map(Cow::Owned)
                });
            if !presented.is_some_and(|p| verify_token(&p, &self.tokens)) {
                return Check::Refuse(Answer::refuse(
                    401,
                    "unauthorized",
                    "missing or wrong webhook token",
                ));
            }
        }
        Check::Read(Read {
            max_bytes: self.parse.max_body_bytes + 1,
            timeout_ms: DEFAULT_BODY_TIMEOUT_MS,
        })
    }

    pub fn parse_body<'a>(
        &self,
        body: &'a [u8],
        content_type: Option<&str>,
        _content_encoding: Option<&str>,
    ) -> Result<Event<'a>, Answer> {
        parse_with(body, content_type, &self.parse).map_err(|e| Answer::from_error(&e))
    }
}
