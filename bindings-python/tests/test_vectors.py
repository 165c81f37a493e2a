"""Every shared vector in tests/vectors/ through the Python API, with the expected result."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import primevox_webhooks as pv
from conftest import load_vectors, vector_body

VECTORS = load_vectors()


def snake(camel: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), camel)


def test_vectors_exist() -> None:
    # The real count when written (core/tests/vectors.rs holds the same floor): fewer means a
    # vector was lost or the loader skipped some.
    assert len(VECTORS) >= 314, f"only {len(VECTORS)} shared vectors in tests/vectors/"
    assert sum("dedup_key" in case["expect"] for _, case in VECTORS) >= 30


@pytest.mark.parametrize(("name", "case"), VECTORS, ids=[n for n, _ in VECTORS])
def test_vector(name: str, case: dict[str, Any]) -> None:
    body = vector_body(case)
    options = case.get("options", {})
    assert set(options) <= {"strict", "max_body_bytes", "max_depth"}, options
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(pv.ParseError) as info:
            pv.parse(body, case["content_type"], **options)
        err = info.value
        assert err.code == expect["error"]["code"], str(err)
        assert err.field == expect["error"]["field"], str(err)
        assert err.code in pv.ERROR_CODES
        assert str(err) == err.message and err.message
        return

    event = pv.parse(body, case["content_type"], **options)
    want = expect["event"]
    if "dedup_key" in expect:
        assert event.dedup_key() == expect["dedup_key"]
    # The canonical JSON, byte for byte the core's, parses to the expected object.
    assert json.loads(event.to_json()) == want
    assert list(json.loads(event.to_json())) == list(want), "key order"
    # The Python view agrees with it.
    assert isinstance(event, pv.Event)
    assert type(event).__name__ == {
        k: c.__name__ for k, c in zip(pv.KINDS, _classes())
    }[want["kind"]]
    assert event.kind == want["kind"]
    assert event.event_type == want["eventType"]
    fields = [k for k in want if k not in ("kind", "eventType", "extra")]
    assert tuple(snake(f) for f in fields) == type(event).__match_args__
    for f in fields:
        assert getattr(event, snake(f)) == want[f], f
    assert event.extra == tuple((n, v) for n, v in want["extra"])
    d = event.to_dict()
    assert d == {
        "kind": want["kind"],
        "event_type": want["eventType"],
        **{snake(f): want[f] for f in fields},
        "extra": [list(p) for p in want["extra"]],
    }
    # Round trips: canonical JSON, the wire encoding, pickling.
    assert pv.from_json(event.to_json()) == event
    content_type, wire = event.encode()
    again = pv.parse(wire, content_type)
    assert again == event, (content_type, wire)
    assert again.to_json() == event.to_json()


def _classes() -> list[type[pv.Event]]:
    return [
        pv.InboundMessage,
        pv.OutboundMessage,
        pv.InboundCall,
        pv.CallHangup,
        pv.ExtensionRinging,
        pv.ExtensionAnswered,
        pv.ExtensionHangup,
        pv.VoicemailLeft,
        pv.OutboundCall,
        pv.RingGroupEntered,
        pv.QueueEntered,
        pv.UnknownEvent,
    ]
