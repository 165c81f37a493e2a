// The load app (workers_app.mjs) with one more route, for load/workers_ir.py --inproc: the three
// routes called in the isolate, one request after another, with no HTTP connection in front
// (pvload-axum --inproc's idea for workerd). Built by `node workers_build.mjs OUTDIR
// workers_inproc.mjs`; not what run.py serves.
//
//   POST /__inproc?route=sdk&n=N   body: wrk.lua's corpus (content-type TAB body, one a line).
//     Calls the app's fetch N times with a Request per delivery (round-robin, as wrk.lua replays
//     them: a POST to /ROUTE?token=..., its Content-Type and Content-Length), awaiting each
//     answer; answers {"requests": N, "ok": <2xx answers>}.
//
// Everything a routed request costs is in it: the app's routing (new URL), the route, the
// Response; plus building the Request, the same for every route (/sdk - /empty is the receiver's
// own work, as under wrk).
import app from './workers_app.mjs';

const encoder = new TextEncoder();

// The corpus of the last call, encoded once (the harness sends the same one every time: encoding
// it per call would cost as much per request as a route).
let lastText = '';
let lastCorpus = [];

function corpusOf(text) {
  if (text === lastText) return lastCorpus;
  const out = [];
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) out.push([line.slice(0, tab), encoder.encode(line.slice(tab + 1))]);
  }
  lastText = text;
  lastCorpus = out;
  return out;
}

async function loop(request, env, ctx) {
  const url = new URL(request.url);
  const route = url.searchParams.get('route');
  const n = Number(url.searchParams.get('n'));
  const corpus = corpusOf(await request.text());
  const target = `http://127.0.0.1/${route}?token=${encodeURIComponent(env.PV_LOAD_TOKEN)}`;
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const [ct, body] = corpus[i % corpus.length];
    const req = new Request(target, {
      method: 'POST',
      headers: { 'content-type': ct, 'content-length': String(body.length) },
      body,
    });
    const res = await app.fetch(req, env, ctx);
    if (res.status >= 200 && res.status < 300) ok++;
  }
  return Response.json({ requests: n, ok });
}

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname === '/__inproc') return loop(request, env, ctx);
    return app.fetch(request, env, ctx);
  },
};
