// Type-level checks of the package's .d.ts (tsc --strict --noEmit; never run).
import {
  parse,
  ParseError,
  encode,
  dedupKey,
  callerE164,
  ERROR_CODES,
  KINDS,
  parseRequest,
  createFetchHandler,
  type Event,
  type EventKind,
  type ParseErrorCode,
} from 'primevox-webhooks-wasm';

const e: Event = parse(new Uint8Array(0), null, { strict: true, maxBodyBytes: 10, maxDepth: 4 });
const k: EventKind = e.kind;
const codes: readonly ParseErrorCode[] = ERROR_CODES;
const kinds: readonly EventKind[] = KINDS;
const wire: { contentType: string; body: string } = encode(e);
const key: string = dedupKey(e);
const caller: string | null = callerE164(e);
if (e.kind === 'call.inbound') {
  const uuid: string = e.callUuid;
  const did: string | null = e.didNumber;
  console.log(uuid, did);
}
try {
  parse('x');
} catch (err) {
  if (err instanceof ParseError) {
    const c: ParseErrorCode = err.code;
    const f: string | null = err.field;
    console.log(c, f);
  }
}
async function handler(req: Request): Promise<Event> {
  return parseRequest(req, { strict: false });
}
interface Env {
  SECRET: string;
}
const worker = {
  fetch: createFetchHandler<Env>((event, request, env) => {
    console.log(event.kind, request.url, env.SECRET);
    return new Response('done');
  }),
} satisfies { fetch: (r: Request, env: Env, ctx: ExecutionContextLikeForCheck) => Promise<Response> };
type ExecutionContextLikeForCheck = { waitUntil(p: Promise<unknown>): void };
console.log(k, codes, kinds, wire, key, caller, handler, worker);
