/**
 * formation-change-late: a formation amended after registration closed (as amended at the
 * time) or after any test score of its applicants was recorded. After that point a change
 * of quota, qualification or location is made knowing who applied and how they scored,
 * and can be tailored to a candidate.
 */
import { byCodeUnit, makeFlag } from '../flag.ts';
import { bool, firstActor, num, str } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { ScheduleTracker } from '../schedule.ts';
import { localStamp, offsetLabel, viewOf } from '../view.ts';

const ID = 'formation-change-late';
const VERSION = '1';

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const offset = input.config.timezoneOffsetMinutes;
  const schedule = new ScheduleTracker();
  // Per formation: the first score seq and how many scores so far.
  const scores = new Map<string, { first: number; count: number }>();
  const flags: Flag[] = [];

  for (const v of view.events) {
    const { entry, event, time } = v;
    schedule.apply(v);
    if (event.type === 'SkdScoreRecorded' || event.type === 'SkbScoreRecorded' || event.type === 'CompetencyScoreRecorded') {
      const f = view.apps.get(event.payload.applicationId)?.formationId;
      if (f === undefined) continue;
      const s = scores.get(f);
      if (s) s.count += 1;
      else scores.set(f, { first: entry.seq, count: 1 });
      continue;
    }
    if (event.type !== 'FormationAmended') continue;
    const p = event.payload;
    const registration = schedule.window('registration');
    const afterClose = registration !== undefined && time > registration.closes;
    const s = scores.get(p.formationId);
    if (!afterClose && !s) continue;
    flags.push(
      makeFlag(ID, VERSION, {
        key: `${p.formationId}:${entry.seq}`,
        severity: 'medium',
        entries: [entry.seq, ...(afterClose ? [registration.seq] : []), ...(s ? [s.first] : [])],
        actors: [entry.actor.id],
        formationId: p.formationId,
        facts: {
          changes: Object.keys(p.changes).sort(byCodeUnit).join(','),
          ...(p.changes.quota !== undefined && { quotaTo: p.changes.quota }),
          afterRegistrationClose: afterClose,
          ...(registration && { registrationCloses: localStamp(registration.closes, offset), timezone: offsetLabel(offset) }),
          afterScores: s !== undefined,
          scoresBefore: s?.count ?? 0,
        },
      }),
    );
  }
  return flags;
}

const FIELD_TEXT: Readonly<Record<string, Bilingual>> = {
  jabatan: { id: 'jabatan', en: 'position' },
  unit: { id: 'unit kerja', en: 'unit' },
  location: { id: 'lokasi', en: 'location' },
  education: { id: 'kualifikasi pendidikan', en: 'education' },
  quota: { id: 'kebutuhan', en: 'quota' },
};

function explain(flag: Flag): Bilingual {
  const whenId = [bool(flag, 'afterRegistrationClose') ? `setelah pendaftaran ditutup (${str(flag, 'registrationCloses')} ${str(flag, 'timezone')})` : '', bool(flag, 'afterScores') ? `setelah ${num(flag, 'scoresBefore')} nilai ujian pelamarnya tercatat` : ''].filter(Boolean).join(' dan ');
  const whenEn = [bool(flag, 'afterRegistrationClose') ? `after registration closed (${str(flag, 'registrationCloses')} ${str(flag, 'timezone')})` : '', bool(flag, 'afterScores') ? `after ${num(flag, 'scoresBefore')} of its applicants' test scores were recorded` : ''].filter(Boolean).join(' and ');
  const quota = flag.facts.quotaTo;
  const fields = str(flag, 'changes').split(',').filter(Boolean);
  const changedId = fields.map((f) => FIELD_TEXT[f]?.id ?? f).join(', ');
  const changedEn = fields.map((f) => FIELD_TEXT[f]?.en ?? f).join(', ');
  return {
    id: `${firstActor(flag)} mengubah formasi ${flag.formationId ?? '?'} (diubah: ${changedId}${quota !== undefined ? `; kebutuhan menjadi ${String(quota)}` : ''}) ${whenId}. Perubahan formasi setelah pelamar dan nilainya diketahui dapat disesuaikan untuk calon tertentu.`,
    en: `${firstActor(flag)} amended formation ${flag.formationId ?? '?'} (changed: ${changedEn}${quota !== undefined ? `; quota now ${String(quota)}` : ''}) ${whenEn}. A formation changed once the applicants and their scores are known can be tailored to a candidate.`,
  };
}

/** The formation-change-late detector. */
export const formationChangeLate: Detector = {
  id: ID,
  version: VERSION,
  severity: 'medium',
  title: { id: 'Formasi diubah terlambat', en: 'Formation changed late' },
  detect,
  explain,
};
