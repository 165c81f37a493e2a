//! `replay`: re-sends saved deliveries byte for byte.

use std::time::Duration;

use primevox_webhooks::{parse, Kind};

use crate::capture::{read_lines, Saved};
use crate::send::{self, target_url};
use crate::{Failure, Outcome};

/// Re-send saved deliveries (a `listen --save` file) byte for byte.
///
/// In file order, with the same method, Content-Type and body, to --to. Exits 1 when any is not
/// answered 2xx. Without --speed or --rate the deliveries go one after another as fast as they are answered.
/// A line that cannot be read stops the replay before anything is sent (exit 2, naming the line).
#[derive(clap::Args)]
pub struct Args {
    /// The capture file (JSON lines, as `listen --save` writes).
    #[arg(value_name = "FILE")]
    file: String,
    /// Where to send: the receiver's URL (its query string, e.g. a token, is kept).
    #[arg(long, value_name = "URL")]
    to: String,
    /// Only deliveries of this kind (repeatable), e.g. --kind call.hangup.
    #[arg(long, value_name = "K")]
    kind: Vec<String>,
    /// Only deliveries saved at or after this time (milliseconds since the epoch).
    #[arg(long, value_name = "MS")]
    since: Option<u64>,
    /// Keep the saved gaps between deliveries, divided by X (1 is real time).
    #[arg(long, value_name = "X", conflicts_with = "rate")]
    speed: Option<f64>,
    /// Send N deliveries per second, whatever the saved gaps.
    #[arg(long, value_name = "N")]
    rate: Option<f64>,
}

pub fn run(a: Args) -> Outcome {
    let url = target_url("--to", &a.to)?;
    let kinds = a
        .kind
        .iter()
        .map(|k| {
            Kind::from_kind_str(k).ok_or_else(|| {
                Failure::usage(format!(
                    "--kind {k:?} is not a kind (kinds: {})",
                    Kind::ALL.map(|k| k.as_str()).join(", ")
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    for (flag, v) in [("--speed", a.speed), ("--rate", a.rate)] {
        if v.is_some_and(|v| !(v.is_finite() && v > 0.0)) {
            return Err(Failure::usage(format!("{flag} must be a positive number")));
        }
    }
    let file = std::fs::File::open(&a.file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", a.file)))?;
    let mut picked: Vec<Saved> = Vec::new();
    for (n, line) in read_lines(std::io::BufReader::new(file)) {
        let saved = line.map_err(|why| Failure::usage(format!("{}:{n}: {why}", a.file)))?;
        if a.since.is_some_and(|s| saved.at < s) {
            continue;
        }
        if !kinds.is_empty() {
            let body = saved.body_bytes().unwrap_or_default();
            let kind = parse(&body, saved.content_type.as_deref()).map(|e| e.kind());
            if !kind.is_ok_and(|k| kinds.contains(&k)) {
                continue;
            }
        }
        picked.push(saved);
    }
    let client = send::client()?;
    let failed = crate::runtime()?.block_on(async {
        let mut failed = Vec::new();
        let mut prev_at: Option<u64> = None;
        for (i, saved) in picked.iter().enumerate() {
            let wait = match (a.speed, a.rate, prev_at) {
                (Some(x), _, Some(p)) => saved.at.saturating_sub(p) as f64 / 1000.0 / x,
                (_, Some(n), _) if i > 0 => 1.0 / n,
                _ => 0.0,
            };
            if wait > 0.0 {
                tokio::time::sleep(Duration::from_secs_f64(wait.min(86_400.0))).await;
            }
            prev_at = Some(saved.at);
            let method = saved
                .method
                .as_deref()
                .and_then(|m| reqwest::Method::from_bytes(m.as_bytes()).ok())
                .unwrap_or(reqwest::Method::POST);
            let body = saved.body_bytes().expect("checked when the line was read");
            let what = format!("delivery at {}", saved.at);
            match send::send(
                &client,
                method,
                url.clone(),
                saved.content_type.as_deref(),
                &[],
                body,
            )
            .await
            {
                Ok(ans) if ans.ok() => println!("{} {what}", ans.status),
                Ok(ans) => {
                    println!("{} {what} {}", ans.status, ans.body);
                    failed.push(format!("{what} answered {}", ans.status));
                }
                Err(why) => {
                    println!("--- {what} {why}");
                    failed.push(format!("{what}: {why}"));
                }
            }
        }
        failed
    });
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "{} of {} deliveries failed: {}",
            failed.len(),
            picked.len(),
            failed.join("; ")
        )))
    }
}
