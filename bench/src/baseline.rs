//! What a user would write without the SDK: serde derive into a plain flat struct, with the same
//! validation (documented event type, required fields, one canonical name per field, numeric JSON
//! ids as their decimal text, empty values absent).
//!
//! Two shapes, so that each SDK row has a like-for-like opponent: [`Borrowed`] (`Cow<str>` fields
//! borrowed from the body where no decoding was needed, like the SDK's `Event<'a>`) and [`Owned`]
//! (`String` fields, like `Event::into_owned`). The ids go through a small `Visitor` (string or
//! integer), not an untagged enum, which would buffer every value into serde's `Content` first.
//! The JSON reader is a parameter: serde_json, or sonic-rs through the same derive.

use std::borrow::Cow;
use std::fmt;

use primevox_webhooks::Field;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// Text a field can hold: `Cow<'de, str>` borrows, `String` copies.
pub trait Text<'de>: Sized + AsRef<str> {
    fn from_borrowed(s: &'de str) -> Self;
    fn from_string(s: String) -> Self;
}

impl<'de: 'a, 'a> Text<'de> for Cow<'a, str> {
    fn from_borrowed(s: &'de str) -> Self {
        Cow::Borrowed(s)
    }
    fn from_string(s: String) -> Self {
        Cow::Owned(s)
    }
}

impl<'de> Text<'de> for String {
    fn from_borrowed(s: &'de str) -> Self {
        s.to_owned()
    }
    fn from_string(s: String) -> Self {
        s
    }
}

/// A string field (`NUMBERS = false`) or an id sent as a JSON string or a JSON integer
/// (`NUMBERS = true`): borrowed when the reader could lend it, else the decoded copy.
struct TextVisitor<T, const NUMBERS: bool>(std::marker::PhantomData<T>);

impl<'de, T: Text<'de>, const NUMBERS: bool> Visitor<'de> for TextVisitor<T, NUMBERS> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(if NUMBERS {
            "a string or an integer id"
        } else {
            "a string"
        })
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(T::from_borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(T::from_string(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(T::from_string(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        if NUMBERS {
            Ok(Some(T::from_string(v.to_string())))
        } else {
            Err(E::invalid_type(de::Unexpected::Unsigned(v), &self))
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        if NUMBERS {
            Ok(Some(T::from_string(v.to_string())))
        } else {
            Err(E::invalid_type(de::Unexpected::Signed(v), &self))
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

fn id<'de, D: Deserializer<'de>, T: Text<'de>>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(TextVisitor::<T, true>(std::marker::PhantomData))
}

/// (Serde's `borrow` attribute borrows a `Cow<str>` field but not an `Option<Cow<str>>`: hence a
/// visitor for every optional field.)
fn text<'de, D: Deserializer<'de>, T: Text<'de>>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(TextVisitor::<T, false>(std::marker::PhantomData))
}

macro_rules! wire {
    ($name:ident, $lt:lifetime, $t:ty, [$($borrow:tt)*]) => {
        /// The flat wire struct. Field names are the documented spellings, with the wire aliases.
        #[derive(Deserialize, Default)]
        pub struct $name<$lt> {
            #[serde(rename = "eventType" $($borrow)*)]
            event_type: $t,
            #[serde(rename = "eventTarget", default, deserialize_with = "text")]
            event_target: Option<$t>,
            #[serde(rename = "containerId", alias = "containerID", default, deserialize_with = "id")]
            container_id: Option<$t>,
            #[serde(rename = "tenantId", alias = "tenantID", default, deserialize_with = "id")]
            tenant_id: Option<$t>,
            #[serde(rename = "conversationId", alias = "conversationID", default, deserialize_with = "id")]
            conversation_id: Option<$t>,
            #[serde(rename = "toNumber", default, deserialize_with = "text")]
            to_number: Option<$t>,
            #[serde(rename = "fromNumber", default, deserialize_with = "text")]
            from_number: Option<$t>,
            #[serde(rename = "messageText", default, deserialize_with = "text")]
            message_text: Option<$t>,
            #[serde(rename = "didNumber", default, deserialize_with = "text")]
            did_number: Option<$t>,
            #[serde(rename = "didDescription", default, deserialize_with = "text")]
            did_description: Option<$t>,
            #[serde(rename = "didGroup", default, deserialize_with = "text")]
            did_group: Option<$t>,
            #[serde(rename = "cidPrefix", default, deserialize_with = "text")]
            cid_prefix: Option<$t>,
            #[serde(rename = "callUuid", default, deserialize_with = "text")]
            call_uuid: Option<$t>,
            #[serde(rename = "callerIdNum", default, deserialize_with = "text")]
            caller_id_num: Option<$t>,
            #[serde(rename = "callerIdName", default, deserialize_with = "text")]
            caller_id_name: Option<$t>,
            #[serde(rename = "extensionNumber", alias = "extNumber", default, deserialize_with = "text")]
            extension_number: Option<$t>,
            #[serde(rename = "extensionName", alias = "extName", default, deserialize_with = "text")]
            extension_name: Option<$t>,
            #[serde(rename = "numberDialed", default, deserialize_with = "text")]
            number_dialed: Option<$t>,
            #[serde(rename = "ringGroupNumber", alias = "rgNumber", default, deserialize_with = "text")]
            ring_group_number: Option<$t>,
            #[serde(rename = "queueNumber", default, deserialize_with = "text")]
            queue_number: Option<$t>,
            #[serde(skip)]
            kind: &'static str,
            #[serde(skip)]
            _body: std::marker::PhantomData<&$lt ()>,
        }

        impl<$lt> $name<$lt> {
            /// Empty values made absent, the kind from `eventType` (+ `eventTarget`), the
            /// required fields checked.
            fn validate(mut self) -> Result<Self, String> {
                for f in [
                    &mut self.container_id,
                    &mut self.tenant_id,
                    &mut self.conversation_id,
                    &mut self.to_number,
                    &mut self.from_number,
                    &mut self.message_text,
                    &mut self.did_number,
                    &mut self.did_description,
                    &mut self.did_group,
                    &mut self.cid_prefix,
                    &mut self.call_uuid,
                    &mut self.caller_id_num,
                    &mut self.caller_id_name,
                    &mut self.extension_number,
                    &mut self.extension_name,
                    &mut self.number_dialed,
                    &mut self.ring_group_number,
                    &mut self.queue_number,
                ] {
                    if f.as_ref().is_some_and(|v| AsRef::<str>::as_ref(v).is_empty()) {
                        *f = None;
                    }
                }
                let target = self.event_target.as_ref().map(|t| t.as_ref());
                self.kind = kind(self.event_type.as_ref(), target)?;
                let missing = |f: &Option<$t>, name: &str| {
                    if f.is_none() { Err(format!("missing {name}")) } else { Ok(()) }
                };
                missing(&self.container_id, "containerId")?;
                missing(&self.tenant_id, "tenantId")?;
                if self.kind.starts_with("message") {
                    missing(&self.to_number, "toNumber")?;
                    missing(&self.from_number, "fromNumber")?;
                } else {
                    missing(&self.call_uuid, "callUuid")?;
                }
                Ok(self)
            }

            /// The kind string (`Kind::as_str`).
            pub fn kind(&self) -> &'static str {
                self.kind
            }

            /// A canonical field's value, for the agreement check and the "read every field" rows.
            pub fn get(&self, f: Field) -> Option<&str> {
                let v = match f {
                    Field::ContainerId => &self.container_id,
                    Field::TenantId => &self.tenant_id,
                    Field::ConversationId => &self.conversation_id,
                    Field::ToNumber => &self.to_number,
                    Field::FromNumber => &self.from_number,
                    Field::MessageText => &self.message_text,
                    Field::DidNumber => &self.did_number,
                    Field::DidDescription => &self.did_description,
                    Field::DidGroup => &self.did_group,
                    Field::CidPrefix => &self.cid_prefix,
                    Field::CallUuid => &self.call_uuid,
                    Field::CallerIdNum => &self.caller_id_num,
                    Field::CallerIdName => &self.caller_id_name,
                    Field::ExtensionNumber => &self.extension_number,
                    Field::ExtensionName => &self.extension_name,
                    Field::NumberDialed => &self.number_dialed,
                    Field::RingGroupNumber => &self.ring_group_number,
                    Field::QueueNumber => &self.queue_number,
                    #[allow(unreachable_patterns)]
                    _ => return None,
                };
                v.as_ref().map(|s| AsRef::<str>::as_ref(s))
            }

            /// Every field read, as the SDK rows do: the summed lengths.
            pub fn read_all(&self) -> usize {
                let mut n = AsRef::<str>::as_ref(&self.event_type).len() + self.kind.len();
                for v in [
                    &self.container_id,
                    &self.tenant_id,
                    &self.conversation_id,
                    &self.to_number,
                    &self.from_number,
                    &self.message_text,
                    &self.did_number,
                    &self.did_description,
                    &self.did_group,
                    &self.cid_prefix,
                    &self.call_uuid,
                    &self.caller_id_num,
                    &self.caller_id_name,
                    &self.extension_number,
                    &self.extension_name,
                    &self.number_dialed,
                    &self.ring_group_number,
                    &self.queue_number,
                ] {
                    n += v.as_ref().map_or(0, |s| AsRef::<str>::as_ref(s).len());
                }
                n
            }
        }
    };
}

wire!(Borrowed, 'a, Cow<'a, str>, [, borrow]);
wire!(Owned, 'a, String, []);

fn kind(event_type: &str, target: Option<&str>) -> Result<&'static str, String> {
    Ok(match (event_type, target) {
        ("inboundMessage", _) => "message.inbound",
        ("outboundMessage", _) => "message.outbound",
        ("InboundCall", _) => "call.inbound",
        ("HangupCall", _) => "call.hangup",
        ("ringAttempt", Some("ringGroup")) => "ring_group.entered",
        ("ringAttempt", _) => "extension.ringing",
        ("ExtensionAnswered", _) => "extension.answered",
        ("inboundCallCompleted", _) => "extension.hangup",
        ("voicemailHangup", _) => "voicemail.left",
        ("outboundCall", _) => "call.outbound",
        ("queueEntered", _) => "queue.entered",
        (other, _) => return Err(format!("unknown event type {other}")),
    })
}

/// Which JSON reader the baseline uses (form bodies always go through serde_urlencoded).
#[derive(Clone, Copy)]
pub enum JsonLib {
    SerdeJson,
    Sonic,
}

fn is_json(p: &crate::corpus::Payload) -> bool {
    p.content_type.unwrap_or("").starts_with("application/json")
}

pub fn borrowed(p: &crate::corpus::Payload, lib: JsonLib) -> Result<Borrowed<'_>, String> {
    let w: Borrowed<'_> = if is_json(p) {
        match lib {
            JsonLib::SerdeJson => serde_json::from_str(&p.body).map_err(|e| e.to_string())?,
            JsonLib::Sonic => sonic_rs::from_str(&p.body).map_err(|e| e.to_string())?,
        }
    } else {
        serde_urlencoded::from_str(&p.body).map_err(|e| e.to_string())?
    };
    w.validate()
}

pub fn owned(p: &crate::corpus::Payload, lib: JsonLib) -> Result<Owned<'static>, String> {
    let w: Owned<'static> = if is_json(p) {
        match lib {
            JsonLib::SerdeJson => serde_json::from_str(&p.body).map_err(|e| e.to_string())?,
            JsonLib::Sonic => sonic_rs::from_str(&p.body).map_err(|e| e.to_string())?,
        }
    } else {
        serde_urlencoded::from_str(&p.body).map_err(|e| e.to_string())?
    };
    w.validate()
}
