//! From raw body and Content-Type to a validated [`Event`].

use std::borrow::Cow;

use smallvec::SmallVec;

use crate::charset::{self, Charset};
use crate::error::{ErrorCode, ParseError};
use crate::event::{Event, ExtraValue};
use crate::json::{self, Json, Reader};
use crate::kind::{classify, wire_type, Field, Kind, Slot};
use crate::{form, slots, validate};

/// How to parse. `Default` is lenient with a 64 KiB body limit and a nesting depth of 32.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// Reject anything not exactly as documented (see the README's strict rules).
    pub strict: bool,
    /// Bodies larger than this many bytes are rejected with `body_too_large`.
    pub max_body_bytes: usize,
    /// JSON nested deeper than this is rejected with `invalid_json` (the top object is level 1).
    pub max_depth: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            strict: false,
            max_body_bytes: crate::receiver::DEFAULT_MAX_BODY_BYTES,
            max_depth: crate::receiver::DEFAULT_MAX_DEPTH,
        }
    }
}

impl ParseOptions {
    /// The default options with strict mode on.
    pub fn strict() -> Self {
        ParseOptions {
            strict: true,
            ..Self::default()
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Declared {
    Json,
    Form,
    Sniff,
}

/// The encoding a Content-Type declares, and its parameters (after the first `;`, else empty).
fn declared(content_type: Option<&str>) -> Result<(Declared, &str), ParseError> {
    let Some(ct) = content_type else {
        return Ok((Declared::Sniff, ""));
    };
    // What PrimeVOX sends, spelled as it sends it, skips the trimming and the comparisons below
    // (which give the same answer for it).
    for (exact, declared) in [
        ("application/x-www-form-urlencoded", Declared::Form),
        ("application/json", Declared::Json),
    ] {
        if let Some(rest) = ct.strip_prefix(exact) {
            match rest.as_bytes().first() {
                None => return Ok((declared, "")),
                Some(b';') => return Ok((declared, &rest[1..])),
                Some(_) => break,
            }
        }
    }
    let (essence, params) = match ct.bytes().position(|c| c == b';') {
        Some(i) => (ct[..i].trim(), &ct[i + 1..]),
        None => (ct.trim(), ""),
    };
    Ok((kind_of_essence(ct, essence)?, params))
}

fn kind_of_essence(ct: &str, essence: &str) -> Result<Declared, ParseError> {
    let is = |s: &str| essence.eq_ignore_ascii_case(s);
    if essence.is_empty() || is("text/plain") || is("application/octet-stream") {
        return Ok(Declared::Sniff);
    }
    if is("application/json") || is("text/json") {
        return Ok(Declared::Json);
    }
    if is("application/x-www-form-urlencoded") {
        return Ok(Declared::Form);
    }
    if let Some((_, sub)) = essence.split_once('/') {
        let sub = sub.as_bytes();
        if sub.len() > 5 && sub[sub.len() - 5..].eq_ignore_ascii_case(b"+json") {
            return Ok(Declared::Json);
        }
    }
    Err(ParseError::new(
        ErrorCode::UnsupportedContentType,
        None,
        format!(
            "Content-Type '{}' is not supported: PrimeVOX sends application/json or application/x-www-form-urlencoded",
            truncate(ct, 100)
        ),
    ))
}

pub(crate) fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn trim_body(mut b: &[u8]) -> &[u8] {
    loop {
        if let Some(rest) = b.strip_prefix(b"\xEF\xBB\xBF") {
            b = rest;
        } else if let [c, rest @ ..] = b {
            if c.is_ascii_whitespace() {
                b = rest;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    while let [rest @ .., c] = b {
        if c.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

/// Parses a webhook body with the default (lenient) options.
pub fn parse<'a>(body: &'a [u8], content_type: Option<&str>) -> Result<Event<'a>, ParseError> {
    parse_with(body, content_type, &ParseOptions::default())
}

/// Parses a webhook body.
///
/// `content_type` is the request's Content-Type header, if any. Strings in the event borrow
/// from `body` where no decoding was needed.
pub fn parse_with<'a>(
    body: &'a [u8],
    content_type: Option<&str>,
    options: &ParseOptions,
) -> Result<Event<'a>, ParseError> {
    if body.len() > options.max_body_bytes {
        return Err(ParseError::new(
            ErrorCode::BodyTooLarge,
            None,
            format!(
                "the body is {} bytes, over the limit of {} (max_body_bytes)",
                body.len(),
                options.max_body_bytes
            ),
        ));
    }
    let (declared, params) = declared(content_type)?;
    // Most requests carry no parameter: their charset is UTF-8 without looking further.
    if !params.is_empty() && charset::of(params)? == Charset::Windows1252 {
        let looks_json = matches!(trim_body(body).first(), Some(b'{' | b'['));
        let form = declared == Declared::Form || (declared == Declared::Sniff && !looks_json);
        let text = charset::windows_1252_to_utf8(body, form);
        return parse_decoded(text.as_bytes(), declared, options).map(Event::into_owned);
    }
    parse_decoded(body, declared, options)
}

/// Parses a body whose bytes are (meant to be) UTF-8.
fn parse_decoded<'a>(
    body: &'a [u8],
    declared: Declared,
    options: &ParseOptions,
) -> Result<Event<'a>, ParseError> {
    let b = trim_body(body);
    if b.is_empty() {
        return Err(ParseError::new(
            ErrorCode::EmptyBody,
            None,
            "the body is empty: a PrimeVOX webhook always has a body",
        ));
    }
    let as_json = match declared {
        Declared::Sniff => matches!(b[0], b'{' | b'['),
        Declared::Json if options.strict => true,
        Declared::Form if options.strict => false,
        // Lenient: a body that can only be one encoding wins over a mislabelled header.
        Declared::Json => {
            matches!(
                b[0],
                b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
            ) || memchr::memchr(b'=', b).is_none()
        }
        Declared::Form => b[0] == b'{',
    };
    match simdutf8::basic::from_utf8(b) {
        Ok(text) => parse_text(text, as_json, options),
        Err(_) if options.strict => Err(ParseError::new(
            if as_json {
                ErrorCode::InvalidJson
            } else {
                ErrorCode::InvalidForm
            },
            None,
            "the body is not valid UTF-8 (strict mode)",
        )),
        Err(_) => {
            let text = String::from_utf8_lossy(b);
            parse_text(&text, as_json, options).map(Event::into_owned)
        }
    }
}

type Member<'a> = (Cow<'a, str>, Json<'a>, Slot);
type Members<'a> = SmallVec<[Member<'a>; 16]>;

fn parse_text<'a>(
    text: &'a str,
    as_json: bool,
    options: &ParseOptions,
) -> Result<Event<'a>, ParseError> {
    if !as_json && !options.strict {
        if let Some(event) = slots::lenient_form(text) {
            return event;
        }
    }
    parse_members(text, as_json, options)
}

/// The general path: every member listed in order, then placed by [`assemble`].
pub(crate) fn parse_members<'a>(
    text: &'a str,
    as_json: bool,
    options: &ParseOptions,
) -> Result<Event<'a>, ParseError> {
    let strict = options.strict;
    // Webhooks have a dozen members: keep them on the stack.
    let mut members: Members<'a> = SmallVec::new();
    if as_json {
        Reader::new(text, strict, options.max_depth).top_object(|k, v| {
            let slot = classify(&k, strict);
            members.push((k, v, slot));
            Ok(())
        })?;
    } else {
        form::pairs(text, strict, |k, v| {
            let slot = classify(&k, strict);
            members.push((k, Json::Str(v), slot));
            Ok(())
        })?;
    }
    assemble(&mut members, strict)
}

pub(crate) fn key_is(key: &str, name: &str, strict: bool) -> bool {
    if strict {
        key == name
    } else {
        crate::kind::eq_ignore_ascii_case(key.as_bytes(), name.as_bytes())
    }
}

fn to_extra(v: Json<'_>) -> ExtraValue<'_> {
    match v {
        Json::Str(s) => ExtraValue::Text(s),
        other => ExtraValue::Json(json::compact(&other)),
    }
}

fn matches_target(value: &Json<'_>, target: &str, strict: bool) -> bool {
    match value {
        Json::Str(s) => key_is(s, target, strict),
        _ => false,
    }
}

/// Builds the event from the members in order: kind first (it needs `eventType` and
/// `eventTarget`, which may come anywhere), then each member into its field or `extra`.
fn assemble<'a>(pairs: &mut Members<'a>, strict: bool) -> Result<Event<'a>, ParseError> {
    // Like any field, the first non-empty eventType wins (`eventType=&eventType=InboundCall`
    // is a call); strict mode rejects the duplicate below.
    let non_empty = |v: &Json<'_>| match v {
        Json::Str(s) => !s.trim_ascii().is_empty(),
        Json::Null => false,
        _ => true,
    };
    let et_index = pairs
        .iter()
        .position(|m| m.2 == Slot::EventType && non_empty(&m.1))
        .or_else(|| pairs.iter().position(|m| m.2 == Slot::EventType));
    let event_type: Cow<'a, str> = match et_index.map(|i| &pairs[i].1) {
        Some(Json::Str(s)) if !s.trim_ascii().is_empty() => s.clone(),
        None | Some(Json::Null) | Some(Json::Str(_)) => return Err(missing_event_type()),
        Some(_) => {
            return Err(ParseError::new(
                ErrorCode::InvalidField,
                Some("eventType"),
                "eventType must be a string",
            ))
        }
    };
    let target_index = pairs.iter().position(|m| m.2 == Slot::EventTarget);
    let kind = match wire_type(&event_type, strict) {
        Some(k) if !k.shares_event_type() => k,
        Some(k) => {
            let target = target_index.map(|i| match &pairs[i].1 {
                Json::Str(s) => Some(&**s),
                _ => None,
            });
            let present = |f: Field| {
                pairs.iter().any(|(_, v, slot)| {
                    *slot == Slot::Field(f)
                        && match v {
                            Json::Str(s) => !s.is_empty(),
                            Json::Num(_) => true,
                            _ => false,
                        }
                })
            };
            kind_by_target(k, target, present, strict)?
        }
        None if strict => {
            return Err(ParseError::new(
                ErrorCode::UnknownEventType,
                Some("eventType"),
                format!(
                    "eventType '{}' is not one PrimeVOX documents (strict mode matches the exact spelling)",
                    truncate(&event_type, 100)
                ),
            ))
        }
        None => Kind::Unknown,
    };

    let mut event = Event::new(kind, event_type);
    let mut seen = [false; Field::COUNT];
    for (i, (key, value, slot)) in pairs.drain(..).enumerate() {
        if Some(i) == et_index {
            continue;
        }
        if kind == Kind::Unknown {
            event.extra.push((key, to_extra(value)));
            continue;
        }
        if Some(i) == target_index && kind.wire_event_target().is_some() {
            let target = kind.wire_event_target().unwrap_or_default();
            if matches_target(&value, target, strict) {
                continue;
            }
            if strict {
                return Err(ParseError::new(
                    ErrorCode::InvalidField,
                    Some("eventTarget"),
                    format!("eventTarget must be '{target}' for {}", kind.as_str()),
                ));
            }
            event.extra.push((key, to_extra(value)));
            continue;
        }
        // Strict mode takes only the spelling documented for this kind (`extNumber` is
        // documented for other extension events, not for ExtensionAnswered).
        let field = match slot {
            Slot::Field(f) if strict && kind.wire_name(f) != Some(&*key) => None,
            Slot::Field(f) if kind.has_field(f) => Some(f),
            _ => None,
        };
        let Some(field) = field else {
            if strict {
                let repeated = slot == Slot::EventType
                    || (slot == Slot::EventTarget && kind.wire_event_target().is_some());
                return Err(if repeated {
                    ParseError::new(
                        ErrorCode::InvalidField,
                        Some(&key),
                        format!("'{key}' is sent more than once (strict mode)"),
                    )
                } else {
                    ParseError::new(
                        ErrorCode::UnknownField,
                        Some(&key),
                        format!(
                            "'{}' is not a documented field of {} (strict mode)",
                            truncate(&key, 100),
                            kind.as_str()
                        ),
                    )
                });
            }
            event.extra.push((key, to_extra(value)));
            continue;
        };
        let is_number = matches!(value, Json::Num(_));
        let text: Option<Cow<'a, str>> = match value {
            Json::Str(s) => Some(s),
            Json::Num(n) => Some(Cow::Borrowed(n)),
            Json::Null => None,
            Json::Bool(_) | Json::Arr(_) | Json::Obj(_) => {
                return Err(ParseError::new(
                    ErrorCode::InvalidField,
                    Some(field.camel_name()),
                    format!(
                        "{} must be a string (it was sent as '{}')",
                        field.camel_name(),
                        key
                    ),
                ))
            }
        };
        let idx = field.index();
        if strict && seen[idx] {
            return Err(ParseError::new(
                ErrorCode::InvalidField,
                Some(field.camel_name()),
                format!(
                    "{} is sent more than once (strict mode)",
                    field.camel_name()
                ),
            ));
        }
        seen[idx] = true;
        let Some(text) = text.filter(|t| !t.is_empty()) else {
            continue;
        };
        // The kind has the field (checked above), so it has a slot.
        let slot = kind.slot(field).unwrap_or_default();
        if event.values[slot].is_some() {
            // A later duplicate keeps its JSON type in extra, like any other extra value.
            let value = if is_number {
                ExtraValue::Json(text.into_owned())
            } else {
                ExtraValue::Text(text)
            };
            event.extra.push((key, value));
            continue;
        }
        event.values[slot] = Some(if field.is_phone_number() {
            restore_plus(text)
        } else {
            text
        });
    }

    check_required(&event)?;
    if strict {
        validate::strict_shapes(&event)?;
    }
    Ok(event)
}

pub(crate) fn missing_event_type() -> ParseError {
    ParseError::new(
        ErrorCode::MissingEventType,
        Some("eventType"),
        "the body has no eventType: is this a PrimeVOX webhook?",
    )
}

/// The first required field of the event's kind (in canonical order) that is not set.
pub(crate) fn check_required(event: &Event<'_>) -> Result<(), ParseError> {
    let kind = event.kind;
    for (&f, value) in kind.fields().iter().zip(&event.values) {
        if kind.is_required(f) && value.is_none() {
            return Err(ParseError::new(
                ErrorCode::MissingField,
                Some(f.camel_name()),
                format!(
                    "{} is required on {} events but was absent or empty",
                    f.camel_name(),
                    kind.as_str()
                ),
            ));
        }
    }
    Ok(())
}

/// The kind among those sharing `first`'s `eventType` (a `ringAttempt`): by `eventTarget`,
/// else (lenient mode) by which kind's own fields (not shared with the others) are present; the
/// kind declared last wins a tie (a ring group's number outweighs the extension it rang).
///
/// `target`: the first `eventTarget` member, if any, with its value if that is a string;
/// `present`: whether a member for the field was sent with a non-empty value.
#[inline(never)]
pub(crate) fn kind_by_target(
    first: Kind,
    target: Option<Option<&str>>,
    present: impl Fn(Field) -> bool,
    strict: bool,
) -> Result<Kind, ParseError> {
    for k in first.sharing_event_type() {
        if let Some(Some(v)) = target {
            if key_is(v, k.wire_event_target().unwrap_or_default(), strict) {
                return Ok(k);
            }
        }
    }
    if strict {
        let event_type = first.wire_event_type().unwrap_or_default();
        let targets: Vec<String> = first
            .sharing_event_type()
            .map(|k| format!("'{}'", k.wire_event_target().unwrap_or_default()))
            .collect();
        let targets = targets.join(" or ");
        return Err(match target {
            None => ParseError::new(
                ErrorCode::MissingField,
                Some("eventTarget"),
                format!("a {event_type} needs eventTarget {targets} (strict mode)"),
            ),
            Some(_) => ParseError::new(
                ErrorCode::InvalidField,
                Some("eventTarget"),
                format!("a {event_type}'s eventTarget must be {targets} (strict mode)"),
            ),
        });
    }
    let own = |k: Kind, f: Field| {
        first
            .sharing_event_type()
            .all(|other| other == k || !other.has_field(f))
    };
    Ok(first
        .sharing_event_type()
        .rev()
        .find(|&k| k.fields().iter().any(|&f| own(k, f) && present(f)))
        .unwrap_or(Kind::Unknown))
}

/// A phone number that reads " 15125550100" had its `+` decoded to a space by the sender's
/// missing URL-encoding.
pub(crate) fn restore_plus(text: Cow<'_, str>) -> Cow<'_, str> {
    match text.strip_prefix(' ') {
        Some(rest) if !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_digit()) => {
            Cow::Owned(format!("+{rest}"))
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_number_stays_a_json_number_in_extra() {
        let body = br#"{"eventType":"queueEntered","containerId":3547,"tenantId":"118","callUuid":"e41d6b2c-8f3a-4b95-a07c-d26e1f8b3a59","containerID":12,"tenantId":"7"}"#;
        let e = parse(body, Some("application/json")).unwrap();
        assert_eq!(e.get(Field::ContainerId), Some("3547"));
        assert_eq!(
            e.extra(),
            &[
                (Cow::Borrowed("containerID"), ExtraValue::Json("12".into())),
                (Cow::Borrowed("tenantId"), ExtraValue::Text("7".into())),
            ]
        );
        let wire = e.encode();
        assert_eq!(
            parse(wire.body.as_bytes(), Some(wire.content_type)).unwrap(),
            e
        );
    }
}
