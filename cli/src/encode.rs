//! `encode`: canonical JSON in, the vendor's wire body out.

use primevox_webhooks::{api, ErrorCode, ParseError};

use crate::parse::print_error;
use crate::{read_input, Outcome};

/// Canonical JSON in, the vendor's wire body out (its Content-Type on stderr).
#[derive(clap::Args)]
pub struct Args {
    /// The canonical JSON event; `-` or nothing reads stdin.
    #[arg(value_name = "FILE|-")]
    file: Option<String>,
}

pub fn run(a: Args) -> Outcome {
    let body = read_input(a.file.as_deref())?;
    let Ok(text) = String::from_utf8(body) else {
        return Err(print_error(&ParseError::new(
            ErrorCode::InvalidJson,
            None,
            "canonical JSON must be UTF-8",
        )));
    };
    match api::encode_json(text.trim()) {
        Ok(enc) => {
            eprintln!("Content-Type: {}", enc.content_type);
            println!("{}", enc.body);
            Ok(())
        }
        Err(e) => Err(print_error(&e)),
    }
}
