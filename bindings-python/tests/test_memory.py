"""A million parses (events, errors, batches) leave resident memory flat: nothing leaks through
the binding, including the bodies that events borrow from."""

from __future__ import annotations

import gc
import os

import primevox_webhooks as pv
from conftest import load_vectors, vector_body

TOTAL = int(os.environ.get("PRIMEVOX_MEMORY_PARSES", "1000000"))
BOUND_MIB = 8


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_million_parses_flat_rss() -> None:
    # Webhook-sized vectors (the hostile multi-kilobyte ones would only make this slower).
    cases = [(vector_body(c), c["content_type"], c.get("options", {})) for _, c in load_vectors()]
    cases = [case for case in cases if len(case[0]) <= 1024]
    assert len(cases) > 100
    batch = [(body, ct) for body, ct, _ in cases]

    def run(n: int) -> int:
        done = 0
        while done < n:
            for body, ct, options in cases:
                try:
                    event = pv.parse(body, ct, **options)
                    event.event_type, event.extra  # noqa: B018
                except pv.ParseError as err:
                    err.code  # noqa: B018
            done += len(cases)
            # Every tenth round: one batch, and the other conversions once per event.
            if (done // len(cases)) % 10 == 0:
                results = pv.parse_many(batch)
                assert len(results) == len(batch)
                done += len(batch)
                for r in results:
                    if isinstance(r, pv.Event):
                        r.to_dict(), r.encode(), r.to_json(), repr(r), hash(r)  # noqa: B018
        return done

    run(20 * len(cases))  # warm up: interned strings, caches, allocator arenas
    gc.collect()
    before = rss_mib()
    done = run(TOTAL)
    gc.collect()
    after = rss_mib()
    print(f"{done} parses: RSS {before:.1f} MiB -> {after:.1f} MiB")
    assert done >= TOTAL
    assert after - before < BOUND_MIB, f"RSS grew {after - before:.1f} MiB over {done} parses"
