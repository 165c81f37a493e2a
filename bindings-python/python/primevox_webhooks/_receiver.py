"""What every framework receiver shares: the sender checks (address allow-list, then token), the
body-size check on a declared Content-Length, and the JSON error bodies. The checks themselves
are the core's (``verify_token``, ``query_param``, ``AllowList`` in the native module); this only
takes the values out of a request and maps the outcome to HTTP, exactly as the Node and
WebAssembly receivers do.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence, Union

from ._error import ParseError
from ._native import AllowList, query_param, verify_token

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "Guard",
    "RequestRefused",
    "Tokens",
    "error_body",
    "guard",
    "too_large",
]

DEFAULT_MAX_BODY_BYTES = 65536

#: The ``token`` option: one secret, or several while rotating (``[new, old]``).
Tokens = Union[str, Sequence[str]]

#: Sent with every refusal and oversized body: the rest of the request is not read.
CLOSE = {"Connection": "close"}


class RequestRefused(Exception):
    """The sender failed a check before its body was read: 401 ``unauthorized`` (missing or
    wrong token) or 403 ``forbidden`` (address not in ``allow``)."""

    status: int
    code: str
    message: str

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def to_dict(self) -> dict[str, Optional[str]]:
        return {"code": self.code, "field": None, "message": self.message}


def error_body(err: Union[ParseError, RequestRefused]) -> dict[str, dict[str, Optional[str]]]:
    """``{"error": {"code", "field", "message"}}``: the body of every refusal, in every language
    of the SDK and in the CLI."""
    return {"error": err.to_dict()}


def status_of(err: Union[ParseError, RequestRefused]) -> int:
    return err.status if isinstance(err, RequestRefused) else 400


def too_large(limit: int) -> ParseError:
    """The error for a body whose declared length is over ``limit`` (the Node receivers' text)."""
    return ParseError(f"the body is larger than {limit} bytes", "body_too_large", None)


def declared_too_large(content_length: object, limit: int) -> bool:
    """Whether a Content-Length header value declares more than ``limit`` bytes."""
    if content_length is None:
        return False
    try:
        return int(str(content_length).strip()) > limit
    except ValueError:
        return False


class Guard:
    """The receiver options ``token``, ``token_query``, ``token_header`` and ``allow``, checked
    before the body is read. Bad options raise ``TypeError`` / ``ValueError`` when the receiver
    is made, not on the first request."""

    def __init__(
        self,
        token: Optional[Tokens] = None,
        token_query: Optional[str] = "token",
        token_header: Optional[str] = None,
        allow: Optional[Sequence[str]] = None,
    ) -> None:
        self.tokens: Optional[tuple[str, ...]] = None
        if token is not None:
            tokens = (token,) if isinstance(token, str) else tuple(token)
            if not tokens or not all(isinstance(t, str) and t for t in tokens):
                raise TypeError("token must be a non-empty str or a non-empty list of them")
            self.tokens = tokens
        self.token_query = token_query
        self.token_header = token_header
        self.allow: Optional[AllowList] = None
        if allow is not None:
            if isinstance(allow, str):
                raise TypeError("allow must be a list of CIDR ranges, not one str")
            self.allow = AllowList(list(allow))

    @property
    def active(self) -> bool:
        return self.tokens is not None or self.allow is not None

    def check(
        self,
        peer: Optional[str],
        query_string: str,
        header: Callable[[str], Optional[str]],
    ) -> None:
        """Raise ``RequestRefused`` unless the peer address is allowed and the token matches.
        ``header(name)`` returns a request header's value (or ``None``)."""
        if self.allow is not None and not self.allow.contains(peer):
            raise RequestRefused(403, "forbidden", "the sender address is not allowed")
        if self.tokens is not None:
            presented: Optional[str] = None
            if self.token_header:
                presented = header(self.token_header)
            if presented is None and self.token_query and query_string:
                presented = query_param(query_string, self.token_query)
            if not verify_token(presented, self.tokens):
                raise RequestRefused(401, "unauthorized", "missing or wrong webhook token")


_GuardKey = tuple[Optional[tuple[str, ...]], Optional[str], Optional[str], Optional[tuple[str, ...]]]
_GUARDS: dict[_GuardKey, Guard] = {}


def guard(
    token: Optional[Tokens],
    token_query: Optional[str],
    token_header: Optional[str],
    allow: Optional[Sequence[str]],
) -> Guard:
    """A ``Guard`` for these options, made once per distinct set (for per-call receivers)."""
    if isinstance(allow, str):
        raise TypeError("allow must be a list of CIDR ranges, not one str")
    tokens = None if token is None else (token,) if isinstance(token, str) else tuple(token)
    key: _GuardKey = (tokens, token_query, token_header, None if allow is None else tuple(allow))
    found = _GUARDS.get(key)
    if found is None:
        found = Guard(*key)
        if len(_GUARDS) < 64:  # bounded: options are normally a few constants
            _GUARDS[key] = found
    return found
