"""The receivers read request headers straight from the ASGI scope, the WSGI environ and Django's
META, once per request; these properties check that every lookup finds what the frameworks'
own header objects (which the receivers used before) find, whatever the headers."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import Headers
from werkzeug.datastructures import EnvironHeaders

from primevox_webhooks import _receiver as policy

RX = policy.receiver(
    {
        "token": "a-long-random-secret",
        "token_header": "X_Api-Token",  # an underscore: WSGI spells it like the hyphen
        "peer_header": "cf-connecting-ip",
        "trusted_proxies": ["10.0.0.0/8"],
    }
)
WANT = policy.wanted(RX)
NAMES = sorted(set(WANT.names) | set(WANT.asgi.values()))
OTHER = ["host", "x-api-token", "x_api_token", "content_type", "content_length", "user-agent", "accept"]
VALUES = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=8)
HEADERS = st.lists(st.tuples(st.sampled_from(NAMES + OTHER), VALUES), max_size=12)


def test_wanted_names_are_the_receivers() -> None:
    assert WANT.names == tuple(RX.headers)
    assert "x_api-token" in WANT.names and WANT.forwarded_checked


@given(HEADERS)
def test_asgi_headers_match_starlette(pairs: list[tuple[str, str]]) -> None:
    raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in pairs]
    found = policy.asgi_headers(WANT, raw)
    starlette = Headers(raw=raw)
    for name in WANT.asgi.values():
        assert found.get(name) == (", ".join(starlette.getlist(name)) or None), name


def environ_of(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """The environ (or META) of these headers, as Django's ASGIRequest makes it (repeated ones
    joined by ","; a ``content_type`` header becomes HTTP_CONTENT_TYPE, beside CONTENT_TYPE)."""
    environ: dict[str, Any] = {"REQUEST_METHOD": "POST", "wsgi.input": io.BytesIO(b"")}
    for name, value in pairs:
        key = name.upper().replace("-", "_")
        if name not in ("content-type", "content-length"):
            key = f"HTTP_{key}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


@given(HEADERS)
def test_environ_keys_match_werkzeug(pairs: list[tuple[str, str]]) -> None:
    environ = environ_of(pairs)
    werkzeug = EnvironHeaders(environ)
    for name, key in WANT.environ:
        assert environ.get(key) == werkzeug.get(name), name


@given(HEADERS, st.booleans())
def test_django_meta_lookup_matches_request_headers(pairs: list[tuple[str, str]], swap: bool) -> None:
    from test_receiver_vectors import django_setup

    django_setup()
    from django.core.handlers.wsgi import WSGIRequest

    from primevox_webhooks.django import _header

    environ = environ_of(pairs)
    if swap and "HTTP_CONTENT_TYPE" in environ and "CONTENT_TYPE" in environ:
        # both spellings, in the other order: Django's lookup takes the later one
        environ["CONTENT_TYPE"] = environ.pop("CONTENT_TYPE")
    environ.setdefault("wsgi.url_scheme", "http")
    for name, key in [*WANT.environ, ("content-encoding", "HTTP_CONTENT_ENCODING")]:
        request = WSGIRequest(dict(environ))
        assert _header(request, request.META, name, key) == request.headers.get(name), name
