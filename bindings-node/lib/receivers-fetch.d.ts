// Types of the Fetch-API receivers (Workers fetch handler, Hono).
import type { Event, ParseErrorCode, ParseOptions } from '../events';
import type { ParseError } from './common';

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

/** Options of the receivers (as the native package's): parse options plus who may post. */
export interface ReceiverOptions<Env = unknown> extends ParseOptions {
  /**
   * The secret the sender must present (several for rotation), or a function of the Worker's
   * `env` giving it (for secrets set with `wrangler secret put`; giving none refuses everything).
   * Checked in constant time before the body is read; missing or wrong: 401 (code "unauthorized").
   */
  token?: string | readonly string[] | ((env: Env) => string | readonly string[] | undefined | null);
  /** URL query parameter carrying the token. Default "token"; null to not read the query. */
  tokenQuery?: string | null;
  /** Request header carrying the token (e.g. added by a proxy); checked before the query. */
  tokenHeader?: string;
  /** CIDR ranges of allowed senders, matched against `CF-Connecting-IP`; others: 403 ("forbidden"). */
  allow?: readonly string[];
}

/**
 * A Workers `fetch` handler: `export default { fetch: createFetchHandler(onEvent) }`. Answers 405
 * to anything but POST, 403 / 401 for a sender or token refused (see ReceiverOptions), 400 with
 * {"error":{"code","field","message"}} for a bad payload, and 200 {"ok":true} after `onEvent`
 * (unless it returns a Response). Errors thrown by `onEvent` propagate.
 */
export declare function createFetchHandler<Env = unknown, Ctx = ExecutionContextLike>(
  onEvent: EventHandler<Env, Ctx>,
  options?: ReceiverOptions<Env>,
): (request: Request, env: Env, ctx: Ctx) => Promise<Response>;

/** Hono variables set by `primevoxWebhook`: `new Hono<{ Variables: PrimevoxVariables }>()`. */
export interface PrimevoxVariables {
  primevoxEvent: Event;
}

/**
 * Hono middleware: `app.post('/hook', primevoxWebhook(), (c) => { const e = c.get('primevoxEvent'); ... })`.
 * Answers 400 with {"error":{"code","field","message"}} for a bad payload. (Typed structurally so
 * hono stays an optional dependency.)
 */
export declare function primevoxWebhook<Env = unknown>(
  options?: ReceiverOptions<Env>,
): (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  c: any,
  next: () => Promise<void>,
) => Promise<Response | void>;
