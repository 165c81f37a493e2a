//! `calls`: a capture in, one call record per line out (the core's call rules, issue 11).

use std::collections::HashMap;
use std::io::BufRead;

use primevox_webhooks::calls::Call;
use primevox_webhooks::parse;

use crate::capture::read_lines;
use crate::{Failure, Outcome};

/// Stitch saved deliveries into call records, one JSON line per call.
///
/// Records are sorted by firstSeenAt, then callUuid. Reads JSON lines {"at": <ms>, "contentType": <string or null>, "body": <string>} (or
/// "bodyBase64" for bytes that are not UTF-8): the format `listen --save` writes, also while
/// listen is still writing it. Messages and unknown events are skipped, and so are deliveries
/// the receiver refused (a saved status outside 2xx). A line that cannot be read, or whose
/// body is not a valid webhook, is reported on stderr with its line number and skipped.
#[derive(clap::Args)]
pub struct Args {
    /// The capture file; `-` or nothing reads stdin.
    #[arg(value_name = "FILE|-")]
    file: Option<String>,
}

pub fn run(a: Args) -> Outcome {
    let name = a.file.as_deref().unwrap_or("-");
    let reader: Box<dyn BufRead> = match name {
        "-" => Box::new(std::io::stdin().lock()),
        p => Box::new(std::io::BufReader::new(
            std::fs::File::open(p).map_err(|e| Failure::usage(format!("cannot read {p}: {e}")))?,
        )),
    };
    let shown = if name == "-" { "stdin" } else { name };
    let mut calls: HashMap<String, Call> = HashMap::new();
    for (n, line) in read_lines(reader) {
        let saved = match line {
            Ok(s) => s,
            Err(why) => {
                eprintln!("{shown}:{n}: skipped: {why}");
                continue;
            }
        };
        if saved.refused() {
            continue;
        }
        let body = saved.body_bytes().expect("checked when the line was read");
        let event = match parse(&body, saved.content_type.as_deref()) {
            Ok(e) => e,
            Err(e) => {
                eprintln!(
                    "{shown}:{n}: skipped: {}: {}",
                    e.code().as_str(),
                    e.message()
                );
                continue;
            }
        };
        if !event.kind().is_call() {
            continue;
        }
        let Some(id) = event.call_uuid().map(str::to_lowercase) else {
            continue;
        };
        if let Err(e) = calls.entry(id).or_default().add(&event, saved.at) {
            eprintln!("{shown}:{n}: skipped: {}", e.message());
        }
    }
    let mut records: Vec<_> = calls.values().map(Call::summary).collect();
    records.sort_by(|a, b| (a.first_seen_at, &a.call_uuid).cmp(&(b.first_seen_at, &b.call_uuid)));
    let mut out = std::io::stdout().lock();
    for r in records {
        use std::io::Write;
        writeln!(out, "{}", r.to_json())
            .map_err(|e| Failure::failed(format!("cannot write: {e}")))?;
    }
    Ok(())
}
