"""A call tracker whose state lives in Redis, for receivers that run in several processes.

Each call is one Redis string: its state JSON (``Call.to_json()``) under ``prefix + callUuid``
(lowercased). ``add`` reads it, adds the delivery with the core's rules and writes it back in a
``WATCH``/``MULTI``/``EXEC`` transaction, retried when another process changed the call in
between: two processes adding deliveries of one call at the same moment lose neither, and only
one of them sees the delivery that completed the call. Idle calls expire with the key's TTL.

    import redis
    from primevox_webhooks.redis_store import RedisCallStore

    store = RedisCallStore(redis.Redis(), on_complete=lambda record: print(record.outcome))
    result = store.add(event, at_ms)

Install the client with ``pip install primevox-webhooks[redis]`` (or bring any client with the
``redis-py`` pipeline API).
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Protocol, Union

from ._calls import Tracked
from ._native import Call, CallSummary, Event

__all__ = ["RedisCallStore", "ConflictError"]


class _Pipeline(Protocol):
    def watch(self, *names: str) -> Any: ...
    def unwatch(self) -> Any: ...
    def get(self, name: str) -> Any: ...
    def multi(self) -> None: ...
    def set(self, name: str, value: str, px: Optional[int] = None) -> Any: ...
    def execute(self) -> Any: ...
    def reset(self) -> None: ...


class _Client(Protocol):
    def pipeline(self, transaction: bool = True) -> Any: ...
    def get(self, name: str) -> Any: ...
    def delete(self, *names: str) -> Any: ...


class ConflictError(RuntimeError):
    """The call changed under ``add`` more than ``max_attempts`` times in a row."""


def _text(value: Union[bytes, str]) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


class RedisCallStore:
    """Call records kept in Redis, updated atomically (see the module documentation).

    ``ttl_ms``: how long a call is kept after its last change (``None``: forever).
    ``on_complete``: called with the record when a delivery ends a call for the first time,
    in the one process whose transaction recorded it.
    """

    def __init__(
        self,
        client: _Client,
        *,
        prefix: str = "primevox:call:",
        ttl_ms: Optional[int] = 86_400_000,
        on_complete: Optional[Callable[[CallSummary], object]] = None,
        max_attempts: int = 100,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._client = client
        self._prefix = prefix
        self._ttl_ms = ttl_ms
        self._on_complete = on_complete
        self._max_attempts = max_attempts
        #: How many transactions had to be retried because another process got there first.
        self.conflicts = 0

    def key(self, call_uuid: str) -> str:
        """The Redis key of a call."""
        return self._prefix + call_uuid.lower()

    def add(self, event: Event, at_ms: int) -> Tracked:
        """Adds a delivery to its call in Redis; ``CallError`` for what is not a call event."""
        probe = Call()
        probe.add(event, at_ms)  # raises CallError before Redis is touched
        assert probe.call_uuid is not None
        key = self._prefix + probe.call_uuid
        pipe: _Pipeline = self._client.pipeline(transaction=True)
        try:
            for _ in range(self._max_attempts):
                try:
                    pipe.watch(key)
                    state = pipe.get(key)
                    call = Call.from_json(_text(state)) if state is not None else Call()
                    was_ended = call.ended
                    before = call.to_json() if state is not None else None
                    new = call.add(event, at_ms)
                    after = call.to_json()
                    if after == before:
                        pipe.unwatch()
                        return Tracked(call.summary(), False, new, [])
                    pipe.multi()
                    pipe.set(key, after, px=self._ttl_ms)
                    pipe.execute()
                except Exception as e:  # noqa: BLE001 - only WatchError is retried
                    if type(e).__name__ != "WatchError":
                        raise
                    self.conflicts += 1
                    continue
                record = call.summary()
                ended = record.ended and not was_ended
                if ended and self._on_complete is not None:
                    self._on_complete(record)
                return Tracked(record, ended, new, [])
        finally:
            pipe.reset()
        raise ConflictError(
            f"call {probe.call_uuid} changed under add {self._max_attempts} times in a row"
        )

    def get(self, call_uuid: str) -> Optional[Call]:
        """The call, if Redis holds it."""
        state = self._client.get(self.key(call_uuid))
        return None if state is None else Call.from_json(_text(state))

    def remove(self, call_uuid: str) -> Optional[Call]:
        """Deletes the call and returns what it was."""
        key = self.key(call_uuid)
        pipe = self._client.pipeline(transaction=True)
        try:
            pipe.get(key)
            pipe.delete(key)
            state, _ = pipe.execute()
        finally:
            pipe.reset()
        return None if state is None else Call.from_json(_text(state))
