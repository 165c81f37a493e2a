"""Type stubs for the native module (pyo3). ``python -m mypy.stubtest primevox_webhooks`` checks
that they match the compiled module exactly.

The sections between ``BEGIN GENERATED`` and ``END GENERATED`` are generated from the kind table
(core/src/kind.rs) by ``cargo run -p primevox-webhooks-cli -- codegen``: do not edit them."""

from typing import Any, Callable, Iterable, Literal, Mapping, Optional, Union, final

from typing_extensions import Self, TypeAlias, disjoint_base

from primevox_webhooks._error import CallErrorCode, ErrorCode, Kind, ParseError

__all__ = [
    "Event",
    # BEGIN GENERATED all
    "InboundMessage",
    "OutboundMessage",
    "InboundCall",
    "CallHangup",
    "ExtensionRinging",
    "ExtensionAnswered",
    "ExtensionHangup",
    "VoicemailLeft",
    "OutboundCall",
    "RingGroupEntered",
    "QueueEntered",
    "UnknownEvent",
    # END GENERATED all
    "parse",
    "parse_many",
    "from_json",
    "verify_token",
    "query_param",
    "AllowList",
    "Receiver",
    "Answer",
    "Read",
    "receiver_table",
    "CONTENT_TYPE",
    "_panic_for_tests",
    "ERROR_CODES",
    "KINDS",
    "CALL_ERROR_CODES",
    "Call",
    "CallSummary",
    "Party",
    "QueueVisit",
    "RingGroupVisit",
    "ExtensionRung",
    "_CallTracker",
]

ERROR_CODES: tuple[ErrorCode, ...]
KINDS: tuple[Kind, ...]
CALL_ERROR_CODES: tuple[CallErrorCode, ...]

_ExtraValue: TypeAlias = Any
"""A value in ``extra``: a ``str``, or for a non-string JSON value the parsed Python value."""

@disjoint_base
class Event:
    """The common base class of every event class. Immutable, hashable, picklable."""

    @property
    def kind(self) -> Kind: ...
    @property
    def event_type(self) -> str: ...
    @property
    def extra(self) -> tuple[tuple[str, _ExtraValue], ...]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def encode(self) -> tuple[str, str]: ...
    def caller_number(self) -> str | None: ...
    def caller_e164(self) -> str | None: ...
    def dedup_key(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Callable[[str], Event], tuple[str]]: ...
    def __copy__(self) -> Self: ...
    def __deepcopy__(self, memo: Any, /) -> Self: ...

# BEGIN GENERATED classes
@final
class InboundMessage(Event):
    """A text message arrived from an outside number (``inboundMessage``)."""

    __match_args__ = ("container_id", "tenant_id", "conversation_id", "to_number", "from_number", "message_text")
    @property
    def kind(self) -> Literal["message.inbound"]: ...
    @property
    def container_id(self) -> str:
        """The PrimeVOX container (the customer's account) the event belongs to."""
    @property
    def tenant_id(self) -> str:
        """The tenant within the container."""
    @property
    def conversation_id(self) -> str | None:
        """The message conversation's id."""
    @property
    def to_number(self) -> str:
        """The number a message was sent to."""
    @property
    def from_number(self) -> str:
        """The number a message was sent from."""
    @property
    def message_text(self) -> str | None:
        """The message body."""

@final
class OutboundMessage(Event):
    """A PrimeVOX user sent a text message (``outboundMessage``)."""

    __match_args__ = ("container_id", "tenant_id", "conversation_id", "to_number", "from_number", "message_text")
    @property
    def kind(self) -> Literal["message.outbound"]: ...
    @property
    def container_id(self) -> str:
        """The PrimeVOX container (the customer's account) the event belongs to."""
    @property
    def tenant_id(self) -> str:
        """The tenant within the container."""
    @property
    def conversation_id(self) -> str | None:
        """The message conversation's id."""
    @property
    def to_number(self) -> str:
        """The number a message was sent to."""
    @property
    def from_number(self) -> str:
        """The number a message was sent from."""
    @property
    def message_text(self) -> str | None:
        """The message body."""

@final
class InboundCall(Event):
    """A call came into the phone system, before anything happened to it (``InboundCall``)."""

    __match_args__ = ("container_id", "tenant_id", "did_number", "did_description", "did_group", "cid_prefix", "call_uuid", "caller_id_num", "caller_id_name")
    @property
    def kind(self) -> Literal["call.inbound"]: ...
    @property
    def container_id(self) -> str:
        """The PrimeVOX container (the customer's account) the event belongs to."""
    @property
    def tenant_id(self) -> str:
        """The tenant within the container."""
    @property
    def did_number(self) -> str | None:
        """The dialled phone number (DID) a call came in on."""
    @property
    def did_description(self) -> str | None:
        """The description the customer gave that DID."""
    @property
    def did_group(self) -> str | None:
        """The group the DID belongs to."""
    @property
    def cid_prefix(self) -> str | None:
        """The caller-id prefix configured on the DID."""
    @property
    def call_uuid(self) -> str:
        """The call's id."""
    @property
    def caller_id_num(self) -> str | None:
        """The caller's number."""
    @property
    def caller_id_name(self) -> str | None:
        """The caller's name."""

@final
class CallHangup(Event):
    """A call ended, whatever happened to it (``HangupCall``)."""

    __match_args__ = ("container_id", "tenant_id", "call_uuid", "caller_id_num", "caller_id_name", "extension_number", "extension_name")
    @property
    def kind(self) -> Literal["call.hangup"]: ...
    @property
    def container_id(self) -> str:
        """The PrimeVOX container (the customer's account) the event belongs to."""
    @property
    def tenant_id(self) -> str:
        """The tenant within the container."""
    @property
    def call_uuid(self) -> str:
        """The call's id."""
    @property
    def caller_id_num(self) -> str | None:
        """The caller's number."""
    @property
    def caller_id_name(self) -> str | None:
        """The caller's name."""
    @property
    def extension_number(self) -> str | None:
        """The extension's number."""
    @property
    def extension_name(self) -> str | None:
        """The extension's name."""

@final
class ExtensionRinging(Event):
    """An extension is ringing (``ringAttempt``, eventTarget ``extension``)."""

    __match_args__ = ("container_id", "tenant_id", "call_uuid", "caller_id_num", "extension_number", "extension_name")
    @property
    def kind(self) -> Literal["extension.ringing"]: ...
    @property
    def container_id(self) -> str:
        """The PrimeVOX container (the customer's account) the event belongs to."""
    @property
    def tenant_id(self) -> str:
        """The tenant within the container."""
    @property
    def call_uuid(self) -> str:
        """The call's id."""
    @property
    def caller_id_num(self) -> str | None:
        """The caller's number."""
    @property
    def extension_number(self) -> str | None:
        """The extension's number."""
    @property
    def extension_name(self) -> str | None:
        """The extension's name."""

@final
class ExtensionAnswered(Event):
    """An extension answered a call (``ExtensionAnswered``)."""

    __match_args__ = ("container_id", "tenant_id", "call_uuid", "caller_id_num", "caller_id_name", "extension_number", "extension_name")
    @property
    def kind(self) -> Literal["extension.answered"]: ...
    @property
    def container_id(self) -> str:
        """The PrimeVOX container (the customer's account) the event belongs to."""
    @property
    def tenant_id(self) -> str:
        """The tenant within the container."""
    @property
    def call_uuid(self) -> str:
        """The call's id."""
    @property
    def caller_id_num(self) -> str | None:
        """The caller's number."""
    @property
    def caller_id_name(self) -> str | None:
        """The caller's name."""
    @property
    def extension_number(self) -> str | None:
        """The extension's number."""
    @property
    def extension_name(self) -> str | None:
        """The extension's name."""

@final
class ExtensionHangup(Event):
    """An extension's call ended (``inboundCallCompleted``)."""

    __match_args__ = ("container_id", "tenant_id", "call_uuid", "caller_id_num", "caller_id_name", "extension_number", "extension_name")
    @property
    def kind(self) -> Literal["extension.hangup"]: ...
    @property
    def container_id(self) -> str:
        """The PrimeVOX container (the customer's account) the event belongs to."""
    @property
    def tenant_id(self) -> str:
        """The tenant within the container."""
    @property
    def call_uuid(self) -> str:
        """The call's id."""
    @property
    def caller_id_num(self) -> str | None:
        """The caller's number."""
    @property
    def caller_id_name(self) -> str | None:
        """The caller's name."""
    @property
    def extension_number(self) -> str | None:
        """The extension's number."""
    @property
    def extension_name(self) -> str | None:
        """The extension's name."""

@final
class VoicemailLeft(Event):
    """A caller left a voicemail (``voicemailHangup``)."""

    __match_args__ = ("container_id", "tenant_id", "call_uuid", "caller_id_num", "caller_id_name", "extension_number", "extension_name")
    @property
    def kind(self) -> Literal["voicemail.left"]: ...
    @property
    def container_id(self) -> str:
        """The PrimeVOX container (the customer's account) the event belongs to."""
    @property
    def tenant_id(self) -> str:
        """The tenant within the container."""
    @property
    def call_uuid(self) -> str:
        """The call's id."""
    @property
    def caller_id_num(self) -> str | None:
        """The caller's number."""
    @property
    def caller_id_name(self) -> str | None:
        """The caller's name."""
    @property
    def extension_number(self) -> str | None:
        """The extension's number."""
    @property
    def extension_name(self) -> str | None:
        """The extension's name."""

@final
class OutboundCall(Event):
    """An extension placed an outbound call (``outboundCall``)."""

    __match_args__ = ("container_id", "tenant_id", "call_uuid", "extension_number", "extension_name", "number_dialed")
    @property
    def kind(self) -> Literal["call.outbound"]: ...
    @property
    def container_id(self) -> str:
        """The PrimeVOX container (the customer's account) the event belongs to."""
    @property
    def tenant_id(self) -> str:
        """The tenant within the container."""
    @property
    def call_uuid(self) -> str:
        """The call's id."""
    @property
    def extension_number(self) -> str | None:
        """The extension's number."""
    @property
    def extension_name(self) -> str | None:
        """The extension's name."""
    @property
    def number_dialed(self) -> str | None:
        """The number an extension dialled out to."""

@final
class RingGroupEntered(Event):
    """A caller entered a ring group (``ringAttempt``, eventTarget ``ringGroup``)."""

    __match_args__ = ("container_id", "tenant_id", "call_uuid", "caller_id_num", "ring_group_number")
    @property
    def kind(self) -> Literal["ring_group.entered"]: ...
    @property
    def container_id(self) -> str:
        """The PrimeVOX container (the customer's account) the event belongs to."""
    @property
    def tenant_id(self) -> str:
        """The tenant within the container."""
    @property
    def call_uuid(self) -> str:
        """The call's id."""
    @property
    def caller_id_num(self) -> str | None:
        """The caller's number."""
    @property
    def ring_group_number(self) -> str | None:
        """The ring group's extension."""

@final
class QueueEntered(Event):
    """A caller entered a queue (``queueEntered``)."""

    __match_args__ = ("container_id", "tenant_id", "call_uuid", "caller_id_num", "queue_number")
    @property
    def kind(self) -> Literal["queue.entered"]: ...
    @property
    def container_id(self) -> str:
        """The PrimeVOX container (the customer's account) the event belongs to."""
    @property
    def tenant_id(self) -> str:
        """The tenant within the container."""
    @property
    def call_uuid(self) -> str:
        """The call's id."""
    @property
    def caller_id_num(self) -> str | None:
        """The caller's number."""
    @property
    def queue_number(self) -> str | None:
        """The queue's extension."""

@final
class UnknownEvent(Event):
    """An event type this SDK does not know; every field is kept in ``extra``."""

    __match_args__ = ()
    @property
    def kind(self) -> Literal["unknown"]: ...

_AnyEvent: TypeAlias = Union[
    InboundMessage,
    OutboundMessage,
    InboundCall,
    CallHangup,
    ExtensionRinging,
    ExtensionAnswered,
    ExtensionHangup,
    VoicemailLeft,
    OutboundCall,
    RingGroupEntered,
    QueueEntered,
    UnknownEvent,
]
# END GENERATED classes

def parse(
    body: bytes | bytearray | memoryview | str,
    content_type: str | None = None,
    *,
    strict: bool = False,
    max_body_bytes: int = 65536,
    max_depth: int = 32,
) -> _AnyEvent:
    """Parse the raw body of a PrimeVOX webhook POST into one event.

    ``body`` is the request body exactly as received (``bytes``, ``bytearray``, ``memoryview`` or
    ``str``); ``content_type`` is the request's Content-Type header (``None``: decided from the
    body). PrimeVOX sends messages as JSON and calls as ``application/x-www-form-urlencoded``.

    Returns an instance of the kind's class (``InboundCall``, ``InboundMessage``, ...;
    ``UnknownEvent`` for an event type this SDK does not know), immutable, with one attribute
    per canonical field, so ``match event:`` works.

    Raises ``ParseError`` (a ``ValueError``) with a stable ``code`` such as ``"missing_field"``
    and the ``field`` concerned. ``strict=True`` refuses anything not exactly as documented;
    ``max_body_bytes`` (default 65536) and ``max_depth`` (JSON nesting, default 32) bound the input.
    """

_Body: TypeAlias = Union[bytes, bytearray, memoryview, str]

def parse_many(
    items: Iterable[tuple[_Body, str | None] | _Body],
    *,
    strict: bool = False,
    max_body_bytes: int = 65536,
    max_depth: int = 32,
) -> list[_AnyEvent | ParseError]:
    """Parse many ``(body, content_type)`` pairs (or bare bodies) at once: one event or
    ``ParseError`` per item, in order, nothing raised for a bad payload. The GIL is released
    while the core parses; large batches are spread over the machine's cores."""

def from_json(canonical: str) -> _AnyEvent:
    """Rebuild an event from its canonical JSON (the output of ``Event.to_json()``)."""

def verify_token(presented: Optional[str], expected: Union[str, Iterable[str]]) -> bool:
    """Whether ``presented`` equals ``expected`` (or one of several, for rotation), compared in
    constant time by the core. ``None`` and empty expected tokens never match."""

def query_param(query: str, name: str) -> Optional[str]:
    """The first value of ``name`` in a URL query string, form-decoded; ``None`` when absent."""

@final
class AllowList:
    """CIDR ranges of allowed peer addresses; ``ValueError`` names the first bad entry."""

    def __new__(cls, ranges: Iterable[str]) -> Self: ...
    def contains(self, addr: Optional[str]) -> bool:
        """Whether the address (with or without a port; IPv4-mapped IPv6 as IPv4) is allowed."""
    def __contains__(self, addr: Optional[str], /) -> bool: ...

CONTENT_TYPE: str

def receiver_table() -> str:
    """The receiver table (defaults, codes, statuses, messages, option names) as JSON."""

@final
class Answer:
    """An HTTP answer of the core's receiver policy: send ``body`` as is with ``status``,
    ``headers`` and Content-Type ``CONTENT_TYPE``."""

    @property
    def status(self) -> int: ...
    @property
    def code(self) -> Optional[str]: ...
    @property
    def field(self) -> Optional[str]: ...
    @property
    def message(self) -> str: ...
    @property
    def headers(self) -> list[tuple[str, str]]: ...
    @property
    def close(self) -> bool: ...
    @property
    def body(self) -> str: ...
    @property
    def is_parse_error(self) -> bool: ...
    @staticmethod
    def ok() -> Answer: ...
    @staticmethod
    def handler_failed() -> Answer: ...
    @staticmethod
    def body_consumed() -> Answer: ...
    @staticmethod
    def not_post() -> Answer: ...
    @staticmethod
    def request_timeout() -> Answer: ...

@final
class Read:
    """Go on reading the body: at most ``max_bytes`` within ``timeout_ms``; log ``learn``."""

    @property
    def max_bytes(self) -> int: ...
    @property
    def timeout_ms(self) -> int: ...
    @property
    def peer(self) -> Optional[str]: ...
    @property
    def learn(self) -> Optional[str]: ...
    @property
    def content_type(self) -> Optional[str]: ...
    @property
    def content_encoding(self) -> Optional[str]: ...

@final
class Receiver:
    """The core's receiver policy for one set of options (a JSON object); ``ValueError`` names a
    bad option."""

    def __new__(cls, options_json: str) -> Self: ...
    @property
    def headers(self) -> list[str]: ...
    @property
    def max_body_bytes(self) -> int: ...
    @property
    def body_timeout_ms(self) -> int: ...
    def check(
        self, method: str, peer: Optional[str], query: str, headers: list[tuple[str, str]]
    ) -> Union[Answer, Read]: ...
    def check_asgi(self, scope: Mapping[str, Any]) -> Optional[Union[Answer, Read]]: ...
    def check_environ(
        self, environ: Mapping[str, Any], method: str, peer: Optional[str], query: str
    ) -> Optional[Union[Answer, Read]]: ...
    def parse_body(
        self, body: _Body, content_type: Optional[str] = None, content_encoding: Optional[str] = None
    ) -> Union[_AnyEvent, Answer]: ...

def _panic_for_tests() -> None:
    """For tests only: panics inside the extension (reaches Python as ``PanicException``)."""

# ---- calls (bindings-python/src/calls.rs) ----

_Direction: TypeAlias = Literal["inbound", "outbound"]
_Outcome: TypeAlias = Literal["placed", "answered", "voicemail", "missed", "in_progress"]

@final
class Party:
    """An extension and when: ``placed_by``, ``voicemail``, ``answered_by``."""

    @property
    def extension_number(self) -> Optional[str]: ...
    @property
    def extension_name(self) -> Optional[str]: ...
    @property
    def at(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class QueueVisit:
    """A queue the caller entered, at its first delivery."""

    @property
    def queue_number(self) -> str: ...
    @property
    def at(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class RingGroupVisit:
    """A ring group the caller entered, at its first delivery."""

    @property
    def ring_group_number(self) -> str: ...
    @property
    def at(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class ExtensionRung:
    """An extension that rang, at its first delivery, with the first name given for it."""

    @property
    def extension_number(self) -> str: ...
    @property
    def extension_name(self) -> Optional[str]: ...
    @property
    def at(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class CallSummary:
    """The call record: immutable; ``to_json()`` gives the camelCase JSON of every language."""

    @property
    def call_uuid(self) -> Optional[str]: ...
    @property
    def direction(self) -> _Direction: ...
    @property
    def outcome(self) -> _Outcome: ...
    @property
    def ended(self) -> bool: ...
    @property
    def ended_at(self) -> Optional[int]: ...
    @property
    def container_id(self) -> Optional[str]: ...
    @property
    def tenant_id(self) -> Optional[str]: ...
    @property
    def caller_id_num(self) -> Optional[str]: ...
    @property
    def caller_id_name(self) -> Optional[str]: ...
    @property
    def did_number(self) -> Optional[str]: ...
    @property
    def did_description(self) -> Optional[str]: ...
    @property
    def did_group(self) -> Optional[str]: ...
    @property
    def cid_prefix(self) -> Optional[str]: ...
    @property
    def number_dialed(self) -> Optional[str]: ...
    @property
    def placed_by(self) -> Optional[Party]: ...
    @property
    def voicemail(self) -> Optional[Party]: ...
    @property
    def answered_by(self) -> Optional[Party]: ...
    @property
    def queues(self) -> tuple[QueueVisit, ...]: ...
    @property
    def ring_groups(self) -> tuple[RingGroupVisit, ...]: ...
    @property
    def extensions_rung(self) -> tuple[ExtensionRung, ...]: ...
    @property
    def first_seen_at(self) -> Optional[int]: ...
    @property
    def last_seen_at(self) -> Optional[int]: ...
    @property
    def deliveries(self) -> int: ...
    def to_json(self) -> str:
        """The record as JSON with the camelCase keys (the same text in every language)."""
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Call:
    """The deliveries of one call and the record derived from them (see the README, "Calls")."""

    def __new__(cls) -> Self: ...
    def add(self, event: Event, at_ms: int) -> bool:
        """Add a delivery received at ``at_ms``; ``True`` when new, ``False`` for a retry.
        Raises ``CallError`` and changes nothing otherwise."""
    def merge(self, other: Call) -> None:
        """Add every delivery of ``other``, a call of the same ``call_uuid``."""
    def summary(self) -> CallSummary: ...
    def summary_json(self) -> str: ...
    def to_json(self) -> str:
        """The whole state as JSON; ``Call.from_json`` reads it back."""
    @staticmethod
    def from_json(state: str) -> Call:
        """Read a state written by ``to_json`` (``CallError`` ``invalid_state`` otherwise)."""
    @property
    def call_uuid(self) -> Optional[str]: ...
    @property
    def ended(self) -> bool: ...
    def __len__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __copy__(self) -> Call: ...
    def __deepcopy__(self, memo: Any, /) -> Call: ...
    def __reduce__(self) -> tuple[Callable[[str], Call], tuple[str]]: ...

@final
class _CallTracker:
    """The core tracker; use ``primevox_webhooks.CallTracker``."""

    def __new__(cls, max_calls: Optional[int] = None) -> Self: ...
    def add(
        self, event: Event, at_ms: int
    ) -> tuple[CallSummary, bool, bool, list[Call]]: ...
    def expire(self, now_ms: int, idle_ms: int) -> list[Call]: ...
    def get(self, call_uuid: str) -> Optional[Call]: ...
    def remove(self, call_uuid: str) -> Optional[Call]: ...
    def drain(self) -> list[Call]: ...
    @property
    def max_calls(self) -> Optional[int]: ...
    def __len__(self) -> int: ...
