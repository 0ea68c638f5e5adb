/**
 * What reading one SOAP answer costs: `compileSoapOperation(...).read(text)`
 * on every recorded answer of the SOAP connectors (population, tax,
 * social-insurance), as soap-upstream.ts calls it per lookup
 * (`npm run bench:soap-read -- [options]`).
 *
 *   --ms 300                  timed milliseconds per fixture and run
 *   --repeat 3                runs; each figure printed is the runs' median
 *   --only found-full         fixtures whose connector/file name contains this
 *   --module dist/x/soap-fast-path.js
 *                             another build of soap-fast-path.js to measure in the
 *                             same process, interleaved (repeatable), e.g. the
 *                             previous version copied under dist/ to compare
 *
 * Prints, per fixture and module: µs of CPU per read (user + system over a
 * loop of reads) and bytes allocated per read. Bytes are the growth of V8's used heap over
 * a batch of reads that fits in the young generation, so no collection runs
 * inside it; run with `node --expose-gc --max-semi-space-size=64` (the npm
 * script does) or the figure is refused. The machine's other load shows in
 * the µs: compare the modules within one run, not across runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import soap from 'soap';
import { connectorFile } from '../src/connector-kit/connector-files.js';
import type { CompiledSoapOperation, compileSoapOperation as Compile } from '../src/connector-kit/soap-fast-path.js';

const { values } = parseArgs({
  options: {
    ms: { type: 'string', default: '300' },
    repeat: { type: 'string', default: '3' },
    module: { type: 'string', multiple: true, default: [] },
    only: { type: 'string', default: '' },
  },
});
const timedMs = Number(values.ms);
const repeat = Number(values.repeat);
const gc = (globalThis as { gc?: () => void }).gc;

/** The SOAP connectors, their WSDL and which operation answered each fixture (as their client tests pair them). */
const connectors = [
  { id: 'population', wsdl: 'population.wsdl', operationOf: (fixture: string) => (fixture.startsWith('xac-thuc') ? 'XacThucThongTinCongDan' : 'TraCuuThongTinCongDan') },
  { id: 'tax', wsdl: 'tax.wsdl', operationOf: (fixture: string) => (fixture.startsWith('nghia-vu') ? 'TraCuuNghiaVuThue' : 'TraCuuThongTinNNT') },
  { id: 'social-insurance', wsdl: 'social-insurance.wsdl', operationOf: () => 'TraCuuThongTinNguoiThamGia' },
];

interface Module {
  label: string;
  compile: typeof Compile;
}

const modules: Module[] = [{ label: 'this build', compile: (await import('../src/connector-kit/soap-fast-path.js')).compileSoapOperation }];
for (const path of values.module) {
  modules.push({ label: path, compile: ((await import(pathToFileURL(resolve(path)).href)) as { compileSoapOperation: typeof Compile }).compileSoapOperation });
}

interface Case {
  name: string;
  text: string;
  /** One compiled operation per module, same order. */
  operations: CompiledSoapOperation[];
}

const cases: Case[] = [];
for (const connector of connectors) {
  const client = await soap.createClientAsync(connectorFile(connector.id, connector.wsdl), { endpoint: 'http://127.0.0.1:9/' });
  const compiled = new Map<string, CompiledSoapOperation[]>();
  for (const fixture of readdirSync(connectorFile(connector.id, 'fixtures')).filter((file) => file.endsWith('.xml')).sort()) {
    if (!`${connector.id}/${fixture}`.includes(values.only)) continue;
    const name = connector.operationOf(fixture);
    if (!compiled.has(name)) compiled.set(name, modules.map((module) => module.compile(client, name)));
    cases.push({ name: `${connector.id}/${fixture}`, text: readFileSync(connectorFile(connector.id, 'fixtures', fixture), 'utf8'), operations: compiled.get(name)! });
  }
}

// Whatever the modules are, they must read every fixture alike, or the comparison means nothing.
for (const { name, text, operations } of cases) {
  const [first, ...others] = operations.map((operation) => JSON.stringify(operation.read(text)));
  for (const other of others) if (other !== first) throw new Error(`${name}: the modules read it differently`);
}

/** Reads a batch is timed by; the result is kept so the reads are not optimised away. */
let sink: unknown;

/** CPU time (user + system) per read over a loop of reads: on a shared machine, time spent waiting for a core is not counted. */
function microsecondsPerRead(operation: CompiledSoapOperation, text: string): number {
  let reads = 0;
  const started = process.cpuUsage();
  const until = process.hrtime.bigint() + BigInt(timedMs) * 1_000_000n;
  while (process.hrtime.bigint() < until) {
    for (let i = 0; i < 100; i += 1) sink = operation.read(text);
    reads += 100;
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / reads;
}

function bytesPerRead(operation: CompiledSoapOperation, text: string): number | undefined {
  if (!gc) return undefined;
  const batch = 200;
  const results: unknown[] = new Array(batch);
  gc();
  const before = getHeapStatistics();
  for (let i = 0; i < batch; i += 1) results[i] = operation.read(text);
  const after = getHeapStatistics();
  sink = results;
  // A collection inside the batch would free what was counted: refuse the figure rather than print a wrong one.
  if (after.used_heap_size < before.used_heap_size || after.total_heap_size !== before.total_heap_size) return undefined;
  // The results array itself, allocated before the batch, is not counted.
  return (after.used_heap_size - before.used_heap_size) / batch;
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// Warm up every module on every fixture, so the timed runs see optimised code.
for (const { text, operations } of cases) for (const operation of operations) for (let i = 0; i < 2000; i += 1) sink = operation.read(text);

const micros = cases.map(() => modules.map(() => [] as number[]));
const bytes = cases.map(() => modules.map(() => [] as number[]));
for (let run = 0; run < repeat; run += 1) {
  cases.forEach(({ text, operations }, caseIndex) => {
    operations.forEach((operation, moduleIndex) => {
      micros[caseIndex]![moduleIndex]!.push(microsecondsPerRead(operation, text));
      const allocated = bytesPerRead(operation, text);
      if (allocated !== undefined) bytes[caseIndex]![moduleIndex]!.push(allocated);
    });
  });
}

const columns = modules.map((module, index) => `[${index}] µs/read  B/read`).join('   ');
console.log(modules.map((module, index) => `[${index}] ${module.label}`).join('\n'));
console.log(`${'fixture'.padEnd(60)} ${'bytes'.padStart(6)}   ${columns}`);
cases.forEach(({ name, text }, caseIndex) => {
  const cells = modules.map((_module, moduleIndex) => {
    const allocated = bytes[caseIndex]![moduleIndex]!;
    return `${median(micros[caseIndex]![moduleIndex]!).toFixed(2).padStart(12)} ${(allocated.length > 0 ? Math.round(median(allocated)).toString() : 'n/a').padStart(7)}`;
  });
  console.log(`${name.padEnd(60)} ${String(Buffer.byteLength(text)).padStart(6)}   ${cells.join('   ')}`);
});
void sink;
