"""The OpenAPI description of a webhook delivery, for frameworks that publish one (FastAPI).

``openapi.json`` beside this file is the SDK's OpenAPI 3.1 document (a copy of
``core/generated/openapi.json``, generated from the kind table; a test keeps it fresh). Its
``webhooks`` section has one entry per kind; a receiver route takes all of them, so its request
body is one schema per media type: JSON (messages) and ``application/x-www-form-urlencoded``
(calls), each the ``oneOf`` of the kinds sent that way, with the examples.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any, cast


_cache: dict[str, dict[str, Any]] = {}


def _document() -> dict[str, Any]:
    if "document" not in _cache:
        text = resources.files("primevox_webhooks").joinpath("openapi.json").read_text(encoding="utf-8")
        _cache["document"] = cast(dict[str, Any], json.loads(text))
    return _cache["document"]


def openapi_document() -> dict[str, Any]:
    """The SDK's OpenAPI 3.1 document (``webhooks``: one entry per event kind), a fresh copy."""
    return copy.deepcopy(_document())


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    target: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return cast(dict[str, Any], target)


def _delivery_request_body() -> dict[str, Any]:
    if "request body" in _cache:
        return _cache["request body"]
    doc = _document()
    content: dict[str, dict[str, Any]] = {}
    for webhook in doc["webhooks"].values():
        for media, body in webhook["post"]["requestBody"]["content"].items():
            entry = content.setdefault(media, {"schema": {"oneOf": []}, "examples": {}})
            entry["schema"]["oneOf"].append(_resolve(doc, body["schema"]))
            entry["examples"].update(body.get("examples", {}))
    _cache["request body"] = {
        "required": True,
        "description": "A PrimeVOX webhook delivery: JSON for messages, a form for calls.",
        "content": content,
    }
    return _cache["request body"]


def delivery_openapi() -> dict[str, Any]:
    """``openapi_extra`` for a receiver route: its request body is a PrimeVOX delivery.

    ::

        @app.post("/primevox", openapi_extra=delivery_openapi())
        async def receive(event: PrimevoxEvent) -> dict[str, str]: ...

    The route's ``/openapi.json`` entry then shows the schema of every kind, JSON and form, with
    the SDK's examples (the dependency reads the raw body itself, so FastAPI cannot infer it).
    """
    return {"requestBody": copy.deepcopy(_delivery_request_body())}
