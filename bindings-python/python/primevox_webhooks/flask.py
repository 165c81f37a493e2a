"""Receive PrimeVOX webhooks in Flask.

The receiver owns the route (every method reaches it: others than POST get our 405)::

    from flask import Flask
    from primevox_webhooks.flask import webhook_view

    def handle(event: AnyEvent) -> None:
        ...  # return None: the receiver answers 200 {"ok":true}

    app = Flask(__name__)
    app.add_url_rule("/primevox", view_func=webhook_view(handle, token="a-long-random-secret"))

Or inside your own view::

    @app.post("/primevox")
    def receive() -> dict[str, str]:
        event = get_event(token="a-long-random-secret")  # aborts with our JSON answer otherwise
        return {"kind": event.kind}

The keyword options are ``ReceiverOptions`` (``token``, ``allow``, ``trusted_proxies``,
``max_body_bytes``, ...). ``read_event()`` raises ``ParseError`` / ``RequestRefused`` instead;
``error_response(err)`` is the response ``get_event`` sends. A handler that raises is logged on
the ``primevox_webhooks`` logger and answered 500 ``handler_failed``. Slow clients: werkzeug's
server has no body timeout; run behind gunicorn (``--timeout``) or a proxy that bounds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, NoReturn, Optional, Union

import flask
from flask import Request, Response

from . import AnyEvent, ParseError
from . import _receiver as policy
from ._receiver import Answer, ReceiverOptions, RequestRefused

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["ParseError", "RequestRefused", "error_response", "get_event", "read_event", "webhook_view"]

#: Every method reaches a ``webhook_view`` (Flask reads a view function's ``methods``).
EVERY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _event(req: Request, rx: policy.Receiver) -> AnyEvent:
    # Headers straight from the environ, where werkzeug's EnvironHeaders.get finds them.
    environ = req.environ
    # (the method, address and query as werkzeug's request has them; the headers read natively)
    checked = rx.check_environ(environ, req.method, req.remote_addr, req.query_string.decode("latin-1"))
    if checked is None:  # not a plain dict of str: the same steps in Python
        verdict = _check(req, environ, rx)
        content_type, content_encoding = environ.get("CONTENT_TYPE"), environ.get("HTTP_CONTENT_ENCODING")
    else:
        verdict = policy.settled(checked)
        content_type, content_encoding = verdict.content_type, verdict.content_encoding
    if "_cached_data" in req.__dict__:
        body = req.get_data(cache=True, as_text=False, parse_form_data=False)
    elif "form" in req.__dict__ and (req.content_length or 0) > 0:
        # request.form consumed the stream: the raw body is gone, and rebuilding it from the
        # form would lose order, duplicates and the exact bytes.
        raise policy.body_consumed()
    else:
        # werkzeug bounds the stream to Content-Length, or decodes a chunked body
        body = policy.read_limited(req.stream.read, verdict)
    return policy.parse_body_as(rx, body, content_type, content_encoding)


def _check(req: Request, environ: dict[str, Any], rx: policy.Receiver) -> policy.Read:
    headers = [(name, value) for name, key in policy.wanted(rx).environ for value in [environ.get(key)] if value is not None]
    return policy.check_headers(rx, req.method, req.remote_addr, req.query_string.decode("latin-1"), headers)


def _current() -> Request:
    """The request behind ``flask.request`` (a proxy that looks it up on every attribute)."""
    proxy: Any = flask.request
    current: Request = proxy._get_current_object()
    return current


def read_event(request: Optional[Request] = None, **options: Unpack[ReceiverOptions]) -> AnyEvent:
    """Check the sender of ``request`` (default: the current request; ``RequestRefused``), then
    read its body (at most ``max_body_bytes``) and parse it (``ParseError``)."""
    rx = policy.receiver(options)
    return _event(_current() if request is None else request, rx)


def _response(status: int, body: str, headers: dict[str, str]) -> Response:
    # No "Connection: close": WSGI forbids hop-by-hop headers from applications; the server
    # deals with a body left unread (werkzeug and gunicorn close the connection).
    return Response(body, status=status, headers=headers, content_type=policy.CONTENT_TYPE)


def answer_response(answer: Answer) -> Response:
    """The core's answer as a Flask response (its body sent as is)."""
    if answer is policy.OK:  # its parts read once (each read of an Answer's field copies it)
        return _response(*_OK)
    return _response(answer.status, answer.body, dict(answer.headers))


_OK = (policy.OK.status, policy.OK.body, dict(policy.OK.headers))


def error_response(err: Union[ParseError, RequestRefused]) -> Response:
    """``{"error": {"code", "field", "message"}}`` with the status of the error (400 bad payload,
    401 token, 403 address, 405 method, 415 encoding, 500 body consumed)."""
    response = flask.jsonify(policy.error_body(err))
    response.status_code = policy.status_of(err)
    response.headers.update(policy.headers_of(err, hop_by_hop=False))
    return response


def get_event(request: Optional[Request] = None, **options: Unpack[ReceiverOptions]) -> AnyEvent:
    """Like ``read_event``, but a refusal aborts the request with ``error_response``."""
    try:
        return read_event(request, **options)
    except (ParseError, RequestRefused) as err:
        _abort(error_response(err))


def _abort(response: Response) -> NoReturn:
    flask.abort(response)


def webhook_view(
    handler: Callable[[AnyEvent], Any], *, answer_first: bool = False, **options: Unpack[ReceiverOptions]
) -> Callable[[], Response]:
    """A Flask view function receiving webhooks for ``handler`` (a function or a router); it
    answers every method itself. Bad options raise ``ReceiverOptionError`` here.
    ``answer_first``: answer 200 once the event is parsed and run the handler after, in a
    background thread (its failure is only logged; a crash after the answer loses the event)."""
    rx = policy.receiver(options)
    policy.answer_first_option(answer_first)

    def primevox_webhook() -> Response:
        try:
            event = _event(_current(), rx)
        except (ParseError, RequestRefused) as err:
            return error_response(err)
        got = policy.call_handler(handler, event, answer_first)
        return answer_response(got) if isinstance(got, Answer) else flask.make_response(got)

    primevox_webhook.methods = EVERY_METHOD  # type: ignore[attr-defined]
    return primevox_webhook
