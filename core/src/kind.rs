//! Every event kind and canonical field, and the vendor's wire names for them.
//!
//! [`kind_table!`](crate::kind_table) below is the one declaration the whole SDK derives from:
//! this module's enums and lookup tables, the parser, the canonical JSON, the wire encoder, and
//! every generated file (see [`crate::codegen`]).

/// The declaration of every canonical field and every event kind: the one place to add or change
/// one (then run `cargo run -p primevox-webhooks-cli -- codegen`; CONTRIBUTING.md says more).
///
/// A callback macro: `kind_table!(callback)` expands to `callback! { <this table> }`. The Rust
/// types and lookup tables in this module, the core's per-field accessors on `Event`, and (through
/// [`crate::codegen`]) the Python classes, stubs and `Literal` lists, the TypeScript types, the
/// JSON Schema and the README's event table are all derived from it.
///
/// Per field: its camelCase and snake_case names, whether it holds a phone number, a description,
/// the shape strict mode requires of its content (`any`, `digits`, `uuid`), and every wire spelling with the kinds whose documentation uses that spelling (an empty list: a
/// spelling accepted in lenient mode only). Per kind: the kind string, class name, how its body
/// arrives (`json` or `form`), the wire `eventType` and `eventTarget`, its fields in canonical
/// order with `required` / `optional`, the vendor's wire order, the field holding the outside
/// party's number (`caller`) and the one naming the call or conversation (`id`; `none` for
/// either when the kind has none), and a description.
#[macro_export]
macro_rules! kind_table {
    ($callback:ident) => {
        $callback! {
            fields {
                ContainerId {
                    camel: "containerId", snake: container_id, phone: false,
                    doc: "The PrimeVOX container (the customer's account) the event belongs to.",
                    shape: digits,
                    wire: {
                        "containerId" => [InboundCall, CallHangup, ExtensionRinging, ExtensionAnswered,
                            ExtensionHangup, VoicemailLeft, OutboundCall, RingGroupEntered, QueueEntered],
                        "containerID" => [InboundMessage, OutboundMessage],
                    },
                }
                TenantId {
                    camel: "tenantId", snake: tenant_id, phone: false,
                    doc: "The tenant within the container.",
                    shape: digits,
                    wire: {
                        "tenantId" => [InboundCall, CallHangup, ExtensionRinging, ExtensionAnswered,
                            ExtensionHangup, VoicemailLeft, OutboundCall, RingGroupEntered, QueueEntered],
                        "tenantID" => [InboundMessage, OutboundMessage],
                    },
                }
                ConversationId {
                    camel: "conversationId", snake: conversation_id, phone: false,
                    doc: "The message conversation's id.",
                    shape: any,
                    wire: {
                        "conversationId" => [],
                        "conversationID" => [InboundMessage, OutboundMessage],
                    },
                }
                ToNumber {
                    camel: "toNumber", snake: to_number, phone: true,
                    doc: "The number a message was sent to.",
                    shape: any,
                    wire: { "toNumber" => [InboundMessage, OutboundMessage] },
                }
                FromNumber {
                    camel: "fromNumber", snake: from_number, phone: true,
                    doc: "The number a message was sent from.",
                    shape: any,
                    wire: { "fromNumber" => [InboundMessage, OutboundMessage] },
                }
                MessageText {
                    camel: "messageText", snake: message_text, phone: false,
                    doc: "The message body.",
                    shape: any,
                    wire: { "messageText" => [InboundMessage, OutboundMessage] },
                }
                DidNumber {
                    camel: "didNumber", snake: did_number, phone: true,
                    doc: "The dialled phone number (DID) a call came in on.",
                    shape: any,
                    wire: { "didNumber" => [InboundCall] },
                }
                DidDescription {
                    camel: "didDescription", snake: did_description, phone: false,
                    doc: "The description the customer gave that DID.",
                    shape: any,
                    wire: { "didDescription" => [InboundCall] },
                }
                DidGroup {
                    camel: "didGroup", snake: did_group, phone: false,
                    doc: "The group the DID belongs to.",
                    shape: any,
                    wire: { "didGroup" => [InboundCall] },
                }
                CidPrefix {
                    camel: "cidPrefix", snake: cid_prefix, phone: false,
                    doc: "The caller-id prefix configured on the DID.",
                    shape: any,
                    wire: { "cidPrefix" => [InboundCall] },
                }
                CallUuid {
                    camel: "callUuid", snake: call_uuid, phone: false,
                    doc: "The call's id.",
                    shape: uuid,
                    wire: {
                        "callUuid" => [InboundCall, CallHangup, ExtensionRinging, ExtensionAnswered,
                            ExtensionHangup, VoicemailLeft, OutboundCall, RingGroupEntered, QueueEntered],
                    },
                }
                CallerIdNum {
                    camel: "callerIdNum", snake: caller_id_num, phone: true,
                    doc: "The caller's number.",
                    shape: any,
                    wire: {
                        "callerIdNum" => [InboundCall, CallHangup, ExtensionRinging, ExtensionAnswered,
                            ExtensionHangup, VoicemailLeft, RingGroupEntered, QueueEntered],
                    },
                }
                CallerIdName {
                    camel: "callerIdName", snake: caller_id_name, phone: false,
                    doc: "The caller's name.",
                    shape: any,
                    wire: {
                        "callerIdName" => [InboundCall, CallHangup, ExtensionAnswered, ExtensionHangup,
                            VoicemailLeft],
                    },
                }
                ExtensionNumber {
                    camel: "extensionNumber", snake: extension_number, phone: false,
                    doc: "The extension's number.",
                    shape: any,
                    wire: {
                        "extensionNumber" => [ExtensionAnswered],
                        "extNumber" => [CallHangup, ExtensionRinging, ExtensionHangup, VoicemailLeft,
                            OutboundCall],
                    },
                }
                ExtensionName {
                    camel: "extensionName", snake: extension_name, phone: false,
                    doc: "The extension's name.",
                    shape: any,
                    wire: {
                        "extensionName" => [ExtensionAnswered],
                        "extName" => [CallHangup, ExtensionRinging, ExtensionHangup, VoicemailLeft,
                            OutboundCall],
                    },
                }
                NumberDialed {
                    camel: "numberDialed", snake: number_dialed, phone: true,
                    doc: "The number an extension dialled out to.",
                    shape: any,
                    wire: { "numberDialed" => [OutboundCall] },
                }
                RingGroupNumber {
                    camel: "ringGroupNumber", snake: ring_group_number, phone: false,
                    doc: "The ring group's extension.",
                    shape: any,
                    wire: {
                        "ringGroupNumber" => [],
                        "rgNumber" => [RingGroupEntered],
                    },
                }
                QueueNumber {
                    camel: "queueNumber", snake: queue_number, phone: false,
                    doc: "The queue's extension.",
                    shape: any,
                    wire: { "queueNumber" => [QueueEntered] },
                }
            }
            kinds {
                InboundMessage {
                    kind: "message.inbound", class: InboundMessage, body: json,
                    event_type: Some("inboundMessage"), event_target: None,
                    fields: [required ContainerId, required TenantId, optional ConversationId,
                        required ToNumber, required FromNumber, optional MessageText],
                    wire_order: [ToNumber, FromNumber, ContainerId, TenantId, ConversationId, MessageText],
                    caller: FromNumber, id: ConversationId,
                    doc: "A text message arrived from an outside number (`inboundMessage`).",
                }
                OutboundMessage {
                    kind: "message.outbound", class: OutboundMessage, body: json,
                    event_type: Some("outboundMessage"), event_target: None,
                    fields: [required ContainerId, required TenantId, optional ConversationId,
                        required ToNumber, required FromNumber, optional MessageText],
                    wire_order: [ToNumber, FromNumber, ContainerId, TenantId, ConversationId, MessageText],
                    caller: ToNumber, id: ConversationId,
                    doc: "A PrimeVOX user sent a text message (`outboundMessage`).",
                }
                InboundCall {
                    kind: "call.inbound", class: InboundCall, body: form,
                    event_type: Some("InboundCall"), event_target: Some("phoneNumber"),
                    fields: [required ContainerId, required TenantId, optional DidNumber,
                        optional DidDescription, optional DidGroup, optional CidPrefix,
                        required CallUuid, optional CallerIdNum, optional CallerIdName],
                    wire_order: [ContainerId, TenantId, DidNumber, DidDescription, DidGroup,
                        CidPrefix, CallUuid, CallerIdNum, CallerIdName],
                    caller: CallerIdNum, id: CallUuid,
                    doc: "A call came into the phone system, before anything happened to it (`InboundCall`).",
                }
                CallHangup {
                    kind: "call.hangup", class: CallHangup, body: form,
                    event_type: Some("HangupCall"), event_target: None,
                    fields: [required ContainerId, required TenantId, required CallUuid,
                        optional CallerIdNum, optional CallerIdName, optional ExtensionNumber,
                        optional ExtensionName],
                    wire_order: [ContainerId, TenantId, ExtensionNumber, ExtensionName, CallUuid,
                        CallerIdName, CallerIdNum],
                    caller: CallerIdNum, id: CallUuid,
                    doc: "A call ended, whatever happened to it (`HangupCall`).",
                }
                ExtensionRinging {
                    kind: "extension.ringing", class: ExtensionRinging, body: form,
                    event_type: Some("ringAttempt"), event_target: Some("extension"),
                    fields: [required ContainerId, required TenantId, required CallUuid,
                        optional CallerIdNum, optional ExtensionNumber, optional ExtensionName],
                    wire_order: [ContainerId, TenantId, ExtensionNumber, ExtensionName, CallUuid,
                        CallerIdNum],
                    caller: CallerIdNum, id: CallUuid,
                    doc: "An extension is ringing (`ringAttempt`, eventTarget `extension`).",
                }
                ExtensionAnswered {
                    kind: "extension.answered", class: ExtensionAnswered, body: form,
                    event_type: Some("ExtensionAnswered"), event_target: None,
                    fields: [required ContainerId, required TenantId, required CallUuid,
                        optional CallerIdNum, optional CallerIdName, optional ExtensionNumber,
                        optional ExtensionName],
                    wire_order: [ContainerId, TenantId, CallUuid, CallerIdNum, CallerIdName,
                        ExtensionNumber, ExtensionName],
                    caller: CallerIdNum, id: CallUuid,
                    doc: "An extension answered a call (`ExtensionAnswered`).",
                }
                ExtensionHangup {
                    kind: "extension.hangup", class: ExtensionHangup, body: form,
                    event_type: Some("inboundCallCompleted"), event_target: None,
                    fields: [required ContainerId, required TenantId, required CallUuid,
                        optional CallerIdNum, optional CallerIdName, optional ExtensionNumber,
                        optional ExtensionName],
                    wire_order: [ContainerId, TenantId, ExtensionNumber, ExtensionName, CallUuid,
                        CallerIdName, CallerIdNum],
                    caller: CallerIdNum, id: CallUuid,
                    doc: "An extension's call ended (`inboundCallCompleted`).",
                }
                VoicemailLeft {
                    kind: "voicemail.left", class: VoicemailLeft, body: form,
                    event_type: Some("voicemailHangup"), event_target: None,
                    fields: [required ContainerId, required TenantId, required CallUuid,
                        optional CallerIdNum, optional CallerIdName, optional ExtensionNumber,
                        optional ExtensionName],
                    wire_order: [ContainerId, TenantId, ExtensionNumber, ExtensionName, CallUuid,
                        CallerIdName, CallerIdNum],
                    caller: CallerIdNum, id: CallUuid,
                    doc: "A caller left a voicemail (`voicemailHangup`).",
                }
                OutboundCall {
                    kind: "call.outbound", class: OutboundCall, body: form,
                    event_type: Some("outboundCall"), event_target: None,
                    fields: [required ContainerId, required TenantId, required CallUuid,
                        optional ExtensionNumber, optional ExtensionName, optional NumberDialed],
                    wire_order: [ContainerId, TenantId, ExtensionNumber, ExtensionName, CallUuid,
                        NumberDialed],
                    caller: none, id: CallUuid,
                    doc: "An extension placed an outbound call (`outboundCall`).",
                }
                RingGroupEntered {
                    kind: "ring_group.entered", class: RingGroupEntered, body: form,
                    event_type: Some("ringAttempt"), event_target: Some("ringGroup"),
                    fields: [required ContainerId, required TenantId, required CallUuid,
                        optional CallerIdNum, optional RingGroupNumber],
                    wire_order: [ContainerId, TenantId, RingGroupNumber, CallUuid, CallerIdNum],
                    caller: CallerIdNum, id: CallUuid,
                    doc: "A caller entered a ring group (`ringAttempt`, eventTarget `ringGroup`).",
                }
                QueueEntered {
                    kind: "queue.entered", class: QueueEntered, body: form,
                    event_type: Some("queueEntered"), event_target: Some("queue"),
                    fields: [required ContainerId, required TenantId, required CallUuid,
                        optional CallerIdNum, optional QueueNumber],
                    wire_order: [ContainerId, TenantId, QueueNumber, CallUuid, CallerIdNum],
                    caller: CallerIdNum, id: CallUuid,
                    doc: "A caller entered a queue (`queueEntered`).",
                }
                Unknown {
                    kind: "unknown", class: UnknownEvent, body: any,
                    event_type: None, event_target: None,
                    fields: [],
                    wire_order: [],
                    caller: none, id: none,
                    doc: "An event type this SDK does not know; every field is kept in `extra`.",
                }
            }
        }
    };
}

macro_rules! is_required {
    (required) => {
        true
    };
    (optional) => {
        false
    };
}

macro_rules! shape {
    (any) => {
        Shape::Any
    };
    (digits) => {
        Shape::Digits
    };
    (uuid) => {
        Shape::Uuid
    };
}

/// What strict mode requires of a field's content (lenient mode keeps content as sent).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Shape {
    /// Any text.
    Any,
    /// ASCII digits only (ids).
    Digits,
    /// A UUID: `8-4-4-4-12` hexadecimal digits, either case.
    Uuid,
}

macro_rules! opt_field {
    (none) => {
        None
    };
    ($f:ident) => {
        Some(Field::$f)
    };
}

macro_rules! is_json {
    (json) => {
        true
    };
    (form) => {
        false
    };
    (any) => {
        false
    };
}

/// Expands the table into this module's types and tables.
macro_rules! define_kinds {
    (
        fields { $(
            $F:ident {
                camel: $camel:literal, snake: $snake:ident, phone: $phone:literal,
                doc: $fdoc:literal,
                shape: $shape:ident,
                wire: { $( $spell:literal => [ $( $wk:ident ),* $(,)? ] ),* $(,)? } $(,)?
            }
        )* }
        kinds { $(
            $K:ident {
                kind: $kstr:literal, class: $class:ident, body: $body:ident,
                event_type: $et:expr, event_target: $tgt:expr,
                fields: [ $( $req:ident $kf:ident ),* $(,)? ],
                wire_order: [ $( $wf:ident ),* $(,)? ],
                caller: $caller:ident, id: $id:ident,
                doc: $kdoc:literal $(,)?
            }
        )* }
    ) => {
        /// The canonical fields. Values are always strings.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        pub enum Field {
            $( #[doc = $fdoc] $F, )*
        }

        /// What kind of event a webhook is.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum Kind {
            $( #[doc = $kdoc] $K, )*
        }

        impl Field {
            /// How many fields there are.
            pub const COUNT: usize = [$( Field::$F ),*].len();

            /// Every field, in canonical order.
            pub const ALL: [Field; Field::COUNT] = [$( Field::$F ),*];

            /// The canonical camelCase name (JSON, JavaScript).
            pub fn camel_name(self) -> &'static str {
                match self { $( Field::$F => $camel, )* }
            }

            /// The canonical snake_case name (Rust, Python).
            pub fn snake_name(self) -> &'static str {
                match self { $( Field::$F => stringify!($snake), )* }
            }

            /// Phone-number fields, where a leading space before digits was an unencoded `+`.
            pub fn is_phone_number(self) -> bool {
                match self { $( Field::$F => $phone, )* }
            }

            /// One line describing the field, for generated documentation.
            pub fn description(self) -> &'static str {
                match self { $( Field::$F => $fdoc, )* }
            }

            /// What strict mode requires of the field's content.
            pub const fn shape(self) -> Shape {
                match self { $( Field::$F => shape!($shape), )* }
            }

            /// Every wire spelling this field is documented or known under, its canonical name
            /// first.
            pub fn wire_names(self) -> &'static [&'static str] {
                match self { $( Field::$F => &[$( $spell ),*], )* }
            }

            /// Every wire spelling with the kinds whose documentation uses it (none: accepted in
            /// lenient mode only).
            pub fn wire_spellings(self) -> &'static [(&'static str, &'static [Kind])] {
                match self { $( Field::$F => &[$( ($spell, &[$( Kind::$wk ),*]) ),*], )* }
            }
        }

        impl Kind {
            /// How many kinds there are.
            pub const COUNT: usize = [$( Kind::$K ),*].len();

            /// Every kind, `Unknown` last.
            pub const ALL: [Kind; Kind::COUNT] = [$( Kind::$K ),*];

            /// The stable kind string, e.g. `"call.inbound"`.
            pub fn as_str(self) -> &'static str {
                match self { $( Kind::$K => $kstr, )* }
            }

            /// The class/interface name bindings use for this kind.
            pub fn class_name(self) -> &'static str {
                match self { $( Kind::$K => stringify!($class), )* }
            }

            /// One line describing the kind, for generated documentation.
            pub fn description(self) -> &'static str {
                match self { $( Kind::$K => $kdoc, )* }
            }

            /// The documented wire `eventType`, or `None` for `Unknown`.
            pub fn wire_event_type(self) -> Option<&'static str> {
                match self { $( Kind::$K => $et, )* }
            }

            /// The documented `eventTarget` of this kind, if its payload has one.
            pub fn wire_event_target(self) -> Option<&'static str> {
                match self { $( Kind::$K => $tgt, )* }
            }

            /// Messages arrive as JSON; every other documented kind as a form.
            pub fn is_message(self) -> bool {
                match self { $( Kind::$K => is_json!($body), )* }
            }

            /// The kind's fields in canonical order (empty for `Unknown`).
            pub fn fields(self) -> &'static [Field] {
                match self { $( Kind::$K => &[$( Field::$kf ),*], )* }
            }

            /// The field holding the outside party's number (see `Event::caller_number`).
            pub fn caller_field(self) -> Option<Field> {
                match self { $( Kind::$K => opt_field!($caller), )* }
            }

            /// The field that names the call or conversation (the id in `Event::dedup_key`).
            pub fn id_field(self) -> Option<Field> {
                match self { $( Kind::$K => opt_field!($id), )* }
            }
        }

        /// Per kind: its required fields as a bit set indexed by [`Field::index`].
        const REQUIRED: [u32; Kind::COUNT] =
            [$( 0 $( | if is_required!($req) { 1 << Field::$kf as u32 } else { 0 } )* ),*];

        /// Per kind: the vendor's field order, with the spelling documented for that kind.
        const WIRE_ORDER: [&[Field]; Kind::COUNT] = [$( &[$( Field::$wf ),*] ),*];

        /// Per kind: its fields in canonical order.
        const FIELDS: [&[Field]; Kind::COUNT] = [$( &[$( Field::$kf ),*] ),*];

        /// Per field: every spelling and the kinds that document it.
        const SPELLINGS: [&[(&str, &[Kind])]; Field::COUNT] =
            [$( &[$( ($spell, &[$( Kind::$wk ),*]) ),*] ),*];

        /// Per kind: its wire `eventType`.
        const EVENT_TYPES: [Option<&str>; Kind::COUNT] = [$( $et ),*];
    };
}

kind_table!(define_kinds);

impl Field {
    /// Position in [`Field::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The field for a canonical camelCase name.
    pub fn from_camel_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.camel_name() == name)
    }

    /// The wire field for a key: exact spelling in strict mode, ASCII-case-insensitive otherwise.
    /// Strict mode also checks that the spelling is the one documented for the event's kind
    /// ([`Kind::wire_name`]).
    pub fn from_wire_name(key: &str, case_insensitive: bool) -> Option<Field> {
        match classify(key, !case_insensitive) {
            Slot::Field(f) => Some(f),
            _ => None,
        }
    }
}

/// What a body member's name means, decided once per member.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Slot {
    EventType,
    EventTarget,
    Field(Field),
    Other,
}

const fn count_names() -> usize {
    let mut n = 2;
    let mut f = 0;
    while f < Field::COUNT {
        n += SPELLINGS[f].len();
        f += 1;
    }
    n
}

/// Every name a member can be recognised by: `eventType`, `eventTarget`, every wire spelling.
const NAMES: [(&str, Slot); count_names()] = {
    let mut t = [("eventType", Slot::EventType); count_names()];
    t[1] = ("eventTarget", Slot::EventTarget);
    let mut n = 2;
    let mut f = 0;
    while f < Field::COUNT {
        let mut i = 0;
        while i < SPELLINGS[f].len() {
            t[n] = (SPELLINGS[f][i].0, Slot::Field(Field::ALL[f]));
            n += 1;
            i += 1;
        }
        f += 1;
    }
    t
};

/// The shortest and longest of [`NAMES`].
const NAME_LENGTHS: (usize, usize) = {
    let (mut min, mut max) = (usize::MAX, 0);
    let mut i = 0;
    while i < NAMES.len() {
        let n = NAMES[i].0.len();
        if n < min {
            min = n;
        }
        if n > max {
            max = n;
        }
        i += 1;
    }
    (min, max)
};

/// Where a name of at least [`NAME_LENGTHS`]`.0` bytes sits in [`NAME_TABLE`]: its case-folded
/// first and last bytes and its length, which (checked when the table is built) tell every name
/// apart. A new spelling that collides stops the build: change the factors until none does.
#[inline(always)]
const fn name_hash(k: &[u8]) -> usize {
    let n = k.len();
    ((k[0] | 0x20) as usize * 4 + (k[n - 1] | 0x20) as usize * 2 + n * 3) % 64
}

/// `a` and `b` are the same bytes once every byte is OR-ed with `fold` (`0x20` folds the case of
/// letters; `0` compares exactly). For the tables built at compile time, where `==` on `str`
/// is not `const`.
const fn same_bytes(a: &str, b: &str, fold: u8) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] | fold != b[i] | fold {
            return false;
        }
        i += 1;
    }
    true
}

const fn same_folded(a: &str, b: &str) -> bool {
    same_bytes(a, b, 0x20)
}

/// Per [`name_hash`]: the index in [`NAMES`] of the name with that hash, `u8::MAX` for none.
/// Names that differ only in case (`containerId`, `containerID`) are of the same field and
/// share an entry.
const NAME_TABLE: [u8; 64] = {
    let mut t = [u8::MAX; 64];
    let mut i = 0;
    while i < NAMES.len() {
        let name = NAMES[i].0.as_bytes();
        let mut j = 0;
        while j < name.len() {
            assert!(
                name[j].is_ascii_alphabetic(),
                "folded_eq needs names made of letters"
            );
            j += 1;
        }
        let h = name_hash(name);
        if t[h] == u8::MAX {
            t[h] = i as u8;
        } else {
            assert!(
                same_folded(NAMES[t[h] as usize].0, NAMES[i].0),
                "two member names have the same name_hash: change its factors"
            );
        }
        i += 1;
    }
    t
};

/// What a member's name means: exact spelling in strict mode, ASCII-case-insensitive otherwise.
/// On the hot path for every member of every body: one table entry leaves one name to compare.
#[inline]
pub(crate) fn classify(key: &str, strict: bool) -> Slot {
    let k = key.as_bytes();
    if k.len() < NAME_LENGTHS.0 || k.len() > NAME_LENGTHS.1 {
        return Slot::Other;
    }
    let (name, slot) = match NAME_TABLE[name_hash(k)] {
        u8::MAX => return Slot::Other,
        i => NAMES[usize::from(i)],
    };
    if !folded_eq(k, name.as_bytes()) {
        return Slot::Other;
    }
    if strict {
        let exact = match slot {
            Slot::Field(f) => f.wire_names().contains(&key),
            _ => key == name,
        };
        if !exact {
            return Slot::Other;
        }
    }
    slot
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// `w` with its bytes `A`-`Z` made lowercase, eight at a time (no carry crosses a byte: each
/// sum stays under 0x100).
#[inline(always)]
fn ascii_lower(w: u64) -> u64 {
    let low7 = w & !HIGH;
    let at_least_a = low7 + ONES * u64::from(0x80 - b'A');
    let above_z = low7 + ONES * u64::from(0x80 - b'Z' - 1);
    let upper = at_least_a & !above_z & !w & HIGH;
    w | upper >> 2
}

/// `<[u8]>::eq_ignore_ascii_case`, a word at a time: the event types and targets it compares
/// are a few words long, where the standard one pays a set-up per call.
#[inline]
pub(crate) fn eq_ignore_ascii_case(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[at..at + 8]);
        ascii_lower(u64::from_le_bytes(w))
    };
    if n < 8 {
        // Zero padding is equal in both.
        let (mut x, mut y) = ([0u8; 8], [0u8; 8]);
        x[..n].copy_from_slice(a);
        y[..n].copy_from_slice(b);
        return word(&x, 0) == word(&y, 0);
    }
    let mut i = 0;
    while i + 8 < n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    // The last word may overlap bytes already compared.
    word(a, n - 8) == word(b, n - 8)
}

/// ASCII-case-insensitive equality of a key with a spelling of the same length, 7 to 15 bytes
/// (all of them are): two overlapping loads of eight bytes (four under eight) instead of a loop.
/// Every spelling is letters only, for which setting bit 0x20 is exact case-folding, and no
/// other byte folds onto a lowercase letter.
#[inline(always)]
fn folded_eq(k: &[u8], name: &[u8]) -> bool {
    let n = name.len();
    if k.len() != n {
        return false;
    }
    if n >= 8 {
        let w = |s: &[u8], at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&s[at..at + 8]);
            u64::from_le_bytes(b) | 0x2020_2020_2020_2020
        };
        w(k, 0) == w(name, 0) && w(k, n - 8) == w(name, n - 8)
    } else if n >= 4 {
        let w = |s: &[u8], at: usize| {
            let mut b = [0u8; 4];
            b.copy_from_slice(&s[at..at + 4]);
            u32::from_le_bytes(b) | 0x2020_2020
        };
        w(k, 0) == w(name, 0) && w(k, n - 4) == w(name, n - 4)
    } else {
        k.iter().zip(name).all(|(&c, &l)| c | 0x20 == l | 0x20)
    }
}

/// The most fields any kind has.
const fn max_fields() -> usize {
    let mut max = 0;
    let mut k = 0;
    while k < Kind::COUNT {
        if FIELDS[k].len() > max {
            max = FIELDS[k].len();
        }
        k += 1;
    }
    max
}

const fn contains_kind(kinds: &[Kind], kind: usize) -> bool {
    let mut i = 0;
    while i < kinds.len() {
        if kinds[i] as usize == kind {
            return true;
        }
        i += 1;
    }
    false
}

/// The spelling kind `k` documents for field `f`; a compile error unless exactly one.
const fn documented(k: usize, f: usize) -> Option<&'static str> {
    let mut found = None;
    let mut i = 0;
    while i < SPELLINGS[f].len() {
        if contains_kind(SPELLINGS[f][i].1, k) {
            assert!(found.is_none(), "a kind documents two spellings of a field");
            found = Some(SPELLINGS[f][i].0);
        }
        i += 1;
    }
    found
}

/// Per kind, per field: the documented spelling, `""` when the kind has not the field.
const WIRE_NAMES: [[&str; Field::COUNT]; Kind::COUNT] = {
    let mut t = [[""; Field::COUNT]; Kind::COUNT];
    let mut k = 0;
    while k < Kind::COUNT {
        let mut i = 0;
        while i < FIELDS[k].len() {
            let f = FIELDS[k][i] as usize;
            match documented(k, f) {
                Some(s) => t[k][f] = s,
                None => panic!("a kind's field has no documented spelling for it"),
            }
            i += 1;
        }
        // Every documented spelling is of a field the kind has, and the wire order lists
        // exactly the kind's fields.
        let mut f = 0;
        while f < Field::COUNT {
            assert!(
                documented(k, f).is_none() || !t[k][f].is_empty(),
                "a spelling is documented for a kind without that field"
            );
            f += 1;
        }
        assert!(
            WIRE_ORDER[k].len() == FIELDS[k].len(),
            "wire order and fields differ"
        );
        let mut w = 0;
        while w < WIRE_ORDER[k].len() {
            assert!(
                !t[k][WIRE_ORDER[k][w] as usize].is_empty(),
                "wire order names a field the kind has not"
            );
            w += 1;
        }
        k += 1;
    }
    t
};

const fn wire_fields_table() -> [[(&'static str, Field); Kind::MAX_FIELDS]; Kind::COUNT] {
    let mut t = [[("", Field::ALL[0]); Kind::MAX_FIELDS]; Kind::COUNT];
    let mut k = 0;
    while k < Kind::COUNT {
        let mut w = 0;
        while w < WIRE_ORDER[k].len() {
            let f = WIRE_ORDER[k][w];
            t[k][w] = (WIRE_NAMES[k][f as usize], f);
            w += 1;
        }
        k += 1;
    }
    t
}
const WIRE_FIELDS: [[(&str, Field); Kind::MAX_FIELDS]; Kind::COUNT] = wire_fields_table();

/// Per kind, per field: the field's position in the kind's fields, `u8::MAX` when absent.
const SLOTS: [[u8; Field::COUNT]; Kind::COUNT] = {
    let mut t = [[u8::MAX; Field::COUNT]; Kind::COUNT];
    let mut k = 0;
    while k < Kind::COUNT {
        let mut i = 0;
        while i < FIELDS[k].len() {
            t[k][FIELDS[k][i] as usize] = i as u8;
            i += 1;
        }
        k += 1;
    }
    t
};

const fn same_str(a: &str, b: &str) -> bool {
    same_bytes(a, b, 0)
}

const fn count_shaped() -> usize {
    let mut n = 0;
    let mut f = 0;
    while f < Field::COUNT {
        if !matches!(Field::ALL[f].shape(), Shape::Any) {
            n += 1;
        }
        f += 1;
    }
    n
}

/// The fields whose content strict mode checks (shape not `Any`), in canonical order.
pub(crate) const SHAPED: [Field; count_shaped()] = {
    let mut t = [Field::ALL[0]; count_shaped()];
    let (mut n, mut f) = (0, 0);
    while f < Field::COUNT {
        if !matches!(Field::ALL[f].shape(), Shape::Any) {
            t[n] = Field::ALL[f];
            n += 1;
        }
        f += 1;
    }
    t
};

/// Per kind: the kinds with the same wire `eventType` (itself included), as a bit set indexed
/// by kind; empty for `Unknown`.
const SHARING: [u32; Kind::COUNT] = {
    let mut t = [0; Kind::COUNT];
    let mut k = 0;
    while k < Kind::COUNT {
        let mut o = 0;
        while o < Kind::COUNT {
            if let (Some(a), Some(b)) = (EVENT_TYPES[k], EVENT_TYPES[o]) {
                if same_str(a, b) {
                    t[k] |= 1 << o;
                }
            }
            o += 1;
        }
        k += 1;
    }
    t
};

/// Per kind: its fields as a bit set indexed by [`Field::index`].
const MASKS: [u32; Kind::COUNT] = {
    let mut t = [0; Kind::COUNT];
    let mut k = 0;
    while k < Kind::COUNT {
        let mut i = 0;
        while i < FIELDS[k].len() {
            t[k] |= 1 << FIELDS[k][i] as u32;
            i += 1;
        }
        k += 1;
    }
    t
};

impl Kind {
    /// The most fields any kind has.
    pub const MAX_FIELDS: usize = max_fields();

    /// The kind for a string produced by [`Kind::as_str`].
    pub fn from_kind_str(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the kind has this field at all.
    pub fn has_field(self, f: Field) -> bool {
        MASKS[self as usize] & (1 << f.index()) != 0
    }

    /// Where `f` sits in [`Kind::fields`], if the kind has it.
    pub fn slot(self, f: Field) -> Option<usize> {
        match SLOTS[self as usize][f.index()] {
            u8::MAX => None,
            i => Some(usize::from(i)),
        }
    }

    /// Whether a field is required on this kind.
    pub fn is_required(self, f: Field) -> bool {
        REQUIRED[self as usize] & (1 << f.index()) != 0
    }

    /// The kind's fields as a bit set indexed by [`Field::index`].
    pub(crate) fn field_mask(self) -> u32 {
        MASKS[self as usize]
    }

    /// The kind's required fields as a bit set indexed by [`Field::index`].
    pub(crate) fn required_mask(self) -> u32 {
        REQUIRED[self as usize]
    }

    /// Whether this is a call event (every known kind that is not a message).
    pub fn is_call(self) -> bool {
        !self.is_message() && self != Kind::Unknown
    }

    /// The wire spelling this kind's documentation uses for `f` (`None` when the kind has not
    /// the field). Strict mode accepts only this spelling.
    pub fn wire_name(self, f: Field) -> Option<&'static str> {
        match WIRE_NAMES[self as usize][f.index()] {
            "" => None,
            s => Some(s),
        }
    }

    /// The vendor's field order and spelling for this kind (empty for `Unknown`).
    pub fn wire_fields(self) -> &'static [(&'static str, Field)] {
        &WIRE_FIELDS[self as usize][..FIELDS[self as usize].len()]
    }

    /// Whether another kind has the same wire `eventType` (told apart by `eventTarget`).
    pub fn shares_event_type(self) -> bool {
        SHARING[self as usize].count_ones() > 1
    }

    /// The kinds sharing this kind's wire `eventType` (told apart by `eventTarget`), in
    /// declaration order; just this kind when it is alone.
    pub fn sharing_event_type(self) -> impl DoubleEndedIterator<Item = Kind> {
        let set = SHARING[self as usize];
        Kind::ALL
            .into_iter()
            .filter(move |k| set & (1 << *k as usize) != 0)
    }
}

const fn count_event_types() -> usize {
    let mut n = 0;
    let mut k = 0;
    while k < Kind::COUNT {
        if EVENT_TYPES[k].is_some() {
            n += 1;
        }
        k += 1;
    }
    n
}

/// `(eventType, first kind with it)` for every kind that has one, in declaration order: a flat
/// table the lookup below scans (on every parse).
const WIRE_TYPES: [(&str, Kind); count_event_types()] = {
    let mut t = [("", Kind::ALL[0]); count_event_types()];
    let (mut n, mut k) = (0, 0);
    while k < Kind::COUNT {
        if let Some(et) = EVENT_TYPES[k] {
            let mut first = k;
            let mut o = 0;
            while o < k {
                if let Some(other) = EVENT_TYPES[o] {
                    if same_str(other, et) && o < first {
                        first = o;
                    }
                }
                o += 1;
            }
            t[n] = (et, Kind::ALL[first]);
            n += 1;
        }
        k += 1;
    }
    t
};

/// The first kind whose documented wire `eventType` is `event_type` (exact in strict mode;
/// ASCII-case-insensitive and trimmed otherwise). Several kinds may share it: see
/// [`Kind::sharing_event_type`].
pub(crate) fn wire_type(event_type: &str, strict: bool) -> Option<Kind> {
    if strict {
        WIRE_TYPES
            .iter()
            .find(|(n, _)| *n == event_type)
            .map(|(_, k)| *k)
    } else {
        let t = event_type.trim_ascii();
        WIRE_TYPES
            .iter()
            .find(|(n, _)| eq_ignore_ascii_case(n.as_bytes(), t.as_bytes()))
            .map(|(_, k)| *k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn casings(s: &str) -> Vec<String> {
        let mut out = vec![s.to_owned(), s.to_ascii_lowercase(), s.to_ascii_uppercase()];
        // Each letter flipped alone.
        for i in 0..s.len() {
            let mut b = s.as_bytes().to_vec();
            b[i] ^= 0x20;
            out.push(String::from_utf8(b).unwrap());
        }
        out
    }

    #[test]
    fn hot_lookup_finds_every_spelling_in_every_casing() {
        for f in Field::ALL {
            assert_eq!(
                f.wire_names()[0],
                f.camel_name(),
                "{f:?}: canonical name first"
            );
            for spelling in f.wire_names() {
                assert_eq!(
                    Field::from_wire_name(spelling, false),
                    Some(f),
                    "{spelling}"
                );
                for c in casings(spelling) {
                    assert_eq!(Field::from_wire_name(&c, true), Some(f), "{c}");
                    let exact = f.wire_names().contains(&c.as_str());
                    assert_eq!(Field::from_wire_name(&c, false).is_some(), exact, "{c}");
                }
            }
        }
    }

    #[test]
    fn eq_ignore_ascii_case_agrees_with_std() {
        let bytes = [
            b'a', b'z', b'A', b'Z', b'@', b'[', b'`', b'{', 0, 0x7f, 0x80, 0xc1, 0xda, 0xe1, 0xff,
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed % 20) as usize;
            let a: Vec<u8> = (0..n)
                .map(|i| bytes[((seed >> (i * 3)) % bytes.len() as u64) as usize])
                .collect();
            let mut b = a.clone();
            if n > 0 {
                let j = (seed >> 40) as usize % n;
                b[j] = bytes[(seed >> 50) as usize % bytes.len()];
                if seed & 1 == 0 {
                    b[(j + 3) % n] ^= 0x20;
                }
            }
            assert_eq!(
                eq_ignore_ascii_case(&a, &b),
                a.eq_ignore_ascii_case(&b),
                "{a:?} {b:?}"
            );
        }
        for x in 0..=255u8 {
            for y in 0..=255u8 {
                for n in [1, 8, 9] {
                    let (a, b) = (vec![x; n], vec![y; n]);
                    assert_eq!(eq_ignore_ascii_case(&a, &b), a.eq_ignore_ascii_case(&b));
                }
            }
        }
    }

    #[test]
    fn hot_lookup_knows_no_other_name() {
        let all: Vec<(&str, Field)> = Field::ALL
            .iter()
            .flat_map(|f| f.wire_names().iter().map(move |s| (*s, *f)))
            .collect();
        // Every string of the spellings' lengths that differs from a spelling in one byte.
        for (s, _) in &all {
            for i in 0..s.len() {
                for c in [b'a', b'z', b'I', b'0', b'_', b' '] {
                    let mut b = s.as_bytes().to_vec();
                    b[i] = c;
                    let Ok(t) = String::from_utf8(b) else {
                        continue;
                    };
                    let want = all
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(&t))
                        .map(|(_, f)| *f);
                    assert_eq!(Field::from_wire_name(&t, true), want, "{t}");
                }
            }
        }
        for t in [
            "",
            "x",
            "eventType",
            "eventTarget",
            "containerIdx",
            "extNumbe",
        ] {
            assert_eq!(Field::from_wire_name(t, true), None, "{t}");
        }
    }

    #[test]
    fn every_kind_documents_its_wire_fields() {
        for k in Kind::ALL {
            let wire: Vec<Field> = k.wire_fields().iter().map(|(_, f)| *f).collect();
            let mut sorted = wire.clone();
            sorted.sort();
            let mut fields = k.fields().to_vec();
            fields.sort();
            assert_eq!(sorted, fields, "{k:?}");
            for (s, f) in k.wire_fields() {
                assert_eq!(k.wire_name(*f), Some(*s));
                assert!(f.wire_names().contains(s));
            }
            for f in [k.caller_field(), k.id_field()].into_iter().flatten() {
                assert!(
                    k.has_field(f),
                    "{k:?}: caller/id {f:?} is not one of its fields"
                );
            }
            for f in Field::ALL {
                assert_eq!(k.has_field(f), k.slot(f).is_some());
                assert_eq!(k.has_field(f), k.wire_name(f).is_some());
                assert!(!k.is_required(f) || k.has_field(f));
            }
        }
        assert_eq!(Kind::MAX_FIELDS, 9);
        assert_eq!(Kind::ALL[Kind::COUNT - 1], Kind::Unknown);
    }
}
