/**
 * `pnpm bench [--scenario NAME]`: throughput and latency of the ledger against the
 * PostgreSQL server of DATABASE_URL, each figure beside a baseline measured in the same
 * process on the same database, printed as one JSON line per scenario. The machine is
 * noisy, so read the ratios, not the absolute figures.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ANY, EventStore, KeyStore, migrateToLatest, openDatabase, type Database, type EventDraft } from '@casn/event-store';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { detectScenario, httpScoreScenario, rebuildScenario } from './service.ts';

const SCENARIOS = ['append-1x16', 'append-1x256', 'append-100x16', 'verify-1m', 'prove-1m', 'http-score-64', 'rebuild-1m', 'detect-1m'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values } = parseArgs({ options: { scenario: { type: 'string' }, events: { type: 'string' } } });
const chosen = values.scenario;
if (chosen !== undefined && !SCENARIOS.includes(chosen as Scenario)) {
  console.error(`unknown scenario ${chosen}; one of: ${SCENARIOS.join(', ')}`);
  process.exit(2);
}
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('pnpm bench needs a PostgreSQL server (fsync on): set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres');
  process.exit(2);
}
const LEDGER_SIZE = Number(values.events ?? 1_000_000);

const log = (msg: string): void => void process.stderr.write(`bench: ${msg}\n`);

/** A realistic recruitment event of about 500 canonical bytes. */
function draft(i: number): EventDraft {
  return {
    type: 'SkdScoreRecorded',
    actor: { id: `officer-${i % 37}`, role: 'officer' },
    payload: {
      applicationId: `APP-2026-${String(i).padStart(8, '0')}`,
      formasiId: `F-${i % 11}`,
      jabatan: 'Ahli Pertama - Pranata Komputer',
      lokasi: 'Dinas Komunikasi dan Informatika Kota Tangerang Selatan',
      scores: { twk: 65 + (i % 80), tiu: 80 + (i % 90), tkp: 166 + (i % 59) },
      source: 'cat-import',
      sessionNo: i % 12,
      notes: 'Nilai diambil dari ekspor CAT BKN sesi pagi',
      reused: false,
    },
  };
}

function report(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(fields)}\n`);
}

/** Runs `total` operations from `callers` concurrent loops; returns operations per second. */
async function drive(total: number, callers: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = next++; i < total; i = next++) await op(i);
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number, d = 2): number => Number(n.toFixed(d));

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `ledger_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const settings = await admin.query<{ fsync: string; synchronous_commit: string }>(
    "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit",
  );
  const { fsync, synchronous_commit } = settings.rows[0]!;
  if (fsync !== 'on' || synchronous_commit === 'off') {
    await admin.end();
    throw new Error(`the bench measures durable commits: the server has fsync=${fsync}, synchronous_commit=${synchronous_commit}`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function appendScenario(database: Database, store: EventStore, callers: number, batch: number, events: number): Promise<void> {
  const scenario = `append-${batch}x${callers}`;
  const origin = `bench.casn.example/${scenario}`;
  const bodies = Array.from({ length: 1000 }, (_, i) => JSON.stringify(draft(i)));
  await database.query('CREATE TABLE IF NOT EXISTS bench_plain (id bigserial PRIMARY KEY, stream text NOT NULL, body text NOT NULL)');
  const calls = Math.floor(events / batch);
  // Warm both paths (connections, plans, JIT) before measuring.
  await drive(200, callers, (i) => store.append(`${origin}-warm`, `s-${i}`, ANY, Array.from({ length: batch }, (_, j) => draft(i * batch + j))));
  const baselinePool = new pg.Pool({ connectionString: (database as Database & { url?: string }).url, max: Math.min(callers, 80) });
  baselinePool.on('error', () => undefined);

  const plainSql = batch === 1
    ? 'INSERT INTO bench_plain (stream, body) VALUES ($1, $2)'
    : `INSERT INTO bench_plain (stream, body) VALUES ${Array.from({ length: batch }, (_, j) => `($${2 * j + 1}, $${2 * j + 2})`).join(', ')}`;
  const plain = (i: number) =>
    baselinePool.query(plainSql, Array.from({ length: batch }, (_, j) => [`s-${i}`, bodies[(i * batch + j) % bodies.length]]).flat());
  await drive(200, callers, plain);

  log(`${scenario}: ${calls} appends of ${batch} from ${callers} callers`);
  const ledgerRate = (await drive(calls, callers, (i) => store.append(origin, `s-${i % 5000}`, ANY, Array.from({ length: batch }, (_, j) => draft(i * batch + j))))) * batch;
  const baseRate = (await drive(calls, callers, plain)) * batch;
  await baselinePool.end();
  report({
    scenario,
    eventsPerSec: Math.round(ledgerRate),
    baseline: batch === 1 ? `plain single-row INSERT, one commit per event, ${callers} callers` : `multi-row INSERT of ${batch} unchained rows, ${callers} callers`,
    baselinePerSec: Math.round(baseRate),
    ratio: round(ledgerRate / baseRate),
  });
}

async function buildLedger(store: EventStore, origin: string, size: number): Promise<void> {
  const have = await store.size(origin).catch(() => 0);
  const group = 1000;
  let done = have;
  const start = performance.now();
  await drive(Math.ceil((size - have) / group), 4, async (g) => {
    const n = Math.min(group, size - have - g * group);
    await store.appendAll(origin, [{ stream: `s-${g % 20_000}`, expectedVersion: ANY, events: Array.from({ length: n }, (_, j) => draft(g * group + j)) }]);
    done += n;
    if (done % 100_000 < group) log(`built ${done}/${size} entries (${Math.round(done / ((performance.now() - start) / 1000))}/s)`);
  });
}

async function verifyScenario(database: Database, store: EventStore, origin: string): Promise<void> {
  const size = await store.size(origin);
  await store.checkpoint(origin);
  // Baseline: read the same rows with the same statement the verifier uses (key ranges of 5,000 bodies).
  const [{ id }] = (await database.query<{ id: number }>('SELECT id FROM ledgers WHERE origin = $1', [origin])) as [{ id: number }];
  const readStart = performance.now();
  let read = 0;
  for (let from = 0; from < size; from += 5000) {
    const rows = await database.query<{ body: string }>('SELECT body FROM entries WHERE ledger_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq', [
      id,
      from,
      Math.min(size, from + 5000),
    ]);
    read += rows.length;
  }
  const readRate = read / ((performance.now() - readStart) / 1000);
  const verifyStart = performance.now();
  const verdict = await store.verify(origin);
  const verifyRate = size / ((performance.now() - verifyStart) / 1000);
  if (!verdict.ok) throw new Error(`verification failed: ${verdict.reason}`);
  report({
    scenario: 'verify-1m',
    eventsPerSec: Math.round(verifyRate),
    baseline: 'reading the same rows (key ranges of 5,000 bodies)',
    baselinePerSec: Math.round(readRate),
    ratio: round(verifyRate / readRate),
    size,
  });
  void database;
}

async function proveScenario(database: Database, store: EventStore, origin: string): Promise<void> {
  const size = await store.size(origin);
  const [{ id }] = (await database.query<{ id: number }>('SELECT id FROM ledgers WHERE origin = $1', [origin])) as [{ id: number }];
  const samples = 2000;
  const seqs = Array.from({ length: samples }, () => Math.floor(Math.random() * size));
  for (const seq of seqs.slice(0, 100)) await store.inclusionProof(origin, seq, size); // warm
  // Proof and baseline alternate, so both see the same moments of a noisy machine.
  const proofs: number[] = [];
  const reads: number[] = [];
  for (const seq of seqs) {
    let t = performance.now();
    await store.inclusionProof(origin, seq, size);
    proofs.push(performance.now() - t);
    t = performance.now();
    await database.query('SELECT body FROM entries WHERE ledger_id = $1 AND seq = $2', [id, seq]);
    reads.push(performance.now() - t);
  }
  proofs.sort((a, b) => a - b);
  reads.sort((a, b) => a - b);
  report({
    scenario: 'prove-1m',
    p50Ms: round(percentile(proofs, 50), 3),
    p99Ms: round(percentile(proofs, 99), 3),
    baseline: 'single-row SELECT of a random entry by seq',
    baselineP50Ms: round(percentile(reads, 50), 3),
    baselineP99Ms: round(percentile(reads, 99), 3),
    ratio: round(percentile(proofs, 99) / percentile(reads, 99)),
    size,
    samples,
  });
}

await withDatabase(async (url) => {
  const database = Object.assign(await openDatabase({ url, poolSize: 8 }), { url });
  await migrateToLatest(database);
  const keys = new KeyStore({ dir: await mkdtemp(join(tmpdir(), 'bench-keys-')), generate: true });
  const store = new EventStore(database, { keys });
  const want = (s: Scenario): boolean => chosen === undefined || chosen === s;
  try {
    if (want('append-1x16')) await appendScenario(database, store, 16, 1, 20_000);
    if (want('append-1x256')) await appendScenario(database, store, 256, 1, 40_000);
    if (want('append-100x16')) await appendScenario(database, store, 16, 100, 200_000);
    if (want('verify-1m') || want('prove-1m')) {
      const origin = 'bench.casn.example/1m';
      log(`building a ${LEDGER_SIZE}-entry ledger`);
      await buildLedger(store, origin, LEDGER_SIZE);
      // A ledger at rest has been vacuumed and analysed; measuring while autovacuum works
      // through the fresh million rows would time the vacuum.
      await database.query('VACUUM ANALYZE');
      if (want('verify-1m')) await verifyScenario(database, store, origin);
      if (want('prove-1m')) await proveScenario(database, store, origin);
    }
    if (want('http-score-64')) await httpScoreScenario(store, report, log);
    if (want('rebuild-1m')) await rebuildScenario(store, LEDGER_SIZE, report, log);
    if (want('detect-1m')) await detectScenario(store, LEDGER_SIZE, report, log);
  } finally {
    await store.close();
  }
});
