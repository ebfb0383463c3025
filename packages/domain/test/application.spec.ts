import { describe, expect, it } from 'vitest';
import type { PeriodCommand } from '../src/commands.ts';
import { ADMIN, OFFICER, PORTAL, REG_CLOSES, REG_OPENS, cpnsOpened, cpnsPeriod, ctx, ev, formation, given, idx, pppkOpened, submission, submitted } from './given.ts';

type Submit = Extract<PeriodCommand, { type: 'SubmitApplication' }>;

function submit(applicationId = 'A-1', overrides: Partial<Submit> = {}): Submit {
  const { indexes, ...rest } = submission(applicationId);
  return { type: 'SubmitApplication', ...rest, indexes: { ...indexes, nik: indexes.nik ?? idx('x') }, ...overrides };
}

function expected(cmd: Submit) {
  const { type: _t, ...payload } = cmd;
  return [
    { stream: `application-${cmd.applicationId}`, expectedVersion: -1, events: [ev('ApplicationSubmitted', payload)] },
    { stream: `person-${cmd.indexes.nik}`, expectedVersion: -1, events: [ev('PersonRegistered', { applicationId: cmd.applicationId })] },
  ];
}

describe('SubmitApplication', () => {
  it('appends the application and the person guard together, both on new streams', () => {
    const cmd = submit();
    const state = given(cpnsPeriod()).when(cmd, ctx(OFFICER)).thenAppends(expected(cmd));
    const app = state.applications.get('A-1');
    expect(app).toMatchObject({ formationId: 'F-1', status: 'submitted', verdict: null, channel: 'import' });
    expect(state.persons.get(cmd.indexes.nik)).toBe('A-1');
    expect(state.formations.get('F-1')?.applicationIds).toEqual(['A-1']);
  });

  it("refuses an unknown formation: NOT_FOUND on 'formationId'", () => {
    given(cpnsPeriod()).when(submit('A-1', { formationId: 'F-9' }), ctx(OFFICER)).thenThrows('formation-not-found', { code: 'NOT_FOUND', field: 'formationId' });
  });

  it("refuses an application id already used: 'application-exists'", () => {
    given(cpnsPeriod(), submitted('A-1')).when(submit('A-1', { indexes: { nik: idx('other') } }), ctx(OFFICER)).thenThrows('application-exists');
  });

  it("refuses a second application of the same person in the period: 'one-application-per-person'", () => {
    given(cpnsPeriod(), formation('F-2'), submitted('A-1'))
      .when(submit('A-2', { formationId: 'F-2', indexes: { nik: idx('nik-A-1') } }), ctx(OFFICER))
      .thenThrows('one-application-per-person', { field: 'indexes.nik' });
  });

  it('guards the person stream even if the state lost the index (the stream version decides)', () => {
    const g = given(cpnsPeriod(), submitted('A-1'));
    g.state.persons.clear();
    g.when(submit('A-2', { indexes: { nik: idx('nik-A-1') } }), ctx(OFFICER)).thenThrows('one-application-per-person');
  });

  describe('registration window', () => {
    it('accepts a submission exactly at the close', () => {
      const cmd = submit('A-1', { submittedAt: REG_CLOSES });
      given(cpnsPeriod()).when(cmd, ctx(OFFICER)).thenAppends(expected(cmd));
    });

    it('accepts a submission exactly at the opening', () => {
      const cmd = submit('A-1', { submittedAt: REG_OPENS });
      given(cpnsPeriod()).when(cmd, ctx(OFFICER)).thenAppends(expected(cmd));
    });

    it('compares instants, not strings: the close in +07:00 is the same instant', () => {
      const cmd = submit('A-1', { submittedAt: '2024-09-07T06:59:59+07:00' });
      given(cpnsPeriod()).when(cmd, ctx(OFFICER)).thenAppends(expected(cmd));
      given(cpnsPeriod()).when(submit('A-1', { submittedAt: '2024-09-07T07:00:00+07:00' }), ctx(OFFICER)).thenThrows('registration-closed');
    });

    it("refuses one second after the close: 'registration-closed'", () => {
      given(cpnsPeriod()).when(submit('A-1', { submittedAt: '2024-09-07T00:00:00.000Z' }), ctx(OFFICER)).thenThrows('registration-closed', { field: 'submittedAt' });
    });

    it('accepts it after AmendSchedule extended the close', () => {
      const cmd = submit('A-1', { submittedAt: '2024-09-07T00:00:00.000Z' });
      given(cpnsPeriod(), ev('ScheduleAmended', { stage: 'registration', closes: '2024-09-10T23:59:59.000Z', reason: 'Perpanjangan', reference: 'B-1/2024' }))
        .when(cmd, ctx(OFFICER))
        .thenAppends(expected(cmd));
    });

    it('refuses it again after an amendment shortened the close', () => {
      given(cpnsPeriod(), ev('ScheduleAmended', { stage: 'registration', closes: '2024-09-01T00:00:00.000Z', reason: 'Koreksi', reference: 'B-2/2024' }))
        .when(submit('A-1', { submittedAt: '2024-09-02T00:00:00.000Z' }), ctx(OFFICER))
        .thenThrows('registration-closed');
    });

    it("refuses a submission before the opening: 'registration-not-open'", () => {
      given(cpnsPeriod()).when(submit('A-1', { submittedAt: '2024-08-19T23:59:59.000Z' }), ctx(OFFICER)).thenThrows('registration-not-open');
    });

    it("refuses any submission when no registration is scheduled: 'registration-not-open'", () => {
      given(cpnsOpened({ schedule: {} }), formation('F-1')).when(submit(), ctx(OFFICER)).thenThrows('registration-not-open');
    });

    it("refuses a submission time after now: 'submitted-in-future'", () => {
      given(cpnsPeriod()).when(submit('A-1', { submittedAt: '2024-08-25T03:00:00.000Z' }), ctx(OFFICER, '2024-08-25T02:59:59.000Z')).thenThrows('submitted-in-future');
    });
  });

  describe('channel', () => {
    const now = '2024-08-25T03:00:00.000Z';

    it('accepts a portal submission made now (±5 minutes)', () => {
      for (const submittedAt of ['2024-08-25T02:55:00.000Z', now]) {
        const cmd = submit('A-1', { channel: 'portal', submittedAt });
        given(cpnsPeriod()).when(cmd, ctx(PORTAL, now)).thenAppends(expected(cmd));
      }
    });

    it("refuses a portal submission more than 5 minutes old: 'portal-time'", () => {
      given(cpnsPeriod()).when(submit('A-1', { channel: 'portal', submittedAt: '2024-08-25T02:54:59.000Z' }), ctx(PORTAL, now)).thenThrows('portal-time');
    });

    it("refuses the 'portal' channel to anyone but the portal, and an import by the portal: 'channel'", () => {
      given(cpnsPeriod()).when(submit('A-1', { channel: 'portal', submittedAt: now }), ctx(OFFICER, now)).thenThrows('channel', { field: 'channel' });
      given(cpnsPeriod()).when(submit('A-1', { channel: 'import', submittedAt: now }), ctx(PORTAL, now)).thenThrows('channel');
    });

    it('accepts an import by an admin long after the submission', () => {
      const cmd = submit();
      given(cpnsPeriod()).when(cmd, ctx(ADMIN)).thenAppends(expected(cmd));
    });
  });

  describe('PPPK category', () => {
    const pppk = [pppkOpened(), formation('F-1')];

    it('requires a category for PPPK', () => {
      const cmd = submit('A-1', { pppkCategory: 'eks-thk2' });
      const state = given(pppk).when(cmd, ctx(OFFICER)).thenAppends(expected(cmd));
      expect(state.applications.get('A-1')?.pppkCategory).toBe('eks-thk2');
      given(pppk).when(submit(), ctx(OFFICER)).thenThrows('pppk-category', { field: 'pppkCategory' });
    });

    it("forbids a category for CPNS: 'pppk-category'", () => {
      given(cpnsPeriod()).when(submit('A-1', { pppkCategory: 'umum' }), ctx(OFFICER)).thenThrows('pppk-category');
    });
  });

  describe('SKD reuse', () => {
    it('accepts a 2023 SKD score reused in a 2024 CPNS period', () => {
      const cmd = submit('A-1', { skdReusedFrom: 2023 });
      given(cpnsPeriod()).when(cmd, ctx(OFFICER)).thenAppends(expected(cmd));
    });

    it("refuses reuse from the same year or in a PPPK period: 'skd-reuse'", () => {
      given(cpnsPeriod()).when(submit('A-1', { skdReusedFrom: 2024 }), ctx(OFFICER)).thenThrows('skd-reuse');
      given(pppkOpened(), formation('F-1')).when(submit('A-1', { pppkCategory: 'umum', skdReusedFrom: 2023 }), ctx(OFFICER)).thenThrows('skd-reuse');
    });
  });

  it('keeps only defined fields in the event (no undefined keys reach the canonical JSON)', () => {
    const cmd = { ...submit(), pppkCategory: undefined, skdReusedFrom: undefined };
    const d = given(cpnsPeriod()).when(cmd, ctx(OFFICER)).decision();
    const payload = d.appends[0]?.events[0]?.payload ?? {};
    expect(Object.keys(payload)).not.toContain('pppkCategory');
    expect(Object.keys(payload)).not.toContain('skdReusedFrom');
  });
});
