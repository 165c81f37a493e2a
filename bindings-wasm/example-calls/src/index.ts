// Calls on Cloudflare Workers: one Durable Object per call keeps the call's state (the core's
// Call, saved as its JSON state in the object's storage) and answers its record. The receiver
// stamps each delivery with the time it got it and routes it to the object named after the
// call's lowercased callUuid; messages and unknown events are acknowledged and not routed.
import { Call, CallError, createFetchHandler, type CallSummary, type Event } from 'primevox-webhooks-wasm';

export interface Env {
  CALLS: DurableObjectNamespace;
}

/** What the object answers for a delivery: the record and whether this delivery ended the call. */
export interface Added {
  record: CallSummary;
  ended: boolean;
  new: boolean;
}

/** One call. Its state is read, changed and written back with no other request in between. */
export class CallObject {
  constructor(private readonly state: DurableObjectState) {}

  async fetch(request: Request): Promise<Response> {
    if (request.method === 'GET') {
      const saved = await this.state.storage.get<string>('call');
      return saved === undefined ? Response.json({ error: 'unknown call' }, { status: 404 }) : Response.json(Call.fromJSON(saved).summary());
    }
    // Read the request before the critical section: awaiting it there would let another delivery in.
    const { event, at } = (await request.json()) as { event: Event; at: number };
    return this.state.blockConcurrencyWhile(async () => {
      const saved = await this.state.storage.get<string>('call');
      const call = saved === undefined ? new Call() : Call.fromJSON(saved);
      const wasEnded = call.summary().ended;
      const isNew = call.add(event, at);
      await this.state.storage.put('call', JSON.stringify(call));
      const record = call.summary();
      const ended = record.ended && !wasEnded;
      if (ended && record.outcome === 'missed') {
        // Text the caller back, open a CRM ticket, ...
        console.log(`missed call from ${record.callerIdNum ?? 'unknown'} to ${record.didNumber ?? '?'}`);
      }
      const added: Added = { record, ended, new: isNew };
      return Response.json(added);
    });
  }
}

/** The object of a call: named after the call's key, as the core computes it. */
function callObject(env: Env, event: Event, at: number): DurableObjectStub | null {
  const probe = new Call();
  try {
    probe.add(event, at);
  } catch (err) {
    if (err instanceof CallError) return null; // a message or an unknown event
    throw err;
  }
  return env.CALLS.get(env.CALLS.idFromName(probe.summary().callUuid as string));
}

const receive = createFetchHandler<Env>(async (event, _request, env) => {
  const at = Date.now();
  const stub = callObject(env, event, at);
  if (stub === null) return;
  const res = await stub.fetch('https://call/', { method: 'POST', body: JSON.stringify({ event, at }) });
  return Response.json({ ok: true, call: ((await res.json()) as Added).record });
});

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const id = /^\/calls\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && id) {
      // The key is the lowercased callUuid (deliveries whose ids differ only in case are one call).
      return env.CALLS.get(env.CALLS.idFromName(decodeURIComponent(id[1]).toLowerCase())).fetch('https://call/');
    }
    return receive(request, env, ctx);
  },
};
