"""Receivers under load, with faults in the same runs.

    python bench/load/run.py CORPUS.jsonl [--smoke] [--frameworks fastapi,fastapi-route,flask,django,express,fastify,nodehttp,axum,workers]
                             [--duration S] [--rounds N] [--connections C] [--faults N] [--json OUT.json]
                             [--side-rounds N] [--side-duration S]

For each framework, one server process (FastAPI: uvicorn, one worker; Flask, Django: gunicorn, one
gthread worker of 8 threads; Express, Fastify, node:http: node; axum: target/release/pvload-axum,
or $PV_LOAD_AXUM_BIN, tokio's multi-threaded runtime; Workers: workerd serving one Worker, bundled
by apps/workers_build.mjs from the wasm package) on 127.0.0.1 with three
routes: the SDK's receiver (/sdk), a minimal hand-written receiver making the same checks
(/hand) and an empty endpoint that only reads the body (/empty, the framework's ceiling).
wrk (bench/load/wrk.lua) replays the good deliveries of the corpus at a fixed concurrency
against each route for a fixed time; it reports requests/s, p50/p99 latency and errors. Beside
them, the server process's CPU time (user + system, every thread, from /proc) per request over
the same seconds. (On this shared VM it moves with requests/s: the machine's own speed changes
from one second to the next. Instruction counts are the steady measure: load/node_ir.py,
load/axum_ir.py.)

While wrk drives /sdk, a fault driver (below, raw sockets, bounded in count and time) sends a
mix of deliveries, each with a unique key, and records every answer: good deliveries, malformed
JSON, missing fields, oversized bodies (declared and chunked), a bad token, an unsupported
Content-Type, a GET, slow clients trickling the headers or the body, clients that disconnect
mid-body, and handlers that throw. Then, counting at the handler (the app's /__stats):

- every good delivery answered 2xx reached the handler exactly once;
- a delivery cut off mid-body, or refused, never reached it;
- every bad delivery got its status (and, where the SDK writes one, its error code);
- the wrk traffic: handler calls minus 2xx answers is between 0 and the connection count (the
  requests still in flight when wrk stops);
- resident memory after the runs is within a bound of the memory before them;
- the server process is alive and still answers.

Then the same three routes side by side (side_by_side(): three processes of the app pinned to one
core, each route driven by its own wrk at the same time, the routes moving from process to process
round by round): the SDK's requests/s over the other routes', paired within a round, measured
while every route sees the same machine. It decides the receiver targets in BENCHMARKS.md.

After the axum rows, `pvload-axum --inproc` adds each route's CPU time per request, measured in
process (no sockets; bench/README.md), as a note: a figure the machine's load moves far less.

Exits non-zero when a check fails (the smoke run in tests/ci/bench.sh asserts them). Prints a
markdown table and, with --json, writes the figures for scripts/ BENCHMARKS generation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any, Optional, Union

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOKEN = "load-token"
LIMIT = 64 * 1024
#: resident-memory growth allowed over the whole run of one framework
RSS_BOUND = 64 * 2**20


# --------------------------------------------------------------------------------------------
# Servers


CLK_TCK = os.sysconf("SC_CLK_TCK")
ROUTES = ("sdk", "hand", "empty")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    port: int
    log: str

    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    #: the process that runs the handlers (gunicorn's worker, not its arbiter), from /__stats
    worker: int = 0
    #: what /__stats says runs the handlers (see identity())
    ident: str = ""

    def rss(self) -> int:
        with open(f"/proc/{self.worker or self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process that runs the handlers, all its threads."""
        with open(f"/proc/{self.worker or self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # fields[11], fields[12]: utime and stime (fields 14 and 15 of proc(5), after pid and comm)
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def stop(self) -> None:
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


STARTS = 0


def pinned(cpus: Optional[set[int]]) -> Any:
    """A preexec_fn that pins the child (and every thread and process it starts) to `cpus`."""
    if cpus is None:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def start(name: str, python: str, cpus: Optional[set[int]] = None, order: tuple[str, ...] = ROUTES) -> Server:
    """`order`: the order in which the app registers its three routes (PV_LOAD_ORDER), for the
    frameworks whose router tries routes one by one (FastAPI, Express, Django; the others look a
    path up in a tree, a table or a switch of three string compares)."""
    port = free_port()
    global STARTS
    STARTS += 1
    log = os.path.join("/tmp", f"pv-load-{name}-{os.getpid()}-{STARTS}.log")
    env = dict(os.environ, PV_LOAD_TOKEN=TOKEN, PV_LOAD_ORDER=",".join(order))
    if name in ("fastapi", "fastapi-route"):
        # "fastapi": the SDK's dependency in the app's own route; "fastapi-route": the receiver
        # owning the route (add_webhook_route), the form every other framework's /sdk has
        env["PV_FASTAPI_SDK"] = "depends" if name == "fastapi" else "route"
        cmd = [python, "-m", "uvicorn", "fastapi_app:app", "--host", "127.0.0.1", "--port", str(port),
               "--workers", "1", "--log-level", "warning", "--no-access-log"]
    elif name in ("flask", "django"):
        # gunicorn, as Flask and Django are deployed: one worker (so that one process counts every
        # handler call), the gthread class (keep-alive, and slow clients do not hold the only
        # thread: the sync class serves one connection at a time and closes it after each answer)
        cmd = [python, "-m", "gunicorn", f"{name}_app:{'app' if name == 'flask' else 'application'}",
               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--worker-class", "gthread", "--threads", "8",
               "--timeout", "30", "--graceful-timeout", "5", "--log-level", "warning"]
    elif name == "axum":
        cmd = [axum_bin(), str(port)]
    elif name in NODE_APPS:
        cmd = ["node", f"{name}_app.js", str(port)]
    elif name == "workers":
        # workerd itself (no Miniflare, no wrangler dev proxy in front): the process measured is
        # the one running the isolate. workers_build.mjs bundles the app and writes the config.
        out = os.path.join("/tmp", f"pv-load-workers-{os.getpid()}")
        built = subprocess.run(["node", "workers_build.mjs", out], cwd=os.path.join(HERE, "apps"),
                               capture_output=True, text=True, timeout=120)
        if built.returncode != 0:
            raise SystemExit(f"workers_build.mjs failed:\n{built.stdout}\n{built.stderr}")
        cmd = [built.stdout.strip().splitlines()[-1], "serve", os.path.join(out, "config.capnp"),
               "--socket-addr", f"http=127.0.0.1:{port}"]
    else:
        raise SystemExit(f"unknown framework {name}")
    with open(log, "wb") as logf:
        proc = subprocess.Popen(cmd, cwd=os.path.join(HERE, "apps"), stdout=logf, stderr=subprocess.STDOUT, env=env,
                                preexec_fn=pinned(cpus))
    srv = Server(name, proc, port, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not srv.alive():
            raise SystemExit(f"{name} server exited at start:\n{open(log).read()}")
        try:
            first = stats(srv)
            # an isolate has no pid (workers: 0): then the process started here runs the handlers
            srv.worker = int(first["pid"]) or proc.pid
            srv.ident = identity(first)
            return srv
        except OSError:
            time.sleep(0.1)
    srv.stop()
    raise SystemExit(f"{name} server did not answer within 30 s:\n{open(log).read()}")


def http(srv: Server, method: str, path: str, body: bytes = b"", headers: Optional[dict[str, str]] = None,
         timeout: float = 10) -> tuple[int, bytes]:
    """One request on a fresh connection (for the checks, not the load)."""
    h = {"Host": f"127.0.0.1:{srv.port}", "Connection": "close", "Content-Length": str(len(body))}
    h.update(headers or {})
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", srv.port), timeout=timeout) as s:
        s.sendall(head.encode() + body)
        data = b""
        while not complete(data):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return parse_response(data)


def complete(data: bytes) -> bool:
    """Whether `data` holds a whole answer, by its framing (Content-Length, or chunked up to the
    last chunk). Not reading to the end of the connection: workerd keeps it open after answering
    a request that said `Connection: close` (the other servers close it)."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    hdrs = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(b":") for ln in head.split(b"\r\n")[1:])}
    if hdrs.get(b"transfer-encoding", b"").lower() == b"chunked":
        while True:
            size_line, sep, after = rest.partition(b"\r\n")
            if not sep:
                return False
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                return True
            if len(after) < size + 2:
                return False
            rest = after[size + 2:]
    if b"content-length" in hdrs:
        return len(rest) >= int(hdrs[b"content-length"])
    return False  # framed by the end of the connection


def parse_response(data: bytes) -> tuple[int, bytes]:
    if not data.startswith(b"HTTP/1."):
        raise OSError(f"no HTTP response: {data[:60]!r}")
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    lines = head.split(b"\r\n")[1:]
    hdrs = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(b":") for ln in lines)}
    if hdrs.get(b"transfer-encoding", b"").lower() == b"chunked":
        body = b""
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                break
            body += rest[:size]
            rest = rest[size + 2:]
        return status, body
    return status, rest


def stats(srv: Server) -> dict[str, Any]:
    status, body = http(srv, "GET", "/__stats", timeout=5)
    if status != 200:
        raise OSError(f"/__stats answered {status}")
    return json.loads(body)  # type: ignore[no-any-return]


def identity(st: dict[str, Any]) -> str:
    """What runs the handlers, from /__stats: its pid, or for Workers its isolate's id (a replaced
    isolate has lost the counts, as a replaced gunicorn worker has)."""
    return str(st.get("isolate") or st["pid"])


def settled_stats(srv: Server, limit: float = 3.0) -> dict[str, Any]:
    """/__stats once the handler counts stop moving (two reads 100 ms apart agree, within `limit`
    seconds): requests that were in flight when wrk stopped, still queued in a thread pool
    (gunicorn's gthread) or the event loop, must not land in the next run's count."""
    last = stats(srv)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = stats(srv)
        if now["calls"] == last["calls"]:
            return now
        last = now
    return last


# --------------------------------------------------------------------------------------------
# Deliveries


def form_call(key: str, caller: str = "JANE DOE") -> tuple[str, bytes]:
    from urllib.parse import urlencode

    body = urlencode({"eventType": "InboundCall", "eventTarget": "phoneNumber", "containerId": "1001",
                      "tenantId": "42", "didNumber": "+15125550100", "didDescription": "Main line",
                      "callUuid": key, "callerIdNum": "5125550199", "callerIdName": caller})
    return "application/x-www-form-urlencoded", body.encode()


def json_message(key: str, text: str = "hello there") -> tuple[str, bytes]:
    body = json.dumps({"eventType": "inboundMessage", "containerID": 1001, "tenantID": "42",
                       "conversationID": key, "toNumber": "+15125550100", "fromNumber": "+15125550199",
                       "messageText": text})
    return "application/json", body.encode()


@dataclass
class Fault:
    kind: str
    key: str
    #: expected status (or statuses); None = any 2xx
    want: Optional[Union[int, tuple[int, ...]]]
    #: expected error code in the JSON answer, when the SDK writes one
    want_code: Optional[str] = None
    #: expected handler calls for this key
    calls: int = 0
    got: Optional[int] = None
    got_body: bytes = b""
    error: Optional[str] = None


async def send(port: int, path: str, f: Fault, ct: Optional[str], body: bytes, *, method: str = "POST",
               chunked: bool = False, trickle_head: bool = False, trickle_body: bool = False,
               cut_at: Optional[int] = None, timeout: float = 15) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        h = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
        if ct is not None:
            h.append(f"Content-Type: {ct}")
        h.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}")
        head = ("\r\n".join(h) + "\r\n\r\n").encode()
        if trickle_head:
            for i in range(0, len(head), 16):  # ~16 pieces of 16 bytes, 20 ms apart
                writer.write(head[i:i + 16])
                await writer.drain()
                await asyncio.sleep(0.02)
        else:
            writer.write(head)
        if chunked:
            for i in range(0, len(body), 8192):
                piece = body[i:i + 8192]
                writer.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            writer.write(b"0\r\n\r\n")
        elif cut_at is not None:
            writer.write(body[:cut_at])
            await writer.drain()
            await asyncio.sleep(0.05)
            writer.transport.abort()  # the client goes away mid-body
            f.got = 0
            return
        elif trickle_body:
            step = max(1, len(body) // 10)
            for i in range(0, len(body), step):
                writer.write(body[i:i + step])
                await writer.drain()
                await asyncio.sleep(0.05)
        else:
            writer.write(body)
        try:
            await writer.drain()
        except ConnectionError:
            pass  # an early answer (413) may close the connection before all the body is sent
        data = b""

        async def answer() -> None:
            nonlocal data
            while not complete(data):
                chunk = await reader.read(65536)
                if not chunk:
                    break
                data += chunk

        await asyncio.wait_for(answer(), timeout)
        f.got, f.got_body = parse_response(data)
    except (OSError, asyncio.TimeoutError) as err:
        f.error = f"{type(err).__name__}: {err}"
    finally:
        writer.close()


async def fault_mix(port: int, n: int, seconds: float, route: str = "sdk") -> list[Fault]:
    """n rounds of the fault mix, a few at a time, within `seconds`. Sent alongside every route's
    run, so that each route carries the same load; the answers are checked for /sdk only."""
    path = f"/{route}?token={TOKEN}"
    faults: list[Fault] = []
    jobs = []
    big = b"x" * (LIMIT + 4096)

    def k() -> str:
        return str(uuid.uuid4())

    for i in range(n):
        key = k()
        f = Fault("good form", key, None, calls=1)
        jobs.append((f, send(port, path, f, *form_call(key))))
        key = k()
        f = Fault("good JSON", key, None, calls=1)
        jobs.append((f, send(port, path, f, *json_message(key, "ünïcode \U0001F600 text"))))
        key = k()
        f = Fault("malformed JSON", key, 400, "invalid_json")
        jobs.append((f, send(port, path, f, "application/json", b'{"eventType":"inboundMessage","conversationID":"' + key.encode())))
        key = k()
        ct, body = form_call(key)
        f = Fault("missing required field", key, 400)
        jobs.append((f, send(port, path, f, ct, body.replace(b"containerId=1001&", b""))))
        key = k()
        # Statuses: the core's table (ErrorCode::status() is 400 for every parse error, including
        # body_too_large and unsupported_content_type; refusals 401/405/500 from Refusal).
        f = Fault("oversized (Content-Length)", key, 400, "body_too_large")
        jobs.append((f, send(port, path, f, "application/x-www-form-urlencoded", form_call(key)[1] + b"&pad=" + big)))
        key = k()
        f = Fault("oversized (chunked)", key, 400, "body_too_large")
        jobs.append((f, send(port, path, f, "application/x-www-form-urlencoded", form_call(key)[1] + b"&pad=" + big,
                             chunked=True)))
        key = k()
        f = Fault("bad token", key, 401, "unauthorized")
        jobs.append((f, send(port, f"/{route}?token=wrong", f, *form_call(key))))
        key = k()
        f = Fault("unsupported Content-Type", key, 400, "unsupported_content_type")
        jobs.append((f, send(port, path, f, "image/png", form_call(key)[1])))
        key = k()
        # a GET: 405 from the receiver or the framework's router (FastAPI, Django), 404 from routers that only
        # match POST (the hand-written routes of Express, Fastify)
        f = Fault("GET", key, (404, 405))
        jobs.append((f, send(port, path, f, None, b"", method="GET")))
        key = k()
        f = Fault("slow client: headers trickled", key, None, calls=1)
        jobs.append((f, send(port, path, f, *form_call(key), trickle_head=True)))
        key = k()
        f = Fault("slow client: body trickled", key, None, calls=1)
        jobs.append((f, send(port, path, f, *json_message(key, "slow " * 200), trickle_body=True)))
        key = k()
        f = Fault("disconnect mid-body", key, None, calls=0)
        ct, body = json_message(key, "cut " * 100)
        jobs.append((f, send(port, path, f, ct, body, cut_at=len(body) // 2)))
        key = k()
        f = Fault("handler throws", key, 500, calls=1)
        jobs.append((f, send(port, path, f, *form_call(key, caller="THROW NOW"))))
    random.Random(2026).shuffle(jobs)
    sem = asyncio.Semaphore(8)

    async def run(f: Fault, coro: Any) -> None:
        async with sem:
            await coro
        faults.append(f)

    await asyncio.wait_for(asyncio.gather(*(run(f, c) for f, c in jobs)), seconds)
    return faults


def check_faults(faults: list[Fault], calls: dict[str, int]) -> list[str]:
    problems = []
    for f in faults:
        n = calls.get(f.key, 0)
        what = f"{f.kind} ({f.key})"
        if f.kind == "disconnect mid-body":
            if n != 0:
                problems.append(f"{what}: reached the handler {n} times")
            continue
        if f.error is not None:
            problems.append(f"{what}: {f.error}")
            continue
        assert f.got is not None
        if f.want is None:
            if not 200 <= f.got < 300:
                problems.append(f"{what}: answered {f.got}, expected 2xx: {f.got_body[:200]!r}")
            elif n != 1:
                problems.append(f"{what}: answered {f.got} but reached the handler {n} times (expected exactly once)")
            continue
        if f.got not in (f.want if isinstance(f.want, tuple) else (f.want,)):
            problems.append(f"{what}: answered {f.got}, expected {f.want}: {f.got_body[:200]!r}")
        if f.want_code is not None:
            try:
                code = json.loads(f.got_body)["error"]["code"]
            except (ValueError, KeyError, TypeError):
                code = None
            if code != f.want_code:
                problems.append(f"{what}: error code {code!r}, expected {f.want_code!r}")
        if n != f.calls:
            problems.append(f"{what}: reached the handler {n} times, expected {f.calls}")
    return problems


# --------------------------------------------------------------------------------------------
# Load


def good_deliveries(corpus: str, n: int) -> list[tuple[str, str]]:
    """The first ``n`` good deliveries of the benchmark corpus as (content type, body); a body
    with a tab or a line break (wrk.lua's separators) is re-serialised when it is JSON, else
    left out."""
    out: list[tuple[str, str]] = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            body = p["body"]
            if "\t" in body or "\n" in body or "\r" in body:
                if (p["content_type"] or "").startswith("application/json"):
                    body = json.dumps(json.loads(body), ensure_ascii=False, separators=(",", ":"))
                else:
                    continue
            out.append((p["content_type"] or "application/x-www-form-urlencoded", body))
            if len(out) == n:
                break
    return out


def wrk_corpus(corpus: str, out: str, n: int) -> int:
    """The good deliveries of the benchmark corpus as wrk.lua lines: content-type TAB body."""
    lines = [f"{ct}\t{body}" for ct, body in good_deliveries(corpus, n)]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return len(lines)


def run_wrk(port: int, path: str, corpus: str, seconds: float, connections: int,
            cpus: Optional[set[int]] = None) -> dict[str, Any]:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s",
           "-s", os.path.join(HERE, "wrk.lua"), f"http://127.0.0.1:{port}{path}", "--", corpus]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, preexec_fn=pinned(cpus))
    if r.returncode != 0:
        raise SystemExit(f"wrk failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    last = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
    if not last:
        raise SystemExit(f"wrk printed no summary:\n{r.stdout}\n{r.stderr}")
    return json.loads(last[-1])  # type: ignore[no-any-return]


def ok_count(w: dict[str, Any]) -> int:
    return sum(n for code, n in w["status"].items() if 200 <= int(code) < 300)


def median(v: list[float]) -> float:
    s = sorted(v)
    return s[len(s) // 2]


NODE_APPS = ("express", "fastify", "nodehttp")
FRAMEWORKS = ("fastapi", "fastapi-route", "flask", "django", "express", "fastify", "nodehttp", "axum", "workers")


def bench_framework(name: str, python: str, corpus: str, a: argparse.Namespace) -> tuple[list[dict[str, Any]], list[str]]:
    """`a.rounds` rounds; each runs the three routes once, the order rotating by one every round
    (as the parser harnesses do), so that a burst of the other tenants does not land on one
    route only. Per route: the median over rounds; the SDK's ratios are paired round by round."""
    srv = start(name, python)
    runs: dict[str, list[dict[str, Any]]] = {r: [] for r in ROUTES}
    problems: list[str] = []
    n_faults = 0
    try:
        # warm-up, so that the memory baseline is the steady state (imports, JIT, caches)
        run_wrk(srv.port, f"/sdk?token={TOKEN}", corpus, 1, a.connections)
        before_calls = settled_stats(srv)["calls"]
        rss_before = srv.rss()
        for rnd in range(a.rounds):
            for k in range(len(ROUTES)):
                route = ROUTES[(k + rnd) % len(ROUTES)]
                path = f"/{route}?token={TOKEN}"
                # the fault mix runs alongside wrk, in the same seconds, on every route (the same
                # load for each); its answers are checked on /sdk
                async def both(route: str = route, path: str = path) -> tuple[dict[str, Any], list[Fault]]:
                    loop = asyncio.get_running_loop()
                    w = loop.run_in_executor(None, run_wrk, srv.port, path, corpus, a.duration, a.connections)
                    fl = await fault_mix(srv.port, a.faults, a.duration + 60, route)
                    return await w, fl

                cpu = srv.cpu_seconds()
                w, sent = asyncio.run(both())
                # the server's CPU time per request (the fault mix's few requests are the same on
                # every route): tells a route that waits (sockets, timers) from one that computes
                w["cpu_us"] = (srv.cpu_seconds() - cpu) * 1e6 / max(1, w["requests"] + len(sent))
                faults = sent if route == "sdk" else []
                n_faults += len(faults)
                runs[route].append(w)
                if route in ("sdk", "hand"):
                    after = settled_stats(srv)["calls"][route]
                    fault_keys = {f.key for f in sent}
                    handled = sum(n for key, n in after.items() if key not in fault_keys) - sum(
                        n for key, n in before_calls[route].items() if key not in fault_keys)
                    answered = ok_count(w)
                    if not 0 <= handled - answered <= a.connections:
                        problems.append(f"{name} /{route}: {handled} handler calls for {answered} 2xx answers from "
                                        f"wrk (allowed: 0..{a.connections} more calls, the requests in flight at the end)")
                    non2xx = {c: n for c, n in w["status"].items() if not 200 <= int(c) < 300}
                    if non2xx:
                        problems.append(f"{name} /{route}: good deliveries answered {non2xx}")
                    before_calls = settled_stats(srv)["calls"]
                    if faults:
                        problems += [f"{name} /sdk: {p}" for p in check_faults(faults, after)]
        try:
            rss_after = srv.rss()
        except OSError:  # the worker is gone: reported below
            rss_after = rss_before
        # workerd: the memory check is workers_memory() instead (its RSS grows with requests on
        # every route, /empty too, before it levels off)
        if name != "workers" and rss_after - rss_before > RSS_BOUND:
            problems.append(f"{name}: resident memory grew from {rss_before >> 20} MiB to {rss_after >> 20} MiB")
        if not srv.alive():
            problems.append(f"{name}: the server process died")
        elif identity(stats(srv)) != srv.ident:
            # gunicorn replaces a dead worker silently (workerd an isolate): the pid that answers tells
            problems.append(f"{name}: the worker {srv.ident} died (now {identity(stats(srv))})")
        else:
            ct, body = form_call(str(uuid.uuid4()))
            status, _ = http(srv, "POST", f"/sdk?token={TOKEN}", body, {"Content-Type": ct})
            if status != 200:
                problems.append(f"{name}: after the run, a good delivery is answered {status}")
    finally:
        srv.stop()
    if problems:
        problems.append(f"({name} server log: {srv.log})")
    rows = []
    for route in ROUTES:
        row = route_row(name, route, runs)
        row.update(rss_before=rss_before, rss_after=rss_after, faults=n_faults // a.rounds * len(runs[route]))
        rows.append(row)
    return rows, problems


def route_row(name: str, route: str, runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """One route's figures: medians over its rounds, and for the other routes the SDK's ratios."""
    ws = runs[route]
    row: dict[str, Any] = {
        "framework": name, "route": route, "rounds": len(ws),
        "rps": median([w["rps"] for w in ws]), "p50_ms": median([w["p50_ms"] for w in ws]),
        "p99_ms": median([w["p99_ms"] for w in ws]), "cpu_us": median([w["cpu_us"] for w in ws]),
        "socket_errors": sum(sum(w["errors"].values()) - w["errors"]["status"] for w in ws),
        "non2xx": sum(n for w in ws for c, n in w["status"].items() if not 200 <= int(c) < 300), "runs": ws,
    }
    if route != "sdk":
        # the SDK's requests/s over this route's, paired round by round
        row["sdk_ratio"] = median([s["rps"] / o["rps"] for s, o in zip(runs["sdk"], ws)])
        # this route's CPU time per request over the SDK's (above 1: the SDK costs less)
        row["sdk_cpu_ratio"] = median([o["cpu_us"] / s["cpu_us"] for s, o in zip(runs["sdk"], ws)])
    return row


#: side_by_side(): the core the servers share, and the core the load generators run on
SERVER_CPU = 0
CLIENT_CPU = (os.cpu_count() or 1) - 1


def side_by_side(name: str, python: str, corpus: str, a: argparse.Namespace) -> tuple[list[dict[str, Any]], list[str]]:
    """The three routes measured at the same time, on the same core: three processes of the app,
    all pinned to one core, each driven by its own wrk (the same corpus and connections, pinned to
    the other core) on one route; every round moves each route to the next process, so that a
    process's own luck (its memory layout, its first JIT decisions) lands on every route.

    Run one after the other, two routes see different machines: on this shared VM the speed of the
    machine itself changes from one second to the next (bench/README.md), by more than the
    receivers differ. Side by side, the kernel shares the one core among the three busy servers,
    each always has requests waiting, and whatever slows the core slows the three alike within
    milliseconds; so each route's requests/s over another's is the inverse of their cost per
    request, measured on the same machine at the same time. (The absolute requests/s are a third
    of one core's.) No fault mix here: bench_framework() runs it, and its checks, alongside wrk."""
    # Process i registers the routes rotated by i and serves ROUTES[(i + round) % 3]: in every round
    # each process's route sits at the same position of its router (the round's number), so that
    # routers that try routes in order charge the routes compared within a round alike.
    servers = [start(name, python, {SERVER_CPU}, ROUTES[i:] + ROUTES[:i]) for i in range(len(ROUTES))]
    runs: dict[str, list[dict[str, Any]]] = {r: [] for r in ROUTES}
    problems: list[str] = []
    client = {CLIENT_CPU}

    def together(assign: list[str], seconds: float) -> list[dict[str, Any]]:
        async def go() -> list[dict[str, Any]]:
            loop = asyncio.get_running_loop()
            return list(await asyncio.gather(*(
                loop.run_in_executor(None, run_wrk, srv.port, f"/{route}?token={TOKEN}", corpus, seconds,
                                     a.connections, client)
                for srv, route in zip(servers, assign))))
        cpu = [srv.cpu_seconds() for srv in servers]
        ws = asyncio.run(go())
        # Each server's CPU time per request over the same seconds: requests/s understate a
        # difference in cost when a server waits for its client now and then (the clients share
        # the other core), CPU time per request does not.
        for w, srv, before in zip(ws, servers, cpu):
            w["cpu_us"] = (srv.cpu_seconds() - before) * 1e6 / max(1, w["requests"])
        return ws

    try:
        # warm-up: every process serves every route for a round's time (imports, JIT, caches: one
        # second each left the JIT runtimes still speeding up over the first measured rounds)
        for k in range(len(ROUTES)):
            together([ROUTES[(i + k) % len(ROUTES)] for i in range(len(servers))], a.side_duration)
        for rnd in range(a.side_rounds):
            assign = [ROUTES[(i + rnd) % len(ROUTES)] for i in range(len(servers))]
            for route, w in zip(assign, together(assign, a.side_duration)):
                runs[route].append(w)
                non2xx = {c: n for c, n in w["status"].items() if not 200 <= int(c) < 300}
                if non2xx:
                    problems.append(f"{name} side by side /{route}: good deliveries answered {non2xx}")
        for i, srv in enumerate(servers):
            if not srv.alive():
                problems.append(f"{name} side by side: server process {i} died")
    finally:
        for srv in servers:
            srv.stop()
    if problems:
        problems.append(f"({name} side-by-side server logs: {', '.join(srv.log for srv in servers)})")
    return [dict(route_row(name, route, runs), side_by_side=True) for route in ROUTES], problems


#: workers_memory(): the SDK route's growth per request may be this many times /empty's ...
WORKERS_RSS_FACTOR = 1.5
#: ... plus this much over the whole run (code compiled on first use, the engine's one-offs)
WORKERS_RSS_SLACK = 16 * 2**20


def workers_memory(python: str, corpus: str, a: argparse.Namespace) -> tuple[list[str], str]:
    """The memory check for workerd, which cannot be the other frameworks' fixed bound: workerd's
    resident memory grows with the requests served on every route, /empty included (measured with
    workerd 1.20260426.1, 16 connections: about 2 KiB per request, in V8's heap and the memory
    backing the isolate's ArrayBuffers, and a gc() in the isolate gives little of it back), and
    levels off only after some 150,000 requests, about 300 MiB above the start; the full run
    serves more than that, the smoke run far less. So: two fresh workerd processes, each after a
    second of warm-up, the same wrk load on /sdk for `seconds`, then on /empty for as many
    requests; the SDK's growth per request must stay within WORKERS_RSS_FACTOR times /empty's,
    plus WORKERS_RSS_SLACK (measured: /sdk 1.05 to 1.25 times /empty). A leak of a kilobyte per
    request fails it."""
    seconds = 5.0 if a.smoke else 10.0
    got: dict[str, tuple[int, int]] = {}
    problems: list[str] = []
    # /sdk first, for `seconds`; then /empty in one-second runs until it has served as many
    # requests: the growth levels off with the requests served, so the two are compared at the
    # same count (the faster /empty would otherwise be measured further along the curve)
    for route in ("sdk", "empty"):
        srv = start("workers", python)
        try:
            # warm-up, as in the main run (code compiled on first use, the engine's one-offs)
            run_wrk(srv.port, f"/{route}?token={TOKEN}", corpus, 1, a.connections)
            before = srv.rss()
            if route == "sdk":
                n = run_wrk(srv.port, f"/{route}?token={TOKEN}", corpus, seconds, a.connections)["requests"]
            else:
                n = 0
                deadline = time.monotonic() + 3 * seconds
                while n < got["sdk"][1] and time.monotonic() < deadline:
                    n += run_wrk(srv.port, f"/{route}?token={TOKEN}", corpus, 1, a.connections)["requests"]
            got[route] = (srv.rss() - before, n)
            if not srv.alive():
                problems.append(f"workers (memory check, /{route}): the server process died")
        finally:
            srv.stop()
    (ge, ne), (gs, ns) = got["empty"], got["sdk"]
    per_e, per_s = max(ge, 0) / max(ne, 1), max(gs, 0) / max(ns, 1)
    if gs > WORKERS_RSS_FACTOR * per_e * ns + WORKERS_RSS_SLACK:
        problems.append(f"workers: resident memory grew {per_s / 1024:.2f} KiB per request on /sdk ({gs >> 20} MiB over {ns} "
                        f"requests), over {WORKERS_RSS_FACTOR}x /empty's {per_e / 1024:.2f} KiB ({ge >> 20} MiB over {ne}) "
                        f"+ {WORKERS_RSS_SLACK >> 20} MiB")
    note = (f"- workers, memory (fresh workerd per route, {seconds:.0f} s of wrk on /sdk, as many requests on /empty): /empty grew {per_e / 1024:.2f} KiB "
            f"per request over {ne} requests, /sdk {per_s / 1024:.2f} KiB over {ns} (bound: {WORKERS_RSS_FACTOR}x /empty's "
            f"+ {WORKERS_RSS_SLACK >> 20} MiB)")
    return problems, note


def axum_bin() -> str:
    return os.environ.get("PV_LOAD_AXUM_BIN", os.path.join(ROOT, "target", "release", "pvload-axum"))


def axum_inproc(corpus: str, rounds: int = 5) -> tuple[list[str], str]:
    """The axum routes' CPU time per request in process (`pvload-axum --inproc`: the same router
    called as hyper calls it, no sockets, every answer checked 200), printed beside wrk's
    requests/s: the routes' own work, which the machine's other tenants move far less than they
    move wall time (bench/README.md)."""
    try:
        out = subprocess.run([axum_bin(), "--inproc", corpus, "--rounds", str(rounds)], env=dict(os.environ, PV_LOAD_TOKEN=TOKEN),
                             capture_output=True, text=True, timeout=300, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError) as e:
        return [f"axum --inproc failed: {e}"], ""
    ns = r["cpu_ns_per_request"]
    return [], (f"- axum, in process (`pvload-axum --inproc`, thread CPU time per request, median of {r['rounds']} rounds over "
                f"{r['deliveries']} deliveries): /sdk {ns['sdk']:.0f} ns, /hand {ns['hand']:.0f} ns, /empty {ns['empty']:.0f} ns; "
                f"SDK time over hand-written {r['sdk_over_hand']:.2f}x (paired; below 1: the SDK costs less)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--smoke", action="store_true", help="2 s per route, 3 rounds of the fault mix")
    ap.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    # Many short rounds rather than a few long ones: requests/s on a shared 2-core machine swings
    # by up to 2x from one second to the next (wrk, the server and the other tenants share the
    # cores), so a median over 10 paired rounds is steadier than one over 3, in the same time.
    ap.add_argument("--duration", type=float, default=3.0, help="seconds of wrk per route and round")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--faults", type=int, default=3, help="fault-mix rounds per run (13 requests each)")
    ap.add_argument("--rounds", type=int, default=10, help="rounds of the three routes, in rotating order")
    ap.add_argument("--side-rounds", type=int, default=6,
                    help="rounds of the side-by-side measure (three routes at once on one core; 0: none)")
    ap.add_argument("--side-duration", type=float, default=3.0, help="seconds per side-by-side round")
    ap.add_argument("--python", default=sys.executable, help="the Python with fastapi/uvicorn/the SDK")
    ap.add_argument("--json", help="also write the rows here")
    a = ap.parse_args()
    if a.smoke:
        a.duration, a.faults, a.rounds = 2.0, 3, 1
        a.side_rounds, a.side_duration = 3, 1.0
    wcorpus = os.path.join(os.path.dirname(os.path.abspath(a.corpus)), "load-corpus.wrk")
    n = wrk_corpus(a.corpus, wcorpus, 2000)
    load = os.getloadavg()[0]
    print(f"Receivers under load: wrk 1 thread, {a.connections} connections, {a.duration:.0f} s per route and round, "
          f"{a.rounds} round(s) in rotating route order (figures: medians over rounds; wall time, so the other "
          f"tenants of a loaded machine weigh on them), {n} deliveries replayed round-robin; fault mix: "
          f"{a.faults} x 13 requests alongside every run, answers checked on /sdk; {os.cpu_count()} cores, "
          f"load average {load:.1f} at the start\n")
    print("| framework | route | requests/s | SDK requests/s vs this (paired) | p50 ms | p99 ms | socket errors | "
          "non-2xx | RSS before -> after (MiB) | server CPU µs/request | this route's CPU/request over the SDK's (paired) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    all_rows: list[dict[str, Any]] = []
    problems: list[str] = []
    notes: list[str] = []
    side_rows: list[dict[str, Any]] = []
    for name in a.frameworks.split(","):
        rows, p = bench_framework(name, a.python, wcorpus, a)
        problems += p
        if a.side_rounds > 0:
            srows, p = side_by_side(name, a.python, wcorpus, a)
            problems += p
            side_rows += srows
        if name == "workers":
            p, note = workers_memory(a.python, wcorpus, a)
            problems += p
            notes.append(note)
        if name == "axum":
            p, note = axum_inproc(wcorpus)
            problems += p
            notes += [note] if note else []
        all_rows += rows
        for r in rows:
            label = {"sdk": "SDK receiver", "hand": "hand-written", "empty": "empty endpoint"}[r["route"]]
            label += f" (+{r['faults']} fault-mix requests)"
            ratio = f"{r['sdk_ratio']:.2f}x" if "sdk_ratio" in r else ""
            cpu_ratio = f"{r['sdk_cpu_ratio']:.2f}x" if "sdk_cpu_ratio" in r else ""
            print(f"| {name} | {label} | {r['rps']:.0f} | {ratio} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                  f"{r['socket_errors']} | {r['non2xx']} | {r['rss_before'] / 2**20:.0f} -> {r['rss_after'] / 2**20:.0f} | "
                  f"{r['cpu_us']:.1f} | {cpu_ratio} |")
    if side_rows:
        print(f"\nSide by side: the three routes at the same time, each served by its own process of the app, "
              f"the three processes pinned to core {SERVER_CPU} and their three wrk (1 thread, {a.connections} "
              f"connections each) to core {CLIENT_CPU}; {a.side_rounds} rounds of {a.side_duration:.0f} s, every round "
              f"moving each route to the next process (figures: medians over rounds; each ratio paired within a round, "
              f"so both routes saw the same machine at the same time; the requests/s are a third of one core's)\n")
        print("| framework | route | requests/s | SDK requests/s vs this (paired) | p50 ms | p99 ms | socket errors | non-2xx | "
              "server CPU µs/request | this route's CPU/request over the SDK's (paired) |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in side_rows:
            label = {"sdk": "SDK receiver", "hand": "hand-written", "empty": "empty endpoint"}[r["route"]] + ", side by side"
            ratio = f"{r['sdk_ratio']:.2f}x" if "sdk_ratio" in r else ""
            cpu_ratio = f"{r['sdk_cpu_ratio']:.2f}x" if "sdk_cpu_ratio" in r else ""
            print(f"| {r['framework']} | {label} | {r['rps']:.0f} | {ratio} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                  f"{r['socket_errors']} | {r['non2xx']} | {r['cpu_us']:.1f} | {cpu_ratio} |")
    print(f"\n- load average at the end: {os.getloadavg()[0]:.1f}")
    for note in notes:
        print(note)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"load_start": load, "rows": all_rows, "side_by_side": side_rows, "problems": problems,
                       "notes": notes}, f, indent=1)
    if problems:
        print("\nload checks FAILED:", file=sys.stderr)
        for msg in problems:
            print(f"  - {msg}", file=sys.stderr)
        sys.exit(1)
    print("- load checks: ok (exactly-once at the handler, error codes, memory bound, no dead worker)")


if __name__ == "__main__":
    main()
