"""Many threads parsing at once get correct results (and errors) for their own inputs."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import primevox_webhooks as pv
from conftest import load_vectors, vector_body

THREADS = 16
ROUNDS = 40


def test_many_threads_parse_correctly() -> None:
    cases = []
    for _name, case in load_vectors():
        body = vector_body(case)
        options = case.get("options", {})
        try:
            expected: object = pv.parse(body, case["content_type"], **options).to_json()
        except pv.ParseError as err:
            expected = (err.code, err.field)
        cases.append((body, case["content_type"], options, expected))
    assert cases
    barrier = threading.Barrier(THREADS)

    def worker(offset: int) -> int:
        barrier.wait(timeout=30)  # start together
        checked = 0
        for r in range(ROUNDS):
            for i in range(len(cases)):
                body, content_type, options, expected = cases[(i + offset + r) % len(cases)]
                try:
                    got: object = pv.parse(body, content_type, **options).to_json()
                except pv.ParseError as err:
                    got = (err.code, err.field)
                assert got == expected
                checked += 1
        return checked

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        totals = list(pool.map(worker, range(THREADS)))
    assert sum(totals) == THREADS * ROUNDS * len(cases)


def test_threads_share_events() -> None:
    """Events are immutable: many threads reading one event see the same values."""
    event = pv.parse(
        b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=u&extNumber=101&x=1&x=2",
        "application/x-www-form-urlencoded",
    )
    want = (event.to_json(), event.to_dict(), hash(event), event.dedup_key(), event.extra)

    def read(_: int) -> bool:
        return all(
            (event.to_json(), event.to_dict(), hash(event), event.dedup_key(), event.extra) == want
            for _ in range(500)
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(read, range(32)))
