// The README's security example, run as written (test/types/readme-blocks.mjs extracts it).
import { test, expect } from 'vitest';
import worker from '../types/.readme/keeping-strangers-out-0.ts';

const CALL = 'eventType=InboundCall&containerId=1001&tenantId=42&callUuid=0f8e5c62-4b7d-4c1e-9a3b-2d6f8e1c7a90';
const post = (url) => new Request(url, { method: 'POST', body: CALL, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const ctx = { waitUntil() {} };

test('token from env: 200 with it, 401 without or wrong, 401 for everything when unset', async () => {
  const env = { WEBHOOK_TOKEN: 'a-long-random-secret' };
  expect((await worker.fetch(post('https://hooks.example.com/?token=a-long-random-secret'), env, ctx)).status).toBe(200);
  expect((await worker.fetch(post('https://hooks.example.com/'), env, ctx)).status).toBe(401);
  expect((await worker.fetch(post('https://hooks.example.com/?token=guess'), env, ctx)).status).toBe(401);
  expect((await worker.fetch(post('https://hooks.example.com/?token='), {}, ctx)).status).toBe(401);
});
