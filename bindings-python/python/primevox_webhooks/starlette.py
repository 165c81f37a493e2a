"""Receive PrimeVOX webhooks in Starlette (FastAPI users: see ``primevox_webhooks.fastapi``).

::

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route
    from primevox_webhooks.starlette import RequestRefused, ParseError, error_response, read_event

    async def receive(request: Request) -> Response:
        try:
            event = await read_event(request, token=["new-secret", "old-secret"])
        except (ParseError, RequestRefused) as err:
            return error_response(err)  # 400/401/403 {"error": {"code", "field", "message"}}
        return JSONResponse({"kind": event.kind})

    app = Starlette(routes=[Route("/primevox", receive, methods=["POST"])])
"""

from __future__ import annotations

from typing import Optional, Sequence, Union

from starlette.requests import Request
from starlette.responses import JSONResponse

from . import AnyEvent, ParseError, parse
from ._receiver import (
    CLOSE,
    DEFAULT_MAX_BODY_BYTES,
    Guard,
    RequestRefused,
    Tokens,
    declared_too_large,
    error_body,
    guard,
    status_of,
    too_large,
)

__all__ = ["ParseError", "RequestRefused", "error_response", "read_event"]


def check_sender(request: Request, sender: Guard) -> None:
    """Raise ``RequestRefused`` unless the peer address and the token pass ``sender``."""
    if sender.active:
        client = request.client
        query = request.scope.get("query_string", b"")
        sender.check(
            client.host if client is not None else None,
            query.decode("latin-1") if isinstance(query, bytes) else "",
            request.headers.get,
        )


async def read_body(request: Request, max_body_bytes: int) -> bytes:
    """The raw body, read only up to ``max_body_bytes + 1`` bytes (one over is enough for the
    core to report ``body_too_large``); a declared larger Content-Length is refused unread."""
    if declared_too_large(request.headers.get("content-length"), max_body_bytes):
        raise too_large(max_body_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size > max_body_bytes:
            break  # the rest is never read: the answer says Connection: close
    return b"".join(chunks)[: max_body_bytes + 1]


async def checked_event(
    request: Request, sender: Guard, *, strict: bool, max_body_bytes: int
) -> AnyEvent:
    check_sender(request, sender)
    body = await read_body(request, max_body_bytes)
    return parse(
        body,
        request.headers.get("content-type"),
        strict=strict,
        max_body_bytes=max_body_bytes,
    )


async def read_event(
    request: Request,
    *,
    strict: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    token: Optional[Tokens] = None,
    token_query: Optional[str] = "token",
    token_header: Optional[str] = None,
    allow: Optional[Sequence[str]] = None,
) -> AnyEvent:
    """Check the sender (``allow``, then ``token`` from the header ``token_header`` or the query
    parameter ``token_query``; ``RequestRefused``), then read the raw body (at most
    ``max_body_bytes``) and Content-Type of ``request`` and parse them (``ParseError``)."""
    sender = guard(token, token_query, token_header, allow)
    return await checked_event(request, sender, strict=strict, max_body_bytes=max_body_bytes)


def error_response(err: Union[ParseError, RequestRefused]) -> JSONResponse:
    """``{"error": {"code", "field", "message"}}`` with 400 (bad payload), 401 (token) or 403
    (address); refusals and oversized bodies also close the connection (the body is unread)."""
    unread = isinstance(err, RequestRefused) or err.code == "body_too_large"
    return JSONResponse(error_body(err), status_code=status_of(err), headers=CLOSE if unread else None)
