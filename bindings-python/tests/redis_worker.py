"""One receiver process of test_redis_store: waits for its peer (a counter in Redis), adds n
deliveries of the shared call, then the hangup; prints whether it completed the call and how
many transactions it had to retry because the peer changed the call in between."""

from __future__ import annotations

import sys
import time

import redis

import primevox_webhooks as pv
from primevox_webhooks.redis_store import RedisCallStore

port, name, n, call_id = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
client = redis.Redis(host="127.0.0.1", port=port)
store = RedisCallStore(client, prefix="race:")
form = "application/x-www-form-urlencoded"
events = [
    pv.parse(
        f"eventType=ringAttempt&eventTarget=extension&containerId=1&tenantId=2"
        f"&callUuid={call_id.upper()}&extNumber={name}{i}".encode(),
        form,
    )
    for i in range(n)
]
hangup = pv.parse(f"eventType=HangupCall&containerId=1&tenantId=2&callUuid={call_id}".encode(), form)
# A barrier: both processes start adding at the same moment.
client.incr(f"ready:{call_id}")
deadline = time.monotonic() + 30
while int(client.get(f"ready:{call_id}") or 0) < 2:
    assert time.monotonic() < deadline, "the other process never became ready"
    time.sleep(0.001)
for i, e in enumerate(events):
    assert store.add(e, 1000 + i).new
completed = store.add(hangup, 5000).ended
print(int(completed), store.conflicts)
