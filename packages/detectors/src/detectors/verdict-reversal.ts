/**
 * verdict-reversal: a confirmed verdict that flips. TMS → MS is legitimate only after an
 * accepted sanggah on that application that was filed inside its window (≤ the scheduled
 * sanggah close as amended, or else the rule set's days after the first administrasi
 * publication); MS → TMS only through a re-verification that gives its reason. Verdicts
 * before a supervisor's confirmation (a returned and redone verification) are not verdicts
 * in force and never count.
 */
import { getRuleSet } from '@casn/domain';
import type { Verdict } from '@casn/domain';
import { makeFlag } from '../flag.ts';
import { bool, firstActor, firstApp, str } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { ScheduleTracker } from '../schedule.ts';
import { viewOf } from '../view.ts';

const ID = 'verdict-reversal';
const VERSION = '1';
const DAY_MS = 86_400_000;

function windowDays(rulesId: string | null, fallback: number): number {
  if (rulesId === null) return fallback;
  try {
    return getRuleSet(rulesId).sanggah.windowDays;
  } catch {
    return fallback;
  }
}

/** One application's verdict history as the detector needs it. */
interface AppTrack {
  verdict: Verdict | null;
  verdictSeq: number;
  filed: { seq: number; inWindow: boolean } | null;
  accepted: number | null;
}

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const days = windowDays(view.rulesId, input.config.verdictReversal.sanggahWindowDays);
  const schedule = new ScheduleTracker();
  // First administrasi publication time: for all formations, and per formation.
  let adminAll: number | null = null;
  const adminByFormation = new Map<string, number>();
  const tracks = new Map<string, AppTrack>();
  const track = (id: string): AppTrack => tracks.get(id) ?? tracks.set(id, { verdict: null, verdictSeq: -1, filed: null, accepted: null }).get(id)!;
  const flags: Flag[] = [];

  for (const v of view.events) {
    const { entry, event, time } = v;
    schedule.apply(v);
    let next: Verdict;
    let reason = false;
    if (event.type === 'ResultsPublished') {
      const p = event.payload;
      if (p.stage !== 'administrasi') continue;
      if (p.formationId === undefined) adminAll ??= time;
      else if (!adminByFormation.has(p.formationId)) adminByFormation.set(p.formationId, time);
      continue;
    }
    if (event.type === 'SanggahFiled') {
      const t = track(event.payload.applicationId);
      if (t.filed) continue;
      const formationId = view.apps.get(event.payload.applicationId)?.formationId;
      const f = formationId !== undefined ? adminByFormation.get(formationId) : undefined;
      const published = adminAll === null ? (f ?? null) : f === undefined ? adminAll : Math.min(adminAll, f);
      // As the domain decides: the scheduled sanggah close (as amended) if any, else the rule set's days after publication.
      const scheduled = schedule.window('sanggah');
      const deadline = scheduled ? scheduled.closes : published === null ? null : published + days * DAY_MS;
      t.filed = { seq: entry.seq, inWindow: published !== null && time >= published && deadline !== null && time <= deadline };
      continue;
    }
    if (event.type === 'VerificationConfirmed') {
      next = event.payload.verdict;
    } else if (event.type === 'Reverified') {
      next = event.payload.verdict;
      reason = event.payload.reason.trim() !== '';
    } else if (event.type === 'SanggahDecided') {
      if (!event.payload.accepted) continue;
      const t = track(event.payload.applicationId);
      t.accepted ??= entry.seq;
      if (event.payload.newVerdict === undefined) continue;
      next = event.payload.newVerdict;
    } else {
      continue;
    }
    const applicationId = event.payload.applicationId;
    const t = track(applicationId);
    const before = t.verdict;
    const beforeSeq = t.verdictSeq;
    t.verdict = next;
    t.verdictSeq = entry.seq;
    if (before === null || before === next) continue;

    const legitimate = next === 'MS' ? t.accepted !== null && t.filed?.inWindow === true : event.type === 'Reverified' && reason;
    if (legitimate) continue;
    flags.push(
      makeFlag(ID, VERSION, {
        key: `${applicationId}:${entry.seq}`,
        severity: 'high',
        entries: [beforeSeq, entry.seq, ...(t.filed ? [t.filed.seq] : []), ...(t.accepted !== null ? [t.accepted] : [])],
        actors: [entry.actor.id],
        applications: [applicationId],
        formationId: view.apps.get(applicationId)?.formationId,
        facts: {
          from: before,
          to: next,
          via: event.type,
          sanggahFiled: t.filed !== null,
          sanggahInWindow: t.filed?.inWindow === true,
          sanggahAccepted: t.accepted !== null,
          reasonGiven: reason,
        },
      }),
    );
  }
  return flags;
}

const VIA_TEXT: Readonly<Record<string, Bilingual>> = {
  VerificationConfirmed: { id: 'konfirmasi verifikasi', en: 'a verification confirmation' },
  Reverified: { id: 'verifikasi ulang', en: 'a re-verification' },
  SanggahDecided: { id: 'jawaban sanggah', en: 'a sanggah decision' },
};

function explain(flag: Flag): Bilingual {
  const via = VIA_TEXT[str(flag, 'via')] ?? { id: str(flag, 'via'), en: str(flag, 'via') };
  const app = firstApp(flag);
  const actor = firstActor(flag);
  if (str(flag, 'to') === 'MS') {
    const whyId = !bool(flag, 'sanggahFiled')
      ? 'tidak pernah ada sanggah'
      : !bool(flag, 'sanggahInWindow')
        ? 'sanggahnya diajukan di luar masa sanggah'
        : 'sanggahnya tidak diterima';
    const whyEn = !bool(flag, 'sanggahFiled') ? 'no sanggah was ever filed' : !bool(flag, 'sanggahInWindow') ? 'the sanggah was filed outside its window' : 'the sanggah was not accepted';
    return {
      id: `${actor} mengubah hasil verifikasi lamaran ${app} dari TMS menjadi MS melalui ${via.id}, padahal ${whyId}. Perubahan TMS menjadi MS hanya sah melalui sanggah yang diajukan tepat waktu dan diterima karena kesalahan bukan dari pelamar.`,
      en: `${actor} turned the verdict of application ${app} from TMS to MS through ${via.en}, but ${whyEn}. TMS may become MS only through a sanggah filed in time and accepted as an error not caused by the applicant.`,
    };
  }
  return {
    id: `${actor} mengubah hasil verifikasi lamaran ${app} dari MS menjadi TMS melalui ${via.id}, tanpa verifikasi ulang yang mencantumkan alasan.`,
    en: `${actor} turned the verdict of application ${app} from MS to TMS through ${via.en}, without a re-verification stating its reason.`,
  };
}

/** The verdict-reversal detector. */
export const verdictReversal: Detector = {
  id: ID,
  version: VERSION,
  severity: 'high',
  title: { id: 'Hasil verifikasi berbalik', en: 'Verification verdict reversed' },
  detect,
  explain,
};
