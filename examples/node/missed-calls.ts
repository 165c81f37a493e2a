// Text back missed callers: every delivery goes into a CallTracker; when a call completes as
// missed, onComplete gets its record. Idle calls (never completed) are flushed every minute.
import { parse, CallTracker, CallError, type CallSummary, type Tracked } from 'primevox-webhooks';

function textBack(record: CallSummary): void {
  if (record.outcome === 'missed' && record.callerIdNum !== null) {
    console.log(`text back ${record.callerIdNum} (called ${record.didNumber ?? 'us'})`);
  }
}

const tracker = new CallTracker({ maxCalls: 100_000, onComplete: textBack });

export function onWebhook(body: string, contentType: string | null): Tracked | null {
  const event = parse(body, contentType);
  try {
    return tracker.add(event, Date.now());
  } catch (err) {
    if (err instanceof CallError && err.code === 'not_a_call_event') return null; // a message
    throw err;
  }
}

export function flushIdle(): number {
  const stale = tracker.expire(Date.now(), 15 * 60_000);
  for (const call of stale) console.log('gave up on', call.summary().callUuid, JSON.stringify(call).length, 'bytes');
  return stale.length;
}
