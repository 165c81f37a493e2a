// The shared receiver vectors (tests/receivers/*.json, format in its README) for the JavaScript
// receivers: loading, a raw HTTP/1.1 client (declared lengths that lie, chunked bodies, Expect),
// and the checks of one answer. Used by native/receiver-vectors.test.mjs (real servers on
// 127.0.0.1) and bindings-wasm/test/http/ (the example Worker under wrangler dev).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const DIR = path.join(root, 'tests', 'receivers');

/** Every vector, with the file it comes from. */
export const VECTORS = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(path.join(DIR, f), 'utf8')).vectors.map((v) => ({ file: f, ...v })));

/** The body bytes of a vector's request. */
export function bodyOf(request) {
  if (request.bodyBase64 !== undefined) return Buffer.from(request.bodyBase64, 'base64');
  if (request.bodyRepeat !== undefined) return Buffer.from(request.bodyRepeat.text.repeat(request.bodyRepeat.times), 'utf8');
  return Buffer.from(request.body ?? '', 'utf8');
}

/** The request's bytes as the vector says to send them. */
function requestBytes(port, request) {
  const body = bodyOf(request);
  const target = request.path + (request.query ? `?${request.query}` : '');
  const lines = [`${request.method} ${target} HTTP/1.1`, `host: 127.0.0.1:${port}`, 'connection: close'];
  const headers = request.headers ?? {};
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  let payload = body;
  if (request.chunked) {
    lines.push('transfer-encoding: chunked');
    const parts = [];
    for (let at = 0; at < body.length; at += 16384) {
      const chunk = body.subarray(at, at + 16384);
      parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    payload = Buffer.concat(parts);
  } else {
    if (headers['content-length'] === undefined) lines.push(`content-length: ${body.length}`);
    // Declare the whole body, send only the first bytes, and keep the connection open.
    if (request.stallAfterBytes !== undefined) payload = body.subarray(0, request.stallAfterBytes);
  }
  return [Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), payload];
}

function parseAnswer(buf) {
  for (;;) {
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = buf.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(head[0].split(' ')[1]);
    const headers = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const rest = buf.subarray(end + 4);
    if (status >= 100 && status < 200) {
      buf = rest; // an interim answer (100 Continue): the real one follows
      continue;
    }
    if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      return rest.length >= n ? { status, headers, body: rest.subarray(0, n).toString('utf8') } : null;
    }
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const parts = [];
      let at = 0;
      for (;;) {
        const nl = rest.indexOf('\r\n', at);
        if (nl < 0) return null;
        const size = parseInt(rest.subarray(at, nl).toString('latin1'), 16);
        if (size === 0) return { status, headers, body: Buffer.concat(parts).toString('utf8') };
        if (rest.length < nl + 2 + size + 2) return null;
        parts.push(rest.subarray(nl + 2, nl + 2 + size));
        at = nl + 2 + size + 2;
      }
    }
    return { status, headers, body: undefined, rest }; // delimited by the close
  }
}

/**
 * Sends a vector's request to 127.0.0.1:port over a raw socket and resolves the answer
 * `{status, headers, body}` as soon as it is complete (without waiting for a body the request
 * only declared). Rejects after `timeoutMs` without an answer.
 */
export function send(port, request, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Close gently (a reset could cut off what a proxy in between still forwards).
      sock.end();
      setTimeout(() => sock.destroy(), 1000).unref();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    sock.on('connect', () => {
      const [head, payload] = requestBytes(port, request);
      sock.write(head);
      // Send the body unless the server already answered (a refusal before the body).
      if (payload.length > 0) sock.write(payload, () => {});
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const a = parseAnswer(buf);
      if (a && a.body !== undefined) finish(null, a);
    });
    sock.on('error', () => {
      const a = parseAnswer(buf);
      if (a) finish(null, { ...a, body: a.body ?? a.rest.toString('utf8') });
      // A reset before any answer: wait for the timeout to report it.
    });
    sock.on('end', () => {
      const a = parseAnswer(buf);
      if (a) finish(null, { ...a, body: a.body ?? a.rest.toString('utf8') });
      else finish(new Error(`the connection closed without a complete answer: ${JSON.stringify(buf.toString('latin1').slice(0, 200))}`));
    });
  });
}

/** Asserts the status, JSON body and headers of `answer` against the vector. */
export function checkAnswer(v, answer) {
  const what = `${v.file} ${v.name}: ${v.description}`;
  assert.equal(answer.status, v.expect.status, `${what}\nstatus ${answer.status}, body ${answer.body}`);
  let got;
  try {
    got = JSON.parse(answer.body);
  } catch {
    assert.fail(`${what}: the body is not JSON: ${answer.body}`);
  }
  const want = v.expect.body;
  if (want.error && want.error.message === undefined) {
    assert.equal(typeof got.error?.message, 'string', what);
    assert.deepStrictEqual({ ...got, error: { ...got.error, message: undefined } }, { ...want, error: { ...want.error, message: undefined } }, what);
  } else {
    assert.deepStrictEqual(got, want, what);
  }
  assert.match(answer.headers['content-type'] ?? '', /^application\/json/, what);
  for (const [k, val] of Object.entries(v.expect.headers ?? {})) assert.equal(answer.headers[k], val, `${what}: header ${k}`);
}

/** Asserts that `answer` is what the vector expects; `events` are those the handler received. */
export function check(v, answer, events, logs) {
  const what = `${v.file} ${v.name}: ${v.description}`;
  checkAnswer(v, answer);
  if (v.expect.event) {
    assert.equal(events.length, 1, `${what}: the handler got ${events.length} events`);
    const canonical = JSON.parse(JSON.stringify(events[0]));
    for (const [k, val] of Object.entries(v.expect.event)) assert.deepStrictEqual(canonical[k], val, `${what}: event.${k}`);
  }
  if (v.expect.status !== 200 && v.handler !== 'throws') assert.equal(events.length, 0, `${what}: the handler ran`);
  if (v.expect.learn) assert.ok(logs.some((l) => /allow/i.test(l)), `${what}: no learn line in ${JSON.stringify(logs)}`);
  if (v.handler === 'throws') {
    assert.ok(logs.some((l) => l.includes('deliberate handler failure')), `${what}: the error was not logged`);
    assert.ok(!answer.body.includes('deliberate'), `${what}: the error leaked`);
  }
}
