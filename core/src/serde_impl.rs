//! serde support (feature `serde`): an [`Event`] serializes to exactly its canonical JSON
//! ([`Event::to_json`]) and deserializes, owned, exactly as [`crate::from_json`] reads it; the
//! call record ([`CallSummary`]) serializes to exactly [`CallSummary::to_json`], and a [`Call`]
//! to and from its state JSON ([`Call::to_json`], [`Call::from_json`]).
//!
//! Both directions go through the core's own canonical code rather than a second description of
//! the shape: `Deserialize` captures the input as JSON text and hands it to `from_json`, so the
//! two can never disagree (same errors, same leniency, numbers in `extra` kept digit for digit).
//!
//! With serde_json, the non-string values of `extra` pass through as raw JSON text (serde_json's
//! `RawValue`), so that `serde_json::to_string(&event) == event.to_json()` byte for byte, even for
//! numbers such as `1.50` or `1180591620717411303424` that no `f64`/`u64` holds. Other formats
//! receive those values as a tree: integers as `i64`/`u64`, other numbers as `f64`.

use std::fmt::{self, Write as _};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Error as _, SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::calls::{Call, CallSummary};
use crate::event::{Event, ExtraValue};
use crate::json::{write_str, Json, Reader};

/// serde_json's private name for a raw JSON value (stable since serde_json 1.0.29 and relied on
/// by its own `RawValue`): serde_json hands the raw text through, other formats ignore the name.
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// Whether `T` is one of serde_json's serializers (they understand `RawValue`; the feature
/// `raw_value` is switched on by this crate's `serde` feature).
fn is_serde_json<T: ?Sized>() -> bool {
    std::any::type_name::<T>().contains("serde_json::")
}

impl Serialize for Event<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.kind.fields().len() + 3))?;
        map.serialize_entry("kind", self.kind.as_str())?;
        map.serialize_entry("eventType", self.event_type())?;
        for (field, value) in self.fields() {
            map.serialize_entry(field.camel_name(), &value)?;
        }
        map.serialize_entry("extra", &Extras(self.extra()))?;
        map.end()
    }
}

struct Extras<'e, 'a>(&'e [crate::event::ExtraField<'a>]);

impl Serialize for Extras<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for (name, value) in self.0 {
            match value {
                ExtraValue::Text(t) => seq.serialize_element(&(name.as_ref(), t.as_ref()))?,
                ExtraValue::Json(j) => seq.serialize_element(&(name.as_ref(), JsonText(j)))?,
            }
        }
        seq.end()
    }
}

impl Serialize for CallSummary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The core writes the record once (to_json); serde gets that shape, never a second copy.
        JsonText(&self.to_json()).serialize(serializer)
    }
}

impl Serialize for Call {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        JsonText(&self.to_json()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Call {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut text = String::with_capacity(512);
        Capture(&mut text).deserialize(deserializer)?;
        Call::from_json(&text).map_err(|e| de::Error::custom(e.message()))
    }
}

/// Compact JSON text written by the core (an `extra` value, a call record): passed through raw
/// to serde_json, rebuilt as a tree for other formats.
struct JsonText<'j>(&'j str);

impl Serialize for JsonText<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if is_serde_json::<S>() {
            let raw = serde_json::value::RawValue::from_string(self.0.to_owned())
                .map_err(S::Error::custom)?;
            return raw.serialize(serializer);
        }
        let tree = Reader::new(self.0, false, usize::MAX)
            .value(1)
            .map_err(|e| S::Error::custom(e.message()))?;
        Tree(&tree).serialize(serializer)
    }
}

struct Tree<'t, 'a>(&'t Json<'a>);

impl Serialize for Tree<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Json::Str(s) => serializer.serialize_str(s),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Null => serializer.serialize_unit(),
            Json::Num(n) => {
                if let Ok(i) = n.parse::<i64>() {
                    serializer.serialize_i64(i)
                } else if let Ok(u) = n.parse::<u64>() {
                    serializer.serialize_u64(u)
                } else {
                    let f: f64 = n.parse().map_err(S::Error::custom)?;
                    serializer.serialize_f64(f)
                }
            }
            Json::Arr(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Tree(item))?;
                }
                seq.end()
            }
            Json::Obj(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k.as_ref(), &Tree(v))?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Event<'static> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut text = String::with_capacity(256);
        Capture(&mut text).deserialize(deserializer)?;
        crate::canonical::from_json(&text).map_err(|e| de::Error::custom(e.message()))
    }
}

/// Writes whatever value the deserializer holds as JSON text: verbatim when the deserializer is
/// serde_json (it answers the raw-value request), rebuilt from serde's data model otherwise.
struct Capture<'o>(&'o mut String);

impl<'de> DeserializeSeed<'de> for Capture<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_newtype_struct(RAW_TOKEN, self)
    }
}

impl<'de> Visitor<'de> for Capture<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        let _ = write!(self.0, "{v}");
        Ok(())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        let _ = write!(self.0, "{v}");
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        let _ = write!(self.0, "{v}");
        Ok(())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        let _ = write!(self.0, "{v}");
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        if !v.is_finite() {
            return Err(E::custom("a number in an event must be finite"));
        }
        let _ = write!(self.0, "{v}");
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        write_str(self.0, v);
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.push_str("null");
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        Capture(self.0).deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.push('[');
        let mut first = true;
        loop {
            let at = self.0.len();
            if !first {
                self.0.push(',');
            }
            if seq.next_element_seed(Capture(self.0))?.is_none() {
                self.0.truncate(at);
                break;
            }
            first = false;
        }
        self.0.push(']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            self.0.push_str("{}");
            return Ok(());
        };
        if key == RAW_TOKEN {
            // serde_json answering the raw-value request: the value is the JSON text itself.
            self.0.push_str(&map.next_value::<String>()?);
            return Ok(());
        }
        self.0.push('{');
        write_str(self.0, &key);
        self.0.push(':');
        map.next_value_seed(Capture(self.0))?;
        while let Some(key) = map.next_key::<String>()? {
            self.0.push(',');
            write_str(self.0, &key);
            self.0.push(':');
            map.next_value_seed(Capture(self.0))?;
        }
        self.0.push('}');
        Ok(())
    }
}
