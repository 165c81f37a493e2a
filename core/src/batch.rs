//! Parsing many bodies at once, spread over the machine's cores.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::error::ParseError;
use crate::event::Event;
use crate::parse::{parse_with, ParseOptions};

/// One body to parse and its Content-Type.
pub type BatchItem<'a> = (&'a [u8], Option<&'a str>);

// Below this much work a second thread costs more than it saves.
const MIN_BYTES_PER_THREAD: usize = 32 * 1024;

/// Items per unit of work in [`parse_many_pipelined`].
pub const PIPELINE_CHUNK: usize = 256;

/// One result per item.
pub type Parsed<'a> = Vec<Result<Event<'a>, ParseError>>;

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

/// Like [`parse_many`], but hands the results to `consume` on the calling thread, in order, one
/// chunk of [`PIPELINE_CHUNK`] items at a time (with the index of the chunk's first item), as
/// soon as that chunk is parsed, while other threads parse the next chunks: a binding's
/// per-event work that must stay on one thread (building Python objects under the GIL) overlaps
/// the parsing. The calling thread parses too whenever the next chunk is not ready. Small batches
/// are parsed as [`parse_many`] does and handed over at once. An error from `consume` stops the
/// batch (no further chunk is started) and is returned.
///
/// Why it cannot hang (issue 15.5; the streaming Python `parse_many` reverted in 599a3b8 hung in
/// `recv` on both sides): each chunk is claimed exactly once (`fetch_add`) by a thread that
/// parses it at once, so every chunk the caller waits for is being parsed or already sent; the
/// channel is unbounded, so a worker never blocks in `send`; only the workers hold senders (the
/// caller drops its own before waiting), so a worker that dies disconnects the channel instead
/// of leaving `recv` waiting; the caller only blocks in `recv` once every chunk is claimed; and
/// the workers never take a binding's lock (the GIL): only `consume`, on the calling thread, does.
pub fn parse_many_pipelined<'a, E>(
    items: &[BatchItem<'a>],
    options: &ParseOptions,
    mut consume: impl FnMut(usize, Parsed<'a>) -> Result<(), E>,
) -> Result<(), E> {
    let total: usize = items.iter().map(|(b, _)| b.len()).sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunks: Vec<&[BatchItem<'a>]> = items.chunks(PIPELINE_CHUNK).collect();
    let chunks: &[&[BatchItem<'a>]] = &chunks;
    let workers = cores.min(total / MIN_BYTES_PER_THREAD).min(chunks.len());
    if workers <= 1 {
        return consume(0, parse_many(items, options));
    }
    let parse_chunk = |i: usize| -> Parsed<'a> {
        chunks[i]
            .iter()
            .map(|(b, ct)| parse_with(b, *ct, options))
            .collect()
    };
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Parsed<'a>)>();
    std::thread::scope(|s| {
        for _ in 1..workers {
            let tx = tx.clone();
            let (next, parse_chunk) = (&next, &parse_chunk);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= chunks.len() || tx.send((i, parse_chunk(i))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        // If `consume` panics, the workers stop after their current chunk instead of parsing the
        // rest of the batch for nobody (the scope joins them before the panic goes on).
        let _stop = StopOnUnwind(&next, chunks.len());
        let mut ready: Vec<Option<Parsed<'a>>> = (0..chunks.len()).map(|_| None).collect();
        let mut done = 0;
        while done < chunks.len() {
            let mut arrived = rx.try_recv().ok();
            if arrived.is_none() && ready[done].is_none() {
                let i = next.fetch_add(1, Ordering::Relaxed);
                arrived = if i < chunks.len() {
                    Some((i, parse_chunk(i)))
                } else {
                    // Every sender gone with chunks missing: a worker panicked, which leaving
                    // the scope re-raises.
                    let Ok(m) = rx.recv() else { break };
                    Some(m)
                };
            }
            if let Some((i, parsed)) = arrived {
                ready[i] = Some(parsed);
            }
            while let Some(parsed) = ready.get_mut(done).and_then(Option::take) {
                if let Err(e) = consume(done * PIPELINE_CHUNK, parsed) {
                    next.store(chunks.len(), Ordering::Relaxed);
                    return Err(e);
                }
                done += 1;
            }
        }
        Ok(())
    })
}

/// Stores `.1` in `.0` when dropped during a panic: claims every remaining chunk.
struct StopOnUnwind<'a>(&'a AtomicUsize, usize);

impl Drop for StopOnUnwind<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(self.1, Ordering::Relaxed);
        }
    }
}
