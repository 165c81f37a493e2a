"""parse_many: one result per item, in order, errors returned not raised; the GIL is released."""

from __future__ import annotations

import threading
import time
from typing import Iterator

import pytest

import primevox_webhooks as pv
from conftest import load_vectors, vector_body

FORM = "application/x-www-form-urlencoded"


def expected(body: bytes, content_type: str | None, **options: object) -> object:
    try:
        return pv.parse(body, content_type, **options)  # type: ignore[arg-type]
    except pv.ParseError as err:
        return (err.code, err.field, err.message)


def as_comparable(result: object) -> object:
    if isinstance(result, pv.ParseError):
        return (result.code, result.field, result.message)
    return result


def test_matches_parse_on_every_vector() -> None:
    for strict in (False, True):
        items = [(vector_body(c), c["content_type"]) for _, c in load_vectors()]
        results = pv.parse_many(items, strict=strict)
        assert len(results) == len(items)
        for (body, ct), got in zip(items, results):
            assert as_comparable(got) == expected(body, ct, strict=strict)


def test_large_batch_in_order() -> None:
    """Big enough for the core to split the batch over threads."""
    items: list[tuple[bytes | str | bytearray | memoryview, str | None]] = []
    for i in range(6000):
        if i % 7 == 3:
            items.append((f"eventType=HangupCall&containerId={i}&tenantId=1".encode(), FORM))  # no callUuid
        elif i % 2:
            items.append((f'{{"eventType":"inboundMessage","containerID":"{i}","tenantID":"1",'
                          f'"toNumber":"+15125550100","fromNumber":"+1737555{i:04d}","messageText":"{"x" * (i % 50)}"}}', None))
        else:
            items.append((bytearray(f"eventType=HangupCall&containerId={i}&tenantId=1&callUuid=u{i}".encode()), FORM))
    results = pv.parse_many(items)
    assert len(results) == len(items)
    for i, r in enumerate(results):
        if i % 7 == 3:
            assert isinstance(r, pv.ParseError) and (r.code, r.field) == ("missing_field", "callUuid")
        else:
            assert not isinstance(r, pv.ParseError)
            assert r.container_id == str(i)  # type: ignore[union-attr]
            assert r == pv.parse(items[i][0], items[i][1])


def test_item_shapes_and_options() -> None:
    body = b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=u"
    results = pv.parse_many([body, (body, None), (body.decode(), FORM), memoryview(body), (bytearray(body), FORM)])
    assert all(r == results[0] for r in results)
    assert pv.parse_many([]) == []
    assert pv.parse_many(iter([(body, FORM)]))[0] == results[0]
    [err] = pv.parse_many([(body, FORM)], max_body_bytes=5)
    assert isinstance(err, pv.ParseError) and err.code == "body_too_large"
    [err] = pv.parse_many([(body.replace(b"HangupCall", b"hangupcall"), FORM)], strict=True)
    assert isinstance(err, pv.ParseError) and err.code == "unknown_event_type"
    for bad in ([5], [(body, FORM, 1)], [(body, 5)], 5):
        with pytest.raises(TypeError):
            pv.parse_many(bad)  # type: ignore[arg-type]


def test_fresh_content_type_objects_from_a_generator() -> None:
    """Content types built per item (freed as the generator moves on) are never confused."""
    body = b'{"eventType":"queueEntered","containerId":"1","tenantId":"2","callUuid":"u"}'
    subtypes = ["json", "form-data; boundary=x", "x-www-form-urlencoded", "octet-stream"]

    def items() -> Iterator[tuple[bytes, str]]:
        for i in range(2000):
            sub = subtypes[(i * 7 + i // 3) % 4]
            top = "multipart/" if sub.startswith("form-data") else "application/"
            yield body, "".join([top, sub])

    want = [expected(b, ct) for b, ct in items()]
    got = [as_comparable(r) for r in pv.parse_many(items())]
    assert got == want


def test_events_outlive_their_batch() -> None:
    bodies = [f"eventType=HangupCall&containerId={i}&tenantId=2&callUuid=u&x={'y' * i}".encode() for i in range(200)]
    results = pv.parse_many([(b, FORM) for b in bodies])
    del bodies
    for i, r in enumerate(results):
        assert isinstance(r, pv.CallHangup)
        assert r.extra == (("x", "y" * i),)


def test_gil_released_while_parsing() -> None:
    """Another Python thread runs in the middle of a large batch: the GIL is not held there."""
    body = ("eventType=InboundCall&containerId=1&tenantId=2&callUuid=u&callerIdName=" + "A+B%20C" * 4000).encode()
    items = [(body, FORM)] * 400
    stamps: list[float] = []
    stop = threading.Event()

    def tick() -> None:
        while not stop.is_set():
            stamps.append(time.perf_counter())
            time.sleep(0)

    t = threading.Thread(target=tick)
    t.start()
    try:
        time.sleep(0.01)
        started = time.perf_counter()
        results = pv.parse_many(items)
        ended = time.perf_counter()
    finally:
        stop.set()
        t.join(timeout=10)
    assert len(results) == len(items)
    span = ended - started
    assert span > 0.002, "batch too small to observe"
    middle = [s for s in stamps if started + span / 4 < s < ended - span / 4]
    assert middle, f"no other thread ran during the middle of a {span * 1000:.1f} ms parse_many"


def test_equal_content_types_as_distinct_objects_and_subclasses() -> None:
    """One content type per line read (equal strings, distinct objects) and str subclasses."""

    class ContentType(str):
        pass

    pad = "y" * 200  # 3,000 items of ~250 bytes: large enough for the worker threads
    form = f"eventType=HangupCall&containerId=1&tenantId=2&callUuid=u&pad={pad}".encode()
    json_body = f'{{"eventType":"queueEntered","containerId":"1","tenantId":"2","callUuid":"u","pad":"{pad}"}}'.encode()
    items: list[tuple[bytes, str | None]] = []
    for i in range(3000):
        ct = "".join(["application/", "json" if i % 3 else "x-www-form-urlencoded"])
        items.append((json_body if i % 3 else form, ContentType(ct) if i % 5 == 0 else ct))
    items.append((json_body, ContentType("multipart/form-data")))
    got = [as_comparable(r) for r in pv.parse_many(items)]
    assert got == [expected(b, ct) for b, ct in items]
    assert got[-1][0] == "unsupported_content_type"  # type: ignore[index]


def test_bad_item_deep_in_a_large_batch_raises_type_error() -> None:
    """A bad item after the worker threads started: TypeError, no hang, nothing leaked."""
    body = ("eventType=HangupCall&containerId=1&tenantId=2&callUuid=u&pad=" + "y" * 300).encode()

    def items() -> Iterator[object]:
        for i in range(5000):
            yield (body, FORM)
            if i == 4000:
                yield 5

    with pytest.raises(TypeError):
        pv.parse_many(items())  # type: ignore[arg-type]
    assert len(pv.parse_many([(body, FORM)] * 5000)) == 5000


@pytest.mark.parametrize("n", [255, 256, 257, 511, 512, 513, 768, 1024, 2049, 3001, 5000])
def test_chunk_boundaries_finish_in_order(n: int) -> None:
    """Batch sizes around the 256-item chunks, big enough for the threads, some items bad: the
    call finishes (checked from a daemon thread, so a hang fails instead of blocking the run)."""
    pad = "z" * 300
    items = [
        (f"eventType=HangupCall&containerId={i}&tenantId=2&pad={pad}" + ("" if i % 97 == 5 else "&callUuid=u")).encode()
        for i in range(n)
    ]
    got: list[object] = []
    worker = threading.Thread(target=lambda: got.extend(pv.parse_many(items)), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), f"parse_many({n} items) did not finish"
    assert [as_comparable(r) for r in got] == [expected(b, None) for b in items]


def test_stress_threads_batches_and_gil_contention_never_deadlock() -> None:
    """Deadlock stress (issue 15.5): four Python threads each run batches of varied sizes (below,
    at and across the 256-item chunks and the size that brings in the core's worker threads, some
    items bad), while a fifth thread keeps the GIL busy with pure-Python work, so the calling
    thread must wait for the GIL between chunks (Python::attach) while the core's threads parse
    ahead. Every batch must come back complete and in order. Bounded: at most 6 s of batches, then
    a watchdog of 20 s on every thread (daemon threads: a hang fails the test, never the run)."""
    pad = "q" * 300
    sizes = [0, 1, 2, 255, 256, 257, 300, 511, 513, 1000, 1500, 2049]
    bodies = [
        (f"eventType=HangupCall&containerId={i}&tenantId=2&pad={pad}" + ("" if i % 89 == 7 else "&callUuid=u")).encode()
        for i in range(max(sizes))
    ]
    want = [as_comparable(expected(b, FORM)) for b in bodies]
    stop_at = time.monotonic() + 6.0
    failures: list[str] = []
    done = [0] * 4

    def batches(t: int) -> None:
        k = t
        while time.monotonic() < stop_at and done[t] < 200:
            n = sizes[k % len(sizes)]
            k += 3
            got = [as_comparable(r) for r in pv.parse_many([(b, FORM) for b in bodies[:n]])]
            if got != want[:n]:
                failures.append(f"thread {t}: batch of {n} differs")
                return
            done[t] += 1

    def hog() -> None:
        x = 0
        while time.monotonic() < stop_at:
            for i in range(10_000):
                x ^= i

    threads = [threading.Thread(target=batches, args=(t,), daemon=True) for t in range(4)]
    threads.append(threading.Thread(target=hog, daemon=True))
    for th in threads:
        th.start()
    deadline = stop_at + 20.0
    for th in threads:
        th.join(timeout=max(0.0, deadline - time.monotonic()))
    hung = [th.name for th in threads if th.is_alive()]
    assert not hung, f"parse_many deadlocked or hung: {hung} still running (batches done: {done})"
    assert not failures, failures
    assert all(d >= 3 for d in done), done  # every thread really ran several batches
