// The Fastify and node:http receivers, typed: options, handler arguments and the token check.
import http from 'node:http';
import Fastify from 'fastify';
import { fastifyPlugin, httpHandler, verifyToken, type Event } from 'primevox-webhooks';

const token = process.env.PRIMEVOX_TOKEN ?? 'change-me';

function record(event: Event): void {
  if (event.kind === 'voicemail.left') console.log('voicemail', event.callUuid, event.extensionNumber);
}

// Fastify: the plugin keeps the raw body of both encodings in its own context.
export async function startFastify(port: number) {
  const app = Fastify();
  await app.register(fastifyPlugin, {
    prefix: '/primevox',
    token: [token],
    onEvent: async (event, _request, reply) => {
      record(event);
      if (event.kind === 'unknown') return reply.code(202).send({ ignored: event.eventType });
    },
  });
  await app.listen({ port, host: '127.0.0.1' });
  return app;
}

// node:http: one handler, 401 without the token, 400 on a bad payload, 200 otherwise.
export function startHttp(port: number): http.Server {
  return http
    .createServer(httpHandler((event) => record(event), { token, tokenHeader: 'x-primevox-token', maxBodyBytes: 32_768 }))
    .listen(port, '127.0.0.1');
}

export const tokenOk: boolean = verifyToken('presented', [token, 'previous-token']);
