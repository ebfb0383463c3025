/**
 * Benchmarks of the recruitment service: recording a score over HTTP with 64 concurrent
 * clients against GET /healthz on the same server, and rebuilding the read models of a
 * period of a million entries against a plain read of the same entries.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Metrics, RecruitmentService, TokenStore, computeDetection, createApp, createLogger, detectionJob } from '@casn/api';
import { ANY, type AppendRequest, type EventDraft, type EventStore } from '@casn/event-store';
import { sha256, utf8 } from '@casn/ledger-core';
import { BlindIndexer, Vault } from '@casn/personal-data';
import { ProjectionRunner } from '@casn/projections';

type Report = (fields: Record<string, unknown>) => void;
type Log = (msg: string) => void;

const AGENCY = 'kota-bench';
const system = { id: 'system', role: 'admin' as const, agency: null };
const once_ = (label: string) => ({ idempotencyKey: `${label}-${randomBytes(6).toString('hex')}`, fingerprint: sha256(utf8(label)) });

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const round = (n: number, d = 2): number => Number(n.toFixed(d));

/** A sealed-looking placeholder: the bench measures recording, not encryption. */
const personal = (i: number) => ({ subject: `bench-${i}`, alg: 'A256GCM' as const, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
const hex32 = (i: number): string => sha256(utf8(`nik-${i}`)).slice(0, 16).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '');

/** Records a period with `applicants` confirmed-MS applications through the service, as the given actors. */
async function preparePeriod(service: RecruitmentService, periodId: string, applicants: number): Promise<void> {
  await service.executeDirectory({ type: 'RegisterAgency', code: AGENCY, name: 'Kota Bench', level: 'daerah' }, system, once_('agency'));
  for (const [actorId, role] of [['admin-b', 'admin'], ['officer-b', 'officer'], ['supervisor-b', 'supervisor']] as const) {
    const agency = role === 'admin' ? null : AGENCY;
    await service.executeDirectory({ type: 'RegisterActor', actorId, role, agency, indexes: {} }, system, once_(actorId));
  }
  const admin = await service.actor('admin-b');
  const officer = await service.actor('officer-b');
  const supervisor = await service.actor('supervisor-b');
  const far = { opens: '2020-01-01T00:00:00+07:00', closes: '2099-01-01T00:00:00+07:00' };
  await service.executePeriod(
    periodId,
    {
      type: 'OpenPeriod',
      periodId,
      agency: { code: AGENCY, name: 'Kota Bench', level: 'daerah' },
      year: 2024,
      kind: 'CPNS',
      rules: 'casn-2024',
      skbWeights: { cat: 0.6, practical: 0.4 },
      schedule: { registration: far, verification: far, skd: far },
    },
    admin,
    once_('open'),
  );
  await service.executePeriod(
    periodId,
    { type: 'AnnounceFormation', formationId: 'F1', jabatan: 'Pranata Komputer', unit: 'Diskominfo', location: 'Kota Bench', education: ['S1'], track: 'umum', quota: 50 },
    admin,
    once_('formation'),
  );
  const ids = Array.from({ length: applicants }, (_, i) => `A${i}`);
  const batch = async (label: string, actor: typeof admin, commands: Parameters<RecruitmentService['executePeriodBatch']>[1]) =>
    service.executePeriodBatch(periodId, commands, actor, once_(label));
  const now = new Date().toISOString();
  await batch('submit', officer, () =>
    Promise.resolve(
      ids.map((applicationId, i) => ({
      type: 'SubmitApplication' as const,
      applicationId,
      formationId: 'F1',
      channel: 'import' as const,
      submittedAt: now,
      personal: personal(i),
      indexes: { nik: hex32(i) },
      education: { level: 'S1', ipk: 3.5 },
    })),
    ),
  );
  const documents = [{ document: 'ijazah', verdict: 'MS' as const }];
  await batch('verify', officer, () => Promise.resolve(ids.map((applicationId) => ({ type: 'VerifyDocuments' as const, applicationId, verdict: 'MS' as const, documents }))));
  await batch('confirm', supervisor, () => Promise.resolve(ids.map((applicationId) => ({ type: 'ConfirmVerification' as const, applicationId, verdict: 'MS' as const }))));
}

/** 64 clients record SKD scores over HTTP; the baseline is GET /healthz on the same server with the same clients. */
export async function httpScoreScenario(store: EventStore, report: Report, log: Log): Promise<void> {
  const service = new RecruitmentService({ store, directoryOrigin: 'bench.casn.example/directory', originBase: 'bench.casn.example' });
  await service.init();
  const applicants = 2000;
  log(`http-score-64: preparing a period of ${applicants} confirmed applications`);
  await preparePeriod(service, 'bench-http', applicants);
  const tokens = new TokenStore(store.database);
  const { token } = await tokens.issue({ actorId: 'officer-b', role: 'officer', agency: AGENCY, label: 'bench' });
  const app = createApp({
    service,
    runner: new ProjectionRunner(store),
    vault: new Vault(store.database, randomBytes(32)),
    indexer: new BlindIndexer(randomBytes(32)),
    tokens,
    logger: createLogger({ level: 'warn' }),
    metrics: new Metrics(),
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const clients = 64;
  const measure = async (total: number, op: (i: number) => Promise<Response>) => {
    const times: number[] = [];
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = next++; i < total; i = next++) {
          const t = performance.now();
          const res = await op(i);
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`request ${i} failed: ${res.status}`);
          times.push(performance.now() - t);
        }
      }),
    );
    const rate = total / ((performance.now() - start) / 1000);
    times.sort((a, b) => a - b);
    return { rate, p50: percentile(times, 50), p99: percentile(times, 99) };
  };
  try {
    const health = () => measure(10_000, () => fetch(`${base}/healthz`));
    const score = (total: number) =>
      measure(total, (i) =>
        fetch(`${base}/v1/periods/bench-http/applications/A${i % applicants}/skd-scores`, {
          method: 'POST',
          headers: { ...headers, 'idempotency-key': `score-${randomBytes(6).toString('hex')}` },
          body: JSON.stringify({ twk: 65 + (i % 17) * 5, tiu: 80 + (i % 15) * 5, tkp: 166 + (i % 50), source: 'manual' }),
        }),
      );
    await health(); // warm both paths
    await score(500);
    log('http-score-64: measuring');
    const baseline = await health();
    const scores = await score(8000);
    report({
      scenario: 'http-score-64',
      requestsPerSec: Math.round(scores.rate),
      p50Ms: round(scores.p50, 2),
      p99Ms: round(scores.p99, 2),
      baseline: 'GET /healthz, same server and clients',
      baselinePerSec: Math.round(baseline.rate),
      baselineP50Ms: round(baseline.p50, 2),
      baselineP99Ms: round(baseline.p99, 2),
      ratio: round(scores.rate / baseline.rate),
      clients,
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A period ledger of `size` valid entries, written straight to the store (the domain is not what is measured). */
async function buildPeriodLedger(store: EventStore, origin: string, size: number, log: Log): Promise<void> {
  const actor = { id: 'officer-b', role: 'officer' };
  const head: { stream: string; events: EventDraft[] }[] = [
    {
      stream: 'period',
      events: [
        {
          type: 'PeriodOpened',
          actor,
          payload: {
            periodId: 'bench-rebuild',
            agency: { code: AGENCY, name: 'Kota Bench', level: 'daerah' },
            year: 2024,
            kind: 'CPNS',
            rules: 'casn-2024',
            skbWeights: { cat: 0.6, practical: 0.4 },
            schedule: {},
          },
        },
      ],
    },
    ...Array.from({ length: 10 }, (_, f) => ({
      stream: `formation-F${f}`,
      events: [{ type: 'FormationAnnounced', actor, payload: { formationId: `F${f}`, jabatan: 'Guru', unit: 'Dinas', location: 'Kota', education: ['S1'], track: 'umum', quota: 10 } }],
    })),
  ];
  await store.appendAll(origin, head.map((h) => ({ ...h, expectedVersion: ANY })));
  // Five entries per application: submitted, verified, confirmed, SKD score, SKB score.
  const perApp = (i: number): EventDraft[] => {
    const applicationId = `A${i}`;
    return [
      {
        type: 'ApplicationSubmitted',
        actor,
        payload: { applicationId, formationId: `F${i % 10}`, channel: 'import', submittedAt: '2024-09-01T10:00:00+07:00', personal: personal(i), indexes: { nik: hex32(i) }, education: { level: 'S1', ipk: 3.2 } },
      },
      { type: 'DocumentsVerified', actor, payload: { applicationId, verdict: 'MS', documents: [{ document: 'ijazah', verdict: 'MS' }] } },
      { type: 'VerificationConfirmed', actor: { id: 'supervisor-b', role: 'supervisor' }, payload: { applicationId, verdict: 'MS' } },
      { type: 'SkdScoreRecorded', actor, payload: { applicationId, twk: 65 + (i % 17) * 5, tiu: 80 + (i % 15) * 5, tkp: 166 + (i % 50), source: 'cat' } },
      { type: 'SkbScoreRecorded', actor, payload: { applicationId, part: 'practical', score: 50 + (i % 50), source: 'manual', examiner: 'officer-b' } },
    ];
  };
  const apps = Math.floor((size - head.length) / 5);
  const group = 200;
  let done = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let g = next++; g * group < apps; g = next++) {
        const requests: AppendRequest[] = [];
        for (let i = g * group; i < Math.min(apps, (g + 1) * group); i++) requests.push({ stream: `application-A${i}`, expectedVersion: ANY, events: perApp(i) });
        await store.appendAll(origin, requests);
        done += requests.length;
        if (done % 20_000 < group) log(`rebuild-1m: built ${done * 5}/${apps * 5} entries`);
      }
    }),
  );
}

/** Reads and parses every entry of a ledger: the baseline of whole-ledger passes; entries per second. */
async function readRate(store: EventStore, origin: string): Promise<number> {
  const start = performance.now();
  let read = 0;
  for await (const entry of store.entries(origin)) {
    JSON.parse(entry.body);
    read++;
  }
  return read / ((performance.now() - start) / 1000);
}

/**
 * Full red-flag detection over a period of a million entries (200,000 applications)
 * against reading and parsing the same entries; then the latency from appending an
 * irregular entry (a hand-typed score contradicting the CAT import) to its flag recorded.
 */
export async function detectScenario(store: EventStore, size: number, report: Report, log: Log): Promise<void> {
  const origin = 'bench.casn.example/bench-rebuild';
  if ((await store.size(origin).catch(() => 0)) === 0) await buildPeriodLedger(store, origin, size, log);
  await store.database.query('VACUUM ANALYZE');
  const service = new RecruitmentService({ store, directoryOrigin: 'bench.casn.example/directory', originBase: 'bench.casn.example' });
  await service.init();
  const baseline = await readRate(store, origin);
  const start = performance.now();
  const detection = await computeDetection(service, 'bench-rebuild');
  const rate = detection.checkpoint.size / ((performance.now() - start) / 1000);
  // The worker's path: a job that keeps what it read, its first run reading everything.
  const job = detectionJob(service);
  await job.run({ origin, size: await store.size(origin) });
  const overridden = async (): Promise<Set<string>> => {
    const flagged = new Set<string>();
    for (const f of (await service.periodState('bench-rebuild')).flags.values()) {
      if (f.payload.detector === 'manual-cat-override') for (const a of f.payload.applications) flagged.add(a);
    }
    return flagged;
  };
  // Applications not flagged yet (the bench database outlives a run).
  const before = await overridden();
  const targets = Array.from({ length: 1000 }, (_, i) => `A${i}`).filter((a) => !before.has(a)).slice(0, 5);
  const latencies: number[] = [];
  for (const applicationId of targets) {
    const t = performance.now();
    await store.append(origin, `application-${applicationId}`, 'any', [
      { type: 'SkdScoreRecorded', actor: { id: 'officer-b', role: 'officer' }, payload: { applicationId, twk: 150, tiu: 175, tkp: 225, source: 'manual' } },
    ]);
    await job.run({ origin, size: await store.size(origin) });
    if (!(await overridden()).has(applicationId)) throw new Error(`no flag for ${applicationId}`);
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  report({
    scenario: 'detect-1m',
    entriesPerSec: Math.round(rate),
    baseline: 'reading and parsing the same entries (store.entries)',
    baselinePerSec: Math.round(baseline),
    ratio: round(rate / baseline),
    appendToFlagMsP50: Math.round(percentile(latencies, 50)),
    appendToFlagMsMax: Math.round(latencies[latencies.length - 1]!),
    flags: detection.flags.length,
    size: detection.checkpoint.size,
  });
}

/** Rebuilds every read model of a million-entry period; the baseline reads and parses the same entries. */
export async function rebuildScenario(store: EventStore, size: number, report: Report, log: Log): Promise<void> {
  const origin = 'bench.casn.example/bench-rebuild';
  if ((await store.size(origin).catch(() => 0)) === 0) await buildPeriodLedger(store, origin, size, log);
  await store.database.query('VACUUM ANALYZE');
  const total = await store.size(origin);
  const baseline = await readRate(store, origin);
  const runner = new ProjectionRunner(store);
  const start = performance.now();
  const applied = await runner.rebuild(origin);
  const rate = applied / ((performance.now() - start) / 1000);
  report({
    scenario: 'rebuild-1m',
    entriesPerSec: Math.round(rate),
    baseline: 'reading and parsing the same entries (store.entries)',
    baselinePerSec: Math.round(baseline),
    ratio: round(rate / baseline),
    size: total,
  });
}
