"""Every shared receiver vector (tests/receivers/*.json) against every Python receiver, each on a
real server on 127.0.0.1: FastAPI and Starlette under uvicorn, Flask under werkzeug, Django under
WSGI (werkzeug) and ASGI (uvicorn, behind guard_asgi). Plus what a vector cannot say: the
body-read timeout (408) and chunked deliveries on Django's runserver."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import pytest

import receiver_vectors as rv
from conftest import django_runserver, uvicorn_server, werkzeug_server
from primevox_webhooks import ReceiverOptionError
from primevox_webhooks.fastapi import PrimevoxEvent  # module level: FastAPI resolves route annotations here

FRAMEWORKS = ["fastapi", "starlette", "flask", "django-wsgi", "django-asgi"]


def starlette_routes(framework: str) -> list[Any]:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from primevox_webhooks.starlette import webhook_endpoint, webhook_route

    routes: list[Any] = []
    for v in rv.REQUESTS:
        handle = rv.handler(framework, v)
        path = "/v/" + v["name"]
        if v.get("handler") != "reads_body_first":
            routes.append(webhook_route(path, handle, **rv.options(v)))
            continue
        endpoint = webhook_endpoint(handle, **rv.options(v))

        async def consumed_first(request: Request, endpoint: Any = endpoint) -> Response:
            async for _ in request.stream():  # as a middleware reading the raw stream would
                pass
            return await endpoint(request)  # type: ignore[no-any-return]

        routes.append(Route(path, consumed_first, methods=["POST"]))
    return routes


def fastapi_app() -> Any:
    from fastapi import FastAPI

    from primevox_webhooks.fastapi import add_webhook_route

    app = FastAPI()
    app.router.routes.extend(starlette_routes("fastapi"))
    # add_webhook_route is what users call; prove it owns every method too.
    add_webhook_route(app, "/own", rv.handler("fastapi", {"name": "own"}))
    return app


def flask_app() -> Any:
    from flask import Flask, request

    from primevox_webhooks.flask import webhook_view

    app = Flask("pv_vectors")
    for v in rv.REQUESTS:
        view = webhook_view(rv.handler("flask", v), **rv.options(v))
        if v.get("handler") == "reads_body_first":

            def consumed_first(view: Any = view) -> Any:
                _ = request.form  # as a form-reading before_request hook would
                return view()

            app.add_url_rule("/v/" + v["name"], endpoint=v["name"], view_func=consumed_first, methods=["POST"])
        else:
            app.add_url_rule("/v/" + v["name"], endpoint=v["name"], view_func=view)
    return app


def django_setup() -> None:
    project = str(Path(__file__).parent / "django_project")
    if project not in sys.path:
        sys.path.insert(0, project)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvsite.settings")
    import django

    django.setup()


@contextlib.contextmanager
def serve(framework: str) -> Iterator[str]:
    if framework == "fastapi":
        with uvicorn_server(fastapi_app()) as url:
            yield url
    elif framework == "starlette":
        from starlette.applications import Starlette

        with uvicorn_server(Starlette(routes=starlette_routes("starlette"))) as url:
            yield url
    elif framework == "flask":
        with werkzeug_server(flask_app()) as url:
            yield url
    elif framework == "django-wsgi":
        django_setup()
        from django.core.wsgi import get_wsgi_application

        with werkzeug_server(get_wsgi_application()) as url:
            yield url
    else:
        django_setup()
        from django.core.asgi import get_asgi_application

        from primevox_webhooks.django import guard_asgi

        with uvicorn_server(guard_asgi(get_asgi_application())) as url:
            yield url


class Learned(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_vector(framework: str, caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("primevox_webhooks")
    learned = Learned()
    log.addHandler(learned)
    for key in [k for k in rv.SEEN if k[0] == framework.split("-")[0]]:
        del rv.SEEN[key]  # Django runs twice (WSGI, ASGI): start from nothing each time
    try:
        with serve(framework) as url:
            port = urlsplit(url).port
            assert port
            skipped = rv.NOT_RUN.get(framework, {})
            assert all("stallAfterBytes" in v["request"] for v in rv.REQUESTS if v["name"] in skipped)
            for v in rv.REQUESTS:
                if v["name"] in skipped:
                    continue
                before = len(learned.lines)
                with caplog.at_level(logging.WARNING, logger="primevox_webhooks"):
                    got = rv.send(port, "/v/" + v["name"], v["request"])
                learn = any("learn mode" in line for line in learned.lines[before:])
                rv.check(framework, v, got, learned=learn)
                if v.get("handler") == "throws":
                    # logged on the server, with the error; never sent
                    assert "HandlerFailure" in caplog.text or "boom" in caplog.text, caplog.text
                    assert b"boom" not in got[2]
    finally:
        log.removeHandler(learned)


def test_fastapi_owned_route_answers_every_method() -> None:
    with serve("fastapi") as url:
        port = urlsplit(url).port
        assert port
        for method in ("GET", "PUT", "DELETE", "PATCH"):
            status, headers, body = rv.send(port, "/own", {"method": method, "headers": {}, "body": ""})
            assert (status, headers.get("allow")) == (405, "POST"), (method, body)


def make_receiver(framework: str, options: dict[str, Any]) -> Any:
    handle: Callable[[Any], None] = lambda event: None  # noqa: E731
    if framework in ("fastapi",):
        from primevox_webhooks.fastapi import webhook_event

        return webhook_event(**options)
    if framework == "starlette":
        from primevox_webhooks.starlette import webhook_endpoint

        return webhook_endpoint(handle, **options)
    if framework == "flask":
        from primevox_webhooks.flask import webhook_view as flask_view

        return flask_view(handle, **options)
    django_setup()
    from primevox_webhooks.django import webhook_view

    return webhook_view(**options)


@pytest.mark.parametrize("framework", ["fastapi", "starlette", "flask", "django"])
@pytest.mark.parametrize("vector", rv.OPTION_ERRORS, ids=lambda v: v["name"])
def test_bad_options_fail_when_made(framework: str, vector: dict[str, Any]) -> None:
    options = rv.options(vector)
    option = rv.SNAKE[vector["expect"]["optionError"]]
    with pytest.raises(ReceiverOptionError) as info:
        make_receiver(framework, options)
    message = str(info.value)
    assert message.startswith(option), message
    assert vector["expect"].get("messageContains", "") in message
    assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)


# --- what a vector cannot say ----------------------------------------------------------------


def slow_body(port: int, path: str, wait: float) -> bytes:
    """Declare 100 bytes, send 10, and wait for the answer (bounded)."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: 100\r\n\r\n{\"eventTy".encode()
        )
        data = b""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data


def test_body_read_timeout_asgi() -> None:
    """ASGI receivers bound the body read (body_timeout_ms) and answer 408 request_timeout."""
    from starlette.applications import Starlette

    from primevox_webhooks.starlette import webhook_route

    app = Starlette(routes=[webhook_route("/slow", lambda e: None, body_timeout_ms=300)])
    with uvicorn_server(app) as url:
        port = urlsplit(url).port
        assert port
        started = time.monotonic()
        answer = slow_body(port, "/slow", wait=10)
        assert answer.startswith(b"HTTP/1.1 408"), answer
        assert time.monotonic() - started < 5


def test_body_read_timeout_django_asgi() -> None:
    django_setup()
    from django.core.asgi import get_asgi_application
    from django.urls import path

    from primevox_webhooks.django import guard_asgi, webhook_view
    import pvsite.urls

    view = webhook_view(body_timeout_ms=300)(lambda request, event: None)
    pvsite.urls.urlpatterns.append(path("slow", view))
    from django.urls import clear_url_caches

    clear_url_caches()
    with uvicorn_server(guard_asgi(get_asgi_application())) as url:
        port = urlsplit(url).port
        assert port
        answer = slow_body(port, "/slow", wait=10)
        assert answer.startswith(b"HTTP/1.1 408"), answer


def test_django_runserver_reads_chunked_deliveries() -> None:
    """runserver passes a chunked body on undecoded (16.6): read it, and do not let the chunks
    become a second, bogus request."""
    vector = next(v for v in rv.REQUESTS if v["name"] == "chunked")
    with django_runserver() as url:
        port = urlsplit(url).port
        assert port
        status, _, body = rv.send(port, "/v/chunked", vector["request"])
        assert (status, body) == (200, b'{"ok":true}')
        status, _, _ = rv.send(port, "/v/chunked-too-large", next(v for v in rv.REQUESTS if v["name"] == "chunked-too-large")["request"])
        assert status == 400


def test_django_asgi_without_guard_still_refuses_and_says_how_to_guard(caplog: pytest.LogCaptureFixture) -> None:
    django_setup()
    from django.core.asgi import get_asgi_application

    vector = next(v for v in rv.REQUESTS if v["name"] == "token-missing")
    with caplog.at_level(logging.WARNING, logger="primevox_webhooks"):
        with uvicorn_server(get_asgi_application()) as url:
            port = urlsplit(url).port
            assert port
            rv.check("django-asgi", vector, rv.send(port, "/v/token-missing", vector["request"]))
    assert "guard_asgi" in caplog.text


def test_fastapi_dependency_routes_answer_our_405() -> None:
    """A route that takes PrimevoxEvent answers GET/PUT with the SDK's 405 and Allow: POST once
    the handlers are installed; other routes keep FastAPI's own 405."""
    from fastapi import FastAPI

    from primevox_webhooks.fastapi import exception_handlers

    app = FastAPI(exception_handlers=exception_handlers)

    @app.post("/primevox")
    async def receive(event: PrimevoxEvent) -> dict[str, str]:
        return {"kind": event.kind}

    @app.post("/other")
    async def other() -> dict[str, str]:
        return {}

    vector = next(v for v in rv.REQUESTS if v["name"] == "put")
    with uvicorn_server(app) as url:
        port = urlsplit(url).port
        assert port
        for method in ("GET", "PUT"):
            got = rv.send(port, "/primevox", {**vector["request"], "method": method})
            rv.check("fastapi", {**vector, "handler": "ok"}, got)
        status, _, body = rv.send(port, "/other", {"method": "GET", "headers": {}, "body": ""})
        assert status == 405 and b"detail" in body
        status, _, _ = rv.send(port, "/primevox", {"method": "POST", "headers": {}, "body": ""})
        assert status == 400  # POST still reaches the route (empty body)
