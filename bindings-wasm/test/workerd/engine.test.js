// The engine's own paths around the module (js/engine.js): the Receiver's checkJoined through the
// input area, its verdicts by number, agrees with check (the request as parts) for many distinct
// verdicts, past the number the module keeps, and across a reset.
import { test, expect } from 'vitest';
import 'primevox-webhooks-wasm'; // initialises the module before the engine is evaluated
import engine from '../../js/engine.js';

test('checkJoined gives the text check gives, for more distinct verdicts than the module keeps', () => {
  for (let round = 0; round < 2; round++) {
    const r = new engine.Receiver(JSON.stringify({ token: 's3cret', allow: ['10.0.0.0/8'], peerHeader: 'x-real-ip', maxBodyBytes: 100 }));
    for (let i = 0; i < 300; i++) {
      const peer = i % 3 === 0 ? `192.0.2.${i & 255}` : `10.0.${i >> 8}.${i & 255}`;
      const query = i % 5 === 0 ? 'token=wrong' : 'token=s3cret';
      const method = i % 7 === 0 ? 'GET' : 'POST';
      const headers = ['x-real-ip', peer, 'content-length', String(i % 100), 'content-type', 'application/json'];
      let joined = `${method}\0-\0${query}`;
      for (let k = 0; k < headers.length; k += 2) joined += `\0${headers[k]}\0${headers[k + 1]}`;
      const want = r.check(method, undefined, query, headers);
      expect(r.checkJoined(joined)).toBe(want);
      // again: now by its number
      expect(r.checkJoined(joined)).toBe(want);
    }
    if (round === 0) expect(() => engine.trapForTests()).toThrow(/the module was reset/);
  }
});

test('checkJoined with the number of headers: the same text, or null for a NUL inside a part', () => {
  const r = new engine.Receiver(JSON.stringify({ token: 's3cret', allow: ['10.0.0.0/8'], peerHeader: 'x-real-ip' }));
  const joined = 'POST\0-\0token=s3cret\0x-real-ip\x0010.1.2.3\0content-length\x005';
  expect(r.checkJoined(joined, 2)).toBe(r.checkJoined(joined));
  expect(r.checkJoined(joined, 2)).toBe(r.check('POST', undefined, 'token=s3cret', ['x-real-ip', '10.1.2.3', 'content-length', '5']));
  for (const [request, pairs] of [
    [joined, 1],
    [joined, 3],
    ['POST\0-\0token=s3cret\0x-real-ip\x00192.0.2.1\0x-real-ip\x0010.1.2.3', 1],
    ['POST\0-\0token=s3cret\0x-real-ip\0x-real-ip\x0010.1.2.3', 1],
    ['PO\0ST\0-\0token=s3cret', 0],
    ['POST\0-', 0],
  ]) {
    expect(r.checkJoined(request, pairs)).toBe(null);
  }
  // and the next request is answered as before
  expect(r.checkJoined(joined, 2)).toBe(r.checkJoined(joined));
});
