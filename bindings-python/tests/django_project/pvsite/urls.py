import json

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

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


# Sender checks and body limits (test_security.py); the same routes as the other frameworks.
@webhook_view(token=["new-secret", "old-secret"])
def guarded(request: HttpRequest, event: AnyEvent) -> HttpResponse:
    return HttpResponse(json.dumps({"kind": event.kind}), content_type="application/json")


@webhook_view(token="hdr-secret", token_header="X-Primevox-Token")
def guarded_header(request: HttpRequest, event: AnyEvent) -> HttpResponse:
    return HttpResponse(json.dumps({"kind": event.kind}), content_type="application/json")


@webhook_view(allow=["10.0.0.0/8", "2001:db8::/32"])
def allow_other(request: HttpRequest, event: AnyEvent) -> HttpResponse:
    return HttpResponse(json.dumps({"kind": event.kind}), content_type="application/json")


@webhook_view(allow=["127.0.0.0/8"], token="s")
def allow_local(request: HttpRequest, event: AnyEvent) -> HttpResponse:
    return HttpResponse(json.dumps({"kind": event.kind}), content_type="application/json")


@webhook_view(max_body_bytes=1024)
def small(request: HttpRequest, event: AnyEvent) -> HttpResponse:
    return HttpResponse(json.dumps({"kind": event.kind}), content_type="application/json")


urlpatterns += [
    path("guarded", guarded),
    path("guarded-header", guarded_header),
    path("allow-other", allow_other),
    path("allow-local", allow_local),
    path("small", small),
]

# The shared receiver vectors (test_receiver_vectors.py), one route each.
urlpatterns += [path("v/", include("pvsite.vector_urls"))]
