import { describe, expect, it } from 'vitest';
import type { PeriodCommand } from '../src/commands.ts';
import { decide } from '../src/decide.ts';
import type { Actor } from '../src/decide.ts';
import { isDomainError } from '../src/errors.ts';
import { PeriodEvents } from '../src/events.ts';
import type { PeriodEvent, Recorded } from '../src/events.ts';
import { evolve, initialPeriodState } from '../src/state.ts';
import type { PeriodState } from '../src/state.ts';
import { ADMIN, AGENCY, OFFICER, OFFICER2, PORTAL, PPPK_SCHEDULE, SCHEDULE, SKB_WEIGHTS, SUPERVISOR, SUPERVISOR2, idx, sealed } from './given.ts';

/** mulberry32: a small seeded PRNG, so a failing seed can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Logged {
  readonly event: PeriodEvent;
  readonly recorded: Recorded;
}

/**
 * Drives a whole period through decide with random choices; only accepted commands append,
 * so the log is valid by construction. Returns the log and the state built along the way.
 */
function simulate(seed: number, kind: 'CPNS' | 'PPPK', applicants: number): { log: Logged[]; state: PeriodState; refused: Map<string, number> } {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const state = initialPeriodState();
  const log: Logged[] = [];
  const refused = new Map<string, number>();
  let clock = Date.parse('2024-08-01T00:00:00.000Z');

  const run = (command: PeriodCommand, actor: Actor, now?: number): boolean => {
    clock = Math.max(clock + int(1, 120) * 1000, now ?? 0);
    const at = new Date(clock).toISOString();
    try {
      const d = decide(state, command, { actor, now: at });
      for (const a of d.appends) {
        for (const event of a.events) {
          PeriodEvents[event.type].parse(event.payload);
          const recorded: Recorded = { seq: state.size, stream: a.stream, version: (state.versions.get(a.stream) ?? -1) + 1, at, actor: { id: actor.id, role: actor.role } };
          evolve(state, event, recorded);
          log.push({ event: structuredClone(event), recorded });
        }
      }
      return true;
    } catch (e) {
      if (!isDomainError(e)) throw e;
      refused.set(e.rule, (refused.get(e.rule) ?? 0) + 1);
      return false;
    }
  };

  const schedule = kind === 'CPNS' ? SCHEDULE : PPPK_SCHEDULE;
  run(
    kind === 'CPNS'
      ? { type: 'OpenPeriod', periodId: `p-${seed}`, agency: { ...AGENCY }, year: 2024, kind, rules: 'casn-2024', skbWeights: { ...SKB_WEIGHTS }, schedule }
      : { type: 'OpenPeriod', periodId: `p-${seed}`, agency: { ...AGENCY }, year: 2024, kind, rules: 'pppk-2024', schedule },
    ADMIN,
  );
  const formations = ['F-1', 'F-2', 'F-3'];
  for (const f of formations) {
    run({ type: 'AnnounceFormation', formationId: f, jabatan: `Jabatan ${f}`, unit: 'Unit', location: 'Kota Contoh', education: ['S1'], track: pick(['umum', 'umum', 'disabilitas']), quota: int(1, 3) }, SUPERVISOR);
  }
  if (random() < 0.5) run({ type: 'AmendSchedule', stage: 'registration', closes: '2024-09-10T23:59:59.000Z', reason: 'Perpanjangan', reference: 'B-1' }, ADMIN);

  const ids: string[] = [];
  const regOpens = Date.parse(schedule.registration.opens);
  for (let i = 0; i < applicants; i++) {
    const id = `A-${i}`;
    const submittedAt = new Date(regOpens + int(0, 20 * 86_400) * 1000).toISOString();
    const ok = run(
      {
        type: 'SubmitApplication',
        applicationId: id,
        formationId: pick(formations),
        channel: 'import',
        submittedAt,
        personal: sealed(`subj-${id}`),
        // Now and then a duplicate NIK, refused by one-application-per-person.
        indexes: { nik: idx(`nik-${random() < 0.05 && i > 0 ? i - 1 : i}`), kk: idx(`kk-${int(0, applicants / 3)}`) },
        education: { level: 'S1', ipk: int(250, 400) / 100 },
        ...(kind === 'PPPK' && { pppkCategory: pick(['p1-guru', 'eks-thk2', 'non-asn-bkn', 'non-asn-aktif', 'umum'] as const) }),
      },
      pick([OFFICER, ADMIN]),
      Date.parse('2024-09-11T00:00:00.000Z'),
    );
    if (ok) ids.push(id);
  }

  const documents = (tms: boolean) => (tms ? [{ document: 'ijazah', verdict: 'TMS' as const, reason: 'tidak sesuai' }] : [{ document: 'ijazah', verdict: 'MS' as const }]);
  for (const id of ids) {
    const verdict = random() < 0.2 ? 'TMS' : 'MS';
    const officer = pick([OFFICER, OFFICER2]);
    run({ type: 'VerifyDocuments', applicationId: id, verdict, documents: documents(verdict === 'TMS') }, officer);
    if (random() < 0.1) {
      run({ type: 'ReturnVerification', applicationId: id, reason: 'periksa ulang' }, SUPERVISOR);
      run({ type: 'VerifyDocuments', applicationId: id, verdict, documents: documents(verdict === 'TMS') }, officer);
    }
    run({ type: 'ConfirmVerification', applicationId: id, verdict, ...(random() < 0.5 && { note: 'ok' }) }, pick([SUPERVISOR, SUPERVISOR2]));
  }
  run({ type: 'PublishResults', stage: 'administrasi', reference: 'PENG-ADM' }, ADMIN);
  for (const id of ids) {
    if (state.applications.get(id)?.verdict !== 'TMS' || random() < 0.4) continue;
    run({ type: 'FileSanggah', applicationId: id, reason: 'bukan kesalahan saya' }, PORTAL);
    const accepted = random() < 0.5;
    run({ type: 'DecideSanggah', applicationId: id, accepted, reason: 'diputuskan', ...(accepted && { newVerdict: 'MS', approvalRef: 'PANSELNAS-1' }) }, SUPERVISOR);
  }
  if (random() < 0.5) run({ type: 'Reverify', applicationId: pick(ids), verdict: 'TMS', documents: documents(true), reason: 'verifikasi ulang' }, SUPERVISOR);

  for (const id of ids) {
    const r = random();
    if (r < 0.05) run({ type: 'RecordAbsence', applicationId: id, stage: kind === 'CPNS' ? 'skd' : 'kompetensi' }, OFFICER);
    else if (r < 0.08) run({ type: 'Disqualify', applicationId: id, reason: 'joki', reference: 'BA-CAT' }, SUPERVISOR);
    else if (kind === 'CPNS') {
      const score = { twk: 5 * int(8, 30), tiu: 5 * int(10, 35), tkp: int(120, 225) };
      if (random() < 0.2) run({ type: 'RecordSkdScore', applicationId: id, ...score, source: 'manual' }, OFFICER);
      run({ type: 'RecordSkdScore', applicationId: id, ...score, tkp: random() < 0.1 ? score.tkp - 1 : score.tkp, source: 'cat' }, ADMIN);
    } else {
      run({ type: 'RecordCompetencyScore', applicationId: id, teknis: 5 * int(20, 90), manajerial: int(25, 100), sosialKultural: int(20, 80), wawancara: int(10, 40), source: 'cat' }, ADMIN);
    }
  }

  if (kind === 'CPNS') {
    for (const f of formations) run({ type: 'DecideSkdCut', formationId: f }, SUPERVISOR);
    run({ type: 'PublishResults', stage: 'skd', reference: 'PENG-SKD' }, ADMIN);
    for (const id of ids) {
      if (random() < 0.05) {
        run({ type: 'RecordAbsence', applicationId: id, stage: 'skb' }, OFFICER);
        continue;
      }
      run({ type: 'RecordSkbScore', applicationId: id, part: 'cat', score: int(300, 1000) / 10, source: 'cat' }, ADMIN);
      for (const examiner of ['exam-1', 'exam-2'].slice(0, int(1, 2))) {
        run({ type: 'RecordSkbScore', applicationId: id, part: 'practical', score: int(40, 100), source: 'manual', examiner }, OFFICER);
      }
    }
    // A late correction, refused without approval and accepted with it.
    run({ type: 'RecordSkdScore', applicationId: pick(ids), twk: 100, tiu: 100, tkp: 200, source: 'manual' }, OFFICER);
    run({ type: 'RecordSkdScore', applicationId: pick(ids), twk: 100, tiu: 100, tkp: 200, source: 'manual', approvalRef: 'PANSELNAS-2' }, OFFICER);
  }

  const birthDates = Object.fromEntries(ids.map((id) => [id, `19${int(85, 99)}-0${int(1, 9)}-1${int(0, 9)}`]));
  for (const f of formations) {
    if (!run({ type: 'DecideRanking', formationId: f, birthDates }, SUPERVISOR)) continue;
    const formation = state.formations.get(f);
    const quota = formation?.quota ?? 0;
    for (const r of formation?.ranking?.ranking ?? []) {
      run({ type: 'RecordFinalDecision', applicationId: r.applicationId, code: r.rank <= quota ? 'L' : 'TL' }, SUPERVISOR);
    }
    const results = (formation?.ranking?.ranking ?? []).map((r) => ({ applicationId: r.applicationId, code: state.applications.get(r.applicationId)?.finalCode ?? 'TL' }));
    if (results.length > 0) run({ type: 'AnnounceResults', formationId: f, reference: `PENG-AKHIR-${f}`, documentHash: 'b'.repeat(64), results }, SUPERVISOR);
    const first = formation?.ranking?.ranking[0]?.applicationId;
    const next = formation?.ranking?.ranking.find((r) => r.rank > quota)?.applicationId;
    if (first !== undefined && next !== undefined && random() < 0.7) {
      run({ type: 'ResignApplicant', applicationId: first, reason: 'mengundurkan diri' }, PORTAL);
      run({ type: 'AppointReplacement', formationId: f, resignedApplicationId: first, replacementApplicationId: next, reference: 'KEP-PENGGANTI' }, SUPERVISOR);
    }
  }
  run({ type: 'AmendFormation', formationId: 'F-1', changes: { quota: 4 }, reason: 'tambahan', reference: 'KEP-T' }, SUPERVISOR);
  run({ type: 'ErasePersonalData', applicationId: pick(ids), legalBasis: 'UU 27/2022', requestRef: 'PDP-1' }, ADMIN);
  return { log, state, refused };
}

function replayLog(log: readonly Logged[]): PeriodState {
  const state = initialPeriodState();
  for (const { event, recorded } of log) evolve(state, event, recorded);
  return state;
}

describe('replay', () => {
  for (const [seed, kind] of [
    [1, 'CPNS'],
    [2, 'CPNS'],
    [3, 'PPPK'],
    [4, 'PPPK'],
  ] as const) {
    it(`is deterministic for a long random but valid ${kind} history (seed ${seed})`, () => {
      const { log, state, refused } = simulate(seed, kind, 150);
      expect(log.length).toBeGreaterThan(700);
      expect(state.size).toBe(log.length);
      // The history went through every stage.
      const types = new Set(log.map((l) => l.event.type));
      for (const t of ['ApplicationSubmitted', 'VerificationConfirmed', 'SanggahDecided', 'RankingDecided', 'FinalDecisionRecorded', 'ResultsAnnounced', 'PersonalDataErased']) expect(types).toContain(t);
      if (kind === 'CPNS') for (const t of ['SkdCutDecided', 'SkbScoreRecorded']) expect(types).toContain(t);
      expect(refused.get('one-application-per-person')).toBeGreaterThan(0);

      const a = replayLog(log);
      const b = replayLog(structuredClone(log));
      expect(a).toEqual(b);
      // Replaying from the log gives the state that decide saw while writing it.
      expect(a).toEqual(state);
    });
  }

  it('is the same whether built by one simulation or another with the same seed', () => {
    expect(simulate(7, 'CPNS', 60).log).toEqual(simulate(7, 'CPNS', 60).log);
  });

  it('never throws on schema-valid events in any order (events about unknown things are skipped)', () => {
    const { log } = simulate(5, 'CPNS', 80);
    const random = prng(99);
    const shuffled = log.map((l) => ({ l, k: random() })).sort((x, y) => x.k - y.k);
    const state = initialPeriodState();
    expect(() => {
      shuffled.forEach(({ l }, seq) => evolve(state, l.event, { ...l.recorded, seq }));
    }).not.toThrow();
    expect(state.size).toBe(log.length);
  });

  it('keeps an unknown rule set as null instead of throwing', () => {
    const state = initialPeriodState();
    const opened: PeriodEvent = { type: 'PeriodOpened', payload: { periodId: 'p', agency: { ...AGENCY }, year: 2030, kind: 'CPNS', rules: 'casn-2030', schedule: {} } };
    evolve(state, opened, { seq: 0, stream: 'period', version: 0, at: '2030-01-01T00:00:00.000Z', actor: { id: 'a', role: 'admin' } });
    expect(state.period?.rulesId).toBe('casn-2030');
    expect(state.rules).toBeNull();
  });
});
