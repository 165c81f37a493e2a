// The package's types under @cloudflare/workers-types (what a Workers TypeScript project uses,
// instead of the DOM lib): handlers fit ExportedHandler<Env>.
import { createFetchHandler, parseRequest, primevoxWebhook, type Event } from 'primevox-webhooks-wasm';

interface Env {
  WEBHOOK_TOKEN: string;
  EVENTS: KVNamespace;
}

export default {
  fetch: createFetchHandler<Env, ExecutionContext>(
    async (event: Event, request, env, ctx) => {
      ctx.waitUntil(env.EVENTS.put(`${event.kind}:${request.headers.get('cf-ray') ?? ''}`, JSON.stringify(event)));
    },
    { token: (env) => env.WEBHOOK_TOKEN, allow: ['203.0.113.0/24'] },
  ),
} satisfies ExportedHandler<Env>;

export const other: ExportedHandler<Env> = {
  async fetch(request) {
    const event = await parseRequest(request);
    return Response.json({ kind: event.kind });
  },
};

export const middleware = primevoxWebhook<Env>({ token: (env) => env.WEBHOOK_TOKEN });
