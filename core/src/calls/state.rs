//! The whole state of a call as JSON, and reading it back.
//!
//! `{"version":1,"callUuid":<lowercased id or null>,"deliveries":[{"at":<ms>,"event":<canonical
//! event>},…]}`, deliveries in delivery order. Reading checks everything `add` would have
//! checked, so a state that reads back is one `add` could have built.

use super::{call_key, Call, CallError, CallErrorCode, Delivery};
use crate::json::{self, write_str, Json, Reader};

/// The state format written by this version.
const VERSION: &str = "1";

fn invalid(msg: impl Into<String>) -> CallError {
    CallError::new(CallErrorCode::InvalidState, msg)
}

impl Call {
    /// The whole state as JSON: `Call::from_json(&c.to_json())` equals `c`, and adding more
    /// deliveries to it gives the same record as adding everything to one call.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64 + self.deliveries.len() * 320);
        out.push_str("{\"version\":");
        out.push_str(VERSION);
        out.push_str(",\"callUuid\":");
        match &self.uuid {
            Some(u) => write_str(&mut out, u),
            None => out.push_str("null"),
        }
        out.push_str(",\"deliveries\":[");
        for (i, d) in self.deliveries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"at\":");
            out.push_str(&d.at.to_string());
            out.push_str(",\"event\":");
            out.push_str(&d.canonical);
            out.push('}');
        }
        out.push_str("]}");
        out
    }

    /// Reads a state written by [`Call::to_json`]; `invalid_state` for anything else (bad JSON,
    /// unknown version, a delivery that is not a call event of this call, a repeated delivery).
    pub fn from_json(state: &str) -> Result<Call, CallError> {
        let mut version = None;
        let mut uuid: Option<Option<String>> = None;
        let mut items = None;
        Reader::new(state, false, 512)
            .top_object(|k, v| {
                match (k.as_ref(), v) {
                    ("version", Json::Num(n)) => version = Some(n.to_owned()),
                    ("callUuid", Json::Str(s)) => uuid = Some(Some(s.into_owned())),
                    ("callUuid", Json::Null) => uuid = Some(None),
                    ("deliveries", Json::Arr(a)) => items = Some(a),
                    (name, _) => {
                        return Err(crate::ParseError::new(
                            crate::ErrorCode::InvalidJson,
                            None,
                            format!("unexpected or mistyped member '{name}'"),
                        ))
                    }
                }
                Ok(())
            })
            .map_err(|e| invalid(format!("not a call state: {}", e.message())))?;
        match version.as_deref() {
            Some(VERSION) => {}
            Some(v) => return Err(invalid(format!("unsupported call state version {v}"))),
            None => return Err(invalid("not a call state: no version")),
        }
        let uuid = uuid.ok_or_else(|| invalid("not a call state: no callUuid"))?;
        let items = items.ok_or_else(|| invalid("not a call state: no deliveries"))?;
        let mut call = Call {
            uuid: uuid.clone(),
            deliveries: Vec::with_capacity(items.len()),
        };
        for (i, item) in items.into_iter().enumerate() {
            let d = delivery(item).map_err(|m| invalid(format!("delivery {i}: {m}")))?;
            let key = call_key(&d.event).map_err(|e| invalid(format!("delivery {i}: {e}")))?;
            if uuid.as_deref() != Some(key.as_str()) {
                return Err(invalid(format!(
                    "delivery {i} belongs to call {key}, not to the state's callUuid"
                )));
            }
            call.deliveries.push(d);
        }
        if call.deliveries.is_empty() && uuid.is_some() {
            return Err(invalid("a call state with a callUuid needs deliveries"));
        }
        call.deliveries.sort_by(|a, b| a.order(b));
        if has_repeat(&call.deliveries) {
            return Err(invalid("a delivery is repeated in the call state"));
        }
        Ok(call)
    }
}

fn has_repeat(ds: &[Delivery]) -> bool {
    let mut seen: Vec<&str> = ds.iter().map(|d| d.canonical.as_str()).collect();
    seen.sort_unstable();
    seen.windows(2).any(|w| w[0] == w[1])
}

fn delivery(item: Json<'_>) -> Result<Delivery, String> {
    let Json::Obj(members) = item else {
        return Err("must be an object {\"at\", \"event\"}".into());
    };
    let mut at = None;
    let mut event = None;
    for (k, v) in members {
        match (k.as_ref(), v) {
            ("at", Json::Num(n)) => {
                at = Some(
                    n.parse::<u64>()
                        .map_err(|_| format!("at must be a whole number of ms, not {n}"))?,
                )
            }
            ("event", v @ Json::Obj(_)) => event = Some(json::compact(&v)),
            (name, _) => return Err(format!("unexpected or mistyped member '{name}'")),
        }
    }
    let at = at.ok_or("no at")?;
    let text = event.ok_or("no event")?;
    let event = crate::canonical::from_json(&text).map_err(|e| e.message().to_owned())?;
    Ok(Delivery {
        at,
        canonical: event.to_json(),
        event,
    })
}
