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
