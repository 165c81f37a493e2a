// Types of the Fetch-API receivers (Workers fetch handler, Hono).
import type { Event, ParseErrorCode, ParseOptions } from '../events.js';
import type { ParseError } from './common.js';
import type { ReceiverOptions } from './receiver.js';

/**
 * Reads a Fetch API `Request`'s body (at most `maxBodyBytes + 1` bytes) and `Content-Type`, and
 * parses it. Rejects with `ParseError` on a bad payload.
 */
export declare function parseRequest(request: Request, options?: ParseOptions): Promise<Event>;

/** The JSON body of a 400 answer. */
export interface ErrorBody {
  error: { code: ParseErrorCode; field: string | null; message: string };
}
/** `{"error":{"code","field","message"}}` for a ParseError. */
export declare function errorBody(err: ParseError): ErrorBody;

/** The part of the Workers `ExecutionContext` the handler passes through. */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
}

/** Called once per valid event; return a Response to answer yourself, else the answer is 200. */
export type EventHandler<Env = unknown, Ctx = ExecutionContextLike> = (
  event: Event,
  request: Request,
  env: Env,
  ctx: Ctx,
) => void | Response | Promise<void | Response>;

/** Options of the Fetch-API receivers: the core's, a token that may come from `env`, onError. */
export interface FetchReceiverOptions<Env = unknown> extends Omit<ReceiverOptions, 'token'> {
  /**
   * The secret the sender must present (several for rotation), or a function of the Worker's
   * `env` giving it (for secrets set with `wrangler secret put`; giving none refuses everything).
   * Checked in constant time before the body is read; missing or wrong: 401 (code "unauthorized").
   */
  token?: string | readonly string[] | ((env: Env) => string | readonly string[] | undefined | null);
  /** Called with an error thrown by the handler (answered 500 `handler_failed`). Default: console.error. */
  onError?: (err: unknown) => void;
}

/**
 * A Workers `fetch` handler: `export default { fetch: createFetchHandler(onEvent) }`. Answers the
 * core's refusals (405 to anything but POST, 403, 401, 400 for a declared Content-Length over the
 * limit before any of the body, 415), 400 with {"error":{"code","field","message"}} for a bad
 * payload, 200 {"ok":true} after `onEvent` (unless it returns a Response), and 500
 * `handler_failed` if it throws (logged, see `onError`).
 */
export declare function createFetchHandler<Env = unknown, Ctx = ExecutionContextLike>(
  onEvent: EventHandler<Env, Ctx>,
  options?: FetchReceiverOptions<Env>,
): (request: Request, env: Env, ctx: Ctx) => Promise<Response>;

/** Hono variables set by `primevoxWebhook`: `new Hono<{ Variables: PrimevoxVariables }>()`. */
export interface PrimevoxVariables {
  primevoxEvent: Event;
}

/**
 * Hono middleware: `app.all('/hook', primevoxWebhook(), (c) => { const e = c.get('primevoxEvent'); ... })`
 * (all methods: the receiver answers 405 itself). Answers the core's refusals and errors; a next
 * handler that throws is answered 500 `handler_failed`. (Typed structurally so hono stays an
 * optional dependency.)
 */
export declare function primevoxWebhook<Env = unknown>(
  options?: FetchReceiverOptions<Env>,
): (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  c: any,
  next: () => Promise<void>,
) => Promise<Response | void>;
