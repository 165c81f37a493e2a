'use strict';
// The hand-written receiver's checks, shared by the Fastify and node:http apps: what a user
// writes with JSON.parse / URLSearchParams. Token is checked by the caller; this takes the body
// (a Buffer) and the Content-Type and returns { status, code } for a refusal, or { key, text }.
const LIMIT = 64 * 1024;
const KINDS = new Set(['inboundMessage', 'outboundMessage', 'InboundCall', 'HangupCall', 'ringAttempt', 'ExtensionAnswered', 'inboundCallCompleted', 'voicemailHangup', 'outboundCall', 'queueEntered']);
const calls = { sdk: new Map(), hand: new Map() };

function record(route, key, text) {
  const m = calls[route];
  m.set(key, (m.get(key) || 0) + 1);
  if (text && text.includes('THROW')) throw new Error('handler failed on purpose (load fault mix)');
}

function snapshot() {
  return { pid: process.pid, calls: Object.fromEntries(Object.entries(calls).map(([r, m]) => [r, Object.fromEntries(m)])) };
}

function check(buf, ct) {
  ct = ct || '';
  const text = buf.toString();
  let f;
  let required;
  if (ct.startsWith('application/json')) {
    let d;
    try {
      d = JSON.parse(text);
    } catch {
      return { status: 400, code: 'invalid_json' };
    }
    if (d === null || typeof d !== 'object') return { status: 400, code: 'invalid_json' };
    f = { eventType: d.eventType, key: d.conversationID, containerId: d.containerID, tenantId: d.tenantID, toNumber: d.toNumber, fromNumber: d.fromNumber, text: d.messageText };
    required = ['containerId', 'tenantId', 'toNumber', 'fromNumber'];
  } else if (ct.startsWith('application/x-www-form-urlencoded')) {
    const q = new URLSearchParams(text);
    f = { eventType: q.get('eventType'), key: q.get('callUuid'), containerId: q.get('containerId'), tenantId: q.get('tenantId'), callUuid: q.get('callUuid'), text: q.get('callerIdName') };
    required = ['containerId', 'tenantId', 'callUuid'];
  } else {
    return { status: 415, code: 'unsupported_content_type' };
  }
  if (!KINDS.has(f.eventType)) return { status: 400, code: 'unknown_event_type' };
  for (const r of required) if (f[r] == null || f[r] === '') return { status: 400, code: 'missing_field' };
  return { key: String(f.key), text: f.text };
}

module.exports = { LIMIT, calls, record, snapshot, check };
