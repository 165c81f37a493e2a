//! `parse`: one body in, its canonical JSON (exit 0) or `{"error": …}` (exit 1) out.

use primevox_webhooks::{api, parse_with, ParseError, ParseOptions};

use crate::{read_input, Failure, Outcome};

/// Print the event's canonical JSON, or {"error": {"code", "field", "message"}} and exit 1.
#[derive(clap::Args)]
pub struct Args {
    /// The body to parse; `-` or nothing reads stdin.
    #[arg(value_name = "FILE|-")]
    file: Option<String>,
    /// The request's Content-Type (without it, the body's first byte decides JSON or form).
    #[arg(long, value_name = "T")]
    content_type: Option<String>,
    /// Reject anything not exactly as the vendor documents it.
    #[arg(long)]
    strict: bool,
    /// Bodies larger than this are rejected with body_too_large.
    #[arg(long, value_name = "N", default_value_t = ParseOptions::default().max_body_bytes)]
    max_body_bytes: usize,
}

pub fn run(a: Args) -> Outcome {
    let body = read_input(a.file.as_deref())?;
    let options = ParseOptions {
        strict: a.strict,
        max_body_bytes: a.max_body_bytes,
        ..ParseOptions::default()
    };
    match parse_with(&body, a.content_type.as_deref(), &options) {
        Ok(event) => {
            println!("{}", event.to_json());
            Ok(())
        }
        Err(e) => Err(print_error(&e)),
    }
}

/// Prints `{"error": …}` on stdout (scripts read it there) and fails quietly.
pub fn print_error(e: &ParseError) -> Failure {
    println!("{{\"error\":{}}}", api::error_to_json(e));
    Failure::failed("")
}
