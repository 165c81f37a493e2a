// The Fastify and node:http receivers, typed: options, handler arguments and the token check.
// The token comes from the environment and nowhere else: an unset PRIMEVOX_TOKEN stops the app
// (the receivers would also refuse `token: undefined` when they are created).
import http from 'node:http';
import Fastify from 'fastify';
import { fastifyPlugin, httpHandler, verifyToken, type Event } from 'primevox-webhooks';

function requiredToken(): string {
  const token = process.env.PRIMEVOX_TOKEN;
  if (!token) {
    throw new Error(
      'set PRIMEVOX_TOKEN to a long random URL-safe secret, for example the output of ' +
        `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
  return token;
}

function record(event: Event): void {
  if (event.kind === 'voicemail.left') console.log('voicemail', event.callUuid, event.extensionNumber);
}

// Fastify: the plugin owns its route for every method, and reads the raw body itself.
export async function startFastify(port: number) {
  const app = Fastify();
  await app.register(fastifyPlugin, {
    prefix: '/primevox',
    token: [requiredToken()],
    onEvent: async (event, _request, reply) => {
      record(event);
      if (event.kind === 'unknown') return reply.code(202).send({ ignored: event.eventType });
    },
    onError: (err) => console.error('webhook handler failed', err),
  });
  await app.listen({ port, host: '127.0.0.1' });
  return app;
}

// node:http: one handler; the sender checks, the body limit and timeout, then the handler.
export function startHttp(port: number): http.Server {
  const options = { token: requiredToken(), tokenHeader: 'x-primevox-token', maxBodyBytes: 32_768, bodyTimeoutMs: 5_000 };
  return http.createServer(httpHandler((event) => record(event), options)).listen(port, '127.0.0.1');
}

export function tokenOk(presented: string): boolean {
  return verifyToken(presented, [requiredToken(), process.env.PRIMEVOX_PREVIOUS_TOKEN ?? requiredToken()]);
}
