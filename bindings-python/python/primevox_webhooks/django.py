"""Receive PrimeVOX webhooks in Django.

::

    from django.http import HttpRequest, JsonResponse
    from primevox_webhooks import AnyEvent
    from primevox_webhooks.django import webhook_view

    @webhook_view  # POST only, CSRF-exempt, 400 JSON on a bad payload
    def receive(request: HttpRequest, event: AnyEvent) -> JsonResponse:
        return JsonResponse({"kind": event.kind})

``read_event(request)`` raises ``ParseError`` instead; ``error_response(err)`` is the 400
``JsonResponse`` with ``{"code", "field", "message"}``.
"""

from __future__ import annotations

import functools
from typing import Callable, Optional, Union, overload

# Django ships no type information (django-stubs adds it); without it these names are Any.
from django.http import (  # type: ignore[import-untyped,unused-ignore]
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.views.decorators.csrf import (  # type: ignore[import-untyped,unused-ignore]
    csrf_exempt,
)

from . import AnyEvent, ParseError, parse

__all__ = ["error_response", "read_event", "webhook_view"]

_View = Callable[[HttpRequest, AnyEvent], HttpResponse]
_WrappedView = Callable[[HttpRequest], HttpResponse]


def read_event(
    request: HttpRequest, *, strict: bool = False, max_body_bytes: int = 65536
) -> AnyEvent:
    """Parse the raw body and Content-Type header of ``request``; raise ``ParseError``."""
    content_type = request.META.get("CONTENT_TYPE")
    return parse(
        request.body,
        content_type if isinstance(content_type, str) else None,
        strict=strict,
        max_body_bytes=max_body_bytes,
    )


def error_response(err: ParseError) -> JsonResponse:
    """HTTP 400 with ``{"code": ..., "field": ..., "message": ...}``."""
    return JsonResponse(err.to_dict(), status=400)


@overload
def webhook_view(view: _View) -> _WrappedView: ...
@overload
def webhook_view(
    view: None = None, *, strict: bool = False, max_body_bytes: int = 65536
) -> Callable[[_View], _WrappedView]: ...
def webhook_view(
    view: Optional[_View] = None, *, strict: bool = False, max_body_bytes: int = 65536
) -> Union[_WrappedView, Callable[[_View], _WrappedView]]:
    """Decorate ``view(request, event)``: POST only, CSRF-exempt, a bad payload answered 400."""

    def decorate(inner: _View) -> _WrappedView:
        @functools.wraps(inner)
        def wrapped(request: HttpRequest) -> HttpResponse:
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            try:
                event = read_event(request, strict=strict, max_body_bytes=max_body_bytes)
            except ParseError as err:
                return error_response(err)
            return inner(request, event)

        exempt: _WrappedView = csrf_exempt(wrapped)
        return exempt

    return decorate if view is None else decorate(view)
