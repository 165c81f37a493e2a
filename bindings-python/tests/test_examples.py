"""examples/python/match_kinds.py run as written (the FastAPI example runs in test_receivers)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

EXAMPLE = REPO / "examples" / "python" / "match_kinds.py"


def run(body: bytes) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLE)], input=body.decode(), capture_output=True, text=True, timeout=60
    )


def test_match_example() -> None:
    r = run(
        b"eventType=InboundCall&eventTarget=phoneNumber&containerId=1001&tenantId=42"
        b"&didNumber=%2B15125550100&callUuid=3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d&callerIdNum=5125550199"
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == "call to +15125550100 from +15125550199\n"
    r = run(b'{"eventType":"queueEntered","containerId":"1","tenantId":"2","callUuid":"u","queueNumber":"700"}')
    assert (r.returncode, r.stdout) == (0, "queue 700\n")
    r = run(b'{"eventType":"brandNew","a":1}')
    assert (r.returncode, r.stdout) == (0, "unknown event 'brandNew' with 1 fields\n")
    r = run(b"eventType=HangupCall&containerId=1&tenantId=2")
    assert r.returncode == 1
    assert r.stderr.startswith("rejected: missing_field (callUuid): ")


def test_readme_shows_the_examples_verbatim() -> None:
    readme = (REPO / "bindings-python" / "README.md").read_text()
    for name in ("fastapi_receiver.py", "match_kinds.py"):
        code = (REPO / "examples" / "python" / name).read_text().rstrip()
        assert f"```python\n{code}\n```" in readme, name


def test_root_readme_python_quick_start_runs() -> None:
    """The repository README's Python quick start: the FastAPI block is the example file (served
    in test_receivers), and the `match` block runs as written."""
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Python quick start", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("\n```", 1)[0] for b in section.split("```python\n")[1:]]
    assert len(blocks) >= 2
    fastapi = (REPO / "examples" / "python" / "fastapi_receiver.py").read_text().rstrip()
    assert blocks[0].rstrip() == fastapi
    for block in blocks[1:]:
        r = subprocess.run([sys.executable, "-c", block], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip(), "the snippet prints what it matched"
