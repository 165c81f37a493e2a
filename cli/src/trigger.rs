//! `trigger`: sends deliveries exactly as PrimeVOX does, one kind or a whole call.

use std::sync::Arc;
use std::time::Duration;

use primevox_webhooks::{Event, Field, Kind};
use reqwest::Url;

use crate::scenario::{self, fresh_call_uuid, SCENARIOS};
use crate::send::{self, target_url};
use crate::{samples, Failure, Outcome};

/// Send deliveries as PrimeVOX does: one event KIND, or a whole call SCENARIO.
///
/// Messages go as JSON (containerID, tenantID), calls form-encoded with each event's documented
/// spellings and eventTarget, with the values of the bundled examples. Every call delivery of
/// a KIND gets a fresh callUuid; a SCENARIO is one call with a fresh callUuid, sent in order with
/// realistic gaps (divide them with --speed). Exits 1 when any delivery is not answered 2xx.
#[derive(clap::Args)]
#[command(after_help = after_help())]
pub struct Args {
    /// An event kind (call.inbound, message.inbound, ...) or a scenario (call:answered, ...).
    #[arg(value_name = "KIND|SCENARIO")]
    what: String,
    /// Where to send: the receiver's URL.
    #[arg(long, value_name = "URL")]
    to: String,
    /// Override a canonical (camelCase) field in every delivery that has it, e.g.
    /// --set callerIdNum=+15125550123. An empty value leaves the field out.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    set: Vec<String>,
    /// The webhook token: sent as the `token` query parameter, or in --token-header.
    #[arg(long, value_name = "T")]
    token: Option<String>,
    /// Send the token in this request header instead of the query string.
    #[arg(long, value_name = "H", requires = "token")]
    token_header: Option<String>,
    /// How many times to send the kind or run the scenario (each time a fresh callUuid).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    count: u32,
    /// How many deliveries (or scenario calls) to have in flight at once.
    #[arg(long, value_name = "C", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    concurrency: u32,
    /// Divide a scenario's gaps by X (10 plays a call ten times faster).
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    speed: f64,
}

fn after_help() -> String {
    let kinds: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| samples::sample(**k).is_some())
        .map(|k| k.as_str())
        .collect();
    let mut s = format!("Kinds: {}\n\nScenarios:\n", kinds.join(", "));
    for sc in SCENARIOS {
        let total: u64 = sc.steps.iter().map(|s| s.gap_ms).sum();
        s.push_str(&format!(
            "  {:<22} {} ({} deliveries over {} s; outcome {})\n",
            sc.name,
            sc.about,
            sc.steps.len(),
            total / 1000,
            sc.outcome
        ));
    }
    s.push_str("\nFields for --set: ");
    let fields: Vec<&str> = Field::ALL.iter().map(|f| f.camel_name()).collect();
    s.push_str(&fields.join(", "));
    s.push_str(
        "\n\nEach delivery prints one line: its status, kind, callUuid or conversationId.\n\
         Exit codes: 0 every delivery answered 2xx; 1 any did not (each is named); 2 usage error.",
    );
    s
}

/// What to send, resolved from KIND|SCENARIO.
enum Plan {
    Kind(Box<Event<'static>>),
    Scenario(&'static scenario::Scenario),
}

impl Plan {
    fn kinds(&self) -> Vec<Kind> {
        match self {
            Plan::Kind(e) => vec![e.kind()],
            Plan::Scenario(s) => s.kinds().collect(),
        }
    }

    /// The deliveries of one run, each with the gap before it.
    fn run(&self) -> Vec<(u64, Event<'static>)> {
        match self {
            Plan::Kind(e) if e.kind().is_call() => {
                vec![(0, (**e).clone().with(Field::CallUuid, fresh_call_uuid()))]
            }
            Plan::Kind(e) => vec![(0, (**e).clone())],
            Plan::Scenario(s) => s.deliveries(&fresh_call_uuid()),
        }
    }
}

fn plan(what: &str) -> Result<Plan, Failure> {
    if let Some(s) = scenario::find(what) {
        return Ok(Plan::Scenario(s));
    }
    if let Some(k) = Kind::from_kind_str(what) {
        return samples::sample(k)
            .map(|e| Plan::Kind(Box::new(e)))
            .ok_or_else(|| {
                Failure::usage(format!(
                    "kind {what:?} has no wire format to send; pick a documented kind"
                ))
            });
    }
    let names: Vec<&str> = SCENARIOS.iter().map(|s| s.name).collect();
    Err(Failure::usage(format!(
        "unknown kind or scenario {what:?} (kinds: {}; scenarios: {})",
        Kind::ALL
            .iter()
            .filter(|k| **k != Kind::Unknown)
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        names.join(", ")
    )))
}

/// Parses `--set field=value` against the canonical fields and the kinds being sent.
fn overrides(sets: &[String], kinds: &[Kind]) -> Result<Vec<(Field, String)>, Failure> {
    sets.iter()
        .map(|s| {
            let (name, value) = s
                .split_once('=')
                .ok_or_else(|| Failure::usage(format!("--set {s:?}: expected FIELD=VALUE")))?;
            let field = Field::from_camel_name(name).ok_or_else(|| {
                Failure::usage(format!(
                    "--set {s:?}: {name:?} is not a canonical field (fields: {})",
                    Field::ALL.map(|f| f.camel_name()).join(", ")
                ))
            })?;
            if !kinds.iter().any(|k| k.has_field(field)) {
                return Err(Failure::usage(format!(
                    "--set {s:?}: no delivery sent here has the field {name}"
                )));
            }
            Ok((field, value.to_owned()))
        })
        .collect()
}

pub fn run(a: Args) -> Outcome {
    let plan = plan(&a.what)?;
    let sets = overrides(&a.set, &plan.kinds())?;
    let mut url = target_url("--to", &a.to)?;
    if !(a.speed.is_finite() && a.speed > 0.0) {
        return Err(Failure::usage(format!(
            "--speed {}: must be a positive number",
            a.speed
        )));
    }
    let mut headers = Vec::new();
    match (&a.token, &a.token_header) {
        (Some(t), Some(h)) => {
            reqwest::header::HeaderName::from_bytes(h.as_bytes()).map_err(|_| {
                Failure::usage(format!("--token-header {h:?} is not a header name"))
            })?;
            headers.push((h.clone(), t.clone()));
        }
        (Some(t), None) => {
            url.query_pairs_mut().append_pair("token", t);
        }
        _ => {}
    }
    let runs: Vec<Vec<(u64, Event<'static>)>> = (0..a.count)
        .map(|_| {
            plan.run()
                .into_iter()
                .map(|(gap, mut e)| {
                    for (f, v) in &sets {
                        if e.kind().has_field(*f) {
                            e = e.with(*f, v.clone());
                        }
                    }
                    (gap, e)
                })
                .collect()
        })
        .collect();
    let client = send::client()?;
    let failed = crate::runtime()?.block_on(send_all(
        client,
        url,
        Arc::new(headers),
        runs,
        a.concurrency as usize,
        a.speed,
    ));
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "{} deliver{} failed: {}",
            failed.len(),
            if failed.len() == 1 { "y" } else { "ies" },
            failed.join("; ")
        )))
    }
}

/// Sends the runs, at most `concurrency` at once; a run's deliveries go in order. Returns a
/// description of each delivery that failed.
async fn send_all(
    client: reqwest::Client,
    url: Url,
    headers: Arc<Vec<(String, String)>>,
    runs: Vec<Vec<(u64, Event<'static>)>>,
    concurrency: usize,
    speed: f64,
) -> Vec<String> {
    // A single delivery run repeated (a KIND with --count) is spread over the slots too.
    let sem = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for run in runs {
        let permit = sem.clone().acquire_owned().await.expect("never closed");
        let (client, url, headers) = (client.clone(), url.clone(), headers.clone());
        tasks.spawn(async move {
            let mut failed = Vec::new();
            for (gap, event) in run {
                if gap > 0 {
                    tokio::time::sleep(Duration::from_secs_f64(gap as f64 / 1000.0 / speed)).await;
                }
                if let Some(why) = deliver(&client, &url, &headers, &event).await {
                    failed.push(why);
                }
            }
            drop(permit);
            failed
        });
    }
    let mut failed = Vec::new();
    while let Some(done) = tasks.join_next().await {
        failed.extend(done.unwrap_or_else(|e| vec![format!("a sender task stopped: {e}")]));
    }
    failed
}

/// Sends one event; prints its line and returns why it failed, if it did.
async fn deliver(
    client: &reqwest::Client,
    url: &Url,
    headers: &[(String, String)],
    event: &Event<'_>,
) -> Option<String> {
    let enc = event.encode();
    let id = event
        .call_uuid()
        .or(event.conversation_id())
        .unwrap_or("-")
        .to_owned();
    let what = format!("{} {id}", event.kind().as_str());
    match send::send(
        client,
        reqwest::Method::POST,
        url.clone(),
        Some(enc.content_type),
        headers,
        enc.body.into_bytes(),
    )
    .await
    {
        Ok(ans) if ans.ok() => {
            println!("{} {what}", ans.status);
            None
        }
        Ok(ans) => {
            println!("{} {what} {}", ans.status, ans.body);
            Some(format!("{what} answered {} {}", ans.status, ans.body))
        }
        Err(why) => {
            println!("--- {what} {why}");
            Some(format!("{what}: {why}"))
        }
    }
}
