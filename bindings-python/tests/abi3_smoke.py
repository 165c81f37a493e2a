"""Run by tests/ci/python.sh under other CPythons (3.9, 3.13) with only the abi3 wheel installed:
every shared vector through parse, to_json, encode, pickling and parse_many."""

import base64
import json
import pathlib
import pickle
import sys

import primevox_webhooks as pv

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"
items = []
for path in sorted(VECTORS.glob("*.json")):
    case = json.loads(path.read_text(encoding="utf-8"))
    body = base64.b64decode(case["body_base64"]) if "body_base64" in case else case["body"].encode()
    expect = case["expect"]
    try:
        event = pv.parse(body, case["content_type"], **case.get("options", {}))
    except pv.ParseError as err:
        assert "error" in expect, path.name
        assert (err.code, err.field) == (expect["error"]["code"], expect["error"]["field"]), path.name
        continue
    assert json.loads(event.to_json()) == expect["event"], path.name
    assert pickle.loads(pickle.dumps(event)) == event, path.name
    content_type, wire = event.encode()
    assert pv.parse(wire, content_type) == event, path.name
    if not case.get("options"):
        items.append((body, case["content_type"], event))
results = pv.parse_many([(b, ct) for b, ct, _ in items])
assert results == [e for _, _, e in items]
print(f"abi3 wheel on Python {sys.version.split()[0]}: {len(list(VECTORS.glob('*.json')))} vectors ok")
