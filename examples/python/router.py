"""Route PrimeVOX webhooks by kind and react to completed calls (FastAPI; mypy --strict checks
that each handler gets its kind's class):

    PRIMEVOX_TOKEN=... uvicorn router:app --port 8000   # PrimeVOX posts to /primevox?token=...
"""

import os

from fastapi import FastAPI

import primevox_webhooks as pv
from primevox_webhooks.fastapi import add_webhook_route

router = pv.Router(timeout=10)  # seconds an async handler may take before it counts as failed


@router.on("call.inbound")
def ringing_in(event: pv.InboundCall) -> None:
    print(f"call from {event.caller_e164() or 'a hidden number'} to {event.did_number}")


@router.on("message.inbound")
async def text(event: pv.InboundMessage) -> None:
    print(f"text from {event.from_number}: {event.message_text or ''}")


router.on("voicemail.left", lambda e: print(f"voicemail for extension {e.extension_number}"))


@router.on_call_completed
def completed(call: pv.CallSummary) -> None:
    print(f"call {call.call_uuid} ended: {call.outcome}, {call.deliveries} deliveries")


@router.on_error
def report(error: Exception, event: pv.AnyEvent) -> None:
    print(f"handler failed for {event.kind}: {error!r}")


app = FastAPI()
# A failed handler answers 500 handler_failed, so PrimeVOX retries; answer_first=True would
# answer 200 at once and run the handlers after (a crash then loses the event).
add_webhook_route(app, "/primevox", router, token=os.environ.get("PRIMEVOX_TOKEN", "change-me-to-a-random-secret"))
