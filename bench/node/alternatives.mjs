// What a JavaScript user would write instead of the SDK, shared by the Node harness (bench.mjs)
// and the Workers harness (../workers/worker.mjs, bundled). Every alternative does the same
// validation as the SDK on the benchmark corpus: documented eventType -> kind (ringAttempt split
// by eventTarget), required fields present and non-empty, one canonical camelCase name per field
// including the wire aliases, numeric JSON ids turned into their decimal text, empty values null.
// Each returns a plain object { kind, eventType, <the kind's fields> } (the SDK's shape, minus
// `extra`), or throws.

export const KIND_OF_EVENT_TYPE = {
  inboundMessage: 'message.inbound',
  outboundMessage: 'message.outbound',
  InboundCall: 'call.inbound',
  HangupCall: 'call.hangup',
  ExtensionAnswered: 'extension.answered',
  inboundCallCompleted: 'extension.hangup',
  voicemailHangup: 'voicemail.left',
  outboundCall: 'call.outbound',
  queueEntered: 'queue.entered',
};

const MSG = ['containerId', 'tenantId', 'conversationId', 'toNumber', 'fromNumber', 'messageText'];
const EXT = ['containerId', 'tenantId', 'callUuid', 'callerIdNum', 'callerIdName', 'extensionNumber', 'extensionName'];
export const FIELDS = {
  'message.inbound': MSG,
  'message.outbound': MSG,
  'call.inbound': ['containerId', 'tenantId', 'didNumber', 'didDescription', 'didGroup', 'cidPrefix', 'callUuid', 'callerIdNum', 'callerIdName'],
  'call.hangup': EXT,
  'extension.ringing': ['containerId', 'tenantId', 'callUuid', 'callerIdNum', 'extensionNumber', 'extensionName'],
  'extension.answered': EXT,
  'extension.hangup': EXT,
  'voicemail.left': EXT,
  'call.outbound': ['containerId', 'tenantId', 'callUuid', 'extensionNumber', 'extensionName', 'numberDialed'],
  'ring_group.entered': ['containerId', 'tenantId', 'callUuid', 'callerIdNum', 'ringGroupNumber'],
  'queue.entered': ['containerId', 'tenantId', 'callUuid', 'callerIdNum', 'queueNumber'],
};
export const REQUIRED = Object.fromEntries(
  Object.keys(FIELDS).map((k) => [k, k.startsWith('message.') ? ['containerId', 'tenantId', 'toNumber', 'fromNumber'] : ['containerId', 'tenantId', 'callUuid']]),
);
const ALL = [...new Set(Object.values(FIELDS).flat())];
/** wire name -> canonical name */
export const WIRE = Object.fromEntries(ALL.map((f) => [f, f]));
Object.assign(WIRE, {
  containerID: 'containerId',
  tenantID: 'tenantId',
  conversationID: 'conversationId',
  extNumber: 'extensionNumber',
  extName: 'extensionName',
  rgNumber: 'ringGroupNumber',
});
const ALIASES = Object.fromEntries(ALL.map((f) => [f, Object.keys(WIRE).filter((w) => WIRE[w] === f)]));

export function isJson(contentType) {
  return contentType != null && contentType.startsWith('application/json');
}

function kindOf(eventType, target) {
  if (eventType === 'ringAttempt') return target === 'ringGroup' ? 'ring_group.entered' : 'extension.ringing';
  const kind = KIND_OF_EVENT_TYPE[eventType];
  if (kind === undefined) throw new Error(`unknown eventType ${eventType}`);
  return kind;
}

/** Builds the canonical object from canonical-name -> value pairs already collected. */
function build(kind, eventType, fields) {
  for (const r of REQUIRED[kind]) {
    if (fields[r] === undefined) throw new Error(`missing ${r}`);
  }
  const out = { kind, eventType };
  for (const f of FIELDS[kind]) out[f] = fields[f] ?? null;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hand-written: JSON.parse / URLSearchParams, one pass over the pairs

function takeField(fields, name, v) {
  if (v === null || v === '' || fields[name] !== undefined) return;
  if (typeof v === 'number') v = String(v);
  else if (typeof v !== 'string') throw new Error(`${name}: wrong type`);
  fields[name] = v;
}

/** `text` is the body as a string (the caller decodes bytes with a TextDecoder / toString). */
export function handParse(text, contentType) {
  let eventType;
  let target;
  const fields = {};
  if (isJson(contentType)) {
    const data = JSON.parse(text);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('not an object');
    for (const k in data) {
      const name = WIRE[k];
      if (name !== undefined) takeField(fields, name, data[k]);
      else if (k === 'eventType') eventType = data[k];
      else if (k === 'eventTarget') target = data[k];
    }
  } else {
    for (const [k, v] of new URLSearchParams(text)) {
      const name = WIRE[k];
      if (name !== undefined) takeField(fields, name, v);
      else if (k === 'eventType') eventType = v;
      else if (k === 'eventTarget') target = v;
    }
  }
  return build(kindOf(eventType, target), eventType, fields);
}

// ---------------------------------------------------------------------------------------------
// zod 4: a discriminated union on eventType (aliases as optional keys), then one transform that
// folds the aliases into canonical names and checks the required fields

/** `z` is the zod 4 namespace (import * as z from 'zod'). Returns parse(text, contentType). */
export function makeZod(z) {
  const id = z.union([z.string(), z.number()]).nullable().optional();
  const str = z.string().nullable().optional();
  const objectFor = (eventType, kind, extraFields = []) => {
    const shape = { eventType: z.literal(eventType), eventTarget: z.string().optional() };
    for (const f of [...FIELDS[kind], ...extraFields]) {
      for (const w of ALIASES[f]) shape[w] = f.endsWith('Id') && f !== 'callUuid' ? id : str;
    }
    return z.object(shape);
  };
  const options = Object.entries(KIND_OF_EVENT_TYPE).map(([t, kind]) => objectFor(t, kind));
  options.push(objectFor('ringAttempt', 'extension.ringing', ['ringGroupNumber']));
  const schema = z.discriminatedUnion('eventType', options).transform((o, ctx) => {
    const kind = kindOf(o.eventType, o.eventTarget);
    const out = { kind, eventType: o.eventType };
    for (const f of FIELDS[kind]) {
      let v = null;
      for (const w of ALIASES[f]) {
        const x = o[w];
        if (x !== undefined && x !== null && x !== '') {
          v = typeof x === 'number' ? String(x) : x;
          break;
        }
      }
      out[f] = v;
    }
    for (const r of REQUIRED[kind]) {
      if (out[r] === null) {
        ctx.issues.push({ code: 'custom', message: `missing ${r}`, input: o, path: [r] });
        return z.NEVER;
      }
    }
    return out;
  });
  return (text, contentType) => {
    const data = isJson(contentType) ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
    return schema.parse(data);
  };
}

// ---------------------------------------------------------------------------------------------
// ajv: one compiled JSON Schema per eventType (types, required-or-alias, non-empty), numbers
// coerced to strings by ajv; then the alias folding into canonical names

/** `Ajv` is the ajv 8 default export. Returns parse(text, contentType). */
export function makeAjv(Ajv) {
  const ajv = new Ajv({ coerceTypes: true, allErrors: false });
  const schemaFor = (kind, extraFields = []) => {
    const properties = { eventType: { type: 'string' }, eventTarget: { type: 'string' } };
    for (const f of [...FIELDS[kind], ...extraFields]) {
      for (const w of ALIASES[f]) properties[w] = { type: ['string', 'null'] };
    }
    const allOf = REQUIRED[kind].map((r) => ({
      anyOf: ALIASES[r].map((w) => ({ required: [w], properties: { [w]: { type: 'string', minLength: 1 } } })),
    }));
    return { type: 'object', properties, required: ['eventType'], allOf };
  };
  const validators = {};
  for (const [t, kind] of Object.entries(KIND_OF_EVENT_TYPE)) validators[t] = ajv.compile(schemaFor(kind));
  validators.ringAttempt = ajv.compile(schemaFor('extension.ringing', ['ringGroupNumber']));
  return (text, contentType) => {
    const data = isJson(contentType) ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
    const validate = validators[data?.eventType];
    if (validate === undefined) throw new Error(`unknown eventType ${data?.eventType}`);
    if (!validate(data)) throw new Error(ajv.errorsText(validate.errors));
    const kind = kindOf(data.eventType, data.eventTarget);
    const out = { kind, eventType: data.eventType };
    for (const f of FIELDS[kind]) {
      let v = null;
      for (const w of ALIASES[f]) {
        const x = data[w];
        if (x !== undefined && x !== null && x !== '') {
          v = x;
          break;
        }
      }
      out[f] = v;
    }
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// Minimal: the code a user writes from the vendor's page. Messages: a plain JSON.parse and
// property reads. Calls: one URLSearchParams.get per documented wire name of the kind. No
// generic alias map over every pair.

/** The documented wire names per kind: [canonical, wire]. */
const MSG_WIRE = [['containerId', 'containerID'], ['tenantId', 'tenantID'], ['conversationId', 'conversationID'], ['toNumber', 'toNumber'], ['fromNumber', 'fromNumber'], ['messageText', 'messageText']];
const EXT_SHORT = [['containerId', 'containerId'], ['tenantId', 'tenantId'], ['callUuid', 'callUuid'], ['callerIdNum', 'callerIdNum'], ['callerIdName', 'callerIdName'], ['extensionNumber', 'extNumber'], ['extensionName', 'extName']];
export const DOCUMENTED_WIRE = {
  'message.inbound': MSG_WIRE,
  'message.outbound': MSG_WIRE,
  'call.inbound': [['containerId', 'containerId'], ['tenantId', 'tenantId'], ['didNumber', 'didNumber'], ['didDescription', 'didDescription'], ['didGroup', 'didGroup'], ['cidPrefix', 'cidPrefix'], ['callUuid', 'callUuid'], ['callerIdNum', 'callerIdNum'], ['callerIdName', 'callerIdName']],
  'call.hangup': EXT_SHORT,
  'extension.hangup': EXT_SHORT,
  'voicemail.left': EXT_SHORT,
  'extension.ringing': [['containerId', 'containerId'], ['tenantId', 'tenantId'], ['callUuid', 'callUuid'], ['callerIdNum', 'callerIdNum'], ['extensionNumber', 'extNumber'], ['extensionName', 'extName']],
  'extension.answered': [['containerId', 'containerId'], ['tenantId', 'tenantId'], ['callUuid', 'callUuid'], ['callerIdNum', 'callerIdNum'], ['callerIdName', 'callerIdName'], ['extensionNumber', 'extensionNumber'], ['extensionName', 'extensionName']],
  'call.outbound': [['containerId', 'containerId'], ['tenantId', 'tenantId'], ['callUuid', 'callUuid'], ['extensionNumber', 'extNumber'], ['extensionName', 'extName'], ['numberDialed', 'numberDialed']],
  'ring_group.entered': [['containerId', 'containerId'], ['tenantId', 'tenantId'], ['callUuid', 'callUuid'], ['callerIdNum', 'callerIdNum'], ['ringGroupNumber', 'rgNumber']],
  'queue.entered': [['containerId', 'containerId'], ['tenantId', 'tenantId'], ['callUuid', 'callUuid'], ['callerIdNum', 'callerIdNum'], ['queueNumber', 'queueNumber']],
};

const idText = (v) => (typeof v === 'number' ? String(v) : v === '' || v === undefined ? null : v);
const text = (v) => (v === '' || v === undefined ? null : v);

function required(e) {
  for (const r of REQUIRED[e.kind]) if (e[r] === null) throw new Error(`missing ${r}`);
  return e;
}

/** `text` is the body as a string. */
export function minimalParse(body, contentType) {
  if (isJson(contentType)) {
    const d = JSON.parse(body);
    if (d.eventType !== 'inboundMessage' && d.eventType !== 'outboundMessage') throw new Error(`unexpected JSON eventType ${d.eventType}`);
    if (typeof d.messageText !== 'string' && d.messageText !== undefined) throw new Error('messageText: wrong type');
    return required({
      kind: d.eventType === 'inboundMessage' ? 'message.inbound' : 'message.outbound',
      eventType: d.eventType,
      containerId: idText(d.containerID),
      tenantId: idText(d.tenantID),
      conversationId: idText(d.conversationID),
      toNumber: text(d.toNumber),
      fromNumber: text(d.fromNumber),
      messageText: text(d.messageText),
    });
  }
  const q = new URLSearchParams(body);
  const eventType = q.get('eventType');
  const kind = kindOf(eventType, q.get('eventTarget'));
  const e = { kind, eventType };
  for (const [canonical, wire] of DOCUMENTED_WIRE[kind]) e[canonical] = q.get(wire) || null;
  return required(e);
}

/** Parse, then read every field of the kind (the SDK also its eventType and extra), as a handler would. */
export function loopRead(parse) {
  return (items) => {
    let n = 0;
    for (let i = 0; i < items.length; i++) {
      const e = parse(items[i][0], items[i][1]);
      const fields = FIELDS[e.kind];
      for (let j = 0; j < fields.length; j++) {
        const v = e[fields[j]];
        if (v !== null) n += v.length;
      }
      n += e.eventType.length;
      if (e.extra !== undefined) n += e.extra.length ?? Object.keys(e.extra).length;
    }
    return n;
  };
}

