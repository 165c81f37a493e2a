// Types of the receiver options every JavaScript receiver shares (the core's receiver policy,
// checked when the receiver is created: a bad option throws a TypeError naming it).
import type { ParseOptions } from '../events.js';

/** Receiver options, the same keys in every language (Python spells them snake_case). */
export interface ReceiverOptions extends ParseOptions {
  /**
   * The secret the sender must present (several for rotation), checked in constant time before
   * the body is read; missing or wrong: 401 `unauthorized`. When the key is present its value must
   * be a URL-safe secret: `token: process.env.UNSET` (undefined), null or "" throws at creation,
   * so an unset secret never turns the check off.
   */
  token?: string | readonly string[];
  /** URL query parameter carrying the token. Default "token"; null to not read the query. */
  tokenQuery?: string | null;
  /** Request header carrying the token (checked before the query; surrounding spaces trimmed). */
  tokenHeader?: string;
  /** CIDR ranges of allowed sender addresses; others are answered 403 `forbidden`. */
  allow?: readonly string[];
  /** Accept senders outside `allow`, and log each such address (to build the list). */
  allowLearn?: boolean;
  /** Proxies (CIDR) whose X-Forwarded-For / Forwarded is believed; by default none is. */
  trustedProxies?: readonly string[];
  /**
   * A request header that carries the sender's address, trusted only because you name it (for
   * example "cf-connecting-ip" on Cloudflare, where only the edge sets it). Without it a Worker
   * knows no sender address, and `allow` refuses every request.
   */
  peerHeader?: string;
  /** How long the receiver waits for the whole body, in ms; then 408. Default 10000. */
  bodyTimeoutMs?: number;
}

/** The core's receiver table: defaults, refusals and errors (code, status, message), option names. */
export declare const RECEIVER_TABLE: {
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly refusals: ReadonlyArray<{ code: string; status: number; message: string }>;
  readonly errors: ReadonlyArray<{ code: string; status: number }>;
  readonly options: ReadonlyArray<readonly [camelCase: string, snakeCase: string]>;
  readonly contentType: string;
  readonly ok: string;
};
