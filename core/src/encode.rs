//! Encoding an event back into the vendor's own wire format.

use crate::event::{Event, ExtraValue};
use crate::form::write_encoded;
use crate::json::write_str;
use crate::kind::Kind;

/// A body and the Content-Type to send it with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    /// `application/json` or `application/x-www-form-urlencoded`.
    pub content_type: &'static str,
    /// The body.
    pub body: String,
}

impl Event<'_> {
    /// The event as PrimeVOX would send it: JSON for messages, a form for calls (JSON for a call
    /// that carries non-string extra values, which a form cannot hold), with the vendor's field
    /// spelling and order. `parse(encode(e)) == e` for every event `parse` returns.
    pub fn encode(&self) -> Encoded {
        let json = self.kind.is_message()
            || self.kind == Kind::Unknown
            || self
                .extra
                .iter()
                .any(|(_, v)| matches!(v, ExtraValue::Json(_)));
        let mut members: Vec<(&str, &str)> = Vec::with_capacity(12);
        if let Some(t) = self.kind.wire_event_target() {
            members.push(("eventTarget", t));
        }
        for &(name, f) in self.kind.wire_fields() {
            if let Some(v) = self.get(f) {
                members.push((name, v));
            }
        }
        let mut body = String::with_capacity(256);
        if json {
            body.push_str("{\"eventType\":");
            write_str(&mut body, &self.event_type);
            for (name, v) in members {
                body.push(',');
                write_str(&mut body, name);
                body.push(':');
                write_str(&mut body, v);
            }
            for (name, v) in &self.extra {
                body.push(',');
                write_str(&mut body, name);
                body.push(':');
                match v {
                    ExtraValue::Text(t) => write_str(&mut body, t),
                    ExtraValue::Json(j) => body.push_str(j),
                }
            }
            body.push('}');
            Encoded {
                content_type: "application/json",
                body,
            }
        } else {
            body.push_str("eventType=");
            write_encoded(&mut body, &self.event_type);
            let extra = self.extra.iter().filter_map(|(n, v)| match v {
                ExtraValue::Text(t) => Some((n.as_ref(), t.as_ref())),
                ExtraValue::Json(_) => None,
            });
            for (name, v) in members.into_iter().chain(extra) {
                body.push('&');
                write_encoded(&mut body, name);
                body.push('=');
                write_encoded(&mut body, v);
            }
            Encoded {
                content_type: "application/x-www-form-urlencoded",
                body,
            }
        }
    }
}
