// PouchDB baseline for benchmark #1: initial replication of the same records that the
// Lietvedis sync benchmark pulls, from an express-pouchdb server on loopback into an empty
// on-disk PouchDB (LevelDB), timed end to end (transfer, revision bookkeeping, write).
//
// usage: node pouchdb_pull.js RECORDS FIELDS RUNS
// prints one JSON object: {"records":R,"fields":F,"runs_ms":[...],"median_ms":M}
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const express = require('express');
const PouchDB = require('pouchdb-node');

const records = parseInt(process.argv[2] || '1000', 10);
const fields = parseInt(process.argv[3] || '8', 10);
const runs = parseInt(process.argv[4] || '5', 10);

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

  const times = [];
  for (let r = 0; r < runs; r++) {
    const target = new PouchDB(path.join(tmp, 'client-' + r));
    const t0 = process.hrtime.bigint();
    const result = await PouchDB.replicate('http://127.0.0.1:' + port + '/cases', target, { batch_size: 1000, batches_limit: 4 });
    const t1 = process.hrtime.bigint();
    if (result.docs_written !== records) throw new Error('replicated ' + result.docs_written + ' of ' + records);
    times.push(Number(t1 - t0) / 1e6);
    await target.destroy();
  }
  server.close();
  await source.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(JSON.stringify({ records, fields, runs_ms: times, median_ms: median }));
}

main().catch((e) => { console.error('pouchdb baseline failed: ' + e.message); process.exit(1); });
