import json

from django.http import HttpRequest, HttpResponse
from django.urls import path

from primevox_webhooks import AnyEvent
from primevox_webhooks.django import webhook_view


@webhook_view
def receive(request: HttpRequest, event: AnyEvent) -> HttpResponse:
    return HttpResponse(event.to_json(), content_type="application/json")


@webhook_view(strict=True, max_body_bytes=1024)
def receive_strict(request: HttpRequest, event: AnyEvent) -> HttpResponse:
    return HttpResponse(json.dumps({"kind": event.kind}), content_type="application/json")


urlpatterns = [
    path("primevox", receive),
    path("primevox/strict", receive_strict),
]
