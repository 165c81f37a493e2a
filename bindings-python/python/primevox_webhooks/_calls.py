"""``CallTracker``: many calls at once, over the core's tracker (``_native._CallTracker``).

The rules (keys, expiry, the bound and which call is evicted, when a call completes) are the
core's; this wrapper adds the Python hook, a lock so that threads can share one tracker, and
the ``Tracked`` result.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable, List, Optional, Tuple, TypeVar

from ._native import Call, CallSummary, Event, _CallTracker

if TYPE_CHECKING:
    from typing_extensions import disjoint_base
else:
    _T = TypeVar("_T")

    def disjoint_base(cls: _T) -> _T:
        # Typing only: a tuple subclass with attributes cannot be mixed with other bases.
        return cls

__all__ = ["CallTracker", "Tracked"]


@disjoint_base
class Tracked(Tuple[CallSummary, bool]):
    """What ``CallTracker.add`` did: unpacks as ``(record, ended)``.

    ``record`` is the call record after the delivery; ``ended`` is true when this delivery ended
    the call for the first time; ``new`` is false for a retry; ``evicted`` holds the calls
    removed to stay within ``max_calls`` (least recently seen first).
    """

    new: bool
    evicted: List[Call]

    def __new__(
        cls, record: CallSummary, ended: bool, new: bool, evicted: List[Call]
    ) -> Tracked:
        self = super().__new__(cls, (record, ended))
        self.new = new
        self.evicted = evicted
        return self

    @property
    def record(self) -> CallSummary:
        return self[0]

    @property
    def ended(self) -> bool:
        return self[1]

    def __repr__(self) -> str:
        return (
            f"Tracked(record={self.record!r}, ended={self.ended!r}, new={self.new!r}, "
            f"evicted={self.evicted!r})"
        )


class CallTracker:
    """Tracks many calls, keyed by the lowercased ``callUuid``.

    ``max_calls`` bounds the calls held: a new call beyond it evicts the least recently seen
    one (largest ``at`` of its deliveries), returned in ``Tracked.evicted``. ``on_complete`` is
    called with the record when a delivery ends a call for the first time (after the delivery
    is recorded; an exception from it propagates from ``add``).
    """

    def __init__(
        self,
        max_calls: Optional[int] = None,
        on_complete: Optional[Callable[[CallSummary], object]] = None,
    ) -> None:
        self._native = _CallTracker(max_calls)
        self._on_complete = on_complete
        self._lock = threading.Lock()

    @property
    def max_calls(self) -> Optional[int]:
        return self._native.max_calls

    def add(self, event: Event, at_ms: int) -> Tracked:
        """Adds a delivery received at ``at_ms`` (ms since the epoch) to its call.

        Raises ``CallError`` (``not_a_call_event``) for messages and unknown events.
        """
        with self._lock:
            record, ended, new, evicted = self._native.add(event, at_ms)
        if ended and self._on_complete is not None:
            self._on_complete(record)
        return Tracked(record, ended, new, evicted)

    def expire(self, now_ms: int, idle_ms: int) -> List[Call]:
        """Removes and returns the calls idle longer than ``idle_ms`` at ``now_ms``."""
        with self._lock:
            return self._native.expire(now_ms, idle_ms)

    def get(self, call_uuid: str) -> Optional[Call]:
        """A copy of the call with this ``callUuid`` (any case), if held."""
        with self._lock:
            return self._native.get(call_uuid)

    def remove(self, call_uuid: str) -> Optional[Call]:
        """Removes and returns the call with this ``callUuid`` (any case)."""
        with self._lock:
            return self._native.remove(call_uuid)

    def drain(self) -> List[Call]:
        """Removes and returns every call, least recently seen first."""
        with self._lock:
            return self._native.drain()

    def __len__(self) -> int:
        return len(self._native)
