"""Checks core/generated/openapi.json and asyncapi.json beyond their freshness (core/tests/generated.rs).

- openapi.json is a valid OpenAPI 3.1 document (openapi-spec-validator);
- it has a webhook for every kind of the JSON Schema (the same declaration), JSON for messages,
  a form for calls;
- every payload of examples/ is an example of exactly one webhook and of one AsyncAPI message,
  and validates against that payload schema; a payload with a required field removed does not;
- every $ref of asyncapi.json resolves.

    python tests/release/check_api_documents.py   (from the repository's root)
"""

from __future__ import annotations

import copy
import json
import pathlib
import sys
from typing import Any
from urllib.parse import parse_qsl

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

ROOT = pathlib.Path(__file__).resolve().parents[2]
GEN = ROOT / "core" / "generated"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


def payload_of(path: pathlib.Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        value = json.loads(text)
        assert isinstance(value, dict)
        return value
    return dict(parse_qsl(text.strip(), keep_blank_values=True))


def main() -> int:
    openapi = json.loads((GEN / "openapi.json").read_text(encoding="utf-8"))
    asyncapi = json.loads((GEN / "asyncapi.json").read_text(encoding="utf-8"))
    schema = json.loads((GEN / "event.schema.json").read_text(encoding="utf-8"))
    validate(openapi)  # raises on an invalid OpenAPI 3.1 document
    assert openapi["openapi"] == "3.1.0"

    kinds = [variant["properties"]["kind"]["const"] for variant in schema["oneOf"]]
    assert list(openapi["webhooks"]) == kinds, (list(openapi["webhooks"]), kinds)

    examples = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".json", ".form"))
    assert len(examples) >= 11, examples
    seen: dict[str, str] = {}
    for kind, item in openapi["webhooks"].items():
        content = item["post"]["requestBody"]["content"]
        if kind.startswith("message."):
            assert list(content) == [JSON], (kind, list(content))
        elif kind != "unknown":
            assert list(content) == [FORM], (kind, list(content))
        for media, body in content.items():
            payload_schema = resolve(openapi, body["schema"]["$ref"])
            validator = Draft202012Validator(payload_schema)
            for name, example in body.get("examples", {}).items():
                assert name not in seen, f"examples/{name} under {seen[name]} and {kind}"
                seen[name] = kind
                path = ROOT / "examples" / name
                assert (media == JSON) == (path.suffix == ".json"), (name, media)
                assert example["value"] == payload_of(path), name
                validator.validate(example["value"])
                for required in payload_schema["required"]:
                    broken = copy.deepcopy(example["value"])
                    del broken[required]
                    assert not validator.is_valid(broken), (name, required)
    assert sorted(seen) == [p.name for p in examples], (sorted(seen), examples)

    assert asyncapi["asyncapi"] == "3.0.0"
    for ref in refs(asyncapi):
        resolve(asyncapi, ref)
    messages = asyncapi["components"]["messages"]
    assert [m["name"] for m in messages.values()] == kinds
    in_messages = 0
    for message in messages.values():
        validator = Draft202012Validator(resolve(asyncapi, message["payload"]["$ref"]))
        for example in message.get("examples", []):
            assert example["payload"] == payload_of(ROOT / "examples" / example["name"])
            validator.validate(example["payload"])
            in_messages += 1
    assert in_messages == len(examples), in_messages

    print(f"openapi.json: valid OpenAPI 3.1, {len(kinds)} webhooks, {len(seen)} examples valid")
    print(f"asyncapi.json: {len(messages)} messages, {in_messages} examples valid, every $ref resolves")
    return 0


if __name__ == "__main__":
    sys.exit(main())
