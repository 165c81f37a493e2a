"""Receive PrimeVOX webhooks in Flask.

::

    from flask import Flask
    from primevox_webhooks.flask import get_event

    app = Flask(__name__)

    @app.post("/primevox")
    def receive() -> dict[str, str]:
        event = get_event(token="a-long-random-secret")  # 400/401/403 {"error": {...}} otherwise
        return {"kind": event.kind}

``read_event()`` raises ``ParseError`` / ``RequestRefused`` instead, for custom handling;
``error_response(err)`` is the response that ``get_event`` sends.
"""

from __future__ import annotations

from typing import IO, NoReturn, Optional, Sequence, Union

import flask
from flask import Request, Response

from . import AnyEvent, ParseError, parse
from ._receiver import (
    DEFAULT_MAX_BODY_BYTES,
    RequestRefused,
    Tokens,
    declared_too_large,
    error_body,
    guard,
    status_of,
    too_large,
)

__all__ = ["ParseError", "RequestRefused", "error_response", "get_event", "read_event"]


def _read_limited(stream: IO[bytes], limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a body of unknown length (chunked)."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(65536, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_event(
    request: Optional[Request] = None,
    *,
    strict: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    token: Optional[Tokens] = None,
    token_query: Optional[str] = "token",
    token_header: Optional[str] = None,
    allow: Optional[Sequence[str]] = None,
) -> AnyEvent:
    """Check the sender of ``request`` (default: the current request): the peer address
    (``request.remote_addr``) against ``allow`` and the token (header ``token_header``, else query
    parameter ``token_query``), raising ``RequestRefused``; then read the raw body (at most
    ``max_body_bytes``) and Content-Type and parse them (``ParseError``)."""
    req = flask.request if request is None else request
    sender = guard(token, token_query, token_header, allow)
    if sender.active:
        sender.check(req.remote_addr, req.query_string.decode("latin-1"), req.headers.get)
    if declared_too_large(req.content_length, max_body_bytes):
        raise too_large(max_body_bytes)  # refused before reading any of it
    if req.content_length is None and "_cached_data" not in req.__dict__:
        body = _read_limited(req.stream, max_body_bytes)  # chunked: bounded read, not cached
    else:
        body = req.get_data(cache=True, as_text=False, parse_form_data=False)
    if not body and "form" in req.__dict__ and (req.content_length or 0) > 0:
        # Werkzeug consumed the stream to build request.form: the raw body is gone, and
        # rebuilding it from request.form would lose order, duplicates and the exact bytes.
        raise RuntimeError(
            "the request body was consumed by request.form before primevox_webhooks could "
            "read it: call get_event() (or request.get_data()) before touching request.form"
        )
    return parse(
        body,
        req.headers.get("Content-Type"),
        strict=strict,
        max_body_bytes=max_body_bytes,
    )


def error_response(err: Union[ParseError, RequestRefused]) -> Response:
    """``{"error": {"code", "field", "message"}}`` with 400 (bad payload), 401 (token) or 403
    (address)."""
    response = flask.jsonify(error_body(err))
    response.status_code = status_of(err)
    # No "Connection: close" here: WSGI forbids hop-by-hop headers from applications; the WSGI
    # server deals with a body left unread (werkzeug and gunicorn close the connection).
    return response


def get_event(
    request: Optional[Request] = None,
    *,
    strict: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    token: Optional[Tokens] = None,
    token_query: Optional[str] = "token",
    token_header: Optional[str] = None,
    allow: Optional[Sequence[str]] = None,
) -> AnyEvent:
    """Like ``read_event``, but a refusal aborts the request with ``error_response``."""
    try:
        return read_event(
            request,
            strict=strict,
            max_body_bytes=max_body_bytes,
            token=token,
            token_query=token_query,
            token_header=token_header,
            allow=allow,
        )
    except (ParseError, RequestRefused) as err:
        _abort(error_response(err))


def _abort(response: Response) -> NoReturn:
    flask.abort(response)
