"""Keeping strangers out (issue 7): the core's token check and allow-list through the native
module, and every receiver's `token` / `token_query` / `token_header` / `allow` / `max_body_bytes`
options against real servers on 127.0.0.1 (uvicorn, werkzeug, django runserver).

The "before the body is read" tests speak HTTP over a raw socket: they send only the headers
(declaring a body that never comes) and expect the answer anyway. A receiver that tried to read
the body would wait for it, and the bounded read of the answer would time out.
"""

from __future__ import annotations

import json
import socket
import time
from typing import Any, Callable, Iterator, Optional
from urllib.parse import urlsplit

import httpx
import pytest

import primevox_webhooks as pv
from primevox_webhooks.fastapi import PrimevoxEvent
from conftest import django_runserver, uvicorn_server, werkzeug_server

FORM = "application/x-www-form-urlencoded"
CALL = (
    b"eventType=InboundCall&containerId=1001&tenantId=42"
    b"&callUuid=3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d&callerIdNum=5125550199"
)
MISSING_UUID = b"eventType=HangupCall&containerId=3547&tenantId=118"

# The routes every framework app below serves, with these receiver options.
ROUTES: dict[str, dict[str, Any]] = {
    "guarded": {"token": ["new-secret", "old-secret"]},
    "guarded-header": {"token": "hdr-secret", "token_header": "X-Primevox-Token"},
    "allow-other": {"allow": ["10.0.0.0/8", "2001:db8::/32"]},
    "allow-local": {"allow": ["127.0.0.0/8"], "token": "s"},
    "small": {"max_body_bytes": 1024},
}


# --- the core's checks through the native module ----------------------------------------------


def test_verify_token() -> None:
    assert pv.verify_token("s3cret", "s3cret")
    assert pv.verify_token("s3cret", ["new", "s3cret"])  # rotation
    assert pv.verify_token("s3cret", ("s3cret",))
    assert not pv.verify_token("s3cre", "s3cret")
    assert not pv.verify_token("s3cretx", ["s3cret"])
    assert not pv.verify_token(None, "s3cret")
    assert not pv.verify_token("", "")  # an empty secret never opens the door
    assert not pv.verify_token("", [""])
    assert not pv.verify_token("x", [])
    assert pv.verify_token("h\u00e9", "h\u00e9")
    with pytest.raises(TypeError):
        pv.verify_token("x", 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pv.verify_token("x", ["x", 5])  # type: ignore[list-item]


def test_query_param() -> None:
    assert pv.query_param("a=1&token=ab%2Bc", "token") == "ab+c"
    assert pv.query_param("?token=x&token=y", "token") == "x"
    assert pv.query_param("token=", "token") == ""
    assert pv.query_param("a=1", "token") is None


def test_allow_list() -> None:
    allow = pv.AllowList(["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"])
    assert allow.contains("203.0.113.200")
    assert "203.0.113.9" in allow
    assert allow.contains("::ffff:203.0.113.9")  # IPv4-mapped IPv6, as dual-stack servers report
    assert allow.contains("203.0.113.9:4431")
    assert allow.contains("[2001:db8::1]:443")
    assert allow.contains("198.51.100.7")
    assert not allow.contains("198.51.100.8")
    assert not allow.contains("not an address")
    assert not allow.contains(None)
    assert pv.AllowList(["0.0.0.0/0"]).contains("8.8.8.8")
    assert not pv.AllowList([]).contains("127.0.0.1")
    with pytest.raises(ValueError, match="10.0.0.0/33"):
        pv.AllowList(["10.0.0.0/33"])
    with pytest.raises(ValueError, match="nope"):
        pv.AllowList(["10.0.0.0/8", "nope"])
    with pytest.raises(TypeError):
        pv.AllowList("10.0.0.0/8")  # one str, not a list of ranges


def test_bad_receiver_options_fail_early() -> None:
    from primevox_webhooks.django import webhook_view
    from primevox_webhooks.fastapi import webhook_event

    for make in (webhook_event, webhook_view):
        with pytest.raises(TypeError):
            make(token="")
        with pytest.raises(TypeError):
            make(token=[])
        with pytest.raises(TypeError):
            make(allow="10.0.0.0/8")  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            make(allow=["10.0.0.0/99"])


# --- raw HTTP ------------------------------------------------------------------------------------


def raw_exchange(url: str, head: str, send_body: bytes = b"", timeout: float = 10.0) -> tuple[int, dict[str, Any]]:
    """Send `head` (request line and headers) and `send_body`, never the rest of the declared
    body; read the answer (bounded in time); return its status and JSON body."""
    parts = urlsplit(url)
    assert parts.hostname and parts.port
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(head.encode("latin-1") + b"\r\n" + send_body)
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
            head_end = data.find(b"\r\n\r\n")
            if head_end >= 0:
                headers = data[:head_end].decode("latin-1").lower()
                length = next(
                    (int(line.split(":", 1)[1]) for line in headers.split("\r\n") if line.startswith("content-length:")),
                    None,
                )
                if length is not None and len(data) >= head_end + 4 + length:
                    break
                if length is None and complete_json(data[head_end + 4 :]):
                    break  # no Content-Length (Django's runserver): the JSON body is whole
    assert data, "no answer before the timeout: the server waited for the body"
    head_end = data.index(b"\r\n\r\n")
    status = int(data.split(b" ", 2)[1])
    return status, json.loads(data[head_end + 4 :])


def complete_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def headers_only(url: str, path: str, content_length: int, extra: str = "") -> str:
    parts = urlsplit(url)
    return (
        f"POST {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
        f"Content-Type: {FORM}\r\nContent-Length: {content_length}\r\n{extra}"
    )


# --- the common contract ------------------------------------------------------------------------


def post(url: str, body: bytes, headers: Optional[dict[str, str]] = None) -> httpx.Response:
    return httpx.post(url, content=body, headers={"Content-Type": FORM, **(headers or {})}, timeout=30)


def refused(r: httpx.Response, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "field", "message"}
    assert body["error"]["code"] == code and body["error"]["field"] is None and body["error"]["message"]


def check_security(base: str, chunked_limit: bool = True) -> None:
    ok = lambda r: r.status_code == 200 and r.json()["kind"] == "call.inbound"  # noqa: E731
    # Token in the query string, two accepted while rotating.
    refused(post(base + "/guarded", CALL), 401, "unauthorized")
    refused(post(base + "/guarded?token=wrong", CALL), 401, "unauthorized")
    refused(post(base + "/guarded?token=new-secre", CALL), 401, "unauthorized")
    refused(post(base + "/guarded?token=", CALL), 401, "unauthorized")
    refused(post(base + "/guarded?tok=new-secret", CALL), 401, "unauthorized")
    assert ok(post(base + "/guarded?token=new-secret", CALL))
    assert ok(post(base + "/guarded?a=1&token=old%2Dsecret", CALL))  # form-decoded
    # The token is checked first: a bad body with a good token is a 400, without one a 401.
    r = post(base + "/guarded?token=old-secret", MISSING_UUID)
    assert r.status_code == 400 and r.json()["error"]["code"] == "missing_field"
    refused(post(base + "/guarded", MISSING_UUID), 401, "unauthorized")
    # A header, checked first; the query parameter still counts when the header is absent.
    assert ok(post(base + "/guarded-header", CALL, {"X-Primevox-Token": "hdr-secret"}))
    assert ok(post(base + "/guarded-header", CALL, {"x-primevox-token": "hdr-secret"}))
    refused(post(base + "/guarded-header", CALL, {"X-Primevox-Token": "nope"}), 401, "unauthorized")
    refused(post(base + "/guarded-header", CALL), 401, "unauthorized")
    refused(post(base + "/guarded-header", CALL, {"Authorization": "hdr-secret"}), 401, "unauthorized")
    assert ok(post(base + "/guarded-header?token=hdr-secret", CALL))
    # The peer address (127.0.0.1 here).
    refused(post(base + "/allow-other?token=s", CALL), 403, "forbidden")
    assert ok(post(base + "/allow-local?token=s", CALL))
    refused(post(base + "/allow-local", CALL), 401, "unauthorized")
    # Before the body is read: the declared body never comes, the answer does.
    status, body = raw_exchange(base, headers_only(base, "/guarded", 100_000))
    assert (status, body["error"]["code"]) == (401, "unauthorized")
    status, body = raw_exchange(base, headers_only(base, "/allow-other", 100_000))
    assert (status, body["error"]["code"]) == (403, "forbidden")
    status, body = raw_exchange(base, headers_only(base, "/small", 1_000_000_000), b"eventType=")
    assert (status, body["error"]["code"]) == (400, "body_too_large")
    # Body limits over real bodies: declared, and streamed without a length (chunked).
    assert ok(post(base + "/small", CALL))
    r = post(base + "/small", CALL + b"&pad=" + b"x" * 2000)
    assert r.status_code == 400 and r.json()["error"]["code"] == "body_too_large"
    if chunked_limit:
        def chunks() -> Iterator[bytes]:
            yield CALL
            for _ in range(200):
                yield b"&pad=" + b"x" * 1000

        r = httpx.post(base + "/small", content=chunks(), headers={"Content-Type": FORM}, timeout=30)
        assert r.status_code == 400 and r.json()["error"]["code"] == "body_too_large"
        r = httpx.post(base + "/small", content=iter([CALL[:20], CALL[20:]]), headers={"Content-Type": FORM}, timeout=30)
        assert ok(r), r.text


# --- FastAPI, Starlette (uvicorn) ---------------------------------------------------------------


def fastapi_app(install: bool) -> Any:
    from fastapi import Depends, FastAPI
    from typing_extensions import Annotated

    from primevox_webhooks.fastapi import exception_handlers, webhook_event

    app = FastAPI(exception_handlers=exception_handlers) if install else FastAPI()

    @app.post("/plain")
    async def plain(event: PrimevoxEvent) -> dict[str, str]:
        return {"kind": event.kind}

    for name, options in ROUTES.items():
        def route(options: dict[str, Any] = options) -> Callable[..., Any]:
            async def receive(event: pv.AnyEvent) -> dict[str, str]:
                return {"kind": event.kind}

            # Real objects, not PEP 563 strings (which FastAPI resolves in the module's globals).
            receive.__annotations__ = {
                "event": Annotated[pv.AnyEvent, Depends(webhook_event(**options))],
                "return": dict,
            }
            return receive

        app.post("/" + name)(route())
    return app


@pytest.mark.parametrize("install", [False, True], ids=["lazy-handler", "exception_handlers"])
def test_fastapi_security(install: bool) -> None:
    with uvicorn_server(fastapi_app(install)) as url:
        check_security(url)
        r = post(url + "/plain", MISSING_UUID)
        assert r.status_code == 400
        assert r.json()["error"]["code"] == "missing_field"
        assert r.json()["error"]["field"] == "callUuid"


def test_starlette_security() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from primevox_webhooks.starlette import error_response, read_event

    def endpoint(options: dict[str, Any]) -> Callable[[Request], Any]:
        async def receive(request: Request) -> Response:
            try:
                event = await read_event(request, **options)
            except (pv.ParseError, pv.RequestRefused) as err:
                return error_response(err)
            return JSONResponse({"kind": event.kind})

        return receive

    app = Starlette(routes=[Route("/" + n, endpoint(o), methods=["POST"]) for n, o in ROUTES.items()])
    with uvicorn_server(app) as url:
        check_security(url)


# --- Flask (werkzeug) ---------------------------------------------------------------------------


def test_flask_security() -> None:
    from flask import Flask

    from primevox_webhooks.flask import get_event

    app = Flask("pv_security")
    for name, options in ROUTES.items():
        def view(options: dict[str, Any] = options) -> dict[str, str]:
            return {"kind": get_event(**options).kind}

        app.add_url_rule("/" + name, name, view, methods=["POST"])
    with werkzeug_server(app) as url:
        check_security(url)


# --- Django (runserver) -------------------------------------------------------------------------


def test_django_security() -> None:
    with django_runserver() as url:
        # Django reads no body without a Content-Length (chunked arrives empty): no chunked case.
        check_security(url, chunked_limit=False)
        r = httpx.get(url + "/guarded", timeout=30)
        assert r.status_code == 405 and r.headers["allow"] == "POST"
        assert r.json()["error"]["code"] == "method_not_allowed"
