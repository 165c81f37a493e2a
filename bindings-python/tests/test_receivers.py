"""Each receiver against a real server on 127.0.0.1, receiving real HTTP POSTs in both encodings.

FastAPI and Starlette under uvicorn, Flask under werkzeug's development server, Django under
`django runserver` (a child process)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import pytest

import primevox_webhooks as pv
from primevox_webhooks.fastapi import PrimevoxEvent, webhook_event
from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response as FastAPIResponse
from typing_extensions import Annotated

from conftest import REPO, django_runserver, uvicorn_server, werkzeug_server

FORM = "application/x-www-form-urlencoded"
CALL_FORM = (
    b"eventType=InboundCall&eventTarget=phoneNumber&containerId=1001&tenantId=42"
    b"&didNumber=%2B15125550100&didDescription=Main+line&callUuid=3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d"
    b"&callerIdNum=5125550199&callerIdName=JOS%C3%89+GARC%C3%8DA"
)
MESSAGE_JSON = json.dumps(
    {
        "eventType": "inboundMessage",
        "toNumber": "+15125550100",
        "fromNumber": "+17375550142",
        "containerID": "3547",
        "tenantID": "118",
        "messageText": "Is the clinic open Saturday? \U0001f64f",
        "segments": 1,
    }
).encode()
MISSING_UUID = b"eventType=HangupCall&containerId=3547&tenantId=118&callerIdNum=5125550199"


def post(url: str, body: bytes, content_type: str | None) -> httpx.Response:
    headers = {} if content_type is None else {"Content-Type": content_type}
    return httpx.post(url, content=body, headers=headers, timeout=30)


def check_receiver(url: str, error_body: Callable[[Any], dict[str, Any]]) -> None:
    """The common contract: 200 with the event in both encodings; 400 with the error code."""
    for body, content_type in (
        (CALL_FORM, FORM),
        (CALL_FORM, f"{FORM}; charset=UTF-8"),
        (MESSAGE_JSON, "application/json"),
        (MESSAGE_JSON, None),
    ):
        r = post(url, body, content_type)
        assert r.status_code == 200, r.text
        want = pv.parse(body, content_type)
        assert r.json() == json.loads(want.to_json())
    r = post(url, MISSING_UUID, FORM)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/json")
    err = error_body(r.json())
    assert err["code"] == "missing_field"
    assert err["field"] == "callUuid"
    assert err["message"]
    r = post(url, b"", FORM)
    assert r.status_code == 400
    assert error_body(r.json())["code"] == "empty_body"
    r = post(url, b"--x\r\n", "multipart/form-data; boundary=x")
    assert r.status_code == 400
    assert error_body(r.json())["code"] == "unsupported_content_type"


def check_strict(url: str, error_body: Callable[[Any], dict[str, Any]]) -> None:
    r = post(url, CALL_FORM, FORM)
    assert r.status_code == 200 and r.json() == {"kind": "call.inbound"}
    r = post(url, CALL_FORM.replace(b"InboundCall", b"inboundcall"), FORM)
    assert r.status_code == 400 and error_body(r.json())["code"] == "unknown_event_type"
    r = post(url, CALL_FORM + b"&pad=" + b"x" * 2000, FORM)
    assert r.status_code == 400 and error_body(r.json())["code"] == "body_too_large"


def flat(body: Any) -> dict[str, Any]:
    """Every receiver answers {"error": {"code", "field", "message"}}, as Node, Workers and the CLI."""
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "field", "message"}
    return dict(body["error"])


fastapi_detail = flat


# --- FastAPI under uvicorn -------------------------------------------------------------------


async def body_first(request: Request) -> bytes:
    """Reads the body before the dependency, cached: the event is parsed from it."""
    return await request.body()


async def stream_first(request: Request) -> int:
    """Reads the body before the dependency without caching it: 500 body_consumed."""
    return sum([len(chunk) async for chunk in request.stream()])


def fastapi_app() -> Any:
    # FastAPI resolves the string annotations (PEP 563) of routes in the module's globals.
    app = FastAPI()

    @app.post("/primevox")
    async def receive(event: PrimevoxEvent) -> FastAPIResponse:
        return FastAPIResponse(event.to_json(), media_type="application/json")

    @app.post("/primevox/strict")
    async def receive_strict(
        event: Annotated[pv.AnyEvent, Depends(webhook_event(strict=True, max_body_bytes=1024))],
    ) -> dict[str, str]:
        return {"kind": event.kind}

    # The body read before the dependency (body_first, stream_first).
    @app.post("/primevox/body-first")
    async def receive_body_first(
        body: Annotated[bytes, Depends(body_first)], event: PrimevoxEvent
    ) -> FastAPIResponse:
        return FastAPIResponse(event.to_json(), media_type="application/json")

    @app.post("/primevox/stream-first")
    async def receive_stream_first(size: Annotated[int, Depends(stream_first)], event: PrimevoxEvent) -> None:
        raise AssertionError("not reached")

    return app


@pytest.fixture(scope="module")
def fastapi_url() -> Iterator[str]:
    with uvicorn_server(fastapi_app()) as url:
        yield url


def test_fastapi(fastapi_url: str) -> None:
    check_receiver(fastapi_url + "/primevox", fastapi_detail)


def test_fastapi_body_read_before(fastapi_url: str) -> None:
    check_receiver(fastapi_url + "/primevox/body-first", fastapi_detail)
    r = post(fastapi_url + "/primevox/stream-first", CALL_FORM, FORM)
    assert r.status_code == 500
    assert fastapi_detail(r.json())["code"] == "body_consumed"


def test_fastapi_strict(fastapi_url: str) -> None:
    check_strict(fastapi_url + "/primevox/strict", fastapi_detail)


def test_fastapi_example_as_written() -> None:
    """examples/python/fastapi_receiver.py, the README quick start, served by uvicorn."""
    path = REPO / "examples" / "python" / "fastapi_receiver.py"
    spec = importlib.util.spec_from_file_location("fastapi_receiver", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with uvicorn_server(module.app) as url:
        r = post(url + "/primevox", CALL_FORM, FORM)
        assert r.status_code == 200
        event = pv.parse(CALL_FORM, FORM)
        assert r.json() == {"kind": "call.inbound", "dedup_key": event.dedup_key()}
        r = post(url + "/primevox", MISSING_UUID, FORM)
        assert r.status_code == 400
        assert r.json()["error"]["code"] == "missing_field"
        # The dependency adds no query parameter; delivery_openapi() documents the body: every
        # kind's payload, JSON and form.
        r = httpx.get(url + "/openapi.json", timeout=30)
        assert r.status_code == 200
        operation = r.json()["paths"]["/primevox"]["post"]
        assert "parameters" not in operation
        content = operation["requestBody"]["content"]
        assert set(content) == {"application/json", "application/x-www-form-urlencoded"}
        titles = {s["title"] for c in content.values() for s in c["schema"]["oneOf"]}
        assert {"InboundMessagePayload", "InboundCallPayload", "UnknownEventPayload"} <= titles
        assert "inbound-call.form" in content["application/x-www-form-urlencoded"]["examples"]


# --- Starlette under uvicorn -----------------------------------------------------------------


def test_starlette() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from primevox_webhooks.starlette import error_response, read_event

    async def receive(request: Request) -> Response:
        try:
            event = await read_event(request)
        except pv.ParseError as err:
            return error_response(err)
        return Response(event.to_json(), media_type="application/json")

    app = Starlette(routes=[Route("/primevox", receive, methods=["POST"])])
    with uvicorn_server(app) as url:
        check_receiver(url + "/primevox", flat)


# --- Flask under werkzeug's development server -----------------------------------------------


def flask_app() -> Any:
    from flask import Flask, Response

    from primevox_webhooks.flask import get_event

    app = Flask("pv_test")

    @app.post("/primevox")
    def receive() -> Response:
        return Response(get_event().to_json(), mimetype="application/json")

    @app.post("/primevox/strict")
    def receive_strict() -> dict[str, str]:
        return {"kind": get_event(strict=True, max_body_bytes=1024).kind}

    @app.post("/primevox/data-then-form")
    def receive_after_get_data() -> Response:
        from flask import request

        request.get_data()  # cached: request.form and get_event both still work
        assert request.form["eventType"] == "InboundCall"
        return Response(get_event().to_json(), mimetype="application/json")

    @app.post("/primevox/form-first")
    def receive_after_form_access() -> Response:
        # request.form consumed the body: say so, rather than reporting an empty body.
        from flask import request

        _ = request.form
        get_event()  # aborts with 500 body_consumed
        return Response("not reached", status=200)

    return app


@pytest.fixture(scope="module")
def flask_url() -> Iterator[str]:
    with werkzeug_server(flask_app()) as url:
        yield url


def test_flask(flask_url: str) -> None:
    check_receiver(flask_url + "/primevox", flat)


def test_flask_strict(flask_url: str) -> None:
    check_strict(flask_url + "/primevox/strict", flat)


def test_flask_body_already_read(flask_url: str) -> None:
    r = post(flask_url + "/primevox/data-then-form", CALL_FORM, FORM)
    assert r.status_code == 200, r.text
    assert r.json() == json.loads(pv.parse(CALL_FORM, FORM).to_json())
    r = post(flask_url + "/primevox/form-first", CALL_FORM, FORM)
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "body_consumed"
    assert "request.form" in r.json()["error"]["message"]


# --- Django under runserver -------------------------------------------------------------------


@pytest.fixture(scope="module")
def django_url() -> Iterator[str]:
    with django_runserver() as url:
        yield url


def test_django(django_url: str) -> None:
    check_receiver(django_url + "/primevox", flat)


def test_django_strict(django_url: str) -> None:
    check_strict(django_url + "/primevox/strict", flat)


def test_django_post_only(django_url: str) -> None:
    r = httpx.get(django_url + "/primevox", timeout=30)
    assert r.status_code == 405
