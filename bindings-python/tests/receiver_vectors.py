"""The shared receiver vectors (tests/receivers/*.json) for the Python receivers: loading them,
the options in Python's spelling, the handler behaviours, and sending a vector's request over a
raw socket (so that declared lengths, chunked bodies and early answers are exactly as written)."""

from __future__ import annotations

import base64
import http.client
import json
import socket
import threading
from pathlib import Path
from typing import Any, Callable, Optional

from primevox_webhooks._receiver import TABLE

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "receivers"
SNAKE = {camel: snake for camel, snake in TABLE["options"]}

#: Events each handler received, by (framework, vector name): checked against `expect.event`.
SEEN: dict[tuple[str, str], dict[str, Any]] = {}


def load() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted(VECTORS.glob("*.json")):
        out.extend(json.loads(path.read_text(encoding="utf-8"))["vectors"])
    return out


ALL = load()
REQUESTS = [v for v in ALL if "request" in v]

#: Vectors a framework cannot run, with the reason (checked against the files: no silent skip).
WSGI_CANNOT = "a WSGI app cannot bound a blocking read of the body; the server's timeout does (README)"
NOT_RUN: dict[str, dict[str, str]] = {
    framework: {v["name"]: WSGI_CANNOT for v in REQUESTS if "stallAfterBytes" in v["request"]}
    for framework in ("flask", "django-wsgi")
}
OPTION_ERRORS = [v for v in ALL if "optionError" in v["expect"]]


def options(vector: dict[str, Any]) -> dict[str, Any]:
    """The vector's options as Python keyword arguments (snake_case)."""
    return {SNAKE[k]: value for k, value in vector.get("options", {}).items()}


class HandlerFailure(RuntimeError):
    pass


def handler(framework: str, vector: dict[str, Any]) -> Callable[[Any], None]:
    """The vector's handler: record the event, or raise (the message must never reach the sender)."""
    key = (framework, vector["name"])

    def handle(event: Any) -> None:
        SEEN[key] = json.loads(event.to_json())
        if vector.get("handler") == "throws":
            raise HandlerFailure("boom at /srv/app/secret.py line 7")

    return handle


def body(request: dict[str, Any]) -> bytes:
    if "bodyBase64" in request:
        return base64.b64decode(request["bodyBase64"])
    if "bodyRepeat" in request:
        return str(request["bodyRepeat"]["text"] * request["bodyRepeat"]["times"]).encode()
    return str(request.get("body", "")).encode()


def send(port: int, path: str, request: dict[str, Any], timeout: float = 20.0) -> tuple[int, dict[str, str], bytes]:
    """Send the vector's request to 127.0.0.1:port at `path`; the answer's status, headers
    (lowercase names) and body. The body is sent from another thread, so that a server that
    answers before reading it (as it should for refusals) is heard at once."""
    data = body(request)
    headers = dict(request.get("headers", {}))
    query = request.get("query", "")
    lines = [
        f"{request['method']} {path}{'?' + query if query else ''} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Connection: close",
    ]
    if request.get("chunked"):
        lines.append("Transfer-Encoding: chunked")
        pieces = [data[i : i + 16384] for i in range(0, len(data), 16384)]
        payload = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
    else:
        if "content-length" not in headers:
            lines.append(f"Content-Length: {len(data)}")
        payload = data[: request["stallAfterBytes"]] if "stallAfterBytes" in request else data
    lines += [f"{k}: {v}" for k, v in headers.items()]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        sock.sendall(head)

        def send_body() -> None:
            try:
                sock.sendall(payload)
            except OSError:
                pass  # the server answered and closed without reading it all: fine

        sender = threading.Thread(target=send_body, daemon=True)
        sender.start()
        response = http.client.HTTPResponse(sock)
        response.begin()
        answer = response.read()
        sender.join(timeout=timeout)
        return response.status, {k.lower(): v for k, v in response.getheaders()}, answer
    finally:
        sock.close()


def check(framework: str, vector: dict[str, Any], got: tuple[int, dict[str, str], bytes], learned: Optional[bool] = None) -> None:
    """Compare an answer with the vector's `expect` (the rules of tests/receivers/README.md)."""
    status, headers, raw = got
    name = vector["name"]
    expect = vector["expect"]
    assert status == expect["status"], f"{framework} {name}: {status} {raw[:300]!r}"
    assert headers.get("content-type", "").startswith("application/json"), f"{framework} {name}: {headers}"
    answer = json.loads(raw)
    want = expect["body"]
    if "error" in want and "message" not in want["error"]:
        assert set(answer) == {"error"} and set(answer["error"]) == {"code", "field", "message"}, raw
        assert (answer["error"]["code"], answer["error"]["field"]) == (want["error"]["code"], want["error"]["field"]), raw
    else:
        assert answer == want, f"{framework} {name}: {raw!r}"
    for k, v in expect.get("headers", {}).items():
        assert headers.get(k) == v, f"{framework} {name}: header {k}: {headers}"
    if "event" in expect:
        seen = SEEN.get((framework.split("-")[0], name))
        assert seen is not None, f"{framework} {name}: the handler got no event"
        for k, v in expect["event"].items():
            assert seen[k] == v, f"{framework} {name}: event.{k} = {seen[k]!r}"
    elif expect["status"] != 200 and vector.get("handler") != "throws":
        assert (framework.split("-")[0], name) not in SEEN, f"{framework} {name}: the handler ran on a refused request"
    if learned is not None:
        assert learned == bool(expect.get("learn")), f"{framework} {name}: learn mode logged {learned}"
