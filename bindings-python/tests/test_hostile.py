"""No input can crash the interpreter (issue 7): the deepest paths of the core, in a child
process whose exit status shows that it survived, and a panic inside the extension reaching
Python as an exception rather than aborting the process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import primevox_webhooks as pv

FORM = "application/x-www-form-urlencoded"
DEEP = b'{"eventType":"inboundMessage","x":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
DEEP_OBJECTS = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
PERCENT = b"%" * 65536


def outcome(body: bytes, content_type: str | None, **options: int) -> object:
    try:
        return pv.parse(body, content_type, **options).kind  # type: ignore[arg-type]
    except pv.ParseError as err:
        return err.code


def test_deepest_paths_give_errors_not_crashes() -> None:
    big = {"max_body_bytes": 10_000_000}
    # Nesting past max_depth (the core caps it at 512) is invalid_json, however deep; the reader
    # uses a heap stack, not recursion, so the deepest accepted nesting is safe on any thread.
    for depth in (32, 200_000):
        assert outcome(DEEP, "application/json", max_depth=depth, **big) == "invalid_json"
        assert outcome(DEEP_OBJECTS, None, max_depth=depth, **big) == "invalid_json"
    deepest = b'{"eventType":"inboundMessage","x":' + b"[" * 510 + b"]" * 510 + b"}"
    assert outcome(deepest, None, max_depth=200_000) == "missing_field"  # read whole, then checked
    # 64 KiB of % (exactly the default limit; one more byte is over it), as form and sniffed.
    assert outcome(PERCENT, FORM) == "missing_event_type"
    assert outcome(PERCENT + b"%", FORM) == "body_too_large"
    assert outcome(PERCENT, FORM, **big) == "missing_event_type"
    assert outcome(b"eventType=" + PERCENT, None, **big) == "unknown"
    assert outcome(b"eventType=InboundCall&containerId=" + PERCENT, FORM, **big) == "missing_field"
    with pytest.raises(pv.ParseError):
        pv.parse(PERCENT, FORM, strict=True, max_body_bytes=10_000_000)


def test_hostile_inputs_in_a_child_process_never_abort_it() -> None:
    """The same inputs, in many threads and through parse_many, plus a deliberate panic: the
    child must finish normally (an abort or a crash would show in its exit status)."""
    script = textwrap.dedent(
        f"""
        import sys
        from concurrent.futures import ThreadPoolExecutor
        import primevox_webhooks as pv
        from primevox_webhooks import _native

        DEEP = {DEEP[:40]!r} + b"[" * 100_000 + b"]" * 100_000 + b"}}"
        DEEP_OBJECTS = b'{{"a":' * 100_000 + b"1" + b"}}" * 100_000
        PERCENT = b"%" * 65536
        bodies = [DEEP, DEEP_OBJECTS, PERCENT, b"eventType=" + PERCENT, b"\\xff" * 70000, b"{{" * 65536]
        opts = [dict(), dict(max_body_bytes=10_000_000), dict(max_body_bytes=10_000_000, max_depth=200_000),
                dict(max_body_bytes=10_000_000, max_depth=200_000, strict=True)]

        def one(i):
            body, o = bodies[i % len(bodies)], opts[(i // len(bodies)) % len(opts)]
            for ct in (None, "application/json", "application/x-www-form-urlencoded"):
                try:
                    pv.parse(body, ct, **o)
                except pv.ParseError:
                    pass
            return len(pv.parse_many([(body, None)] * 40, **o))

        with ThreadPoolExecutor(max_workers=8) as pool:
            assert sum(pool.map(one, range(48))) == 48 * 40
        try:
            _native._panic_for_tests()
        except BaseException as err:  # pyo3's PanicException derives from BaseException
            assert type(err).__name__ == "PanicException", type(err)
        else:
            raise AssertionError("no exception")
        assert pv.parse(b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=u").kind == "call.hangup"
        print("survived")
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    assert proc.stdout.decode().strip() == "survived"


def test_hostile_vectors_match_their_generator() -> None:
    """tests/vectors/hostile-*.json are exactly what tests/hostile/make_vectors.py writes."""
    from conftest import REPO

    script = REPO / "tests" / "hostile" / "make_vectors.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "hostile vectors in" in done.stdout, done.stdout
