"""The Django receivers under load (bench/load/run.py starts this under gunicorn: one gthread
worker, 8 threads), settings and URLs in this one module.

    POST /sdk    the SDK's receiver: @primevox_webhooks.django.webhook_view(token=...)
    POST /hand   a minimal hand-written receiver making the same checks (handcheck.py)
    POST /empty  reads the body and answers 200 {"ok": true}: the framework's ceiling
    GET  /__stats   handler calls per delivery key, per route, and the worker's pid

A delivery whose caller name (or message text) contains THROW makes the handler raise after
counting. Adapting to a new receiver API: only the `sdk` lines below change.
"""

from __future__ import annotations

import os
from typing import Any

import django
from django.conf import settings

settings.configure(
    DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"], ROOT_URLCONF=__name__, SECRET_KEY="load-only-not-secret",
    MIDDLEWARE=[], INSTALLED_APPS=[], DATA_UPLOAD_MAX_MEMORY_SIZE=64 * 1024,
    LOGGING_CONFIG=None,
)
django.setup()

from django.http import HttpRequest, HttpResponse, JsonResponse  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

import handcheck  # noqa: E402
from primevox_webhooks import AnyEvent  # noqa: E402
from primevox_webhooks.django import webhook_view  # noqa: E402

TOKEN = os.environ.get("PV_LOAD_TOKEN", "load-token")


# --- the SDK -------------------------------------------------------------------------------------
@webhook_view(token=TOKEN)
def sdk(request: HttpRequest, event: AnyEvent) -> None:
    handcheck.record("sdk", *handcheck.sdk_key(event))


# --- hand-written --------------------------------------------------------------------------------
def bad(status: int, code: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code}}, status=status)


@csrf_exempt
@require_POST
def hand(request: HttpRequest) -> HttpResponse:
    if request.GET.get("token") != TOKEN:
        return bad(401, "unauthorized")
    if int(request.META.get("CONTENT_LENGTH") or 0) > handcheck.LIMIT:
        return bad(413, "body_too_large")
    body = request.read(handcheck.LIMIT + 1)  # a chunked body has no Content-Length
    if len(body) > handcheck.LIMIT:
        return bad(413, "body_too_large")
    got = handcheck.check(body, request.META.get("CONTENT_TYPE"))
    if isinstance(got[0], int):
        return bad(got[0], str(got[1]))
    handcheck.record("hand", str(got[0]), got[1])
    return JsonResponse({"ok": True})


@csrf_exempt
@require_POST
def empty(request: HttpRequest) -> HttpResponse:
    request.read(handcheck.LIMIT + 1)
    return JsonResponse({"ok": True})


def stats(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"pid": os.getpid(), "calls": handcheck.snapshot()})


# Django's resolver tries the patterns in order, so each route's position costs it: run.py's
# side-by-side measure gives every process an order (PV_LOAD_ORDER) that puts the routes compared
# within a round at the same position.
ROUTES = {"sdk": sdk, "hand": hand, "empty": empty}
ORDER = os.environ.get("PV_LOAD_ORDER", "sdk,hand,empty").split(",")
urlpatterns: list[Any] = [path(name, ROUTES[name]) for name in ORDER] + [path("__stats", stats)]
application = get_wsgi_application()
