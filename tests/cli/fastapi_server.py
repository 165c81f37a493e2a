"""Serves examples/python/fastapi_receiver.py on 127.0.0.1, on a port the system picks, and
prints ``port N`` once it listens (for tests/ci/cli.sh). Stops on SIGTERM."""

import socket
import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "python"))
from fastapi_receiver import app  # noqa: E402

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
sock.listen(128)  # connections queue from now on, before uvicorn has started
print(f"port {sock.getsockname()[1]}", flush=True)
server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
server.run(sockets=[sock])
