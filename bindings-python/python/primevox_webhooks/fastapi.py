"""Receive PrimeVOX webhooks in FastAPI, with a dependency.

::

    from fastapi import FastAPI
    from primevox_webhooks.fastapi import PrimevoxEvent

    app = FastAPI()

    @app.post("/primevox")
    async def receive(event: PrimevoxEvent) -> dict[str, str]:
        return {"kind": event.kind}

A bad payload is answered with HTTP 400 and the JSON body
``{"detail": {"code": "...", "field": ..., "message": "..."}}`` (FastAPI's shape for an
``HTTPException``). ``Annotated[AnyEvent, Depends(webhook_event(strict=True))]`` makes a
dependency with other options.
"""

from __future__ import annotations

from typing import Annotated, Awaitable, Callable

from fastapi import Depends, HTTPException, Request

from . import AnyEvent, ParseError
from .starlette import error_response, read_event

__all__ = ["PrimevoxEvent", "error_response", "read_event", "webhook_event"]


def webhook_event(
    *, strict: bool = False, max_body_bytes: int = 65536
) -> Callable[[Request], Awaitable[AnyEvent]]:
    """A FastAPI dependency that returns the parsed event or answers HTTP 400."""

    async def primevox_event(request: Request) -> AnyEvent:
        try:
            return await read_event(request, strict=strict, max_body_bytes=max_body_bytes)
        except ParseError as err:
            raise HTTPException(status_code=400, detail=err.to_dict()) from None

    return primevox_event


#: ``event: PrimevoxEvent`` in a FastAPI route: the parsed event (lenient, default limits).
PrimevoxEvent = Annotated[AnyEvent, Depends(webhook_event())]
