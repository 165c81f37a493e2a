//! Parse and validate PrimeVOX phone-system webhooks.
//!
//! PrimeVOX POSTs message events as JSON and call events as
//! `application/x-www-form-urlencoded`, with inconsistent field spellings and event-type
//! casing. [`parse`] turns the raw body and Content-Type of such a POST into one [`Event`]
//! with one canonical name per field, or a [`ParseError`] with a stable [`ErrorCode`].
//!
//! ```
//! use primevox_webhooks::{parse, Kind};
//!
//! let body = b"eventType=InboundCall&eventTarget=phoneNumber&containerId=1001&tenantId=42\
//!              &didNumber=%2B15125550100&callUuid=3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d\
//!              &callerIdNum=5125550199&callerIdName=JANE+DOE";
//! let event = parse(body, Some("application/x-www-form-urlencoded")).unwrap();
//! assert_eq!(event.kind(), Kind::InboundCall);
//! assert_eq!(event.caller_id_name(), Some("JANE DOE"));
//! assert_eq!(event.caller_e164().as_deref(), Some("+15125550199"));
//! ```
//!
//! Where an event kind is defined: [`kind`] (the table every other module reads).
#![deny(missing_docs)]

pub mod api;
#[cfg(feature = "axum")]
pub mod axum;
mod batch;
pub mod calls;
mod canonical;
mod charset;
pub mod codegen;
mod encode;
mod error;
mod event;
pub mod ffi;
mod form;
mod helpers;
mod json;
pub mod kind;
pub mod openapi;
mod parse;
pub mod receiver;
mod scan;
pub mod security;
#[cfg(feature = "serde")]
mod serde_impl;
mod slots;
#[cfg(test)]
mod test_support;
pub mod validate;

pub use batch::{
    parse_many, parse_many_map, parse_many_pipelined, BatchItem, Parsed, PIPELINE_CHUNK,
};
pub use canonical::from_json;
pub use encode::Encoded;
pub use error::{ErrorCode, ParseError, Refusal};
pub use event::{Event, ExtraField, ExtraValue};
pub use helpers::to_e164;
pub use kind::{Field, Kind, Shape};
pub use parse::{parse, parse_with, ParseOptions};
pub use security::{verify_token, AllowList};
