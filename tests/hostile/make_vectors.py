#!/usr/bin/env python3
"""Writes the hostile-input catalogue: tests/vectors/hostile-*.json.

Every expectation below is written by hand from the README's rules (never copied from an
implementation's output); the generator only builds bodies that would be tedious to type
(long runs, deep nesting, many fields, raw bytes). Re-run it after editing:

    python3 tests/hostile/make_vectors.py

``--check`` writes nothing and exits 1 when a hostile-*.json file differs from what this script
writes (bindings-python/tests/test_hostile.py runs it, so a hand edit of a file fails the tests).

It removes hostile-*.json files it no longer writes, and keeps every file under 100 KB.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "vectors"
FORM = "application/x-www-form-urlencoded"
JSON_CT = "application/json"
UUID = "3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d"

# A documented HangupCall form body and the event it gives.
HANGUP = (
    "eventType=HangupCall&containerId=3547&tenantId=118&callUuid=" + UUID
    + "&callerIdNum=17375550142&callerIdName=JANE+DOE&extNumber=101&extName=Front+Desk"
)
# A documented inboundMessage JSON body (without its closing brace) and the event it gives.
MSG_OPEN = (
    '{"eventType":"inboundMessage","containerID":"3547","tenantID":"118",'
    '"conversationID":"c-991","toNumber":"+15125550100","fromNumber":"+17375550142",'
    '"messageText":"See you at 5"'
)
MSG = MSG_OPEN + "}"

CASES: list[tuple[str, dict]] = []


def hangup(extra=(), **over) -> dict:
    ev = {
        "kind": "call.hangup",
        "eventType": "HangupCall",
        "containerId": "3547",
        "tenantId": "118",
        "callUuid": UUID,
        "callerIdNum": "17375550142",
        "callerIdName": "JANE DOE",
        "extensionNumber": "101",
        "extensionName": "Front Desk",
    }
    ev.update(over)
    ev["extra"] = [list(p) for p in extra]
    return ev


def message(extra=(), **over) -> dict:
    ev = {
        "kind": "message.inbound",
        "eventType": "inboundMessage",
        "containerId": "3547",
        "tenantId": "118",
        "conversationId": "c-991",
        "toNumber": "+15125550100",
        "fromNumber": "+17375550142",
        "messageText": "See you at 5",
    }
    ev.update(over)
    ev["extra"] = [list(p) for p in extra]
    return ev


def unknown(event_type: str, extra=()) -> dict:
    return {"kind": "unknown", "eventType": event_type, "extra": [list(p) for p in extra]}


def case(name, description, body, content_type, expect, options=None):
    v: dict = {"description": description}
    if isinstance(body, bytes):
        try:
            v["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            v["body_base64"] = base64.b64encode(body).decode("ascii")
    else:
        v["body"] = body
    v["content_type"] = content_type
    if options:
        v["options"] = options
    v["expect"] = expect
    CASES.append(("hostile-" + name, v))


def event(ev: dict) -> dict:
    return {"event": ev}


def error(code: str, field: str | None = None) -> dict:
    return {"error": {"code": code, "field": field}}


STRICT = {"strict": True}

# ---------------------------------------------------------------- size limits
case("size-over-small-limit", "a documented body over a small max_body_bytes is rejected before parsing",
     HANGUP, FORM, error("body_too_large"), {"max_body_bytes": 64})
case("size-limit-zero-rejects-one-byte", "max_body_bytes 0 rejects even a one-byte body",
     "{", JSON_CT, error("body_too_large"), {"max_body_bytes": 0})
case("size-limit-zero-empty-body", "max_body_bytes 0 with an empty body: the size check passes, the body is empty",
     "", None, error("empty_body"), {"max_body_bytes": 0})
case("size-limit-counts-bom", "the size limit counts the raw bytes, a leading BOM included",
     "\ufeff" + HANGUP, FORM, error("body_too_large"), {"max_body_bytes": len(HANGUP.encode()) + 2})
case("size-limit-checked-before-content-type", "an oversized body is body_too_large even with an unsupported Content-Type",
     HANGUP, "multipart/form-data; boundary=x", error("body_too_large"), {"max_body_bytes": 16})
case("size-just-over-default-limit-ampersands", "65537 bytes of '&' (one over the 64 KiB default) are rejected by size, not scanned",
     "&" * 65537, FORM, error("body_too_large"))
case("size-many-fields-under-limit-strict", "strict: 20000 undocumented fields under the limit fail on the first one",
     HANGUP + "&x" * 20000, FORM, error("unknown_field", "x"), STRICT)
case("size-many-fields-missing-required", "25000 empty segments and junk fields before an event missing its containerId: missing_field, no blow-up",
     "a&" * 25000 + "eventType=HangupCall&tenantId=118&callUuid=" + UUID, FORM, error("missing_field", "containerId"))
case("size-many-fields-kept-in-extra", "500 unknown fields are all kept in extra, in order",
     HANGUP + "&x" * 500, FORM, event(hangup(extra=[("x", "")] * 500)))
long_name = "Ä" * 4000
case("size-long-field-value", "an 8000-byte caller name within the body limit is kept whole (no field length limit)",
     HANGUP.replace("JANE+DOE", "%C3%84" * 4000), FORM, event(hangup(callerIdName=long_name)))
case("size-long-field-name", "a 10000-byte field name is an unknown field kept verbatim in extra",
     HANGUP + "&" + "k" * 10000 + "=v", FORM, event(hangup(extra=[("k" * 10000, "v")])))
case("size-long-event-type", "a 10000-byte eventType is kind unknown, kept verbatim",
     "eventType=" + "Z" * 10000 + "&a=1", FORM, event(unknown("Z" * 10000, [("a", "1")])))
case("size-long-multibyte-event-type-strict", "strict: a long eventType of multi-byte characters is unknown_event_type (the message is cut on a character boundary)",
     "eventType=a" + "%C3%A9" * 300, FORM, error("unknown_event_type", "eventType"), STRICT)
case("size-long-multibyte-field-name-strict", "strict: a long undocumented field name of multi-byte characters is unknown_field, named verbatim",
     HANGUP + "&a" + "%C3%A9" * 300 + "=1", FORM, error("unknown_field", "a" + "é" * 300), STRICT)

# ---------------------------------------------------------------- nesting
case("nesting-10k-objects", "10000 nested objects in an extra field are invalid_json (depth), not a stack overflow",
     MSG_OPEN + ',"x":' + '{"":' * 10000 + "1" + "}" * 10000 + "}", JSON_CT, error("invalid_json"))
case("nesting-10k-unclosed-huge-max-depth", "10000 unclosed '[' with max_depth 1000000 asked for: still invalid_json, the depth is capped",
     MSG_OPEN + ',"x":' + "[" * 10000, JSON_CT, error("invalid_json"), {"max_depth": 1000000})
case("nesting-10k-in-event-type", "eventType nested 10000 arrays deep is invalid_json (depth is checked while reading)",
     '{"eventType":' + "[" * 10000 + "]" * 10000 + "}", JSON_CT, error("invalid_json"))
case("nesting-10k-sniffed", "10000 nested arrays with no Content-Type: sniffed as JSON, invalid_json",
     "{" + '"a":[' * 1 + "[" * 10000 + "]" * 10001 + "}", None, error("invalid_json"))

# ---------------------------------------------------------------- runs of % & = +
case("run-percent-lenient", "lenient: a run of 5000 '%' in a value is kept literally",
     HANGUP.replace("JANE+DOE", "%" * 5000), FORM, event(hangup(callerIdName="%" * 5000)))
case("run-percent-strict", "strict: a run of '%' is a malformed escape in that field",
     HANGUP.replace("JANE+DOE", "%" * 5000), FORM, error("invalid_form", "callerIdName"), STRICT)
case("run-percent-in-key-strict", "strict: a run of '%' in a field name is invalid_form with no field",
     HANGUP + "&" + "%" * 3000 + "=1", FORM, error("invalid_form"), STRICT)
case("run-percent-in-key-lenient", "lenient: a field name of '%' signs is kept literally in extra",
     HANGUP + "&" + "%" * 3000 + "=1", FORM, event(hangup(extra=[("%" * 3000, "1")])))
case("run-ampersands-around-event", "10000 '&' before, between and after the fields are empty segments, skipped",
     "&" * 5000 + HANGUP.replace("&", "&&&") + "&" * 5000, FORM, event(hangup()))
case("run-ampersands-only", "a body of only '&' has no eventType",
     "&" * 20000, FORM, error("missing_event_type", "eventType"))
case("run-equals-in-value", "a run of '=' after the first '=' belongs to the value",
     HANGUP.replace("JANE+DOE", "=" * 5000), FORM, event(hangup(callerIdName="=" * 5000)))
case("run-equals-only", "a body of only '=' is one field with an empty name: no eventType",
     "=" * 20000, None, error("missing_event_type", "eventType"))
case("run-plus-in-phone-field", "a value of only '+' signs is spaces, kept as sent (not a restored '+')",
     HANGUP.replace("callerIdNum=17375550142", "callerIdNum=+++"), FORM, event(hangup(callerIdNum="   ")))

# ---------------------------------------------------------------- UTF-8
R = "\ufffd"
case("utf8-overlong-slash-lenient", "lenient: raw overlong UTF-8 (C0 AF, a '/') becomes two U+FFFD, never '/'",
     HANGUP.encode().replace(b"JANE+DOE", b"..\xc0\xafetc"), FORM, event(hangup(callerIdName=".." + R + R + "etc")))
case("utf8-overlong-slash-strict", "strict: raw overlong UTF-8 is invalid_form for the whole body",
     HANGUP.encode().replace(b"JANE+DOE", b"..\xc0\xafetc"), FORM, error("invalid_form"), STRICT)
case("utf8-overlong-nul-escape-lenient", "lenient: a percent-escaped overlong NUL (%C0%80) becomes two U+FFFD",
     HANGUP.replace("JANE+DOE", "A%C0%80B"), FORM, event(hangup(callerIdName="A" + R + R + "B")))
case("utf8-overlong-nul-escape-strict", "strict: a percent-escaped overlong NUL is invalid_form in that field",
     HANGUP.replace("JANE+DOE", "A%C0%80B"), FORM, error("invalid_form", "callerIdName"), STRICT)
case("utf8-overlong-key-cannot-spell-event-type", "an overlong-encoded 'e' (%C1%A5) cannot spell eventType: there is no eventType",
     HANGUP.replace("eventType=", "%C1%A5ventType="), FORM, error("missing_event_type", "eventType"))
case("utf8-encoded-surrogate-json-lenient", "lenient: a UTF-8-encoded surrogate (ED A0 80) in a JSON string becomes three U+FFFD",
     MSG.encode().replace(b"See you at 5", b"x\xed\xa0\x80y"), JSON_CT, event(message(messageText="x" + R * 3 + "y")))
case("utf8-encoded-surrogate-json-strict", "strict: a UTF-8-encoded surrogate is invalid_json",
     MSG.encode().replace(b"See you at 5", b"x\xed\xa0\x80y"), JSON_CT, error("invalid_json"), STRICT)
case("utf8-above-max-code-point", "lenient: F4 90 80 80 (above U+10FFFF) becomes four U+FFFD",
     MSG.encode().replace(b"See you at 5", b"\xf4\x90\x80\x80"), JSON_CT, event(message(messageText=R * 4)))
case("utf8-truncated-sequence-at-end", "lenient: a multi-byte sequence cut off at the end of the body becomes one U+FFFD",
     HANGUP.encode() + b"&note=\xe2\x82", FORM, event(hangup(extra=[("note", R)])))
case("utf8-percent-escaped-ff-key-strict", "strict: a field name that decodes to invalid UTF-8 is invalid_form with no field",
     HANGUP + "&%FF=1", FORM, error("invalid_form"), STRICT)
case("utf16-json-body", "a UTF-16LE JSON body (FF FE BOM) declared JSON is invalid_json",
     "\ufeff".encode("utf-16-le") + MSG.encode("utf-16-le"), JSON_CT, error("invalid_json"))
case("gzip-magic-json", "a compressed body (gzip magic bytes) declared JSON is invalid_json",
     b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xab\x56\x4a\x2d", JSON_CT, error("invalid_json"))

# ---------------------------------------------------------------- NUL and control bytes
case("nul-percent-escaped-in-value", "a percent-escaped NUL in a value is kept (and escaped as \\u0000 in canonical JSON)",
     HANGUP.replace("JANE+DOE", "JANE%00DOE"), FORM, event(hangup(callerIdName="JANE\u0000DOE")))
case("nul-raw-in-form", "raw NUL and ESC bytes in a form value are kept as sent",
     HANGUP.replace("JANE+DOE", "JANE\u0000\u001b[31mDOE"), FORM, event(hangup(callerIdName="JANE\u0000\u001b[31mDOE")))
case("nul-after-event-type-form", "eventType followed by an escaped NUL is not truncated C-style: kind unknown",
     "eventType=HangupCall%00&containerId=3547", FORM, event(unknown("HangupCall\u0000", [("containerId", "3547")])))
case("nul-after-event-type-strict", "strict: eventType with a trailing escaped NUL is unknown_event_type",
     "eventType=HangupCall%00&containerId=3547", FORM, error("unknown_event_type", "eventType"), STRICT)
case("nul-in-key", "a field name with an escaped NUL is not the field it starts like",
     HANGUP.replace("containerId=3547", "containerId%00=9999&containerId=3547"), FORM,
     event(hangup(extra=[("containerId\u0000", "9999")])))
case("nul-escaped-in-json-key", "a JSON member name with \\u0000 is not a field: kept in extra",
     MSG_OPEN + ',"toNumber\\u0000":"+19995550000"}', JSON_CT, event(message(extra=[("toNumber\u0000", "+19995550000")])))
case("nul-raw-between-json-tokens", "a raw NUL between JSON tokens is invalid_json (not whitespace)",
     MSG_OPEN + ",\u0000\"a\":1}", JSON_CT, error("invalid_json"))
case("nul-only-body", "a body of NUL bytes is not empty (NUL is not whitespace); read as a form, it has no eventType",
     "\u0000" * 64, None, error("missing_event_type", "eventType"))
case("crlf-injection-kept", "CR LF and a fake header in a value are kept as sent: the SDK does not sanitise content",
     HANGUP.replace("JANE+DOE", "JANE%0D%0ASet-Cookie:+a%3D1"), FORM, event(hangup(callerIdName="JANE\r\nSet-Cookie: a=1")))
case("html-in-message-kept", "markup in a message is kept verbatim: escape it before rendering",
     MSG.replace("See you at 5", "<script>alert(1)<\\/script><img src=x onerror=alert(2)>"), JSON_CT,
     event(message(messageText="<script>alert(1)</script><img src=x onerror=alert(2)>")))

# ---------------------------------------------------------------- surrogates in JSON escapes
case("surrogates-mixed-lenient", "lenient: lone low, reversed pair, high before a non-surrogate, high before a pair: each lone half is U+FFFD",
     MSG.replace("See you at 5", "\\udc00|\\ude00\\ud83d|\\ud83d\\u0041|\\ud83d\\ud83d\\ude00"), JSON_CT,
     event(message(messageText=R + "|" + R + R + "|" + R + "A|" + R + "\U0001F600")))
case("surrogates-mixed-strict", "strict: any lone surrogate escape is invalid_json",
     MSG.replace("See you at 5", "ok \\ud83d\\ude00 then \\udc00"), JSON_CT, error("invalid_json"), STRICT)
case("surrogate-in-key", "lenient: a lone surrogate in a member name becomes U+FFFD; the member is kept in extra",
     MSG_OPEN + ',"\\ud800":"x"}', JSON_CT, event(message(extra=[(R, "x")])))
case("bad-unicode-escapes", "a \\u escape with fewer than four hex digits is invalid_json in lenient mode too",
     MSG.replace("See you at 5", "\\u12G4"), JSON_CT, error("invalid_json"))
case("surrogate-high-at-string-end-then-bad-escape", "a high surrogate followed by a broken \\u escape is invalid_json",
     MSG.replace("See you at 5", "\\ud83d\\uZZZZ"), JSON_CT, error("invalid_json"))

# ---------------------------------------------------------------- numbers
big = "9" * 400
case("number-400-digit-ids-strict", "strict: 400-digit integer ids are all digits, kept as their literal text",
     MSG.replace('"containerID":"3547"', '"containerID":' + big).replace('"tenantID":"118"', '"tenantID":1' + "0" * 399), JSON_CT,
     event(message(containerId=big, tenantId="1" + "0" * 399)), STRICT)
case("number-huge-exponent", "lenient: 1e999999 and -1E-999999 are kept as their literal text (no overflow to Infinity)",
     MSG.replace('"containerID":"3547"', '"containerID":1e999999').replace('"tenantID":"118"', '"tenantID":-1E-999999'), JSON_CT,
     event(message(containerId="1e999999", tenantId="-1E-999999")))
case("number-huge-exponent-strict", "strict: an exponent number as tenantId is not all digits",
     MSG.replace('"tenantID":"118"', '"tenantID":1e999999'), JSON_CT, error("invalid_field", "tenantId"), STRICT)
case("number-beyond-double-in-extra", "an integer beyond 2^64 in an extra field is kept as a JSON number with its digits",
     MSG_OPEN + ',"seq":1180591620717411303424}', JSON_CT, event(message(extra=[("seq", 1180591620717411303424)])))
for name, lit in [("nan", "NaN"), ("infinity", "-Infinity"), ("hex", "0x10"), ("plus-sign", "+1"), ("leading-dot", ".5"), ("trailing-dot", "1.")]:
    case(f"number-not-json-{name}", f"{lit} is not a JSON number: invalid_json",
         MSG.replace('"tenantID":"118"', '"tenantID":' + lit), JSON_CT, error("invalid_json"))

# ---------------------------------------------------------------- duplicates and case folding
case("duplicate-event-type-case-folded-lenient", "lenient: EVENTTYPE before eventType is the same name; the first decides the kind, the second goes to extra",
     "EVENTTYPE=HangupCall&" + HANGUP.replace("eventType=HangupCall", "eventType=InboundCall"), FORM,
     event(hangup(eventType="HangupCall", extra=[("eventType", "InboundCall")])))
case("duplicate-event-type-case-folded-strict", "strict: EVENTTYPE is not eventType, so it is an undocumented field",
     "EVENTTYPE=InboundCall&" + HANGUP, FORM, error("unknown_field", "EVENTTYPE"), STRICT)
case("duplicate-many-event-types", "200 more eventTypes after the first are all kept in extra",
     HANGUP + "&eventType=InboundCall" * 200, FORM, event(hangup(extra=[("eventType", "InboundCall")] * 200)))
case("duplicate-json-keys-case-folded", "lenient JSON: containerId, CONTAINERID, ContainerID: the first non-empty wins, the rest in extra",
     MSG_OPEN + ',"CONTAINERID":"1","ContainerID":2}', JSON_CT,
     event(message(extra=[("CONTAINERID", "1"), ("ContainerID", 2)])))
case("unicode-fold-dotless-i-key", "a name equal to tenantId only under Unicode case folding (dotless i) is not tenantId",
     MSG.replace('"tenantID":"118"', '"tenant\u0131d":"999","tenantID":"118"'), JSON_CT,
     event(message(extra=[("tenant\u0131d", "999")])))
case("unicode-fold-long-s-key", "didDeſcription (long s) is not didDescription: kept in extra",
     "eventType=InboundCall&containerId=3547&tenantId=118&callUuid=" + UUID + "&didDe%C5%BFcription=Evil", FORM,
     event({"kind": "call.inbound", "eventType": "InboundCall", "containerId": "3547", "tenantId": "118",
            "didNumber": None, "didDescription": None, "didGroup": None, "cidPrefix": None, "callUuid": UUID,
            "callerIdNum": None, "callerIdName": None, "extra": [["didDe\u017fcription", "Evil"]]}))
case("unicode-fold-dotted-i-event-type", "an eventType equal to InboundCall only under Unicode case folding (İ) is kind unknown",
     "eventType=%C4%B0nboundCall&containerId=3547", FORM, event(unknown("\u0130nboundCall", [("containerId", "3547")])))
case("unicode-fullwidth-event-type-key", "a fullwidth 'ｅ' in eventType's name is not eventType",
     HANGUP.replace("eventType=", "%EF%BD%85ventType="), FORM, error("missing_event_type", "eventType"))
case("unicode-fold-kelvin-event-target", "eventTarget 'extension' is not matched by a Unicode look-alike; ringAttempt falls back to its fields",
     "eventType=ringAttempt&eventTarget=%E2%84%AAxtension&containerId=3547&tenantId=118&callUuid=" + UUID + "&rgNumber=600", FORM,
     event({"kind": "ring_group.entered", "eventType": "ringAttempt", "containerId": "3547", "tenantId": "118",
            "callUuid": UUID, "callerIdNum": None, "ringGroupNumber": "600", "extra": [["eventTarget", "\u212axtension"]]}))

# ---------------------------------------------------------------- BOM in the middle
case("bom-before-field-name", "a BOM in the middle, before containerId, makes another name: containerId is missing",
     HANGUP.replace("&containerId=", "&\ufeffcontainerId="), FORM, error("missing_field", "containerId"))
case("bom-between-json-tokens", "a BOM between JSON tokens is invalid_json (only a leading BOM is ignored)",
     MSG_OPEN.replace('{"eventType"', '{\ufeff"eventType"') + "}", JSON_CT, error("invalid_json"))
case("bom-inside-event-type", "a BOM inside the eventType value: kind unknown, the value verbatim",
     '{"eventType":"inbound\ufeffMessage","a":"b"}', JSON_CT, event(unknown("inbound\ufeffMessage", [("a", "b")])))
case("bom-in-value-kept", "a BOM at the start of a value is content, kept as sent",
     HANGUP.replace("JANE+DOE", "%EF%BB%BFJANE"), FORM, event(hangup(callerIdName="\ufeffJANE")))

# ---------------------------------------------------------------- content types
for name, ct in [
    ("quoted-charset", 'application/json; charset="utf-8"'),
    ("many-semicolons", "application/json;;;charset=utf-8;;"),
    ("uppercase-and-spaces", "  APPLICATION/JSON  ;  CHARSET=UTF-8 "),
    ("tabs", "application/json\t;\tcharset=utf-8"),
    ("semicolon-in-quoted-parameter", 'application/vnd.primevox+json; profile="a;b=c"'),
]:
    case(f"content-type-{name}", f"Content-Type {ct!r} is JSON: case-insensitive, parameters ignored",
         MSG, ct, event(message()))
case("content-type-form-with-boundary-parameter", "a form Content-Type with a stray boundary parameter is still a form",
     HANGUP, 'Application/X-WWW-Form-URLEncoded; boundary="--x"; charset=latin1', event(hangup()))
for name, ct in [
    ("comma-list", "application/json, application/x-www-form-urlencoded"),
    ("json-in-parameter", "text/html; charset=application/json"),
    ("json-prefix", "application/jsonp"),
    ("bare-plus-json", "+json"),
    ("nul", "application/json\u0000"),
    ("long-multibyte", "application/" + "\u00e9" * 3000),
]:
    case(f"content-type-unsupported-{name}", f"Content-Type {ct[:60]!r}... is unsupported_content_type",
         MSG, ct, error("unsupported_content_type"))

# ---------------------------------------------------------------- bodies that are two things at once
both = MSG_OPEN + ',"note":"&eventType=InboundCall&callUuid=' + UUID + '&x="}'
case("json-and-form-sniffed", "a JSON body whose strings carry a whole form: read as JSON, the form is only text",
     both, None, event(message(extra=[("note", "&eventType=InboundCall&callUuid=" + UUID + "&x=")])))
case("json-and-form-declared-form-lenient", "declared form, starts with '{': lenient trusts the body, JSON",
     both, FORM, event(message(extra=[("note", "&eventType=InboundCall&callUuid=" + UUID + "&x=")])))
case("json-and-form-declared-form-strict", "declared form in strict mode: read as a form, whose first name is the JSON text up to the first '&', form-decoded ('+' is a space)",
     both, FORM, error("unknown_field", both.split("&")[0].replace("+", " ")), STRICT)
case("form-starting-like-json-literal", "declared JSON, a body that starts like a JSON literal (true=1&...) is read as JSON: invalid_json",
     "true=1&" + HANGUP, JSON_CT, error("invalid_json"))
case("json-trailing-second-object", "two JSON objects back to back are invalid_json",
     MSG + MSG, JSON_CT, error("invalid_json"))
case("json-trailing-ndjson", "newline-delimited JSON (two objects) is invalid_json",
     MSG + "\n" + MSG + "\n", JSON_CT, error("invalid_json"))
case("json-trailing-brace", "an extra closing brace is invalid_json",
     MSG + "}", JSON_CT, error("invalid_json"))
case("json-trailing-nul", "a NUL after the object is invalid_json (not whitespace)",
     MSG + "\u0000", JSON_CT, error("invalid_json"))
case("json-comment", "a comment inside the JSON is invalid_json",
     MSG_OPEN + "/* hi */}", JSON_CT, error("invalid_json"))

# ---------------------------------------------------------------- prototype pollution
case("proto-json-extra", "__proto__, constructor and prototype members are plain extra fields, objects kept as JSON",
     MSG_OPEN + ',"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":"x"}', JSON_CT,
     event(message(extra=[("__proto__", {"polluted": True}), ("constructor", {"prototype": {"polluted": True}}), ("prototype", "x")])))
case("proto-nested-in-extra", "a __proto__ member nested inside an extra value is kept as JSON data",
     MSG_OPEN + ',"meta":{"a":{"__proto__":{"isAdmin":true}},"toString":1}}', JSON_CT,
     event(message(extra=[("meta", {"a": {"__proto__": {"isAdmin": True}}, "toString": 1})])))
case("proto-form-fields", "__proto__, constructor, hasOwnProperty in a form are plain extra fields",
     HANGUP + "&__proto__=1&constructor=2&hasOwnProperty=3&__proto__%5BisAdmin%5D=true", FORM,
     event(hangup(extra=[("__proto__", "1"), ("constructor", "2"), ("hasOwnProperty", "3"), ("__proto__[isAdmin]", "true")])))
case("proto-event-type", "eventType __proto__ is kind unknown",
     '{"eventType":"__proto__","constructor":"x"}', JSON_CT, event(unknown("__proto__", [("constructor", "x")])))
case("proto-event-type-to-string", "eventType toString with a field named valueOf: kind unknown",
     "eventType=toString&valueOf=1", FORM, event(unknown("toString", [("valueOf", "1")])))
case("proto-strict", "strict: __proto__ is an undocumented field",
     MSG_OPEN + ',"__proto__":{"polluted":true}}', JSON_CT, error("unknown_field", "__proto__"), STRICT)

# ---------------------------------------------------------------- empty and odd keys
case("empty-key-form", "a field with an empty name is kept in extra",
     HANGUP + "&=value&=", FORM, event(hangup(extra=[("", "value"), ("", "")])))
case("empty-key-json", "a JSON member with an empty name is kept in extra",
     MSG_OPEN + ',"":"x"}', JSON_CT, event(message(extra=[("", "x")])))
case("empty-key-strict", "strict: a field with an empty name is unknown_field, named by the empty string",
     HANGUP + "&=value", FORM, error("unknown_field", ""), STRICT)
case("space-around-key", "' eventType' (a leading space from '+') is not eventType",
     HANGUP.replace("eventType=", "+eventType="), FORM, error("missing_event_type", "eventType"))
case("encoded-separators-in-key", "an escaped '=' and '&' cannot smuggle fields: the name is 'eventType=InboundCall&containerId'",
     "eventType%3DInboundCall%26containerId=1", FORM, error("missing_event_type", "eventType"))
case("double-encoded-plus", "a double-encoded '+' (%252B) decodes once: the number starts with '%2B', not restored",
     HANGUP.replace("callerIdNum=17375550142", "callerIdNum=%252B17375550142"), FORM, event(hangup(callerIdNum="%2B17375550142")))

# ---------------------------------------------------------------- strict shape checks on hostile content
case("strict-sql-in-container-id", "strict: an injection string as containerId is invalid_field",
     HANGUP.replace("containerId=3547", "containerId=1%3BDROP+TABLE+events"), FORM, error("invalid_field", "containerId"), STRICT)
case("lenient-sql-in-container-id-kept", "lenient: an injection string as containerId is kept as sent (content is never interpreted)",
     HANGUP.replace("containerId=3547", "containerId=1%3BDROP+TABLE+events"), FORM, event(hangup(containerId="1;DROP TABLE events")))
case("strict-path-traversal-call-uuid", "strict: a path as callUuid is invalid_field",
     HANGUP.replace("callUuid=" + UUID, "callUuid=..%2F..%2Fetc%2Fpasswd"), FORM, error("invalid_field", "callUuid"), STRICT)
case("strict-aliased-container-id-bad-escape", "strict: a malformed escape in containerID (wire spelling) names the canonical field",
     HANGUP.replace("containerId=3547", "containerID=35%G7"), FORM, error("invalid_form", "containerId"), STRICT)


def main(check: bool = False) -> int:
    names = set()
    stale = []
    for name, v in CASES:
        assert name not in names, name
        names.add(name)
        text = json.dumps(v, indent=2, ensure_ascii=False) + "\n"
        size = len(text.encode())
        assert size < 100_000, f"{name}: {size} bytes"
        path = OUT / f"{name}.json"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path.name)
            if not check:
                path.write_text(text, encoding="utf-8")
    for old in OUT.glob("hostile-*.json"):
        if old.stem not in names:
            stale.append(old.name)
            if not check:
                old.unlink()
    if check:
        if stale:
            print(f"stale hostile vectors (re-run {Path(__file__).name}): {', '.join(sorted(stale))}")
            return 1
        print(f"{len(CASES)} hostile vectors in {OUT} match {Path(__file__).name}")
        return 0
    print(f"{len(CASES)} hostile vectors in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))
