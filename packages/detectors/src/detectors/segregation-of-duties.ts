/**
 * segregation-of-duties: one actor both does and approves the same piece of work — verifies
 * and confirms (or re-verifies) one application; scores an applicant by hand and records
 * that applicant's final decision; records a formation's final decisions and announces
 * them — and machine-speed bulk confirmations without a note (a supervisor "approving"
 * faster than anyone could read). One append counts as one submission: confirmations
 * made together in one working session are not a burst.
 */
import { byCodeUnit, makeFlag } from '../flag.ts';
import { firstActor, firstApp, joinList, num, str } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { localTime, offsetLabel, push, viewOf } from '../view.ts';

const ID = 'segregation-of-duties';
const VERSION = '1';

type Pair = 'verify-confirm' | 'score-decide' | 'decide-announce';

/** True when some actor is in both lists. */
function overlaps(a: readonly Act[], b: readonly Act[]): boolean {
  for (const x of a) for (const y of b) if (x.actor === y.actor) return true;
  return false;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One confirmation without a note. */
interface Bare {
  readonly seq: number;
  readonly time: number;
  readonly app: string;
}

/** One act of an actor on an application. */
interface Act {
  readonly actor: string;
  readonly seq: number;
}

/** Who did what on one application (lists made on first use). */
interface Roles {
  verified?: Act[];
  approved?: Act[];
  scored?: Act[];
  decided?: Act[];
}

/** The confirmations of one append. */
interface Batch {
  readonly actor: string;
  readonly time: number;
  total: number;
  readonly bare: Bare[];
}

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const cfg = input.config.segregation;
  const offset = input.config.timezoneOffsetMinutes;

  // Per application: who played which role, with the seqs (a few acts per application).
  const roles = new Map<string, Roles>();
  const rolesOf = (app: string): Roles => {
    let r = roles.get(app);
    if (!r) roles.set(app, (r = {}));
    return r;
  };
  // Per formation, per actor: decisions recorded and announcements made.
  const decidedByFormation = new Map<string, Map<string, { seqs: number[]; apps: string[] }>>();
  const announced = new Map<string, Map<string, number[]>>();
  // Note-less confirmations per actor, in seq order (time order).
  const bare = new Map<string, Bare[]>();
  // Whole appends of confirmations: entries of one append are contiguous and share actor and time.
  const batches: Batch[] = [];
  let batch: Batch | null = null;

  for (const { entry, event, time } of view.events) {
    const actor = entry.actor.id;
    if (event.type === 'DocumentsVerified') {
      (rolesOf(event.payload.applicationId).verified ??= []).push({ actor, seq: entry.seq });
    } else if (event.type === 'VerificationConfirmed' || event.type === 'Reverified') {
      (rolesOf(event.payload.applicationId).approved ??= []).push({ actor, seq: entry.seq });
      if (event.type === 'VerificationConfirmed') {
        if (!batch || batch.actor !== actor || batch.time !== time) batches.push((batch = { actor, time, total: 0, bare: [] }));
        batch.total += 1;
        const note = event.payload.note;
        if (note === undefined || note.trim() === '') {
          const b = { seq: entry.seq, time, app: event.payload.applicationId };
          push(bare, actor, b);
          batch.bare.push(b);
        }
      }
    } else if (event.type === 'SkdScoreRecorded' || event.type === 'CompetencyScoreRecorded') {
      if (event.payload.source === 'manual') (rolesOf(event.payload.applicationId).scored ??= []).push({ actor, seq: entry.seq });
    } else if (event.type === 'SkbScoreRecorded') {
      const p = event.payload;
      const r = rolesOf(p.applicationId);
      if (p.examiner !== undefined) (r.scored ??= []).push({ actor: p.examiner, seq: entry.seq });
      if (p.source === 'manual' && p.examiner !== actor) (r.scored ??= []).push({ actor, seq: entry.seq });
    } else if (event.type === 'FinalDecisionRecorded') {
      (rolesOf(event.payload.applicationId).decided ??= []).push({ actor, seq: entry.seq });
      const formationId = view.apps.get(event.payload.applicationId)?.formationId;
      if (formationId !== undefined) {
        const byActor = decidedByFormation.get(formationId) ?? decidedByFormation.set(formationId, new Map()).get(formationId)!;
        const d = byActor.get(actor) ?? byActor.set(actor, { seqs: [], apps: [] }).get(actor)!;
        d.seqs.push(entry.seq);
        d.apps.push(event.payload.applicationId);
      }
    } else if (event.type === 'ResultsAnnounced') {
      const byActor = announced.get(event.payload.formationId) ?? announced.set(event.payload.formationId, new Map()).get(event.payload.formationId)!;
      push(byActor, actor, entry.seq);
    }
  }

  const flags: Flag[] = [];
  // Pairs on one application.
  for (const [app, r] of roles) {
    // Almost every application has different doers and approvers: check before allocating.
    const vc = r.verified !== undefined && r.approved !== undefined && overlaps(r.verified, r.approved);
    const sd = r.scored !== undefined && r.decided !== undefined && overlaps(r.scored, r.decided);
    if (!vc && !sd) continue;
    const pairs = new Map<string, { pairs: Set<Pair>; seqs: number[] }>();
    const match = (doers: readonly Act[], approvers: readonly Act[], pair: Pair): void => {
      for (const x of doers) {
        const same = approvers.filter((y) => y.actor === x.actor);
        if (same.length === 0) continue;
        const p = pairs.get(x.actor) ?? pairs.set(x.actor, { pairs: new Set(), seqs: [] }).get(x.actor)!;
        p.pairs.add(pair);
        p.seqs.push(x.seq, ...same.map((y) => y.seq));
      }
    };
    if (vc) match(r.verified!, r.approved!, 'verify-confirm');
    if (sd) match(r.scored!, r.decided!, 'score-decide');
    for (const [actor, p] of pairs) {
      flags.push(
        makeFlag(ID, VERSION, {
          key: `${actor}:${app}`,
          severity: 'medium',
          entries: p.seqs,
          actors: [actor],
          applications: [app],
          formationId: view.apps.get(app)?.formationId,
          facts: { kind: 'pair', pairs: [...p.pairs].sort(byCodeUnit).join(',') },
        }),
      );
    }
  }
  // Deciding a formation's results and announcing them.
  for (const [formationId, byActor] of announced) {
    for (const [actor, seqs] of byActor) {
      const d = decidedByFormation.get(formationId)?.get(actor);
      if (!d) continue;
      flags.push(
        makeFlag(ID, VERSION, {
          key: `${actor}:formation:${formationId}`,
          severity: 'medium',
          entries: [...d.seqs, ...seqs],
          actors: [actor],
          applications: d.apps,
          formationId,
          facts: { kind: 'pair', pairs: 'decide-announce', decisions: d.seqs.length, announcements: seqs.length },
        }),
      );
    }
  }

  // Bulk confirmations: runs of separate note-less submissions at machine speed, and whole note-less batches.
  const bulk = new Map<string, { actor: string; date: string; items: Bare[]; runs: number; medianGap: number | null; batch: number }>();
  const addBulk = (actor: string, items: readonly Bare[], medianGap: number | null, batch: number): void => {
    const date = localTime(items[0]!.time, offset).date;
    const k = `${actor}\u0000${date}`;
    const b = bulk.get(k) ?? bulk.set(k, { actor, date, items: [], runs: 0, medianGap: null, batch: 0 }).get(k)!;
    for (const item of items) b.items.push(item);
    if (medianGap !== null) {
      b.runs += 1;
      b.medianGap = b.medianGap === null ? medianGap : Math.min(b.medianGap, medianGap);
    }
    b.batch = Math.max(b.batch, batch);
  };
  for (const [actor, list] of bare) {
    // One submission = one append (same actor and instant).
    const times: { time: number; items: Bare[] }[] = [];
    for (const b of list) {
      const last = times[times.length - 1];
      if (last && last.time === b.time) last.items.push(b);
      else times.push({ time: b.time, items: [b] });
    }
    let start = 0;
    for (let i = 1; i <= times.length; i++) {
      if (i < times.length && (times[i]!.time - times[i - 1]!.time) / 1000 <= cfg.bulkRunBreakSeconds) continue;
      const run = times.slice(start, i);
      start = i;
      if (run.length < cfg.bulkMinConfirmations) continue;
      const gap = median(run.slice(1).map((t, j) => (t.time - run[j]!.time) / 1000));
      if (gap < cfg.bulkMaxMedianGapSeconds) addBulk(actor, run.flatMap((t) => t.items), Math.round(gap * 100) / 100, 0);
    }
  }
  for (const b of batches) {
    if (b.total >= cfg.bulkBatchMin && b.bare.length === b.total) addBulk(b.actor, b.bare, null, b.total);
  }
  for (const b of bulk.values()) {
    const items = [...new Map(b.items.map((x) => [x.seq, x])).values()].sort((x, y) => x.seq - y.seq);
    const first = localTime(items[0]!.time, offset);
    const last = localTime(items[items.length - 1]!.time, offset);
    flags.push(
      makeFlag(ID, VERSION, {
        key: `${b.actor}:bulk:${b.date}`,
        severity: 'medium',
        entries: items.map((x) => x.seq),
        actors: [b.actor],
        applications: items.map((x) => x.app),
        facts: {
          kind: 'bulk',
          date: b.date,
          confirmations: items.length,
          from: first.clock,
          to: last.clock,
          timezone: offsetLabel(offset),
          ...(b.medianGap !== null && { medianGapSeconds: b.medianGap }),
          ...(b.batch > 0 && { batchSize: b.batch }),
        },
      }),
    );
  }
  return flags;
}

const PAIR_TEXT: Readonly<Record<string, Bilingual>> = {
  'verify-confirm': { id: 'memverifikasi dan sekaligus mengonfirmasi (atau memverifikasi ulang) berkas yang sama', en: 'verified and also confirmed (or re-verified) the same file' },
  'score-decide': { id: 'menilai sendiri dan sekaligus menetapkan keputusan akhir pelamar yang sama', en: 'scored the applicant by hand and also recorded their final decision' },
  'decide-announce': { id: 'menetapkan keputusan akhir dan sekaligus mengumumkannya', en: 'recorded the final decisions and also announced them' },
};

function explain(flag: Flag): Bilingual {
  const actor = firstActor(flag);
  if (str(flag, 'kind') === 'bulk') {
    const n = num(flag, 'confirmations');
    const when = `${str(flag, 'date')} ${str(flag, 'from')}–${str(flag, 'to')} (${str(flag, 'timezone')})`;
    const gap = flag.facts.medianGapSeconds;
    const speedId = gap !== undefined ? `dengan jeda median ${String(gap)} detik` : `dalam satu kiriman berisi ${str(flag, 'batchSize')} konfirmasi`;
    const speedEn = gap !== undefined ? `with a median gap of ${String(gap)} s` : `in one submission of ${str(flag, 'batchSize')} confirmations`;
    return {
      id: `${actor} mengonfirmasi ${n} hasil verifikasi tanpa catatan pada ${when} ${speedId} — lebih cepat daripada yang mungkin untuk memeriksa berkas. Persetujuan massal tanpa catatan menunjukkan pengawasan (empat mata) yang tidak berjalan.`,
      en: `${actor} confirmed ${n} verifications without a note on ${when} ${speedEn} — faster than anyone could review a file. Bulk approval without remarks means the four-eyes check did not happen.`,
    };
  }
  const pairs = str(flag, 'pairs').split(',').filter(Boolean);
  const what = (lang: 'id' | 'en') => joinList(pairs.map((p) => PAIR_TEXT[p]?.[lang] ?? p), lang);
  const subject = flag.formationId !== undefined && pairs.includes('decide-announce') ? `formasi ${flag.formationId}` : `lamaran ${firstApp(flag)}`;
  const subjectEn = flag.formationId !== undefined && pairs.includes('decide-announce') ? `formation ${flag.formationId}` : `application ${firstApp(flag)}`;
  return {
    id: `${actor} ${what('id')} untuk ${subject}. Pemisahan tugas mensyaratkan bahwa yang mengerjakan tidak menyetujui pekerjaannya sendiri.`,
    en: `${actor} ${what('en')} for ${subjectEn}. Segregation of duties requires that whoever does the work does not approve it.`,
  };
}

/** The segregation-of-duties detector. */
export const segregationOfDuties: Detector = {
  id: ID,
  version: VERSION,
  severity: 'medium',
  title: { id: 'Pemisahan tugas lemah', en: 'Weak segregation of duties' },
  detect,
  explain,
};
