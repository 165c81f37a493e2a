"""Type stubs for the native module (pyo3). ``python -m mypy.stubtest primevox_webhooks`` checks
that they match the compiled module exactly.

The sections between ``BEGIN GENERATED`` and ``END GENERATED`` are generated from the kind table
(core/src/kind.rs) by ``cargo run -p primevox-webhooks-cli -- codegen``: do not edit them."""

from typing import Any, Callable, Iterable, Literal, Optional, Union, final

from typing_extensions import Self, TypeAlias, disjoint_base

from primevox_webhooks._error import ErrorCode, Kind, ParseError

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
    "_panic_for_tests",
    "ERROR_CODES",
    "KINDS",
]

ERROR_CODES: tuple[ErrorCode, ...]
KINDS: tuple[Kind, ...]

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
    """Parse the raw body of a PrimeVOX webhook POST into one event; raise ``ParseError``."""

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

def _panic_for_tests() -> None:
    """For tests only: panics inside the extension (reaches Python as ``PanicException``)."""
