// Types of lib/calls.mjs (Call, CallTracker, CallError): the same in both JS packages.
import type { Event } from '../events.js';

/** Every call error code, in the core's order. */
export type CallErrorCode = 'not_a_call_event' | 'call_mismatch' | 'invalid_state';

/** A delivery, merge or state a call cannot take; nothing was changed. */
export declare class CallError extends Error {
  constructor(code: CallErrorCode, message?: string);
  /** The stable error code, identical in every language. */
  readonly code: CallErrorCode;
}

/** Every call error code, in the core's order. */
export declare const CALL_ERROR_CODES: readonly CallErrorCode[];

/** An extension and when: `placedBy`, `voicemail`, `answeredBy`. */
export interface CallParty {
  extensionNumber: string | null;
  extensionName: string | null;
  at: number;
}

/** The call record: the same keys and values in every language. */
export interface CallSummary {
  /** The call's callUuid, lowercased (null only for an empty call). */
  callUuid: string | null;
  direction: 'inbound' | 'outbound';
  outcome: 'placed' | 'answered' | 'voicemail' | 'missed' | 'in_progress';
  ended: boolean;
  endedAt: number | null;
  containerId: string | null;
  tenantId: string | null;
  callerIdNum: string | null;
  callerIdName: string | null;
  didNumber: string | null;
  didDescription: string | null;
  didGroup: string | null;
  cidPrefix: string | null;
  numberDialed: string | null;
  placedBy: CallParty | null;
  voicemail: CallParty | null;
  answeredBy: CallParty | null;
  queues: Array<{ queueNumber: string; at: number }>;
  ringGroups: Array<{ ringGroupNumber: string; at: number }>;
  extensionsRung: Array<{ extensionNumber: string; extensionName: string | null; at: number }>;
  firstSeenAt: number | null;
  lastSeenAt: number | null;
  deliveries: number;
}

/** The whole state of a call, as `toJSON()` returns it. */
export interface CallState {
  version: 1;
  callUuid: string | null;
  deliveries: Array<{ at: number; event: Event }>;
}

/** The deliveries of one call and the record derived from them. */
export declare class Call {
  constructor();
  /** Adds a delivery received at `atMs` (ms since the epoch): true when new, false for a retry. */
  add(event: Event, atMs: number): boolean;
  /** Adds every delivery of `other`, a call of the same callUuid. */
  merge(other: Call): void;
  /** The call record. */
  summary(): CallSummary;
  /** The whole state: `JSON.stringify(call)` is the state. */
  toJSON(): CallState;
  /** A call from its state: the object `toJSON()` returned, or its JSON text. */
  static fromJSON(state: CallState | string): Call;
}

export interface CallTrackerOptions {
  /** Hold at most this many calls: a new call beyond it evicts the least recently seen one. */
  maxCalls?: number | null;
  /** Runs with the record when a delivery ends a call for the first time. */
  onComplete?: ((record: CallSummary) => void) | null;
}

/** What `CallTracker.add` did. */
export interface Tracked {
  /** The call record after this delivery. */
  record: CallSummary;
  /** This delivery ended the call for the first time. */
  ended: boolean;
  /** The delivery was new to its call (false for a retry). */
  new: boolean;
  /** Calls evicted to stay within maxCalls, least recently seen first. */
  evicted: Call[];
}

/** Many calls, keyed by the lowercased callUuid. */
export declare class CallTracker {
  constructor(options?: CallTrackerOptions);
  add(event: Event, atMs: number): Tracked;
  /** Removes and returns the calls idle longer than `idleMs` at `nowMs`. */
  expire(nowMs: number, idleMs: number): Call[];
  /** A copy of the call with this callUuid (any case), or null. */
  get(callUuid: string): Call | null;
  /** Removes the call with this callUuid (any case) and returns it, or null. */
  remove(callUuid: string): Call | null;
  /** Removes and returns every call, least recently seen first. */
  drain(): Call[];
  /** How many calls are held. */
  readonly size: number;
}
