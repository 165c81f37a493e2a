// An Express app that receives PrimeVOX webhooks: `node express-receiver.mjs`, then point
// PrimeVOX at http://<host>:3000/primevox (PORT=0 picks a free port).
import express from 'express';
import { expressMiddleware, dedupKey, callerE164 } from 'primevox-webhooks';

const app = express();
const seen = new Set(); // PrimeVOX may retry a delivery: handle each one once
// app.all: the receiver owns the route for every method (405 with Allow: POST for the others).
app.all('/primevox', expressMiddleware((event) => {
  if (seen.has(dedupKey(event))) return;
  seen.add(dedupKey(event));
  console.log(JSON.stringify({ kind: event.kind, caller: callerE164(event) }));
}));
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on ${JSON.stringify(server.address())}`);
});
