"""The body-read deadline (primevox_webhooks._deadline.bounded): wait_for's semantics, without a
task or a timer when the awaitable does not wait. Plain asserts and asyncio.run only, so that
``python test_deadline.py`` runs it on an interpreter without pytest (every supported CPython)."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from primevox_webhooks._deadline import bounded


def timers(loop: asyncio.AbstractEventLoop) -> list[float]:
    """Record the delays of the timers armed on ``loop`` from now on."""
    armed: list[float] = []
    call_later = loop.call_later

    def counting(delay: float, *args: Any, **kwargs: Any) -> asyncio.TimerHandle:
        armed.append(delay)
        return call_later(delay, *args, **kwargs)

    loop.call_later = counting  # type: ignore[method-assign,assignment]
    return armed


async def never(seen: list[str]) -> None:
    """A read that never finishes; notes its cancellation in ``seen``."""
    try:
        await asyncio.get_running_loop().create_future()
    except asyncio.CancelledError:
        seen.append("cancelled")
        raise


def test_ready_data_arms_no_timer_and_makes_no_task() -> None:
    async def ready() -> bytes:
        return b"body"

    async def main() -> None:
        armed = timers(asyncio.get_running_loop())
        before = len(asyncio.all_tasks())
        assert await bounded(ready(), 0.05) == b"body"
        assert armed == [] and len(asyncio.all_tasks()) == before

    asyncio.run(main())


def test_a_read_that_waits_gets_its_result_and_the_timer_is_disarmed() -> None:
    async def slow() -> str:
        await asyncio.sleep(0.01)
        await asyncio.sleep(0)
        return "late but in time"

    async def main() -> None:
        armed = timers(asyncio.get_running_loop())
        assert await bounded(slow(), 0.5) == "late but in time"
        assert armed.count(0.5) == 1  # armed once, at the first wait (sleep arms its own)
        await asyncio.sleep(0.6)  # the disarmed timer must not cancel the task later
        task = asyncio.current_task()
        assert task is not None and not task.cancelled()
        if sys.version_info >= (3, 11):
            assert task.cancelling() == 0

    asyncio.run(main())


def test_timeout_fires_and_cancels_the_read() -> None:
    seen: list[str] = []

    async def main() -> None:
        start = asyncio.get_running_loop().time()
        try:
            await bounded(never(seen), 0.05)
        except asyncio.TimeoutError:
            pass
        else:
            raise AssertionError("TimeoutError expected")
        assert 0.04 <= asyncio.get_running_loop().time() - start < 1.0
        assert seen == ["cancelled"]
        task = asyncio.current_task()
        assert task is not None
        if sys.version_info >= (3, 11):
            assert task.cancelling() == 0  # the expiry's cancellation was taken back
        await asyncio.sleep(0.01)  # the task goes on normally

    asyncio.run(main())


def test_outside_cancellation_propagates_as_cancellation() -> None:
    seen: list[str] = []

    async def reader() -> None:
        await bounded(never(seen), 10)

    async def main() -> None:
        task = asyncio.get_running_loop().create_task(reader())
        await asyncio.sleep(0.01)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        else:
            raise AssertionError("CancelledError expected")
        assert task.cancelled() and seen == ["cancelled"]

    asyncio.run(main())


def test_errors_of_the_read_propagate_unchanged() -> None:
    async def failing() -> None:
        await asyncio.sleep(0)
        raise RuntimeError("Stream consumed")

    async def main() -> None:
        try:
            await bounded(failing(), 1)
        except RuntimeError as err:
            assert str(err) == "Stream consumed"
        else:
            raise AssertionError("RuntimeError expected")

    asyncio.run(main())


def test_no_time_at_all_times_out_without_running_the_read() -> None:
    ran: list[bool] = []

    async def read() -> None:
        ran.append(True)

    async def main() -> None:
        try:
            await bounded(read(), 0)
        except asyncio.TimeoutError:
            pass
        else:
            raise AssertionError("TimeoutError expected")
        assert ran == []

    asyncio.run(main())


def test_values_and_errors_of_awaited_futures_reach_the_read() -> None:
    async def read(fut: asyncio.Future[int], bad: asyncio.Future[int]) -> int:
        got = await fut
        try:
            await bad
        except ValueError:
            return got + 1
        return -1

    async def main() -> None:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[int] = loop.create_future()
        bad: asyncio.Future[int] = loop.create_future()
        loop.call_soon(fut.set_result, 41)
        loop.call_later(0.01, bad.set_exception, ValueError("x"))
        assert await bounded(read(fut, bad), 1) == 42

    asyncio.run(main())


if __name__ == "__main__":
    for name, test in sorted(globals().items()):
        if name.startswith("test_") and callable(test):
            test()
            print("ok", name)
    print("python", sys.version.split()[0], ": every deadline test passed")
