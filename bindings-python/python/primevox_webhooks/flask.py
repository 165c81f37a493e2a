"""Receive PrimeVOX webhooks in Flask.

::

    from flask import Flask
    from primevox_webhooks.flask import get_event

    app = Flask(__name__)

    @app.post("/primevox")
    def receive() -> dict[str, str]:
        event = get_event()  # answers 400 with {"code", "field", "message"} on a bad payload
        return {"kind": event.kind}

``read_event()`` raises ``ParseError`` instead, for custom handling; ``error_response(err)`` is the
400 response that ``get_event`` sends.
"""

from __future__ import annotations

from typing import Optional

import flask
from flask import Request, Response

from . import AnyEvent, ParseError, parse

__all__ = ["error_response", "get_event", "read_event"]


def read_event(
    request: Optional[Request] = None, *, strict: bool = False, max_body_bytes: int = 65536
) -> AnyEvent:
    """Parse the raw body and Content-Type of ``request`` (default: the current request)."""
    req = flask.request if request is None else request
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


def error_response(err: ParseError) -> Response:
    """HTTP 400 with ``{"code": ..., "field": ..., "message": ...}``."""
    response = flask.jsonify(err.to_dict())
    response.status_code = 400
    return response


def get_event(
    request: Optional[Request] = None, *, strict: bool = False, max_body_bytes: int = 65536
) -> AnyEvent:
    """Like ``read_event``, but a bad payload aborts the request with ``error_response``."""
    try:
        return read_event(request, strict=strict, max_body_bytes=max_body_bytes)
    except ParseError as err:
        flask.abort(error_response(err))
