//! Sample values for every kind: the payloads in examples/, one per kind, parsed by the core.
//! Adding a kind means adding its example there; the test below fails until that is done.

use primevox_webhooks::{parse, Event, Kind};

/// The bundled examples, by file name (the extension gives the Content-Type).
const EXAMPLES: &[(&str, &[u8])] = &[
    (
        "inbound-message.json",
        include_bytes!("../../examples/inbound-message.json"),
    ),
    (
        "outbound-message.json",
        include_bytes!("../../examples/outbound-message.json"),
    ),
    (
        "inbound-call.form",
        include_bytes!("../../examples/inbound-call.form"),
    ),
    (
        "call-hangup.form",
        include_bytes!("../../examples/call-hangup.form"),
    ),
    (
        "extension-ringing.form",
        include_bytes!("../../examples/extension-ringing.form"),
    ),
    (
        "extension-answered.form",
        include_bytes!("../../examples/extension-answered.form"),
    ),
    (
        "extension-hangup.form",
        include_bytes!("../../examples/extension-hangup.form"),
    ),
    (
        "voicemail-left.form",
        include_bytes!("../../examples/voicemail-left.form"),
    ),
    (
        "outbound-call.form",
        include_bytes!("../../examples/outbound-call.form"),
    ),
    (
        "ring-group-entered.form",
        include_bytes!("../../examples/ring-group-entered.form"),
    ),
    (
        "queue-entered.form",
        include_bytes!("../../examples/queue-entered.form"),
    ),
];

fn parsed() -> impl Iterator<Item = Event<'static>> {
    EXAMPLES.iter().filter_map(|(name, bytes)| {
        let ct = if name.ends_with(".json") {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        parse(bytes, Some(ct)).ok()
    })
}

/// The example event of `kind`, or `None` for a kind without one (`unknown`).
pub fn sample(kind: Kind) -> Option<Event<'static>> {
    parsed().find(|e| e.kind() == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_kind_has_exactly_one_sample() {
        assert_eq!(parsed().count(), EXAMPLES.len(), "every example parses");
        for kind in Kind::ALL {
            let n = parsed().filter(|e| e.kind() == kind).count();
            let want = usize::from(kind != Kind::Unknown);
            assert_eq!(n, want, "{}", kind.as_str());
        }
    }

    #[test]
    fn the_list_names_every_example_file() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".json") || n.ends_with(".form"))
            .collect();
        files.sort();
        let mut listed: Vec<&str> = EXAMPLES.iter().map(|(n, _)| *n).collect();
        listed.sort();
        assert_eq!(files, listed);
    }
}
