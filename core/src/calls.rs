//! Calls, not just events: one call record from the deliveries of one call.
//!
//! A [`Call`] keeps every distinct delivery of one call (its canonical event and the time `at`
//! the receiver got it) and derives the record ([`CallSummary`]) from them in *delivery order*
//! (by `at`, then the kind's position in [`Kind::ALL`], then the canonical JSON text in
//! code-point order). Two deliveries with identical canonical JSON are one delivery (a retry),
//! kept with the smaller `at`. Keeping the deliveries rather than a folded record is what makes
//! the record independent of insertion order, retries and split-then-merge: any rule ("the
//! first non-null value") is evaluated on the same sorted set however it was assembled.
//!
//! ```
//! use primevox_webhooks::{parse, calls::Call};
//!
//! let form = Some("application/x-www-form-urlencoded");
//! let inbound = parse(b"eventType=InboundCall&containerId=1&tenantId=2&callUuid=ABC\
//!                       &callerIdNum=5125550199&didNumber=5125550100", form).unwrap();
//! let hangup = parse(b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=abc", form).unwrap();
//! let mut call = Call::default();
//! call.add(&hangup, 1_700_000_030_000).unwrap();
//! call.add(&inbound, 1_700_000_000_000).unwrap();
//! let record = call.summary();
//! assert_eq!(record.outcome.as_str(), "missed");
//! assert_eq!(record.call_uuid.as_deref(), Some("abc"));
//! assert_eq!(record.caller_id_num.as_deref(), Some("5125550199"));
//! ```

use std::cmp::Ordering;
use std::fmt;

use crate::event::Event;
use crate::kind::Kind;

mod state;
mod summary;
mod tracker;

pub use summary::{
    CallSummary, Direction, ExtensionRung, Outcome, Party, QueueVisit, RingGroupVisit,
};
pub use tracker::{CallTracker, Tracked};

/// The stable codes of [`CallError`], identical in every binding.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum CallErrorCode {
    /// A message, an unknown event, or a call event without a `callUuid`.
    NotACallEvent,
    /// A delivery (or a call to merge) of another call.
    CallMismatch,
    /// A `from_json` input that is not a call state written by `to_json`.
    InvalidState,
}

impl CallErrorCode {
    /// Every code, in documentation order.
    pub const ALL: [CallErrorCode; 3] = [
        CallErrorCode::NotACallEvent,
        CallErrorCode::CallMismatch,
        CallErrorCode::InvalidState,
    ];

    /// The stable snake_case string, e.g. `"call_mismatch"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CallErrorCode::NotACallEvent => "not_a_call_event",
            CallErrorCode::CallMismatch => "call_mismatch",
            CallErrorCode::InvalidState => "invalid_state",
        }
    }
}

impl fmt::Display for CallErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for CallErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for CallErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<CallErrorCode> for &str {
    fn eq(&self, other: &CallErrorCode) -> bool {
        *self == other.as_str()
    }
}

/// Why a delivery, a merge or a state could not be taken. Nothing is half-applied: on error
/// the call is exactly as before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallError {
    code: CallErrorCode,
    message: String,
}

impl CallError {
    pub(crate) fn new(code: CallErrorCode, message: impl Into<String>) -> Self {
        CallError {
            code,
            message: message.into(),
        }
    }

    /// The stable code (compares equal to its string, e.g. `e.code() == "call_mismatch"`).
    pub fn code(&self) -> CallErrorCode {
        self.code
    }

    /// A message for humans.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `{"code":…,"message":…}`, the shape bindings hand to their hosts.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(48 + self.message.len());
        out.push_str("{\"code\":\"");
        out.push_str(self.code.as_str());
        out.push_str("\",\"message\":");
        crate::json::write_str(&mut out, &self.message);
        out.push('}');
        out
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CallError {}

/// One distinct delivery of a call.
#[derive(Clone, Debug)]
pub(crate) struct Delivery {
    pub(crate) at: u64,
    pub(crate) event: Event<'static>,
    /// The event's canonical JSON: the identity of a delivery and the last sort key.
    pub(crate) canonical: String,
}

impl Delivery {
    fn kind_pos(&self) -> usize {
        kind_position(self.event.kind())
    }

    /// Delivery order.
    fn order(&self, other: &Delivery) -> Ordering {
        self.at
            .cmp(&other.at)
            .then_with(|| self.kind_pos().cmp(&other.kind_pos()))
            .then_with(|| self.canonical.cmp(&other.canonical))
    }
}

/// The kind's position in the kind table ([`Kind::ALL`]).
fn kind_position(kind: Kind) -> usize {
    Kind::ALL
        .iter()
        .position(|&k| k == kind)
        .unwrap_or(Kind::ALL.len())
}

/// The call id a delivery belongs to: its `callUuid`, lowercased; an error for anything that
/// is not a call event.
pub(crate) fn call_key(event: &Event<'_>) -> Result<String, CallError> {
    if !event.kind().is_call() {
        return Err(CallError::new(
            CallErrorCode::NotACallEvent,
            format!(
                "a {} event is not part of a call: only call events build a call record",
                event.kind().as_str()
            ),
        ));
    }
    match event.call_uuid() {
        Some(id) => Ok(id.to_lowercase()),
        None => Err(CallError::new(
            CallErrorCode::NotACallEvent,
            format!("this {} event has no callUuid", event.kind().as_str()),
        )),
    }
}

/// The deliveries of one call and the record derived from them.
#[derive(Clone, Debug, Default)]
pub struct Call {
    /// The lowercased `callUuid`, once a delivery was added.
    uuid: Option<String>,
    /// Distinct deliveries, in delivery order.
    deliveries: Vec<Delivery>,
}

impl PartialEq for Call {
    fn eq(&self, other: &Call) -> bool {
        self.uuid == other.uuid
            && self.deliveries.len() == other.deliveries.len()
            && self
                .deliveries
                .iter()
                .zip(&other.deliveries)
                .all(|(a, b)| a.at == b.at && a.canonical == b.canonical)
    }
}

impl Eq for Call {}

impl Call {
    /// An empty call (the same as `Call::default()`).
    pub fn new() -> Self {
        Call::default()
    }

    /// Adds a delivery received at `at_ms` (milliseconds since the epoch). `Ok(true)` when the
    /// delivery is new, `Ok(false)` for a retry of one already held (whose `at` becomes the
    /// smaller of the two).
    pub fn add(&mut self, event: &Event<'_>, at_ms: u64) -> Result<bool, CallError> {
        let key = call_key(event)?;
        self.check_uuid(&key)?;
        let delivery = Delivery {
            at: at_ms,
            canonical: event.to_json(),
            event: event.clone().into_owned(),
        };
        self.uuid = Some(key);
        Ok(self.insert(delivery))
    }

    /// Adds every delivery of `other`, as if each had been added here. The calls must be of
    /// the same `callUuid` (or one of them empty); otherwise `call_mismatch` and no change.
    pub fn merge(&mut self, other: &Call) -> Result<(), CallError> {
        let Some(key) = &other.uuid else {
            return Ok(());
        };
        self.check_uuid(key)?;
        self.uuid = Some(key.clone());
        for d in &other.deliveries {
            self.insert(d.clone());
        }
        Ok(())
    }

    /// The lowercased `callUuid`, `None` for an empty call.
    pub fn call_uuid(&self) -> Option<&str> {
        self.uuid.as_deref()
    }

    /// How many distinct deliveries the call has.
    pub fn len(&self) -> usize {
        self.deliveries.len()
    }

    /// Whether no delivery was added yet.
    pub fn is_empty(&self) -> bool {
        self.deliveries.is_empty()
    }

    /// The distinct deliveries in delivery order, as `(at, event)`.
    pub fn deliveries(&self) -> impl Iterator<Item = (u64, &Event<'static>)> + '_ {
        self.deliveries.iter().map(|d| (d.at, &d.event))
    }

    /// Whether the call has ended (see [`CallSummary::ended`]), without building the record.
    pub fn is_ended(&self) -> bool {
        summary::ended_at(&self.deliveries).is_some()
    }

    /// The largest `at` of the call's deliveries.
    pub fn last_seen_at(&self) -> Option<u64> {
        self.deliveries.last().map(|d| d.at)
    }

    fn check_uuid(&self, key: &str) -> Result<(), CallError> {
        match &self.uuid {
            Some(mine) if mine != key => Err(CallError::new(
                CallErrorCode::CallMismatch,
                format!("a delivery of call {key} cannot be added to call {mine}"),
            )),
            _ => Ok(()),
        }
    }

    /// Inserts in delivery order; a retry keeps the smaller `at`. True when new.
    fn insert(&mut self, d: Delivery) -> bool {
        if let Some(i) = self
            .deliveries
            .iter()
            .position(|x| x.canonical == d.canonical)
        {
            if d.at < self.deliveries[i].at {
                let mut old = self.deliveries.remove(i);
                old.at = d.at;
                let j = self.position(&old);
                self.deliveries.insert(j, old);
            }
            return false;
        }
        let j = self.position(&d);
        self.deliveries.insert(j, d);
        true
    }

    fn position(&self, d: &Delivery) -> usize {
        self.deliveries
            .partition_point(|x| x.order(d) == Ordering::Less)
    }
}

#[cfg(test)]
mod tests;
