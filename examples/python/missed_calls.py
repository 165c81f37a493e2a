"""Text back missed callers: every delivery goes into a CallTracker; when a call completes as
missed, ``on_complete`` gets its record. Idle calls (never completed) are flushed by ``flush_idle``."""

from __future__ import annotations

import time
from typing import Optional

import primevox_webhooks as pv


def text_back(record: pv.CallSummary) -> None:
    if record.outcome == "missed" and record.caller_id_num is not None:
        print(f"text back {record.caller_id_num} (called {record.did_number or 'us'})")


tracker = pv.CallTracker(max_calls=100_000, on_complete=text_back)


def on_webhook(body: bytes, content_type: Optional[str]) -> Optional[pv.Tracked]:
    event = pv.parse(body, content_type)
    try:
        return tracker.add(event, int(time.time() * 1000))
    except pv.CallError as err:
        if err.code == "not_a_call_event":
            return None  # a message or an unknown event
        raise


def flush_idle() -> list[pv.Call]:
    stale = tracker.expire(int(time.time() * 1000), 15 * 60_000)
    for call in stale:
        print("gave up on", call.summary().call_uuid, len(call.to_json()), "bytes")
    return stale


if __name__ == "__main__":
    form = "application/x-www-form-urlencoded"
    on_webhook(b"eventType=InboundCall&containerId=1&tenantId=2&callUuid=x-1&callerIdNum=5125550199", form)
    result = on_webhook(b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=X-1&extNumber=", form)
    assert result is not None and result.ended and result.record.outcome == "missed"
