// Types of Router / HandlerError (lib/router.mjs): a handler registered for a kind gets that
// kind's event type.
import type { Event, EventKind } from '../events.js';
import type { CallSummary } from './calls.js';

/** The event type of one kind (`EventOf<'call.hangup'>` is `CallHangup`). */
export type EventOf<K extends EventKind> = Extract<Event, { kind: K }>;

/** What a handler may return: anything, or a promise that `dispatch` awaits. */
export type HandlerResult = unknown;

/** A handler for the events of the kinds `K`. */
export type Handler<K extends EventKind = EventKind> = (event: EventOf<K>) => HandlerResult;

/** Called once per failed handler. */
export type ErrorHandler = (error: Error, event: Event) => HandlerResult;

/** Called with the call record when a call ends (fed by the call store). */
export type CallCompletedHandler = (record: CallSummary) => HandlerResult;

/** Where the router records call events: a CallTracker, or a store with the same `add`. */
export interface CallStore {
  add(event: Event, atMs: number): { record: CallSummary; ended: boolean } | Promise<{ record: CallSummary; ended: boolean }>;
}

export interface RouterOptions {
  /**
   * How long `dispatch` waits for each handler's promise, in milliseconds (default 30000;
   * `Infinity` or `null` for no limit). A handler still pending then counts as a failure (a
   * TimeoutError). Synchronous code cannot be interrupted in JavaScript.
   */
  timeoutMs?: number | null;
  /**
   * Where call events go, so that onCallCompleted handlers run when a call ends (default: a
   * CallTracker of at most 10000 calls, created at the first onCallCompleted).
   */
  calls?: CallStore | null;
}

/** The default of `RouterOptions.timeoutMs`. */
export declare const DEFAULT_HANDLER_TIMEOUT_MS: number;
/** How many calls the router's own CallTracker holds. */
export declare const DEFAULT_MAX_CALLS: number;

/** One or more handlers failed for an event. */
export declare class HandlerError extends Error {
  constructor(errors: Iterable<Error>, event?: Event);
  readonly name: 'HandlerError';
  /** `"handler_failed"`, as a receiver answers it. */
  readonly code: 'handler_failed';
  /** Every failure, in the order they happened (failing onError handlers last). */
  readonly errors: Error[];
  /** The event being dispatched. */
  readonly event: Event | undefined;
}

/**
 * Handlers by event kind. A kind's handlers run in registration order, then the onAny handlers;
 * an event of a kind this SDK does not know reaches `on('unknown')` and `onAny`. When a handler
 * fails the others still run, each onError handler is called once per failure, and `dispatch`
 * rejects with HandlerError.
 */
export declare class Router {
  constructor(options?: RouterOptions);
  readonly timeoutMs: number;
  /** The call store (null until `calls` is given or onCallCompleted is first called). */
  calls: CallStore | null;
  /** Registers a handler for one kind or several; throws at once for a kind that does not exist. */
  on<K extends EventKind>(kind: K | readonly K[], handler: (event: EventOf<K>) => HandlerResult): this;
  /** Registers a handler for every event, run after the kind's own handlers. */
  onAny(handler: (event: Event) => HandlerResult): this;
  /** Registers a handler called once per failed handler with (error, event). */
  onError(handler: ErrorHandler): this;
  /** Registers a handler called with the call record when a call ends. */
  onCallCompleted(handler: CallCompletedHandler): this;
  /** The handlers `event` reaches, in order. */
  handlersFor(event: Event): Array<(event: Event) => HandlerResult>;
  /** Runs the event's handlers, awaiting promises; rejects with HandlerError when any failed. */
  dispatch(event: Event): Promise<void>;
  /** Calls every onCallCompleted handler with `call`; rejects with HandlerError when any failed. */
  dispatchCallCompleted(record: CallSummary, event?: Event): Promise<void>;
}
