"""Python side of the benchmark suite: primevox_webhooks.parse against what a user would write.

    python bench/python/bench.py CORPUS.jsonl [--reps N] [--n N] [--smoke]

Contenders, all doing the same validation (documented eventType -> kind, required fields present
and non-empty, one canonical snake_case name per field including the wire aliases, numbers in
JSON ids turned into their decimal text, empty values absent):

- primevox_webhooks.parse: the package (Rust core; event objects with lazily built attributes)
- minimal: json.loads (or msgspec.json.decode into a dict) / dict(parse_qsl), then one .get per
  documented wire name of the kind into a slots class: the code a user writes from the vendor page
- stdlib: json.loads / urllib.parse.parse_qsl, a generic alias map over every pair, then one
  @dataclass(slots=True) per kind
- msgspec: JSON decoded straight into the Struct chosen by eventType (a tagged union); form
  bodies through parse_qsl, then msgspec.convert into the same union
- pydantic: a TypeAdapter over a discriminated union of BaseModels (callable discriminator, since
  ringAttempt is two kinds told apart by eventTarget), validate_json / validate_python

Method (copied from bench/src/main.rs, but timed with the thread's CPU time, time.thread_time,
since wall time on a shared oversubscribed machine mostly measures the other tenants; the batch
row, which uses threads, with wall time): one warm-up pass per contender, then every repetition runs
every contender once over the whole set, the order rotating each repetition; the figure per
contender is the median over repetitions; the SDK speed-up is the median of the per-repetition
ratio other/SDK (paired), which cancels most of the noise of a shared machine.

Output: a markdown table (| subset | contender | median ns/event | SDK speed-up |) then notes
lines starting with "- ". Everything is checked first: every contender must accept every payload
and agree with the SDK on the kind and every canonical field, or the run stops.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import operator
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Annotated, Any, Callable, ClassVar, Optional, Union
from urllib.parse import parse_qsl

import msgspec
import pydantic
from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, TypeAdapter

import primevox_webhooks as pv

# --------------------------------------------------------------------------------------------
# The event model (README.md), written out as a user would: kinds, fields, required, aliases.

KIND_OF_EVENT_TYPE = {
    "inboundMessage": "message.inbound",
    "outboundMessage": "message.outbound",
    "InboundCall": "call.inbound",
    "HangupCall": "call.hangup",
    "ExtensionAnswered": "extension.answered",
    "inboundCallCompleted": "extension.hangup",
    "voicemailHangup": "voicemail.left",
    "outboundCall": "call.outbound",
    "queueEntered": "queue.entered",
}
# ringAttempt: eventTarget=ringGroup -> ring_group.entered, otherwise extension.ringing

MSG = ["container_id", "tenant_id", "conversation_id", "to_number", "from_number", "message_text"]
EXT = ["container_id", "tenant_id", "call_uuid", "caller_id_num", "caller_id_name", "extension_number", "extension_name"]
FIELDS: dict[str, list[str]] = {
    "message.inbound": MSG,
    "message.outbound": MSG,
    "call.inbound": ["container_id", "tenant_id", "did_number", "did_description", "did_group", "cid_prefix",
                     "call_uuid", "caller_id_num", "caller_id_name"],
    "call.hangup": EXT,
    "extension.ringing": ["container_id", "tenant_id", "call_uuid", "caller_id_num", "extension_number", "extension_name"],
    "extension.answered": EXT,
    "extension.hangup": EXT,
    "voicemail.left": EXT,
    "call.outbound": ["container_id", "tenant_id", "call_uuid", "extension_number", "extension_name", "number_dialed"],
    "ring_group.entered": ["container_id", "tenant_id", "call_uuid", "caller_id_num", "ring_group_number"],
    "queue.entered": ["container_id", "tenant_id", "call_uuid", "caller_id_num", "queue_number"],
}
REQUIRED: dict[str, tuple[str, ...]] = {
    k: ("container_id", "tenant_id", "to_number", "from_number") if k.startswith("message.")
    else ("container_id", "tenant_id", "call_uuid")
    for k in FIELDS
}
ALL_FIELDS = ["container_id", "tenant_id", "conversation_id", "to_number", "from_number", "message_text",
              "did_number", "did_description", "did_group", "cid_prefix", "call_uuid", "caller_id_num",
              "caller_id_name", "extension_number", "extension_name", "number_dialed", "ring_group_number",
              "queue_number"]


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(p.capitalize() for p in rest)


# wire name -> canonical snake_case name (the canonical camelCase spellings plus the aliases)
WIRE: dict[str, str] = {camel(f): f for f in ALL_FIELDS}
WIRE.update({"containerID": "container_id", "tenantID": "tenant_id", "conversationID": "conversation_id",
             "extNumber": "extension_number", "extName": "extension_name", "rgNumber": "ring_group_number"})
ALIASES_OF: dict[str, list[str]] = {f: [w for w, c in WIRE.items() if c == f] for f in ALL_FIELDS}

#: reads every canonical field of an event of a kind (the same attribute names in every contender)
READ_ALL: dict[str, Callable[[Any], Any]] = {k: operator.attrgetter(*fs) for k, fs in FIELDS.items()}

FORM = "application/x-www-form-urlencoded"


def is_json(content_type: Optional[str]) -> bool:
    return content_type is not None and content_type.startswith("application/json")


class Invalid(ValueError):
    pass


# --------------------------------------------------------------------------------------------
# stdlib: json / parse_qsl + dataclasses


def _dc(name: str, kind: str) -> type:
    cls = dataclasses.make_dataclass(
        name, [("event_type", str)] + [(f, Optional[str], None) for f in FIELDS[kind]], slots=True
    )
    cls.kind = kind  # type: ignore[attr-defined]
    return cls


STD_CLASS: dict[str, type] = {k: _dc("Std_" + k.replace(".", "_"), k) for k in FIELDS}


def std_parse(body: bytes, content_type: Optional[str]) -> Any:
    if is_json(content_type):
        data = json.loads(body)
        if not isinstance(data, dict):
            raise Invalid("not an object")
        items = data.items()
    else:
        items = parse_qsl(body.decode("utf-8"), keep_blank_values=False)
    event_type = None
    target = None
    fields: dict[str, str] = {}
    for k, v in items:
        name = WIRE.get(k)
        if name is None:
            if k == "eventType":
                event_type = v
            elif k == "eventTarget":
                target = v
            continue
        if v is None or v == "":
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        elif not isinstance(v, str):
            raise Invalid(f"{k}: wrong type")
        if name not in fields:
            fields[name] = v
    if event_type == "ringAttempt":
        kind = "ring_group.entered" if target == "ringGroup" else "extension.ringing"
    else:
        kind = KIND_OF_EVENT_TYPE.get(event_type)  # type: ignore[arg-type]
        if kind is None:
            raise Invalid(f"unknown eventType {event_type!r}")
    for r in REQUIRED[kind]:
        if r not in fields:
            raise Invalid(f"missing {r}")
    cls = STD_CLASS[kind]
    return cls(event_type, *[fields.get(f) for f in FIELDS[kind]])


# --------------------------------------------------------------------------------------------
# minimal: what a user writes after reading the vendor's page -- json.loads (or msgspec's
# untyped decode) for messages, a dict of parse_qsl for calls, then one .get per documented wire
# name of the kind into a slots class. No generic alias-map loop over every pair.

# The documented wire names per kind (spec: "Message events" / "Call events"), as a user copies
# them into code.
_MSG_WIRE = (("container_id", "containerID"), ("tenant_id", "tenantID"),
             ("conversation_id", "conversationID"), ("to_number", "toNumber"),
             ("from_number", "fromNumber"), ("message_text", "messageText"))
_EXT_SHORT = (("container_id", "containerId"), ("tenant_id", "tenantId"), ("call_uuid", "callUuid"),
              ("caller_id_num", "callerIdNum"), ("caller_id_name", "callerIdName"),
              ("extension_number", "extNumber"), ("extension_name", "extName"))
DOCUMENTED_WIRE: dict[str, tuple[tuple[str, str], ...]] = {
    "message.inbound": _MSG_WIRE,
    "message.outbound": _MSG_WIRE,
    "call.inbound": (("container_id", "containerId"), ("tenant_id", "tenantId"), ("did_number", "didNumber"),
                     ("did_description", "didDescription"), ("did_group", "didGroup"),
                     ("cid_prefix", "cidPrefix"), ("call_uuid", "callUuid"), ("caller_id_num", "callerIdNum"),
                     ("caller_id_name", "callerIdName")),
    "call.hangup": _EXT_SHORT,
    "extension.hangup": _EXT_SHORT,
    "voicemail.left": _EXT_SHORT,
    "extension.ringing": (("container_id", "containerId"), ("tenant_id", "tenantId"), ("call_uuid", "callUuid"),
                          ("caller_id_num", "callerIdNum"), ("extension_number", "extNumber"),
                          ("extension_name", "extName")),
    "extension.answered": (("container_id", "containerId"), ("tenant_id", "tenantId"), ("call_uuid", "callUuid"),
                           ("caller_id_num", "callerIdNum"), ("caller_id_name", "callerIdName"),
                           ("extension_number", "extensionNumber"), ("extension_name", "extensionName")),
    "call.outbound": (("container_id", "containerId"), ("tenant_id", "tenantId"), ("call_uuid", "callUuid"),
                      ("extension_number", "extNumber"), ("extension_name", "extName"),
                      ("number_dialed", "numberDialed")),
    "ring_group.entered": (("container_id", "containerId"), ("tenant_id", "tenantId"), ("call_uuid", "callUuid"),
                           ("caller_id_num", "callerIdNum"), ("ring_group_number", "rgNumber")),
    "queue.entered": (("container_id", "containerId"), ("tenant_id", "tenantId"), ("call_uuid", "callUuid"),
                      ("caller_id_num", "callerIdNum"), ("queue_number", "queueNumber")),
}
_IDS = frozenset(("container_id", "tenant_id", "conversation_id"))


class MinimalEvent:
    __slots__ = ("kind", "event_type", *ALL_FIELDS)

    def __init__(self, kind: str, event_type: str) -> None:
        self.kind = kind
        self.event_type = event_type


def _minimal(d: dict[str, Any]) -> MinimalEvent:
    et = d.get("eventType")
    if et == "ringAttempt":
        kind = "ring_group.entered" if d.get("eventTarget") == "ringGroup" else "extension.ringing"
    else:
        kind = KIND_OF_EVENT_TYPE.get(et)  # type: ignore[arg-type]
        if kind is None:
            raise Invalid(f"unknown eventType {et!r}")
    e = MinimalEvent(kind, et)  # type: ignore[arg-type]
    for attr, wire in DOCUMENTED_WIRE[kind]:
        v = d.get(wire)
        if v == "":
            v = None
        elif v is not None and attr in _IDS and type(v) is int:
            v = str(v)
        setattr(e, attr, v)
    for r in REQUIRED[kind]:
        if getattr(e, r) is None:
            raise Invalid(f"missing {r}")
    return e


def minimal_parse(body: bytes, content_type: Optional[str]) -> MinimalEvent:
    if is_json(content_type):
        return _minimal(json.loads(body))
    return _minimal(dict(parse_qsl(body.decode("utf-8"))))


_MS_ANY = msgspec.json.Decoder()


def minimal_msgspec_parse(body: bytes, content_type: Optional[str]) -> MinimalEvent:
    if is_json(content_type):
        return _minimal(_MS_ANY.decode(body))
    return _minimal(dict(parse_qsl(body.decode("utf-8"))))


# --------------------------------------------------------------------------------------------
# msgspec: a tagged union on eventType; aliases are extra fields folded in __post_init__


IdValue = Union[str, int, None]


class MsBase(msgspec.Struct, tag_field="eventType"):
    def __post_init__(self) -> None:
        for canon, alias in self.__alias_pairs__:  # type: ignore[attr-defined]
            v = getattr(self, canon)
            if v is None or v == "":
                a = getattr(self, alias)
                setattr(self, canon, None if a == "" else a)
        for f in self.__canonical__:  # type: ignore[attr-defined]
            v = getattr(self, f)
            if v == "":
                setattr(self, f, None)
            elif isinstance(v, int):
                setattr(self, f, str(v))
        for r in self.__required__:  # type: ignore[attr-defined]
            if getattr(self, r) is None:
                raise ValueError(f"missing {r}")


def _ms(kind: str, tag: str, extra: list[tuple[str, Any, Any]] = (), ring_kind: bool = False) -> type:  # type: ignore[assignment]
    fields: list[tuple[str, Any, Any]] = []
    pairs = []
    for f in FIELDS[kind] if not ring_kind else FIELDS["extension.ringing"] + ["ring_group_number"]:
        names = ALIASES_OF[f]
        typ = IdValue if f in ("container_id", "tenant_id", "conversation_id") else Optional[str]
        fields.append((f, typ, msgspec.field(default=None, name=names[0])))
        for i, alias in enumerate(names[1:]):
            fields.append((f"{f}__{i}", typ, msgspec.field(default=None, name=alias)))
            pairs.append((f, f"{f}__{i}"))
    fields.extend(extra)
    cls = msgspec.defstruct("Ms_" + tag, fields, bases=(MsBase,), tag=tag, kw_only=True)
    cls.__alias_pairs__ = tuple(pairs)
    cls.__canonical__ = tuple(f for f, *_ in fields if "__" not in f and f != "event_target")
    cls.__required__ = REQUIRED[kind]
    if not ring_kind:
        cls.kind = kind
    return cls


MS_TYPES = [_ms(kind, tag) for tag, kind in KIND_OF_EVENT_TYPE.items()]
MsRing = _ms("extension.ringing", "ringAttempt",
             extra=[("event_target", Optional[str], msgspec.field(default=None, name="eventTarget"))], ring_kind=True)
MsRing.kind = property(  # type: ignore[attr-defined]
    lambda self: "ring_group.entered" if self.event_target == "ringGroup" else "extension.ringing"
)
MS_TYPES.append(MsRing)
MsEvent = Union[tuple(MS_TYPES)]  # type: ignore[valid-type]
MS_JSON = msgspec.json.Decoder(MsEvent)


# Reference only (not the same validation): the same Structs without __post_init__, i.e. no alias
# folding, no "" -> None, no numeric id -> str, no required check. Shows what that work costs.
class MsBare(msgspec.Struct, tag_field="eventType"):
    pass


def _ms_bare() -> Any:
    global MsBase
    saved, MsBase = MsBase, MsBare  # type: ignore[misc]
    try:
        types = [_ms(kind, tag) for tag, kind in KIND_OF_EVENT_TYPE.items()]
        types.append(_ms("extension.ringing", "ringAttempt", ring_kind=True))
    finally:
        MsBase = saved  # type: ignore[misc]
    return msgspec.json.Decoder(Union[tuple(types)])  # type: ignore[valid-type]


MS_JSON_BARE = _ms_bare()


def msgspec_parse(body: bytes, content_type: Optional[str]) -> Any:
    if is_json(content_type):
        return MS_JSON.decode(body)
    return msgspec.convert(dict(parse_qsl(body.decode("utf-8"), keep_blank_values=False)), MsEvent)


# --------------------------------------------------------------------------------------------
# pydantic v2: discriminated union of models, one TypeAdapter


def _blank(v: Any) -> Any:
    return None if v == "" else v


Opt = Annotated[Optional[str], BeforeValidator(_blank)]
Req = Annotated[str, BeforeValidator(_blank)]


def _pyd(kind: str, tag: str, ring_target: Optional[str] = None) -> type:
    annotations: dict[str, Any] = {"event_type": str, "kind": ClassVar[str]}
    ns: dict[str, Any] = {
        "model_config": ConfigDict(coerce_numbers_to_str=True),
        "event_type": Field(validation_alias="eventType"),
        "kind": kind,
        "__annotations__": annotations,
    }
    for f in FIELDS[kind]:
        names = ALIASES_OF[f]
        required = f in REQUIRED[kind]
        annotations[f] = Req if required else Opt
        alias = AliasChoices(*names) if len(names) > 1 else names[0]
        ns[f] = Field(validation_alias=alias) if required else Field(default=None, validation_alias=alias)
    return type("Pd_" + kind.replace(".", "_"), (BaseModel,), ns)


def _tag(v: Any) -> Optional[str]:
    et = v.get("eventType") if isinstance(v, dict) else getattr(v, "event_type", None)
    if et == "ringAttempt":
        target = v.get("eventTarget") if isinstance(v, dict) else None
        return "ringAttempt:ringGroup" if target == "ringGroup" else "ringAttempt:extension"
    return et


_pd_members = [Annotated[_pyd(kind, tag), Tag(tag)] for tag, kind in KIND_OF_EVENT_TYPE.items()]
_pd_members.append(Annotated[_pyd("extension.ringing", "ringAttempt:extension"), Tag("ringAttempt:extension")])
_pd_members.append(Annotated[_pyd("ring_group.entered", "ringAttempt:ringGroup"), Tag("ringAttempt:ringGroup")])
PD = TypeAdapter(Annotated[Union[tuple(_pd_members)], Discriminator(_tag)])  # type: ignore[valid-type]


def pydantic_parse(body: bytes, content_type: Optional[str]) -> Any:
    if is_json(content_type):
        return PD.validate_json(body)
    return PD.validate_python(dict(parse_qsl(body.decode("utf-8"), keep_blank_values=False)))


# --------------------------------------------------------------------------------------------
# Measurement (the method of bench/src/main.rs)

Item = tuple[bytes, Optional[str]]

PARSERS: dict[str, Callable[[bytes, Optional[str]], Any]] = {
    "primevox_webhooks.parse": pv.parse,
    "minimal: json.loads / dict(parse_qsl) + one .get per documented field": minimal_parse,
    f"minimal: msgspec {msgspec.__version__} json.decode / dict(parse_qsl) + one .get per documented field":
        minimal_msgspec_parse,
    "stdlib json/parse_qsl + alias map + dataclasses": std_parse,
    f"msgspec {msgspec.__version__} (tagged Struct union)": msgspec_parse,
    f"pydantic {pydantic.VERSION} (discriminated TypeAdapter)": pydantic_parse,
}
SDK = "primevox_webhooks.parse"


def loop(parse: Callable[[bytes, Optional[str]], Any]) -> Callable[[list[Item]], int]:
    def run(items: list[Item]) -> int:
        n = 0
        for body, ct in items:
            parse(body, ct)
            n += 1
        return n

    return run


def loop_read(parse: Callable[[bytes, Optional[str]], Any], sdk: bool = False) -> Callable[[list[Item]], int]:
    """Parse, then read every field of the kind (and, for the SDK, which builds them lazily,
    also event_type and extra), as a handler that uses the event would."""
    read = READ_ALL

    def run(items: list[Item]) -> int:
        n = 0
        for body, ct in items:
            e = parse(body, ct)
            read[e.kind](e)
            n += 1
        return n

    def run_sdk(items: list[Item]) -> int:
        n = 0
        for body, ct in items:
            e = parse(body, ct)
            read[e.kind](e)
            e.event_type
            e.extra
            n += 1
        return n

    return run_sdk if sdk else run


Contender = tuple[str, Callable[[list[Item]], int]]


def measure(
    items: list[Item], contenders: list[Contender], reps: int, clock: Callable[[], float] = time.thread_time
) -> list[list[float]]:
    """Per-repetition seconds per contender. The clock is the CPU time of this thread by default:
    on a shared, oversubscribed machine wall time mostly measures the other tenants."""
    times: list[list[float]] = [[] for _ in contenders]
    for _, run in contenders:
        run(items)  # warm-up
    for rep in range(reps):
        for k in range(len(contenders)):
            i = (k + rep) % len(contenders)
            gc.collect()
            t = clock()
            contenders[i][1](items)
            times[i].append(clock() - t)
    return times


def median(v: list[float]) -> float:
    s = sorted(v)
    return s[len(s) // 2]


def paired(other: list[float], ours: list[float]) -> float:
    return median([o / u for o, u in zip(other, ours)])


def fmt_ratio(r: float) -> str:
    return f"{r:.2f}x faster" if r >= 1.0 else f"{1.0 / r:.2f}x slower"


def table_rows(label: str, n: int, contenders: list[Contender], times: list[list[float]]) -> list[str]:
    rows = []
    for i, (name, _) in enumerate(contenders):
        ns = median(times[i]) * 1e9 / n
        ratio = "1.00x" if i == 0 else fmt_ratio(paired(times[i], times[0]))
        rows.append(f"| {label} | {name} | {ns:.0f} | {ratio} |")
    # the ratio to the fastest alternative, paired repetition by repetition
    best = [min(t[r] for t in times[1:]) for r in range(len(times[0]))]
    rows.append(f"| {label} | **SDK vs fastest alternative** | | **{fmt_ratio(paired(best, times[0]))}** |")
    return rows


# --------------------------------------------------------------------------------------------
# Checks: every contender accepts every payload and agrees with the SDK field by field


def check(items: list[Item]) -> None:
    for body, ct in items:
        ours = pv.parse(body, ct)
        want = (ours.kind, READ_ALL[ours.kind](ours))
        for name, parse in PARSERS.items():
            if name == SDK:
                continue
            try:
                e = parse(body, ct)
            except Exception as err:  # noqa: BLE001 - reported with the payload
                raise SystemExit(f"{name} rejected a corpus payload: {err}\n{body!r}") from err
            got = (e.kind, READ_ALL[e.kind](e))
            if got != want:
                raise SystemExit(f"{name} disagrees with the SDK:\n  sdk:  {want}\n  them: {got}\n{body!r}")


# --------------------------------------------------------------------------------------------
# Memory: resident-set growth while holding every result of the corpus (one child process per
# contender, so that no contender inherits another's heap). RSS covers the Python heap and the
# Rust allocations of the extension alike (tracemalloc would miss the latter).


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def mem_child(corpus: str, name: str, n: int) -> None:
    items = load(corpus, n)
    parse = PARSERS[name]
    parse(*items[0])  # lazy imports and caches
    gc.collect()
    before = rss()
    kept = [parse(b, ct) for b, ct in items]
    gc.collect()
    after = rss()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"{(after - before) / len(kept):.0f} B/event (process peak {peak / 2**20:.0f} MiB)")
    del kept


def memory_notes(corpus: str, n: int) -> list[str]:
    out = []
    for name in PARSERS:
        r = subprocess.run([sys.executable, __file__, corpus, "--n", str(n), "--mem-child", name],
                           check=True, capture_output=True, text=True)
        out.append(f"{name}: {r.stdout.strip()}")
    return out


def load(path: str, n: int) -> list[Item]:
    items: list[Item] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            items.append((p["body"].encode("utf-8"), p["content_type"]))
            if len(items) == n:
                break
    return items


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--smoke", action="store_true", help="600 payloads, 3 repetitions")
    ap.add_argument("--mem-child", help=argparse.SUPPRESS)
    ap.add_argument("--profile", choices=["sdk", "read"], help="only loop the SDK (for py-spy)")
    a = ap.parse_args()
    if a.smoke:
        a.n, a.reps = min(a.n, 600), 3
    if a.mem_child:
        mem_child(a.corpus, a.mem_child, a.n)
        return
    items = load(a.corpus, a.n)
    if a.profile:
        run = loop(pv.parse) if a.profile == "sdk" else loop_read(pv.parse, sdk=True)
        for _ in range(a.reps):
            run(items)
        return
    check(items)
    js = [it for it in items if is_json(it[1])]
    fm = [it for it in items if not is_json(it[1])]

    print(f"Python {sys.version.split()[0]}: {len(items)} payloads ({len(js)} JSON, {len(fm)} form), "
          f"{a.reps} repetitions, {os.cpu_count()} cores; CPU time of the thread (batch row: wall time), "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| subset | contender | median ns/event | SDK speed-up (paired median) |")
    print("|---|---|---:|---:|")
    # Headline: parse, then read every field. The package builds attributes lazily, so parse
    # alone does less work than the alternatives, which build all of theirs.
    read = [(name, loop_read(p, sdk=name == SDK)) for name, p in PARSERS.items()]
    for label, subset in (("mixed, every field read", items), ("JSON only, every field read", js),
                          ("form only, every field read", fm)):
        if subset:
            for row in table_rows(label, len(subset), read, measure(subset, read, a.reps)):
                print(row)
    plain = [(name, loop(p)) for name, p in PARSERS.items()]
    for label, subset in (("mixed, fields never read", items), ("JSON only, fields never read", js),
                          ("form only, fields never read", fm)):
        if subset:
            for row in table_rows(label, len(subset), plain, measure(subset, plain, a.reps)):
                print(row)

    if js:
        ref: list[Contender] = [
            (SDK, loop(pv.parse)),
            ("msgspec decode alone (reference: no alias/blank/number folding, no required check)",
             loop(lambda b, ct: MS_JSON_BARE.decode(b))),
        ]
        times = measure(js, ref, a.reps)
        ns = median(times[1]) * 1e9 / len(js)
        print(f"| JSON only, reference | {ref[1][0]} | {ns:.0f} | {fmt_ratio(paired(times[1], times[0]))} |")

    notes = []
    many = getattr(pv, "parse_many", None)
    if many is not None:
        batch: list[Contender] = [
            ("parse_many", lambda xs: len(many(xs))),
            # a list of results, as parse_many returns (parse never raises on this corpus)
            ("loop of parse", lambda xs: len([pv.parse(b, ct) for b, ct in xs])),
        ]
        times = measure(items, batch, a.reps, clock=time.perf_counter)  # threads: wall time
        ns = median(times[0]) * 1e9 / len(items)
        print(f"| mixed | parse_many vs loop of parse (throughput) | {ns:.0f} | "
              f"{paired(times[1], times[0]):.2f}x |")
    else:
        notes.append("batch: primevox_webhooks has no parse_many yet; batch row not measured")
    notes.append("RSS growth while holding all results: " + "; ".join(memory_notes(a.corpus, len(items))))
    print()
    for n in notes:
        print(f"- {n}")


if __name__ == "__main__":
    main()
