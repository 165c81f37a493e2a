// The README's Hono example, type-checked by tests/ci/wasm.sh (tsc --strict).
import { Hono } from 'hono';
import { primevoxWebhook, type PrimevoxVariables } from 'primevox-webhooks-wasm';

const app = new Hono<{ Variables: PrimevoxVariables }>();
app.post('/hook', primevoxWebhook(), (c) => c.json({ kind: c.get('primevoxEvent').kind }));
export default app;
