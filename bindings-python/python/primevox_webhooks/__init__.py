"""Parse PrimeVOX phone-system webhooks into typed, validated events.

>>> import primevox_webhooks as pv
>>> event = pv.parse(b"eventType=HangupCall&containerId=1&tenantId=2&callUuid=u",
...                  "application/x-www-form-urlencoded")
>>> event.kind, event.call_uuid
('call.hangup', 'u')

All parsing and validation happen in the Rust core (``primevox_webhooks._native``); this package
re-exports it with one class per event kind. Framework receivers live in the optional submodules
``primevox_webhooks.fastapi`` (FastAPI / Starlette), ``primevox_webhooks.flask`` and
``primevox_webhooks.django``; each takes the sender checks ``token`` / ``token_query`` /
``token_header`` / ``allow`` (``verify_token`` and ``AllowList``, from the core, are exported for
other frameworks).
"""

from __future__ import annotations

from typing import Union

from ._calls import CallTracker, Tracked
from ._error import CallError, CallErrorCode, ErrorCode, Kind, ParseError
from ._native import (
    CALL_ERROR_CODES,
    ERROR_CODES,
    AllowList,
    Call,
    CallSummary,
    ExtensionRung,
    Party,
    QueueVisit,
    RingGroupVisit,
    KINDS,
    Event,
    from_json,
    parse,
    parse_many,
    query_param,
    verify_token,
)
from ._receiver import ReceiverOptionError, ReceiverOptions, RequestRefused

# BEGIN GENERATED classes (primevox-webhooks codegen from core/src/kind.rs; do not edit)
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
)

#: The union of every event class: what ``parse`` returns. ``match`` on it is checked exhaustively.
AnyEvent = Union[
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

__all__ = [
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
    "CALL_ERROR_CODES",
    "ERROR_CODES",
    "KINDS",
    "AllowList",
    "AnyEvent",
    "Call",
    "CallError",
    "CallErrorCode",
    "CallSummary",
    "CallTracker",
    "ErrorCode",
    "Event",
    "ExtensionRung",
    "Kind",
    "ParseError",
    "Party",
    "QueueVisit",
    "ReceiverOptionError",
    "ReceiverOptions",
    "RequestRefused",
    "RingGroupVisit",
    "Tracked",
    "from_json",
    "parse",
    "parse_many",
    "query_param",
    "verify_token",
]
