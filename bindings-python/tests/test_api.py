"""The Python API itself: classes, immutability, equality, pickling, helpers, errors, inputs."""

from __future__ import annotations

import copy
import inspect
import json
import pickle
import typing
from pathlib import Path

import pytest

import primevox_webhooks as pv
from primevox_webhooks import _error, _native

CALL = (
    b"eventType=InboundCall&eventTarget=phoneNumber&containerId=1001&tenantId=42"
    b"&didNumber=%2B15125550100&didDescription=Main+line&callUuid=3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d"
    b"&callerIdNum=5125550199&callerIdName=JANE+DOE&custom=x&custom=y"
)
FORM = "application/x-www-form-urlencoded"
MESSAGE = json.dumps(
    {
        "eventType": "inboundMessage",
        "toNumber": "+15125550100",
        "fromNumber": "+17375550142",
        "containerID": "3547",
        "tenantID": "118",
        "messageText": "caf\u00e9 \U0001f64f \"quoted\"\nline",
        "segments": 2,
        "media": {"urls": ["a", "b"], "ok": True, "none": None},
    }
).encode()

CLASSES = [
    pv.InboundMessage,
    pv.OutboundMessage,
    pv.InboundCall,
    pv.CallHangup,
    pv.ExtensionRinging,
    pv.ExtensionAnswered,
    pv.ExtensionHangup,
    pv.VoicemailLeft,
    pv.OutboundCall,
    pv.RingGroupEntered,
    pv.QueueEntered,
    pv.UnknownEvent,
]


def test_error_codes_match_stub_literal() -> None:
    # ERROR_CODES comes from the Rust core; ErrorCode is the Literal the stubs and users see.
    assert typing.get_args(pv.ErrorCode) == pv.ERROR_CODES
    assert len(set(pv.ERROR_CODES)) == 10


def test_kinds_match_stub_literal() -> None:
    assert typing.get_args(pv.Kind) == pv.KINDS


def test_native_stub_literals_match_stub_classes() -> None:
    """The .pyi declares, per class, a `kind` Literal and the kind's fields in core order."""
    stub = (Path(_native.__file__).parent / "_native.pyi").read_text()
    for kind, cls in zip(pv.KINDS, CLASSES):
        block = stub.split(f"class {cls.__name__}(Event):\n", 1)[1].split("\nclass ", 1)[0]
        block = block.split("\n_AnyEvent", 1)[0]
        assert f'def kind(self) -> Literal["{kind}"]' in block, cls
        declared = tuple(
            line.strip().split("(")[0].removeprefix("def ")
            for line in block.splitlines()
            if line.strip().startswith("def ") and "kind(self)" not in line
        )
        assert declared == cls.__match_args__, cls
        assert block.count("__match_args__ = (") == 1


def test_one_class_per_kind() -> None:
    assert [c.__name__ for c in CLASSES] == [
        "InboundMessage",
        "OutboundMessage",
        "InboundCall",
        "CallHangup",
        "ExtensionRinging",
        "ExtensionAnswered",
        "ExtensionHangup",
        "VoicemailLeft",
        "OutboundCall",
        "RingGroupEntered",
        "QueueEntered",
        "UnknownEvent",
    ]
    for cls in CLASSES:
        assert issubclass(cls, pv.Event)
        assert cls.__module__ == "primevox_webhooks"
        for name in cls.__match_args__:
            assert isinstance(inspect.getattr_static(cls, name), type(pv.InboundCall.call_uuid))
    assert pv.UnknownEvent.__match_args__ == ()
    assert typing.get_args(pv.AnyEvent) == tuple(CLASSES)


def test_no_direct_construction_and_final_classes() -> None:
    with pytest.raises(TypeError):
        pv.InboundCall()  # type: ignore[call-arg]
    with pytest.raises(TypeError):

        class Sub(pv.InboundCall):  # type: ignore[misc]
            pass


def test_attributes() -> None:
    e = pv.parse(CALL, FORM)
    assert isinstance(e, pv.InboundCall)
    assert e.kind == "call.inbound"
    assert e.event_type == "InboundCall"
    assert e.container_id == "1001"
    assert e.tenant_id == "42"
    assert e.did_number == "+15125550100"
    assert e.did_description == "Main line"
    assert e.did_group is None
    assert e.cid_prefix is None
    assert e.call_uuid == "3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d"
    assert e.caller_id_num == "5125550199"
    assert e.caller_id_name == "JANE DOE"
    assert e.extra == (("custom", "x"), ("custom", "y"))
    assert not hasattr(e, "message_text")


def test_json_extra_values_are_python_values() -> None:
    e = pv.parse(MESSAGE, "application/json; charset=utf-8")
    assert isinstance(e, pv.InboundMessage)
    assert e.message_text == "caf\u00e9 \U0001f64f \"quoted\"\nline"
    assert e.extra == (("segments", 2), ("media", {"urls": ["a", "b"], "ok": True, "none": None}))


def test_immutable() -> None:
    e = pv.parse(CALL, FORM)
    for name in ("call_uuid", "kind", "event_type", "extra", "other"):
        with pytest.raises(AttributeError):
            setattr(e, name, "x")
    with pytest.raises(AttributeError):
        del e.call_uuid  # type: ignore[misc]


def test_eq_hash() -> None:
    a = pv.parse(CALL, FORM)
    b = pv.parse(bytearray(CALL), FORM)
    assert a == b and not (a != b)
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    c = pv.parse(CALL.replace(b"JANE", b"JOHN"), FORM)
    assert a != c and not (a == c)
    assert a != "InboundCall" and a != None  # noqa: E711
    # Same fields, different kind: not equal.
    hangup = pv.parse(b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=u", FORM)
    voicemail = pv.parse(b"eventType=voicemailHangup&containerId=1&tenantId=2&callUuid=u", FORM)
    assert hangup != voicemail


def test_repr() -> None:
    e = pv.parse(CALL, FORM)
    assert repr(e) == (
        "InboundCall(event_type='InboundCall', container_id='1001', tenant_id='42', "
        "did_number='+15125550100', did_description='Main line', "
        "call_uuid='3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d', caller_id_num='5125550199', "
        "caller_id_name='JANE DOE', extra=(('custom', 'x'), ('custom', 'y')))"
    )
    u = pv.parse(b'{"eventType":"somethingNew","n":1}')
    assert repr(u) == "UnknownEvent(event_type='somethingNew', extra=(('n', 1),))"


def test_to_dict_and_to_json() -> None:
    e = pv.parse(MESSAGE, "application/json")
    assert e.to_dict() == {
        "kind": "message.inbound",
        "event_type": "inboundMessage",
        "container_id": "3547",
        "tenant_id": "118",
        "conversation_id": None,
        "to_number": "+15125550100",
        "from_number": "+17375550142",
        "message_text": "caf\u00e9 \U0001f64f \"quoted\"\nline",
        "extra": [["segments", 2], ["media", {"urls": ["a", "b"], "ok": True, "none": None}]],
    }
    text = e.to_json()
    assert text.startswith('{"kind":"message.inbound","eventType":"inboundMessage","containerId":"3547"')
    assert "caf\u00e9 \U0001f64f" in text  # non-ASCII written as UTF-8
    assert json.loads(text)["extra"] == [["segments", 2], ["media", {"urls": ["a", "b"], "ok": True, "none": None}]]
    assert pv.from_json(text) == e


def test_pickle_and_copy() -> None:
    for body, ct in ((CALL, FORM), (MESSAGE, None), (b"eventType=whatever&a=1", None)):
        e = pv.parse(body, ct)
        for proto in range(pickle.HIGHEST_PROTOCOL + 1):
            back = pickle.loads(pickle.dumps(e, protocol=proto))
            assert back == e and type(back) is type(e)
        assert copy.copy(e) is e
        assert copy.deepcopy(e) is e
    err = pytest.raises(pv.ParseError, pv.parse, b"").value
    back_err = pickle.loads(pickle.dumps(err))
    assert (back_err.code, back_err.field, back_err.message) == (err.code, err.field, err.message)


def test_helpers() -> None:
    e = pv.parse(CALL, FORM)
    assert e.caller_number() == "5125550199"
    assert e.caller_e164() == "+15125550199"
    key = e.dedup_key()
    assert isinstance(key, str) and key
    assert pv.parse(CALL, FORM).dedup_key() == key
    content_type, body = e.encode()
    assert content_type == FORM
    assert pv.parse(body, content_type) == e
    m = pv.parse(MESSAGE)
    assert m.caller_number() == "+17375550142"
    ct, wire = m.encode()
    assert ct == "application/json"
    assert pv.parse(wire, ct) == m


def test_parse_error() -> None:
    with pytest.raises(pv.ParseError) as info:
        pv.parse(b"eventType=HangupCall&containerId=1&tenantId=2", FORM)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.code == "missing_field"
    assert err.field == "callUuid"
    assert str(err) == err.message
    assert err.to_dict() == {"code": "missing_field", "field": "callUuid", "message": err.message}
    assert "missing_field" in repr(err)
    assert pv.ParseError is _error.ParseError


def test_parse_options() -> None:
    lenient = pv.parse(b"eventType=hangupcall&containerId=1&tenantId=2&callUuid=u", FORM)
    assert lenient.kind == "call.hangup"
    with pytest.raises(pv.ParseError) as info:
        pv.parse(b"eventType=hangupcall&containerId=1&tenantId=2&callUuid=u", FORM, strict=True)
    assert info.value.code == "unknown_event_type"
    with pytest.raises(pv.ParseError) as info:
        pv.parse(CALL, FORM, max_body_bytes=10)
    assert info.value.code == "body_too_large"
    assert pv.parse(CALL, FORM, max_body_bytes=len(CALL)).kind == "call.inbound"
    with pytest.raises(pv.ParseError) as info:
        pv.parse(b'{"eventType":"x","a":{"b":{}}}', max_depth=2)
    assert info.value.code == "invalid_json"
    with pytest.raises(pv.ParseError) as info:
        pv.parse(CALL, "multipart/form-data; boundary=x")
    assert info.value.code == "unsupported_content_type"
    with pytest.raises(TypeError):
        pv.parse(CALL, FORM, True)  # type: ignore[misc]
    with pytest.raises(OverflowError):
        pv.parse(CALL, FORM, max_body_bytes=-1)


def test_body_types() -> None:
    want = pv.parse(CALL, FORM)
    assert pv.parse(CALL.decode(), FORM) == want
    assert pv.parse(bytearray(CALL), FORM) == want
    assert pv.parse(memoryview(CALL), FORM) == want
    assert pv.parse(memoryview(b"xx" + CALL)[2:], FORM) == want
    # Events never see later changes to a mutable body, nor lose a body that goes away.
    buf = bytearray(CALL)
    view = memoryview(bytearray(CALL))
    from_buf, from_view = pv.parse(buf, FORM), pv.parse(view, FORM)
    buf[:] = b"x" * len(buf)
    view[:] = b"x" * len(view)
    del buf, view
    assert from_buf == want and from_view == want and from_buf.caller_id_name == "JANE DOE"
    for bad in (None, 5, [CALL], {"eventType": "x"}):
        with pytest.raises(TypeError):
            pv.parse(bad, FORM)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pv.parse(CALL, b"application/json")  # type: ignore[arg-type]


def test_match_statement() -> None:
    e = pv.parse(CALL, FORM)
    match e:
        case pv.InboundCall(container, tenant, did, caller_id_name=name):
            assert (container, tenant, did, name) == ("1001", "42", "+15125550100", "JANE DOE")
        case _:
            pytest.fail("no match")
