"""One route per shared receiver vector (tests/receivers), for Django under WSGI and ASGI."""

from typing import Any, Callable

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from primevox_webhooks.django import webhook_view
from receiver_vectors import REQUESTS, handler, options


def route(vector: dict[str, Any]) -> Callable[[HttpRequest], HttpResponse]:
    handle = handler("django", vector)

    def view(request: HttpRequest, event: Any) -> None:
        handle(event)

    received = webhook_view(**options(vector))(view)
    if vector.get("handler") != "reads_body_first":
        return received

    @csrf_exempt
    def consumed_first(request: HttpRequest) -> HttpResponse:
        request.read()  # as a middleware reading the raw stream would
        return received(request)

    consumed_first.primevox_receiver = received.primevox_receiver  # type: ignore[attr-defined]
    return consumed_first


urlpatterns = [path(v["name"], route(v)) for v in REQUESTS]
