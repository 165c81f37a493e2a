// Types of the Node receivers (Express, Fastify, node:http).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Event } from '../events';

/** Options shared by the receivers. */
export interface ReceiverOptions {
  /** Reject anything not exactly as documented. Default false. */
  strict?: boolean;
  /** Largest body read, in bytes. Default 65536. */
  maxBodyBytes?: number;
  /**
   * The secret the sender must present (several for rotation). Checked in constant time before
   * the body is read; a missing or wrong token is answered 401 (code "unauthorized").
   */
  token?: string | readonly string[];
  /** URL query parameter carrying the token. Default "token"; null to not read the query. */
  tokenQuery?: string | null;
  /** Request header carrying the token (e.g. added by a proxy); checked before the query. */
  tokenHeader?: string;
  /** CIDR ranges of allowed peer addresses; others are answered 403 (code "forbidden"). */
  allow?: readonly string[];
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
 * Express middleware: `app.post('/hook', expressMiddleware(onEvent))`. Answers 400 with
 * {"error":{"code","field","message"}} for a bad payload, 200 {"ok":true} after `onEvent` unless it
 * answered itself; errors thrown by `onEvent` go to `next(err)`. Needs the raw body: mount it
 * before express.json()/express.urlencoded(), or give those `verify: keepRawBody`.
 */
export declare function expressMiddleware<Req extends ExpressLikeRequest = ExpressLikeRequest, Res extends ServerResponse = ServerResponse>(
  onEvent: EventHandler<Req, Res>,
  options?: ReceiverOptions,
): (req: Req, res: Res, next: (err?: unknown) => void) => void;

/** `verify` callback for express.json()/express.urlencoded() that keeps the raw body as req.rawBody. */
export declare function keepRawBody(req: IncomingMessage, res: ServerResponse, buf: Buffer): void;

export interface FastifyReceiverOptions extends ReceiverOptions {
  /** Route path inside the plugin's prefix. Default "/". */
  path?: string;
  // The request and reply are Fastify's (typed loosely so fastify stays an optional dependency).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onEvent: (event: Event, request: any, reply: any) => void | Promise<void>;
}

/** Fastify plugin: `app.register(fastifyPlugin, { prefix: '/hook', onEvent })`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export declare function fastifyPlugin(instance: any, options: FastifyReceiverOptions): Promise<void>;

export interface HttpHandlerOptions extends ReceiverOptions {
  /** Called with an error thrown by onEvent (the request gets a 500). Default: console.error. */
  onError?: (err: unknown) => void;
}

/** node:http handler: `http.createServer(httpHandler(onEvent))`. Answers 405 to anything but POST. */
export declare function httpHandler(
  onEvent: EventHandler<IncomingMessage, ServerResponse>,
  options?: HttpHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void;
