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
dependency with other options: ``token`` (401 ``unauthorized``), ``allow`` (403 ``forbidden``),
both checked before the body is read, and ``max_body_bytes`` (checked against Content-Length,
then while reading).

``@app.post("/primevox", openapi_extra=delivery_openapi())`` documents the request body (every
kind's payload, JSON and form) in the app's ``/openapi.json``: the dependency reads the raw body
itself, so FastAPI cannot infer it.
"""

from __future__ import annotations

from typing import Annotated, Any, Awaitable, Callable, Coroutine, Optional, Sequence, Union

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from . import AnyEvent, ParseError
from ._openapi import delivery_openapi
from ._receiver import (
    CLOSE,
    DEFAULT_MAX_BODY_BYTES,
    Guard,
    RequestRefused,
    Tokens,
    error_body,
    status_of,
)
from .starlette import checked_event, error_response, read_event

__all__ = [
    "PrimevoxEvent",
    "delivery_openapi",
    "PrimevoxHTTPException",
    "RequestRefused",
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
        unread = isinstance(error, RequestRefused) or error.code == "body_too_large"
        super().__init__(
            status_code=status_of(error),
            detail=error.to_dict(),
            headers=dict(CLOSE) if unread else None,
        )
        self.error = error


async def primevox_exception_handler(request: Request, exc: Exception) -> Response:
    """Writes ``{"error": {"code", "field", "message"}}`` for a ``PrimevoxHTTPException``."""
    if not isinstance(exc, PrimevoxHTTPException):  # registered for that class only
        raise exc
    return JSONResponse(error_body(exc.error), status_code=exc.status_code, headers=exc.headers)


#: ``FastAPI(exception_handlers=exception_handlers)``: the handler, registered up front.
exception_handlers: dict[
    Union[int, type[Exception]], Callable[[Request, Any], Coroutine[Any, Any, Response]]
] = {
    PrimevoxHTTPException: primevox_exception_handler
}


def install(app: FastAPI) -> None:
    """Register ``primevox_exception_handler`` on ``app`` (the dependency also does it lazily)."""
    app.add_exception_handler(PrimevoxHTTPException, primevox_exception_handler)


def _register_lazily(request: Request) -> None:
    # Starlette's ExceptionMiddleware hands its handler table to the route through the scope;
    # adding ours there is what install(app) would have done (a handler already set wins).
    handlers = request.scope.get("starlette.exception_handlers")
    if isinstance(handlers, tuple) and handlers and isinstance(handlers[0], dict):
        handlers[0].setdefault(PrimevoxHTTPException, primevox_exception_handler)


def webhook_event(
    *,
    strict: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    token: Optional[Tokens] = None,
    token_query: Optional[str] = "token",
    token_header: Optional[str] = None,
    allow: Optional[Sequence[str]] = None,
) -> Callable[[Request], Awaitable[AnyEvent]]:
    """A FastAPI dependency that returns the parsed event or answers 400/401/403 with
    ``{"error": {"code", "field", "message"}}``. Bad options raise here, not per request."""
    sender = Guard(token, token_query, token_header, allow)

    async def primevox_event(request: Request) -> AnyEvent:
        try:
            return await checked_event(request, sender, strict=strict, max_body_bytes=max_body_bytes)
        except (ParseError, RequestRefused) as err:
            _register_lazily(request)
            raise PrimevoxHTTPException(err) from None

    return primevox_event


#: ``event: PrimevoxEvent`` in a FastAPI route: the parsed event (lenient, default limits).
PrimevoxEvent = Annotated[AnyEvent, Depends(webhook_event())]
