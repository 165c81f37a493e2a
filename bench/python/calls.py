"""The calls rows for Python: deliveries per second through ``pv.CallTracker`` (events parsed
beforehand) over the calls corpus (``pvbench calls-corpus``), median of the repetitions, timed
with the thread's CPU time as the other Python rows.

    python bench/python/calls.py CALLS.jsonl [--reps N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import primevox_webhooks as pv


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--reps", type=int, default=15)
    a = ap.parse_args()
    with open(a.corpus, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    events = [(pv.parse(r["body"].encode("utf-8"), r["contentType"]), r["at"]) for r in rows]

    def run() -> pv.CallTracker:
        t = pv.CallTracker()
        add = t.add
        for e, at in events:
            add(e, at)
        return t

    run()
    times = []
    for _ in range(a.reps):
        t0 = time.thread_time()
        run()
        times.append(time.thread_time() - t0)
    tracker = run()
    calls = tracker.drain()
    sizes = [len(c.to_json().encode("utf-8")) for c in calls]
    ns = statistics.median(times) * 1e9 / len(events)
    print(f"| calls ({len(calls)} calls, {len(events)} deliveries) | CallTracker.add | {ns:.0f} | {1e9 / ns:.0f} deliveries/s |")
    print(f"- calls (Python): {1e9 / ns:.0f} deliveries/s through CallTracker.add (events parsed beforehand); "
          f"state JSON per call: mean {sum(sizes) / len(sizes):.0f} bytes, max {max(sizes)} bytes")


if __name__ == "__main__":
    main()
