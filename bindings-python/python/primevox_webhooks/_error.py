"""The exception raised for a payload that cannot be parsed, and the literal types of codes and kinds.

The ``ErrorCode`` and ``Kind`` literals are generated (``BEGIN GENERATED`` section below).

Pure Python so that it subclasses ``ValueError`` on every CPython the abi3 wheel supports; the
native module builds instances of it from the core's error (code, field and message unchanged).
"""

from __future__ import annotations

from typing import Literal, Optional

__all__ = ["CallError", "CallErrorCode", "ErrorCode", "Kind", "ParseError"]

# BEGIN GENERATED literals (primevox-webhooks codegen; tests check them against ERROR_CODES, KINDS)
#: Every error code, in the core's order.
ErrorCode = Literal[
    "empty_body",
    "body_too_large",
    "unsupported_content_type",
    "invalid_json",
    "invalid_form",
    "missing_event_type",
    "missing_field",
    "invalid_field",
    "unknown_event_type",
    "unknown_field",
]

#: Every event kind, in the core's order.
Kind = Literal[
    "message.inbound",
    "message.outbound",
    "call.inbound",
    "call.hangup",
    "extension.ringing",
    "extension.answered",
    "extension.hangup",
    "voicemail.left",
    "call.outbound",
    "ring_group.entered",
    "queue.entered",
    "unknown",
]
# END GENERATED literals


class ParseError(ValueError):
    """A webhook body that is not a valid PrimeVOX event.

    ``code`` is one of the stable codes in ``ERROR_CODES``; ``field`` names the canonical
    camelCase field where it applies (``"callUuid"``, ``"eventType"``, or the wire key for
    ``unknown_field``), else ``None``; ``message`` is the core's message (also ``str(err)``).
    """

    code: ErrorCode
    field: Optional[str]
    message: str

    def __init__(self, message: str, code: ErrorCode, field: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, ErrorCode, Optional[str]]]:
        return (type(self), (self.message, self.code, self.field))

    def __repr__(self) -> str:
        return f"ParseError({self.message!r}, code={self.code!r}, field={self.field!r})"

    def to_dict(self) -> dict[str, Optional[str]]:
        """``{"code": ..., "field": ..., "message": ...}``: the body receivers answer with."""
        return {"code": self.code, "field": self.field, "message": self.message}


#: Every call error code, in the core's order (a test checks it against ``CALL_ERROR_CODES``).
CallErrorCode = Literal["not_a_call_event", "call_mismatch", "invalid_state"]


class CallError(ValueError):
    """A delivery, merge or state that a call cannot take; nothing was changed.

    ``code`` is ``"not_a_call_event"`` (a message, an unknown event, no ``callUuid``),
    ``"call_mismatch"`` (a delivery or call of another call) or ``"invalid_state"`` (a
    ``Call.from_json`` input that ``to_json`` did not write); ``message`` is the core's message.
    """

    code: CallErrorCode
    message: str

    def __init__(self, message: str, code: CallErrorCode) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __reduce__(self) -> tuple[type[CallError], tuple[str, CallErrorCode]]:
        return (type(self), (self.message, self.code))

    def __repr__(self) -> str:
        return f"CallError({self.message!r}, code={self.code!r})"
