// Exhaustive handling of every kind: `switch (event.kind)` narrows the event to one interface,
// and the `never` check stops compiling when a kind is added and not handled here.
import { parse, ParseError, type Event } from 'primevox-webhooks';

export function describe(event: Event): string {
  switch (event.kind) {
    case 'message.inbound':
      return `SMS from ${event.fromNumber} to ${event.toNumber}: ${event.messageText ?? ''}`;
    case 'message.outbound':
      return `SMS sent from ${event.fromNumber} to ${event.toNumber}`;
    case 'call.inbound':
      return `call ${event.callUuid} from ${event.callerIdNum ?? 'unknown'} to ${event.didNumber ?? '?'}`;
    case 'call.hangup':
      return `call ${event.callUuid} ended${event.extensionNumber ? ` (answered by ${event.extensionNumber})` : ''}`;
    case 'extension.ringing':
      return `extension ${event.extensionNumber ?? '?'} ringing for ${event.callerIdNum ?? 'unknown'}`;
    case 'extension.answered':
      return `extension ${event.extensionNumber ?? '?'} answered ${event.callUuid}`;
    case 'extension.hangup':
      return `extension ${event.extensionNumber ?? '?'} hung up ${event.callUuid}`;
    case 'voicemail.left':
      return `voicemail from ${event.callerIdName ?? event.callerIdNum ?? 'unknown'}`;
    case 'call.outbound':
      return `extension ${event.extensionNumber ?? '?'} dialed ${event.numberDialed ?? '?'}`;
    case 'ring_group.entered':
      return `ring group ${event.ringGroupNumber ?? '?'} for ${event.callUuid}`;
    case 'queue.entered':
      return `queue ${event.queueNumber ?? '?'} for ${event.callUuid}`;
    case 'unknown':
      return `unknown event ${event.eventType} with ${event.extra.length} fields`;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function handle(body: Buffer, contentType: string | undefined): { status: number; body: string } {
  try {
    return { status: 200, body: describe(parse(body, contentType)) };
  } catch (err) {
    if (err instanceof ParseError) {
      // err.code is the ParseErrorCode union: a typo here would not compile.
      const status = err.code === 'body_too_large' ? 413 : 400;
      return { status, body: JSON.stringify({ error: { code: err.code, field: err.field } }) };
    }
    throw err;
  }
}
