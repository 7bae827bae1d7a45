// PouchDB baseline for benchmark #1: initial replication of the same records that the
// Lietvedis sync benchmark pulls, from an express-pouchdb server on loopback into an empty
// on-disk PouchDB (LevelDB), timed end to end (transfer, revision bookkeeping, write).
//
// usage: node pouchdb_pull.js RECORDS FIELDS RUNS [PROXY_BIN PROFILE PUSH_DOCS]
// prints one JSON object: {"records":R,"fields":F,"runs_ms":[...],"median_ms":M}
//
// With PROXY_BIN (tests/support/link_proxy_main.cpp, lv_link_proxy) the replication crosses the
// same simulated link as the Lietvedis sync benchmark (PROFILE: office, mobile or poor), and the
// object also holds the bytes on the wire each way, counted by the proxy (HTTP messages with
// their headers): "bytes_down"/"bytes_up" (medians of the pulls), and for a push of PUSH_DOCS
// new documents from a client database to the server, "push": {"docs","median_ms",
// "bytes_up","bytes_down"}.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const express = require('express');
const PouchDB = require('pouchdb-node');

const records = parseInt(process.argv[2] || '1000', 10);
const fields = parseInt(process.argv[3] || '8', 10);
const runs = parseInt(process.argv[4] || '5', 10);
const proxyBin = process.argv[5] || '';
const profile = process.argv[6] || 'mobile';
const pushDocs = parseInt(process.argv[7] || '50', 10);

// The link proxy as a child process: its address, and its counters on request.
function startProxy(upstream) {
  const { spawn } = require('child_process');
  const child = spawn(proxyBin, ['--upstream', upstream, '--profile', profile, '--seed', '42'],
                      { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffered = '';
  const waiting = [];
  child.stdout.on('data', (chunk) => {
    buffered += chunk.toString();
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(line);
    }
  });
  const nextLine = () => new Promise((resolve) => waiting.push(resolve));
  return nextLine().then((url) => ({
    url,
    counters: () => { const p = nextLine(); child.stdin.write('counters\n'); return p.then(JSON.parse); },
    stop: () => child.stdin.end(),
  }));
}

function makeDoc(i) {
  // The same shape as the Lietvedis benchmark's rows: an id and F text/integer fields.
  const doc = { _id: 'row' + String(i).padStart(8, '0') };
  for (let f = 0; f < fields; f++) {
    doc['f' + f] = f % 2 === 0 ? 'vērtība-' + i + '-' + f : i * 31 + f;
  }
  return doc;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-pouch-'));
  const ServerPouch = PouchDB.defaults({ prefix: path.join(tmp, 'server-') });
  const app = express();
  app.use('/', require('express-pouchdb')(ServerPouch, { logPath: path.join(tmp, 'log.txt'), mode: 'minimumForPouchDB' }));
  const server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const port = server.address().port;

  const source = new ServerPouch('cases');
  for (let i = 0; i < records; i += 1000) {
    const docs = [];
    for (let j = i; j < Math.min(records, i + 1000); j++) docs.push(makeDoc(j));
    await source.bulkDocs(docs);
  }

  const proxy = proxyBin ? await startProxy('http://127.0.0.1:' + port) : null;
  const base = proxy ? proxy.url : 'http://127.0.0.1:' + port;
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

  const times = [], down = [], up = [];
  for (let r = 0; r < runs; r++) {
    const target = new PouchDB(path.join(tmp, 'client-' + r));
    const before = proxy ? await proxy.counters() : null;
    const t0 = process.hrtime.bigint();
    const result = await PouchDB.replicate(base + '/cases', target, { batch_size: 1000, batches_limit: 4 });
    const t1 = process.hrtime.bigint();
    if (result.docs_written !== records) throw new Error('replicated ' + result.docs_written + ' of ' + records);
    times.push(Number(t1 - t0) / 1e6);
    if (proxy) {
      const after = await proxy.counters();
      down.push(after.bytes_down - before.bytes_down);
      up.push(after.bytes_up - before.bytes_up);
    }
    await target.destroy();
  }
  const out = { records, fields, runs_ms: times, median_ms: median(times) };
  if (proxy) {
    out.profile = profile;
    out.bytes_down = median(down);
    out.bytes_up = median(up);
    // A push of new documents (a day's work) from a client database into the server's.
    const push = { docs: pushDocs, runs_ms: [], bytes_up: [], bytes_down: [] };
    for (let r = 0; r < runs; r++) {
      const local = new PouchDB(path.join(tmp, 'push-' + r));
      const docs = [];
      for (let i = 0; i < pushDocs; i++) docs.push(makeDoc(records + r * pushDocs + i));
      await local.bulkDocs(docs);
      const before = await proxy.counters();
      const t0 = process.hrtime.bigint();
      const result = await PouchDB.replicate(local, base + '/cases', { batch_size: 1000 });
      const t1 = process.hrtime.bigint();
      if (result.docs_written !== pushDocs) throw new Error('pushed ' + result.docs_written + ' of ' + pushDocs);
      const after = await proxy.counters();
      push.runs_ms.push(Number(t1 - t0) / 1e6);
      push.bytes_up.push(after.bytes_up - before.bytes_up);
      push.bytes_down.push(after.bytes_down - before.bytes_down);
      await local.destroy();
    }
    out.push = { docs: pushDocs, median_ms: median(push.runs_ms), bytes_up: median(push.bytes_up),
                 bytes_down: median(push.bytes_down) };
    proxy.stop();
  }
  server.close();
  await source.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(JSON.stringify(out));
}

main().catch((e) => { console.error('pouchdb baseline failed: ' + e.message); process.exit(1); });
