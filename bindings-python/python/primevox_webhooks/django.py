"""Receive PrimeVOX webhooks in Django.

::

    from django.http import HttpRequest, JsonResponse
    from primevox_webhooks import AnyEvent
    from primevox_webhooks.django import webhook_view

    @webhook_view(token="a-long-random-secret")  # POST only, CSRF-exempt
    def receive(request: HttpRequest, event: AnyEvent) -> JsonResponse:
        return JsonResponse({"kind": event.kind})

A refused request is answered 400 (bad payload), 401 (token), 403 (address) or 405 (not POST)
with ``{"error": {"code", "field", "message"}}``. ``read_event(request)`` raises ``ParseError``
/ ``RequestRefused`` instead; ``error_response(err)`` is the ``JsonResponse``.
"""

from __future__ import annotations

import functools
from typing import Callable, Optional, Sequence, Union, overload

# Django ships no type information (django-stubs adds it); without it these names are Any.
from django.http import (  # type: ignore[import-untyped,unused-ignore]
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.views.decorators.csrf import (  # type: ignore[import-untyped,unused-ignore]
    csrf_exempt,
)

from . import AnyEvent, ParseError, parse
from ._receiver import (
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

__all__ = ["ParseError", "RequestRefused", "error_response", "read_event", "webhook_view"]

_View = Callable[[HttpRequest, AnyEvent], HttpResponse]
_WrappedView = Callable[[HttpRequest], HttpResponse]


def _checked_event(
    request: HttpRequest, sender: Guard, *, strict: bool, max_body_bytes: int
) -> AnyEvent:
    meta = request.META
    if sender.active:
        peer = meta.get("REMOTE_ADDR")
        query = meta.get("QUERY_STRING", "")
        sender.check(
            peer if isinstance(peer, str) else None,
            query if isinstance(query, str) else "",
            request.headers.get,
        )
    if declared_too_large(meta.get("CONTENT_LENGTH"), max_body_bytes):
        raise too_large(max_body_bytes)  # refused before request.body reads it
    content_type = meta.get("CONTENT_TYPE")
    return parse(
        request.body,
        content_type if isinstance(content_type, str) else None,
        strict=strict,
        max_body_bytes=max_body_bytes,
    )


def read_event(
    request: HttpRequest,
    *,
    strict: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    token: Optional[Tokens] = None,
    token_query: Optional[str] = "token",
    token_header: Optional[str] = None,
    allow: Optional[Sequence[str]] = None,
) -> AnyEvent:
    """Check the sender (``REMOTE_ADDR`` against ``allow``; the token from the header
    ``token_header``, else the query parameter ``token_query``; ``RequestRefused``), refuse a
    declared Content-Length over ``max_body_bytes`` unread, then parse the raw body and
    Content-Type header of ``request`` (``ParseError``)."""
    sender = guard(token, token_query, token_header, allow)
    return _checked_event(request, sender, strict=strict, max_body_bytes=max_body_bytes)


def error_response(err: Union[ParseError, RequestRefused]) -> JsonResponse:
    """``{"error": {"code", "field", "message"}}`` with 400 (bad payload), 401 (token) or 403
    (address). (No "Connection: close": WSGI forbids hop-by-hop headers from applications.)"""
    return JsonResponse(error_body(err), status=status_of(err))


def _not_allowed() -> JsonResponse:
    body = {"error": {"code": "method_not_allowed", "field": None, "message": "use POST"}}
    return JsonResponse(body, status=405, headers={"Allow": "POST"})


@overload
def webhook_view(view: _View) -> _WrappedView: ...
@overload
def webhook_view(
    view: None = None,
    *,
    strict: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    token: Optional[Tokens] = None,
    token_query: Optional[str] = "token",
    token_header: Optional[str] = None,
    allow: Optional[Sequence[str]] = None,
) -> Callable[[_View], _WrappedView]: ...
def webhook_view(
    view: Optional[_View] = None,
    *,
    strict: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    token: Optional[Tokens] = None,
    token_query: Optional[str] = "token",
    token_header: Optional[str] = None,
    allow: Optional[Sequence[str]] = None,
) -> Union[_WrappedView, Callable[[_View], _WrappedView]]:
    """Decorate ``view(request, event)``: POST only, CSRF-exempt, the sender checked before the
    body is read, a refused request answered with ``error_response``. Bad options raise here."""
    sender = Guard(token, token_query, token_header, allow)

    def decorate(inner: _View) -> _WrappedView:
        @functools.wraps(inner)
        def wrapped(request: HttpRequest) -> HttpResponse:
            if request.method != "POST":
                return _not_allowed()
            try:
                event = _checked_event(
                    request, sender, strict=strict, max_body_bytes=max_body_bytes
                )
            except (ParseError, RequestRefused) as err:
                return error_response(err)
            return inner(request, event)

        exempt: _WrappedView = csrf_exempt(wrapped)
        return exempt

    return decorate if view is None else decorate(view)
