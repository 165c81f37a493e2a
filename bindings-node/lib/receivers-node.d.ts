// Types of the Node receivers (Express, Fastify, node:http).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Event } from '../events.js';
import type { ReceiverOptions } from './receiver.js';

/** Options of the Node receivers: the core's, and where a handler's error goes. */
export interface NodeReceiverOptions extends ReceiverOptions {
  /**
   * Called with an error thrown by the handler (the sender gets 500 `handler_failed`, without
   * details). Default: logged with console.error.
   */
  onError?: (err: unknown) => void;
}

/** A request as the Express middleware sees it (structural, so express stays optional). */
export interface ExpressLikeRequest extends IncomingMessage {
  body?: unknown;
  /** The raw body, when a body parser kept it (see keepRawBody). */
  rawBody?: Buffer | string;
  /** Set by expressMiddleware before it calls the handler. */
  primevoxEvent?: Event;
}

export type EventHandler<Req, Res> = (event: Event, req: Req, res: Res) => void | Promise<void>;

/**
 * Express middleware: `app.all('/hook', expressMiddleware(onEvent))` (all methods: the receiver
 * answers 405 itself). Answers the core's refusals and errors, 200 {"ok":true} after `onEvent`
 * unless it answered itself, and 500 `handler_failed` when it throws (logged, see `onError`).
 * Needs the raw body: mount it before express.json()/express.urlencoded(), or give those
 * `verify: keepRawBody`; otherwise 500 `body_consumed`, whose message names the fix.
 */
export declare function expressMiddleware<Req extends ExpressLikeRequest = ExpressLikeRequest, Res extends ServerResponse = ServerResponse>(
  onEvent: EventHandler<Req, Res>,
  options?: NodeReceiverOptions,
): (req: Req, res: Res, next: (err?: unknown) => void) => void;

/** `verify` callback for express.json()/express.urlencoded() that keeps the raw body as req.rawBody. */
export declare function keepRawBody(req: IncomingMessage, res: ServerResponse, buf: Buffer): void;

export interface FastifyReceiverOptions extends NodeReceiverOptions {
  /** Route path inside the plugin's prefix. Default "/". */
  path?: string;
  // The request and reply are Fastify's (typed loosely so fastify stays an optional dependency).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onEvent: (event: Event, request: any, reply: any) => void | Promise<void>;
}

/**
 * Fastify plugin: `app.register(fastifyPlugin, { prefix: '/hook', onEvent })`. Owns its route for
 * every method (405 for anything but POST) and reads the raw body itself.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export declare function fastifyPlugin(instance: any, options: FastifyReceiverOptions): Promise<void>;

/** Options of httpHandler. */
export type HttpHandlerOptions = NodeReceiverOptions;

/**
 * node:http handler: `http.createServer(httpHandler(onEvent))`. Answers the core's refusals
 * (405 to anything but POST, 403, 401, 400, 408 for a body slower than `bodyTimeoutMs`, 415),
 * 200 {"ok":true} after `onEvent` unless it answered itself, 500 `handler_failed` if it throws.
 */
export declare function httpHandler(
  onEvent: EventHandler<IncomingMessage, ServerResponse>,
  options?: HttpHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void;
