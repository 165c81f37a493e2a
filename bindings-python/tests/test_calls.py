"""Calls: the shared call vectors (tests/calls/), the Python API of Call, CallSummary,
CallError and CallTracker, and properties (order, retries, split and merge, state)."""

from __future__ import annotations

import copy
import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import primevox_webhooks as pv

CALLS = Path(__file__).resolve().parents[2] / "tests" / "calls"
VECTORS = [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(CALLS.glob("*.json"))]
FORM = "application/x-www-form-urlencoded"
U = "3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d"


def delivery(d: dict[str, Any]) -> tuple[pv.Event, int]:
    if "body" in d:
        return pv.parse(d["body"].encode("utf-8"), d["contentType"]), d["at"]
    return pv.from_json(json.dumps(d["event"])), d["at"]


def snake(camel: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), camel)


def test_vectors_exist() -> None:
    assert len(VECTORS) >= 15


@pytest.mark.parametrize(("name", "case"), VECTORS, ids=[n for n, _ in VECTORS])
def test_call_vector(name: str, case: dict[str, Any]) -> None:
    call = pv.Call()
    good = []
    for i, d in enumerate(case["deliveries"]):
        event, at = delivery(d)
        before = call.to_json()
        if "error" in d:
            with pytest.raises(pv.CallError) as info:
                call.add(event, at)
            assert info.value.code == d["error"], i
            assert isinstance(info.value, ValueError)
            assert call.to_json() == before, "an error changed the call"
        else:
            assert call.add(event, at) is d["new"], i
            good.append((event, at))
    expected = case["record"]
    assert json.loads(call.summary_json()) == expected
    # The typed record: every key as a snake_case attribute with the same value.
    s = call.summary()
    for key, value in expected.items():
        got = getattr(s, snake(key))
        if isinstance(value, dict):
            assert {k: getattr(got, snake(k)) for k in value} == value, key
        elif isinstance(value, list):
            assert [{k: getattr(x, snake(k)) for k in v} for x, v in zip(got, value)] == value, key
            assert len(got) == len(value)
        else:
            assert got == value, key
    assert json.loads(s.to_json()) == expected
    # Reversed, split and merged, and through the state.
    rev = pv.Call()
    for event, at in reversed(good):
        rev.add(event, at)
    assert json.loads(rev.summary_json()) == expected
    a, b = pv.Call(), pv.Call()
    for i, (event, at) in enumerate(good):
        (a if i % 2 else b).add(event, at)
    b.merge(pv.Call.from_json(a.to_json()))
    assert json.loads(b.summary_json()) == expected
    assert pv.Call.from_json(call.to_json()) == call


def ev(body: str) -> pv.Event:
    return pv.parse(body.encode(), FORM)


HANGUP = ev(f"eventType=HangupCall&containerId=1&tenantId=2&callUuid={U.upper()}")
INBOUND = ev(f"eventType=InboundCall&containerId=1&tenantId=2&callUuid={U}&callerIdNum=5125550199")


def test_api_shapes() -> None:
    c = pv.Call()
    assert c.call_uuid is None and len(c) == 0
    assert c.summary().outcome == "in_progress" and c.summary().call_uuid is None
    assert c.add(HANGUP, 20) is True
    assert c.add(HANGUP, 30) is False
    assert c.add(INBOUND, 10) is True
    s = c.summary()
    assert (s.call_uuid, s.outcome, s.ended, s.ended_at, s.deliveries) == (U, "missed", True, 20, 2)
    with pytest.raises(AttributeError):
        s.outcome = "answered"  # type: ignore[misc]
    assert s == c.summary() and hash(s) == hash(c.summary())
    assert pickle.loads(pickle.dumps(c)) == c
    assert copy.deepcopy(c) == c
    assert pv.CALL_ERROR_CODES == ("not_a_call_event", "call_mismatch", "invalid_state")


def test_errors() -> None:
    c = pv.Call()
    c.add(INBOUND, 1)
    msg = pv.parse(
        b'{"eventType":"inboundMessage","toNumber":"1","fromNumber":"2","containerID":"1","tenantID":"2"}',
        "application/json",
    )
    with pytest.raises(pv.CallError) as info:
        c.add(msg, 2)
    assert info.value.code == "not_a_call_event"
    other = pv.Call()
    other.add(ev("eventType=HangupCall&containerId=1&tenantId=2&callUuid=other"), 2)
    with pytest.raises(pv.CallError) as info:
        c.merge(other)
    assert info.value.code == "call_mismatch"
    for bad in ["", "{}", "null", '{"version":1,"callUuid":"x","deliveries":[]}']:
        with pytest.raises(pv.CallError) as info:
            pv.Call.from_json(bad)
        assert info.value.code == "invalid_state"
    assert len(c) == 1
    err = pickle.loads(pickle.dumps(info.value))
    assert (err.code, err.message) == ("invalid_state", info.value.message)


def test_tracker() -> None:
    done: list[pv.CallSummary] = []
    t = pv.CallTracker(max_calls=2, on_complete=done.append)
    record, ended = t.add(INBOUND, 10)
    assert record.call_uuid == U and not ended
    r = t.add(HANGUP, 20)
    assert r.ended and r.new and r.record.outcome == "missed" and r.evicted == []
    assert not t.add(HANGUP, 25).ended
    assert [d.call_uuid for d in done] == [U]
    t.add(ev("eventType=InboundCall&containerId=1&tenantId=2&callUuid=b"), 15)
    r = t.add(ev("eventType=InboundCall&containerId=1&tenantId=2&callUuid=c"), 30)
    assert [c.call_uuid for c in r.evicted] == ["b"]
    assert len(t) == 2 and t.max_calls == 2
    got = t.get(U.upper())
    assert got is not None and got.summary().deliveries == 2
    with pytest.raises(pv.CallError):
        t.add(pv.parse(b"eventType=newThing&callUuid=x", FORM), 1)
    assert [c.call_uuid for c in t.expire(41, 15)] == [U]
    assert t.expire(45, 15) == []
    assert [c.call_uuid for c in t.drain()] == ["c"]
    assert len(t) == 0


KINDS = [
    "eventType=InboundCall&callerIdNum={n}&callerIdName={name}&didNumber={n}",
    "eventType=HangupCall&extNumber={n}&extName={name}",
    "eventType=ringAttempt&eventTarget=extension&extNumber={n}&extName={name}",
    "eventType=ExtensionAnswered&extensionNumber={n}&extensionName={name}",
    "eventType=inboundCallCompleted&extNumber={n}&extName={name}",
    "eventType=voicemailHangup&extNumber={n}&extName={name}",
    "eventType=outboundCall&extNumber={n}&numberDialed={n}",
    "eventType=ringAttempt&eventTarget=ringGroup&rgNumber={n}",
    "eventType=queueEntered&eventTarget=queue&queueNumber={n}",
]

deliveries = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.sampled_from(["", "101", "102"]),
        st.sampled_from(["", "Ann", "Bob"]),
        st.sampled_from(["abc", "ABC"]),
        st.integers(0, 5),
    ).map(
        lambda t: (
            ev(t[0].format(n=t[1], name=t[2]) + f"&containerId=1&tenantId=2&callUuid={t[3]}"),
            t[4],
        )
    ),
    min_size=1,
    max_size=12,
)


@given(deliveries, st.randoms(use_true_random=False), st.integers(1, 3), st.integers(0, 12))
def test_any_order_split_and_state_give_one_record(
    ds: list[tuple[pv.Event, int]], rnd: Any, parts: int, cut: int
) -> None:
    one = pv.Call()
    for e, at in ds:
        one.add(e, at)
    mixed = ds + [(e, at + 3) for e, at in ds[:2]]
    rnd.shuffle(mixed)
    calls = [pv.Call() for _ in range(parts)]
    for i, (e, at) in enumerate(mixed):
        if i == cut:
            calls = [pv.Call.from_json(c.to_json()) for c in calls]
        calls[i % parts].add(e, at)
    merged = pv.Call()
    for c in calls:
        merged.merge(c)
    assert merged.summary_json() == one.summary_json()
    assert merged == one


def test_readme_python_example(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Calls\n", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    scope: dict[str, Any] = {}
    exec(compile(code, "README.md (Calls)", "exec"), scope)
    scope["on_webhook"](b"eventType=InboundCall&containerId=1&tenantId=2&callUuid=r-1&callerIdNum=5125550199", FORM)
    scope["on_webhook"](b'{"eventType":"inboundMessage","toNumber":"1","fromNumber":"2","containerID":"1","tenantID":"2"}', None)
    assert capsys.readouterr().out == ""
    scope["on_webhook"](b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=R-1&extNumber=&extName=", FORM)
    assert capsys.readouterr().out == "text back 5125550199\n"


def test_missed_calls_example_runs() -> None:
    import subprocess
    import sys

    example = Path(__file__).resolve().parents[2] / "examples" / "python" / "missed_calls.py"
    r = subprocess.run([sys.executable, str(example)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "text back 5125550199 (called us)\n"
