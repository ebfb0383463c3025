/** Shared wording of the explanations, in Bahasa Indonesia and English. */
import type { Bilingual, Flag } from './types.ts';

/** What an event means as an action, in both languages. */
export const ACTIONS: Readonly<Record<string, Bilingual>> = {
  ApplicationSubmitted: { id: 'pendaftaran', en: 'submission' },
  DocumentsVerified: { id: 'verifikasi dokumen', en: 'document verification' },
  VerificationConfirmed: { id: 'konfirmasi verifikasi', en: 'verification confirmation' },
  VerificationReturned: { id: 'pengembalian verifikasi', en: 'return of a verification' },
  Reverified: { id: 'verifikasi ulang', en: 're-verification' },
  SanggahDecided: { id: 'jawaban sanggah', en: 'sanggah decision' },
  SkdScoreRecorded: { id: 'pencatatan nilai SKD', en: 'SKD score entry' },
  SkbScoreRecorded: { id: 'penilaian/pencatatan nilai SKB', en: 'SKB scoring' },
  CompetencyScoreRecorded: { id: 'pencatatan nilai kompetensi', en: 'competency score entry' },
  AbsenceRecorded: { id: 'pencatatan ketidakhadiran', en: 'absence record' },
  ApplicantDisqualified: { id: 'diskualifikasi', en: 'disqualification' },
  FinalDecisionRecorded: { id: 'keputusan hasil akhir', en: 'final decision' },
  ResultsAnnounced: { id: 'pengumuman hasil', en: 'results announcement' },
  ReplacementAppointed: { id: 'penetapan pengganti', en: 'replacement appointment' },
  RankingDecided: { id: 'penetapan peringkat', en: 'ranking decision' },
  FormationAmended: { id: 'perubahan formasi', en: 'formation change' },
};

/** The action names of a comma-separated list of event types. */
export function actionList(types: string, lang: 'id' | 'en'): string {
  const list = types
    .split(',')
    .filter((t) => t !== '')
    .map((t) => ACTIONS[t]?.[lang] ?? t);
  return joinList(list, lang);
}

/** "a, b dan c" / "a, b and c". */
export function joinList(items: readonly string[], lang: 'id' | 'en'): string {
  if (items.length <= 1) return items.join('');
  const and = lang === 'id' ? ' dan ' : ' and ';
  return `${items.slice(0, -1).join(', ')}${and}${items[items.length - 1]!}`;
}

/** A fact as a string ('' when absent). */
export function str(flag: Flag, key: string): string {
  const v = flag.facts[key];
  return v === undefined ? '' : String(v);
}

/** A fact as a number (NaN when absent). */
export function num(flag: Flag, key: string): number {
  const v = flag.facts[key];
  return typeof v === 'number' ? v : Number(v);
}

/** A fact as a boolean (false when absent). */
export function bool(flag: Flag, key: string): boolean {
  return flag.facts[key] === true;
}

/** The application of a flag, or a placeholder. */
export function firstApp(flag: Flag): string {
  return flag.applications[0] ?? '?';
}

/** The actor of a flag, or a placeholder. */
export function firstActor(flag: Flag): string {
  return flag.actors[0] ?? '?';
}
