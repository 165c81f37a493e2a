#!/usr/bin/env python3
"""Seeds core/fuzz/corpus/<target>/ (git-ignored) from the shared vectors in tests/vectors/.

parse_with and round_trip get each vector's body behind the flag bytes fuzz_targets/common.rs
reads (strict, Content-Type, small body limit, max depth); from_json gets each expected
event's canonical JSON. Idempotent: a file is named by the hash of its content.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
VECTORS = FUZZ.parents[1] / "tests" / "vectors"


def write(target: str, data: bytes) -> None:
    d = FUZZ / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    p = d / hashlib.sha1(data).hexdigest()
    if not p.exists():
        p.write_bytes(data)


def main() -> int:
    n = 0
    for path in sorted(VECTORS.glob("*.json")):
        v = json.loads(path.read_text(encoding="utf-8"))
        body = base64.b64decode(v["body_base64"]) if "body_base64" in v else v["body"].encode()
        opts = v.get("options", {})
        flags = 1 if opts.get("strict") else 0
        extra = b""
        limit = opts.get("max_body_bytes")
        if limit is not None and limit // 8 <= 255:
            flags |= 0x10
            extra += bytes([limit // 8])
        depth = opts.get("max_depth")
        if depth is not None and depth <= 255:
            flags |= 0x20
            extra += bytes([depth])
        ct = v.get("content_type")
        if ct is None:
            head = bytes([flags]) + extra
        else:
            head = bytes([flags | (7 << 1)]) + extra + ct.encode() + b"\0"
        for target in ("parse_with", "round_trip"):
            write(target, head + body)
        if "event" in v["expect"]:
            canonical = json.dumps(v["expect"]["event"], ensure_ascii=False, separators=(",", ":"))
            write("from_json", canonical.encode())
        n += 1
    print(f"seeded core/fuzz/corpus from {n} vectors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
