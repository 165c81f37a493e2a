//! The capture format: one delivery per JSON line, as `listen --save` writes it and `replay` and
//! `calls` read it:
//! `{"at": <ms>, "method", "path", "query", "headers": {…}, "contentType": <string|null>,
//!   "body": <string> | "bodyBase64": <string>, "status", "error": <object, absent if none>}`.
//! Only `at`, `contentType` and the body are needed to read a line (the format of issue 11).

use std::collections::BTreeMap;
use std::io::BufRead;

use base64::Engine;
use serde::{Deserialize, Serialize};

/// One saved delivery.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Saved {
    /// When the receiver got it, in milliseconds since the epoch.
    pub at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The raw query string, without `?` (empty when there was none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The few request headers worth keeping, lowercase names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    #[serde(rename = "contentType", default)]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(
        rename = "bodyBase64",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub body_base64: Option<String>,
    /// The status the receiver answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The `{"code", "field", "message"}` of a refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<serde_json::Value>,
}

impl Saved {
    /// Stores the body as text when it is UTF-8, else as base64, so bytes survive exactly.
    pub fn set_body(&mut self, bytes: &[u8]) {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                self.body = Some(s.to_owned());
                self.body_base64 = None;
            }
            Err(_) => {
                self.body = None;
                self.body_base64 = Some(base64::engine::general_purpose::STANDARD.encode(bytes));
            }
        }
    }

    /// The body's exact bytes.
    pub fn body_bytes(&self) -> Result<Vec<u8>, String> {
        match (&self.body, &self.body_base64) {
            (Some(b), None) => Ok(b.as_bytes().to_vec()),
            (None, Some(b)) => base64::engine::general_purpose::STANDARD
                .decode(b)
                .map_err(|e| format!("bodyBase64 is not base64: {e}")),
            (Some(_), Some(_)) => Err("has both body and bodyBase64".into()),
            (None, None) => Err("has neither body nor bodyBase64".into()),
        }
    }

    /// The record as one line of JSON, without the newline.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("a capture record always serialises")
    }

    /// Whether the receiver refused it (a saved status outside 2xx). Records without a status
    /// (written by hand or by other tools) count as accepted.
    pub fn refused(&self) -> bool {
        self.status.is_some_and(|s| !(200..300).contains(&s))
    }
}

/// Parses one line; the error says what is wrong with it (the caller adds the line number).
pub fn parse_line(line: &str) -> Result<Saved, String> {
    let saved: Saved = serde_json::from_str(line).map_err(|e| format!("not a delivery: {e}"))?;
    saved.body_bytes()?;
    Ok(saved)
}

/// Every non-blank line of a capture with its 1-based line number, read or not.
pub fn read_lines(reader: impl BufRead) -> impl Iterator<Item = (usize, Result<Saved, String>)> {
    reader.split(b'\n').enumerate().filter_map(|(i, line)| {
        let n = i + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => return Some((n, Err(format!("cannot read: {e}")))),
        };
        let text = match std::str::from_utf8(&line) {
            Ok(t) => t.trim(),
            Err(_) => return Some((n, Err("not UTF-8".into()))),
        };
        if text.is_empty() {
            return None;
        }
        Some((n, parse_line(text)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_round_trip_as_text_or_base64() {
        for body in [
            &b"eventType=InboundCall&x=%2B1"[..],
            &[0xff, 0x00, 0x80][..],
            b"",
        ] {
            let mut s = Saved {
                at: 7,
                ..Saved::default()
            };
            s.set_body(body);
            let back = parse_line(&s.to_line()).unwrap();
            assert_eq!(back.body_bytes().unwrap(), body);
        }
        let mut s = Saved::default();
        s.set_body(&[0xff]);
        assert!(
            s.to_line().contains("\"bodyBase64\":\"/w==\""),
            "{}",
            s.to_line()
        );
        assert!(!s.to_line().contains("\"body\""));
    }

    #[test]
    fn the_minimal_format_of_the_calls_issue_reads() {
        let s = parse_line(r#"{"at": 5, "contentType": null, "body": "a=b"}"#).unwrap();
        assert_eq!(
            (s.at, s.content_type.clone(), s.refused()),
            (5, None, false)
        );
        assert!(parse_line(r#"{"at": 5, "contentType": null}"#).is_err());
        assert!(parse_line(r#"{"at": "x", "body": ""}"#).is_err());
        assert!(parse_line(r#"{"at": 1, "bodyBase64": "@@"}"#).is_err());
    }

    #[test]
    fn line_numbers_count_blank_lines() {
        let text = b"{\"at\":1,\"body\":\"\"}\n\nnope\n{\"at\":2,\"body\":\"x\"}\n";
        let got: Vec<_> = read_lines(&text[..]).map(|(n, r)| (n, r.is_ok())).collect();
        assert_eq!(got, [(1, true), (3, false), (4, true)]);
    }
}
