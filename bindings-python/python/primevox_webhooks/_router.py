"""``Router``: handlers registered by event kind, instead of one ``switch`` in every receiver.

>>> import primevox_webhooks as pv
>>> router = pv.Router()
>>> @router.on("call.hangup")
... def hung_up(event: pv.CallHangup) -> None:
...     print("ended", event.call_uuid)
>>> router.dispatch(pv.parse(b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=u",
...                          "application/x-www-form-urlencoded"))
ended u

Rules (the same in JavaScript):

- a kind's handlers run in registration order, then the ``on_any`` handlers; an event of a kind
  this SDK does not know reaches ``on("unknown")`` and ``on_any``;
- when a handler fails, the others still run; then every ``on_error`` handler is called once per
  failure with ``(error, event)`` and ``dispatch`` raises ``HandlerError``, whose ``errors`` holds
  every failure (a receiver answers 500 ``handler_failed``, so a sender that retries will retry);
- ``dispatch`` runs synchronous handlers (an ``async def`` handler is a failure there);
  ``await dispatch_async`` also awaits asynchronous ones;
- calls: ``on_call_completed`` handlers get the call record (``CallSummary``) when a call ends.
  The router feeds every call event it dispatches to a call store, ``Router(calls=...)``: a
  ``CallTracker`` (the default, created at the first ``on_call_completed``, holding at most
  10000 calls in this process) or any object with the same ``add(event, at_ms)``, such as
  ``primevox_webhooks.redis_store.RedisCallStore`` when several processes receive. A call's
  handlers run once, on the delivery that ends it (a retry of that delivery does not run them
  again); their failures count like any handler's;
- timeout: ``dispatch_async`` stops waiting for an awaitable handler after ``timeout`` seconds
  (``Router(timeout=...)``, default 30, ``None`` for no limit) and counts a ``TimeoutError`` for
  it. Python cannot interrupt a synchronous function, so a synchronous handler (in either
  dispatch) is never cut short: a slow one delays the answer until the receiver's server gives
  up. Make long work ``async`` or hand it to a queue.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from typing import (
    TYPE_CHECKING,
    AbstractSet,
    Any,
    Callable,
    Iterable,
    List,
    Literal,
    Optional,
    Protocol,
    Tuple,
    TypeVar,
    Union,
    overload,
)

from ._error import CallError
from ._native import KINDS, CallSummary, Event

if TYPE_CHECKING:
    from ._error import Kind
    from ._native import (
        CallHangup,
        ExtensionAnswered,
        ExtensionHangup,
        ExtensionRinging,
        InboundCall,
        InboundMessage,
        OutboundCall,
        OutboundMessage,
        QueueEntered,
        RingGroupEntered,
        UnknownEvent,
        VoicemailLeft,
        _AnyEvent,
    )

__all__ = ["HandlerError", "Router"]

_R = TypeVar("_R")
#: Several kinds at once (a list, tuple or set: a ``str`` is one kind, never several).
_Kinds = Union[List["Kind"], Tuple["Kind", ...], AbstractSet["Kind"]]
_Handler = Callable[[Any], object]
_ErrorHandler = Callable[[Exception, Any], object]

#: The default of ``Router(timeout=...)``, in seconds.
DEFAULT_TIMEOUT = 30.0

#: How many calls the router's own ``CallTracker`` holds (the least recently seen is dropped).
DEFAULT_MAX_CALLS = 10_000


class CallStore(Protocol):
    """What ``Router(calls=...)`` takes: ``CallTracker``, ``RedisCallStore``, or your own."""

    def add(self, event: Event, at_ms: int) -> Tuple[CallSummary, bool]:
        """Records a delivery; returns (the call record, whether this delivery ended the call
        for the first time)."""


class HandlerError(Exception):
    """One or more handlers failed for an event. ``errors`` holds every failure, in the order they
    happened (an ``on_error`` handler that fails itself is added at the end); ``event`` is the
    event being dispatched. The first failure is also the ``__cause__``."""

    errors: List[Exception]
    event: Any

    def __init__(self, errors: Iterable[Exception], event: Any = None) -> None:
        self.errors = list(errors)
        self.event = event
        kind = getattr(event, "kind", None)
        what = "; ".join(f"{type(e).__name__}: {e}" for e in self.errors)
        n = len(self.errors)
        super().__init__(f"{n} handler{'s' if n != 1 else ''} failed for {kind or 'an event'}: {what}")
        if self.errors:
            self.__cause__ = self.errors[0]


def _name(handler: object) -> str:
    return getattr(handler, "__qualname__", None) or repr(handler)


def _discard(awaitable: object) -> None:
    """Closes a coroutine that will never be awaited (no "never awaited" warning)."""
    close: Any = getattr(awaitable, "close", None)
    if close is not None:
        close()


def _kinds(kind_or_kinds: object) -> Tuple[str, ...]:
    try:
        kinds: Tuple[object, ...] = (
            (kind_or_kinds,) if isinstance(kind_or_kinds, str) else tuple(kind_or_kinds)  # type: ignore[arg-type]
        )
    except TypeError:
        raise TypeError(
            f"Router.on: kind must be a kind name or a list of kind names, got {type(kind_or_kinds).__name__}"
        ) from None
    if not kinds:
        raise ValueError("Router.on: kind: an empty list of kinds")
    for k in kinds:
        if k not in KINDS:
            raise ValueError(f"Router.on: kind: {k!r} is not an event kind (one of {', '.join(KINDS)})")
    return kinds  # type: ignore[return-value]  # checked against KINDS just above


def _check_callable(where: str, handler: Any) -> None:
    if not callable(handler):
        raise TypeError(f"{where}: handler must be callable, got {type(handler).__name__}")


class Router:
    """Handlers by event kind. ``timeout``: seconds ``dispatch_async`` waits for each awaitable
    handler (``None``: no limit); see the module documentation for what applies to synchronous
    handlers. Registration is thread-safe; dispatching never holds a lock while a handler runs."""

    def __init__(self, *, timeout: Optional[float] = DEFAULT_TIMEOUT, calls: Optional[CallStore] = None) -> None:
        if timeout is not None:
            if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not (0 < timeout < float("inf")):
                raise ValueError(f"Router: timeout must be a positive number of seconds or None, got {timeout!r}")
        self.timeout: Optional[float] = None if timeout is None else float(timeout)
        self._lock = threading.Lock()
        self._by_kind: dict[str, tuple[_Handler, ...]] = {}
        self._any: tuple[_Handler, ...] = ()
        self._errors: tuple[_ErrorHandler, ...] = ()
        self._completed: tuple[_Handler, ...] = ()
        if calls is not None and not callable(getattr(calls, "add", None)):
            raise TypeError(f"Router: calls must have an add(event, at_ms) method, got {type(calls).__name__}")
        self.calls: Optional[CallStore] = calls

    # BEGIN GENERATED router overloads (primevox-webhooks codegen from core/src/kind.rs; do not edit)
    @overload
    def on(
        self, kind: Literal["message.inbound"], handler: Callable[[InboundMessage], _R]
    ) -> Callable[[InboundMessage], _R]: ...
    @overload
    def on(
        self, kind: Literal["message.inbound"], handler: None = None
    ) -> Callable[[Callable[[InboundMessage], _R]], Callable[[InboundMessage], _R]]: ...
    @overload
    def on(
        self, kind: Literal["message.outbound"], handler: Callable[[OutboundMessage], _R]
    ) -> Callable[[OutboundMessage], _R]: ...
    @overload
    def on(
        self, kind: Literal["message.outbound"], handler: None = None
    ) -> Callable[[Callable[[OutboundMessage], _R]], Callable[[OutboundMessage], _R]]: ...
    @overload
    def on(
        self, kind: Literal["call.inbound"], handler: Callable[[InboundCall], _R]
    ) -> Callable[[InboundCall], _R]: ...
    @overload
    def on(
        self, kind: Literal["call.inbound"], handler: None = None
    ) -> Callable[[Callable[[InboundCall], _R]], Callable[[InboundCall], _R]]: ...
    @overload
    def on(
        self, kind: Literal["call.hangup"], handler: Callable[[CallHangup], _R]
    ) -> Callable[[CallHangup], _R]: ...
    @overload
    def on(
        self, kind: Literal["call.hangup"], handler: None = None
    ) -> Callable[[Callable[[CallHangup], _R]], Callable[[CallHangup], _R]]: ...
    @overload
    def on(
        self, kind: Literal["extension.ringing"], handler: Callable[[ExtensionRinging], _R]
    ) -> Callable[[ExtensionRinging], _R]: ...
    @overload
    def on(
        self, kind: Literal["extension.ringing"], handler: None = None
    ) -> Callable[[Callable[[ExtensionRinging], _R]], Callable[[ExtensionRinging], _R]]: ...
    @overload
    def on(
        self, kind: Literal["extension.answered"], handler: Callable[[ExtensionAnswered], _R]
    ) -> Callable[[ExtensionAnswered], _R]: ...
    @overload
    def on(
        self, kind: Literal["extension.answered"], handler: None = None
    ) -> Callable[[Callable[[ExtensionAnswered], _R]], Callable[[ExtensionAnswered], _R]]: ...
    @overload
    def on(
        self, kind: Literal["extension.hangup"], handler: Callable[[ExtensionHangup], _R]
    ) -> Callable[[ExtensionHangup], _R]: ...
    @overload
    def on(
        self, kind: Literal["extension.hangup"], handler: None = None
    ) -> Callable[[Callable[[ExtensionHangup], _R]], Callable[[ExtensionHangup], _R]]: ...
    @overload
    def on(
        self, kind: Literal["voicemail.left"], handler: Callable[[VoicemailLeft], _R]
    ) -> Callable[[VoicemailLeft], _R]: ...
    @overload
    def on(
        self, kind: Literal["voicemail.left"], handler: None = None
    ) -> Callable[[Callable[[VoicemailLeft], _R]], Callable[[VoicemailLeft], _R]]: ...
    @overload
    def on(
        self, kind: Literal["call.outbound"], handler: Callable[[OutboundCall], _R]
    ) -> Callable[[OutboundCall], _R]: ...
    @overload
    def on(
        self, kind: Literal["call.outbound"], handler: None = None
    ) -> Callable[[Callable[[OutboundCall], _R]], Callable[[OutboundCall], _R]]: ...
    @overload
    def on(
        self, kind: Literal["ring_group.entered"], handler: Callable[[RingGroupEntered], _R]
    ) -> Callable[[RingGroupEntered], _R]: ...
    @overload
    def on(
        self, kind: Literal["ring_group.entered"], handler: None = None
    ) -> Callable[[Callable[[RingGroupEntered], _R]], Callable[[RingGroupEntered], _R]]: ...
    @overload
    def on(
        self, kind: Literal["queue.entered"], handler: Callable[[QueueEntered], _R]
    ) -> Callable[[QueueEntered], _R]: ...
    @overload
    def on(
        self, kind: Literal["queue.entered"], handler: None = None
    ) -> Callable[[Callable[[QueueEntered], _R]], Callable[[QueueEntered], _R]]: ...
    @overload
    def on(
        self, kind: Literal["unknown"], handler: Callable[[UnknownEvent], _R]
    ) -> Callable[[UnknownEvent], _R]: ...
    @overload
    def on(
        self, kind: Literal["unknown"], handler: None = None
    ) -> Callable[[Callable[[UnknownEvent], _R]], Callable[[UnknownEvent], _R]]: ...
    # END GENERATED router overloads
    @overload
    def on(self, kind: _Kinds, handler: Callable[[_AnyEvent], _R]) -> Callable[[_AnyEvent], _R]: ...
    @overload
    def on(self, kind: _Kinds, handler: None = None) -> Callable[[Callable[[_AnyEvent], _R]], Callable[[_AnyEvent], _R]]: ...
    def on(self, kind: Union[str, Iterable[str]], handler: Optional[Callable[..., Any]] = None) -> Any:
        """Registers ``handler`` for one kind or several; without ``handler``, a decorator.
        Returns the handler. A kind that does not exist or a handler that is not callable raises
        at once."""
        kinds = _kinds(kind)

        def register(h: Callable[..., Any]) -> Callable[..., Any]:
            _check_callable("Router.on", h)
            with self._lock:
                for k in kinds:
                    self._by_kind[k] = self._by_kind.get(k, ()) + (h,)
            return h

        return register if handler is None else register(handler)

    @overload
    def on_any(self, handler: Callable[[_AnyEvent], _R]) -> Callable[[_AnyEvent], _R]: ...
    @overload
    def on_any(self, handler: None = None) -> Callable[[Callable[[_AnyEvent], _R]], Callable[[_AnyEvent], _R]]: ...
    def on_any(self, handler: Optional[Callable[..., Any]] = None) -> Any:
        """Registers a handler for every event (after the kind's own handlers)."""

        def register(h: Callable[..., Any]) -> Callable[..., Any]:
            _check_callable("Router.on_any", h)
            with self._lock:
                self._any += (h,)
            return h

        return register if handler is None else register(handler)

    @overload
    def on_error(self, handler: Callable[[Exception, _AnyEvent], _R]) -> Callable[[Exception, _AnyEvent], _R]: ...
    @overload
    def on_error(
        self, handler: None = None
    ) -> Callable[[Callable[[Exception, _AnyEvent], _R]], Callable[[Exception, _AnyEvent], _R]]: ...
    def on_error(self, handler: Optional[Callable[..., Any]] = None) -> Any:
        """Registers a handler called once per failed handler with ``(error, event)``."""

        def register(h: Callable[..., Any]) -> Callable[..., Any]:
            _check_callable("Router.on_error", h)
            with self._lock:
                self._errors += (h,)
            return h

        return register if handler is None else register(handler)

    @overload
    def on_call_completed(self, handler: Callable[[CallSummary], _R]) -> Callable[[CallSummary], _R]: ...
    @overload
    def on_call_completed(self, handler: None = None) -> Callable[[Callable[[CallSummary], _R]], Callable[[CallSummary], _R]]: ...
    def on_call_completed(self, handler: Optional[Callable[..., Any]] = None) -> Any:
        """Registers a handler called with the call record (``CallSummary``) when a call ends;
        see ``calls`` in the module documentation."""

        def register(h: Callable[..., Any]) -> Callable[..., Any]:
            _check_callable("Router.on_call_completed", h)
            with self._lock:
                if self.calls is None:
                    from ._calls import CallTracker

                    self.calls = CallTracker(max_calls=DEFAULT_MAX_CALLS)
                self._completed += (h,)
            return h

        return register if handler is None else register(handler)

    def _ended_call(self, event: Event, errors: List[Exception]) -> Optional[CallSummary]:
        """Feeds a call event to the call store: the record when this delivery ended the call."""
        calls = self.calls
        if calls is None:
            return None
        try:
            record, ended = calls.add(event, int(time.time() * 1000))
        except CallError as e:
            if e.code != "not_a_call_event":
                errors.append(e)
            return None
        except Exception as e:  # noqa: BLE001 - a store that fails (Redis down) is a failure too
            errors.append(e)
            return None
        return record if ended else None

    def _handlers(self, event: object) -> tuple[_Handler, ...]:
        if not isinstance(event, Event):
            raise TypeError(f"Router.dispatch: expected an event, got {type(event).__name__}")
        return self._by_kind.get(event.kind, ()) + self._any

    def dispatch(self, event: Event) -> None:
        """Runs the event's handlers (synchronous ones); raises ``HandlerError`` when any failed."""
        errors: List[Exception] = []
        for h in self._handlers(event):
            try:
                result = h(event)
                if inspect.isawaitable(result):
                    _discard(result)
                    raise TypeError(f"{_name(h)} is asynchronous: use `await router.dispatch_async(event)`")
            except Exception as e:  # noqa: BLE001 - every failure is collected and re-raised
                errors.append(e)
        record = self._ended_call(event, errors)
        if record is not None:
            for h in self._completed:
                try:
                    result = h(record)
                    if inspect.isawaitable(result):
                        _discard(result)
                        raise TypeError(f"{_name(h)} is asynchronous: use `await router.dispatch_async(event)`")
                except Exception as e:  # noqa: BLE001
                    errors.append(e)
        self._report(errors, event)

    async def dispatch_async(self, event: Event) -> None:
        """Runs the event's handlers, awaiting asynchronous ones (each bounded by ``timeout``);
        raises ``HandlerError`` when any failed."""
        errors: List[Exception] = []
        for h in self._handlers(event):
            try:
                await self._await(h, h(event))
            except Exception as e:  # noqa: BLE001
                errors.append(e)
        record = self._ended_call(event, errors)
        if record is not None:
            for h in self._completed:
                try:
                    await self._await(h, h(record))
                except Exception as e:  # noqa: BLE001
                    errors.append(e)
        await self._report_async(errors, event)

    async def _await(self, handler: object, result: object) -> None:
        if not inspect.isawaitable(result):
            return
        if self.timeout is None:
            await result
            return
        try:
            await asyncio.wait_for(result, self.timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(
                f"{_name(handler)} did not finish within {self.timeout:g} s (Router(timeout=...))"
            ) from None

    def _report(self, errors: List[Exception], event: Event) -> None:
        if not errors:
            return
        for error in list(errors):
            for on_error in self._errors:
                try:
                    result = on_error(error, event)
                    if inspect.isawaitable(result):
                        _discard(result)
                        raise TypeError(f"{_name(on_error)} is asynchronous: use `await router.dispatch_async(event)`")
                except Exception as e:  # noqa: BLE001
                    errors.append(e)
        raise HandlerError(errors, event)

    async def _report_async(self, errors: List[Exception], event: Event) -> None:
        if not errors:
            return
        for error in list(errors):
            for on_error in self._errors:
                try:
                    await self._await(on_error, on_error(error, event))
                except Exception as e:  # noqa: BLE001
                    errors.append(e)
        raise HandlerError(errors, event)

    def __call__(self, event: Event) -> None:
        """A router is also a handler: ``router(event)`` is ``router.dispatch(event)``, so that it
        fits wherever a receiver takes one function (receivers prefer ``dispatch_async`` when
        they run on an event loop)."""
        self.dispatch(event)

    def __repr__(self) -> str:
        n = sum(len(v) for v in self._by_kind.values())
        return f"<Router: {n} kind handler(s), {len(self._any)} on_any, {len(self._errors)} on_error>"
