"""The Redis-backed call store against a real redis-server (started here on 127.0.0.1 on a free
port, stopped by its PID): records, completion, and two processes adding deliveries of one call
at the same moment losing neither."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
import redis

import primevox_webhooks as pv
from primevox_webhooks.redis_store import RedisCallStore

FORM = "application/x-www-form-urlencoded"
WORKER = Path(__file__).with_name("redis_worker.py")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    server = shutil.which("redis-server")
    assert server, "redis-server is not installed: tests/ci/python.sh installs it (apt-get install redis-server)"
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert proc.poll() is None, "redis-server exited"
                assert time.monotonic() < deadline, "redis-server did not answer within 10 s"
                time.sleep(0.05)
        client.close()
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ev(body: str) -> pv.Event:
    return pv.parse(body.encode(), FORM)


def test_store_records_and_completion(redis_port: int) -> None:
    client = redis.Redis(host="127.0.0.1", port=redis_port)
    done: list[pv.CallSummary] = []
    store = RedisCallStore(client, prefix="t1:", ttl_ms=60_000, on_complete=done.append)
    inbound = ev("eventType=InboundCall&containerId=1&tenantId=2&callUuid=ABC&callerIdNum=5125550199")
    hangup = ev("eventType=HangupCall&containerId=1&tenantId=2&callUuid=abc")
    record, ended = store.add(hangup, 20)
    assert ended and record.outcome == "missed" and len(done) == 1
    assert store.add(inbound, 10).new
    retry = store.add(hangup, 30)
    assert not retry.new and not retry.ended
    call = store.get("ABC")
    assert call is not None
    s = call.summary()
    assert (s.call_uuid, s.outcome, s.first_seen_at, s.deliveries) == ("abc", "missed", 10, 2)
    assert [d.call_uuid for d in done] == ["abc"]
    assert 0 < client.pttl("t1:abc") <= 60_000
    with pytest.raises(pv.CallError) as info:
        store.add(ev("eventType=somethingNew&callUuid=abc"), 1)
    assert info.value.code == "not_a_call_event"
    assert store.remove("abc") == call
    assert store.get("abc") is None


def race(port: int, call_id: str, n: int) -> int:
    """Two processes add n deliveries each (and the same hangup) to one call at once; checks
    nothing was lost and exactly one process completed the call; returns the retries."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(port), name, str(n), call_id],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    outputs = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0, out
        outputs.append(out.split())
    client = redis.Redis(host="127.0.0.1", port=port)
    call = RedisCallStore(client, prefix="race:").get(call_id)
    assert call is not None
    s = call.summary()
    # Each process added n distinct ringAttempts plus the same hangup (a retry of one another).
    assert s.deliveries == 2 * n + 1
    assert sorted(e.extension_number for e in s.extensions_rung) == sorted(
        [f"a{i}" for i in range(n)] + [f"b{i}" for i in range(n)]
    )
    assert s.ended
    assert sum(int(o[0]) for o in outputs) == 1, outputs
    return sum(int(o[1]) for o in outputs)


def test_two_processes_lose_no_delivery(redis_port: int) -> None:
    # The test only proves something if the transactions really collided: up to three rounds
    # until at least one transaction was retried after the other process changed the call.
    retried = 0
    for round in range(3):
        retried += race(redis_port, f"race-{round}", 150)
        if retried:
            break
    print(f"transactions retried after a concurrent change: {retried}")
    assert retried > 0, "the two processes never changed the call at the same moment"
