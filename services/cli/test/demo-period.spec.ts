import { randomBytes } from 'node:crypto';
import { RecruitmentService } from '@casn/api';
import { EventStore, KeyStore } from '@casn/event-store';
import { createTestDatabase, testEngine, type TestDatabase } from '@casn/event-store/testing';
import { BlindIndexer, Vault } from '@casn/personal-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoPeriod, type DemoSummary } from '../src/demo-period/index.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

const DIRECTORY = 'casn.test/directory';
const BASE = 'casn.test/periods';
const KINDS = [
  'undeclared-kk-relative',
  'declared-relative-acted',
  'relative-phone-tie',
  'manual-skd-override',
  'tms-to-ms-without-sanggah',
  'off-hours-burst',
  'score-after-lock',
  'formation-changed-after-close',
  'ranking-skip',
  'announcement-mismatch',
  'shared-contact-identity',
];

// One blind-index key for both databases: person streams are named by the NIK's blind index.
const INDEX_KEY = randomBytes(32);

interface Seeded {
  readonly db: TestDatabase;
  readonly store: EventStore;
  readonly deps: Parameters<typeof seedDemoPeriod>[0];
}

async function fresh(): Promise<Seeded> {
  const db = await createTestDatabase();
  const store = new EventStore(db.database, { keys: new KeyStore({ dir: await tempDir('demo-period-keys-'), generate: true }) });
  const deps = { store, vault: new Vault(db.database, randomBytes(32)), indexer: new BlindIndexer(INDEX_KEY), directoryOrigin: DIRECTORY, originBase: BASE };
  return { db, store, deps };
}

async function shape(store: EventStore, origin: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of store.entries(origin)) out.push(`${e.type} ${e.stream}`);
  return out;
}

describe(`demo period on ${testEngine}`, () => {
  let a: Seeded;
  let summary: DemoSummary;
  const stages: string[] = [];

  beforeAll(async () => {
    a = await fresh();
    summary = await seedDemoPeriod(a.deps, { applicants: 300, onProgress: (s) => stages.push(s) });
  }, 120_000);
  afterAll(async () => {
    await a.db.cleanup();
    await removeTempDirs();
  });

  it('records every stage of the recruitment', async () => {
    expect(summary).toMatchObject({ periodId: 'tangsel-2024-cpns', origin: `${BASE}/tangsel-2024-cpns`, agency: 'kota-tangerang-selatan', formations: 10, applicants: 300, recorded: true });
    expect(summary.entries).toBeGreaterThan(300 * 4);
    expect(stages).toEqual(['directory', 'formations', 'registration', 'verification', 'sanggah', 'skd', 'skb', 'ranking', 'final', 'announcement']);

    const service = new RecruitmentService({ store: a.store, directoryOrigin: DIRECTORY, originBase: BASE });
    await service.init();
    const state = await service.periodState('tangsel-2024-cpns');
    expect(state.size).toBe(summary.entries);
    expect(state.period).toMatchObject({ rulesId: 'casn-2024', kind: 'CPNS', skbWeights: { cat: 0.6, practical: 0.4 } });
    expect(state.scheduleChanges).toHaveLength(1);
    expect(state.formations.size).toBe(10);
    expect(state.applications.size).toBe(300);
    const apps = [...state.applications.values()];
    expect(apps.every((x) => x.status === 'confirmed')).toBe(true);
    expect(apps.filter((x) => x.channel === 'portal').length).toBeGreaterThan(0);
    expect(apps.filter((x) => x.verdict === 'TMS').length).toBeGreaterThan(5);
    expect(apps.filter((x) => x.sanggah?.decision?.accepted === true && x.sanggah.decision.newVerdict === 'MS')).toHaveLength(1);
    expect(apps.every((x) => x.finalCode !== null)).toBe(true);
    for (const f of state.formations.values()) {
      expect(f.skdCut, f.id).not.toBeNull();
      expect(f.ranking?.ranking.length, f.id).toBeGreaterThan(0);
      expect(f.announcements, f.id).toHaveLength(1);
    }
    expect(state.publications.map((p) => p.stage)).toEqual(['administrasi', 'administrasi', 'skd', 'skb']);
    expect([...state.formations.values()].flatMap((f) => f.replacements)).toHaveLength(1);

    // The simulated clock: entries are dated in 2024, registration in August–September.
    const submitted = apps.map((x) => x.submitted.at).sort();
    expect(submitted[0]! >= '2024-08-20').toBe(true);
    expect(submitted.at(-1)! <= '2024-09-12').toBe(true);

    const directory = await service.directoryState();
    expect(directory.agencies.get('kota-tangerang-selatan')).toMatchObject({ level: 'daerah' });
    for (const actor of summary.actors) expect(directory.actors.has(actor.actorId), actor.actorId).toBe(true);
  });

  it('lists all eleven planted irregularities, and they are in the ledger', async () => {
    expect(summary.planted.map((p) => p.kind).sort()).toEqual([...KINDS].sort());
    const service = new RecruitmentService({ store: a.store, directoryOrigin: DIRECTORY, originBase: BASE });
    await service.init();
    const state = await service.periodState('tangsel-2024-cpns');
    const directory = await service.directoryState();
    const planted = (kind: string) => summary.planted.find((p) => p.kind === kind)!;
    const app = (id: string | undefined) => state.applications.get(id!)!;

    const kk = app(planted('undeclared-kk-relative').applicationId);
    expect(kk.indexes.kk).toBe(directory.actors.get('verifikator-03')!.indexes.kk);
    expect(kk.verifications[0]).toMatchObject({ kind: 'verified', verdict: 'MS', stamp: { actor: { id: 'verifikator-03' } } });

    const child = app(planted('declared-relative-acted').applicationId);
    expect(directory.actors.get('supervisor-03')!.relatives.some((r) => r.indexes.nik === child.indexes.nik)).toBe(true);
    expect(child.verifications.find((v) => v.kind === 'confirmed')!.stamp.actor.id).toBe('supervisor-03');

    const tie = app(planted('relative-phone-tie').applicationId);
    expect(directory.actors.get('verifikator-05')!.relatives.some((r) => r.indexes.phone === tie.indexes.phone)).toBe(true);

    expect(app(planted('manual-skd-override').applicationId).skd.discrepancy).toBe(true);
    const flip = app(planted('tms-to-ms-without-sanggah').applicationId);
    expect(flip.verifications.map((v) => v.kind)).toEqual(['verified', 'confirmed', 'reverified']);
    expect(flip.sanggah).toBeNull();

    const burst = planted('off-hours-burst');
    const times = burst.related!.map((id) => app(id).verifications.find((v) => v.kind === 'confirmed')!.stamp.at).sort();
    expect(times[0]!.startsWith('2024-09-14T19:00')).toBe(true); // 02:00 WIB on Sunday 15 Sep
    expect(Date.parse(times.at(-1)!) - Date.parse(times[0]!)).toBeLessThan(180_000);

    const late = app(planted('score-after-lock').applicationId);
    expect(late.skd.history.at(-1)!.approvalRef).not.toBeNull();
    expect(state.formations.get(planted('formation-changed-after-close').formationId!)!.amendments).toHaveLength(1);

    const skip = planted('ranking-skip');
    expect(app(skip.applicationId).finalCode).toBe('L');
    expect(app(skip.related![0]).finalCode).toBe('TL');
    expect(app(skip.related![0]).rank! < app(skip.applicationId).rank!).toBe(true);
    const mismatch = app(planted('announcement-mismatch').applicationId);
    expect([mismatch.finalCode, mismatch.announcedCode]).toEqual(['TL', 'L']);

    const joki = planted('shared-contact-identity');
    const [j1, j2] = [app(joki.applicationId), app(joki.related![0])];
    expect(j1.indexes.nik).not.toBe(j2.indexes.nik);
    expect([j1.indexes.phone, j1.indexes.email]).toEqual([j2.indexes.phone, j2.indexes.email]);
  });

  it('is a no-op the second time', async () => {
    const again = await seedDemoPeriod(a.deps, { applicants: 300 });
    expect(again.recorded).toBe(false);
    expect(again.entries).toBe(summary.entries);
    expect(again.planted).toEqual(summary.planted);
    expect(await a.store.size(summary.origin)).toBe(summary.entries);
  });

  it('is deterministic: the same seed gives the same entries on another database', async () => {
    const b = await fresh();
    try {
      const other = await seedDemoPeriod(b.deps, { applicants: 300 });
      expect(other.entries).toBe(summary.entries);
      expect(other.planted).toEqual(summary.planted);
      expect(await shape(b.store, other.origin)).toEqual(await shape(a.store, summary.origin));
      expect(await shape(b.store, DIRECTORY)).toEqual(await shape(a.store, DIRECTORY));
    } finally {
      await b.db.cleanup();
    }
  }, 120_000);
});
