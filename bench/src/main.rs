//! `pvbench`: the Rust side of the benchmark suite, and the corpus generator for the others.
//!
//! pvbench [--reps N] [--n N] [--smoke]     Rust table (markdown) on stdout
//! pvbench corpus PATH [--n N]               writes the corpus as JSON lines for other languages
//! pvbench calls-corpus PATH [--calls N]     the calls corpus (every delivery of N calls), JSON lines
//! pvbench calls [--calls N] [--reps N]      the calls rows (CallTracker), markdown on stdout

mod baseline;
mod calls;
mod corpus;

use std::hint::black_box;
use std::time::Instant;

use corpus::Payload;
use primevox_webhooks::{parse_many, parse_with, ParseOptions};

struct Args {
    reps: usize,
    n: usize,
    corpus_path: Option<String>,
    profile: bool,
    baseline: bool,
    calls: usize,
    calls_corpus: Option<String>,
    calls_run: bool,
}

fn args() -> Args {
    let mut a = Args {
        reps: 15,
        n: 10_000,
        corpus_path: None,
        profile: false,
        baseline: false,
        calls: 10_000,
        calls_corpus: None,
        calls_run: false,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut it = argv.iter();
    while let Some(x) = it.next() {
        match x.as_str() {
            "--reps" => a.reps = it.next().and_then(|v| v.parse().ok()).expect("--reps N"),
            "--n" => a.n = it.next().and_then(|v| v.parse().ok()).expect("--n N"),
            "--smoke" => {
                a.reps = 3;
                a.n = 600;
            }
            "--calls" => a.calls = it.next().and_then(|v| v.parse().ok()).expect("--calls N"),
            "calls-corpus" => a.calls_corpus = Some(it.next().expect("calls-corpus PATH").clone()),
            "calls" => a.calls_run = true,
            "corpus" => a.corpus_path = Some(it.next().expect("corpus PATH").clone()),
            "profile" => a.profile = true,
            "profile-baseline" => {
                a.profile = true;
                a.baseline = true;
            }
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

type Contender<'c> = (&'static str, Box<dyn Fn(&[&Payload]) -> usize + 'c>);

/// Which clock times a pass.
#[derive(Clone, Copy)]
enum Clock {
    /// CPU time of this thread: on a shared, oversubscribed machine wall time mostly measures
    /// the other tenants. For single-threaded contenders.
    ThreadCpu,
    /// Wall time: for the batch rows, whose point is to use several threads.
    Wall,
}

fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid pointer to a timespec; CLOCK_THREAD_CPUTIME_ID exists on every Unix we run on.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Runs each contender over the set once per repetition, rotating the order every repetition
/// so that none always runs first; returns per-repetition seconds per contender.
fn measure(
    set: &[&Payload],
    contenders: &[Contender<'_>],
    reps: usize,
    clock: Clock,
) -> Vec<Vec<f64>> {
    let mut times = vec![Vec::with_capacity(reps); contenders.len()];
    for c in contenders {
        black_box((c.1)(set)); // warm-up
    }
    for rep in 0..reps {
        for k in 0..contenders.len() {
            let i = (k + rep) % contenders.len();
            match clock {
                Clock::ThreadCpu => {
                    let t = thread_cpu_seconds();
                    black_box((contenders[i].1)(set));
                    times[i].push(thread_cpu_seconds() - t);
                }
                Clock::Wall => {
                    let t = Instant::now();
                    black_box((contenders[i].1)(set));
                    times[i].push(t.elapsed().as_secs_f64());
                }
            }
        }
    }
    times
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Median over repetitions of other/ours, paired repetition by repetition.
fn paired_ratio(other: &[f64], ours: &[f64]) -> f64 {
    median(other.iter().zip(ours).map(|(o, u)| o / u).collect())
}

fn main() {
    let a = args();
    if let Some(path) = &a.calls_corpus {
        let ds = calls::corpus(a.calls);
        std::fs::write(path, calls::to_jsonl(&ds)).expect("write calls corpus");
        eprintln!(
            "wrote {} deliveries of {} calls to {path}",
            ds.len(),
            a.calls
        );
        return;
    }
    if a.calls_run {
        calls::run(a.calls, a.reps);
        return;
    }
    let corpus = corpus::corpus(a.n);
    if let Some(path) = a.corpus_path {
        std::fs::write(&path, corpus::to_jsonl(&corpus)).expect("write corpus");
        eprintln!("wrote {} payloads to {path}", corpus.len());
        return;
    }
    let options = ParseOptions::default();
    if a.profile {
        // Only the SDK, for perf/callgrind: `pvbench profile --reps N`.
        let mut n = 0;
        for _ in 0..a.reps {
            for p in &corpus {
                n += if a.baseline {
                    baseline::parse(p).map_or(0, |e| e.kind.len())
                } else {
                    parse_with(p.body.as_bytes(), p.content_type, &options)
                        .map_or(0, |e| e.extra().len() + 1)
                };
            }
        }
        println!("{n}");
        return;
    }
    // Every payload must parse in both the SDK and the baseline, or the comparison is void.
    for p in &corpus {
        parse_with(p.body.as_bytes(), p.content_type, &options)
            .unwrap_or_else(|e| panic!("corpus payload rejected: {e}\n{}", p.body));
        baseline::parse(p).unwrap_or_else(|e| panic!("baseline rejected: {e}\n{}", p.body));
    }
    let all: Vec<&Payload> = corpus.iter().collect();
    let json: Vec<&Payload> = corpus.iter().filter(|p| p.is_json).collect();
    let form: Vec<&Payload> = corpus.iter().filter(|p| !p.is_json).collect();

    let opts = &options;
    let contenders: Vec<Contender<'_>> = vec![
        (
            "primevox-webhooks (borrowed Event)",
            Box::new(move |set: &[&Payload]| {
                set.iter()
                    .map(|p| {
                        parse_with(p.body.as_bytes(), p.content_type, opts)
                            .map_or(0, |e| e.extra().len() + 1)
                    })
                    .sum()
            }),
        ),
        (
            "primevox-webhooks (owned Event)",
            Box::new(move |set: &[&Payload]| {
                set.iter()
                    .map(|p| {
                        parse_with(p.body.as_bytes(), p.content_type, opts)
                            .map_or(0, |e| e.into_owned().extra().len() + 1)
                    })
                    .sum()
            }),
        ),
        (
            "serde_json / serde_urlencoded derive",
            Box::new(|set: &[&Payload]| {
                set.iter()
                    .map(|p| baseline::parse(p).map_or(0, |e| e.kind.len()))
                    .sum()
            }),
        ),
        (
            "floor: one memchr pass",
            Box::new(|set: &[&Payload]| {
                set.iter()
                    .map(|p| {
                        let b = p.body.as_bytes();
                        memchr::memchr2_iter(b'&', b'"', b).count()
                    })
                    .sum()
            }),
        ),
    ];

    println!(
        "Rust: {} payloads ({} JSON, {} form), {} repetitions, {} cores; CPU time of the thread (batch row: wall time)\n",
        corpus.len(),
        json.len(),
        form.len(),
        a.reps,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("| subset | contender | median ns/event | SDK speed-up (paired median) |");
    println!("|---|---|---:|---:|");
    for (label, set) in [("mixed", &all), ("JSON only", &json), ("form only", &form)] {
        let times = measure(set, &contenders, a.reps, Clock::ThreadCpu);
        for (i, (name, _)) in contenders.iter().enumerate() {
            let ns = median(times[i].clone()) * 1e9 / set.len() as f64;
            let ratio = if i == 0 {
                "1.00x".to_owned()
            } else {
                let r = paired_ratio(&times[i], &times[0]);
                if r >= 1.0 {
                    format!("{r:.2}x faster")
                } else {
                    format!("{:.2}x slower", 1.0 / r)
                }
            };
            println!("| {label} | {name} | {ns:.0} | {ratio} |");
        }
    }

    // Batch: parse_many over the whole corpus against one parse_with call per payload.
    let items: Vec<(&[u8], Option<&str>)> = corpus
        .iter()
        .map(|p| (p.body.as_bytes(), p.content_type))
        .collect();
    let items = &items;
    let batch: Vec<Contender<'_>> = vec![
        (
            "parse_many",
            Box::new(move |_: &[&Payload]| parse_many(items, opts).len()),
        ),
        (
            // Collected, as parse_many's results are: keeping 10,000 events alive costs
            // allocator and cache work that dropping each one at once would not show.
            "single calls",
            Box::new(move |_: &[&Payload]| {
                items
                    .iter()
                    .map(|(b, ct)| parse_with(b, *ct, opts))
                    .collect::<Vec<_>>()
                    .len()
            }),
        ),
    ];
    let times = measure(&all, &batch, a.reps, Clock::Wall);
    println!(
        "| mixed | parse_many vs single calls (throughput) | {:.0} | {:.2}x |",
        median(times[0].clone()) * 1e9 / all.len() as f64,
        paired_ratio(&times[1], &times[0])
    );
}
