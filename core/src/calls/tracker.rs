//! Many calls at once, keyed by the lowercased `callUuid`, with idle expiry, a bound on the
//! number held, and a hook when a call completes.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use super::{call_key, Call, CallError, CallSummary};
use crate::event::Event;

/// What [`CallTracker::add`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tracked {
    /// The call's record after this delivery.
    pub record: CallSummary,
    /// The delivery was new to the call (not a retry).
    pub new: bool,
    /// This delivery ended the call for the first time (the call completed).
    pub ended: bool,
    /// Calls evicted to stay within the bound (least recently seen first); never dropped
    /// silently.
    pub evicted: Vec<Call>,
}

struct Entry {
    call: Call,
    /// The largest `at` any delivery of this call was added with (retries included).
    seen: u64,
    /// When it was last touched, in add order: breaks ties between equal `seen`.
    seq: u64,
}

type Hook = Box<dyn FnMut(&CallSummary) + Send + Sync>;

/// Tracks many calls, keyed by the lowercased `callUuid`.
///
/// "Recently seen" is the largest `at` a call's deliveries were added with, ties broken by
/// the order of `add`s; [`CallTracker::expire`] and the bound ([`CallTracker::with_max_calls`])
/// both go by it.
#[derive(Default)]
pub struct CallTracker {
    calls: HashMap<String, Entry>,
    /// `(seen, seq, key)` for every call: the least recently seen first.
    order: BTreeSet<(u64, u64, String)>,
    max_calls: Option<usize>,
    seq: u64,
    on_complete: Option<Hook>,
}

impl fmt::Debug for CallTracker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallTracker")
            .field("calls", &self.calls.len())
            .field("max_calls", &self.max_calls)
            .finish()
    }
}

impl CallTracker {
    /// A tracker without a bound.
    pub fn new() -> Self {
        CallTracker::default()
    }

    /// Holds at most `max_calls` calls (at least 1): adding a delivery of a new call beyond
    /// that evicts the least recently seen one, returned in [`Tracked::evicted`].
    pub fn with_max_calls(mut self, max_calls: usize) -> Self {
        self.max_calls = Some(max_calls.max(1));
        self
    }

    /// The bound, if any.
    pub fn max_calls(&self) -> Option<usize> {
        self.max_calls
    }

    /// Runs `hook` with the record whenever a delivery ends a call for the first time.
    pub fn on_complete(mut self, hook: impl FnMut(&CallSummary) + Send + Sync + 'static) -> Self {
        self.on_complete = Some(Box::new(hook));
        self
    }

    /// Adds a delivery received at `at_ms` to its call (created if new). On error
    /// (`not_a_call_event`) nothing changes.
    pub fn add(&mut self, event: &Event<'_>, at_ms: u64) -> Result<Tracked, CallError> {
        let key = call_key(event)?;
        let mut evicted = Vec::new();
        let entry = match self.calls.get_mut(&key) {
            Some(e) => e,
            None => {
                if let Some(max) = self.max_calls {
                    while self.calls.len() >= max {
                        match self.pop_oldest() {
                            Some(c) => evicted.push(c),
                            None => break,
                        }
                    }
                }
                self.calls.entry(key.clone()).or_insert(Entry {
                    call: Call::default(),
                    seen: at_ms,
                    seq: 0,
                })
            }
        };
        let was_ended = entry.call.is_ended();
        // The key was checked above: this cannot fail with call_mismatch.
        let new = entry.call.add(event, at_ms)?;
        self.order.remove(&(entry.seen, entry.seq, key.clone()));
        self.seq += 1;
        entry.seen = entry.seen.max(at_ms);
        entry.seq = self.seq;
        self.order.insert((entry.seen, entry.seq, key));
        let record = entry.call.summary();
        let ended = !was_ended && record.ended;
        if ended {
            if let Some(hook) = self.on_complete.as_mut() {
                hook(&record);
            }
        }
        Ok(Tracked {
            record,
            new,
            ended,
            evicted,
        })
    }

    /// Removes and returns the calls idle for longer than `idle_ms` at `now_ms` (least recently
    /// seen first). A call that never ended is returned as it stands.
    pub fn expire(&mut self, now_ms: u64, idle_ms: u64) -> Vec<Call> {
        let mut out = Vec::new();
        while let Some((seen, _, _)) = self.order.first() {
            if now_ms.saturating_sub(*seen) <= idle_ms {
                break;
            }
            match self.pop_oldest() {
                Some(c) => out.push(c),
                None => break,
            }
        }
        out
    }

    /// The call with this `callUuid` (any case).
    pub fn get(&self, call_uuid: &str) -> Option<&Call> {
        self.calls.get(&call_uuid.to_lowercase()).map(|e| &e.call)
    }

    /// Removes and returns the call with this `callUuid` (any case).
    pub fn remove(&mut self, call_uuid: &str) -> Option<Call> {
        let key = call_uuid.to_lowercase();
        let e = self.calls.remove(&key)?;
        self.order.remove(&(e.seen, e.seq, key));
        Some(e.call)
    }

    /// Removes and returns every call, least recently seen first.
    pub fn drain(&mut self) -> Vec<Call> {
        let mut out = Vec::with_capacity(self.calls.len());
        while let Some(c) = self.pop_oldest() {
            out.push(c);
        }
        out
    }

    /// How many calls are held.
    pub fn len(&self) -> usize {
        self.calls.len()
    }

    /// Whether no call is held.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// The calls held, least recently seen first.
    pub fn calls(&self) -> impl Iterator<Item = &Call> + '_ {
        self.order
            .iter()
            .filter_map(|(_, _, k)| self.calls.get(k).map(|e| &e.call))
    }

    fn pop_oldest(&mut self) -> Option<Call> {
        let (_, _, key) = self.order.pop_first()?;
        self.calls.remove(&key).map(|e| e.call)
    }
}
