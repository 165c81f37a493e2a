"""Runs inside a fresh venv that installed the wheel from dist/ (tests/ci/release.sh), with no Rust
on PATH: the package is the installed one, its docs are there, the README's Python quick start
runs as written, and its FastAPI receiver, served by uvicorn on 127.0.0.1, answers deliveries.

    python python_install.py REPO_ROOT WORK_DIR
"""

from __future__ import annotations

import json
import pathlib
import pydoc
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

ROOT = pathlib.Path(sys.argv[1]).resolve()
WORK = pathlib.Path(sys.argv[2]).resolve()
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def installed_from_the_wheel() -> None:
    for tool in ("cargo", "rustc"):
        assert shutil.which(tool) is None, f"{tool} is on PATH: {shutil.which(tool)}"
    import primevox_webhooks as pv
    import primevox_webhooks._native as native

    for module in (pv, native):
        path = pathlib.Path(str(module.__file__)).resolve()
        assert "site-packages" in path.parts and ROOT not in path.parents, path
    print("installed:", pathlib.Path(str(native.__file__)).name)
    # help() and editors show what each API does.
    for name in ("parse", "parse_many", "from_json", "verify_token"):
        doc = pydoc.render_doc(getattr(pv, name), renderer=pydoc.plaintext)
        assert len(doc.split()) > 20, (name, doc)
    parse_doc = pydoc.render_doc(pv.parse, renderer=pydoc.plaintext)
    for word in ("content_type", "ParseError", "strict", "max_body_bytes"):
        assert word in parse_doc, (word, parse_doc)
    from primevox_webhooks.fastapi import delivery_openapi

    assert "openapi_extra" in (delivery_openapi.__doc__ or "")
    assert (pathlib.Path(str(pv.__file__)).parent / "py.typed").is_file()


def quick_start_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python quick start", 1)[1].split("\n## ", 1)[0]
    return [b.split("\n```", 1)[0] for b in section.split("```python\n")[1:]]


def run_quick_start(blocks: list[str]) -> None:
    assert len(blocks) >= 2, "the README's Python quick start has a FastAPI receiver and a snippet"
    for i, block in enumerate(blocks[1:], 1):
        r = subprocess.run(
            [sys.executable, "-c", block], cwd=WORK, capture_output=True, text=True, timeout=60
        )
        assert r.returncode == 0, (i, r.stderr)
        assert r.stdout.strip(), f"quick start block {i} printed nothing"
        print(f"quick start block {i}: {r.stdout.strip()}")


def request(url: str, body: bytes | None = None, content_type: str = FORM) -> tuple[int, Any]:
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if body is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def serve_fastapi_receiver(code: str) -> None:
    """The quick start's FastAPI block, saved as fastapi_receiver.py and served by uvicorn."""
    import primevox_webhooks as pv

    (WORK / "fastapi_receiver.py").write_text(code + "\n", encoding="utf-8")
    uvicorn = pathlib.Path(sys.executable).parent / "uvicorn"
    proc = subprocess.Popen(
        [str(uvicorn), "fastapi_receiver:app", "--host", "127.0.0.1", "--port", "0"],
        cwd=WORK,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        port = None
        deadline = time.monotonic() + 60
        assert proc.stdout is not None
        while port is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(f"uvicorn exited with {proc.wait(timeout=10)}")
            m = re.search(r"running on http://127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
        assert port, "uvicorn did not say where it listens"
        url = f"http://127.0.0.1:{port}/primevox"
        examples = sorted((ROOT / "examples").glob("*.form")) + sorted((ROOT / "examples").glob("*.json"))
        assert len(examples) >= 11
        for path in examples:
            body = path.read_bytes()
            content_type = JSON if path.suffix == ".json" else FORM
            event = pv.parse(body, content_type)
            status, answer = request(url, body, content_type)
            assert status == 200, (path.name, status, answer)
            assert answer == {"kind": event.kind, "dedup_key": event.dedup_key()}, (path.name, answer)
        status, answer = request(url, b"eventType=HangupCall&containerId=1&tenantId=2")
        assert status == 400 and answer["error"]["code"] == "missing_field", (status, answer)
        status, schema = request(f"http://127.0.0.1:{port}/openapi.json")
        assert status == 200
        content = schema["paths"]["/primevox"]["post"]["requestBody"]["content"]
        assert set(content) == {JSON, FORM}, content.keys()
        print(f"FastAPI receiver on 127.0.0.1:{port}: {len(examples)} deliveries answered 200, "
              "a bad one 400 missing_field, /openapi.json documents the request body")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def main() -> None:
    installed_from_the_wheel()
    blocks = quick_start_blocks()
    run_quick_start(blocks)
    serve_fastapi_receiver(blocks[0])


if __name__ == "__main__":
    main()
