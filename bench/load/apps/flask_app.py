"""The Flask receivers under load (bench/load/run.py starts this under gunicorn: one gthread
worker, 8 threads; see run.py for why).

    POST /sdk    the SDK's receiver: primevox_webhooks.flask.webhook_view(handle, token=...)
    POST /hand   a minimal hand-written receiver making the same checks (handcheck.py)
    POST /empty  reads the body and answers 200 {"ok": true}: the framework's ceiling
    GET  /__stats   handler calls per delivery key, per route, and the worker's pid

A delivery whose caller name (or message text) contains THROW makes the handler raise after
counting. Adapting to a new receiver API: only the `sdk` lines below change.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, request

import handcheck
from primevox_webhooks import AnyEvent
from primevox_webhooks.flask import webhook_view

TOKEN = os.environ.get("PV_LOAD_TOKEN", "load-token")
app = Flask(__name__)


# --- the SDK -------------------------------------------------------------------------------------
def handle(event: AnyEvent) -> None:
    handcheck.record("sdk", *handcheck.sdk_key(event))


app.add_url_rule("/sdk", view_func=webhook_view(handle, token=TOKEN))


# --- hand-written --------------------------------------------------------------------------------
def bad(status: int, code: str) -> tuple[dict[str, Any], int]:
    return {"error": {"code": code}}, status


@app.post("/hand")
def hand() -> Any:
    if request.args.get("token") != TOKEN:
        return bad(401, "unauthorized")
    if (request.content_length or 0) > handcheck.LIMIT:
        return bad(413, "body_too_large")
    body = request.stream.read(handcheck.LIMIT + 1)  # a chunked body has no Content-Length
    if len(body) > handcheck.LIMIT:
        return bad(413, "body_too_large")
    got = handcheck.check(body, request.headers.get("Content-Type"))
    if isinstance(got[0], int):
        return bad(got[0], str(got[1]))
    handcheck.record("hand", str(got[0]), got[1])
    return {"ok": True}


@app.post("/empty")
def empty() -> Any:
    request.stream.read(handcheck.LIMIT + 1)
    return {"ok": True}


@app.get("/__stats")
def stats() -> Any:
    return {"pid": os.getpid(), "calls": handcheck.snapshot()}
