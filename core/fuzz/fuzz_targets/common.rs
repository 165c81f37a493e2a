//! Shared by the targets: how the first bytes of a fuzz input choose the parse call.

use primevox_webhooks::ParseOptions;

/// Content types the targets pick from; the last slot takes one from the input itself.
pub const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("application/json"),
    Some("application/x-www-form-urlencoded"),
    Some("text/plain"),
    Some("application/octet-stream"),
    Some(" Application/JSON ; charset=\"utf-8\";;"),
    Some("application/vnd.primevox+json"),
    Some(""),
];

/// Splits a fuzz input into (body, content type, options).
///
/// Byte 0: bit 0 strict, bits 1-3 content type (7 = read from the input up to the first NUL),
/// bit 4 a small body limit (byte 1), bit 5 a custom max depth (byte 2, 0..=255).
pub fn split(data: &[u8]) -> Option<(&[u8], Option<String>, ParseOptions)> {
    let (&flags, mut rest) = data.split_first()?;
    let mut options = ParseOptions {
        strict: flags & 1 == 1,
        ..ParseOptions::default()
    };
    if flags & 0x10 != 0 {
        let (&n, r) = rest.split_first()?;
        options.max_body_bytes = usize::from(n) * 8;
        rest = r;
    }
    if flags & 0x20 != 0 {
        let (&n, r) = rest.split_first()?;
        options.max_depth = usize::from(n);
        rest = r;
    }
    let pick = usize::from((flags >> 1) & 7);
    let content_type = if pick == 7 {
        let nul = rest.iter().position(|&c| c == 0)?;
        let ct = String::from_utf8_lossy(&rest[..nul]).into_owned();
        rest = &rest[nul + 1..];
        Some(ct)
    } else {
        CONTENT_TYPES[pick].map(str::to_owned)
    };
    Some((rest, content_type, options))
}
