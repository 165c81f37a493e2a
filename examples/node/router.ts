// Router: each handler gets its kind's event type (checked by tsc --strict; a handler for the
// wrong kind does not compile).
import { Router, HandlerError, type CallHangup, type Event } from 'primevox-webhooks';

export const router = new Router({ timeoutMs: 10_000 })
  .on('call.inbound', (event) => console.log('call from', event.callerIdNum, 'to', event.didNumber))
  .on('message.inbound', async (event) => console.log('text from', event.fromNumber, ':', event.messageText ?? ''))
  .on('voicemail.left', (event) => console.log('voicemail for extension', event.extensionNumber))
  .on(['call.hangup', 'extension.hangup'], (event) => console.log(event.kind, event.callUuid))
  .onAny((event: Event) => console.log('seen', event.kind))
  .onError((error, event) => console.error('handler failed for', event.kind, error));

export async function handle(event: Event): Promise<void> {
  try {
    await router.dispatch(event);
  } catch (err) {
    if (err instanceof HandlerError) console.error(err.errors.length, 'handler(s) failed');
    throw err;
  }
}

function onlyHangups(event: CallHangup): void {
  console.log(event.callUuid);
}
router.on('call.hangup', onlyHangups);
// @ts-expect-error: a CallHangup handler cannot take inbound calls
router.on('call.inbound', onlyHangups);
// @ts-expect-error: messages have no callUuid
router.on('message.inbound', (event) => event.callUuid);
// @ts-expect-error: not a kind
router.on('call.nope', () => {});
