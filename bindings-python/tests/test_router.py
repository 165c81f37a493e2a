"""pv.Router / pv.HandlerError: registration, order, failures, async, timeouts."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

import primevox_webhooks as pv

FORM = "application/x-www-form-urlencoded"
HANGUP = pv.parse(b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=u-1", FORM)
INBOUND = pv.parse(
    b"eventType=InboundCall&eventTarget=phoneNumber&containerId=1&tenantId=2"
    b"&didNumber=%2B15125550100&callUuid=u-1&callerIdNum=5125550199&callerIdName=JANE",
    FORM,
)
UNKNOWN = pv.parse(b'{"eventType":"somethingNew","x":1}', "application/json")


def test_exported_names() -> None:
    assert "Router" in pv.__all__ and "HandlerError" in pv.__all__
    assert issubclass(pv.HandlerError, Exception)


def test_kind_handlers_in_registration_order_then_on_any() -> None:
    router = pv.Router()
    seen: list[str] = []
    router.on_any(lambda e: seen.append("any1"))
    router.on("call.hangup", lambda e: seen.append("h1"))
    router.on(["call.inbound", "call.hangup"], lambda e: seen.append("h2"))
    router.on_any(lambda e: seen.append("any2"))
    router.on("call.inbound", lambda e: seen.append("inbound"))
    router.dispatch(HANGUP)
    assert seen == ["h1", "h2", "any1", "any2"]
    seen.clear()
    router.dispatch(INBOUND)
    assert seen == ["h2", "inbound", "any1", "any2"]


def test_decorator_form_returns_the_function() -> None:
    router = pv.Router()
    got: list[Any] = []

    @router.on("call.hangup")
    def hung_up(event: pv.CallHangup) -> None:
        got.append(event.call_uuid)

    @router.on_any()
    def anything(event: pv.Event) -> None:
        got.append(event.kind)

    @router.on_any
    def bare(event: pv.Event) -> None:
        got.append("bare")

    assert callable(hung_up) and hung_up.__name__ == "hung_up"
    router.dispatch(HANGUP)
    assert got == ["u-1", "call.hangup", "bare"]


def test_unknown_events_reach_on_unknown_and_on_any() -> None:
    router = pv.Router()
    seen: list[str] = []
    router.on("unknown", lambda e: seen.append("unknown:" + e.event_type))
    router.on("call.hangup", lambda e: seen.append("hangup"))
    router.on_any(lambda e: seen.append("any"))
    router.dispatch(UNKNOWN)
    assert seen == ["unknown:somethingNew", "any"]


def test_bad_registrations_raise_at_once() -> None:
    router = pv.Router()
    with pytest.raises(ValueError, match="'call.nope' is not an event kind"):
        router.on("call.nope", lambda e: None)  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="'nope'"):
        router.on(["call.hangup", "nope"], lambda e: None)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="empty"):
        router.on([], lambda e: None)
    with pytest.raises(TypeError, match="kind"):
        router.on(42, lambda e: None)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="callable"):
        router.on("call.hangup", "not a function")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="callable"):
        router.on("call.hangup")(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callable"):
        router.on_any(3)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="callable"):
        router.on_error(3)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="callable"):
        router.on_call_completed(3)  # type: ignore[arg-type]
    # Nothing half-registered: the failed calls left the router empty.
    router.dispatch(HANGUP)
    for bad in (0, -1, float("inf"), float("nan"), "5", True):
        with pytest.raises(ValueError, match="timeout"):
            pv.Router(timeout=bad)  # type: ignore[arg-type]


def test_a_failure_lets_the_others_run_then_raises_with_every_error() -> None:
    router = pv.Router()
    seen: list[str] = []
    reported: list[tuple[Exception, Any]] = []
    boom1, boom2 = ValueError("first"), KeyError("second")

    def fail1(e: pv.Event) -> None:
        raise boom1

    def fail2(e: pv.Event) -> None:
        raise boom2

    router.on("call.hangup", fail1)
    router.on("call.hangup", lambda e: seen.append("after"))
    router.on_any(fail2)
    router.on_any(lambda e: seen.append("any"))
    router.on_error(lambda err, ev: reported.append((err, ev)))
    router.on_error(lambda err, ev: seen.append("on_error:" + type(err).__name__))
    with pytest.raises(pv.HandlerError) as info:
        router.dispatch(HANGUP)
    assert seen == ["after", "any", "on_error:ValueError", "on_error:KeyError"]
    assert info.value.errors == [boom1, boom2]
    assert info.value.event == HANGUP
    assert info.value.__cause__ is boom1
    assert reported == [(boom1, HANGUP), (boom2, HANGUP)]
    assert "2 handlers failed for call.hangup" in str(info.value)


def test_a_failing_on_error_handler_is_not_lost() -> None:
    router = pv.Router()
    router.on("call.hangup", lambda e: 1 / 0)

    def bad_reporter(err: Exception, ev: pv.Event) -> None:
        raise RuntimeError("reporter down")

    router.on_error(bad_reporter)
    with pytest.raises(pv.HandlerError) as info:
        router.dispatch(HANGUP)
    assert [type(e) for e in info.value.errors] == [ZeroDivisionError, RuntimeError]


def test_no_failure_no_on_error() -> None:
    router = pv.Router()
    called: list[object] = []
    router.on_error(lambda err, ev: called.append(err))
    router.on("call.hangup", lambda e: None)
    assert router.dispatch(HANGUP) is None
    assert called == []


def test_base_exceptions_are_not_swallowed() -> None:
    router = pv.Router()

    def interrupt(e: pv.Event) -> None:
        raise KeyboardInterrupt

    router.on_any(interrupt)
    with pytest.raises(KeyboardInterrupt):
        router.dispatch(HANGUP)


def test_dispatch_rejects_what_is_not_an_event() -> None:
    with pytest.raises(TypeError, match="expected an event"):
        pv.Router().dispatch({"kind": "call.hangup"})  # type: ignore[arg-type]


def test_sync_dispatch_counts_an_async_handler_as_a_failure() -> None:
    router = pv.Router()
    seen: list[str] = []

    async def later(e: pv.Event) -> None:
        seen.append("never")

    router.on("call.hangup", later)
    router.on("call.hangup", lambda e: seen.append("sync"))
    with pytest.raises(pv.HandlerError) as info:
        router.dispatch(HANGUP)
    assert seen == ["sync"]
    (err,) = info.value.errors
    assert isinstance(err, TypeError) and "dispatch_async" in str(err)


def test_dispatch_async_awaits_async_handlers_in_order() -> None:
    router = pv.Router()
    seen: list[str] = []

    async def first(e: pv.Event) -> None:
        await asyncio.sleep(0.02)
        seen.append("first")

    async def failing(e: pv.Event) -> None:
        await asyncio.sleep(0)
        raise ValueError("async boom")

    async def report(err: Exception, ev: pv.Event) -> None:
        await asyncio.sleep(0)
        seen.append("reported:" + str(err))

    router.on("call.hangup", first)
    router.on("call.hangup", lambda e: seen.append("sync"))
    router.on("call.hangup", failing)
    router.on_any(lambda e: seen.append("any"))
    router.on_error(report)
    with pytest.raises(pv.HandlerError) as info:
        asyncio.run(router.dispatch_async(HANGUP))
    assert seen == ["first", "sync", "any", "reported:async boom"]
    assert [str(e) for e in info.value.errors] == ["async boom"]
    # and without failures it returns None
    ok = pv.Router()
    ok.on_any(first)
    assert asyncio.run(ok.dispatch_async(HANGUP)) is None


def test_an_async_handler_that_never_returns_is_bounded_by_the_timeout() -> None:
    router = pv.Router(timeout=0.2)
    seen: list[str] = []

    async def forever(e: pv.Event) -> None:
        await asyncio.Event().wait()

    router.on("call.hangup", forever)
    router.on_any(lambda e: seen.append("still ran"))
    started = time.monotonic()
    with pytest.raises(pv.HandlerError) as info:
        asyncio.run(router.dispatch_async(HANGUP))
    elapsed = time.monotonic() - started
    assert 0.15 < elapsed < 5
    assert seen == ["still ran"]
    (err,) = info.value.errors
    assert isinstance(err, TimeoutError) and "0.2 s" in str(err) and "forever" in str(err)
    assert pv.Router().timeout == 30.0
    assert pv.Router(timeout=None).timeout is None


def test_registration_is_safe_from_threads() -> None:
    router = pv.Router()
    count = [0]
    lock = threading.Lock()

    def bump(e: pv.Event) -> None:
        with lock:
            count[0] += 1

    threads = [threading.Thread(target=lambda: [router.on("call.hangup", bump) for _ in range(50)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    router.dispatch(HANGUP)
    assert count[0] == 200


MESSAGE = pv.parse(
    b'{"eventType":"inboundMessage","containerId":"1","tenantId":"2","conversationId":"c",'
    b'"toNumber":"+15125550100","fromNumber":"+15125550199","messageText":"hi"}',
    "application/json",
)


def test_on_call_completed_runs_once_when_a_call_ends() -> None:
    router = pv.Router()
    records: list[pv.CallSummary] = []
    seen: list[str] = []

    @router.on_call_completed
    def completed(record: pv.CallSummary) -> None:
        records.append(record)

    router.on_any(lambda e: seen.append(e.kind))
    assert isinstance(router.calls, pv.CallTracker)
    router.dispatch(INBOUND)
    router.dispatch(MESSAGE)  # not a call: no record, no error
    assert records == []
    router.dispatch(HANGUP)
    assert len(records) == 1
    record = records[0]
    assert record.call_uuid == "u-1"
    assert record.ended is True
    assert record.outcome == "missed"
    assert record.deliveries == 2
    router.dispatch(HANGUP)  # a retry of the delivery that ended it
    assert len(records) == 1
    assert seen == ["call.inbound", "message.inbound", "call.hangup", "call.hangup"]


def test_on_call_completed_with_a_given_store_and_its_failures() -> None:
    fed: list[tuple[str, int]] = []

    class Store:
        def add(self, event: pv.Event, at_ms: int) -> tuple[pv.CallSummary, bool]:
            fed.append((event.kind, at_ms))
            if event.kind == "call.hangup":
                raise ConnectionError("store down")
            return pv.CallTracker().add(event, at_ms)

    router = pv.Router(calls=Store())
    called: list[object] = []
    reported: list[Exception] = []
    router.on_call_completed(lambda r: called.append(r))
    router.on_error(lambda err, ev: reported.append(err))
    before = int(time.time() * 1000)
    router.dispatch(INBOUND)
    assert fed and fed[0][0] == "call.inbound" and before <= fed[0][1] <= int(time.time() * 1000)
    with pytest.raises(pv.HandlerError) as info:
        router.dispatch(HANGUP)
    assert [str(e) for e in info.value.errors] == ["store down"]
    assert [str(e) for e in reported] == ["store down"]
    assert called == []
    with pytest.raises(TypeError, match="calls"):
        pv.Router(calls=object())  # type: ignore[arg-type]


def test_a_failing_on_call_completed_handler_is_a_failure() -> None:
    router = pv.Router()

    async def later(record: pv.CallSummary) -> None:
        await asyncio.sleep(0)
        raise RuntimeError(f"cannot file {record.call_uuid}")

    router.on_call_completed(later)
    router.dispatch(INBOUND)
    with pytest.raises(pv.HandlerError) as info:
        asyncio.run(router.dispatch_async(HANGUP))
    assert [str(e) for e in info.value.errors] == ["cannot file u-1"]


def test_the_router_example_routes_three_kinds_and_a_completed_call(capsys: pytest.CaptureFixture[str]) -> None:
    """examples/python/router.py (shown in the README) served by uvicorn on 127.0.0.1."""
    import runpy
    import urllib.error
    import urllib.request
    from pathlib import Path

    from conftest import uvicorn_server

    repo = Path(__file__).resolve().parents[2]
    example = runpy.run_path(str(repo / "examples" / "python" / "router.py"))

    class Answer:
        def __init__(self, status: int, body: bytes) -> None:
            self.status_code, self.text = status, body.decode()

        def json(self) -> Any:
            import json

            return json.loads(self.text)

    class Client:
        def __init__(self, url: str) -> None:
            self.url = url.rstrip("/")

        def post(self, path: str, content: bytes, headers: dict[str, str]) -> Answer:
            req = urllib.request.Request(self.url + path, data=content, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    return Answer(r.status, r.read())
            except urllib.error.HTTPError as e:
                return Answer(e.code, e.read())

    with uvicorn_server(example["app"]) as url:
        _post_the_examples(Client(url), repo, capsys)


def _post_the_examples(client: Any, repo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    examples = repo / "examples"
    form = {"content-type": FORM}
    token = "change-me-to-a-random-secret"
    for name, ctype in [
        ("inbound-call.form", FORM),
        ("inbound-message.json", "application/json"),
        ("voicemail-left.form", FORM),
    ]:
        r = client.post(f"/primevox?token={token}", content=(examples / name).read_bytes(), headers={"content-type": ctype})
        assert r.status_code == 200 and r.json() == {"ok": True}, r.text
    inbound = (examples / "inbound-call.form").read_bytes()
    uuid = pv.parse(inbound, FORM).call_uuid
    hangup = f"eventType=HangupCall&containerId=3547&tenantId=118&callUuid={uuid}".encode()
    r = client.post(f"/primevox?token={token}", content=hangup, headers=form)
    assert r.status_code == 200, r.text
    assert client.post("/primevox?token=wrong", content=hangup, headers=form).status_code == 401
    out = capsys.readouterr().out
    assert "call from +" in out
    assert "text from " in out
    assert "voicemail for extension " in out
    assert f"call {uuid} ended: " in out and "2 deliveries" in out
    readme = (repo / "README.md").read_text()
    code = (examples / "python" / "router.py").read_text().rstrip()
    assert f"```python\n{code}\n```" in readme, "the README shows examples/python/router.py verbatim"


def test_a_router_is_a_handler() -> None:
    router = pv.Router()
    seen: list[str] = []
    router.on("call.hangup", lambda e: seen.append(e.kind))
    router(HANGUP)
    assert seen == ["call.hangup"]
    router.on("call.hangup", lambda e: 1 / 0)
    with pytest.raises(pv.HandlerError):
        router(HANGUP)


def test_answer_first_must_be_a_bool_when_the_receiver_is_made() -> None:
    from primevox_webhooks.flask import webhook_view
    from primevox_webhooks.starlette import webhook_endpoint, webhook_route

    router = pv.Router()
    for make in (
        lambda: webhook_endpoint(router, answer_first="yes"),  # type: ignore[arg-type]
        lambda: webhook_route("/h", router, answer_first=1),  # type: ignore[arg-type]
        lambda: webhook_view(router, answer_first=None),  # type: ignore[arg-type]
    ):
        with pytest.raises(pv.ReceiverOptionError, match="answer_first"):
            make()
    webhook_endpoint(router, answer_first=True)
