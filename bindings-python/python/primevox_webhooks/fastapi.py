"""Receive PrimeVOX webhooks in FastAPI or Starlette.

FastAPI, with the dependency::

    from fastapi import FastAPI
    from primevox_webhooks.fastapi import PrimevoxEvent

    app = FastAPI()

    @app.post("/primevox")
    async def receive(event: PrimevoxEvent) -> dict[str, str]:
        return {"kind": event.kind}

A bad payload is answered with HTTP 400 and the JSON body
``{"detail": {"code": "...", "field": ..., "message": "..."}}`` (FastAPI's shape for
``HTTPException``). ``webhook_event(strict=True)`` makes a dependency with other options.

Starlette (no FastAPI needed): ``await read_event(request)`` raises ``ParseError``;
``error_response(err)`` is the 400 ``JSONResponse`` with ``{"code", "field", "message"}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse

from . import AnyEvent, ParseError, parse

__all__ = ["PrimevoxEvent", "error_response", "read_event", "webhook_event"]


async def read_event(
    request: Request, *, strict: bool = False, max_body_bytes: int = 65536
) -> AnyEvent:
    """Read the raw body and Content-Type of ``request`` and parse them; raise ``ParseError``."""
    body = await request.body()
    return parse(
        body,
        request.headers.get("content-type"),
        strict=strict,
        max_body_bytes=max_body_bytes,
    )


def error_response(err: ParseError) -> JSONResponse:
    """HTTP 400 with ``{"code": ..., "field": ..., "message": ...}``."""
    return JSONResponse(err.to_dict(), status_code=400)


def webhook_event(
    *, strict: bool = False, max_body_bytes: int = 65536
) -> Callable[[Request], Awaitable[AnyEvent]]:
    """A FastAPI dependency that returns the parsed event or answers HTTP 400."""
    from fastapi import HTTPException

    async def primevox_event(request: Request) -> AnyEvent:
        try:
            return await read_event(request, strict=strict, max_body_bytes=max_body_bytes)
        except ParseError as err:
            raise HTTPException(status_code=400, detail=err.to_dict()) from None

    return primevox_event


def _annotated() -> Any:
    try:
        from fastapi import Depends
    except ImportError:  # Starlette alone: the dependency alias needs FastAPI.
        return AnyEvent
    from typing import Annotated

    return Annotated[AnyEvent, Depends(webhook_event())]


if TYPE_CHECKING:
    #: ``event: PrimevoxEvent`` in a FastAPI route: the parsed event (lenient, default limits).
    PrimevoxEvent = AnyEvent
else:
    PrimevoxEvent = _annotated()
