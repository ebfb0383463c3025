/**
 * late-action: a submission whose submittedAt is after the registration close as it stood at
 * submittedAt (so an extension announced beforehand makes later submissions legitimate, and
 * one recorded afterwards — a retroactive extension — does not), and an MS verification or
 * confirmation recorded after the verification window closed (as amended then). Graces
 * come from the configuration; a supervisor's confirmation has its own grace because it
 * follows the verifier's work in the next working session.
 */
import { makeFlag } from '../flag.ts';
import { bool, firstActor, firstApp, num, str } from '../text.ts';
import type { Bilingual, DetectionInput, Detector, Flag } from '../types.ts';
import { ScheduleTracker } from '../schedule.ts';
import { localStamp, offsetLabel, viewOf } from '../view.ts';

const ID = 'late-action';
const VERSION = '1';

function detect(input: DetectionInput): Flag[] {
  const view = viewOf(input.entries);
  const cfg = input.config.lateAction;
  const offset = input.config.timezoneOffsetMinutes;
  const schedule = new ScheduleTracker();
  const flags: Flag[] = [];

  for (const v of view.events) {
    const { entry, event, time } = v;
    schedule.apply(v);
    let stage: 'registration' | 'verification';
    let when: number;
    let grace: number;
    if (event.type === 'ApplicationSubmitted') {
      [stage, when, grace] = ['registration', Date.parse(event.payload.submittedAt), cfg.submissionGraceSeconds];
    } else if (event.type === 'DocumentsVerified' && event.payload.verdict === 'MS') {
      [stage, when, grace] = ['verification', time, cfg.verificationGraceSeconds];
    } else if (event.type === 'VerificationConfirmed' && event.payload.verdict === 'MS') {
      [stage, when, grace] = ['verification', time, cfg.confirmationGraceSeconds];
    } else {
      continue;
    }
    // The close in force when the act happened: an extension recorded afterwards does not cover it.
    const window = schedule.windowAt(stage, when);
    if (!window || when <= window.closes + grace * 1000) continue;
    const now = schedule.window(stage)!;
    const retroactive = now.seq !== window.seq && when <= now.closes + grace * 1000;
    const applicationId = event.payload.applicationId;
    flags.push(
      makeFlag(ID, VERSION, {
        key: `${applicationId}:${entry.seq}`,
        severity: 'medium',
        entries: [window.seq, entry.seq, ...(retroactive ? [now.seq] : [])],
        actors: [entry.actor.id],
        applications: [applicationId],
        formationId: view.apps.get(applicationId)?.formationId ?? (event.type === 'ApplicationSubmitted' ? event.payload.formationId : undefined),
        facts: {
          action: event.type,
          stage,
          closes: localStamp(window.closes, offset),
          at: localStamp(when, offset),
          timezone: offsetLabel(offset),
          lateMinutes: Math.round((when - window.closes) / 60_000),
          amended: window.amended,
          retroactiveExtension: retroactive,
          graceSeconds: grace,
        },
      }),
    );
  }
  return flags;
}

function explain(flag: Flag): Bilingual {
  const submission = str(flag, 'action') === 'ApplicationSubmitted';
  const amendedId = bool(flag, 'amended') ? ' (setelah perubahan jadwal)' : '';
  const amendedEn = bool(flag, 'amended') ? ' (as amended)' : '';
  const when = `${str(flag, 'at')} ${str(flag, 'timezone')}`;
  const closes = `${str(flag, 'closes')}${amendedId}`;
  const closesEn = `${str(flag, 'closes')}${amendedEn}`;
  const late = num(flag, 'lateMinutes');
  if (submission) {
    const retroId = bool(flag, 'retroactiveExtension') ? ' Perpanjangan jadwal yang kemudian mencakupnya baru dicatat setelah waktu pengiriman itu.' : '';
    const retroEn = bool(flag, 'retroactiveExtension') ? ' The extension that now covers it was recorded only after that time.' : '';
    return {
      id: `Lamaran ${firstApp(flag)} dikirim final pada ${when}, ${late} menit setelah pendaftaran ditutup pada ${closes}, namun tetap tercatat oleh ${firstActor(flag)}.${retroId}`,
      en: `Application ${firstApp(flag)} was finally submitted at ${when}, ${late} minutes after registration closed at ${closesEn}, and was still recorded by ${firstActor(flag)}.${retroEn}`,
    };
  }
  return {
    id: `${firstActor(flag)} memberikan MS (${str(flag, 'action') === 'DocumentsVerified' ? 'verifikasi' : 'konfirmasi'}) untuk lamaran ${firstApp(flag)} pada ${when}, ${late} menit setelah masa verifikasi berakhir pada ${closes}.`,
    en: `${firstActor(flag)} gave MS (${str(flag, 'action') === 'DocumentsVerified' ? 'verification' : 'confirmation'}) to application ${firstApp(flag)} at ${when}, ${late} minutes after the verification window closed at ${closesEn}.`,
  };
}

/** The late-action detector. */
export const lateAction: Detector = {
  id: ID,
  version: VERSION,
  severity: 'medium',
  title: { id: 'Tindakan setelah batas waktu', en: 'Action after the deadline' },
  detect,
  explain,
};
