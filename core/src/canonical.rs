//! The canonical JSON of an event, and reading it back.

use std::borrow::Cow;

use crate::error::{ErrorCode, ParseError};
use crate::event::{Event, ExtraValue};
use crate::json::{self, write_str, Json, Reader};
use crate::kind::{Field, Kind};

impl Event<'_> {
    /// The canonical JSON: `kind`, `eventType`, the kind's fields in order (`null` when
    /// absent), then `extra` as `[name, value]` pairs. Byte-identical in every binding.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        self.write_json(&mut out);
        out
    }

    /// Appends the canonical JSON to `out`.
    pub fn write_json(&self, out: &mut String) {
        out.push_str("{\"kind\":\"");
        out.push_str(self.kind.as_str());
        out.push_str("\",\"eventType\":");
        write_str(out, &self.event_type);
        for (f, v) in self.fields() {
            out.push_str(",\"");
            out.push_str(f.camel_name());
            out.push_str("\":");
            match v {
                Some(v) => write_str(out, v),
                None => out.push_str("null"),
            }
        }
        out.push_str(",\"extra\":[");
        for (i, (name, value)) in self.extra.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            write_str(out, name);
            out.push(',');
            match value {
                ExtraValue::Text(t) => write_str(out, t),
                ExtraValue::Json(j) => out.push_str(j),
            }
            out.push(']');
        }
        out.push_str("]}");
    }
}

fn bad(msg: impl Into<String>) -> ParseError {
    ParseError::new(ErrorCode::InvalidJson, None, msg)
}

/// Reads canonical JSON (as written by [`Event::to_json`]) back into an event.
pub fn from_json(canonical: &str) -> Result<Event<'static>, ParseError> {
    let mut kind = None;
    let mut event_type = None;
    let mut values: Vec<(Field, Option<String>)> = Vec::new();
    let mut extra = Vec::new();
    Reader::new(canonical, false, 512).top_object(|k, v| {
        match (k.as_ref(), v) {
            ("kind", Json::Str(s)) => {
                kind = Some(
                    Kind::from_kind_str(&s)
                        .ok_or_else(|| bad(format!("unknown kind '{s}' in canonical JSON")))?,
                )
            }
            ("eventType", Json::Str(s)) => event_type = Some(s.into_owned()),
            ("extra", Json::Arr(items)) => {
                for item in items {
                    let Json::Arr(mut pair) = item else {
                        return Err(bad("extra must hold [name, value] pairs"));
                    };
                    if pair.len() != 2 {
                        return Err(bad("extra must hold [name, value] pairs"));
                    }
                    let value = pair.pop().unwrap_or(Json::Null);
                    let Some(Json::Str(name)) = pair.pop() else {
                        return Err(bad("an extra field's name must be a string"));
                    };
                    let value = match value {
                        Json::Str(s) => ExtraValue::Text(Cow::Owned(s.into_owned())),
                        other => ExtraValue::Json(json::compact(&other)),
                    };
                    extra.push((Cow::Owned(name.into_owned()), value));
                }
            }
            (name, v) => {
                let field = Field::from_camel_name(name)
                    .ok_or_else(|| bad(format!("unexpected member '{name}' in canonical JSON")))?;
                let v = match v {
                    Json::Str(s) => Some(s.into_owned()),
                    Json::Null => None,
                    _ => return Err(bad(format!("{name} must be a string or null"))),
                };
                values.push((field, v));
            }
        }
        Ok(())
    })?;
    let kind = kind.ok_or_else(|| bad("canonical JSON needs a kind"))?;
    let event_type = event_type.ok_or_else(|| bad("canonical JSON needs an eventType"))?;
    let mut event = Event::new(kind, event_type);
    for (f, v) in values {
        let Some(slot) = kind.slot(f) else {
            return Err(bad(format!(
                "{} is not a field of {}",
                f.camel_name(),
                kind.as_str()
            )));
        };
        event.values[slot] = v.filter(|s| !s.is_empty()).map(Cow::Owned);
    }
    event.extra = extra;
    Ok(event)
}
