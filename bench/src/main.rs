//! `pvbench`: the Rust side of the benchmark suite, and the corpus generator for the others.
//!
//! pvbench [--reps N] [--n N] [--smoke]     Rust table (markdown) on stdout
//! pvbench corpus PATH [--n N]               writes the corpus as JSON lines for other languages
//! pvbench calls-corpus PATH [--calls N]     the calls corpus (every delivery of N calls), JSON lines
//! pvbench calls [--calls N] [--reps N]      the calls rows (CallTracker), markdown on stdout
//! pvbench profile WHO [--subset S] [--reps N]  one contender alone, for callgrind / perf (--help)

mod baseline;
mod calls;
mod corpus;
mod cpu;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use baseline::JsonLib;
use clap::{Parser, Subcommand, ValueEnum};
use corpus::Payload;
use cpu::thread_cpu_seconds;
use primevox_webhooks::{parse_many, parse_with, Event, ExtraValue, Field, ParseOptions};

/// The Rust side of the benchmark suite (markdown table on stdout), and the corpus generator for
/// the other languages.
#[derive(Parser)]
#[command(name = "pvbench")]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Repetitions per contender.
    #[arg(long, global = true, default_value_t = 15)]
    reps: usize,
    /// Payloads in the corpus.
    #[arg(long, global = true, default_value_t = 10_000)]
    n: usize,
    /// 600 payloads, 3 repetitions: checks that everything still runs.
    #[arg(long, global = true)]
    smoke: bool,
    /// Calls in the calls corpus (`calls`, `calls-corpus`).
    #[arg(long, global = true, default_value_t = 10_000)]
    calls: usize,
    /// The payloads `profile` loops over.
    #[arg(long, global = true, value_enum, default_value_t = Subset::Mixed)]
    subset: Subset,
}

#[derive(Subcommand)]
enum Command {
    /// Writes the corpus as JSON lines, for the other languages.
    Corpus { path: PathBuf },
    /// Writes the calls corpus (every delivery of `--calls` calls) as JSON lines.
    CallsCorpus { path: PathBuf },
    /// The calls rows (CallTracker), markdown on stdout.
    Calls,
    /// Loops one contender alone over `--subset`, `--reps` times, for callgrind / perf.
    Profile {
        #[arg(value_enum, default_value_t = Who::Sdk)]
        who: Who,
    },
    /// The old spelling of `profile serde`.
    #[command(hide = true)]
    ProfileBaseline,
}

#[derive(Clone, Copy, ValueEnum)]
enum Subset {
    Mixed,
    Json,
    Form,
}

/// The contenders `profile` can loop, in the order of the table's first rows.
#[derive(Clone, Copy, ValueEnum)]
enum Who {
    Sdk,
    SdkOwned,
    Serde,
    SerdeOwned,
    Sonic,
    SonicOwned,
}

fn args() -> Args {
    let mut a = Args::parse();
    if a.smoke {
        a.reps = 3;
        a.n = 600;
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

/// The first field of /proc/loadavg (the 1-minute load average), or "?".
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Median over repetitions of other/ours, paired repetition by repetition.
fn paired_ratio(other: &[f64], ours: &[f64]) -> f64 {
    median(other.iter().zip(ours).map(|(o, u)| o / u).collect())
}

/// Every field of an SDK event read, as a user's handler would: the summed lengths.
fn read_all(e: &Event<'_>) -> usize {
    let mut n = e.event_type().len() + e.kind().as_str().len();
    for (_, v) in e.fields() {
        n += v.map_or(0, str::len);
    }
    for (name, v) in e.extra() {
        n += name.len()
            + match v {
                ExtraValue::Text(t) => t.len(),
                ExtraValue::Json(j) => j.len(),
            };
    }
    n
}

/// The SDK and every alternative must accept every payload and agree on the kind and on every
/// field of that kind, or the comparison is void.
fn check_agreement(corpus: &[Payload], options: &ParseOptions) {
    for p in corpus {
        let e = parse_with(p.body.as_bytes(), p.content_type, options)
            .unwrap_or_else(|e| panic!("corpus payload rejected: {e}\n{}", p.body));
        let mut others: Vec<(&str, &'static str, Vec<Option<String>>)> = Vec::new();
        for (name, lib) in [
            ("serde_json", JsonLib::SerdeJson),
            ("sonic-rs", JsonLib::Sonic),
        ] {
            let b = baseline::borrowed(p, lib)
                .unwrap_or_else(|err| panic!("{name} (borrowed) rejected: {err}\n{}", p.body));
            let o = baseline::owned(p, lib)
                .unwrap_or_else(|err| panic!("{name} (owned) rejected: {err}\n{}", p.body));
            let fields = |get: &dyn Fn(Field) -> Option<String>| {
                e.kind()
                    .fields()
                    .iter()
                    .map(|&f| get(f))
                    .collect::<Vec<_>>()
            };
            others.push((name, b.kind(), fields(&|f| b.get(f).map(str::to_owned))));
            others.push((name, o.kind(), fields(&|f| o.get(f).map(str::to_owned))));
        }
        let ours: Vec<Option<String>> = e.fields().map(|(_, v)| v.map(str::to_owned)).collect();
        for (name, kind, theirs) in others {
            assert_eq!(
                kind,
                e.kind().as_str(),
                "{name} disagrees on the kind\n{}",
                p.body
            );
            for ((f, a), b) in e.kind().fields().iter().zip(&ours).zip(&theirs) {
                assert_eq!(a, b, "{name} disagrees on {}\n{}", f.camel_name(), p.body);
            }
        }
    }
}

fn main() {
    let a = args();
    let profile = match a.command {
        Some(Command::CallsCorpus { ref path }) => {
            let ds = calls::corpus(a.calls);
            std::fs::write(path, calls::to_jsonl(&ds)).expect("write calls corpus");
            eprintln!(
                "wrote {} deliveries of {} calls to {}",
                ds.len(),
                a.calls,
                path.display()
            );
            return;
        }
        Some(Command::Calls) => {
            calls::run(a.calls, a.reps);
            return;
        }
        Some(Command::Profile { who }) => Some(who),
        Some(Command::ProfileBaseline) => Some(Who::Serde),
        Some(Command::Corpus { .. }) | None => None,
    };
    let corpus = corpus::corpus(a.n);
    if let Some(Command::Corpus { path }) = &a.command {
        std::fs::write(path, corpus::to_jsonl(&corpus)).expect("write corpus");
        eprintln!("wrote {} payloads to {}", corpus.len(), path.display());
        return;
    }
    let options = ParseOptions::default();
    let all: Vec<&Payload> = corpus.iter().collect();
    let json: Vec<&Payload> = corpus.iter().filter(|p| p.is_json).collect();
    let form: Vec<&Payload> = corpus.iter().filter(|p| !p.is_json).collect();

    let opts = &options;
    // Every contender reads every field of its result (`read_all`), as a handler would; the
    // borrowed rows keep strings in the body where they can, the owned rows copy them all.
    // The last element names the SDK row each alternative is compared with.
    let contenders: Vec<(Contender<'_>, usize)> = vec![
        (
            (
                "primevox-webhooks (borrowed Event)",
                Box::new(move |set: &[&Payload]| {
                    set.iter()
                        .map(|p| {
                            parse_with(p.body.as_bytes(), p.content_type, opts)
                                .map_or(0, |e| read_all(&e))
                        })
                        .sum()
                }),
            ),
            0,
        ),
        (
            (
                "primevox-webhooks (owned Event)",
                Box::new(move |set: &[&Payload]| {
                    set.iter()
                        .map(|p| {
                            parse_with(p.body.as_bytes(), p.content_type, opts)
                                .map_or(0, |e| read_all(&e.into_owned()))
                        })
                        .sum()
                }),
            ),
            1,
        ),
        (
            (
                "serde_json / serde_urlencoded, borrowed (vs SDK borrowed)",
                Box::new(|set: &[&Payload]| {
                    set.iter()
                        .map(|p| {
                            baseline::borrowed(p, JsonLib::SerdeJson).map_or(0, |e| e.read_all())
                        })
                        .sum()
                }),
            ),
            0,
        ),
        (
            (
                "serde_json / serde_urlencoded, owned (vs SDK owned)",
                Box::new(|set: &[&Payload]| {
                    set.iter()
                        .map(|p| baseline::owned(p, JsonLib::SerdeJson).map_or(0, |e| e.read_all()))
                        .sum()
                }),
            ),
            1,
        ),
        (
            (
                "sonic-rs / serde_urlencoded, borrowed (vs SDK borrowed)",
                Box::new(|set: &[&Payload]| {
                    set.iter()
                        .map(|p| baseline::borrowed(p, JsonLib::Sonic).map_or(0, |e| e.read_all()))
                        .sum()
                }),
            ),
            0,
        ),
        (
            (
                "sonic-rs / serde_urlencoded, owned (vs SDK owned)",
                Box::new(|set: &[&Payload]| {
                    set.iter()
                        .map(|p| baseline::owned(p, JsonLib::Sonic).map_or(0, |e| e.read_all()))
                        .sum()
                }),
            ),
            1,
        ),
        (
            (
                "floor: one memchr pass (vs SDK borrowed)",
                Box::new(|set: &[&Payload]| {
                    set.iter()
                        .map(|p| {
                            let b = p.body.as_bytes();
                            memchr::memchr2_iter(b'&', b'"', b).count()
                        })
                        .sum()
                }),
            ),
            0,
        ),
    ];

    if let Some(who) = profile {
        // One contender alone, for callgrind / perf: `pvbench profile sdk --subset json --reps N`.
        let set = match a.subset {
            Subset::Json => &json,
            Subset::Form => &form,
            Subset::Mixed => &all,
        };
        let i = who as usize;
        let f = &contenders[i].0 .1;
        let n: usize = (0..a.reps).map(|_| f(set)).sum();
        println!("{n}");
        return;
    }
    check_agreement(&corpus, opts);
    let (contenders, against): (Vec<Contender<'_>>, Vec<usize>) = contenders.into_iter().unzip();

    println!(
        "Rust: {} payloads ({} JSON, {} form), {} repetitions, {} cores, load average {}; CPU time of the thread (batch row: wall time); every contender reads every field; agreement with the SDK checked field by field before timing\n",
        corpus.len(),
        json.len(),
        form.len(),
        a.reps,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        loadavg(),
    );
    println!("| subset | contender | median ns/event | SDK speed-up (paired median) |");
    println!("|---|---|---:|---:|");
    for (label, set) in [
        ("mixed, every field read", &all),
        ("JSON only, every field read", &json),
        ("form only, every field read", &form),
    ] {
        let times = measure(set, &contenders, a.reps, Clock::ThreadCpu);
        for (i, (name, _)) in contenders.iter().enumerate() {
            let ns = median(times[i].clone()) * 1e9 / set.len() as f64;
            let ratio = if i == against[i] {
                "1.00x".to_owned()
            } else {
                let r = paired_ratio(&times[i], &times[against[i]]);
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
