"""``Receiver.check_asgi`` and ``Receiver.check_environ`` read a request's method, address,
query and headers and make the checks in one native call; these properties check that they
answer exactly what the same steps in Python (the receivers' fallback) answer, whatever the
request."""

from __future__ import annotations

import logging
from typing import Any, Optional, Union

from hypothesis import given
from hypothesis import strategies as st

from primevox_webhooks import _receiver as policy
from primevox_webhooks.starlette import _check_scope

RECEIVERS = [
    policy.receiver(options)
    for options in (
        {"token": "t"},
        {"token": ["t", "u"], "token_header": "x-tok", "token_query": None},
        {"allow": ["127.0.0.0/8"], "token": "t"},
        {"allow": ["10.0.0.0/8"], "allow_learn": True},
        {"trusted_proxies": ["127.0.0.1"], "allow": ["10.0.0.0/8"]},
        {"peer_header": "cf-connecting-ip", "allow": ["10.0.0.0/8"]},
        {"token": "t", "token_header": "x-forwarded-for"},
        {"max_body_bytes": 10},
    )
]
NAMES = ["content-type", "content-encoding", "content-length", "x-forwarded-for", "forwarded", "x-tok",
         "cf-connecting-ip", "host", "Content-Type", "X-Forwarded-For"]  # fmt: skip
TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=255), max_size=6)
VALUES = st.one_of(
    TEXT,
    st.sampled_from(["t", "u", "application/json", "gzip", "10", "99999", "127.0.0.1", " 10.0.0.5 ,127.0.0.1",
                     "\x1c127.0.0.1\xa0", "for=10.0.0.9", "1.2.3.4, 10.0.0.7"]),  # fmt: skip
)
HEADERS = st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=6)
METHODS = st.sampled_from(["POST", "GET", "post"])
PEERS = st.sampled_from([None, "127.0.0.1", "10.0.0.5", "1.2.3.4"])
QUERIES = st.sampled_from(["token=t", "token=u", "", "x=1&token=t", "token=%74", "token=\xe9"])

Outcome = tuple[Any, ...]


def outcome(step: Any) -> Outcome:
    """What a check decided, as comparable values (its log line included)."""
    try:
        verdict, content_type, content_encoding = step()
    except policy.RequestRefused as err:
        assert err.answer is not None
        return ("refused", err.answer.status, err.answer.body, err.answer.headers, err.answer.close)
    return ("read", verdict.max_bytes, verdict.timeout_ms, verdict.peer, verdict.learn, content_type, content_encoding)


def native(checked: Optional[Union[policy.Answer, policy.Read]]) -> tuple[policy.Read, Optional[str], Optional[str]]:
    assert checked is not None
    verdict = policy.settled(checked)
    return verdict, verdict.content_type, verdict.content_encoding


@given(st.sampled_from(RECEIVERS), METHODS, HEADERS, st.sampled_from([None, "127.0.0.1", "10.0.0.5"]), QUERIES)
def test_check_asgi_is_the_python_steps(
    rx: policy.Receiver, method: str, pairs: list[tuple[str, str]], client: Optional[str], query: str
) -> None:
    logging.disable(logging.CRITICAL)
    try:
        scope: dict[str, Any] = {
            "type": "http",
            "method": method,
            "headers": [(name.encode("latin-1"), value.encode("latin-1")) for name, value in pairs],
            "query_string": query.encode("latin-1"),
            "client": None if client is None else (client, 50000),
        }
        assert outcome(lambda: native(rx.check_asgi(scope))) == outcome(lambda: _check_scope(scope, rx))
    finally:
        logging.disable(logging.NOTSET)


def test_check_asgi_leaves_other_shapes_to_python() -> None:
    rx = RECEIVERS[0]
    plain = {"method": "POST", "headers": [(b"content-type", b"application/json")], "query_string": b"token=t"}
    assert isinstance(rx.check_asgi(plain), policy.Read)
    assert isinstance(rx.check_asgi({**plain, "headers": [[b"content-type", b"application/json"]]}), policy.Read)
    for other in (
        {**plain, "headers": [(b"content-type", bytearray(b"application/json"))]},
        {**plain, "headers": [("content-type", "application/json")]},
        {**plain, "headers": [(b"content-type", b"x", b"y")]},
        {**plain, "method": b"POST"},
        {**plain, "client": ("127.0.0.1",)},
        {**plain, "headers": iter([(b"content-type", b"application/json")])},
        {"headers": []},
    ):
        assert rx.check_asgi(other) is None, other


@given(st.sampled_from(RECEIVERS), METHODS, PEERS, QUERIES, st.dictionaries(st.sampled_from(NAMES), VALUES))
def test_check_environ_is_the_python_steps(
    rx: policy.Receiver, method: str, peer: Optional[str], query: str, headers: dict[str, str]
) -> None:
    environ: dict[str, Any] = {policy.environ_key(name): value for name, value in headers.items()}

    def python() -> tuple[policy.Read, Optional[str], Optional[str]]:
        found = [(name, v) for name, key in policy.wanted(rx).environ for v in [environ.get(key)] if v is not None]
        verdict = policy.check_headers(rx, method, peer, query, found)
        return verdict, environ.get("CONTENT_TYPE"), environ.get("HTTP_CONTENT_ENCODING")

    logging.disable(logging.CRITICAL)
    try:
        assert outcome(lambda: native(rx.check_environ(environ, method, peer, query))) == outcome(python)
    finally:
        logging.disable(logging.NOTSET)
    assert rx.check_environ({**environ, "CONTENT_TYPE": b"application/json"}, method, peer, query) is None
