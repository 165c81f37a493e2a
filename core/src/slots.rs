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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::parse::{parse_members, ParseOptions};

    /// Names and values that reach every branch: each spelling in two casings, the event's
    /// own members, repeats, names of no field, empty and escaped values, targets and types.
    fn names() -> Vec<String> {
        let mut names: Vec<String> = ["eventType", "EVENTTYPE", "eventTarget", "eventtarget"]
            .iter()
            .chain(&[
                "foo",
                "x+y",
                "ev%65ntType",
                "callUuid%",
                "extNumbe",
                "",
                "e%zz",
            ])
            .map(|s| s.to_string())
            .collect();
        for f in Field::ALL {
            for s in f.wire_names() {
                names.push(s.to_string());
                names.push(s.to_ascii_uppercase());
            }
        }
        names
    }

    fn values() -> Vec<String> {
        let mut values: Vec<String> = [
            "",
            " ",
            "3547",
            "%2B15125550100",
            "+15125550100",
            " 15125550100",
            "%zz",
            "100%",
            "caf%C3%A9",
            "%FF",
            "a+b",
            "x=y",
            "e41d6b2c-8f3a-4b95-a07c-d26e1f8b3a59",
            "RINGGROUP",
            "%20queue",
            "somethingNew",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for k in Kind::ALL {
            values.extend(k.wire_event_type().map(str::to_owned));
            values.extend(k.wire_event_target().map(str::to_owned));
        }
        values
    }

    /// A body of one kind's own fields (what the fast path takes) with random members mixed in.
    fn body() -> impl Strategy<Value = String> {
        (
            prop::sample::select(Kind::ALL.to_vec()),
            any::<bool>(),
            prop::collection::vec(
                (
                    prop::sample::select(names()),
                    prop::sample::select(values()),
                    0..=255usize,
                ),
                0..6,
            ),
        )
            .prop_map(|(kind, own_first, extra)| {
                let mut pairs: Vec<String> = Vec::new();
                if own_first {
                    pairs.extend(kind.wire_event_type().map(|t| format!("eventType={t}")));
                    pairs.extend(kind.wire_event_target().map(|t| format!("eventTarget={t}")));
                    for (name, _) in kind.wire_fields() {
                        pairs.push(format!("{name}=1234"));
                    }
                }
                for (name, value, at) in extra {
                    let at = at % (pairs.len() + 1);
                    pairs.insert(at, format!("{name}={value}"));
                }
                pairs.join("&")
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

        /// Whatever the slots answer, the general path answers the same.
        #[test]
        fn slots_agree_with_the_general_path(body in body()) {
            if let Some(fast) = lenient_form(&body) {
                let general = parse_members(&body, false, &ParseOptions::default());
                prop_assert_eq!(fast, general, "{}", body);
            }
        }
    }

    #[test]
    fn slots_take_what_primevox_sends() {
        for kind in Kind::ALL.into_iter().filter(|k| k.is_call()) {
            let mut body = format!("eventType={}", kind.wire_event_type().unwrap_or_default());
            if let Some(t) = kind.wire_event_target() {
                body.push_str(&format!("&eventTarget={t}"));
            }
            for (name, _) in kind.wire_fields() {
                body.push_str(&format!("&{name}=1234&"));
            }
            body.push_str("&someNewField=x");
            let fast = lenient_form(&body).expect("the slots take it");
            assert_eq!(fast.as_ref().map(Event::kind), Ok(kind), "{body}");
            assert_eq!(fast, parse_members(&body, false, &ParseOptions::default()));
        }
    }
}
