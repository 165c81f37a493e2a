//! The one error type, with stable codes shared by every binding.

use std::fmt;

/// Stable error codes. The string forms (`as_str`) are identical in every language binding and
/// never change meaning; match on them, not on messages.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ErrorCode {
    /// The body is empty or only whitespace.
    EmptyBody,
    /// The body is larger than `max_body_bytes`.
    BodyTooLarge,
    /// The Content-Type is neither JSON, form, nor one we decide from the body.
    UnsupportedContentType,
    /// Not JSON, not an object at the top, or nested deeper than `max_depth`.
    InvalidJson,
    /// A form body that cannot be read.
    InvalidForm,
    /// No `eventType`, or an empty one.
    MissingEventType,
    /// A required field is absent or empty.
    MissingField,
    /// A field has the wrong JSON type, or (strict mode) the wrong shape.
    InvalidField,
    /// Strict mode: an `eventType` not spelled exactly as documented.
    UnknownEventType,
    /// Strict mode: a field not documented for the event.
    UnknownField,
}

impl ErrorCode {
    /// Every code, in documentation order.
    pub const ALL: [ErrorCode; 10] = [
        ErrorCode::EmptyBody,
        ErrorCode::BodyTooLarge,
        ErrorCode::UnsupportedContentType,
        ErrorCode::InvalidJson,
        ErrorCode::InvalidForm,
        ErrorCode::MissingEventType,
        ErrorCode::MissingField,
        ErrorCode::InvalidField,
        ErrorCode::UnknownEventType,
        ErrorCode::UnknownField,
    ];

    /// The stable snake_case string of this code, e.g. `"missing_field"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::EmptyBody => "empty_body",
            ErrorCode::BodyTooLarge => "body_too_large",
            ErrorCode::UnsupportedContentType => "unsupported_content_type",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidForm => "invalid_form",
            ErrorCode::MissingEventType => "missing_event_type",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::InvalidField => "invalid_field",
            ErrorCode::UnknownEventType => "unknown_event_type",
            ErrorCode::UnknownField => "unknown_field",
        }
    }

    /// The code for a string produced by [`ErrorCode::as_str`].
    pub fn from_code_str(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl ErrorCode {
    /// The HTTP status a receiver answers this error with: 400 for every parse error (the
    /// sender's payload is wrong; a retry will not help).
    pub fn status(self) -> u16 {
        400
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a body could not be turned into an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    code: ErrorCode,
    field: Option<String>,
    message: String,
}

impl ParseError {
    /// An error with a code, the field it concerns (canonical camelCase name, `eventType`,
    /// `eventTarget`, or the wire name of an unknown field) and a message for humans.
    pub fn new(code: ErrorCode, field: Option<&str>, message: impl Into<String>) -> Self {
        ParseError {
            code,
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The field concerned, where one applies.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// A message naming the likely cause.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// What a receiver answers outside a parse error: the sender checks, the transport, and the
/// handler. One row per code: the stable code string, the HTTP status and the message every
/// receiver (every language, the CLI, axum) sends. This is the only place these are written;
/// bindings read them through [`crate::receiver::table_json`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Refusal {
    /// A method other than POST on a route the receiver owns (sent with `Allow: POST`).
    MethodNotAllowed,
    /// The sender's address is not in `allow` (or no trustworthy address is known).
    Forbidden,
    /// The token is missing or wrong.
    Unauthorized,
    /// A Content-Encoding other than gzip, deflate or identity.
    UnsupportedContentEncoding,
    /// A gzip or deflate body that does not decode.
    InvalidContentEncoding,
    /// The body did not arrive within the body-read timeout.
    RequestTimeout,
    /// A handler raised or rejected; details are logged on the server, never sent.
    HandlerFailed,
    /// Something in the app read the raw body before the receiver could.
    BodyConsumed,
}

impl Refusal {
    /// Every refusal, in the order a receiver checks them.
    pub const ALL: [Refusal; 8] = [
        Refusal::MethodNotAllowed,
        Refusal::Forbidden,
        Refusal::Unauthorized,
        Refusal::UnsupportedContentEncoding,
        Refusal::InvalidContentEncoding,
        Refusal::RequestTimeout,
        Refusal::HandlerFailed,
        Refusal::BodyConsumed,
    ];

    /// The row of the table: (code, status, message).
    const fn row(self) -> (&'static str, u16, &'static str) {
        match self {
            Refusal::MethodNotAllowed => ("method_not_allowed", 405, "use POST"),
            Refusal::Forbidden => ("forbidden", 403, "the sender address is not allowed"),
            Refusal::Unauthorized => ("unauthorized", 401, "missing or wrong webhook token"),
            Refusal::UnsupportedContentEncoding => (
                "unsupported_content_encoding",
                415,
                "the Content-Encoding is not supported: send gzip, deflate or identity",
            ),
            Refusal::InvalidContentEncoding => (
                "invalid_content_encoding",
                400,
                "the body does not decode as its Content-Encoding says",
            ),
            Refusal::RequestTimeout => (
                "request_timeout",
                408,
                "the request body did not arrive in time",
            ),
            Refusal::HandlerFailed => ("handler_failed", 500, "the webhook handler failed"),
            Refusal::BodyConsumed => (
                "body_consumed",
                500,
                "the request body was consumed before primevox-webhooks could read it: \
                 register the webhook route before any body parser (express.json(), \
                 express.urlencoded(), Fastify's content-type parsers) or keep the raw body, \
                 and do not touch request.form / request.get_json() (Flask) or request.POST \
                 (Django) before the receiver",
            ),
        }
    }

    /// The stable snake_case code, e.g. `"unauthorized"`.
    pub const fn as_str(self) -> &'static str {
        self.row().0
    }

    /// The HTTP status of the answer.
    pub const fn status(self) -> u16 {
        self.row().1
    }

    /// The message of the answer (some answers replace it with a more precise one, such as
    /// the name of the unsupported encoding).
    pub const fn message(self) -> &'static str {
        self.row().2
    }

    /// The refusal for a string produced by [`Refusal::as_str`].
    pub fn from_code_str(s: &str) -> Option<Refusal> {
        Refusal::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
