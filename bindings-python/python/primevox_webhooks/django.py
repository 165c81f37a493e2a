"""Receive PrimeVOX webhooks in Django.

::

    from django.http import HttpRequest
    from primevox_webhooks import AnyEvent
    from primevox_webhooks.django import webhook_view

    @webhook_view(token="a-long-random-secret")  # every method reaches it, CSRF-exempt
    def receive(request: HttpRequest, event: AnyEvent) -> None:
        ...  # return None: 200 {"ok":true}; or return your own HttpResponse

A refused request is answered with ``{"error": {"code", "field", "message"}}``: 400 (bad
payload), 401 (token), 403 (address), 405 (not POST, with ``Allow: POST``), 415 (encoding); a view
that raises is logged on the ``primevox_webhooks`` logger and answered 500 ``handler_failed``.
``read_event(request)`` raises ``ParseError`` / ``RequestRefused`` instead; ``error_response(err)``
is the response. The keyword options are ``ReceiverOptions``.

Under ASGI, Django reads the whole body before any view runs. Wrap the application so that the
receiver checks the sender first and reads at most ``max_body_bytes + 1`` bytes, within
``body_timeout_ms`` (408 after it)::

    application = primevox_webhooks.django.guard_asgi(get_asgi_application())

Under WSGI, chunked deliveries are read (bounded) whatever the server; limit slow clients in the
server (gunicorn ``--timeout``) or the proxy in front.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Optional, Union, overload

# Django ships no type information (django-stubs adds it); without it these names are Any.
from django.core.handlers.wsgi import (  # type: ignore[import-untyped,unused-ignore]
    LimitedStream,
)
from django.http import (  # type: ignore[import-untyped,unused-ignore]
    HttpRequest,
    HttpResponse,
)
from django.views.decorators.csrf import (  # type: ignore[import-untyped,unused-ignore]
    csrf_exempt,
)

from . import AnyEvent, ParseError
from . import _receiver as policy
from ._receiver import Answer, ReceiverOptions, RequestRefused

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "ParseError",
    "RequestRefused",
    "error_response",
    "guard_asgi",
    "read_event",
    "webhook_view",
]

_View = Callable[[HttpRequest, AnyEvent], Optional[HttpResponse]]
_WrappedView = Callable[[HttpRequest], HttpResponse]
_ASGIApp = Callable[[dict[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

#: Set in the ASGI scope by ``guard_asgi`` once the sender is checked and the body read.
CHECKED = "primevox_webhooks.checked"


def _meta(request: HttpRequest, key: str) -> str:
    value = request.META.get(key)
    return value if isinstance(value, str) else ""


def _dechunk(read: Callable[[int], bytes], verdict: policy.Read) -> bytes:
    """A chunked body from a WSGI server that passes it on undecoded (runserver), bounded."""

    def line() -> bytes:
        buf = b""
        while not buf.endswith(b"\n") and len(buf) < 1024:
            c = read(1)
            if not c:
                break
            buf += c
        return buf

    out = bytearray()
    while len(out) < verdict.max_bytes:
        try:
            size = int(line().split(b";")[0].strip() or b"0", 16)
        except ValueError:
            break  # not chunked encoding: what was read is all there is
        if size == 0:
            line()  # the blank line after the last chunk (no trailers expected)
            break
        want = min(size, verdict.max_bytes - len(out))  # a huge declared chunk is not read whole
        chunk = read(want)
        out += chunk
        if len(chunk) < size:
            break
        read(2)  # the CRLF after the chunk
    return bytes(out[: verdict.max_bytes])


def _cached_body(request: HttpRequest) -> Optional[bytes]:
    """The body if something already read and cached it (``request.body``, or ``request.POST``
    of a form); ``RequestRefused`` (policy.body_consumed) if it was read without caching."""
    if hasattr(request, "_body"):
        return bytes(request.body)
    if getattr(request, "_read_started", False):
        raise policy.body_consumed()
    return None


def _body(request: HttpRequest, verdict: policy.Read) -> bytes:
    cached = _cached_body(request)
    if cached is not None:
        return cached
    coding = request.META.get("HTTP_TRANSFER_ENCODING")  # (as _meta, without the call)
    if isinstance(coding, str) and "chunked" in coding.lower() and not hasattr(request, "scope"):
        # WSGIRequest bounds its stream to Content-Length, which a chunked body has none of.
        stream = request.META["wsgi.input"]
        if request.META.get("wsgi.input_terminated"):  # the server decoded it (werkzeug)
            return policy.read_limited(stream.read, verdict)
        # runserver hands the raw chunks on, in a LimitedStream of length 0: read under it.
        raw = getattr(stream, "_read", None) if getattr(stream, "limit", None) == 0 else None
        return _dechunk(raw if callable(raw) else stream.read, verdict)
    # WSGIRequest reads through Django's LimitedStream, which answers b"" at its limit (the
    # Content-Length) without reading: the body ends there (another stream is read to its end).
    own: Any = getattr(request, "_stream", None)
    return policy.read_limited(request.read, verdict, own.limit if type(own) is LimitedStream else None)


_UNGUARDED: list[bool] = []  # warned once per process


_UNPREFIXED = ("CONTENT_TYPE", "CONTENT_LENGTH")


def _header(request: HttpRequest, meta: dict[str, Any], name: str, key: str) -> Optional[str]:
    """``request.headers.get(name)`` without building ``request.headers`` (a dict of every
    header, made on first use): the value is ``META[key]``, unless the name has an underscore or
    META holds both spellings of an unprefixed header (``CONTENT_TYPE`` and
    ``HTTP_CONTENT_TYPE``, from a ``Content_Type`` header): then Django's own lookup decides."""
    if "_" in name or (key in _UNPREFIXED and f"HTTP_{key}" in meta):
        return request.headers.get(name)  # type: ignore[no-any-return]
    return meta.get(key)


def _event(request: HttpRequest, rx: policy.Receiver) -> AnyEvent:
    scope = getattr(request, "scope", None)
    meta = request.META
    if scope is None and not (
        policy.wanted(rx).underscore or "HTTP_CONTENT_TYPE" in meta or "HTTP_CONTENT_LENGTH" in meta
    ):  # every header at its META key (see _header): read natively, with the checks
        addr, query = meta.get("REMOTE_ADDR"), meta.get("QUERY_STRING")  # as _meta reads them
        checked = rx.check_environ(
            meta,
            request.method or "",
            addr if isinstance(addr, str) and addr else None,
            query if isinstance(query, str) else "",
        )
        if checked is not None:  # (None: not a plain dict of str; the steps below)
            verdict = policy.settled(checked)
            return policy.parse_body_as(rx, _body(request, verdict), verdict.content_type, verdict.content_encoding)
    content = (
        _header(request, meta, "content-type", "CONTENT_TYPE"),
        _header(request, meta, "content-encoding", "HTTP_CONTENT_ENCODING"),
    )
    if scope is not None and scope.get(CHECKED):  # guard_asgi checked it and read the body
        return policy.parse_body_as(rx, _cached_body(request) or bytes(request.body), *content)
    if scope is not None and not _UNGUARDED:
        _UNGUARDED.append(True)
        policy.LOG.warning(
            "Django under ASGI read this webhook's whole body before the sender was checked: "
            "wrap the application, application = primevox_webhooks.django.guard_asgi(get_asgi_application())"
        )
    peer: Optional[str] = _meta(request, "REMOTE_ADDR") or None
    if scope is not None:
        peer = policy.asgi_peer(rx, peer, request.headers.get)
    headers = [
        (name, value)
        for name, key in policy.wanted(rx).environ
        for value in [_header(request, meta, name, key)]
        if value is not None
    ]
    verdict = policy.check_headers(rx, request.method or "", peer, _meta(request, "QUERY_STRING"), headers)
    return policy.parse_body_as(rx, _body(request, verdict), *content)


def read_event(request: HttpRequest, **options: Unpack[ReceiverOptions]) -> AnyEvent:
    """Check the sender (``REMOTE_ADDR`` against ``allow``, the token; ``RequestRefused``), read
    the body bounded by ``max_body_bytes`` and parse it with its Content-Type (``ParseError``)."""
    return _event(request, policy.receiver(options))


def answer_response(answer: Answer) -> HttpResponse:
    """The core's answer as a Django response (its body sent as is; no "Connection: close":
    WSGI forbids hop-by-hop headers from applications)."""
    if answer is policy.OK:  # its parts read once (each read of an Answer's field copies it)
        return HttpResponse(_OK_BODY, status=200, content_type=policy.CONTENT_TYPE)
    return HttpResponse(answer.body, status=answer.status, headers=dict(answer.headers), content_type=policy.CONTENT_TYPE)


_OK_BODY = policy.OK.body


def error_response(err: Union[ParseError, RequestRefused]) -> HttpResponse:
    """``{"error": {"code", "field", "message"}}`` with the status of the error."""
    answer = getattr(err, "answer", None)
    if isinstance(answer, Answer):
        return answer_response(answer)
    import json

    return HttpResponse(json.dumps(policy.error_body(err)), status=policy.status_of(err), content_type=policy.CONTENT_TYPE)


@overload
def webhook_view(view: _View) -> _WrappedView: ...
@overload
def webhook_view(
    view: None = None, *, answer_first: bool = False, **options: Unpack[ReceiverOptions]
) -> Callable[[_View], _WrappedView]: ...
def webhook_view(
    view: Optional[_View] = None, *, answer_first: bool = False, **options: Unpack[ReceiverOptions]
) -> Union[_WrappedView, Callable[[_View], _WrappedView]]:
    """Decorate ``view(request, event)`` (or pass a router): every method reaches it (405 but for
    POST), CSRF-exempt, the sender checked before the body is read, a refused request answered
    with ``error_response``. Bad options raise ``ReceiverOptionError`` here. ``answer_first``:
    answer 200 once the event is parsed and run the view or router after, in a background
    thread (its failure is only logged; a crash after the answer loses the event)."""
    rx = policy.receiver(options)
    policy.answer_first_option(answer_first)

    def decorate(inner: _View) -> _WrappedView:
        @functools.wraps(inner)
        def wrapped(request: HttpRequest) -> HttpResponse:
            try:
                event = _event(request, rx)
            except (ParseError, RequestRefused) as err:
                return error_response(err)
            handler: Callable[[AnyEvent], Any] = (
                inner if hasattr(inner, "dispatch") else functools.partial(inner, request)  # type: ignore[assignment]
            )
            got = policy.call_handler(handler, event, answer_first)
            return answer_response(got) if isinstance(got, Answer) else got

        exempt: _WrappedView = csrf_exempt(wrapped)
        exempt.primevox_receiver = rx  # type: ignore[attr-defined]  # found by guard_asgi
        return exempt

    return decorate if view is None else decorate(view)


def _receiver_at(scope: dict[str, Any]) -> Optional[policy.Receiver]:
    from django.urls import Resolver404, resolve  # type: ignore[import-untyped,unused-ignore]

    path = scope.get("path", "")
    root = scope.get("root_path", "")
    try:
        match = resolve(path[len(root) :] if root and path.startswith(root) else path)
    except Resolver404:
        return None
    rx = getattr(match.func, "primevox_receiver", None)
    return rx if isinstance(rx, policy.Receiver) else None


async def _send(send: Callable[[Any], Awaitable[None]], answer: Answer) -> None:
    body = answer.body.encode()
    headers = [(b"content-type", policy.CONTENT_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in answer.headers]
    if answer.close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def guard_asgi(application: _ASGIApp) -> _ASGIApp:
    """Wrap Django's ASGI application: for a URL served by a ``webhook_view``, policy.check the sender
    before the body is read, and read at most ``max_body_bytes + 1`` bytes within
    ``body_timeout_ms``, before Django (which would read the whole body first) sees it."""

    async def app(scope: dict[str, Any], receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]) -> None:
        rx = _receiver_at(scope) if scope.get("type") == "http" else None
        if rx is None:
            return await application(scope, receive, send)
        headers: dict[str, str] = {}
        for k, v in scope.get("headers", []):
            name = k.decode("latin-1").lower()
            value = v.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        client = scope.get("client")
        try:
            verdict = policy.check(
                rx,
                scope.get("method", ""),
                policy.asgi_peer(rx, client[0] if client else None, headers.get),
                scope.get("query_string", b"").decode("latin-1"),
                headers.get,
            )
            body = await policy.read_limited_async(_chunks(receive), verdict)
        except RequestRefused as err:
            if err.answer is None:  # only the core's refusals are raised here
                raise
            return await _send(send, err.answer)
        sent = False

        async def replay() -> Any:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await application({**scope, CHECKED: True}, replay, send)

    return app


async def _chunks(receive: Callable[[], Awaitable[Any]]) -> Any:
    while True:
        message = await receive()
        if message.get("type") != "http.request":
            return
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return
