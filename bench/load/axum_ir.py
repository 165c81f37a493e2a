"""The axum receivers' instructions per request: the real server (target/release/pvload-axum, the
same binary run.py loads) under valgrind's callgrind, driven over 127.0.0.1 by one keep-alive
client sending requests one at a time, so the figure does not depend on the machine's load.

    python bench/load/axum_ir.py CORPUS.jsonl [--n 2000] [--count 1000] [--rounds 2]

The deliveries are the first N good ones of the corpus (those wrk.lua replays). After a warm-up
(every route over all N once), each round measures every route in a rotating order: callgrind's
counters are zeroed (``callgrind_control -z``), ``--count`` requests go to the route (each answer
must be 200), and the counters are dumped (``callgrind_control -d``); the figure is the dump's
instruction total over ``--count`` (median over rounds). It counts everything the process runs in
user space for those requests, hyper's and tokio's work included, which is the same for the
three routes: /sdk - /empty and /hand - /empty are the receivers' own work.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from run import TOKEN, free_port, good_deliveries  # noqa: E402

ROUTES = ("sdk", "hand", "empty")


def requests_for(route: str, deliveries: list[tuple[str, bytes]]) -> list[bytes]:
    """The requests as wrk sends them (wrk.format: Host, Content-Length, then the script's)."""
    out = []
    for ct, body in deliveries:
        head = (f"POST /{route}?token={TOKEN} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Length: {len(body)}\r\nContent-Type: {ct}\r\n\r\n")
        out.append(head.encode() + body)
    return out


def read_answer(sock: socket.socket, buf: bytearray) -> int:
    """Reads one answer (Content-Length framed) off the connection; its status."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed mid-answer")
        buf += chunk
    end = buf.index(b"\r\n\r\n") + 4
    head = bytes(buf[:end]).decode("latin-1")
    m = re.search(r"(?im)^content-length:\s*(\d+)", head)
    length = int(m.group(1)) if m else 0
    while len(buf) < end + length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed mid-answer")
        buf += chunk
    del buf[: end + length]
    return int(head.split(" ", 2)[1])


def drive(port: int, reqs: list[bytes], count: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buf = bytearray()
        for i in range(count):
            sock.sendall(reqs[i % len(reqs)])
            status = read_answer(sock, buf)
            if status != 200:
                raise SystemExit(f"answer {status} to request {i}")


def control(*args: str) -> None:
    subprocess.run(["callgrind_control", *args], check=True, stdout=subprocess.DEVNULL)


def total_ir(path: str) -> int:
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise SystemExit(f"no totals in {path}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--n", type=int, default=2000, help="deliveries (the first N good ones)")
    ap.add_argument("--count", type=int, default=1000, help="requests per measured batch")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--bin", default=os.environ.get("PV_LOAD_AXUM_BIN", os.path.join(ROOT, "target", "release", "pvload-axum")))
    args = ap.parse_args()

    deliveries = [(ct, body.encode()) for ct, body in good_deliveries(args.corpus, args.n)]
    reqs = {r: requests_for(r, deliveries) for r in ROUTES}
    port = free_port()
    out_dir = tempfile.mkdtemp(prefix="pv-axum-ir-")
    out = os.path.join(out_dir, "callgrind.out")
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", args.bin, str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        if not line.startswith("listening"):
            raise SystemExit(f"server did not start: {line!r}")
        for r in ROUTES:  # warm-up: every route over every delivery once
            drive(port, reqs[r], len(reqs[r]))
        figures: dict[str, list[float]] = {r: [] for r in ROUTES}
        for i in range(args.rounds):
            for r in ROUTES[i % 3:] + ROUTES[:i % 3]:
                before = set(glob.glob(out + "*"))
                control("-z", str(proc.pid))
                drive(port, reqs[r], args.count)
                control("-d", str(proc.pid))
                for _ in range(100):
                    new = sorted(set(glob.glob(out + "*")) - before)
                    if new:
                        break
                    time.sleep(0.05)
                time.sleep(0.2)  # the dump is written before callgrind_control returns; be safe
                figures[r].append(total_ir(new[-1]) / args.count)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    med = {r: statistics.median(v) for r, v in figures.items()}
    print(f"axum, instructions per request (callgrind, {args.count} requests x {args.rounds} rounds, "
          f"{len(deliveries)} deliveries)")
    print("| route | Ir/request | over /empty |")
    print("|---|---:|---:|")
    for r in ROUTES:
        print(f"| /{r} | {med[r]:,.0f} | {med[r] - med['empty']:,.0f} |")
    print(f"sdk/hand: {med['sdk'] / med['hand']:.3f}  "
          f"(receiver's own work: {(med['sdk'] - med['empty']) / (med['hand'] - med['empty']):.3f})")


if __name__ == "__main__":
    main()
