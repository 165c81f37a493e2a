"""The hand-written receiver's checks, shared by the WSGI apps (Flask, Django): what a user
writes with the standard library alone. Token, body limit, JSON (json) or form (parse_qsl),
documented eventType, required fields. Returns (status, code) for a refusal, or the delivery key
and whether the handler must throw (the load fault mix's THROW deliveries)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any, Optional, Union
from urllib.parse import parse_qsl

LIMIT = 64 * 1024
KINDS = {"inboundMessage", "outboundMessage", "InboundCall", "HangupCall", "ringAttempt", "ExtensionAnswered",
         "inboundCallCompleted", "voicemailHangup", "outboundCall", "queueEntered"}

_lock = threading.Lock()  # gunicorn's gthread worker runs handlers on several threads
calls: dict[str, Counter[str]] = {"sdk": Counter(), "hand": Counter()}


def record(route: str, key: str, text: Optional[str]) -> None:
    with _lock:
        calls[route][key] += 1
    if text and "THROW" in text:
        raise RuntimeError("handler failed on purpose (load fault mix)")


def snapshot() -> dict[str, dict[str, int]]:
    with _lock:
        return {r: dict(c) for r, c in calls.items()}


def sdk_key(event: Any) -> tuple[str, Optional[str]]:
    key = getattr(event, "call_uuid", None) or getattr(event, "conversation_id", None) or "?"
    return key, getattr(event, "caller_id_name", None) or getattr(event, "message_text", None)


def check(body: bytes, ct: Optional[str]) -> Union[tuple[int, str], tuple[str, Optional[str]]]:
    try:
        if ct and ct.startswith("application/json"):
            d = json.loads(body)
            if not isinstance(d, dict):
                return 400, "invalid_json"
            key, text = d.get("conversationID"), d.get("messageText")
            required: tuple[str, ...] = ("containerID", "tenantID", "toNumber", "fromNumber")
        elif ct and ct.startswith("application/x-www-form-urlencoded"):
            d = dict(parse_qsl(body.decode("utf-8")))
            key, text = d.get("callUuid"), d.get("callerIdName")
            required = ("containerId", "tenantId", "callUuid")
        else:
            return 415, "unsupported_content_type"
    except (ValueError, UnicodeDecodeError):
        return 400, "invalid_json" if ct and "json" in ct else "invalid_form"
    if d.get("eventType") not in KINDS:
        return 400, "unknown_event_type"
    for r in required:
        if d.get(r) in (None, ""):
            return 400, "missing_field"
    return str(key), text
