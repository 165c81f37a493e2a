//! The call record derived from a call's deliveries, and its JSON.

use std::fmt;

use super::{Call, Delivery};
use crate::json::write_str;
use crate::kind::{Field, Kind};

/// `"inbound"` or `"outbound"`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Direction {
    /// No `call.outbound` delivery.
    Inbound,
    /// There is a `call.outbound` delivery.
    Outbound,
}

impl Direction {
    /// The JSON string.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}

/// How the call went.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Outcome {
    /// An outbound call.
    Placed,
    /// A person answered.
    Answered,
    /// The caller left a voicemail.
    Voicemail,
    /// The call ended without anyone answering and without a voicemail.
    Missed,
    /// Not ended yet, nobody answered yet.
    InProgress,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 5] = [
        Outcome::Placed,
        Outcome::Answered,
        Outcome::Voicemail,
        Outcome::Missed,
        Outcome::InProgress,
    ];

    /// The JSON string.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Placed => "placed",
            Outcome::Answered => "answered",
            Outcome::Voicemail => "voicemail",
            Outcome::Missed => "missed",
            Outcome::InProgress => "in_progress",
        }
    }
}

macro_rules! str_enum_impls {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }
        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    )*};
}
str_enum_impls!(Direction, Outcome);

/// An extension and when: `placedBy`, `voicemail`, `answeredBy`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Party {
    /// The delivery's `extensionNumber`.
    pub extension_number: Option<String>,
    /// The delivery's `extensionName`.
    pub extension_name: Option<String>,
    /// The delivery's `at`.
    pub at: u64,
}

/// A queue the caller entered, at its first `queue.entered`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct QueueVisit {
    /// The queue's number.
    pub queue_number: String,
    /// The `at` of its first delivery.
    pub at: u64,
}

/// A ring group the caller entered, at its first `ring_group.entered`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct RingGroupVisit {
    /// The ring group's number.
    pub ring_group_number: String,
    /// The `at` of its first delivery.
    pub at: u64,
}

/// An extension that rang, at its first `extension.ringing`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ExtensionRung {
    /// The extension's number.
    pub extension_number: String,
    /// The first non-null name given for that number.
    pub extension_name: Option<String>,
    /// The `at` of its first delivery.
    pub at: u64,
}

/// The call record. [`CallSummary::to_json`] writes it with the camelCase keys of the issue,
/// in this order.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct CallSummary {
    /// The call's `callUuid`, lowercased (`None` only for an empty call).
    pub call_uuid: Option<String>,
    /// Outbound if there is a `call.outbound` delivery.
    pub direction: Direction,
    /// How the call went.
    pub outcome: Outcome,
    /// A `call.hangup` (or, outbound, an `extension.hangup`) was delivered.
    pub ended: bool,
    /// The `at` of the first delivery that ended the call.
    pub ended_at: Option<u64>,
    /// First non-null in delivery order.
    pub container_id: Option<String>,
    /// First non-null in delivery order.
    pub tenant_id: Option<String>,
    /// First non-null in delivery order.
    pub caller_id_num: Option<String>,
    /// First non-null in delivery order.
    pub caller_id_name: Option<String>,
    /// First non-null in delivery order.
    pub did_number: Option<String>,
    /// First non-null in delivery order.
    pub did_description: Option<String>,
    /// First non-null in delivery order.
    pub did_group: Option<String>,
    /// First non-null in delivery order.
    pub cid_prefix: Option<String>,
    /// First non-null in delivery order.
    pub number_dialed: Option<String>,
    /// The first `call.outbound`.
    pub placed_by: Option<Party>,
    /// The first `voicemail.left`.
    pub voicemail: Option<Party>,
    /// Who answered an inbound call (always `None` outbound).
    pub answered_by: Option<Party>,
    /// Distinct queues, sorted by `at` then number.
    pub queues: Vec<QueueVisit>,
    /// Distinct ring groups, sorted by `at` then number.
    pub ring_groups: Vec<RingGroupVisit>,
    /// Distinct extensions rung, sorted by `at` then number.
    pub extensions_rung: Vec<ExtensionRung>,
    /// The smallest `at`.
    pub first_seen_at: Option<u64>,
    /// The largest `at`.
    pub last_seen_at: Option<u64>,
    /// How many distinct deliveries.
    pub deliveries: usize,
}

/// The fields taken as "the first non-null value in delivery order", with their record keys.
const FIRST_VALUE_FIELDS: [Field; 9] = [
    Field::ContainerId,
    Field::TenantId,
    Field::CallerIdNum,
    Field::CallerIdName,
    Field::DidNumber,
    Field::DidDescription,
    Field::DidGroup,
    Field::CidPrefix,
    Field::NumberDialed,
];

fn first(ds: &[Delivery], kind: Kind) -> Option<&Delivery> {
    ds.iter().find(|d| d.event.kind() == kind)
}

fn party(d: &Delivery) -> Party {
    Party {
        extension_number: d.event.extension_number().map(str::to_owned),
        extension_name: d.event.extension_name().map(str::to_owned),
        at: d.at,
    }
}

fn is_outbound(ds: &[Delivery]) -> bool {
    first(ds, Kind::OutboundCall).is_some()
}

/// The `at` of the first delivery that ended the call.
pub(super) fn ended_at(ds: &[Delivery]) -> Option<u64> {
    let outbound = is_outbound(ds);
    ds.iter()
        .find(|d| {
            d.event.kind() == Kind::CallHangup
                || (outbound && d.event.kind() == Kind::ExtensionHangup)
        })
        .map(|d| d.at)
}

/// One entry per distinct value of `field` among deliveries of `kind`, at its first delivery,
/// sorted by `at` then value; with the first non-null `name_field` value for that entry.
fn visits(
    ds: &[Delivery],
    kind: Kind,
    field: Field,
    name_field: Option<Field>,
) -> Vec<(String, Option<String>, u64)> {
    let mut out: Vec<(String, Option<String>, u64)> = Vec::new();
    for d in ds.iter().filter(|d| d.event.kind() == kind) {
        let Some(value) = d.event.get(field) else {
            continue;
        };
        let name = name_field.and_then(|f| d.event.get(f));
        match out.iter_mut().find(|(v, _, _)| v == value) {
            // Deliveries are in delivery order: the first one seen has the smallest `at`.
            Some(entry) => {
                if entry.1.is_none() {
                    entry.1 = name.map(str::to_owned);
                }
            }
            None => out.push((value.to_owned(), name.map(str::to_owned), d.at)),
        }
    }
    out.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
    out
}

impl Call {
    /// The call record.
    pub fn summary(&self) -> CallSummary {
        let ds = &self.deliveries[..];
        let outbound = is_outbound(ds);
        let direction = if outbound {
            Direction::Outbound
        } else {
            Direction::Inbound
        };
        let voicemail = first(ds, Kind::VoicemailLeft);
        let hangup_with_ext = ds
            .iter()
            .find(|d| d.event.kind() == Kind::CallHangup && d.event.extension_number().is_some());
        let person =
            first(ds, Kind::ExtensionAnswered).or_else(|| first(ds, Kind::ExtensionHangup));
        let outcome = if outbound {
            Outcome::Placed
        } else if person.is_some() {
            Outcome::Answered
        } else if voicemail.is_some() {
            Outcome::Voicemail
        } else if hangup_with_ext.is_some() {
            Outcome::Answered
        } else if first(ds, Kind::CallHangup).is_some() {
            Outcome::Missed
        } else {
            Outcome::InProgress
        };
        let answered_by = if outbound {
            None
        } else {
            person
                .or(if voicemail.is_none() {
                    hangup_with_ext
                } else {
                    None
                })
                .map(party)
        };
        let mut values: [Option<String>; 9] = Default::default();
        for (slot, f) in values.iter_mut().zip(FIRST_VALUE_FIELDS) {
            *slot = ds.iter().find_map(|d| d.event.get(f)).map(str::to_owned);
        }
        let [container_id, tenant_id, caller_id_num, caller_id_name, did_number, did_description, did_group, cid_prefix, number_dialed] =
            values;
        let ended_at = ended_at(ds);
        CallSummary {
            call_uuid: self.uuid.clone(),
            direction,
            outcome,
            ended: ended_at.is_some(),
            ended_at,
            container_id,
            tenant_id,
            caller_id_num,
            caller_id_name,
            did_number,
            did_description,
            did_group,
            cid_prefix,
            number_dialed,
            placed_by: first(ds, Kind::OutboundCall).map(party),
            voicemail: voicemail.map(party),
            answered_by,
            queues: visits(ds, Kind::QueueEntered, Field::QueueNumber, None)
                .into_iter()
                .map(|(queue_number, _, at)| QueueVisit { queue_number, at })
                .collect(),
            ring_groups: visits(ds, Kind::RingGroupEntered, Field::RingGroupNumber, None)
                .into_iter()
                .map(|(ring_group_number, _, at)| RingGroupVisit {
                    ring_group_number,
                    at,
                })
                .collect(),
            extensions_rung: visits(
                ds,
                Kind::ExtensionRinging,
                Field::ExtensionNumber,
                Some(Field::ExtensionName),
            )
            .into_iter()
            .map(|(extension_number, extension_name, at)| ExtensionRung {
                extension_number,
                extension_name,
                at,
            })
            .collect(),
            first_seen_at: ds.first().map(|d| d.at),
            last_seen_at: ds.iter().map(|d| d.at).max(),
            deliveries: ds.len(),
        }
    }

    /// The call record as JSON (camelCase keys, in the documented order).
    pub fn summary_json(&self) -> String {
        self.summary().to_json()
    }
}

fn opt_str(out: &mut String, v: Option<&str>) {
    match v {
        Some(s) => write_str(out, s),
        None => out.push_str("null"),
    }
}

fn opt_u64(out: &mut String, v: Option<u64>) {
    match v {
        Some(n) => out.push_str(&n.to_string()),
        None => out.push_str("null"),
    }
}

fn opt_party(out: &mut String, p: Option<&Party>) {
    let Some(p) = p else {
        out.push_str("null");
        return;
    };
    out.push_str("{\"extensionNumber\":");
    opt_str(out, p.extension_number.as_deref());
    out.push_str(",\"extensionName\":");
    opt_str(out, p.extension_name.as_deref());
    out.push_str(",\"at\":");
    out.push_str(&p.at.to_string());
    out.push('}');
}

impl CallSummary {
    /// The record as JSON, with exactly the camelCase keys of the call record.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(512);
        out.push_str("{\"callUuid\":");
        opt_str(&mut out, self.call_uuid.as_deref());
        out.push_str(",\"direction\":\"");
        out.push_str(self.direction.as_str());
        out.push_str("\",\"outcome\":\"");
        out.push_str(self.outcome.as_str());
        out.push_str("\",\"ended\":");
        out.push_str(if self.ended { "true" } else { "false" });
        out.push_str(",\"endedAt\":");
        opt_u64(&mut out, self.ended_at);
        let values = [
            &self.container_id,
            &self.tenant_id,
            &self.caller_id_num,
            &self.caller_id_name,
            &self.did_number,
            &self.did_description,
            &self.did_group,
            &self.cid_prefix,
            &self.number_dialed,
        ];
        for (f, v) in FIRST_VALUE_FIELDS.iter().zip(values) {
            out.push_str(",\"");
            out.push_str(f.camel_name());
            out.push_str("\":");
            opt_str(&mut out, v.as_deref());
        }
        out.push_str(",\"placedBy\":");
        opt_party(&mut out, self.placed_by.as_ref());
        out.push_str(",\"voicemail\":");
        opt_party(&mut out, self.voicemail.as_ref());
        out.push_str(",\"answeredBy\":");
        opt_party(&mut out, self.answered_by.as_ref());
        out.push_str(",\"queues\":[");
        for (i, q) in self.queues.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"queueNumber\":");
            write_str(&mut out, &q.queue_number);
            out.push_str(",\"at\":");
            out.push_str(&q.at.to_string());
            out.push('}');
        }
        out.push_str("],\"ringGroups\":[");
        for (i, r) in self.ring_groups.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"ringGroupNumber\":");
            write_str(&mut out, &r.ring_group_number);
            out.push_str(",\"at\":");
            out.push_str(&r.at.to_string());
            out.push('}');
        }
        out.push_str("],\"extensionsRung\":[");
        for (i, e) in self.extensions_rung.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"extensionNumber\":");
            write_str(&mut out, &e.extension_number);
            out.push_str(",\"extensionName\":");
            opt_str(&mut out, e.extension_name.as_deref());
            out.push_str(",\"at\":");
            out.push_str(&e.at.to_string());
            out.push('}');
        }
        out.push_str("],\"firstSeenAt\":");
        opt_u64(&mut out, self.first_seen_at);
        out.push_str(",\"lastSeenAt\":");
        opt_u64(&mut out, self.last_seen_at);
        out.push_str(",\"deliveries\":");
        out.push_str(&self.deliveries.to_string());
        out.push('}');
        out
    }
}
