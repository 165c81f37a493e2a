//! The calls benchmark: a generated corpus of whole calls (every delivery of 10,000 calls,
//! interleaved as a receiver would get them, with retries and some out of order), and the Rust
//! row: deliveries per second through `CallTracker`, and the state size per call.
//!
//! pvbench calls-corpus PATH [--calls N]   writes the deliveries as JSON lines
//!                                          ({"at","contentType","body"}: the CLI's capture format)
//! pvbench calls [--calls N] [--reps N]     the Rust rows (markdown) on stdout

use std::fmt::Write as _;
use std::hint::black_box;

use primevox_webhooks::calls::CallTracker;
use primevox_webhooks::{parse, Event};

use crate::corpus::Rng;

const FORM: &str = "application/x-www-form-urlencoded";

/// One delivery: when the receiver got it, and its form body.
pub struct Delivery {
    pub at: u64,
    pub body: String,
}

fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => out.push(b as char),
            b' ' => out.push('+'),
            _ => write!(out, "%{b:02X}").unwrap(),
        }
    }
    out
}

/// Every delivery of `n` calls, sorted by `at` with a few out of order, 5% retried.
pub fn corpus(n: usize) -> Vec<Delivery> {
    let mut r = Rng::new(0xCA11_5EED);
    let mut out = Vec::new();
    let names = ["Ana María", "Zoë O'Brien", "JANE DOE", "Łukasz", "Søren"];
    for i in 0..n {
        let uuid = format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            r.next() as u32,
            r.below(0x10000),
            r.below(0x1000),
            r.below(0x1000),
            r.next() & 0xffff_ffff_ffff
        );
        // Some deliveries carry the id in capitals: one call all the same.
        let id = |r: &mut Rng| {
            if r.chance(10) {
                uuid.to_uppercase()
            } else {
                uuid.clone()
            }
        };
        let base = "containerId=3547&tenantId=118";
        let caller = format!("1737555{:04}", r.below(10_000));
        let picked: &&str = r.pick(&names[..]);
        let name = enc(picked);
        let start = 1_764_565_200_000 + i as u64 * 40 + r.below(40);
        let mut t = start;
        let mut ds: Vec<(u64, String)> = Vec::new();
        let scenario = r.below(100);
        if scenario < 15 {
            let ext = 100 + r.below(50);
            ds.push((t, format!("eventType=outboundCall&{base}&extNumber={ext}&extName=Ext+{ext}&callUuid={}&numberDialed=1512555{:04}", id(&mut r), r.below(10_000))));
            t += 2_000 + r.below(20_000);
            ds.push((t, format!("eventType=inboundCallCompleted&{base}&extNumber={ext}&extName=Ext+{ext}&callUuid={}&callerIdName=&callerIdNum=", id(&mut r))));
        } else {
            ds.push((t, format!("eventType=InboundCall&eventTarget=phoneNumber&{base}&didNumber=15125550100&didDescription=Main+Line&didGroup=Sales&cidPrefix=&callUuid={}&callerIdNum={caller}&callerIdName={name}", id(&mut r))));
            if r.chance(40) {
                t += 100 + r.below(500);
                ds.push((t, format!("eventType=queueEntered&eventTarget=queue&{base}&queueNumber=8{:02}&callUuid={}&callerIdNum={caller}", r.below(5), id(&mut r))));
            }
            if r.chance(30) {
                t += 100 + r.below(500);
                ds.push((t, format!("eventType=ringAttempt&eventTarget=ringGroup&{base}&rgNumber=6{:02}&callUuid={}&callerIdNum={caller}", r.below(5), id(&mut r))));
            }
            let rings = 1 + r.below(4);
            let mut exts = Vec::new();
            for _ in 0..rings {
                let ext = 100 + r.below(50);
                exts.push(ext);
                ds.push((t + r.below(50), format!("eventType=ringAttempt&eventTarget=extension&{base}&extNumber={ext}&extName=Ext+{ext}&callUuid={}&callerIdNum={caller}", id(&mut r))));
            }
            t += 5_000 + r.below(20_000);
            let how = r.below(100);
            let ext = exts[0];
            let hangup_ext = if how < 45 {
                ds.push((t, format!("eventType=ExtensionAnswered&{base}&callUuid={}&callerIdNum={caller}&callerIdName={name}&extensionNumber={ext}&extensionName=Ext+{ext}", id(&mut r))));
                t += 10_000 + r.below(300_000);
                ds.push((t, format!("eventType=inboundCallCompleted&{base}&extNumber={ext}&extName=Ext+{ext}&callUuid={}&callerIdName={name}&callerIdNum={caller}", id(&mut r))));
                format!("extNumber={ext}&extName=Ext+{ext}")
            } else if how < 70 {
                t += 20_000 + r.below(40_000);
                ds.push((t, format!("eventType=voicemailHangup&{base}&extNumber={ext}&extName=Ext+{ext}&callUuid={}&callerIdName={name}&callerIdNum={caller}", id(&mut r))));
                format!("extNumber={ext}&extName=Ext+{ext}")
            } else {
                "extNumber=&extName=".to_owned()
            };
            t += 5 + r.below(50);
            ds.push((t, format!("eventType=HangupCall&{base}&{hangup_ext}&callUuid={}&callerIdName={name}&callerIdNum={caller}", id(&mut r))));
        }
        for (at, body) in ds {
            if r.chance(5) {
                out.push(Delivery {
                    at: at + 1_000 + r.below(60_000),
                    body: body.clone(),
                });
            }
            out.push(Delivery { at, body });
        }
    }
    out.sort_by_key(|d| d.at);
    // Receivers see some deliveries out of order: swap 2% with a neighbour.
    for i in 1..out.len() {
        if r.chance(2) {
            out.swap(i - 1, i);
        }
    }
    out
}

/// JSON lines in the capture format.
pub fn to_jsonl(ds: &[Delivery]) -> String {
    let mut s = String::new();
    for d in ds {
        s.push_str(&format!(
            "{{\"at\":{},\"contentType\":\"{FORM}\",\"body\":{}}}\n",
            d.at,
            serde_json::to_string(&d.body).unwrap()
        ));
    }
    s
}

/// The Rust rows: median ns per delivery through `CallTracker::add` (events parsed beforehand),
/// and the state JSON size per call.
pub fn run(n: usize, reps: usize) {
    let ds = corpus(n);
    let events: Vec<(Event<'static>, u64)> = ds
        .iter()
        .map(|d| {
            (
                parse(d.body.as_bytes(), Some(FORM))
                    .expect("corpus delivery")
                    .into_owned(),
                d.at,
            )
        })
        .collect();
    let pass = || {
        let mut t = CallTracker::new();
        let mut ended = 0usize;
        for (e, at) in &events {
            ended += usize::from(t.add(e, *at).expect("call event").ended);
        }
        (t, ended)
    };
    black_box(pass());
    let mut times = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t0 = crate::thread_cpu_seconds();
        black_box(pass());
        times.push(crate::thread_cpu_seconds() - t0);
    }
    let (tracker, ended) = pass();
    assert_eq!(tracker.len(), n, "every call tracked");
    assert_eq!(ended, n, "every call in the corpus ends exactly once");
    let sizes: Vec<usize> = tracker.calls().map(|c| c.to_json().len()).collect();
    let mean = sizes.iter().sum::<usize>() as f64 / sizes.len() as f64;
    let max = sizes.iter().max().copied().unwrap_or(0);
    let ns = crate::median(times) * 1e9 / events.len() as f64;
    println!(
        "| calls ({n} calls, {} deliveries) | CallTracker.add | {ns:.0} | {:.0} deliveries/s |",
        events.len(),
        1e9 / ns
    );
    println!(
        "- calls (Rust): {:.0} deliveries/s through CallTracker.add (events parsed beforehand); state JSON per call: mean {mean:.0} bytes, max {max} bytes",
        1e9 / ns
    );
}
