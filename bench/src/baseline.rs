//! What a user would write without the SDK: serde derive into a plain struct, with the same
//! validation (documented event type, required fields, one canonical name per field).

use serde::Deserialize;

#[derive(Deserialize, Default)]
struct Wire {
    #[serde(rename = "eventType")]
    event_type: String,
    #[serde(rename = "eventTarget")]
    event_target: Option<String>,
    #[serde(
        rename = "containerId",
        alias = "containerID",
        default,
        deserialize_with = "id"
    )]
    container_id: Option<String>,
    #[serde(
        rename = "tenantId",
        alias = "tenantID",
        default,
        deserialize_with = "id"
    )]
    tenant_id: Option<String>,
    #[serde(
        rename = "conversationId",
        alias = "conversationID",
        default,
        deserialize_with = "id"
    )]
    conversation_id: Option<String>,
    #[serde(rename = "toNumber")]
    to_number: Option<String>,
    #[serde(rename = "fromNumber")]
    from_number: Option<String>,
    #[serde(rename = "messageText")]
    message_text: Option<String>,
    #[serde(rename = "didNumber")]
    did_number: Option<String>,
    #[serde(rename = "didDescription")]
    did_description: Option<String>,
    #[serde(rename = "didGroup")]
    did_group: Option<String>,
    #[serde(rename = "cidPrefix")]
    cid_prefix: Option<String>,
    #[serde(rename = "callUuid")]
    call_uuid: Option<String>,
    #[serde(rename = "callerIdNum")]
    caller_id_num: Option<String>,
    #[serde(rename = "callerIdName")]
    caller_id_name: Option<String>,
    #[serde(rename = "extensionNumber", alias = "extNumber")]
    extension_number: Option<String>,
    #[serde(rename = "extensionName", alias = "extName")]
    extension_name: Option<String>,
    #[serde(rename = "numberDialed")]
    number_dialed: Option<String>,
    #[serde(rename = "ringGroupNumber", alias = "rgNumber")]
    ring_group_number: Option<String>,
    #[serde(rename = "queueNumber")]
    queue_number: Option<String>,
}

fn id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        S(String),
        N(u64),
    }
    Ok(Option::<Id>::deserialize(d)?.map(|v| match v {
        Id::S(s) => s,
        Id::N(n) => n.to_string(),
    }))
}

/// The baseline's event: a kind and the wire struct with empty strings made absent.
#[allow(dead_code)] // the fields are the result a user would consume
pub struct Baseline {
    pub kind: &'static str,
    fields: Wire,
}

pub fn parse(p: &crate::corpus::Payload) -> Result<Baseline, String> {
    let ct = p.content_type.unwrap_or("");
    let mut w: Wire = if ct.starts_with("application/json") {
        serde_json::from_str(&p.body).map_err(|e| e.to_string())?
    } else {
        serde_urlencoded::from_str(&p.body).map_err(|e| e.to_string())?
    };
    for f in [
        &mut w.container_id,
        &mut w.tenant_id,
        &mut w.conversation_id,
        &mut w.to_number,
        &mut w.from_number,
        &mut w.message_text,
        &mut w.did_number,
        &mut w.did_description,
        &mut w.did_group,
        &mut w.cid_prefix,
        &mut w.call_uuid,
        &mut w.caller_id_num,
        &mut w.caller_id_name,
        &mut w.extension_number,
        &mut w.extension_name,
        &mut w.number_dialed,
        &mut w.ring_group_number,
        &mut w.queue_number,
    ] {
        if f.as_deref() == Some("") {
            *f = None;
        }
    }
    let kind = match (w.event_type.as_str(), w.event_target.as_deref()) {
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
    };
    let missing = |f: &Option<String>, name: &str| {
        if f.is_none() {
            Err(format!("missing {name}"))
        } else {
            Ok(())
        }
    };
    missing(&w.container_id, "containerId")?;
    missing(&w.tenant_id, "tenantId")?;
    if kind.starts_with("message") {
        missing(&w.to_number, "toNumber")?;
        missing(&w.from_number, "fromNumber")?;
    } else {
        missing(&w.call_uuid, "callUuid")?;
    }
    Ok(Baseline { kind, fields: w })
}
