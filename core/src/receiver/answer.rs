//! What a receiver sends back, and the table every binding reads.

use super::{
    options::OPTIONS, DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DEPTH,
    DEFAULT_TOKEN_QUERY,
};
use crate::error::{ErrorCode, ParseError, Refusal};
use crate::json::write_str;

/// The Content-Type of every answer.
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// An HTTP answer: status, JSON body, and the headers it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The stable code (`None` for 200 `{"ok":true}`).
    pub code: Option<&'static str>,
    /// The field concerned, for a parse error that names one.
    pub field: Option<String>,
    /// The message sent to the sender.
    pub message: String,
    /// Headers the answer must carry besides Content-Type (`Allow: POST` on 405), names in
    /// lowercase.
    pub headers: Vec<(&'static str, &'static str)>,
    /// The body was not (fully) read: close the connection after answering where the server
    /// lets the adapter say so (WSGI forbids it; the server then deals with the rest).
    pub close: bool,
}

impl Answer {
    /// 200 `{"ok":true}`: the event was handled.
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

    /// The table's answer for `refusal`.
    pub fn refusal(refusal: Refusal) -> Answer {
        Answer::refusal_with(refusal, refusal.message())
    }

    /// The table's status and code for `refusal`, with a more precise message.
    pub fn refusal_with(refusal: Refusal, message: impl Into<String>) -> Answer {
        let before_body = matches!(
            refusal,
            Refusal::MethodNotAllowed
                | Refusal::Forbidden
                | Refusal::Unauthorized
                | Refusal::UnsupportedContentEncoding
                | Refusal::RequestTimeout
        );
        Answer {
            status: refusal.status(),
            code: Some(refusal.as_str()),
            field: None,
            message: message.into(),
            headers: if refusal == Refusal::MethodNotAllowed {
                vec![("allow", "POST")]
            } else {
                Vec::new()
            },
            close: before_body,
        }
    }

    /// The answer for a body that does not parse.
    pub fn from_error(error: &ParseError) -> Answer {
        Answer {
            status: error.code().status(),
            code: Some(error.code().as_str()),
            field: error.field().map(str::to_owned),
            message: error.message().to_owned(),
            headers: Vec::new(),
            close: false,
        }
    }

    /// Whether this is the 200 answer.
    pub fn is_ok(&self) -> bool {
        self.code.is_none()
    }

    /// The JSON body: `{"ok":true}` or `{"error":{"code":…,"field":…,"message":…}}`.
    pub fn body(&self) -> String {
        let Some(code) = self.code else {
            return "{\"ok\":true}".to_owned();
        };
        let mut out = String::with_capacity(64 + self.message.len());
        out.push_str("{\"error\":{\"code\":");
        write_str(&mut out, code);
        out.push_str(",\"field\":");
        match &self.field {
            Some(f) => write_str(&mut out, f),
            None => out.push_str("null"),
        }
        out.push_str(",\"message\":");
        write_str(&mut out, &self.message);
        out.push_str("}}");
        out
    }

    /// The whole answer as one JSON object, for bindings that hand it over in one piece:
    /// `{"status":405,"headers":{"allow":"POST"},"close":true,"body":"{\"error\":…}"}` (the
    /// body is a string, to be sent as is).
    pub fn to_json(&self) -> String {
        let mut out = format!("{{\"status\":{},\"headers\":{{", self.status);
        for (i, (k, v)) in self.headers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(&mut out, k);
            out.push(':');
            write_str(&mut out, v);
        }
        out.push_str(&format!("}},\"close\":{},\"body\":", self.close));
        write_str(&mut out, &self.body());
        out.push('}');
        out
    }
}

/// The receiver table as JSON, for bindings to export (they never write these values
/// themselves): `defaults` (camelCase option names), `refusals` and `errors` (code, status,
/// message), `options` ([camelCase, snake_case] pairs), `contentType`, `ok` (the 200 body).
pub fn table_json() -> String {
    let mut out = String::from("{\"defaults\":{");
    out.push_str(&format!(
        "\"maxBodyBytes\":{DEFAULT_MAX_BODY_BYTES},\"maxDepth\":{DEFAULT_MAX_DEPTH},\"bodyTimeoutMs\":{DEFAULT_BODY_TIMEOUT_MS},\"tokenQuery\":"
    ));
    write_str(&mut out, DEFAULT_TOKEN_QUERY);
    out.push_str(",\"strict\":false,\"allowLearn\":false},\"refusals\":");
    list(&mut out, Refusal::ALL, |out, r| {
        row(out, r.as_str(), r.status());
        out.push_str(",\"message\":");
        write_str(out, r.message());
    });
    out.push_str(",\"errors\":");
    list(&mut out, ErrorCode::ALL, |out, c| {
        row(out, c.as_str(), c.status())
    });
    out.push_str(",\"options\":");
    list(&mut out, OPTIONS, |out, (camel, snake)| {
        out.push_str(&format!("[\"{camel}\",\"{snake}\""));
    });
    out.push_str(",\"contentType\":");
    write_str(&mut out, CONTENT_TYPE);
    out.push_str(",\"ok\":\"{\\\"ok\\\":true}\"}");
    out
}

/// `[item,item,...]`, each written by `each` and closed by the bracket or brace it opened.
fn list<T>(out: &mut String, items: impl IntoIterator<Item = T>, each: impl Fn(&mut String, T)) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mark = out.len();
        each(out, item);
        out.push(if out[mark..].starts_with('[') {
            ']'
        } else {
            '}'
        });
    }
    out.push(']');
}

/// `{"code":…,"status":…` (the caller may add members; `list` closes the object).
fn row(out: &mut String, code: &str, status: u16) {
    out.push_str("{\"code\":");
    write_str(out, code);
    out.push_str(&format!(",\"status\":{status}"));
}
