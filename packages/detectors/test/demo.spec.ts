/**
 * End to end over the real demo period: seeded through the service into a test database
 * (PGlite, or PostgreSQL with DATABASE_URL), read back as entries and directory state,
 * then every planted irregularity must be found by its detector and no honest coincidence
 * may cause a flag. DEMO_APPLICANTS (default 300) and DEMO_SEED (default 2024) choose the demo.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evolveDirectory, initialDirectoryState, type DirectoryEvent, type DirectoryState } from '@casn/domain';
import { EventStore, KeyStore } from '@casn/event-store';
import { createTestDatabase, testEngine, type TestDatabase } from '@casn/event-store/testing';
import { BlindIndexer, Vault } from '@casn/personal-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoPeriod, type DemoSummary } from '../../../services/cli/src/demo-period/index.ts';
import { DETECTOR_CONFIGS, DEFAULT_DETECTOR_CONFIG, detect, explainFlag, type DetectionEntry, type Flag } from '../src/index.ts';

const DIRECTORY = 'casn.test/directory';
const BASE = 'casn.test/periods';
const APPLICANTS = Number(process.env.DEMO_APPLICANTS ?? 300);
const SEED = Number(process.env.DEMO_SEED ?? 2024);
const CONFIG = DETECTOR_CONFIGS[DEFAULT_DETECTOR_CONFIG]!;

/** The detectors that must find each planted kind. */
const FOUND_BY: Readonly<Record<string, readonly string[]>> = {
  'undeclared-kk-relative': ['related-party'],
  'declared-relative-acted': ['related-party'],
  'relative-phone-tie': ['related-party'],
  'manual-skd-override': ['manual-cat-override'],
  'tms-to-ms-without-sanggah': ['verdict-reversal'],
  'off-hours-burst': ['off-hours-bulk', 'segregation-of-duties'],
  'score-after-lock': ['score-after-lock'],
  'formation-changed-after-close': ['formation-change-late'],
  'ranking-skip': ['ranking-skip'],
  'announcement-mismatch': ['announcement-mismatch'],
  'shared-contact-identity': ['shared-identity'],
};

type Planted = DemoSummary['planted'][number];

/** True when the flag is the finding of this planted item. */
function explains(p: Planted, f: Flag): boolean {
  if (!FOUND_BY[p.kind]?.includes(f.detector)) return false;
  const apps = [p.applicationId, ...(p.related ?? [])].filter((x): x is string => x !== undefined);
  switch (p.kind) {
    case 'undeclared-kk-relative':
    case 'declared-relative-acted':
    case 'relative-phone-tie':
      return f.key === `${p.actorId}:${p.applicationId}`;
    case 'off-hours-burst':
      return f.actors.includes(p.actorId!) && f.applications.some((a) => apps.includes(a));
    case 'formation-changed-after-close':
      return f.formationId === p.formationId;
    case 'ranking-skip':
      return f.key === `${p.formationId}:${p.applicationId}:${p.related![0]}`;
    case 'shared-contact-identity':
      return apps.every((a) => f.applications.includes(a));
    default:
      return f.applications.includes(p.applicationId!);
  }
}

async function entriesOf(store: EventStore, origin: string): Promise<DetectionEntry[]> {
  const out: DetectionEntry[] = [];
  for await (const e of store.entries(origin)) {
    const body = JSON.parse(e.body) as { at: string; actor: { id: string; role: string }; payload: Record<string, unknown> };
    out.push({ seq: e.seq, stream: e.stream, version: e.version, type: e.type, at: body.at, actor: body.actor, payload: body.payload });
  }
  return out;
}

describe(`detectors over the demo period (${APPLICANTS} applicants, seed ${SEED}) on ${testEngine}`, () => {
  let db: TestDatabase;
  let keysDir: string;
  let summary: DemoSummary;
  let entries: DetectionEntry[];
  let directory: DirectoryState;
  let flags: Flag[];
  let elapsed: number;
  let warm: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    keysDir = await mkdtemp(join(tmpdir(), 'detectors-demo-'));
    const store = new EventStore(db.database, { keys: new KeyStore({ dir: keysDir, generate: true }) });
    const deps = { store, vault: new Vault(db.database, randomBytes(32)), indexer: new BlindIndexer(randomBytes(32)), directoryOrigin: DIRECTORY, originBase: BASE };
    summary = await seedDemoPeriod(deps, { applicants: APPLICANTS, seed: SEED });
    // Both ledgers are read back from the store, as the service reads them.
    directory = initialDirectoryState();
    for (const e of await entriesOf(store, DIRECTORY)) evolveDirectory(directory, { type: e.type, payload: e.payload } as DirectoryEvent, e);
    entries = await entriesOf(store, summary.origin);
    const started = performance.now();
    flags = detect({ entries, directory, config: CONFIG });
    elapsed = performance.now() - started;
    // A second run on a fresh copy of the entries (no cached view), with the code warmed up.
    const again = performance.now();
    detect({ entries: [...entries], directory, config: CONFIG });
    warm = performance.now() - again;
  }, 600_000);
  afterAll(async () => {
    await db?.cleanup();
    if (keysDir) await rm(keysDir, { recursive: true, force: true });
  });

  it('reads the whole ledger', () => {
    expect(entries).toHaveLength(summary.entries);
    expect(summary.planted).toHaveLength(11);
  });

  it('finds every planted irregularity with its detector', () => {
    const missed = summary.planted.filter((p) => !flags.some((f) => explains(p, f))).map((p) => p.kind);
    expect(missed).toEqual([]);
  });

  it('raises the related-party flags with the right tie', () => {
    const find = (kind: string) => {
      const p = summary.planted.find((x) => x.kind === kind)!;
      return flags.find((f) => f.detector === 'related-party' && f.key === `${p.actorId}:${p.applicationId}`)!;
    };
    expect(find('undeclared-kk-relative').facts).toMatchObject({ tie: 'kk', via: 'self', declared: false, rank: 1 });
    expect(find('declared-relative-acted').facts).toMatchObject({ tie: 'nik', via: 'relative', relation: 'child', declared: true, rank: 2 });
    expect(find('relative-phone-tie').facts).toMatchObject({ tie: 'phone', via: 'relative', relation: 'sibling', declared: false });
  });

  it('reports the burst as one flag per actor and night, not one per entry', () => {
    const burst = summary.planted.find((p) => p.kind === 'off-hours-burst')!;
    const off = flags.filter((f) => f.detector === 'off-hours-bulk' && f.actors.includes(burst.actorId!));
    expect(off).toHaveLength(1);
    expect(off[0]!.facts).toMatchObject({ night: true, weekend: true, burst: true });
    expect(off[0]!.applications).toEqual([...burst.related!].sort());
    const bulk = flags.filter((f) => f.detector === 'segregation-of-duties' && f.facts.kind === 'bulk');
    expect(bulk).toHaveLength(1);
    expect(bulk[0]!.facts.confirmations).toBe(burst.related!.length);
  });

  it('raises no flag because of an honest coincidence', () => {
    for (const c of summary.coincidences) {
      const ids = new Set(c.applicationIds);
      // A shared marga never makes a related-party flag for that officer.
      if (c.kind === 'shared-surname') expect(flags.filter((f) => f.detector === 'related-party' && f.actors.includes(c.actorId!) && f.applications.some((a) => ids.has(a)))).toEqual([]);
      // Shared addresses and siblings' family cards never tie people to officers or to each other.
      if (c.kind === 'shared-address' || c.kind === 'siblings') {
        const hit = flags.filter((f) => (f.detector === 'related-party' || f.detector === 'shared-identity') && f.applications.some((a) => ids.has(a)));
        expect(hit, c.description).toEqual([]);
      }
    }
  });

  it('raises no high-severity flag that no planted item explains, and reports precision', () => {
    const unexplained = flags.filter((f) => !summary.planted.some((p) => explains(p, f)));
    const lines = unexplained.map((f) => `${f.severity} ${f.detector} ${f.key}: ${explainFlag(f).en}`);
    console.log(
      `[demo ${APPLICANTS} seed ${SEED}] ${entries.length} entries, ${flags.length} flags in ${elapsed.toFixed(0)} ms ` +
        `(warm ${warm.toFixed(0)} ms); ${flags.length - unexplained.length} explained by planted items, ${unexplained.length} unexplained` +
        (lines.length > 0 ? `:\n  ${lines.join('\n  ')}` : ''),
    );
    expect(unexplained.filter((f) => f.severity === 'high').map((f) => `${f.detector} ${f.key}`)).toEqual([]);
    expect(unexplained.map((f) => `${f.detector} ${f.key}`)).toEqual([]);
  });

  it('is deterministic and explains every flag in both languages', () => {
    const again = detect({ entries: [...entries], directory, config: CONFIG });
    expect(again).toEqual(flags);
    for (const f of flags) {
      const text = explainFlag(f);
      expect(text.id.length, f.key).toBeGreaterThan(20);
      expect(text.en.length, f.key).toBeGreaterThan(20);
    }
  });
});
