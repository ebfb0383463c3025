// RFC 8785 canonicalisation: our serialiser against the `canonicalize` npm package.
//
//   cd /work/main && npx tsx tests/bench/jcs.ts [--rounds 7] [--ms 500]
//
// First checks both implementations against the RFC 8785 vectors (the six
// input/output pairs and the es6 number sequence up to 1M lines), then times them on
// ~500-byte ledger entries and on the vector inputs. Each timing runs in a fresh child
// process: in one shared process the conformance run and the other implementation
// train the JIT differently for each contender, which moved the ratio by up to 1.5x.
// Rounds alternate which implementation runs first and the ratio is taken within each
// round, because the VM's CPU speed drifts by tens of percent from minute to minute.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalize as ours } from '../../packages/ledger-core/src/jcs.ts';
import { testdataDir, testdataMissing } from '../../packages/ledger-core/test/testdata.ts';
// The package is a devDependency of ledger-core only, so it is imported by path.
import npmCanonicalize from '../../packages/ledger-core/node_modules/canonicalize/lib/canonicalize.js';
import { seededRandom } from '@casn/cli';

type Canon = (value: unknown) => string;

const theirs: Canon = (value) => {
  const text = npmCanonicalize(value);
  if (text === undefined) throw new Error('canonicalize returned undefined');
  return text;
};

const impls: Readonly<Record<string, Canon>> = { ours, canonicalize: theirs };
const IMPL_NAMES = ['ours', 'canonicalize'] as const;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
const ROUNDS = arg('rounds', 7);
const MS = arg('ms', 500);

// ---------------------------------------------------------------- conformance

const PAIRS = ['arrays', 'french', 'structures', 'unicode', 'values', 'weird'];

interface Es6Spec {
  samples: string[];
  generator: { static_u64: string[]; serial_base: string; serial_count: number; chain_seed_hex: string };
  checksums: { sha256: string; lines: number; bytes: number }[];
}

/** IEEE-754 bit patterns of the cyberphone es6testfile sequence, in order (endless). */
function* es6Bits(spec: Es6Spec): Generator<bigint> {
  const g = spec.generator;
  for (const h of g.static_u64) yield BigInt(`0x${h}`);
  const base = BigInt(`0x${g.serial_base}`);
  for (let i = 0; i < g.serial_count; i++) yield base + BigInt(i);
  const view = new DataView(new ArrayBuffer(8));
  let block: Uint8Array = Buffer.from(g.chain_seed_hex, 'hex');
  for (;;) {
    block = createHash('sha256').update(block).digest();
    const words = new DataView(block.buffer, block.byteOffset, block.byteLength);
    for (let off = 0; off < 32; off += 8) {
      const bits = words.getBigUint64(off, true);
      view.setBigUint64(0, bits);
      const d = view.getFloat64(0);
      if (d === 0 || !Number.isFinite(d)) continue;
      yield bits;
    }
  }
}

function checkConformance(dir: string, name: string, canon: Canon): string[] {
  const failures: string[] = [];
  const vec = join(dir, 'rfc8785-jcs');
  for (const pair of PAIRS) {
    const want = readFileSync(join(vec, 'output', `${pair}.json`));
    let got: string;
    try {
      got = canon(JSON.parse(readFileSync(join(vec, 'input', `${pair}.json`), 'utf8')));
    } catch (e) {
      failures.push(`${pair}.json: threw ${String(e)}`);
      continue;
    }
    if (!Buffer.from(got, 'utf8').equals(want)) failures.push(`${pair}.json: bytes differ`);
  }
  const spec = JSON.parse(readFileSync(join(vec, 'es6_numbers.json'), 'utf8')) as Es6Spec;
  const view = new DataView(new ArrayBuffer(8));
  for (const sample of spec.samples) {
    const [hex = '', want] = sample.split(',');
    view.setBigUint64(0, BigInt(`0x${hex}`));
    const got = canon(view.getFloat64(0));
    if (got !== want) failures.push(`es6 sample ${hex}: got ${got}, want ${want}`);
  }
  const targets = spec.checksums.filter((c) => c.lines <= 1_000_000);
  const hash = createHash('sha256');
  let lines = 0;
  let bytes = 0;
  let next = 0;
  const t0 = performance.now();
  for (const bits of es6Bits(spec)) {
    const target = targets[next];
    if (!target) break;
    view.setBigUint64(0, bits);
    const line = `${bits.toString(16)},${canon(view.getFloat64(0))}\n`;
    hash.update(line);
    lines++;
    bytes += line.length; // every line is ASCII
    if (lines === target.lines) {
      const digest = hash.copy().digest('hex');
      if (digest !== target.sha256 || bytes !== target.bytes) {
        failures.push(`es6 first ${target.lines} lines: sha256 ${digest} (${bytes} B), want ${target.sha256} (${target.bytes} B)`);
      }
      next++;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `  ${name.padEnd(12)} 6 pairs, ${spec.samples.length} samples, es6 checksums ${targets.map((t) => t.lines).join('/')} lines` +
      ` (${secs.toFixed(1)} s): ${failures.length === 0 ? 'all conform' : `${failures.length} FAILURES`}`,
  );
  for (const f of failures) console.log(`    ${f}`);
  return failures;
}

// ---------------------------------------------------------------- workloads


const FORMASI = ['Analis Kebijakan', 'Pranata Komputer', 'Guru Matematika', 'Perawat Terampil'];
const CATATAN = [
  'Berkas lengkap.',
  'Lamaran belum diteken.',
  'IPK ≥ 3,00 — “cumlaude”.',
  'Sanggah diterima.',
];
const TYPES = ['ApplicationSubmitted', 'DocumentsVerified', 'ScoreRecorded', 'SanggahFiled'];

/** Ledger-shaped events of about 500 canonical bytes, keys in a non-sorted order as an app would build them. */
function makeEntries(count: number): unknown[] {
  const rnd = seededRandom(20261122);
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(rnd() * 4)]}${hex(3)}-${hex(12)}`;
  const out: unknown[] = [];
  for (let seq = 0; seq < count; seq++) {
    const twk = 65 + Math.floor(rnd() * 80);
    const tiu = 80 + Math.floor(rnd() * 95);
    const tkp = 156 + Math.floor(rnd() * 70);
    out.push({
      ledger: 'casn.tangerangselatankota.go.id/2026',
      seq,
      id: uuid(),
      stream: `pelamar-${hex(8)}`,
      version: Math.floor(rnd() * 6),
      type: TYPES[seq % TYPES.length],
      schema: 1,
      at: new Date(Date.UTC(2026, 10, 22, 8) + seq * 137).toISOString(),
      actor: { id: `op-${1 + Math.floor(rnd() * 40)}`, role: 'verifikator' },
      payload: {
        formasi: FORMASI[seq % FORMASI.length],
        lokasi: { kota: 'Tangsel', kode: 3674 },
        nilai: { twk, tiu, tkp },
        bobot: Math.round(rnd() * 1e4) / 100,
        tms: rnd() < 0.2,
        dokumen: ['ijazah', 'ktp', 'foto'].slice(0, 1 + (seq % 3)),
        catatan: CATATAN[seq % CATATAN.length],
        peringkat: rnd() < 0.5 ? null : 1 + Math.floor(rnd() * 300),
      },
      prev: hex(64),
    });
  }
  return out;
}

// ---------------------------------------------------------------- timing

type Workload = 'entries' | 'vectors';

function workload(name: Workload): unknown[] {
  if (name === 'entries') return makeEntries(1000);
  const dir = testdataDir;
  if (!dir) throw new Error(testdataMissing);
  return PAIRS.map((p) => JSON.parse(readFileSync(join(dir, 'rfc8785-jcs', 'input', `${p}.json`), 'utf8')) as unknown);
}

function eventsPerSecond(canon: Canon, values: readonly unknown[], ms: number): number {
  let sink = 0;
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    for (const v of values) sink += canon(v).length;
    n += values.length;
    t = performance.now();
  } while (t - t0 < ms);
  if (sink === 0) throw new Error('nothing serialised');
  return n / ((t - t0) / 1000);
}

/** Child-process mode: warm up, time one implementation on one workload, print the rate. */
function measure(impl: string, name: Workload, ms: number): void {
  const canon = impls[impl];
  if (!canon) throw new Error(`unknown implementation ${impl}`);
  const values = workload(name);
  eventsPerSecond(canon, values, ms / 2);
  console.log(JSON.stringify({ rate: eventsPerSecond(canon, values, ms) }));
}

function measureInChild(impl: string, name: Workload): number {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, script, '--measure', impl, name, '--ms', String(MS)], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`measuring ${impl} on ${name} failed: ${child.stderr}`);
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  return (JSON.parse(last) as { rate: number }).rate;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function bench(label: string, name: Workload): void {
  const values = workload(name);
  for (const v of values) {
    if (ours(v) !== theirs(v)) throw new Error(`${label}: the two implementations disagree on ${theirs(v).slice(0, 80)}`);
  }
  const bytes = values.reduce<number>((s, v) => s + Buffer.byteLength(ours(v)), 0) / values.length;
  const rates = new Map<string, number[]>(IMPL_NAMES.map((impl) => [impl, []]));
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? IMPL_NAMES : [...IMPL_NAMES].reverse();
    const round = new Map<string, number>();
    for (const impl of order) round.set(impl, measureInChild(impl, name));
    for (const [impl, rate] of round) rates.get(impl)!.push(rate);
    ratios.push(round.get('ours')! / round.get('canonicalize')!);
  }
  console.log(`\n${label}: ${values.length} values, mean ${Math.round(bytes)} canonical bytes; ${ROUNDS} rounds, each a fresh process timing ${MS} ms after ${MS / 2} ms warm-up; medians`);
  const k = (x: number): string => `${(x / 1000).toFixed(1)}k`;
  for (const [impl, rs] of rates) {
    console.log(`  ${impl.padEnd(12)} ${k(median(rs)).padStart(8)} events/s   (min ${k(Math.min(...rs))}, max ${k(Math.max(...rs))})`);
  }
  console.log(`  ratio ours/canonicalize: ${median(ratios).toFixed(2)}x (per round: ${ratios.map((x) => x.toFixed(2)).join(' ')})`);
}

// ---------------------------------------------------------------- main

function main(): void {
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  let failed = false;
  if (!testdataDir) {
    console.log(`conformance: skipped, ${testdataMissing}`);
  } else {
    console.log('conformance (RFC 8785 vectors):');
    for (const impl of IMPL_NAMES) if (checkConformance(testdataDir, impl, impls[impl]!).length > 0) failed = true;
  }
  bench('ledger entries', 'entries');
  if (testdataDir) bench('vector inputs (the six rfc8785-jcs/input files)', 'vectors');
  if (failed) process.exitCode = 1;
}

const m = process.argv.indexOf('--measure');
if (m >= 0) measure(process.argv[m + 1] ?? '', process.argv[m + 2] as Workload, MS);
else main();
