//! Every event kind and canonical field, and the vendor's wire names for them.
//!
//! This file is the single table the whole SDK is generated from: the parser, the canonical
//! JSON, the wire encoder, the JSON Schema and the TypeScript types all read it.

/// The canonical fields. Values are always strings.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Field {
    /// Wire: `containerID` (messages) or `containerId` (calls).
    ContainerId,
    /// Wire: `tenantID` (messages) or `tenantId` (calls).
    TenantId,
    /// Wire: `conversationID`.
    ConversationId,
    /// The number a message was sent to.
    ToNumber,
    /// The number a message was sent from.
    FromNumber,
    /// The message body.
    MessageText,
    /// The dialled phone number (DID) a call came in on.
    DidNumber,
    /// The description the customer gave that DID.
    DidDescription,
    /// The group the DID belongs to.
    DidGroup,
    /// The caller-id prefix configured on the DID.
    CidPrefix,
    /// The call's id.
    CallUuid,
    /// The caller's number.
    CallerIdNum,
    /// The caller's name.
    CallerIdName,
    /// Wire: `extNumber` or `extensionNumber`.
    ExtensionNumber,
    /// Wire: `extName` or `extensionName`.
    ExtensionName,
    /// The number an extension dialled out to.
    NumberDialed,
    /// Wire: `rgNumber`.
    RingGroupNumber,
    /// The queue's extension.
    QueueNumber,
}

impl Field {
    /// How many fields there are.
    pub const COUNT: usize = 18;

    /// Every field, in canonical order.
    pub const ALL: [Field; Field::COUNT] = [
        Field::ContainerId,
        Field::TenantId,
        Field::ConversationId,
        Field::ToNumber,
        Field::FromNumber,
        Field::MessageText,
        Field::DidNumber,
        Field::DidDescription,
        Field::DidGroup,
        Field::CidPrefix,
        Field::CallUuid,
        Field::CallerIdNum,
        Field::CallerIdName,
        Field::ExtensionNumber,
        Field::ExtensionName,
        Field::NumberDialed,
        Field::RingGroupNumber,
        Field::QueueNumber,
    ];

    /// Position in [`Field::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The canonical camelCase name (JSON, JavaScript).
    pub fn camel_name(self) -> &'static str {
        match self {
            Field::ContainerId => "containerId",
            Field::TenantId => "tenantId",
            Field::ConversationId => "conversationId",
            Field::ToNumber => "toNumber",
            Field::FromNumber => "fromNumber",
            Field::MessageText => "messageText",
            Field::DidNumber => "didNumber",
            Field::DidDescription => "didDescription",
            Field::DidGroup => "didGroup",
            Field::CidPrefix => "cidPrefix",
            Field::CallUuid => "callUuid",
            Field::CallerIdNum => "callerIdNum",
            Field::CallerIdName => "callerIdName",
            Field::ExtensionNumber => "extensionNumber",
            Field::ExtensionName => "extensionName",
            Field::NumberDialed => "numberDialed",
            Field::RingGroupNumber => "ringGroupNumber",
            Field::QueueNumber => "queueNumber",
        }
    }

    /// The canonical snake_case name (Rust, Python).
    pub fn snake_name(self) -> &'static str {
        match self {
            Field::ContainerId => "container_id",
            Field::TenantId => "tenant_id",
            Field::ConversationId => "conversation_id",
            Field::ToNumber => "to_number",
            Field::FromNumber => "from_number",
            Field::MessageText => "message_text",
            Field::DidNumber => "did_number",
            Field::DidDescription => "did_description",
            Field::DidGroup => "did_group",
            Field::CidPrefix => "cid_prefix",
            Field::CallUuid => "call_uuid",
            Field::CallerIdNum => "caller_id_num",
            Field::CallerIdName => "caller_id_name",
            Field::ExtensionNumber => "extension_number",
            Field::ExtensionName => "extension_name",
            Field::NumberDialed => "number_dialed",
            Field::RingGroupNumber => "ring_group_number",
            Field::QueueNumber => "queue_number",
        }
    }

    /// The field for a canonical camelCase name.
    pub fn from_camel_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.camel_name() == name)
    }

    /// Phone-number fields, where a leading space before digits was an unencoded `+`.
    pub fn is_phone_number(self) -> bool {
        matches!(
            self,
            Field::ToNumber
                | Field::FromNumber
                | Field::DidNumber
                | Field::CallerIdNum
                | Field::NumberDialed
        )
    }

    /// Every wire spelling this field is documented or known under.
    pub fn wire_names(self) -> &'static [&'static str] {
        match self {
            Field::ContainerId => &["containerId", "containerID"],
            Field::TenantId => &["tenantId", "tenantID"],
            Field::ConversationId => &["conversationId", "conversationID"],
            Field::ExtensionNumber => &["extensionNumber", "extNumber"],
            Field::ExtensionName => &["extensionName", "extName"],
            Field::RingGroupNumber => &["ringGroupNumber", "rgNumber"],
            other => std::slice::from_ref(&WIRE_SELF[other.index()]),
        }
    }

    /// The wire field for a key: exact spelling in strict mode, ASCII-case-insensitive otherwise.
    pub fn from_wire_name(key: &str, case_insensitive: bool) -> Option<Field> {
        // On the hot path for every member of every body: one decision on length and first
        // letter leaves at most one spelling to compare.
        let k = key.as_bytes();
        let first = k.first()?.to_ascii_lowercase();
        let (name, f) = match (k.len(), first) {
            (7, b'e') => ("extName", Field::ExtensionName),
            (8, b't') if k.get(1).is_some_and(|c| c.eq_ignore_ascii_case(&b'e')) => {
                ("tenantId", Field::TenantId)
            }
            (8, b't') => ("toNumber", Field::ToNumber),
            (8, b'd') => ("didGroup", Field::DidGroup),
            (8, b'c') => ("callUuid", Field::CallUuid),
            (8, b'r') => ("rgNumber", Field::RingGroupNumber),
            (9, b'd') => ("didNumber", Field::DidNumber),
            (9, b'c') => ("cidPrefix", Field::CidPrefix),
            (9, b'e') => ("extNumber", Field::ExtensionNumber),
            (10, b'f') => ("fromNumber", Field::FromNumber),
            (11, b'c') if k[4].eq_ignore_ascii_case(&b'a') => ("containerId", Field::ContainerId),
            (11, b'c') => ("callerIdNum", Field::CallerIdNum),
            (11, b'm') => ("messageText", Field::MessageText),
            (11, b'q') => ("queueNumber", Field::QueueNumber),
            (12, b'c') => ("callerIdName", Field::CallerIdName),
            (12, b'n') => ("numberDialed", Field::NumberDialed),
            (13, b'e') => ("extensionName", Field::ExtensionName),
            (14, b'c') => ("conversationId", Field::ConversationId),
            (14, b'd') => ("didDescription", Field::DidDescription),
            (15, b'e') => ("extensionNumber", Field::ExtensionNumber),
            (15, b'r') => ("ringGroupNumber", Field::RingGroupNumber),
            _ => return None,
        };
        // Every spelling is letters only, for which folding bit 0x20 is exact case-folding.
        if !k
            .iter()
            .zip(name.as_bytes())
            .all(|(&c, &n)| c | 0x20 == n | 0x20)
        {
            return None;
        }
        if case_insensitive || f.wire_names().contains(&key) {
            Some(f)
        } else {
            None
        }
    }
}

// Fields whose wire name is their canonical name, indexed like Field::ALL.
const WIRE_SELF: [&str; Field::COUNT] = [
    "containerId",
    "tenantId",
    "conversationId",
    "toNumber",
    "fromNumber",
    "messageText",
    "didNumber",
    "didDescription",
    "didGroup",
    "cidPrefix",
    "callUuid",
    "callerIdNum",
    "callerIdName",
    "extensionNumber",
    "extensionName",
    "numberDialed",
    "ringGroupNumber",
    "queueNumber",
];

/// What kind of event a webhook is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Kind {
    /// `inboundMessage`: a text arrived from an outside number.
    InboundMessage,
    /// `outboundMessage`: a PrimeVOX user sent a text.
    OutboundMessage,
    /// `InboundCall`: a call came in, before anything happened to it.
    InboundCall,
    /// `HangupCall`: a call ended, however it went.
    CallHangup,
    /// `ringAttempt` with `eventTarget=extension`: an extension is ringing.
    ExtensionRinging,
    /// `ExtensionAnswered`: an extension answered.
    ExtensionAnswered,
    /// `inboundCallCompleted`: an extension hung up.
    ExtensionHangup,
    /// `voicemailHangup`: a caller left a voicemail.
    VoicemailLeft,
    /// `outboundCall`: an extension placed a call.
    OutboundCall,
    /// `ringAttempt` with `eventTarget=ringGroup`: a caller entered a ring group.
    RingGroupEntered,
    /// `queueEntered`: a caller entered a queue.
    QueueEntered,
    /// Any other `eventType` (lenient mode only); every field is kept in `extra`.
    Unknown,
}

use Field as F;

const MESSAGE_FIELDS: &[Field] = &[
    F::ContainerId,
    F::TenantId,
    F::ConversationId,
    F::ToNumber,
    F::FromNumber,
    F::MessageText,
];
const INBOUND_CALL_FIELDS: &[Field] = &[
    F::ContainerId,
    F::TenantId,
    F::DidNumber,
    F::DidDescription,
    F::DidGroup,
    F::CidPrefix,
    F::CallUuid,
    F::CallerIdNum,
    F::CallerIdName,
];
const EXTENSION_CALL_FIELDS: &[Field] = &[
    F::ContainerId,
    F::TenantId,
    F::CallUuid,
    F::CallerIdNum,
    F::CallerIdName,
    F::ExtensionNumber,
    F::ExtensionName,
];
const RINGING_FIELDS: &[Field] = &[
    F::ContainerId,
    F::TenantId,
    F::CallUuid,
    F::CallerIdNum,
    F::ExtensionNumber,
    F::ExtensionName,
];
const OUTBOUND_CALL_FIELDS: &[Field] = &[
    F::ContainerId,
    F::TenantId,
    F::CallUuid,
    F::ExtensionNumber,
    F::ExtensionName,
    F::NumberDialed,
];
const RING_GROUP_FIELDS: &[Field] = &[
    F::ContainerId,
    F::TenantId,
    F::CallUuid,
    F::CallerIdNum,
    F::RingGroupNumber,
];
const QUEUE_FIELDS: &[Field] = &[
    F::ContainerId,
    F::TenantId,
    F::CallUuid,
    F::CallerIdNum,
    F::QueueNumber,
];

// The vendor's documented field order and spelling per event, used when encoding back to the wire.
const W_MESSAGE: &[(&str, Field)] = &[
    ("toNumber", F::ToNumber),
    ("fromNumber", F::FromNumber),
    ("containerID", F::ContainerId),
    ("tenantID", F::TenantId),
    ("conversationID", F::ConversationId),
    ("messageText", F::MessageText),
];
const W_INBOUND_CALL: &[(&str, Field)] = &[
    ("containerId", F::ContainerId),
    ("tenantId", F::TenantId),
    ("didNumber", F::DidNumber),
    ("didDescription", F::DidDescription),
    ("didGroup", F::DidGroup),
    ("cidPrefix", F::CidPrefix),
    ("callUuid", F::CallUuid),
    ("callerIdNum", F::CallerIdNum),
    ("callerIdName", F::CallerIdName),
];
const W_HANGUP: &[(&str, Field)] = &[
    ("containerId", F::ContainerId),
    ("tenantId", F::TenantId),
    ("extNumber", F::ExtensionNumber),
    ("extName", F::ExtensionName),
    ("callUuid", F::CallUuid),
    ("callerIdName", F::CallerIdName),
    ("callerIdNum", F::CallerIdNum),
];
const W_RINGING: &[(&str, Field)] = &[
    ("containerId", F::ContainerId),
    ("tenantId", F::TenantId),
    ("extNumber", F::ExtensionNumber),
    ("extName", F::ExtensionName),
    ("callUuid", F::CallUuid),
    ("callerIdNum", F::CallerIdNum),
];
const W_ANSWERED: &[(&str, Field)] = &[
    ("containerId", F::ContainerId),
    ("tenantId", F::TenantId),
    ("callUuid", F::CallUuid),
    ("callerIdNum", F::CallerIdNum),
    ("callerIdName", F::CallerIdName),
    ("extensionNumber", F::ExtensionNumber),
    ("extensionName", F::ExtensionName),
];
const W_OUTBOUND_CALL: &[(&str, Field)] = &[
    ("containerId", F::ContainerId),
    ("tenantId", F::TenantId),
    ("extNumber", F::ExtensionNumber),
    ("extName", F::ExtensionName),
    ("callUuid", F::CallUuid),
    ("numberDialed", F::NumberDialed),
];
const W_RING_GROUP: &[(&str, Field)] = &[
    ("containerId", F::ContainerId),
    ("tenantId", F::TenantId),
    ("rgNumber", F::RingGroupNumber),
    ("callUuid", F::CallUuid),
    ("callerIdNum", F::CallerIdNum),
];
const W_QUEUE: &[(&str, Field)] = &[
    ("containerId", F::ContainerId),
    ("tenantId", F::TenantId),
    ("queueNumber", F::QueueNumber),
    ("callUuid", F::CallUuid),
    ("callerIdNum", F::CallerIdNum),
];

impl Kind {
    /// Every kind, `Unknown` last.
    pub const ALL: [Kind; 12] = [
        Kind::InboundMessage,
        Kind::OutboundMessage,
        Kind::InboundCall,
        Kind::CallHangup,
        Kind::ExtensionRinging,
        Kind::ExtensionAnswered,
        Kind::ExtensionHangup,
        Kind::VoicemailLeft,
        Kind::OutboundCall,
        Kind::RingGroupEntered,
        Kind::QueueEntered,
        Kind::Unknown,
    ];

    /// The stable kind string, e.g. `"call.inbound"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::InboundMessage => "message.inbound",
            Kind::OutboundMessage => "message.outbound",
            Kind::InboundCall => "call.inbound",
            Kind::CallHangup => "call.hangup",
            Kind::ExtensionRinging => "extension.ringing",
            Kind::ExtensionAnswered => "extension.answered",
            Kind::ExtensionHangup => "extension.hangup",
            Kind::VoicemailLeft => "voicemail.left",
            Kind::OutboundCall => "call.outbound",
            Kind::RingGroupEntered => "ring_group.entered",
            Kind::QueueEntered => "queue.entered",
            Kind::Unknown => "unknown",
        }
    }

    /// The kind for a string produced by [`Kind::as_str`].
    pub fn from_kind_str(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The class/interface name bindings use for this kind.
    pub fn class_name(self) -> &'static str {
        match self {
            Kind::InboundMessage => "InboundMessage",
            Kind::OutboundMessage => "OutboundMessage",
            Kind::InboundCall => "InboundCall",
            Kind::CallHangup => "CallHangup",
            Kind::ExtensionRinging => "ExtensionRinging",
            Kind::ExtensionAnswered => "ExtensionAnswered",
            Kind::ExtensionHangup => "ExtensionHangup",
            Kind::VoicemailLeft => "VoicemailLeft",
            Kind::OutboundCall => "OutboundCall",
            Kind::RingGroupEntered => "RingGroupEntered",
            Kind::QueueEntered => "QueueEntered",
            Kind::Unknown => "UnknownEvent",
        }
    }

    /// The documented wire `eventType`, or `None` for `Unknown`.
    pub fn wire_event_type(self) -> Option<&'static str> {
        Some(match self {
            Kind::InboundMessage => "inboundMessage",
            Kind::OutboundMessage => "outboundMessage",
            Kind::InboundCall => "InboundCall",
            Kind::CallHangup => "HangupCall",
            Kind::ExtensionRinging | Kind::RingGroupEntered => "ringAttempt",
            Kind::ExtensionAnswered => "ExtensionAnswered",
            Kind::ExtensionHangup => "inboundCallCompleted",
            Kind::VoicemailLeft => "voicemailHangup",
            Kind::OutboundCall => "outboundCall",
            Kind::QueueEntered => "queueEntered",
            Kind::Unknown => return None,
        })
    }

    /// The documented `eventTarget` of this kind, if its payload has one.
    pub fn wire_event_target(self) -> Option<&'static str> {
        match self {
            Kind::InboundCall => Some("phoneNumber"),
            Kind::ExtensionRinging => Some("extension"),
            Kind::RingGroupEntered => Some("ringGroup"),
            Kind::QueueEntered => Some("queue"),
            _ => None,
        }
    }

    /// The kind's fields in canonical order (empty for `Unknown`).
    pub fn fields(self) -> &'static [Field] {
        match self {
            Kind::InboundMessage | Kind::OutboundMessage => MESSAGE_FIELDS,
            Kind::InboundCall => INBOUND_CALL_FIELDS,
            Kind::CallHangup
            | Kind::ExtensionAnswered
            | Kind::ExtensionHangup
            | Kind::VoicemailLeft => EXTENSION_CALL_FIELDS,
            Kind::ExtensionRinging => RINGING_FIELDS,
            Kind::OutboundCall => OUTBOUND_CALL_FIELDS,
            Kind::RingGroupEntered => RING_GROUP_FIELDS,
            Kind::QueueEntered => QUEUE_FIELDS,
            Kind::Unknown => &[],
        }
    }

    /// Whether the kind has this field at all.
    pub fn has_field(self, f: Field) -> bool {
        self.field_mask() & (1 << f.index()) != 0
    }

    /// The most fields any kind has.
    pub const MAX_FIELDS: usize = 9;

    /// Where `f` sits in [`Kind::fields`], if the kind has it.
    pub fn slot(self, f: Field) -> Option<usize> {
        const fn slots(fields: &[Field]) -> [u8; Field::COUNT] {
            let mut t = [u8::MAX; Field::COUNT];
            let mut i = 0;
            while i < fields.len() {
                t[fields[i] as usize] = i as u8;
                i += 1;
            }
            t
        }
        const SLOTS: [[u8; Field::COUNT]; 12] = [
            slots(MESSAGE_FIELDS),
            slots(MESSAGE_FIELDS),
            slots(INBOUND_CALL_FIELDS),
            slots(EXTENSION_CALL_FIELDS),
            slots(RINGING_FIELDS),
            slots(EXTENSION_CALL_FIELDS),
            slots(EXTENSION_CALL_FIELDS),
            slots(EXTENSION_CALL_FIELDS),
            slots(OUTBOUND_CALL_FIELDS),
            slots(RING_GROUP_FIELDS),
            slots(QUEUE_FIELDS),
            [u8::MAX; Field::COUNT],
        ];
        match SLOTS[self as usize][f.index()] {
            u8::MAX => None,
            i => Some(usize::from(i)),
        }
    }

    /// The kind's fields as a bit set indexed by [`Field::index`].
    fn field_mask(self) -> u32 {
        const fn mask(fields: &[Field]) -> u32 {
            let mut m = 0;
            let mut i = 0;
            while i < fields.len() {
                m |= 1 << fields[i] as u32;
                i += 1;
            }
            m
        }
        const MASKS: [u32; 12] = [
            mask(MESSAGE_FIELDS),
            mask(MESSAGE_FIELDS),
            mask(INBOUND_CALL_FIELDS),
            mask(EXTENSION_CALL_FIELDS),
            mask(RINGING_FIELDS),
            mask(EXTENSION_CALL_FIELDS),
            mask(EXTENSION_CALL_FIELDS),
            mask(EXTENSION_CALL_FIELDS),
            mask(OUTBOUND_CALL_FIELDS),
            mask(RING_GROUP_FIELDS),
            mask(QUEUE_FIELDS),
            0,
        ];
        MASKS[self as usize]
    }

    /// Whether a field is required on this kind.
    pub fn is_required(self, f: Field) -> bool {
        match self {
            Kind::Unknown => false,
            Kind::InboundMessage | Kind::OutboundMessage => matches!(
                f,
                F::ContainerId | F::TenantId | F::ToNumber | F::FromNumber
            ),
            _ => matches!(f, F::ContainerId | F::TenantId | F::CallUuid),
        }
    }

    /// Messages arrive as JSON; every other documented kind as a form.
    pub fn is_message(self) -> bool {
        matches!(self, Kind::InboundMessage | Kind::OutboundMessage)
    }

    /// Whether this is a call event (every known kind that is not a message).
    pub fn is_call(self) -> bool {
        !self.is_message() && self != Kind::Unknown
    }

    /// The vendor's field order and spelling for this kind (empty for `Unknown`).
    pub fn wire_fields(self) -> &'static [(&'static str, Field)] {
        match self {
            Kind::InboundMessage | Kind::OutboundMessage => W_MESSAGE,
            Kind::InboundCall => W_INBOUND_CALL,
            Kind::CallHangup | Kind::ExtensionHangup | Kind::VoicemailLeft => W_HANGUP,
            Kind::ExtensionRinging => W_RINGING,
            Kind::ExtensionAnswered => W_ANSWERED,
            Kind::OutboundCall => W_OUTBOUND_CALL,
            Kind::RingGroupEntered => W_RING_GROUP,
            Kind::QueueEntered => W_QUEUE,
            Kind::Unknown => &[],
        }
    }
}

/// What a wire `eventType` names, before `eventTarget` is looked at.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum WireType {
    Known(Kind),
    RingAttempt,
}

const WIRE_TYPES: [(&str, WireType); 10] = [
    ("inboundMessage", WireType::Known(Kind::InboundMessage)),
    ("outboundMessage", WireType::Known(Kind::OutboundMessage)),
    ("InboundCall", WireType::Known(Kind::InboundCall)),
    ("HangupCall", WireType::Known(Kind::CallHangup)),
    ("ringAttempt", WireType::RingAttempt),
    (
        "ExtensionAnswered",
        WireType::Known(Kind::ExtensionAnswered),
    ),
    (
        "inboundCallCompleted",
        WireType::Known(Kind::ExtensionHangup),
    ),
    ("voicemailHangup", WireType::Known(Kind::VoicemailLeft)),
    ("outboundCall", WireType::Known(Kind::OutboundCall)),
    ("queueEntered", WireType::Known(Kind::QueueEntered)),
];

pub(crate) fn wire_type(event_type: &str, strict: bool) -> Option<WireType> {
    if strict {
        WIRE_TYPES
            .iter()
            .find(|(n, _)| *n == event_type)
            .map(|(_, t)| *t)
    } else {
        let t = event_type.trim_matches(|c: char| c.is_ascii_whitespace());
        WIRE_TYPES
            .iter()
            .find(|(n, _)| n.len() == t.len() && n.eq_ignore_ascii_case(t))
            .map(|(_, t)| *t)
    }
}
