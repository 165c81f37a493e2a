"""mypy --strict narrows a handler's event by the kind it is registered for (Router.on overloads,
generated from the core's kind table)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

SNIPPET = '''
import primevox_webhooks as pv

router = pv.Router()

@router.on("call.inbound")
def inbound(event: pv.InboundCall) -> None: ...

# A lambda's parameter is narrowed too: extension_number exists on voicemails, not on every event.
router.on("voicemail.left", lambda e: print(e.extension_number))

@router.on(["call.inbound", "call.hangup"])
def several(event: pv.Event) -> None: ...

@router.on_any
def anything(event: pv.AnyEvent) -> None: ...

@router.on_error
def failed(error: Exception, event: pv.AnyEvent) -> None: ...

reveal_type(inbound)  # REVEAL InboundCall

@router.on("call.hangup")  # ERROR
def wrong_kind(event: pv.InboundCall) -> None: ...

router.on("call.hangup", lambda e: print(e.message_text))  # ERROR
router.on("call.nope", inbound)  # ERROR
'''


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    pytest.importorskip("mypy")
    path = tmp_path_factory.mktemp("typing") / "snippet.py"
    path.write_text(SNIPPET.lstrip("\n"))
    cache = REPO / "target" / "mypy-cache"
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "--no-error-summary", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return proc.stdout + proc.stderr


def lines_with(output: str, marker: str) -> set[int]:
    return {int(m.group(1)) for m in re.finditer(r"snippet\.py:(\d+): " + marker, output)}


def marked(marker: str) -> dict[int, str]:
    """Line numbers (1-based) of the snippet's lines with ``# <marker>``, and what follows it."""
    lines = SNIPPET.lstrip("\n").splitlines()
    return {i: line.split("# " + marker, 1)[1].strip() for i, line in enumerate(lines, 1) if "# " + marker in line}


def test_handlers_are_narrowed_by_kind(mypy_output: str) -> None:
    reveals = marked("REVEAL")
    assert len(reveals) == 1
    for line, cls in reveals.items():
        pattern = rf'snippet\.py:{line}: note: Revealed type is "[^"]*primevox_webhooks\._native\.{cls}\b'
        assert re.search(pattern, mypy_output), mypy_output


def test_only_the_wrong_registrations_are_errors(mypy_output: str) -> None:
    assert lines_with(mypy_output, "error") == set(marked("ERROR")), mypy_output
