//! The README's event tables.

use crate::kind::{Field, Kind, Shape};

fn code(s: &str) -> String {
    format!("`{s}`")
}

/// The section of README.md under "The event model": kinds, then fields and their spellings.
pub fn event_tables() -> String {
    let mut s = String::new();
    s.push_str("| wire `eventType` (and `eventTarget`) | kind | class | fields (canonical order, `*` required) |\n");
    s.push_str("|---|---|---|---|\n");
    for kind in Kind::ALL {
        let wire = match (kind.wire_event_type(), kind.wire_event_target()) {
            (Some(t), Some(target)) => format!("{t}, eventTarget={target}"),
            (Some(t), None) => t.to_owned(),
            (None, _) => "anything else".to_owned(),
        };
        let fields: Vec<String> = kind
            .fields()
            .iter()
            .map(|f| {
                let star = if kind.is_required(*f) { "*" } else { "" };
                format!("{}{star}", f.camel_name())
            })
            .collect();
        let fields = if fields.is_empty() {
            "(none: every field is kept in `extra`)".to_owned()
        } else {
            fields.join(", ")
        };
        s.push_str(&format!(
            "| {wire} | {} | {} | {fields} |\n",
            code(kind.as_str()),
            code(kind.class_name())
        ));
    }
    s.push_str(
        "\nCanonical names are camelCase in JSON and JavaScript, snake_case in Rust and Python.\n",
    );
    s.push_str(
        "Each wire spelling is accepted in strict mode only on the events documented with it;\n",
    );
    s.push_str("lenient mode accepts every spelling on every event and matches field names\n");
    s.push_str("ASCII-case-insensitively.\n\n");
    s.push_str(
        "| field | snake_case | wire spellings (documented for) | phone number | meaning |\n",
    );
    s.push_str("|---|---|---|---|---|\n");
    for f in Field::ALL {
        let spellings: Vec<String> = f
            .wire_spellings()
            .iter()
            .map(|(spelling, kinds)| {
                let on = if kinds.is_empty() {
                    "lenient only".to_owned()
                } else if kinds.len() == Kind::ALL.iter().filter(|k| k.has_field(f)).count() {
                    "all its events".to_owned()
                } else {
                    kinds
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                format!("{} ({on})", code(spelling))
            })
            .collect();
        let shape = match f.shape() {
            Shape::Any => "",
            Shape::Digits => "digits",
            Shape::Uuid => "UUID",
        };
        s.push_str(&format!(
            "| {} | {} | {} | {} | {shape} | {} |\n",
            code(f.camel_name()),
            code(f.snake_name()),
            spellings.join("; "),
            if f.is_phone_number() { "yes" } else { "" },
            f.description()
        ));
    }
    s
}
