//! Whole calls for `trigger`: the deliveries PrimeVOX sends for one call, in order, with the
//! gaps between them. Every value not named here comes from the kind's example (samples.rs).

use primevox_webhooks::{Event, Field, Kind};

use crate::samples::sample;

/// One delivery of a scenario.
pub struct Step {
    pub kind: Kind,
    /// Milliseconds after the previous delivery, at `--speed 1`.
    pub gap_ms: u64,
    /// Values that differ from the example; an empty value leaves the field out.
    pub set: &'static [(Field, &'static str)],
}

/// One whole call.
pub struct Scenario {
    pub name: &'static str,
    pub about: &'static str,
    /// The outcome the call record of issue 11 gives this call.
    pub outcome: &'static str,
    /// The first delivery's kind: its example gives every later delivery the fields they share
    /// (container, tenant, caller, or the placing extension of an outbound call).
    pub steps: &'static [Step],
}

const fn step(kind: Kind, gap_ms: u64, set: &'static [(Field, &'static str)]) -> Step {
    Step { kind, gap_ms, set }
}

use Field as F;
use Kind as K;

const NO_EXTENSION: &[(Field, &str)] = &[(F::ExtensionNumber, ""), (F::ExtensionName, "")];
const SECOND_AGENT: &[(Field, &str)] = &[
    (F::ExtensionNumber, "102"),
    (F::ExtensionName, "Sam Okafor"),
];

/// Every scenario, by name.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "call:answered",
        about: "an inbound call rings extension 101, which answers, talks and hangs up",
        outcome: "answered",
        steps: &[
            step(K::InboundCall, 0, &[]),
            step(K::ExtensionRinging, 1_500, &[]),
            step(K::ExtensionAnswered, 6_000, &[]),
            step(K::ExtensionHangup, 30_000, &[]),
            step(K::CallHangup, 300, &[]),
        ],
    },
    Scenario {
        name: "call:missed",
        about: "an inbound call rings extensions 101 and 102; nobody answers, the caller hangs up",
        outcome: "missed",
        steps: &[
            step(K::InboundCall, 0, &[]),
            step(K::ExtensionRinging, 1_000, &[]),
            step(K::ExtensionRinging, 200, SECOND_AGENT),
            step(K::CallHangup, 25_000, NO_EXTENSION),
        ],
    },
    Scenario {
        name: "call:voicemail",
        about: "an inbound call rings extension 101 unanswered; the caller leaves a voicemail",
        outcome: "voicemail",
        steps: &[
            step(K::InboundCall, 0, &[]),
            step(K::ExtensionRinging, 1_000, &[]),
            step(
                K::VoicemailLeft,
                45_000,
                &[
                    (F::ExtensionNumber, "101"),
                    (F::ExtensionName, "María López"),
                ],
            ),
            step(K::CallHangup, 300, NO_EXTENSION),
        ],
    },
    Scenario {
        name: "call:queue-abandoned",
        about: "an inbound call waits in queue 700 while its agents ring; the caller gives up",
        outcome: "missed",
        steps: &[
            step(K::InboundCall, 0, &[]),
            step(K::QueueEntered, 800, &[]),
            step(K::ExtensionRinging, 500, &[]),
            step(K::ExtensionRinging, 100, SECOND_AGENT),
            step(K::CallHangup, 40_000, NO_EXTENSION),
        ],
    },
    Scenario {
        name: "call:ring-group",
        about: "an inbound call enters ring group 600, which rings 101 and 102; 102 answers",
        outcome: "answered",
        steps: &[
            step(K::InboundCall, 0, &[]),
            step(K::RingGroupEntered, 800, &[]),
            step(K::ExtensionRinging, 200, &[]),
            step(K::ExtensionRinging, 50, SECOND_AGENT),
            step(K::ExtensionAnswered, 5_000, SECOND_AGENT),
            step(K::ExtensionHangup, 30_000, SECOND_AGENT),
            step(K::CallHangup, 300, SECOND_AGENT),
        ],
    },
    Scenario {
        name: "call:outbound",
        about: "extension 204 dials out, talks, and hangs up",
        outcome: "placed",
        steps: &[
            step(K::OutboundCall, 0, &[]),
            step(
                K::ExtensionHangup,
                45_000,
                &[(F::CallerIdNum, "16175550198"), (F::CallerIdName, "")],
            ),
        ],
    },
];

/// The scenario with this name.
pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

/// A fresh call id, as PrimeVOX's (a random UUID).
pub fn fresh_call_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl Scenario {
    /// The kinds this scenario sends.
    pub fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.steps.iter().map(|s| s.kind)
    }

    /// The deliveries of one call with id `call_uuid`, each with its gap in milliseconds.
    pub fn deliveries(&self, call_uuid: &str) -> Vec<(u64, Event<'static>)> {
        let first = self.steps[0].kind;
        let base = sample(first)
            .expect("every scenario kind has an example")
            .with(F::CallUuid, call_uuid.to_owned());
        self.steps
            .iter()
            .map(|s| {
                let mut e = sample(s.kind).expect("every scenario kind has an example");
                for (f, v) in base.fields() {
                    if let Some(v) = v.filter(|_| s.kind.has_field(f)) {
                        e = e.with(f, v.to_owned());
                    }
                }
                for &(f, v) in s.set {
                    e = e.with(f, v);
                }
                (s.gap_ms, e)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_delivery_of_a_scenario_is_one_call_and_encodes() {
        for s in SCENARIOS {
            let id = fresh_call_uuid();
            let d = s.deliveries(&id);
            assert_eq!(d.len(), s.steps.len());
            for (_, e) in &d {
                assert_eq!(e.call_uuid(), Some(id.as_str()), "{}", s.name);
                assert!(e.extra().is_empty(), "{}: {:?}", s.name, e.extra());
                let enc = e.encode();
                assert_eq!(enc.content_type, "application/x-www-form-urlencoded");
                let back = primevox_webhooks::parse_with(
                    enc.body.as_bytes(),
                    Some(enc.content_type),
                    &primevox_webhooks::ParseOptions::strict(),
                )
                .unwrap();
                assert_eq!(&back, e);
            }
        }
        assert_ne!(fresh_call_uuid(), fresh_call_uuid());
    }

    #[test]
    fn missed_calls_hang_up_without_an_extension() {
        let d = find("call:missed").unwrap().deliveries("x");
        let hangup = &d.last().unwrap().1;
        assert_eq!(hangup.kind(), Kind::CallHangup);
        assert_eq!(hangup.extension_number(), None);
        assert_eq!(hangup.caller_id_num(), Some("+17375550142"));
    }
}
