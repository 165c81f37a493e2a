"""Receive PrimeVOX webhooks in Starlette (FastAPI users: see ``primevox_webhooks.fastapi``).

The receiver owns the route (every method reaches it: others than POST get our 405)::

    from starlette.applications import Starlette
    from primevox_webhooks.starlette import webhook_route

    async def handle(event: AnyEvent) -> None:
        ...  # return None: the receiver answers 200 {"ok":true}

    app = Starlette(routes=[webhook_route("/primevox", handle, token="a-long-random-secret")])

Or inside your own endpoint::

    async def receive(request: Request) -> Response:
        try:
            event = await read_event(request, token=["new-secret", "old-secret"])
        except (ParseError, RequestRefused) as err:
            return error_response(err)  # {"error": {"code", "field", "message"}}
        return JSONResponse({"kind": event.kind})

The keyword options are ``ReceiverOptions`` (``token``, ``allow``, ``trusted_proxies``,
``max_body_bytes``, ``body_timeout_ms``, ...); the body is read at most ``max_body_bytes + 1``
bytes and within ``body_timeout_ms`` (408 after it). A handler that raises is logged on the
``primevox_webhooks`` logger and answered 500 ``handler_failed``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Awaitable, Callable, Optional, Union

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route, request_response
from starlette.types import Receive, Scope, Send

from . import AnyEvent, ParseError
from . import _receiver as policy
from ._receiver import Answer, ReceiverOptions, RequestRefused

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "ParseError",
    "RequestRefused",
    "error_response",
    "read_event",
    "webhook_endpoint",
    "webhook_route",
]


async def checked_event(request: Request, rx: policy.Receiver) -> AnyEvent:
    """The core's checks on ``request``, then its body read (bounded in size and time) and
    parsed: the event, or ``RequestRefused`` / ``ParseError``."""
    scope = request.scope
    checked = rx.check_asgi(scope)  # the scope read and checked in one native call
    if checked is None:  # not the plain shape check_asgi reads: the same steps in Python
        verdict, content_type, content_encoding = _check_scope(scope, rx)
    else:
        verdict = policy.settled(checked)
        content_type, content_encoding = verdict.content_type, verdict.content_encoding
    if type(request) is Request and not request._stream_consumed and not hasattr(request, "_body"):
        body = await policy.read_within(_received(request, verdict.max_bytes), verdict)
    else:  # read before us, or a Request subclass (which may read otherwise): its own stream
        try:
            body = await policy.read_limited_async(request.stream(), verdict)
        except RuntimeError:  # "Stream consumed": something read the body without caching it
            raise policy.body_consumed() from None
    return policy.parse_body_as(rx, body, content_type, content_encoding)


async def _received(request: Request, max_bytes: int) -> bytes:
    """``Request.stream()``'s loop over ``receive``, with the same effects on ``request``, up to
    ``max_bytes`` (the rest is never read: the answer closes the connection). Not through the
    async generator itself: creating, hooking and finalising one per request costs more than
    the checks and the parse together."""
    parts: list[bytes] = []
    size = 0
    receive = request.receive
    while True:
        message = await receive()
        kind = message["type"]
        if kind == "http.request":
            chunk = message.get("body", b"")
            last = not message.get("more_body", False)
            if last:
                request._stream_consumed = True
            if chunk:
                parts.append(chunk)
                size += len(chunk)
                if size >= max_bytes:
                    break
            if last:
                break
        elif kind == "http.disconnect":
            request._is_disconnected = True
            raise ClientDisconnect()
    return policy.joined(parts, size, max_bytes)


def _check_scope(scope: Scope, rx: policy.Receiver) -> tuple[policy.Read, Optional[str], Optional[str]]:
    want = policy.wanted(rx)
    found = policy.asgi_headers(want, scope["headers"])
    header = found.get
    client = scope.get("client")
    query = scope.get("query_string", b"")
    verdict = policy.check_headers(
        rx,
        scope["method"],
        policy.asgi_peer(rx, client[0] if client is not None else None, header),
        query.decode("latin-1") if isinstance(query, bytes) else "",
        [(name, found[name]) for name in want.names if name in found],
    )
    return verdict, header("content-type"), header("content-encoding")


async def read_event(request: Request, **options: Unpack[ReceiverOptions]) -> AnyEvent:
    """Check the sender of ``request`` (``RequestRefused``), read its body (at most
    ``max_body_bytes``) and parse it (``ParseError``)."""
    return await checked_event(request, policy.receiver(options))


def answer_response(answer: Answer) -> Response:
    """The core's answer as a Starlette response (its body sent as is)."""
    if answer is policy.OK:  # its parts read once (each read of an Answer's field copies it)
        return Response(_OK_BODY, status_code=200, media_type=policy.CONTENT_TYPE)
    headers = dict(answer.headers)
    if answer.close:
        headers["connection"] = "close"
    return Response(answer.body, status_code=answer.status, headers=headers, media_type=policy.CONTENT_TYPE)


_OK_BODY = policy.OK.body
assert policy.OK.status == 200 and not policy.OK.headers and not policy.OK.close


def error_response(err: Union[ParseError, RequestRefused]) -> Response:
    """``{"error": {"code", "field", "message"}}`` with the status of the error (400 bad payload,
    401 token, 403 address, 405 method, 408 timeout, 415 encoding); refusals that leave the body
    unread also close the connection."""
    answer = getattr(err, "answer", None)
    if isinstance(answer, Answer):
        return answer_response(answer)
    from starlette.responses import JSONResponse

    return JSONResponse(policy.error_body(err), status_code=policy.status_of(err), headers=policy.headers_of(err))


def webhook_endpoint(
    handler: Callable[[AnyEvent], Any], *, answer_first: bool = False, **options: Unpack[ReceiverOptions]
) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette endpoint that receives webhooks for ``handler`` (a function, sync or async, or
    a router). Bad options raise ``ReceiverOptionError`` here, not per request. ``answer_first``:
    answer 200 once the event is parsed and run the handler after, in a task (its failure is
    only logged; a crash after the answer loses the event)."""
    rx = policy.receiver(options)
    policy.answer_first_option(answer_first)

    async def primevox_webhook(request: Request) -> Response:
        try:
            event = await checked_event(request, rx)
        except (ParseError, RequestRefused) as err:
            return error_response(err)
        got = await policy.call_handler_async(handler, event, answer_first)
        return answer_response(got) if isinstance(got, Answer) else got

    return primevox_webhook


def webhook_route(
    path: str, handler: Callable[[AnyEvent], Any], *, answer_first: bool = False, **options: Unpack[ReceiverOptions]
) -> Route:
    """A ``Route`` for ``path`` that owns every method (405 with ``Allow: POST`` but for POST)."""
    return Route(path, _EveryMethod(webhook_endpoint(handler, answer_first=answer_first, **options)), methods=None)


class _EveryMethod:
    """An endpoint as an ASGI app: Starlette routes a function to GET/HEAD only, an app to every
    method, so that the policy.receiver answers the others itself."""

    def __init__(self, endpoint: Callable[[Request], Awaitable[Response]]) -> None:
        self.app = request_response(endpoint)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
