#!/usr/bin/env node
// Benchmark (not a test): times the JSON record reader alone against bare JSON.parse of the same
// decompressed bytes, per input shape, and prints the ratio reader/bare.
//
//   node scripts/bench-readers.mjs [DIR] [--rounds N] [--shape WORD] [--module PATH ...]
//
// DIR defaults to .bench/in-100000 (make it with `BENCH_SIZES=100000 npm run bench`). Every file
// is read and gunzipped into memory first, so neither disk nor zlib is timed. Two synthetic shapes
// are added: a large top-level array and a pretty-printed one. Each --module names a compiled
// json-stream.js (default: this checkout's dist/read/json-stream.js); several modules are timed
// in interleaved rounds so their figures come from the same minute on a noisy machine. Figures are
// CPU time of the process (user + system, GC threads included), the median of the rounds: on a
// shared machine wall time mostly measures the neighbours. "stream" is the same reader behind
// readRecords (records.js next to the module) fed by a Readable, as an import runs it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { prng } from './prng.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const modules = [];
let rounds = 7;
let only = '';
let dir = path.join(root, '.bench/in-100000');
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--module') modules.push(path.resolve(args[(i += 1)]));
  else if (args[i] === '--rounds') rounds = Number(args[(i += 1)]);
  else if (args[i] === '--shape') only = args[(i += 1)];
  else dir = path.resolve(args[i]);
}
if (modules.length === 0) modules.push(path.join(root, 'dist/read/json-stream.js'));
if (!existsSync(dir)) {
  process.stderr.write(`${dir} is missing: generate it with BENCH_SIZES=100000 npm run bench\n`);
  process.exit(2);
}

/** gunzip emits 16 KiB chunks and a file stream 64 KiB ones: the reader sees those sizes. */
const GZIP_CHUNK = 16 * 1024;
const FILE_CHUNK = 64 * 1024;

function listFiles(folder) {
  const out = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (/\.(json|ndjson|log)(\.gz)?$/.test(entry.name) && entry.name !== 'planted.json')
      out.push(full);
  }
  return out;
}

function syntheticRecords(count) {
  const random = prng(9);
  const records = [];
  for (let i = 0; i < count; i += 1) {
    records.push({
      id: `evt-${i}`,
      time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      actor: { name: `user${Math.floor(random() * 500)}@bank.example`, type: 'User' },
      message: i % 7 === 0 ? 'quote " backslash \\ tab \t done' : 'Grüße, 東京 → ok',
      tags: ['a', 'b', { nested: [1, 2.5, null, true] }],
      size: Math.floor(random() * 1e6),
    });
  }
  return records;
}

function loadShapes() {
  const shapes = new Map();
  const add = (name, kind, bytes, chunkSize) => {
    const shape = shapes.get(name) ?? { kind, chunkSize, buffers: [], bytes: 0 };
    shape.buffers.push(bytes);
    shape.bytes += bytes.length;
    shapes.set(name, shape);
  };
  for (const file of listFiles(dir)) {
    const raw = readFileSync(file);
    const gzip = file.endsWith('.gz');
    const bytes = gzip ? gunzipSync(raw) : raw;
    const lines = /\.(ndjson|log)$/.test(file);
    const name = lines ? 'ndjson lines' : gzip ? 'gzip wrapper (CloudTrail)' : 'wrapper (Jira)';
    add(name, lines ? 'lines' : 'document', bytes, gzip ? GZIP_CHUNK : FILE_CHUNK);
  }
  const records = syntheticRecords(100_000);
  add('large array', 'document', Buffer.from(JSON.stringify(records)), FILE_CHUNK);
  add('pretty array', 'document', Buffer.from(JSON.stringify(records, null, 2)), FILE_CHUNK);
  return shapes;
}

function bare(shape) {
  let records = 0;
  for (const bytes of shape.buffers) {
    const text = bytes.toString('utf8');
    if (shape.kind === 'lines') {
      for (const line of text.split('\n')) {
        if (!line) continue;
        JSON.parse(line);
        records += 1;
      }
    } else {
      const value = JSON.parse(text);
      records += Array.isArray(value) ? value.length : (value.Records ?? value.issues).length;
    }
  }
  return records;
}

function reader(Splitter, shape) {
  let records = 0;
  let problems = 0;
  for (const bytes of shape.buffers) {
    const splitter = new Splitter((_record, problem) => {
      if (problem) problems += 1;
      else records += 1;
    });
    for (let at = 0; at < bytes.length; at += shape.chunkSize)
      splitter.write(bytes.subarray(at, at + shape.chunkSize));
    splitter.end();
  }
  if (problems > 0) throw new Error(`${problems} faults in valid input`);
  return records;
}

async function streamed(readRecords, shape) {
  let records = 0;
  for (const bytes of shape.buffers) {
    const chunks = [];
    for (let at = 0; at < bytes.length; at += shape.chunkSize)
      chunks.push(bytes.subarray(at, at + shape.chunkSize));
    for await (const item of readRecords(Readable.from(chunks), { input: 'json' }, '')) {
      if (item.problem) throw new Error(`fault in valid input: ${item.problem}`);
      records += 1;
    }
  }
  return records;
}

async function timedAsync(run) {
  const started = process.cpuUsage();
  const count = await run();
  const used = process.cpuUsage(started);
  return { ms: (used.user + used.system) / 1000, count };
}

function timed(run) {
  const started = process.cpuUsage();
  const count = run();
  const used = process.cpuUsage(started);
  return { ms: (used.user + used.system) / 1000, count };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const splitters = [];
for (const file of modules) {
  const { JsonRecordSplitter } = await import(pathToFileURL(file).href);
  const records = path.join(path.dirname(file), 'records.js');
  const { readRecords } = await import(pathToFileURL(records).href);
  splitters.push({ file, JsonRecordSplitter, readRecords });
}
const shapes = loadShapes();
console.log(`inputs ${dir} (${[...shapes.values()].length} shapes), ${rounds} rounds`);

const lines = [];
for (const [name, shape] of shapes) {
  if (!name.includes(only)) continue;
  const bareMs = [];
  const readerMs = splitters.map(() => []);
  const streamMs = splitters.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    const base = timed(() => bare(shape));
    bareMs.push(base.ms);
    splitters.forEach((entry, k) => {
      const result = timed(() => reader(entry.JsonRecordSplitter, shape));
      if (result.count !== base.count)
        throw new Error(`${name}: ${entry.file} read ${result.count} records, bare ${base.count}`);
      readerMs[k].push(result.ms);
    });
    for (const [k, entry] of splitters.entries()) {
      const result = await timedAsync(() => streamed(entry.readRecords, shape));
      if (result.count !== base.count)
        throw new Error(`${name}: readRecords read ${result.count} records, bare ${base.count}`);
      streamMs[k].push(result.ms);
    }
  }
  const megabytes = shape.bytes / 1e6;
  const bareMedian = median(bareMs);
  lines.push(
    `${name}: ${megabytes.toFixed(1)} MB, bare JSON.parse ${bareMedian.toFixed(0)} ms CPU`,
  );
  splitters.forEach((entry, k) => {
    const ms = median(readerMs[k]);
    const label = path.relative(root, entry.file) || entry.file;
    lines.push(
      `  ${label}: reader ${ms.toFixed(0)} ms (min ${Math.min(...readerMs[k]).toFixed(0)}), ` +
        `${(megabytes / (ms / 1000)).toFixed(0)} MB/s, reader/bare ${(ms / bareMedian).toFixed(2)}` +
        `; stream ${median(streamMs[k]).toFixed(0)} ms, ` +
        `stream/bare ${(median(streamMs[k]) / bareMedian).toFixed(2)}`,
    );
  });
}
console.log(lines.join('\n'));
