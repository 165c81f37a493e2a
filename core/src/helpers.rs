//! What most consumers need from an event beyond its fields: who is calling, and a key to
//! drop retried deliveries.

use crate::event::{Event, ExtraValue};
use crate::kind::Kind;

impl Event<'_> {
    /// The outside party's number as sent: `callerIdNum` on calls, `fromNumber` on inbound
    /// messages, `toNumber` on outbound messages. `None` for outbound calls and unknown events.
    pub fn caller_number(&self) -> Option<&str> {
        self.kind.caller_field().and_then(|f| self.get(f))
    }

    /// [`Event::caller_number`] in E.164 (`+15125550100`) when it is a North American number
    /// (10 digits, or 11 starting with 1, punctuation ignored) or already `+` and 8 to 15
    /// digits; `None` otherwise (anonymous, short codes, extensions).
    pub fn caller_e164(&self) -> Option<String> {
        self.caller_number().and_then(to_e164)
    }

    /// A key that is the same for every retry of one delivery and different for different
    /// events: `kind:callUuid-or-conversationId:hash`, where the hash (FNV-1a 64) covers the
    /// event type and the kind's canonical fields, not `extra` (which may carry per-attempt
    /// data), except on `unknown` events, whose every field is in `extra`. Identical in every
    /// binding.
    pub fn dedup_key(&self) -> String {
        let mut h = Fnv::new();
        h.write(self.event_type.as_bytes());
        for (_, v) in self.fields() {
            match v {
                Some(v) => {
                    h.write(&[1]);
                    h.write(&(v.len() as u64).to_le_bytes());
                    h.write(v.as_bytes());
                }
                None => h.write(&[0]),
            }
        }
        if self.kind == Kind::Unknown {
            for (name, value) in &self.extra {
                let value = match value {
                    ExtraValue::Text(t) => t.as_ref(),
                    ExtraValue::Json(j) => j.as_str(),
                };
                for part in [name.as_ref(), value] {
                    h.write(&(part.len() as u64).to_le_bytes());
                    h.write(part.as_bytes());
                }
            }
        }
        let id = self
            .kind
            .id_field()
            .and_then(|f| self.get(f))
            .unwrap_or("-");
        format!("{}:{}:{:016x}", self.kind.as_str(), id, h.0)
    }
}

struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A phone number in E.164 when it is North American or already `+` international.
pub fn to_e164(raw: &str) -> Option<String> {
    let s = raw.trim();
    let plus = s.starts_with('+');
    let mut digits = String::with_capacity(16);
    for c in s.chars().skip(usize::from(plus)) {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    let nanp = |d: &str| {
        let b = d.as_bytes();
        b.len() == 10 && (b'2'..=b'9').contains(&b[0]) && (b'2'..=b'9').contains(&b[3])
    };
    if plus {
        if let Some(national) = digits.strip_prefix('1') {
            return nanp(national).then(|| format!("+{digits}"));
        }
        let ok = (8..=15).contains(&digits.len()) && !digits.starts_with('0');
        return ok.then(|| format!("+{digits}"));
    }
    match digits.len() {
        10 if nanp(&digits) => Some(format!("+1{digits}")),
        11 if digits.strip_prefix('1').is_some_and(nanp) => Some(format!("+{digits}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::to_e164;

    #[test]
    fn e164() {
        assert_eq!(to_e164("5125550100").as_deref(), Some("+15125550100"));
        assert_eq!(to_e164("15125550100").as_deref(), Some("+15125550100"));
        assert_eq!(
            to_e164("+1 (512) 555-0100").as_deref(),
            Some("+15125550100")
        );
        assert_eq!(to_e164("+442071838750").as_deref(), Some("+442071838750"));
        assert_eq!(to_e164("anonymous"), None);
        assert_eq!(to_e164("1012"), None);
        assert_eq!(to_e164("0125550100"), None);
    }
}

#[cfg(test)]
mod dedup_tests {
    use crate::parse;

    #[test]
    fn unknown_events_with_different_fields_do_not_collide() {
        let a = parse(b"eventType=newThing&callUuid=aaa&x=1", None).unwrap();
        let b = parse(b"eventType=newThing&callUuid=bbb&x=2", None).unwrap();
        assert_ne!(a.dedup_key(), b.dedup_key());
        let again = parse(b"eventType=newThing&callUuid=aaa&x=1", None).unwrap();
        assert_eq!(a.dedup_key(), again.dedup_key());
    }
}
