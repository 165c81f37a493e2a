"""Handle every kind of PrimeVOX event with `match` (checked by mypy --strict).

    python match_kinds.py < body.form        # content type decided from the body
"""

import sys

from typing import assert_never

import primevox_webhooks as pv


def describe(event: pv.AnyEvent) -> str:
    match event:
        case pv.InboundMessage(from_number=sender, message_text=text):
            return f"text from {sender}: {text or ''}"
        case pv.OutboundMessage(to_number=recipient):
            return f"text sent to {recipient}"
        case pv.InboundCall(did_number=did, caller_id_num=caller):
            return f"call to {did or 'a number'} from {event.caller_e164() or caller or 'unknown'}"
        case pv.CallHangup(call_uuid=uuid):
            return f"call {uuid} ended"
        case pv.ExtensionRinging(extension_number=ext):
            return f"extension {ext} ringing"
        case pv.ExtensionAnswered(extension_number=ext, caller_id_name=name):
            return f"extension {ext} answered {name}"
        case pv.ExtensionHangup(extension_number=ext):
            return f"extension {ext} hung up"
        case pv.VoicemailLeft(extension_number=ext, caller_id_num=caller):
            return f"voicemail for {ext} from {caller}"
        case pv.OutboundCall(number_dialed=dialed):
            return f"outbound call to {dialed}"
        case pv.RingGroupEntered(ring_group_number=group):
            return f"ring group {group}"
        case pv.QueueEntered(queue_number=queue):
            return f"queue {queue}"
        case pv.UnknownEvent(event_type=event_type):
            return f"unknown event {event_type!r} with {len(event.extra)} fields"
        case _:
            assert_never(event)


def main() -> int:
    body = sys.stdin.buffer.read()
    try:
        event = pv.parse(body)
    except pv.ParseError as err:
        print(f"rejected: {err.code} ({err.field}): {err}", file=sys.stderr)
        return 1
    print(describe(event))
    return 0


if __name__ == "__main__":
    sys.exit(main())
