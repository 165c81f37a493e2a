"""What every framework receiver shares. The policy itself (the order of the checks, the token and
address rules, limits, decoding, codes, statuses and messages) is the core's ``Receiver``; this
module only hands it what a framework knows about a request and turns its answers into Python
exceptions, log lines and handler calls. Framework modules only move bytes.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import threading
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Callable,
    Coroutine,
    Mapping,
    Optional,
    Sequence,
    TypedDict,
    Union,
)

from ._deadline import bounded
from ._error import ParseError
from ._native import CONTENT_TYPE, Answer, Read, Receiver, receiver_table

if TYPE_CHECKING:
    from . import AnyEvent

__all__ = [
    "CONTENT_TYPE",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_DEPTH",
    "LOG",
    "Answer",
    "Read",
    "Receiver",
    "ReceiverOptionError",
    "ReceiverOptions",
    "RequestRefused",
    "Tokens",
    "error_body",
    "receiver",
]

#: Where receivers log: handler failures (with the traceback), learn-mode sender addresses.
LOG = logging.getLogger("primevox_webhooks")

#: The core's receiver table: defaults, codes, statuses, messages and option names.
TABLE: dict[str, Any] = json.loads(receiver_table())
DEFAULT_MAX_BODY_BYTES: int = TABLE["defaults"]["maxBodyBytes"]
DEFAULT_MAX_DEPTH: int = TABLE["defaults"]["maxDepth"]
_STATUS: dict[str, int] = {e["code"]: e["status"] for e in TABLE["errors"]}

#: The ``token`` option: one secret, or several while rotating (``[new, old]``).
Tokens = Union[str, Sequence[str]]


class ReceiverOptions(TypedDict, total=False):
    """The receiver options, as keyword arguments of every framework receiver. The core checks
    them when the receiver is made and names the bad one (``ReceiverOptionError``)."""

    #: The shared secret (or several while rotating). Present but ``None`` or empty is refused:
    #: an unset environment variable must not switch the check off. URL-safe characters only.
    token: Tokens
    #: The query parameter carrying the token (default ``"token"``; ``None``: header only).
    token_query: Optional[str]
    #: A header carrying the token (checked before the query parameter; spaces trimmed).
    token_header: str
    #: CIDR ranges the sender's address must be in (403 otherwise).
    allow: Sequence[str]
    #: Log (``primevox_webhooks`` logger) the addresses ``allow`` would refuse, accept them.
    allow_learn: bool
    #: Proxies whose ``X-Forwarded-For`` / ``Forwarded`` is believed for ``allow``.
    trusted_proxies: Sequence[str]
    #: A header that carries the sender's address, trusted because you say so
    #: (``"cf-connecting-ip"`` behind Cloudflare).
    peer_header: str
    #: Bodies over this many bytes, before or after decoding, are refused (default 65536).
    max_body_bytes: int
    #: JSON nested deeper than this is refused (default 32).
    max_depth: int
    #: Strict parsing (see the README).
    strict: bool
    #: How long the ASGI receivers wait for the body, in milliseconds (408 after).
    body_timeout_ms: int


class ReceiverOptionError(TypeError, ValueError):
    """A bad receiver option, raised when the receiver is made. The message starts with the
    option's name. (Both a ``TypeError`` and a ``ValueError``, whichever you catch.)"""


class RequestRefused(Exception):
    """The receiver refused the request (the sender failed a check, the method is not POST, the
    encoding is unsupported, the body did not come in time). ``answer`` is what to send;
    ``status``, ``code`` and ``message`` are its parts."""

    answer: Optional[Answer]
    status: int
    code: str
    message: str

    def __init__(self, answer: Union[Answer, int], code: str = "", message: str = "") -> None:
        # RequestRefused(status, code, message), as before the core's answers, still works.
        if isinstance(answer, Answer):
            status, code, message = answer.status, answer.code or "", answer.message
        else:
            status = answer
        super().__init__(message)
        self.answer = answer if isinstance(answer, Answer) else None
        self.status = status
        self.code = code
        self.message = message

    def to_dict(self) -> dict[str, Optional[str]]:
        return {"code": self.code, "field": None, "message": self.message}


class _BodyRefused(ParseError):
    """A ``ParseError`` raised by a receiver, with the answer the core gave for it."""

    answer: Answer

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.message, answer.code, answer.field)  # type: ignore[arg-type]
        self.answer = answer


def _refusal(answer: Answer) -> Union[ParseError, RequestRefused]:
    return _BodyRefused(answer) if answer.is_parse_error else RequestRefused(answer)


def error_body(err: Union[ParseError, RequestRefused]) -> dict[str, dict[str, Optional[str]]]:
    """``{"error": {"code", "field", "message"}}``: the body of every refusal, in every language
    of the SDK and in the CLI."""
    return {"error": err.to_dict()}


def status_of(err: Union[ParseError, RequestRefused]) -> int:
    return err.status if isinstance(err, RequestRefused) else _STATUS.get(err.code, 400)


def headers_of(err: Union[ParseError, RequestRefused], hop_by_hop: bool = True) -> dict[str, str]:
    """The headers an error answer carries; ``Connection: close`` when the body was left unread
    (not under WSGI, which forbids hop-by-hop headers: ``hop_by_hop=False``)."""
    answer = getattr(err, "answer", None)
    if answer is None:
        return {}
    headers = {name: value for name, value in answer.headers}
    if hop_by_hop and answer.close:
        headers["connection"] = "close"
    return headers


_RECEIVERS: dict[str, Receiver] = {}


def receiver(options: Mapping[str, object]) -> Receiver:
    """The core ``Receiver`` for these options (snake_case keyword arguments), made once per
    distinct set. ``ReceiverOptionError`` names a bad option."""
    try:
        key = json.dumps(options, sort_keys=True, default=list)
    except (TypeError, ValueError) as err:
        raise ReceiverOptionError(f"receiver options must be str, int, bool or lists: {err}") from None
    found = _RECEIVERS.get(key)
    if found is None:
        try:
            found = Receiver(key)
        except ValueError as err:
            raise ReceiverOptionError(str(err)) from None
        if len(_RECEIVERS) < 64:  # bounded: options are normally a few constants
            _RECEIVERS[key] = found
    return found


class Wanted:
    """What a receiver reads of a request's headers, worked out once per receiver rather than per
    request: the policy's header names (in its order) and where each is found in an ASGI scope
    and a WSGI environ, plus the ones the adapters read themselves (the body's encodings, and
    ``x-forwarded-for`` for ``asgi_peer``)."""

    __slots__ = ("names", "forwarded_checked", "asgi", "environ", "underscore")

    def __init__(self, rx: Receiver) -> None:
        self.names: tuple[str, ...] = tuple(rx.headers)
        self.forwarded_checked = "x-forwarded-for" in self.names
        extra = ("x-forwarded-for", "content-type", "content-encoding")
        every = self.names + tuple(name for name in extra if name not in self.names)
        # ASGI header names are lowercase bytes; Starlette's lookup encodes the lowered name.
        self.asgi: dict[bytes, str] = {name.lower().encode("latin-1"): name for name in every}
        #: (name, WSGI environ key) as werkzeug's and Django's header lookups spell it
        self.environ: tuple[tuple[str, str], ...] = tuple((name, environ_key(name)) for name in self.names)
        #: a name with ``_``, which Django's header lookup finds elsewhere than at its key
        self.underscore = any("_" in name for name in self.names)


def environ_key(name: str) -> str:
    """The WSGI environ key of a request header (PEP 3333: CONTENT_TYPE and CONTENT_LENGTH have
    no HTTP_ prefix), as werkzeug's ``EnvironHeaders`` and Django's ``HttpHeaders`` find it."""
    key = name.upper().replace("-", "_")
    return key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"


_WANTED: dict[Receiver, Wanted] = {}


def wanted(rx: Receiver) -> Wanted:
    """``Wanted`` for ``rx``, kept for the first 64 receivers (``receiver()`` keeps as many)."""
    found = _WANTED.get(rx)
    if found is None:
        found = Wanted(rx)
        if len(_WANTED) < 64:
            _WANTED[rx] = found
    return found


def asgi_headers(want: Wanted, raw: Any) -> dict[str, str]:
    """The wanted headers of an ASGI scope's ``headers``, in one pass: repeated ones joined by
    ``", "``, empty ones left out (as Starlette's ``", ".join(headers.getlist(name)) or None``)."""
    found: dict[str, str] = {}
    names = want.asgi
    for key, value in raw:
        name = names.get(key)
        if name is not None:
            text = value.decode("latin-1")
            found[name] = f"{found[name]}, {text}" if name in found else text
    if "" in found.values():
        found = {name: value for name, value in found.items() if value}
    return found


def check(
    rx: Receiver,
    method: str,
    peer: Optional[str],
    query: str,
    header: Callable[[str], Optional[str]],
) -> Read:
    """The core's checks before the body; ``RequestRefused`` when it refuses. ``header(name)``
    returns a request header (repeated ones joined by ``", "``) or ``None``."""
    headers = [(name, value) for name in wanted(rx).names for value in [header(name)] if value is not None]
    return check_headers(rx, method, peer, query, headers)


def check_headers(rx: Receiver, method: str, peer: Optional[str], query: str, headers: list[tuple[str, str]]) -> Read:
    """``check`` with the policy's headers already read: (name, value) pairs of ``Wanted.names``."""
    return settled(rx.check(method, peer, query, headers))


def settled(verdict: Union[Answer, Read]) -> Read:
    """The ``Read`` of a check, after logging its ``learn`` line; ``RequestRefused`` for an
    ``Answer``."""
    if isinstance(verdict, Answer):
        raise RequestRefused(verdict)
    if verdict.learn is not None:
        LOG.warning("%s", verdict.learn)
    return verdict


def asgi_peer(rx: Receiver, client: Optional[str], header: Callable[[str], Optional[str]]) -> Optional[str]:
    """The socket peer an ASGI server reports, unless the server itself replaced it with an
    address from ``X-Forwarded-For``: uvicorn does that by default for loopback peers
    (``forwarded_allow_ips``), so a local process would choose the address ``allow`` sees.
    Without ``trusted_proxies`` that address is not trustworthy: report none (``allow``
    refuses). Run uvicorn with ``--forwarded-allow-ips ''`` and list your proxy in
    ``trusted_proxies`` instead."""
    forwarded = header("x-forwarded-for")
    if client is None or forwarded is None or wanted(rx).forwarded_checked:
        return client
    hops = [hop.strip() for hop in forwarded.split(",")]
    return None if client in hops else client


def parse_body(rx: Receiver, body: bytes, header: Callable[[str], Optional[str]]) -> AnyEvent:
    """Decode and parse a body read after ``check``; ``ParseError`` or ``RequestRefused``."""
    return parse_body_as(rx, body, header("content-type"), header("content-encoding"))


def parse_body_as(rx: Receiver, body: bytes, content_type: Optional[str], content_encoding: Optional[str]) -> AnyEvent:
    """``parse_body`` with the two headers already read."""
    got = rx.parse_body(body, content_type, content_encoding)
    if isinstance(got, Answer):
        raise _refusal(got)
    return got


def body_consumed() -> RequestRefused:
    """Something in the app read the raw body before the receiver; log once per process."""
    answer = Answer.body_consumed()
    if not _WARNED:
        _WARNED.append(True)
        LOG.error("%s", answer.message)
    return RequestRefused(answer)


_WARNED: list[bool] = []


def read_limited(read: Callable[[int], bytes], verdict: Read, end: Optional[int] = None) -> bytes:
    """At most ``verdict.max_bytes`` of a blocking stream (a declared or chunked length).
    ``end``: the stream is known to answer ``b""`` once this many bytes are read (a framework's
    stream bounded to Content-Length), so no read is spent to learn it."""
    chunks: list[bytes] = []
    size = 0
    while size < verdict.max_bytes:
        chunk = read(min(65536, verdict.max_bytes - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if end is not None and size >= end:
            break
    return b"".join(chunks)


async def read_limited_async(chunks: AsyncIterator[bytes], verdict: Read) -> bytes:
    """At most ``verdict.max_bytes`` of an ASGI body, within ``verdict.timeout_ms``
    (``RequestRefused`` 408 after it)."""
    return await read_within(_collect(chunks, verdict.max_bytes), verdict)


async def read_within(read: Coroutine[Any, Any, bytes], verdict: Read) -> bytes:
    """``read`` (a body read bounded by ``verdict.max_bytes``), within ``verdict.timeout_ms``
    (``RequestRefused`` 408 after it)."""
    try:
        return await bounded(read, verdict.timeout_ms / 1000)
    except asyncio.TimeoutError:
        raise RequestRefused(Answer.request_timeout()) from None


async def _collect(chunks: AsyncIterator[bytes], max_bytes: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        if chunk:
            parts.append(chunk)
            size += len(chunk)
            if size >= max_bytes:
                break  # the rest is never read: the answer closes the connection
    return joined(parts, size, max_bytes)


def joined(parts: list[bytes], size: int, max_bytes: int) -> bytes:
    """The chunks of a body read up to ``max_bytes`` (``size`` their length), as bytes, at most
    ``max_bytes`` of them. A body in one message (the usual case) is returned as it came."""
    body = parts[0] if len(parts) == 1 else b"".join(parts)
    if type(body) is not bytes:
        body = bytes(body)
    return body if size <= max_bytes else body[:max_bytes]


#: 200 ``{"ok":true}``, the answer to nearly every request: made once (an ``Answer`` is frozen).
OK = Answer.ok()


def _failed(event: AnyEvent) -> Answer:
    LOG.exception("the webhook handler failed on a %s event", event.kind)
    return Answer.handler_failed()


def answer_first_option(answer_first: object) -> bool:
    """``answer_first`` must be a bool: checked when the receiver is made."""
    if not isinstance(answer_first, bool):
        raise ReceiverOptionError(f"answer_first must be True or False, got {answer_first!r}")
    return answer_first


#: Answer-first work still running: kept so that a task is not collected before it ends.
_BACKGROUND: set[Any] = set()


def _run_after_answer(handler: Callable[[AnyEvent], Any], event: AnyEvent) -> None:
    """The handler (a router's ``dispatch_async``, so async handlers run too) in a daemon thread,
    after the answer: a failure is only logged."""

    def run() -> None:
        target: Callable[[AnyEvent], Any] = getattr(handler, "dispatch_async", None) or handler
        try:
            result = target(event)
            if inspect.isawaitable(result):
                asyncio.run(_awaited(result))
        except Exception:
            _failed(event)

    threading.Thread(target=run, name="primevox-webhooks-answer-first", daemon=True).start()


def call_handler(handler: Callable[[AnyEvent], Any], event: AnyEvent, answer_first: bool = False) -> Any:
    """Run a handler, or a router (its ``dispatch``). Returns what the handler returned (a
    framework response to send as is), or the ``Answer`` to send: 200 ``{"ok":true}`` when it
    returned ``None`` (a router's result is never a response), 500 ``handler_failed`` when it
    raised, after logging the error with its traceback (the sender never sees it).

    ``answer_first``: answer 200 at once and run the handler in a background thread; its
    failures are only logged, and a crash after the answer loses the event."""
    if answer_first:
        _run_after_answer(handler, event)
        return OK
    target = getattr(handler, "dispatch", handler)
    try:
        result = target(event)
        if result is None:  # the usual answer, without asking whether it is awaitable
            return OK
        if inspect.isawaitable(result):  # an async handler under a sync framework
            result = asyncio.run(_awaited(result))
    except Exception:
        return _failed(event)
    return OK if result is None or target is not handler else result


async def call_handler_async(handler: Callable[[AnyEvent], Any], event: AnyEvent, answer_first: bool = False) -> Any:
    """``call_handler`` for ASGI frameworks: awaits async handlers (a router's
    ``dispatch_async``). ``answer_first``: answer 200 at once, the handler runs in a task of the
    server's event loop."""
    target = getattr(handler, "dispatch_async", handler)
    if answer_first:

        async def run() -> None:
            try:
                result = target(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                _failed(event)

        task = asyncio.get_running_loop().create_task(run())
        _BACKGROUND.add(task)
        task.add_done_callback(_BACKGROUND.discard)
        return OK
    try:
        result = target(event)
        if result is None:  # the usual answer, without asking whether it is awaitable
            return OK
        if inspect.isawaitable(result):
            result = await result
    except Exception:
        return _failed(event)
    return OK if result is None or target is not handler else result


async def _awaited(result: Any) -> Any:
    return await result
