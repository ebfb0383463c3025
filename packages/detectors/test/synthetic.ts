/**
 * A synthetic period ledger of any size for performance tests: applicants submit, are
 * verified and confirmed in working sessions, sit the SKD and SKB, are ranked, decided and
 * announced — about ten entries per applicant, with a few officers holding identities.
 */
import type { DirectoryState } from '@casn/domain';
import type { DetectionEntry } from '../src/index.ts';
import { DirectoryBuilder, idx, openedPeriod, wibOffset } from './helpers.ts';

/** A ledger of about `10 × applicants` entries and its directory. */
export function syntheticLedger(applicants: number): { entries: DetectionEntry[]; directory: DirectoryState } {
  const d = new DirectoryBuilder();
  const verifiers = Array.from({ length: 20 }, (_, i) => `ver-${i}`);
  const examiners = ['exam-1', 'exam-2', 'exam-3'];
  verifiers.forEach((v) => d.actor(v, 'officer', { nik: idx(`${v}-nik`), kk: idx(`${v}-kk`), phone: idx(`${v}-phone`), address: idx(`${v}-addr`), parents: [idx(`${v}-f`), idx(`${v}-m`)] }));
  verifiers.forEach((v) => d.relative(v, 'spouse', { nik: idx(`${v}-spouse`), kk: idx(`${v}-kk`), phone: idx(`${v}-spouse-phone`) }));
  for (const s of ['sup-1', 'sup-2', 'sup-3']) d.actor(s, 'supervisor', { nik: idx(`${s}-nik`), kk: idx(`${s}-kk`) });
  for (const e of examiners) d.actor(e, 'officer');

  const b = openedPeriod();
  const formations = ['f1', 'f2'];
  const ids = Array.from({ length: applicants }, (_, i) => `A${String(i).padStart(7, '0')}`);
  b.at('2024-08-26 07:30');
  ids.forEach((id, i) =>
    b.submit(id, { kk: idx(`kk-${i >> 1}`), address: idx(`addr-${i >> 1}`), phone: idx(`phone-${i}`), email: idx(`email-${i}`), parents: [idx(`f-${i >> 1}`), idx(`m-${i >> 1}`)] }, {
      formationId: formations[i % 2]!,
      submittedAt: wibOffset('2024-08-25 10:00'),
    }),
  );
  const session = 200;
  for (let s = 0; s * session < ids.length; s++) {
    const day = 11 + (s % 6);
    b.at(`2024-09-${day} 09:00`);
    for (const id of ids.slice(s * session, (s + 1) * session)) b.add('DocumentsVerified', { applicationId: id, verdict: 'MS', documents: [{ document: 'Ijazah', verdict: 'MS' }] }, { actor: verifiers[s % verifiers.length]! });
    b.at(`2024-09-${day} 14:00`);
    for (const id of ids.slice(s * session, (s + 1) * session)) b.add('VerificationConfirmed', { applicationId: id, verdict: 'MS', note: 'ok' }, { actor: `sup-${1 + (s % 3)}` });
  }
  b.at('2024-10-15 17:30');
  ids.forEach((id, i) => b.add('SkdScoreRecorded', { applicationId: id, twk: 100, tiu: 100, tkp: 150 + (i % 50), source: 'cat' }, { actor: 'operator-cat' }));
  b.at('2024-11-04 10:00');
  b.add('ResultsPublished', { stage: 'skd', reference: 'SKD' });
  b.at('2024-11-20 15:30');
  ids.forEach((id, i) => {
    for (const e of [examiners[i % 3]!, examiners[(i + 1) % 3]!]) b.add('SkbScoreRecorded', { applicationId: id, part: 'practical', score: 70 + (i % 20), source: 'manual', examiner: e }, { actor: e });
  });
  b.at('2024-11-21 17:00');
  ids.forEach((id, i) => b.add('SkbScoreRecorded', { applicationId: id, part: 'cat', score: 60 + (i % 30), source: 'cat' }, { actor: 'operator-cat' }));
  b.at('2024-12-04 09:30');
  for (const f of formations) {
    const mine = ids.filter((_, i) => formations[i % 2] === f);
    b.add('RankingDecided', { formationId: f, ranking: mine.map((applicationId, r) => ({ applicationId, rank: r + 1, final: 90 - r / mine.length })) }, { actor: 'sup-1' });
  }
  b.at('2024-12-05 10:00');
  ids.forEach((id, i) => b.add('FinalDecisionRecorded', { applicationId: id, code: i < 4 ? 'L' : 'TL' }, { actor: 'sup-1' }));
  b.at('2024-12-06 14:00');
  for (const f of formations) {
    const mine = ids.filter((_, i) => formations[i % 2] === f);
    b.add('ResultsAnnounced', { formationId: f, reference: 'FINAL', documentHash: '0'.repeat(64), results: mine.map((applicationId, r) => ({ applicationId, code: r < 2 ? 'L' : 'TL' })) });
  }
  return { entries: b.entries, directory: d.state };
}
