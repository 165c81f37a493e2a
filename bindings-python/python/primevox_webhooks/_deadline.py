"""A time limit on reading a request body that costs nothing when the body is already there.

``asyncio.wait_for`` runs its awaitable in a new task (before Python 3.12) and arms a timer on
every call; under an ASGI server a small body has normally arrived before the app asks for it,
so the read completes without waiting and that work is spent per request for nothing.
``bounded`` steps the awaitable in the caller's own task and arms the timer only when the
awaitable first has to wait. On expiry it cancels the caller's task, as ``asyncio.timeout``
does, and turns the cancellation that comes back into ``asyncio.TimeoutError``; a cancellation
from outside stays a ``CancelledError`` (told apart with ``Task.uncancel`` from Python 3.11;
before it, one that arrives together with the expiry is taken for the expiry, the same race
``wait_for`` had there).

The deadline counts from the first wait: what runs before it is the synchronous part of the
read, which no timer could interrupt either.
"""

from __future__ import annotations

import asyncio
import types
from typing import Any, Coroutine, Generator, Optional, TypeVar

__all__ = ["bounded"]

T = TypeVar("T")


@types.coroutine
def bounded(coro: Coroutine[Any, Any, T], timeout: float) -> Generator[Any, Any, T]:
    """``await bounded(coro, seconds)``: ``coro``'s result, or ``asyncio.TimeoutError`` (``coro``
    cancelled) if it has not finished ``seconds`` after it first had to wait."""
    if timeout <= 0:  # as wait_for: no time at all, the awaitable does not run
        coro.close()
        raise asyncio.TimeoutError
    timer: Optional[asyncio.TimerHandle] = None
    task: Optional[asyncio.Task[Any]] = None
    expired: Optional[list[bool]] = None  # the timer appends to it when it fires
    value: Any = None
    error: Optional[BaseException] = None
    try:
        while True:
            try:
                step = coro.send(value) if error is None else coro.throw(error)
            except StopIteration as done:
                _settle(task, expired)
                return done.value  # type: ignore[no-any-return]
            except asyncio.CancelledError:
                if _settle(task, expired):
                    raise asyncio.TimeoutError from None
                raise
            except BaseException:
                _settle(task, expired)
                raise
            if timer is None:  # the first wait: from now on the deadline runs
                loop = asyncio.get_running_loop()
                task = asyncio.current_task(loop)
                if task is None:
                    coro.close()
                    raise RuntimeError("bounded() must be awaited inside a task")
                expired = []
                timer = loop.call_later(timeout, _expire, task, expired)
            value, error = None, None
            try:
                value = yield step
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as err:  # the task's cancellation, or a failed future
                error = err
    finally:
        if timer is not None:
            timer.cancel()


def _expire(task: asyncio.Task[Any], expired: list[bool]) -> None:
    expired.append(True)
    task.cancel()


def _settle(task: Optional[asyncio.Task[Any]], expired: Optional[list[bool]]) -> bool:
    """Whether the deadline's own cancellation is what ended the awaitable (and, on Python 3.11+,
    not also one from outside): that one is taken back from the task's count."""
    if not expired or task is None:  # not fired (or never armed)
        return False
    uncancel = getattr(task, "uncancel", None)
    return uncancel is None or uncancel() == 0
