import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCheckpoint } from '../src/checkpoint.ts';
import {
  COMMITMENT_TYPE,
  COMPLETENESS_STREAM,
  EMPTY_STREAM_HEAD,
  FORMATION_VIEW_FORMAT,
  StreamHeads,
  auditCommitments,
  buildCommitment,
  commitmentPayload,
  compareGroups,
  describeFormationVerdict,
  groupOfPayload,
  groupRecordLeaf,
  groupRoot,
  inclusionProofFromLeaves,
  nextStreamHead,
  streamHead,
  streamRecordLeaf,
  verifyFormationView,
  type FormationView,
  type FormationViewVerdict,
  type HeadsEntry,
} from '../src/completeness.ts';
import { GENESIS_PREV, prevOf, sealEntry } from '../src/entry.ts';
import { leafHash, toBase64, toHex } from '../src/hash.ts';
import { canonicalize } from '../src/jcs.ts';
import { rootFromLeafHashes, verifyInclusion } from '../src/merkle.ts';
import { generateSignerKey, parseSignerKey } from '../src/note.ts';

const ORIGIN = 'casn.tangerangselatankota.go.id/2026';
const KEY = generateSignerKey(ORIGIN);
const SIGNER = parseSignerKey(KEY.skey);

const sha = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(Uint8Array.from(p));
  return new Uint8Array(h.digest());
};

/** A small ledger under construction: entries sealed and chained as the writer does. */
class Ledger {
  readonly bodies: string[] = [];
  readonly leaves: Uint8Array[] = [];
  readonly streams: string[] = [];
  readonly versions = new Map<string, number>();

  add(stream: string, type: string, payload: Record<string, unknown>, actor = { id: 'off-1', role: 'officer' }): number {
    const seq = this.bodies.length;
    const version = this.versions.get(stream) ?? 0;
    this.versions.set(stream, version + 1);
    const { text, leaf } = sealEntry({
      ledger: ORIGIN,
      seq,
      id: `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`,
      stream,
      version,
      type,
      schema: 1,
      at: new Date(Date.UTC(2026, 10, 22, 8, 0, seq)).toISOString(),
      actor,
      payload,
      prev: seq === 0 ? GENESIS_PREV : prevOf(this.leaves[seq - 1]!),
    });
    this.bodies.push(text);
    this.leaves.push(leaf);
    this.streams.push(stream);
    return seq;
  }

  entries(size = this.bodies.length): HeadsEntry[] {
    return this.bodies.slice(0, size).map((body, seq) => {
      const e = JSON.parse(body) as { stream: string; version: number };
      return { seq, stream: e.stream, version: e.version, leaf: this.leaves[seq]!, body };
    });
  }

  /** Appends the commitment of the entries so far (or below `asOf`); returns its seq. */
  commit(asOf = this.bodies.length): number {
    const c = buildCommitment(this.entries(asOf));
    return this.add(COMPLETENESS_STREAM, COMMITMENT_TYPE, commitmentPayload(c), { id: 'completeness', role: 'inspector' });
  }

  checkpoint(size = this.bodies.length): string {
    return signCheckpoint({ origin: ORIGIN, size, root: rootFromLeafHashes(this.leaves.slice(0, size)), extensions: [] }, SIGNER);
  }

  /** The view of `formationId` proven by the commitment at `cseq`, against the checkpoint of `size`. */
  view(formationId: string | null, cseq: number, size = this.bodies.length): FormationView {
    const asOf = (JSON.parse(this.bodies[cseq]!) as { payload: { asOf: number } }).payload.asOf;
    const heads = new StreamHeads();
    for (const e of this.entries(asOf)) heads.push(e);
    const g = heads.group(formationId)!;
    return {
      format: FORMATION_VIEW_FORMAT,
      origin: ORIGIN,
      formationId,
      checkpoint: this.checkpoint(size),
      commitment: { seq: cseq, body: this.bodies[cseq]!, proof: inclusionProofFromLeaves(this.leaves.slice(0, size), cseq).map(toBase64) },
      group: { formationId, streams: g.record.streams, entries: g.record.entries, root: toHex(g.record.root), index: g.index, proof: g.proof.map(toBase64) },
      streams: g.streams.map((s) => {
        const entries = [];
        for (let seq = 0; seq < asOf; seq++) if (this.streams[seq] === s.stream) entries.push({ leaf: toHex(this.leaves[seq]!), body: this.bodies[seq]! });
        return { stream: s.stream, versions: s.versions, head: toHex(s.head), entries };
      }),
    };
  }
}

const ADMIN = { id: 'admin-1', role: 'admin' };
const nik = (n: number): string => n.toString(16).padStart(32, '0');

/**
 * A period with two formations: F-1 (applications, a flag) and F-2 (B-1), the
 * period stream and person guards, a commitment at seq 23 (of the 23 entries before it), two entries after it, and the
 * entries of F-1 spread over the ledger.
 */
function period(): { ledger: Ledger; cseq: number } {
  const l = new Ledger();
  l.add('period', 'PeriodOpened', { periodId: 'p-2026', kind: 'CPNS' }, ADMIN);
  l.add('formation-F-1', 'FormationAnnounced', { formationId: 'F-1', jabatan: 'Analis Kebijakan', quota: 2 }, ADMIN);
  l.add('formation-F-2', 'FormationAnnounced', { formationId: 'F-2', jabatan: 'Pranata Komputer', quota: 1 }, ADMIN);
  for (const [i, id, f] of [[1, 'A-1', 'F-1'], [2, 'A-2', 'F-1'], [3, 'B-1', 'F-2'], [4, 'A-3', 'F-1']] as const) {
    l.add(`application-${id}`, 'ApplicationSubmitted', { applicationId: id, formationId: f, channel: 'portal' }, { id: 'portal', role: 'portal' });
    l.add(`person-${nik(i)}`, 'PersonRegistered', { applicationId: id });
  }
  for (const id of ['A-1', 'A-2', 'B-1', 'A-3']) l.add(`application-${id}`, 'DocumentsVerified', { applicationId: id, verdict: 'MS' });
  l.add('period', 'ResultsPublished', { stage: 'administrasi', reference: 'PENG-1' }, ADMIN);
  l.add('application-A-1', 'SkdScoreRecorded', { applicationId: 'A-1', twk: 100, tiu: 120, tkp: 200 });
  l.add('application-A-2', 'SkdScoreRecorded', { applicationId: 'A-2', twk: 90, tiu: 110, tkp: 190 });
  l.add('application-B-1', 'SkdScoreRecorded', { applicationId: 'B-1', twk: 95, tiu: 100, tkp: 170 });
  l.add('application-A-3', 'AbsenceRecorded', { applicationId: 'A-3', stage: 'skd' });
  l.add('formation-F-1', 'SkdCutDecided', { formationId: 'F-1', results: [{ applicationId: 'A-1', code: 'P/L' }, { applicationId: 'A-2', code: 'P/L' }, { applicationId: 'A-3', code: 'TH' }] });
  l.add(`flag-${'f1'.repeat(16)}`, 'FlagRaised', { flagId: 'f1'.repeat(16), detector: 'late-action', formationId: 'F-1', entries: [9] }, { id: 'detector', role: 'inspector' });
  l.add(`flag-${'f2'.repeat(16)}`, 'FlagRaised', { flagId: 'f2'.repeat(16), detector: 'off-hours-bulk', entries: [3] }, { id: 'detector', role: 'inspector' });
  const cseq = l.commit();
  l.add('application-A-1', 'FinalDecisionRecorded', { applicationId: 'A-1', code: 'L' });
  l.add('application-B-1', 'FinalDecisionRecorded', { applicationId: 'B-1', code: 'L' });
  return { ledger: l, cseq };
}

/** A deep copy of a view, changed by `edit`. */
function tampered(view: FormationView, edit: (v: Mutable) => void): unknown {
  const copy = structuredClone(view) as unknown as Mutable;
  edit(copy);
  return copy;
}
type MutableEntry = { leaf: string; body: string };
type MutableStream = { stream: string; versions: number; head: string; entries: MutableEntry[] };
type Mutable = { -readonly [K in Exclude<keyof FormationView, 'streams' | 'group' | 'commitment'>]: FormationView[K] } & {
  streams: MutableStream[];
  group: { formationId: string | null; streams: number; entries: number; root: string; index: number; proof: string[] };
  commitment: { seq: number; body: string; proof: string[] };
};

function streamOf(v: Mutable, name: string): MutableStream {
  const s = v.streams.find((x) => x.stream === name);
  if (!s) throw new Error(`no stream ${name} in the view`);
  return s;
}

function failure(verdict: FormationViewVerdict): Extract<FormationViewVerdict, { ok: false }> {
  if (verdict.ok) throw new Error('expected the view to be refused, but it verified');
  return verdict;
}

describe('stream heads', () => {
  it('chain each leaf as SHA-256(0x03 ‖ head ‖ leaf) from 32 zero bytes', () => {
    const a = leafHash('{"a":1}');
    const b = leafHash('{"b":2}');
    const h1 = sha([0x03], new Uint8Array(32), a);
    expect(nextStreamHead(EMPTY_STREAM_HEAD, a)).toEqual(h1);
    expect(streamHead([a, b])).toEqual(sha([0x03], h1, b));
    expect(streamHead([])).toEqual(new Uint8Array(32));
    // Domain separation: a head step is neither an RFC 6962 leaf nor node hash of the same bytes.
    expect(toHex(h1)).not.toBe(toHex(sha([0x01], new Uint8Array(32), a)));
    expect(() => nextStreamHead(new Uint8Array(31), a)).toThrow(RangeError);
  });

  it('commit a stream record as the RFC 6962 leaf of JCS({head, stream, versions})', () => {
    const head = streamHead([leafHash('x')]);
    const text = `{"head":"${toHex(head)}","stream":"application-A-1","versions":1}`;
    expect(streamRecordLeaf({ stream: 'application-A-1', versions: 1, head })).toEqual(sha([0x00], new TextEncoder().encode(text)));
    const g = { formationId: 'F-1', streams: 1, entries: 1, root: groupRoot([{ stream: 'application-A-1', versions: 1, head }]) };
    expect(groupRecordLeaf(g)).toEqual(leafHash(`{"entries":1,"formationId":"F-1","root":"${toHex(g.root)}","streams":1}`));
    expect(groupRecordLeaf({ ...g, formationId: null })).toEqual(leafHash(`{"entries":1,"formationId":null,"root":"${toHex(g.root)}","streams":1}`));
  });

  it('reproduce the worked example of docs/ledger-format.md (the three entries of its §10)', () => {
    // Leaf hashes of §10; the expected values are also reproduced with Python's hashlib and json in the doc's own terms.
    const [l0, l1, l2] = ['f23d9865ba9c2d77eeb1a1fe1d278622aedea3fd1302e81eb977204a01922601', 'c1d60807c330faa81614d1dec69f39b3071cd159355566c52fde6927bffef1b9', '939bbb848f2fa8a9768d6f3fbfce808a1b531f65003d08b62b95b17059fb51f1'].map((h) => Uint8Array.from(Buffer.from(h, 'hex'))) as [Uint8Array, Uint8Array, Uint8Array];
    const body = (seq: number, stream: string, version: number, leaf: Uint8Array): HeadsEntry => ({ seq, stream, version, leaf, body: '{"payload":{"formasi":"F-01"}}' });
    const heads = new StreamHeads();
    for (const e of [body(0, 'formasi/F-01', 0, l0), body(1, 'application/PEL-2026-0001', 0, l1), body(2, 'application/PEL-2026-0001', 1, l2)]) heads.push(e);
    expect(toHex(nextStreamHead(EMPTY_STREAM_HEAD, l1))).toBe('a5297aa972e8ca54dc1e60a817d0ecfb156b0b256f46ecc423c777049b93c78e');
    const g = heads.group(null)!;
    expect(g.streams.map((s) => [s.stream, s.versions, toHex(s.head)])).toEqual([
      ['application/PEL-2026-0001', 2, '79aab18159e6a67b07b4a9d0a07a9e514c597f45ce90cb28d53d301f10661844'],
      ['formasi/F-01', 1, '5c8e922d73dee6e8ffa085786373320f8c18eccc6c18802ffc751b0d6238647c'],
    ]);
    expect(g.streams.map((s) => toHex(streamRecordLeaf(s)))).toEqual(['c46482677c2cc18efc36372a60085bb7a5eda51073c084ff0e34ef8590e700ed', 'a3be0dfa8d8c5852ac01e4f1b588aa5bbf4146513d30b7d1decfb029ea98ba90']);
    expect(toHex(g.record.root)).toBe('bca8fc5ba69422b31f1da631c157f48c02c1ef084e6cbefa7b7d5f742f25cd68');
    expect(toHex(groupRecordLeaf(g.record))).toBe('8ea7bf569daacc414c757677e2f74f549a507a1a7c2edeac8162f5b1617e1e82');
    expect(canonicalize(commitmentPayload(heads.commitment()))).toBe('{"asOf":3,"groups":1,"root":"8ea7bf569daacc414c757677e2f74f549a507a1a7c2edeac8162f5b1617e1e82","streams":2}');
  });

  it('group a stream by the formationId of its first entry, else period-wide', () => {
    expect(groupOfPayload({ formationId: 'F-1', applicationId: 'A-1' })).toBe('F-1');
    expect(groupOfPayload({ applicationId: 'A-1' })).toBeNull();
    expect(groupOfPayload({ formationId: 7 })).toBeNull();
    expect(groupOfPayload(null)).toBeNull();
    expect(groupOfPayload(Object.create({ formationId: 'F-1' }) as object)).toBeNull();
    expect([null, 'b', 'B', 'a', '😀', 'דּ'].sort(compareGroups)).toEqual([null, 'B', 'a', 'b', '😀', 'דּ']);
  });

  it('compute the commitment from scratch: groups in order, streams in code-unit order', () => {
    const { ledger } = period();
    const entries = ledger.entries(23);
    const c = buildCommitment(entries);
    // Recomputed naively, without StreamHeads.
    const byStream = new Map<string, { leaves: Uint8Array[]; group: string | null }>();
    for (const e of entries) {
      const s = byStream.get(e.stream) ?? { leaves: [], group: groupOfPayload((JSON.parse(e.body) as { payload: unknown }).payload) };
      s.leaves.push(e.leaf);
      byStream.set(e.stream, s);
    }
    const groups = [...new Set([...byStream.values()].map((s) => s.group))].sort(compareGroups);
    expect(groups).toEqual([null, 'F-1', 'F-2']);
    const records = groups.map((group) => {
      const streams = [...byStream].filter(([, s]) => s.group === group).sort(([a], [b]) => (a < b ? -1 : 1));
      const root = rootFromLeafHashes(streams.map(([stream, s]) => streamRecordLeaf({ stream, versions: s.leaves.length, head: streamHead(s.leaves) })));
      return { formationId: group, streams: streams.length, entries: streams.reduce((n, [, s]) => n + s.leaves.length, 0), root };
    });
    expect(records.map((r) => [r.formationId, r.streams, r.entries])).toEqual([[null, 6, 7], ['F-1', 5, 12], ['F-2', 2, 4]]);
    expect(c).toEqual({ asOf: 23, groups: 3, streams: 13, root: rootFromLeafHashes(records.map(groupRecordLeaf)) });
  });

  it('keep group roots current as entries arrive, and look back with a journal', () => {
    const { ledger } = period();
    const heads = new StreamHeads({ journal: true });
    const seen: string[] = [];
    for (const e of ledger.entries()) {
      heads.push(e);
      seen.push(toHex(heads.commitment().root));
    }
    const fresh = (size: number) => toHex(buildCommitment(ledger.entries(size)).root);
    expect(seen[10]).toBe(fresh(11));
    expect(seen.at(-1)).toBe(fresh(ledger.bodies.length));
    expect(toHex(heads.at(12, () => heads.commitment().root))).toBe(fresh(12));
    expect(toHex(heads.at(1, () => heads.commitment().root))).toBe(fresh(1));
    // Looking back leaves the current state as it was.
    expect(heads.commitment()).toEqual(buildCommitment(ledger.entries()));
    heads.forget(20);
    expect(() => heads.at(12, () => 0)).toThrow(RangeError);
    expect(toHex(heads.at(20, () => heads.commitment().root))).toBe(fresh(20));
    expect(() => new StreamHeads().at(1, () => 0)).toThrow(RangeError);
  });

  it('refuse entries out of seq or version order', () => {
    const { ledger } = period();
    const [e0, e1] = ledger.entries();
    const heads = new StreamHeads();
    expect(() => heads.push(e1!)).toThrow(/seq 1 pushed at size 0/);
    heads.push(e0!);
    expect(() => heads.push({ ...e1!, version: 1 })).toThrow(/version 1 where 0/);
  });

  it('prove one group record into the commitment', () => {
    const { ledger } = period();
    const heads = new StreamHeads();
    for (const e of ledger.entries(23)) heads.push(e);
    const c = heads.commitment();
    const g = heads.group('F-1')!;
    expect(g.index).toBe(1);
    expect(g.streams.map((s) => s.stream)).toEqual(['application-A-1', 'application-A-2', 'application-A-3', `flag-${'f1'.repeat(16)}`, 'formation-F-1']);
    expect(verifyInclusion(g.index, c.groups, groupRecordLeaf(g.record), g.proof, c.root)).toEqual({ ok: true });
    expect(heads.group('F-9')).toBeUndefined();
    expect(heads.groupOf('person-' + nik(1))).toBeNull();
  });
});

describe('verifyFormationView', () => {
  const { ledger, cseq } = period();
  const view = ledger.view('F-1', cseq);
  const check = (v: unknown, opts = {}) => verifyFormationView(v, KEY.vkey, opts);

  it('accepts a complete view: every entry of the formation below asOf, nothing else', () => {
    const verdict = check(view);
    expect(verdict).toMatchObject({ ok: true, origin: ORIGIN, formationId: 'F-1', commitmentSeq: 23, asOf: 23, streams: 5, entries: 12 });
    expect(describeFormationVerdict(verdict)).toBe(`valid: formation F-1 of ${ORIGIN}: 5 streams, 12 entries, complete as of 23 entries (commitment at seq 23, checkpoint size 26)`);
    expect(check(ledger.view('F-2', cseq))).toMatchObject({ ok: true, streams: 2, entries: 4 });
    expect(check(ledger.view(null, cseq))).toMatchObject({ ok: true, formationId: null, streams: 6, entries: 7 });
    // Against the checkpoint right after the commitment too.
    expect(check(ledger.view('F-1', cseq, cseq + 1))).toMatchObject({ ok: true });
    // It survives JSON, as it travels.
    expect(check(JSON.parse(JSON.stringify(view)))).toMatchObject({ ok: true });
    expect(check(view, { formationId: 'F-1' })).toMatchObject({ ok: true });
  });

  it('refuses an omitted entry in the middle of a stream, naming the stream and the version', () => {
    const f = failure(check(tampered(view, (v) => streamOf(v, 'application-A-1').entries.splice(1, 1))));
    expect(f).toMatchObject({ stream: 'application-A-1', seq: 16 });
    expect(f.reason).toBe('stream application-A-1: version 1 is missing (the next entry listed, seq 16, has version 2)');
  });

  it('refuses an omitted last entry, naming the stream', () => {
    const f = failure(check(tampered(view, (v) => streamOf(v, 'application-A-2').entries.pop())));
    expect(f).toMatchObject({ stream: 'application-A-2', reason: 'stream application-A-2: the commitment has 3 entries, versions 2..2 are missing' });
  });

  it('refuses an omitted whole application stream', () => {
    const emptied = failure(check(tampered(view, (v) => (streamOf(v, 'application-A-3').entries = []))));
    expect(emptied).toMatchObject({ stream: 'application-A-3', reason: 'stream application-A-3: the commitment has 3 entries, none is in the view (the whole stream was left out)' });
    const removed = failure(check(tampered(view, (v) => (v.streams = v.streams.filter((s) => s.stream !== 'application-A-3')))));
    expect(removed).toMatchObject({ seq: 23, reason: 'the view lists 4 streams of formation F-1, the commitment at seq 23 has 5: a stream was left out' });
    // Also with the group record edited to match: then the record is not the committed one.
    const hidden = failure(
      check(
        tampered(view, (v) => {
          v.streams = v.streams.filter((s) => s.stream !== 'application-A-3');
          v.group.streams = 4;
          v.group.entries -= 3;
          v.group.root = toHex(groupRoot(v.streams.map((s) => ({ stream: s.stream, versions: s.versions, head: Uint8Array.from(Buffer.from(s.head, 'hex')) }))));
        }),
      ),
    );
    expect(hidden.reason).toMatch(/^the record of formation F-1 is not in the commitment at seq 23: computed root differs/);
  });

  it('refuses an injected entry of the formation that the commitment does not cover', () => {
    const after = ledger.bodies[24]!; // A-1's final decision, appended after the commitment
    const f = failure(check(tampered(view, (v) => streamOf(v, 'application-A-1').entries.push({ leaf: toHex(ledger.leaves[24]!), body: after }))));
    expect(f).toMatchObject({ stream: 'application-A-1', seq: 24, reason: 'entry 24 of stream application-A-1 is not covered by the commitment (it covers the entries below 23)' });
  });

  it('refuses an injected stream of another formation, or of the period', () => {
    const b1 = ledger.view('F-2', cseq).streams.find((s) => s.stream === 'application-B-1')!;
    const f = failure(check(tampered(view, (v) => v.streams.splice(3, 0, structuredClone(b1) as MutableStream))));
    expect(f).toMatchObject({ stream: 'application-B-1', seq: 7, reason: 'stream application-B-1 belongs to formation F-2, not to formation F-1 (its first entry, seq 7, says so)' });
    const flag = ledger.view(null, cseq).streams.find((s) => s.stream.startsWith('flag-'))!;
    const g = failure(check(tampered(view, (v) => v.streams.splice(3, 0, structuredClone(flag) as MutableStream))));
    expect(g.reason).toMatch(/^stream flag-f2f2.* belongs to the period-wide group, not to formation F-1/);
  });

  it('refuses an entry of another formation slipped into a stream of this one', () => {
    const f = failure(check(tampered(view, (v) => streamOf(v, 'application-A-2').entries.push({ leaf: toHex(ledger.leaves[18]!), body: ledger.bodies[18]! }))));
    expect(f).toMatchObject({ stream: 'application-A-2', seq: 18, reason: 'entry 18 is of stream application-B-1 but listed under stream application-A-2' });
  });

  it('refuses an entry of another ledger', () => {
    const other = sealEntry({ ...(JSON.parse(ledger.bodies[1]!) as Parameters<typeof sealEntry>[0]), ledger: 'casn.example.go.id/2026' });
    const f = failure(check(tampered(view, (v) => (streamOf(v, 'formation-F-1').entries[0] = { leaf: toHex(other.leaf), body: other.text }))));
    expect(f).toMatchObject({ stream: 'formation-F-1', seq: 1, reason: `entry 1 is of ledger casn.example.go.id/2026, not ${ORIGIN}` });
  });

  it('refuses a changed byte, naming the entry', () => {
    const f = failure(check(tampered(view, (v) => (streamOf(v, 'application-A-1').entries[2]!.body = ledger.bodies[16]!.replace('"tkp":200', '"tkp":210')))));
    expect(f).toMatchObject({ stream: 'application-A-1', seq: 16, reason: 'entry 16 (stream application-A-1, version 2) differs from the committed entry', expected: toHex(ledger.leaves[16]!) });
    // With its leaf recomputed as well, the stream still does not reach its committed head.
    const g = failure(
      check(
        tampered(view, (v) => {
          const e = streamOf(v, 'application-A-1').entries[2]!;
          e.body = e.body.replace('"tkp":200', '"tkp":210');
          e.leaf = toHex(leafHash(e.body));
        }),
      ),
    );
    expect(g).toMatchObject({ stream: 'application-A-1', reason: 'stream application-A-1: its entries (seqs 3, 11, 16) differ from the committed head' });
    // A byte that breaks the canonical form is refused before anything is hashed.
    const h = failure(check(tampered(view, (v) => (streamOf(v, 'application-A-1').entries[0]!.body = ledger.bodies[3]!.replace('{"actor"', '{ "actor"')))));
    expect(h).toMatchObject({ stream: 'application-A-1', reason: 'entry 0 of stream application-A-1 is not JSON in RFC 8785 canonical form' });
  });

  it('refuses reordered versions and a repeated entry', () => {
    const swapped = failure(check(tampered(view, (v) => streamOf(v, 'application-A-1').entries.reverse())));
    expect(swapped).toMatchObject({ stream: 'application-A-1', seq: 16, reason: 'stream application-A-1: version 0 is missing (the next entry listed, seq 16, has version 2)' });
    const swapTail = failure(
      check(
        tampered(view, (v) => {
          const es = streamOf(v, 'application-A-1').entries;
          [es[1], es[2]] = [es[2]!, es[1]!];
        }),
      ),
    );
    expect(swapTail.reason).toBe('stream application-A-1: version 1 is missing (the next entry listed, seq 16, has version 2)');
    const repeated = failure(check(tampered(view, (v) => streamOf(v, 'application-A-1').entries.splice(1, 0, structuredClone(streamOf(v, 'application-A-1').entries[0]!)))));
    expect(repeated.reason).toBe('stream application-A-1: entry 3 has version 0 but is listed as version 1 (out of order or repeated)');
    const streamsSwapped = failure(check(tampered(view, (v) => ([v.streams[0], v.streams[1]] = [v.streams[1]!, v.streams[0]!]))));
    expect(streamsSwapped.reason).toBe('stream application-A-1 is listed after application-A-2: streams must be in code-unit order, once each');
  });

  it('refuses a commitment with another asOf, or one the checkpoint does not include', () => {
    const payload = (JSON.parse(ledger.bodies[cseq]!) as { payload: Record<string, unknown> }).payload;
    const body = ledger.bodies[cseq]!.replace(canonicalize(payload), canonicalize({ ...payload, asOf: 22 }));
    const wrongAsOf = failure(check(tampered(view, (v) => (v.commitment.body = body))));
    expect(wrongAsOf).toMatchObject({ seq: 23, reason: 'the commitment is not included in the checkpoint: computed root differs from the expected root' });
    const before = failure(check({ ...ledger.view('F-1', cseq, cseq + 1), checkpoint: ledger.checkpoint(cseq) }));
    expect(before).toMatchObject({ seq: 23, reason: 'the commitment (seq 23) is not in the checkpoint of size 23' });
    const notACommitment = failure(check(tampered(view, (v) => ((v.commitment.seq = 22), (v.commitment.body = ledger.bodies[22]!)))));
    expect(notACommitment.reason).toMatch(/^entry 22 is a FlagRaised on stream flag-f2/);
    const seqMismatch = failure(check(tampered(view, (v) => (v.commitment.seq = 25))));
    expect(seqMismatch.reason).toBe('the commitment entry has seq 23, the view says 25');
    const proof = failure(check(tampered(view, (v) => v.commitment.proof.pop())));
    expect(proof.reason).toBe('the commitment is not included in the checkpoint: proof is shorter than the path');
  });

  it('refuses a view whose checkpoint is not signed by the pinned key, or of another formation than asked', () => {
    const other = generateSignerKey(ORIGIN);
    expect(failure(verifyFormationView(view, other.vkey)).reason).toBe('checkpoint: no signature by a known key');
    expect(failure(check(view, { formationId: 'F-2' })).reason).toBe('the view is of formation F-1, not of formation F-2');
    expect(failure(check(tampered(view, (v) => (v.group.formationId = 'F-2')))).reason).toBe('the group record is of formation F-2, not of formation F-1');
    expect(failure(check(tampered(view, (v) => (v.origin = 'casn.example.go.id/2026')))).reason).toBe(`the checkpoint is of ${ORIGIN}, the view says casn.example.go.id/2026`);
  });

  it('refuses a group record that the commitment does not hold', () => {
    const f = failure(check(tampered(view, (v) => (v.group.entries += 1))));
    expect(f.reason).toBe('the record of formation F-1 is not in the commitment at seq 23: computed root differs from the expected root');
    const index = failure(check(tampered(view, (v) => (v.group.index = 2))));
    expect(index.reason).toMatch(/^the record of formation F-1 is not in the commitment/);
  });

  it('refuses a stream map that differs from the committed one', () => {
    const f = failure(check(tampered(view, (v) => (streamOf(v, 'application-A-1').head = 'ab'.repeat(32)))));
    expect(f).toMatchObject({ seq: 23, reason: 'the streams listed for formation F-1 differ from the commitment at seq 23 (group root)' });
    const versions = failure(check(tampered(view, (v) => ((streamOf(v, 'application-A-1').versions = 4), (streamOf(v, 'application-A-2').versions = 2)))));
    expect(versions.reason).toBe('the streams listed for formation F-1 differ from the commitment at seq 23 (group root)');
  });

  it('refuses malformed input without throwing', () => {
    expect(failure(check(null)).reason).toBe('the view is malformed: the view is not a JSON object');
    expect(failure(check({ ...view, format: 'v0' })).reason).toBe(`the view is malformed: format must be "${FORMATION_VIEW_FORMAT}"`);
    expect(failure(check(tampered(view, (v) => ((v.streams[1] as unknown as Record<string, unknown>).head = 'xyz')))).reason).toBe('the view is malformed: streams[1]');
    expect(failure(check(tampered(view, (v) => (v.group.proof = ['AAAA'])))).reason).toBe('the group inclusion proof is malformed');
  });
});

describe('auditCommitments', () => {
  it('recomputes every commitment of a ledger, also one covering fewer entries than its seq', () => {
    const { ledger } = period();
    ledger.add('application-A-2', 'FinalDecisionRecorded', { applicationId: 'A-2', code: 'L' });
    ledger.commit(25); // two entries were appended meanwhile
    expect(auditCommitments(ledger.bodies)).toEqual({ ok: true, commitments: 2, size: 28 });
  });

  it('names the seq of a commitment that does not match the entries', () => {
    const { ledger } = period();
    const c = buildCommitment(ledger.entries(26));
    ledger.add(COMPLETENESS_STREAM, COMMITMENT_TYPE, commitmentPayload({ ...c, root: leafHash('forged') }));
    const audit = auditCommitments(ledger.bodies);
    expect(audit).toMatchObject({ ok: false, seq: 26, reason: 'the commitment root differs from the one of the entries below 26', expected: toHex(c.root) });
  });

  it('refuses a commitment that leaves out a stream', () => {
    const { ledger } = period();
    const entries = ledger.entries(26).filter((e) => e.stream !== 'application-A-3');
    const heads = new StreamHeads();
    // Built over the entries without A-3 (renumbered), as a dishonest operator would.
    entries.forEach((e, seq) => heads.push({ ...e, seq }));
    ledger.add(COMPLETENESS_STREAM, COMMITMENT_TYPE, commitmentPayload({ ...heads.commitment(), asOf: 26 }));
    expect(auditCommitments(ledger.bodies)).toMatchObject({ ok: false, seq: 26, reason: 'the commitment of the entries below 26 has 14 streams, the entry says 13' });
  });

  it('refuses commitments out of order, covering themselves, or on another stream', () => {
    const { ledger } = period();
    ledger.commit(20);
    expect(auditCommitments(ledger.bodies)).toMatchObject({ ok: false, seq: 26, reason: 'the commitment covers 20 entries, no more than the previous one (23)' });
    const l2 = period().ledger;
    l2.add(COMPLETENESS_STREAM, COMMITMENT_TYPE, commitmentPayload({ ...buildCommitment(l2.entries()), asOf: 28 }));
    expect(auditCommitments(l2.bodies)).toMatchObject({ ok: false, seq: 26, reason: 'the commitment covers 28 entries but is itself entry 26' });
    const l3 = period().ledger;
    l3.add('period', COMMITMENT_TYPE, commitmentPayload(buildCommitment(l3.entries())));
    expect(auditCommitments(l3.bodies)).toMatchObject({ ok: false, seq: 26, reason: 'a StreamHeadsCommitted entry on stream period, not completeness' });
  });
});
