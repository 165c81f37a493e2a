// Route PrimeVOX webhooks by kind and react to completed calls, on node:http:
// `PRIMEVOX_TOKEN=... node router-receiver.mjs`, then point PrimeVOX at
// http://<host>:3000/primevox?token=... (PORT=0 picks a free port).
import http from 'node:http';
import { Router, httpHandler, callerE164 } from 'primevox-webhooks';

const router = new Router({ timeoutMs: 10_000 }) // a handler still pending then counts as failed
  .on('call.inbound', (event) => console.log(`call from ${callerE164(event) ?? 'a hidden number'} to ${event.didNumber}`))
  .on('message.inbound', async (event) => console.log(`text from ${event.fromNumber}: ${event.messageText ?? ''}`))
  .on('voicemail.left', (event) => console.log(`voicemail for extension ${event.extensionNumber}`))
  .onCallCompleted((call) => console.log(`call ${call.callUuid} ended: ${call.outcome}, ${call.deliveries} deliveries`))
  .onError((error, event) => console.error(`handler failed for ${event.kind}:`, error));

// A failed handler answers 500 handler_failed, so PrimeVOX retries; answerFirst: true would
// answer 200 at once and run the handlers after (a crash then loses the event).
const token = process.env.PRIMEVOX_TOKEN ?? 'change-me-to-a-random-secret';
const server = http.createServer(httpHandler(router, { token }));
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on ${JSON.stringify(server.address())}`);
});
