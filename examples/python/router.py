"""Route PrimeVOX events by kind with pv.Router (checked by mypy --strict: each handler gets its
kind's class).

    python router.py < body.form        # content type decided from the body
"""

import sys

import primevox_webhooks as pv

router = pv.Router(timeout=10)


@router.on("call.inbound")
def ringing_in(event: pv.InboundCall) -> None:
    print(f"call from {event.caller_e164() or 'a hidden number'} to {event.did_number}")


@router.on("message.inbound")
async def text(event: pv.InboundMessage) -> None:
    print(f"text from {event.from_number}: {event.message_text or ''}")


router.on("voicemail.left", lambda e: print(f"voicemail for extension {e.extension_number}"))


@router.on_error
def report(error: Exception, event: pv.AnyEvent) -> None:
    print(f"handler failed for {event.kind}: {error!r}", file=sys.stderr)


if __name__ == "__main__":
    import asyncio

    body = sys.stdin.buffer.read()
    kind = "application/json" if body.lstrip().startswith(b"{") else "application/x-www-form-urlencoded"
    asyncio.run(router.dispatch_async(pv.parse(body, kind)))
