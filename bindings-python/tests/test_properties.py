"""Property tests (hypothesis): events made by parsing generated payloads survive encode -> parse,
canonical JSON and pickling unchanged; arbitrary bytes raise nothing but ParseError."""

from __future__ import annotations

import json
import pickle
import re
import urllib.parse
from typing import Any, Optional

from hypothesis import example, given
from hypothesis import strategies as st

import primevox_webhooks as pv

# Documented wire eventType (and eventTarget) per class; field lists come from the core
# through __match_args__.
WIRE = [
    (pv.InboundMessage, "inboundMessage", None),
    (pv.OutboundMessage, "outboundMessage", None),
    (pv.InboundCall, "InboundCall", "phoneNumber"),
    (pv.CallHangup, "HangupCall", None),
    (pv.ExtensionRinging, "ringAttempt", "extension"),
    (pv.ExtensionAnswered, "ExtensionAnswered", None),
    (pv.ExtensionHangup, "inboundCallCompleted", None),
    (pv.VoicemailLeft, "voicemailHangup", None),
    (pv.OutboundCall, "outboundCall", None),
    (pv.RingGroupEntered, "ringAttempt", "ringGroup"),
    (pv.QueueEntered, "queueEntered", "queue"),
    (pv.UnknownEvent, "somethingElse", None),
]
ALIASES = {
    "containerId": ["containerId", "containerID"],
    "tenantId": ["tenantId", "tenantID"],
    "conversationId": ["conversationId", "conversationID"],
    "extensionNumber": ["extensionNumber", "extNumber"],
    "extensionName": ["extensionName", "extName"],
    "ringGroupNumber": ["ringGroupNumber", "rgNumber"],
}
ALL_WIRE_NAMES = sorted({n for names in ALIASES.values() for n in names} | {
    "toNumber", "fromNumber", "messageText", "didNumber", "didDescription", "didGroup",
    "cidPrefix", "callUuid", "callerIdNum", "callerIdName", "numberDialed", "queueNumber",
    "eventTarget",
})


def camel(snake: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), snake)


def documented_names(cls: type[pv.Event], event_type: str) -> dict[str, str]:
    """Canonical name -> the one wire spelling the vendor documents for this kind (the spelling
    ``encode()`` writes; strict mode accepts no other)."""
    kind = dict(zip((c for c, _, _ in WIRE), pv.KINDS))[cls]
    names = [camel(s) for s in cls.__match_args__]
    canonical = {"kind": kind, "eventType": event_type, **{n: str(i) for i, n in enumerate(names)}, "extra": []}
    content_type, body = pv.from_json(json.dumps(canonical)).encode()
    if content_type.startswith("application/json"):
        wire = [(k, str(v)) for k, v in json.loads(body).items()]
    else:
        wire = urllib.parse.parse_qsl(body)
    by_value = {v: k for k, v in wire if k not in ("eventType", "eventTarget")}
    return {n: by_value[str(i)] for i, n in enumerate(names)}


values = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\A[ +]?[0-9]{1,15}\Z"),  # phone-number shapes, incl. an unencoded '+'
    st.sampled_from(["", " ", "a&b=c#d", "100%", "%zz", "+1 512", "Jos\u00e9 Garc\u00eda", "\U0001f64f"]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)
extra_names = st.one_of(st.from_regex(r"\A[A-Za-z][A-Za-z0-9_]{0,12}\Z"), st.sampled_from(ALL_WIRE_NAMES), st.text(min_size=1, max_size=8))


@st.composite
def payloads(draw: Any) -> tuple[bytes, Optional[str]]:
    cls, event_type, target = draw(st.sampled_from(WIRE))
    pairs: list[tuple[str, Any]] = [("eventType", event_type)]
    if target is not None and draw(st.booleans()):
        pairs.append(("eventTarget", target))
    for snake in cls.__match_args__:
        name = camel(snake)
        if draw(st.integers(0, 9)) == 0:
            continue  # sometimes absent (a required one makes a ParseError)
        wire_name = draw(st.sampled_from(ALIASES.get(name, [name])))
        pairs.append((wire_name, draw(values)))
    use_json = draw(st.booleans())
    for _ in range(draw(st.integers(0, 4))):
        value = draw(json_values) if use_json and draw(st.booleans()) else draw(values)
        pairs.insert(draw(st.integers(1, len(pairs))), (draw(extra_names), value))
    if use_json:
        body = json.dumps(dict(pairs), ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
        content_type = draw(st.sampled_from(["application/json", "application/json; charset=utf-8", None]))
    else:
        quote = draw(st.sampled_from([urllib.parse.quote_plus, urllib.parse.quote]))
        text = urllib.parse.urlencode([(k, str(v)) for k, v in pairs], quote_via=quote)
        body = text.encode("ascii")
        content_type = draw(st.sampled_from(["application/x-www-form-urlencoded", None, "text/plain"]))
    return body, content_type


def check_round_trips(event: pv.Event) -> None:
    content_type, wire = event.encode()
    again = pv.parse(wire, content_type)
    assert again == event, (event, content_type, wire)
    assert hash(again) == hash(event)
    assert again.to_json() == event.to_json()
    assert pv.from_json(event.to_json()) == event
    assert pickle.loads(pickle.dumps(event)) == event
    assert json.loads(event.to_json())["kind"] == event.kind


@given(payloads(), st.booleans())
@example((b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=u&callerIdNum=+5551234", None), False)
@example((b'{"eventType":"outboundCall","containerId":1,"tenantId":2,"callUuid":"u","x":1e400}', None), False)
def test_encode_parse_identity(payload: tuple[bytes, Optional[str]], strict: bool) -> None:
    body, content_type = payload
    try:
        event = pv.parse(body, content_type, strict=strict)
    except pv.ParseError as err:
        assert err.code in pv.ERROR_CODES
        return
    assert isinstance(event, pv.Event)
    check_round_trips(event)


CONTENT_TYPES = st.sampled_from(
    [None, "application/json", "application/x-www-form-urlencoded", "text/plain",
     "application/octet-stream", "multipart/form-data", "application/vnd.x+json; charset=latin1", ""]
)


@given(st.binary(max_size=300), CONTENT_TYPES, st.booleans())
def test_arbitrary_bytes_raise_only_parse_error(body: bytes, content_type: Optional[str], strict: bool) -> None:
    try:
        event = pv.parse(body, content_type, strict=strict)
    except pv.ParseError as err:
        assert err.code in pv.ERROR_CODES
        return
    check_round_trips(event)


@given(payloads(), st.lists(st.tuples(st.integers(0, 400), st.binary(min_size=0, max_size=4)), max_size=4), st.booleans())
def test_mutated_payloads_raise_only_parse_error(
    payload: tuple[bytes, Optional[str]], edits: list[tuple[int, bytes]], strict: bool
) -> None:
    body, content_type = payload
    data = bytearray(body)
    for pos, blob in edits:
        pos = min(pos, len(data))
        data[pos : pos + len(blob)] = blob
    try:
        event = pv.parse(bytes(data), content_type, strict=strict)
    except pv.ParseError as err:
        assert err.code in pv.ERROR_CODES
        return
    check_round_trips(event)


@given(st.text(max_size=200), CONTENT_TYPES)
def test_arbitrary_text_raises_only_parse_error(body: str, content_type: Optional[str]) -> None:
    try:
        encoded = body.encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates cannot be a str body (documented: UnicodeEncodeError)
    try:
        event = pv.parse(body, content_type)
    except pv.ParseError as err:
        assert err.code in pv.ERROR_CODES
        return
    assert event == pv.parse(encoded, content_type)


@st.composite
def documented_payloads(draw: Any) -> tuple[bytes, Optional[str]]:
    """Payloads shaped as the vendor documents them (what strict mode accepts)."""
    cls, event_type, target = draw(st.sampled_from(WIRE[:-1]))
    pairs: list[tuple[str, str]] = [("eventType", event_type)]
    if target is not None:
        pairs.append(("eventTarget", target))
    for snake in cls.__match_args__:
        name = camel(snake)
        if name == "callUuid":
            value = str(draw(st.uuids()))
        elif name in ("containerId", "tenantId"):
            value = draw(st.from_regex(r"\A[0-9]{1,9}\Z"))
        elif name in ("toNumber", "fromNumber", "didNumber", "callerIdNum", "numberDialed"):
            value = draw(st.from_regex(r"\A\+?[0-9]{4,15}\Z"))
        else:
            value = draw(st.text(max_size=30))
        pairs.append((documented_names(cls, event_type)[name], value))
    pairs = draw(st.permutations(pairs))
    if issubclass(cls, (pv.InboundMessage, pv.OutboundMessage)) or draw(st.booleans()):
        return json.dumps(dict(pairs)).encode(), "application/json"
    return urllib.parse.urlencode(pairs).encode(), "application/x-www-form-urlencoded"


@given(documented_payloads())
def test_strict_accepts_documented_payloads_like_lenient(payload: tuple[bytes, Optional[str]]) -> None:
    body, content_type = payload
    strict = pv.parse(body, content_type, strict=True)
    assert strict == pv.parse(body, content_type)
    assert strict.extra == ()
    check_round_trips(strict)


# Texts of every width (ASCII, Latin-1, UCS-2, astral), in runs longer than a vector step: the
# binding makes non-ASCII strs from code points, ASCII ones from bytes.
any_text = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=120) | st.lists(
    st.sampled_from(["a", "Running late ", "\u00e9", "\u0417\u0430\u043a\u0430\u0437", "\u4e2d\u6587", "\U0001f697", " "]),
    min_size=1,
    max_size=60,
).map("".join)


@given(any_text, any_text, st.booleans())
def test_text_values_are_the_strs_sent(text: str, note: str, ensure_ascii: bool) -> None:
    body = json.dumps(
        {"eventType": "inboundMessage", "containerID": "1", "tenantID": "2", "conversationID": "3",
         "toNumber": "+15550001", "fromNumber": "+15550002", "messageText": text, "note": note},
        ensure_ascii=ensure_ascii,
    ).encode()
    event = pv.parse(body, "application/json")
    assert isinstance(event, pv.InboundMessage)
    got = event.message_text
    assert type(got) is str
    assert got == text
    assert hash(got) == hash(text)
    assert event.extra == (("note", note),)
    assert type(event.extra[0][1]) is str
    assert event.to_dict()["message_text"] == got
