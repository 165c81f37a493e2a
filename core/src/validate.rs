//! Strict-mode shape checks on field content (lenient mode keeps content as sent).

use crate::error::{ErrorCode, ParseError};
use crate::event::Event;
use crate::kind::{Shape, SHAPED};

/// `8-4-4-4-12` hexadecimal digits, either case.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

pub(crate) fn strict_shapes(event: &Event<'_>) -> Result<(), ParseError> {
    for f in SHAPED {
        let Some(v) = event.get(f) else { continue };
        let (ok, what) = match f.shape() {
            Shape::Any => continue,
            Shape::Digits => (is_digits(v), "all digits"),
            Shape::Uuid => (
                is_uuid(v),
                "a UUID such as 3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d",
            ),
        };
        if !ok {
            return Err(ParseError::new(
                ErrorCode::InvalidField,
                Some(f.camel_name()),
                format!("{} must be {what} (strict mode)", f.camel_name()),
            ));
        }
    }
    Ok(())
}
