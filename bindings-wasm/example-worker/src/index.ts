// A PrimeVOX webhook receiver on Cloudflare Workers: answers 200 {"ok":true} after handling each
// event, 400 {"error":{"code","field","message"}} for a bad payload, 405 for anything but POST.
import { createFetchHandler, dedupKey, callerE164, type Event } from 'primevox-webhooks-wasm';

export default {
  fetch: createFetchHandler(async (event: Event) => {
    switch (event.kind) {
      case 'call.inbound':
        console.log(`call ${event.callUuid} from ${callerE164(event) ?? 'unknown'} to ${event.didNumber ?? '?'}`);
        break;
      case 'message.inbound':
        console.log(`text from ${event.fromNumber}: ${event.messageText ?? ''}`);
        break;
      default:
        console.log(`${event.kind} (${dedupKey(event)})`);
    }
  }),
};
