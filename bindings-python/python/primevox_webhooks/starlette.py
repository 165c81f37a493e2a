"""Receive PrimeVOX webhooks in Starlette (FastAPI users: see ``primevox_webhooks.fastapi``).

::

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route
    from primevox_webhooks import ParseError
    from primevox_webhooks.starlette import error_response, read_event

    async def receive(request: Request) -> Response:
        try:
            event = await read_event(request)
        except ParseError as err:
            return error_response(err)  # 400 {"code": ..., "field": ..., "message": ...}
        return JSONResponse({"kind": event.kind})

    app = Starlette(routes=[Route("/primevox", receive, methods=["POST"])])
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from . import AnyEvent, ParseError, parse

__all__ = ["error_response", "read_event"]


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
