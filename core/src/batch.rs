//! Parsing many bodies at once, spread over the machine's cores.

use crate::error::ParseError;
use crate::event::Event;
use crate::parse::{parse_with, ParseOptions};

/// One body to parse and its Content-Type.
pub type BatchItem<'a> = (&'a [u8], Option<&'a str>);

// Below this much work a second thread costs more than it saves.
const MIN_BYTES_PER_THREAD: usize = 32 * 1024;

/// Parses every item, in order, one result per item: one bad body never affects the others.
/// Large batches are split across `std::thread::available_parallelism` scoped threads.
pub fn parse_many<'a>(
    items: &[BatchItem<'a>],
    options: &ParseOptions,
) -> Vec<Result<Event<'a>, ParseError>> {
    parse_many_map(items, options, |r| r)
}

/// Like [`parse_many`], mapping each result (for example to a binding's own type) on the
/// worker threads, so that bindings can do their per-event work in parallel too.
pub fn parse_many_map<'a, T: Send>(
    items: &[BatchItem<'a>],
    options: &ParseOptions,
    map: impl Fn(Result<Event<'a>, ParseError>) -> T + Sync,
) -> Vec<T> {
    let total: usize = items.iter().map(|(b, _)| b.len()).sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores
        .min(total / MIN_BYTES_PER_THREAD)
        .min(items.len())
        .max(1);
    let run = |part: &[BatchItem<'a>]| -> Vec<T> {
        part.iter()
            .map(|(b, ct)| map(parse_with(b, *ct, options)))
            .collect()
    };
    if threads == 1 {
        return run(items);
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let mut parts = items.chunks(chunk);
        let first = parts.next().unwrap_or_default();
        let handles: Vec<_> = parts.map(|part| s.spawn(|| run(part))).collect();
        // The calling thread takes the first share instead of waiting.
        let mut out = run(first);
        out.reserve(items.len() - out.len());
        for h in handles {
            // parse_with does not panic (property-tested and fuzzed); if it ever did, re-raise
            // it here rather than lose results silently.
            out.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        out
    })
}
