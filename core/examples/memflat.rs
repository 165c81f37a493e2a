//! Parses a million webhook bodies and checks that resident memory stays flat.
//!
//! Reads VmRSS from /proc/self/status after a warm-up and again after 1,000,000 parses (each
//! event also rendered to canonical JSON, encoded and given a dedup key, and every tenth body an
//! error), and exits non-zero if RSS grew by more than the bound (default 2 MiB: allocator
//! noise, far below the ~hundreds of MiB a leak of even a few bytes per event would show).
//!
//!     cargo run --release -p primevox-webhooks --example memflat [-- EVENTS [BOUND_KIB]]

use std::hint::black_box;

use primevox_webhooks::{parse, parse_with, ParseOptions};

const BODIES: &[(&str, Option<&str>)] = &[
    (
        "eventType=InboundCall&eventTarget=phoneNumber&containerId=3547&tenantId=118\
         &didNumber=15125550100&didDescription=Main+Line&didGroup=Front+Desk&cidPrefix=NEW\
         &callUuid=3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d&callerIdNum=17375550142&callerIdName=JANE+DOE",
        Some("application/x-www-form-urlencoded"),
    ),
    (
        "{\"eventType\":\"inboundMessage\",\"containerID\":\"3547\",\"tenantID\":\"118\",\
         \"conversationID\":\"c-991\",\"toNumber\":\"+15125550100\",\"fromNumber\":\"+17375550142\",\
         \"messageText\":\"Hola \\u00e9 \\ud83d\\ude00 see you\",\"meta\":{\"a\":[1,2,{\"b\":null}]}}",
        Some("application/json"),
    ),
    (
        "eventType=HangupCall&containerId=3547&tenantId=118&callUuid=3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d\
         &callerIdNum=+17375550142&callerIdName=Ren%C3%A9e+O%27Brien&extNumber=101&extName=Front+Desk&x=%FF%zz",
        None,
    ),
    (
        "eventType=ringAttempt&containerId=3547&tenantId=118&callUuid=3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d&rgNumber=600",
        Some("text/plain"),
    ),
];

fn vm_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

fn run(n: usize, sink: &mut usize) {
    let strict = ParseOptions::strict();
    for i in 0..n {
        let (body, ct) = BODIES[i % BODIES.len()];
        if i % 10 == 9 {
            // Errors allocate messages too.
            let e = parse_with(body.as_bytes(), Some("application/json"), &strict).unwrap_err();
            *sink += e.message().len();
            continue;
        }
        let event = parse(body.as_bytes(), ct).expect("a valid body");
        let json = event.to_json();
        let wire = event.encode();
        *sink += json.len() + wire.body.len() + event.dedup_key().len();
        *sink += black_box(event.into_owned()).extra().len();
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let events: usize = args
        .next()
        .map_or(1_000_000, |a| a.parse().expect("EVENTS"));
    let bound_kib: u64 = args.next().map_or(2048, |a| a.parse().expect("BOUND_KIB"));
    let mut sink = 0usize;
    run(10_000, &mut sink); // warm-up: allocator pools, lazy statics
    let before = vm_rss_kib();
    let start = std::time::Instant::now();
    run(events, &mut sink);
    let secs = start.elapsed().as_secs_f64();
    let after = vm_rss_kib();
    let growth = after.saturating_sub(before);
    println!(
        "memflat: {events} events in {secs:.2} s ({:.0}/s); VmRSS before {before} KiB, after {after} KiB, growth {growth} KiB (bound {bound_kib} KiB) [{}]",
        events as f64 / secs,
        black_box(sink) % 10
    );
    if growth > bound_kib {
        eprintln!(
            "memflat: resident memory grew by {growth} KiB, over the bound of {bound_kib} KiB"
        );
        std::process::exit(1);
    }
}
