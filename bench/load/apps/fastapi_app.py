"""The FastAPI receivers under load (bench/load/run.py starts this with uvicorn, one worker).

    POST /sdk    the SDK's receiver. PV_FASTAPI_SDK=depends (run.py's "fastapi"): the dependency in
                 the app's own route, Depends(webhook_event(token=...)), as the quick start shows;
                 PV_FASTAPI_SDK=route ("fastapi-route"): add_webhook_route(app, "/sdk", handle,
                 token=...), the receiver owning the route as every other framework's /sdk does
    POST /hand   a minimal hand-written receiver making the same checks (token, Content-Length
                 limit, JSON or form, documented eventType, required fields), 200 {"ok": true}
    POST /empty  reads the body and answers 200 {"ok": true}: the framework's ceiling
    GET  /__stats   handler calls per delivery key, per route (the load checks count here)

A delivery whose caller name (or message text) is THROW makes the handler raise after counting.
Adapting to a new receiver API: only the SDK section below changes.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any, Optional
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from primevox_webhooks.fastapi import install, webhook_event

TOKEN = os.environ.get("PV_LOAD_TOKEN", "load-token")
LIMIT = 64 * 1024
app = FastAPI()
install(app)
calls: dict[str, Counter[str]] = {"sdk": Counter(), "hand": Counter()}


def key_of(fields: dict[str, Any]) -> str:
    return str(fields.get("call_uuid") or fields.get("conversation_id") or "?")


class Thrown(RuntimeError):
    pass


def record(route: str, key: str, throw: bool) -> None:
    calls[route][key] += 1
    if throw:
        raise Thrown("handler failed on purpose (load fault mix)")


# --- the SDK -------------------------------------------------------------------------------------
from typing import Annotated  # noqa: E402

from fastapi import Depends  # noqa: E402

from primevox_webhooks import AnyEvent  # noqa: E402
from primevox_webhooks.fastapi import add_webhook_route  # noqa: E402

SDK_FORM = os.environ.get("PV_FASTAPI_SDK", "depends")


def sdk_key(event: AnyEvent) -> tuple[str, bool]:
    key = getattr(event, "call_uuid", None) or getattr(event, "conversation_id", None) or "?"
    throw = "THROW" in (getattr(event, "caller_id_name", None) or getattr(event, "message_text", None) or "")
    return key, throw


if SDK_FORM == "depends":
    Event = Annotated[AnyEvent, Depends(webhook_event(token=TOKEN))]

    @app.post("/sdk")
    async def sdk_route(event: Event) -> dict[str, bool]:
        record("sdk", *sdk_key(event))
        return {"ok": True}

elif SDK_FORM == "route":

    async def handle(event: AnyEvent) -> None:
        record("sdk", *sdk_key(event))

    add_webhook_route(app, "/sdk", handle, token=TOKEN)
else:
    raise SystemExit(f"PV_FASTAPI_SDK: depends or route, not {SDK_FORM!r}")


# --- hand-written --------------------------------------------------------------------------------
KINDS = {"inboundMessage", "outboundMessage", "InboundCall", "HangupCall", "ringAttempt", "ExtensionAnswered",
         "inboundCallCompleted", "voicemailHangup", "outboundCall", "queueEntered"}


def bad(status: int, code: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code}}, status_code=status)


# The same answer as /sdk and /empty: a dict validated against dict[str, bool] (the refusals are
# Responses, which FastAPI sends as they are). With `-> Any` alone, /hand skipped the response
# validation the other two routes pay (~14k instructions per request).
@app.post("/hand", response_model=dict[str, bool])
async def hand_route(request: Request) -> Any:
    if request.query_params.get("token") != TOKEN:
        return bad(401, "unauthorized")
    length = request.headers.get("content-length")
    if length is not None and int(length) > LIMIT:
        return bad(413, "body_too_large")
    body = await request.body()
    if len(body) > LIMIT:
        return bad(413, "body_too_large")
    ct: Optional[str] = request.headers.get("content-type")
    try:
        if ct and ct.startswith("application/json"):
            d = json.loads(body)
            if not isinstance(d, dict):
                return bad(400, "invalid_json")
            fields = {"conversation_id": d.get("conversationID"), "to": d.get("toNumber"),
                      "from": d.get("fromNumber"), "text": d.get("messageText"),
                      "container": d.get("containerID"), "tenant": d.get("tenantID")}
            required = ("container", "tenant", "to", "from")
            throw = "THROW" in (fields["text"] or "")
        elif ct and ct.startswith("application/x-www-form-urlencoded"):
            d = dict(parse_qsl(body.decode("utf-8")))
            fields = {"call_uuid": d.get("callUuid"), "container": d.get("containerId"),
                      "tenant": d.get("tenantId"), "caller": d.get("callerIdName")}
            required = ("container", "tenant", "call_uuid")
            throw = "THROW" in (fields["caller"] or "")
        else:
            return bad(415, "unsupported_content_type")
    except (ValueError, UnicodeDecodeError):
        return bad(400, "invalid_json" if ct and "json" in ct else "invalid_form")
    if d.get("eventType") not in KINDS:
        return bad(400, "unknown_event_type")
    for r in required:
        if fields.get(r) in (None, ""):
            return bad(400, "missing_field")
    record("hand", key_of(fields), throw)
    return {"ok": True}


@app.post("/empty")
async def empty_route(request: Request) -> dict[str, bool]:
    await request.body()
    return {"ok": True}


# Starlette tries the routes in order (~11k instructions per route tried, bench/README.md): run.py's
# side-by-side measure gives every process an order (PV_LOAD_ORDER) that puts the routes compared
# within a round at the same position.
ORDER = [f"/{name}" for name in os.environ.get("PV_LOAD_ORDER", "sdk,hand,empty").split(",")]
_ours = {getattr(r, "path", None): r for r in app.router.routes if getattr(r, "path", None) in ORDER}
_first = min(i for i, r in enumerate(app.router.routes) if r in _ours.values())
_rest = [r for r in app.router.routes if r not in _ours.values()]
app.router.routes[:] = _rest[:_first] + [_ours[p] for p in ORDER] + _rest[_first:]


@app.get("/__stats")
async def stats() -> dict[str, Any]:
    return {"pid": os.getpid(), "calls": {r: dict(c) for r, c in calls.items()}}


@app.post("/__reset")
async def reset() -> dict[str, bool]:
    for c in calls.values():
        c.clear()
    return {"ok": True}
