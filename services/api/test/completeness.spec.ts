/**
 * Completeness per formation end to end: a period driven through the API with two
 * formations, commitments recorded on demand and by the job, a formation's view fetched over
 * HTTP and verified with nothing but the log key, and the same view tampered with (an
 * application left out, a score changed, an entry of another formation slipped in) refused
 * with the stream and seq at fault. Every commitment in the ledger is audited against its
 * entries, and the read models and detectors carry on past the new event.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testEngine } from '@casn/event-store/testing';
import {
  COMMITMENT_TYPE,
  COMPLETENESS_STREAM,
  auditCommitments,
  leafHash,
  toHex,
  verifyFormationView,
  type FormationView,
  type FormationViewVerdict,
} from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETENESS_ACTOR, commitCompleteness, completenessJob, formationView } from '../src/recruitment/completeness.ts';
import { computeDetection } from '../src/recruitment/flags.ts';
import { startApp, type TestApp } from './support.ts';
import { Api, drivePeriod, expectProblem, expectRule, makeApplicant, type Period } from './fixtures.ts';

const ID = 'lengkap';
const PYTHON = process.env.PYTHON ?? 'python3';
const CROSSCHECK = fileURLToPath(new URL('../../../tests/crosscheck/verify_formation.py', import.meta.url));

type Mutable = Omit<FormationView, 'streams' | 'group'> & {
  group: { formationId: string | null; streams: number; entries: number; root: string; index: number; proof: string[] };
  streams: { stream: string; versions: number; head: string; entries: { leaf: string; body: string }[] }[];
};

interface CommitResult {
  committed: boolean;
  commitment: { seq: number; asOf: number; groups: number; streams: number; root: string } | null;
}

let t: TestApp;
let api: Api;
let p: Period;
let origin: string;
let vkey: string;

beforeAll(async () => {
  t = await startApp();
  api = new Api(t);
  p = await drivePeriod(api, ID, 'cut');
  await p.announce('F-B', 1);
  await p.submit('B-1', 'F-B', makeApplicant());
  await p.submit('B-2', 'F-B', makeApplicant());
  await p.verified('B-1');
  origin = await api.origin(ID);
  vkey = await t.store.verifierKey(origin);
});
afterAll(() => t.close());

const commit = (caller = 'inspector') => api.post<CommitResult>(caller, p.path('/completeness'), undefined, { key: null });
const view = (formation: string, query?: Record<string, string | number>) => api.get<FormationView>('inspector', p.formation(formation, '/completeness'), query);

function refused(verdict: FormationViewVerdict): Extract<FormationViewVerdict, { ok: false }> {
  if (verdict.ok) throw new Error('expected the view to be refused');
  return verdict;
}

/** Every entry of the ledger below `size`, in seq order. */
async function bodies(size?: number): Promise<{ seq: number; stream: string; body: string }[]> {
  const out = [];
  for await (const e of t.store.entries(origin, 0, size)) out.push({ seq: e.seq, stream: e.stream, body: e.body });
  return out;
}

describe(`completeness per formation on ${testEngine}`, () => {
  let first: NonNullable<CommitResult['commitment']>;

  it('records a commitment of every stream head at the current size, once', async () => {
    const size = await api.size(ID);
    const res = await commit();
    expect(res.status, res.text).toBe(200);
    expect(res.body.committed).toBe(true);
    first = res.body.commitment!;
    expect(first).toMatchObject({ seq: size, asOf: size, groups: 3 });
    const [entry] = await t.store.readLedger(origin, first.seq, 1);
    expect(entry).toMatchObject({ stream: COMPLETENESS_STREAM, type: COMMITMENT_TYPE, version: 0 });
    // The caller is the entry's actor, as for a detection run on demand.
    expect(JSON.parse(entry!.body)).toMatchObject({ actor: { id: 'inspector', role: 'inspector' }, payload: { asOf: size, root: first.root } });

    // Nothing but the commitment since: nothing to commit.
    const again = await commit('admin');
    expect(again.body).toEqual({ committed: false, commitment: first });
    expect(await api.size(ID)).toBe(size + 1);
    expect((await api.read<{ items: unknown[] }>('ombudsman', p.path('/completeness'))).items).toEqual([first]);
  });

  it('lets only inspectors and admins commit', async () => {
    expect(expectProblem(await commit('officer'), 403).status).toBe(403);
    expect(expectProblem(await commit('supervisor'), 403).status).toBe(403);
  });

  it("serves a formation's view that verifies with the log key alone: every entry of its streams, nothing else", async () => {
    const res = await view('F-A');
    expect(res.status, res.text).toBe(200);
    const v = res.body;
    const verdict = verifyFormationView(v, vkey, { formationId: 'F-A' });
    expect(verdict).toMatchObject({ ok: true, formationId: 'F-A', commitmentSeq: first.seq, asOf: first.asOf });
    // The formation's stream and its six applications.
    expect(v.streams.map((s) => s.stream)).toEqual(['application-A-1', 'application-A-2', 'application-A-3', 'application-A-4', 'application-A-5', 'application-A-6', 'formation-F-A']);
    // Exactly the entries of those streams below asOf, read independently of the view.
    const expected = (await bodies(first.asOf)).filter((e) => e.stream === 'formation-F-A' || /^application-A-/.test(e.stream));
    expect(v.streams.flatMap((s) => s.entries.map((e) => e.body)).sort()).toEqual(expected.map((e) => e.body).sort());
    expect(verdict.ok && verdict.entries).toBe(expected.length);
    // Another formation, and the period-wide group (period stream, person guards, the commitment stream later).
    expect(verifyFormationView((await view('F-B')).body, vkey)).toMatchObject({ ok: true, streams: 3, entries: 5 });
    const wide = await formationView(t.service, ID, null);
    expect(verifyFormationView(wide, vkey)).toMatchObject({ ok: true, formationId: null, streams: 1 + 8 });
  });

  it('refuses the view with an application left out, a score changed or an entry of another formation slipped in', async () => {
    const v = (await view('F-A')).body;
    const copy = (): Mutable => structuredClone(v) as unknown as Mutable;

    const withoutA4 = copy();
    withoutA4.streams = withoutA4.streams.filter((s) => s.stream !== 'application-A-4');
    expect(refused(verifyFormationView(withoutA4, vkey)).reason).toBe(`the view lists 6 streams of formation F-A, the commitment at seq ${first.seq} has 7: a stream was left out`);

    const emptied = copy();
    emptied.streams.find((s) => s.stream === 'application-A-4')!.entries = [];
    expect(refused(verifyFormationView(emptied, vkey))).toMatchObject({ stream: 'application-A-4', reason: expect.stringMatching(/the whole stream was left out/) as string });

    const changed = copy();
    const a1 = changed.streams.find((s) => s.stream === 'application-A-1')!;
    const skdIndex = a1.entries.findIndex((e) => e.body.includes('"type":"SkdScoreRecorded"'));
    const skd = a1.entries[skdIndex]!;
    const seq = (JSON.parse(skd.body) as { seq: number }).seq;
    skd.body = skd.body.replace('"twk":100', '"twk":150');
    expect(refused(verifyFormationView(changed, vkey))).toMatchObject({ stream: 'application-A-1', seq, reason: `entry ${seq} (stream application-A-1, version ${skdIndex}) differs from the committed entry` });

    const injected = copy();
    const b1 = (await view('F-B')).body.streams.find((s) => s.stream === 'application-B-1')!;
    injected.streams.splice(1, 0, structuredClone(b1) as unknown as Mutable['streams'][number]);
    expect(refused(verifyFormationView(injected, vkey))).toMatchObject({ stream: 'application-B-1', reason: expect.stringMatching(/belongs to formation F-B, not to formation F-A/) as string });

    const dropped = copy();
    dropped.streams.find((s) => s.stream === 'application-A-2')!.entries.splice(1, 1);
    expect(refused(verifyFormationView(dropped, vkey))).toMatchObject({ stream: 'application-A-2', reason: expect.stringMatching(/^stream application-A-2: version 1 is missing/) as string });

    expect(refused(verifyFormationView(v, vkey, { formationId: 'F-B' })).reason).toBe('the view is of formation F-A, not of formation F-B');
  });

  it('gives the same verdicts as the independent Python verifier written from docs/ledger-format.md', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'casn-formation-'));
    try {
      const keyFile = join(dir, 'log.vkey');
      await writeFile(keyFile, vkey + '\n');
      const python = async (name: string, v: unknown): Promise<{ code: number; stdout: string }> => {
        const file = join(dir, name);
        await writeFile(file, JSON.stringify(v));
        return new Promise((resolve) => {
          execFile(PYTHON, [CROSSCHECK, file, keyFile], (err, stdout) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout }));
        });
      };
      const v = (await view('F-A')).body;
      const verdict = verifyFormationView(v, vkey);
      expect(verdict.ok).toBe(true);
      expect(await python('valid.json', v)).toEqual({ code: 0, stdout: `valid F-A asOf=${first.asOf} streams=7 entries=${verdict.ok ? verdict.entries : -1}\n` });
      expect((await python('wide.json', await formationView(t.service, ID, null))).stdout).toMatch(/^valid null asOf=\d+ streams=9 /);

      const tamperings: [string, (c: Mutable) => void][] = [
        ['drop-stream', (c) => (c.streams = c.streams.filter((s) => s.stream !== 'application-A-4'))],
        ['drop-entry', (c) => c.streams.find((s) => s.stream === 'application-A-2')!.entries.splice(1, 1)],
        ['drop-last', (c) => c.streams.find((s) => s.stream === 'application-A-2')!.entries.pop()],
        ['change', (c) => (c.streams[0]!.entries[0]!.body = c.streams[0]!.entries[0]!.body.replace('"channel":"portal"', '"channel":"import"'))],
        ['reorder', (c) => c.streams[0]!.entries.reverse()],
        ['group', (c) => (c.group.entries += 1)],
      ];
      for (const [name, tamper] of tamperings) {
        const c = structuredClone(v) as unknown as Mutable;
        tamper(c);
        const ours = verifyFormationView(c, vkey);
        const theirs = await python(`${name}.json`, c);
        expect(ours.ok, name).toBe(false);
        expect(theirs.code, `${name}: ${theirs.stdout}`).toBe(1);
        if (!ours.ok) {
          const [, seq, stream] = /^invalid seq=(\S+) stream=(\S+) /.exec(theirs.stdout) ?? [];
          expect({ name, seq, stream }).toEqual({ name, seq: ours.seq === undefined ? '-' : String(ours.seq), stream: ours.stream ?? '-' });
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps serving the last commitment as entries arrive, and moves on with the next one', async () => {
    await p.skb('A-1', 90, 90);
    const stale = (await view('F-A')).body;
    expect(verifyFormationView(stale, vkey)).toMatchObject({ ok: true, commitmentSeq: first.seq, asOf: first.asOf });
    const scored = (await bodies()).at(-1)!;
    expect(stale.streams.flatMap((s) => s.entries).some((e) => e.body === scored.body)).toBe(false);

    const next = await commit('admin');
    expect(next.body.committed).toBe(true);
    const second = next.body.commitment!;
    expect(second.asOf).toBe(second.seq);
    expect(second.asOf).toBeGreaterThan(first.asOf);
    const fresh = (await view('F-A')).body;
    expect(verifyFormationView(fresh, vkey)).toMatchObject({ ok: true, commitmentSeq: second.seq, asOf: second.asOf });
    expect(fresh.streams.flatMap((s) => s.entries).some((e) => e.body === scored.body)).toBe(true);
    // An earlier checkpoint still proves the earlier commitment.
    const earlier = (await view('F-A', { atSize: first.seq + 1 })).body;
    expect(verifyFormationView(earlier, vkey)).toMatchObject({ ok: true, commitmentSeq: first.seq, checkpoint: { size: first.seq + 1 } });
    expect(earlier.streams).toEqual(stale.streams);
  });

  it('answers 404 without a commitment in the checkpoint or for an unknown formation, 422 beyond the ledger', async () => {
    expectRule(await view('F-A', { atSize: first.seq }), 'completeness-missing', 404);
    expectRule(await view('F-Z'), 'formation-not-found', 404);
    const size = await api.size(ID);
    const beyond = expectRule(await view('F-A', { atSize: size + 5 }), 'completeness-size');
    expect(beyond.errors?.[0]?.field).toBe('query.atSize');
    // A formation announced after the last commitment has nothing committed yet.
    await p.announce('F-C', 1);
    expectRule(await view('F-C'), 'completeness-missing', 404);
    expect((await commit()).body.committed).toBe(true);
    expect(verifyFormationView((await view('F-C')).body, vkey)).toMatchObject({ ok: true, streams: 1, entries: 1 });
  });

  it('commits from the job as the completeness actor, skipping the directory and unchanged ledgers', async () => {
    const job = completenessJob(t.service);
    expect(await job.run({ origin: t.service.directory.origin })).toBeUndefined();
    expect(await job.run({ origin })).toMatchObject({ committed: false });
    await p.submit('B-3', 'F-B', makeApplicant());
    const run = await job.run({ origin });
    expect(run).toMatchObject({ committed: true });
    const [entry] = await t.store.readLedger(origin, run!.commitment!.seq, 1);
    expect(JSON.parse(entry!.body)).toMatchObject({ actor: { id: COMPLETENESS_ACTOR.id, role: 'inspector' } });
    expect((await t.service.directoryState()).actors.get(COMPLETENESS_ACTOR.id)).toMatchObject({ role: 'inspector', active: true });
  });

  it('records one commitment when two callers commit at once', async () => {
    await p.submit('B-4', 'F-B', makeApplicant());
    const before = await api.size(ID);
    const [a, b] = await Promise.all([commitCompleteness(t.service, ID), commitCompleteness(t.service, ID)]);
    expect([a.committed, b.committed].filter(Boolean)).toHaveLength(1);
    expect(a.commitment).toEqual(b.commitment);
    expect(await api.size(ID)).toBe(before + 1);
  });

  it('holds commitments that anyone with the entries can recompute; a forged one is caught', async () => {
    const all = await bodies();
    const audit = auditCommitments(all.map((e) => e.body));
    expect(audit).toEqual({ ok: true, commitments: (await t.service.periodState(ID)).completeness.length, size: all.length });
    // A commitment that leaves out B-1's stream, appended behind the service's back.
    const heads = all.filter((e) => e.stream !== 'application-B-1');
    const forged = { asOf: all.length, groups: 4, streams: 1, root: toHex(leafHash(heads.map((e) => e.body).join('\n'))) };
    const version = (await t.service.periodState(ID)).versions.get(COMPLETENESS_STREAM)!;
    await t.store.append(origin, COMPLETENESS_STREAM, version, [{ type: COMMITMENT_TYPE, actor: { id: 'intruder', role: 'admin' }, payload: forged }]);
    const after = await bodies();
    expect(auditCommitments(after.map((e) => e.body))).toMatchObject({ ok: false, seq: all.length, reason: expect.stringMatching(/has \d+ streams, the entry says 1/) as string });
  });

  it('leaves the read models and the detectors undisturbed by commitments', async () => {
    // Reads wait for the read models to include every committed entry, commitments included.
    expect((await p.application('A-1')).applicationId).toBe('A-1');
    // The detectors read a commitment as nothing: with or without it, the same flags.
    const before = await computeDetection(t.service, ID, { atSize: first.seq });
    const after = await computeDetection(t.service, ID, { atSize: first.seq + 1 });
    expect(after.flags.map((f) => f.flagId)).toEqual(before.flags.map((f) => f.flagId));
    expect((await computeDetection(t.service, ID)).flags.every((f) => !f.actors.includes(COMPLETENESS_ACTOR.id))).toBe(true);
  });
});
