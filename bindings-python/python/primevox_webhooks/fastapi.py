"""Receive PrimeVOX webhooks in FastAPI, with a dependency.

::

    from fastapi import FastAPI
    from primevox_webhooks.fastapi import PrimevoxEvent

    app = FastAPI()

    @app.post("/primevox")
    async def receive(event: PrimevoxEvent) -> dict[str, str]:
        return {"kind": event.kind}

A bad payload is answered with HTTP 400 and ``{"error": {"code", "field", "message"}}``, the
body of every receiver of the SDK (Node, Workers, Flask, Django) and of the CLI. The dependency
raises ``PrimevoxHTTPException`` (an ``HTTPException``); its handler,
``primevox_exception_handler``, writes that body. The dependency registers the handler on the
app the first time it refuses a request; ``install(app)`` (or
``FastAPI(exception_handlers=exception_handlers)``) registers it up front. Without the handler,
FastAPI's own would answer ``{"detail": {"code", "field", "message"}}``.

``Annotated[AnyEvent, Depends(webhook_event(token=..., allow=[...], strict=True))]`` makes a
dependency with other options (``ReceiverOptions``: ``token`` 401, ``allow`` 403 and
``trusted_proxies``, checked before the body is read; ``max_body_bytes``, checked against
Content-Length, then while reading; ``body_timeout_ms``, 408).

``add_webhook_route(app, "/primevox", handle, token=...)`` lets the receiver own the route
instead: every method reaches it (405 with ``Allow: POST`` but for POST), ``handle(event)`` (sync
or async, or a router) runs after the checks, 200 ``{"ok":true}`` when it returns, 500
``handler_failed`` (logged on the ``primevox_webhooks`` logger) when it raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Awaitable, Callable, Coroutine, Union

from fastapi import Depends, FastAPI, HTTPException, Request
from starlette.responses import Response

from . import AnyEvent, ParseError
from ._receiver import Answer, ReceiverOptions, RequestRefused, headers_of, receiver, status_of
from .starlette import checked_event, error_response, read_event, webhook_route

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "PrimevoxEvent",
    "PrimevoxHTTPException",
    "RequestRefused",
    "add_webhook_route",
    "error_response",
    "exception_handlers",
    "install",
    "primevox_exception_handler",
    "read_event",
    "webhook_event",
]


class PrimevoxHTTPException(HTTPException):
    """A refused webhook request: ``error`` is the ``ParseError`` or ``RequestRefused``."""

    error: Union[ParseError, RequestRefused]

    def __init__(self, error: Union[ParseError, RequestRefused]) -> None:
        super().__init__(
            status_code=status_of(error),
            detail=error.to_dict(),
            headers=headers_of(error) or None,
        )
        self.error = error


async def primevox_exception_handler(request: Request, exc: Exception) -> Response:
    """Writes ``{"error": {"code", "field", "message"}}`` for a ``PrimevoxHTTPException``."""
    if not isinstance(exc, PrimevoxHTTPException):  # registered for that class only
        raise exc
    return error_response(exc.error)


def _takes_webhooks(dependant: Any) -> bool:
    return any(
        getattr(d.call, "primevox_receiver", None) is not None or _takes_webhooks(d)
        for d in getattr(dependant, "dependencies", [])
    )


async def method_not_allowed_handler(request: Request, exc: Exception) -> Response:
    """FastAPI answers a method its route does not declare with 405 ``{"detail": ...}``. For a
    route that takes a webhook event (``PrimevoxEvent``, ``webhook_event``), answer the SDK's 405
    with ``Allow: POST`` instead; every other answer is FastAPI's own."""
    from fastapi.exception_handlers import http_exception_handler
    from starlette.exceptions import HTTPException as StarletteHTTPException

    if not isinstance(exc, StarletteHTTPException):  # registered for that class only
        raise exc
    if exc.status_code == 405:
        path = request.url.path
        for route in getattr(request.app, "routes", []):
            regex = getattr(route, "path_regex", None)
            if regex is not None and regex.match(path) and _takes_webhooks(getattr(route, "dependant", None)):
                return error_response(RequestRefused(Answer.not_post()))
    return await http_exception_handler(request, exc)


#: ``FastAPI(exception_handlers=exception_handlers)``: the handlers, registered up front (the
#: refusals' body, and the SDK's 405 on routes that take a webhook event).
exception_handlers: dict[
    Union[int, type[Exception]], Callable[[Request, Any], Coroutine[Any, Any, Response]]
] = {
    PrimevoxHTTPException: primevox_exception_handler,
    405: method_not_allowed_handler,
}


def install(app: FastAPI) -> None:
    """Register ``exception_handlers`` on ``app`` (the dependency also registers the refusals'
    handler lazily; the 405 one needs this, or ``FastAPI(exception_handlers=...)``)."""
    for key, handler in exception_handlers.items():
        app.add_exception_handler(key, handler)


def _register_lazily(request: Request) -> None:
    # Starlette's ExceptionMiddleware hands its handler table to the route through the scope;
    # adding ours there is what install(app) would have done (a handler already set wins).
    handlers = request.scope.get("starlette.exception_handlers")
    if isinstance(handlers, tuple) and handlers and isinstance(handlers[0], dict):
        handlers[0].setdefault(PrimevoxHTTPException, primevox_exception_handler)


def webhook_event(**options: Unpack[ReceiverOptions]) -> Callable[[Request], Awaitable[AnyEvent]]:
    """A FastAPI dependency that returns the parsed event or answers with
    ``{"error": {"code", "field", "message"}}``. Bad options raise ``ReceiverOptionError`` here,
    not per request."""
    rx = receiver(options)

    async def primevox_event(request: Request) -> AnyEvent:
        try:
            return await checked_event(request, rx)
        except (ParseError, RequestRefused) as err:
            _register_lazily(request)
            raise PrimevoxHTTPException(err) from None

    primevox_event.primevox_receiver = rx  # type: ignore[attr-defined]  # found by the 405 handler
    return primevox_event


def add_webhook_route(
    app: FastAPI, path: str, handler: Callable[[AnyEvent], Any], **options: Unpack[ReceiverOptions]
) -> None:
    """Receive webhooks at ``path`` for ``handler`` (sync or async function, or a router); the
    receiver owns the route and answers every method. Bad options raise here."""
    app.router.routes.append(webhook_route(path, handler, **options))


#: ``event: PrimevoxEvent`` in a FastAPI route: the parsed event (lenient, default limits).
PrimevoxEvent = Annotated[AnyEvent, Depends(webhook_event())]
