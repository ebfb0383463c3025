import { describe, expect, it } from 'vitest';
import { PERIOD_COMMAND_ROLES } from '../src/decide.ts';
import type { PeriodCommand } from '../src/commands.ts';
import {
  ADMIN,
  AGENCY,
  INSPECTOR,
  LATER,
  OFFICER,
  PORTAL,
  REG_CLOSES,
  SCHEDULE,
  SKB_WEIGHTS,
  SUPERVISOR,
  cpnsOpened,
  cpnsPeriod,
  ctx,
  ev,
  formation,
  given,
  pppkOpened,
} from './given.ts';

const open: Extract<PeriodCommand, { type: 'OpenPeriod' }> = {
  type: 'OpenPeriod',
  periodId: 'cpns-2024',
  agency: { ...AGENCY },
  year: 2024,
  kind: 'CPNS',
  rules: 'casn-2024',
  skbWeights: { ...SKB_WEIGHTS },
  schedule: SCHEDULE,
};

describe('OpenPeriod', () => {
  it('opens a CPNS period on the period stream, which must not exist', () => {
    given()
      .when(open, ctx(ADMIN))
      .thenAppends([{ stream: 'period', expectedVersion: -1, events: [cpnsOpened()] }]);
  });

  it('opens a PPPK period without SKB weights', () => {
    const { skbWeights: _w, ...rest } = open;
    const state = given()
      .when({ ...rest, periodId: 'pppk-2024', kind: 'PPPK', rules: 'pppk-2024', schedule: { registration: SCHEDULE.registration, verification: SCHEDULE.verification, kompetensi: SCHEDULE.skd } }, ctx(ADMIN))
      .then([pppkOpened()]);
    expect(state.period?.kind).toBe('PPPK');
    expect(state.rules?.id).toBe('pppk-2024');
  });

  it("refuses a second opening: 'period-exists'", () => {
    given(cpnsOpened()).when(open, ctx(ADMIN)).thenThrows('period-exists');
  });

  it("refuses an unknown rule set: 'unknown-rule-set'", () => {
    given().when({ ...open, rules: 'casn-2022' }, ctx(ADMIN)).thenThrows('unknown-rule-set', { field: 'rules' });
  });

  it("refuses a rule set of the other kind: 'rule-set-kind'", () => {
    given().when({ ...open, rules: 'pppk-2024' }, ctx(ADMIN)).thenThrows('rule-set-kind', { field: 'rules' });
  });

  it("refuses a CPNS period without SKB weights: 'skb-weights'", () => {
    const { skbWeights: _w, ...rest } = open;
    given().when(rest, ctx(ADMIN)).thenThrows('skb-weights', { field: 'skbWeights' });
  });

  it("refuses SKB weights outside the agency level's limits (a daerah interview): 'skb-weights'", () => {
    given()
      .when({ ...open, skbWeights: { cat: 0.6, interview: 0.4 } }, ctx(ADMIN))
      .thenThrows('skb-weights', { field: 'skbWeights.interview' });
  });

  it("refuses SKB weights on a PPPK period: 'skb-weights'", () => {
    given().when({ ...open, kind: 'PPPK', rules: 'pppk-2024' }, ctx(ADMIN)).thenThrows('skb-weights');
  });

  it("refuses a window that does not open before it closes: 'schedule-window'", () => {
    given()
      .when({ ...open, schedule: { ...SCHEDULE, skd: { opens: '2024-10-14T00:00:00.000Z', closes: '2024-10-14T00:00:00.000Z' } } }, ctx(ADMIN))
      .thenThrows('schedule-window', { field: 'schedule.skd' });
  });

  it('compares windows as instants, whatever the offset', () => {
    // 08:00+07:00 is 01:00Z: before 02:00Z.
    given()
      .when({ ...open, schedule: { registration: { opens: '2024-08-20T08:00:00+07:00', closes: '2024-08-20T02:00:00Z' } } }, ctx(ADMIN))
      .then([cpnsOpened({ schedule: { registration: { opens: '2024-08-20T08:00:00+07:00', closes: '2024-08-20T02:00:00Z' } } })]);
  });

  it("lets a supervisor open only for their own agency: 'actor-agency'", () => {
    given().when(open, ctx(SUPERVISOR)).then([cpnsOpened()]);
    given().when({ ...open, agency: { code: 'KAB-LAIN', name: 'Kabupaten Lain', level: 'daerah' } }, ctx(SUPERVISOR)).thenThrows('actor-agency');
  });
});

describe('roles and the opened period', () => {
  it("refuses every command of a role not allowed to issue it: 'role'", () => {
    given(cpnsPeriod()).when({ type: 'AmendFormation', formationId: 'F-1', changes: { quota: 2 }, reason: 'r', reference: 'ref' }, ctx(INSPECTOR)).thenThrows('role');
    given(cpnsPeriod()).when({ type: 'AmendFormation', formationId: 'F-1', changes: { quota: 2 }, reason: 'r', reference: 'ref' }, ctx(OFFICER)).thenThrows('role');
  });

  it('gives oversight roles no recruitment write: inspectors only raise and dispose red flags and commit completeness', () => {
    for (const [type, roles] of Object.entries(PERIOD_COMMAND_ROLES)) {
      expect(roles, type).not.toContain('ombudsman');
      if (type !== 'RaiseFlags' && type !== 'DisposeFlag' && type !== 'CommitStreamHeads') expect(roles, type).not.toContain('inspector');
    }
    expect(PERIOD_COMMAND_ROLES.DisposeFlag).toEqual(['inspector']);
  });

  it("refuses every write before the period is opened: 'period-not-open'", () => {
    given().when({ type: 'AnnounceFormation', ...formationPayload() }, ctx(ADMIN)).thenThrows('period-not-open');
    given().when({ type: 'PublishResults', stage: 'administrasi', reference: 'P-1' }, ctx(ADMIN)).thenThrows('period-not-open');
  });

  it("refuses an agency-bound actor of another agency: 'actor-agency'", () => {
    given(cpnsPeriod())
      .when({ type: 'AmendFormation', formationId: 'F-1', changes: { quota: 2 }, reason: 'r', reference: 'ref' }, ctx({ ...SUPERVISOR, agency: 'KAB-LAIN' }))
      .thenThrows('actor-agency');
  });
});

function formationPayload() {
  const e = formation('F-2');
  if (e.type !== 'FormationAnnounced') throw new Error('unreachable');
  return e.payload;
}

describe('AmendSchedule', () => {
  const amend = { type: 'AmendSchedule', stage: 'registration', closes: '2024-09-10T23:59:59.000Z', reason: 'Perpanjangan pendaftaran', reference: 'B-123/2024' } as const;

  it('moves a close and keeps the opening', () => {
    const state = given(cpnsOpened()).when(amend, ctx(ADMIN)).then([ev('ScheduleAmended', { stage: 'registration', closes: '2024-09-10T23:59:59.000Z', reason: 'Perpanjangan pendaftaran', reference: 'B-123/2024' })]);
    expect(state.schedule.registration).toEqual({ opens: SCHEDULE.registration.opens, closes: '2024-09-10T23:59:59.000Z' });
    expect(state.scheduleChanges).toHaveLength(1);
    expect(state.scheduleChanges[0]?.before).toEqual(SCHEDULE.registration);
  });

  it("refuses a close before the opening: 'schedule-window'", () => {
    given(cpnsOpened()).when({ ...amend, closes: '2024-08-19T00:00:00.000Z' }, ctx(ADMIN)).thenThrows('schedule-window', { field: 'closes' });
  });

  it("refuses a new opening after the close: 'schedule-window'", () => {
    given(cpnsOpened()).when({ ...amend, opens: '2024-09-11T00:00:00.000Z' }, ctx(ADMIN)).thenThrows('schedule-window');
  });

  it("refuses a close alone for a stage never scheduled: 'schedule-window'", () => {
    given(cpnsOpened()).when({ ...amend, stage: 'sanggah' }, ctx(ADMIN)).thenThrows('schedule-window', { field: 'opens' });
  });

  it('schedules a new stage with an opening and a close', () => {
    const cmd = { ...amend, stage: 'sanggah', opens: '2024-09-20T00:00:00.000Z', closes: '2024-09-22T23:59:59.000Z' } as const;
    const { type: _t, ...payload } = cmd;
    const state = given(cpnsOpened()).when(cmd, ctx(ADMIN)).then([ev('ScheduleAmended', payload)]);
    expect(state.schedule.sanggah).toEqual({ opens: cmd.opens, closes: cmd.closes });
  });
});

describe('PublishResults', () => {
  it('publishes on the period stream; the entry time is the announcement time', () => {
    const state = given(cpnsPeriod())
      .when({ type: 'PublishResults', stage: 'administrasi', reference: 'PENG-1/2024' }, ctx(ADMIN, '2024-09-20T10:00:00.000Z'))
      .thenAppends([{ stream: 'period', expectedVersion: 0, events: [ev('ResultsPublished', { stage: 'administrasi', reference: 'PENG-1/2024' })] }]);
    expect(state.publications[0]).toMatchObject({ stage: 'administrasi', formationId: null, at: '2024-09-20T10:00:00.000Z' });
  });

  it('publishes for one formation', () => {
    given(cpnsPeriod())
      .when({ type: 'PublishResults', stage: 'skd', reference: 'PENG-2/2024', formationId: 'F-1' }, ctx(ADMIN))
      .then([ev('ResultsPublished', { stage: 'skd', reference: 'PENG-2/2024', formationId: 'F-1' })]);
  });

  it("refuses an unknown formation: NOT_FOUND", () => {
    given(cpnsPeriod())
      .when({ type: 'PublishResults', stage: 'skd', reference: 'PENG-2/2024', formationId: 'F-9' }, ctx(ADMIN))
      .thenThrows('formation-not-found', { code: 'NOT_FOUND', field: 'formationId' });
  });

  it("refuses a stage of the other kind: 'period-kind'", () => {
    given(cpnsPeriod()).when({ type: 'PublishResults', stage: 'kompetensi', reference: 'P' }, ctx(ADMIN)).thenThrows('period-kind', { field: 'stage' });
    given(pppkOpened()).when({ type: 'PublishResults', stage: 'skd', reference: 'P' }, ctx(ADMIN)).thenThrows('period-kind', { field: 'stage' });
  });
});

describe('AnnounceFormation', () => {
  it('announces on a new formation stream', () => {
    const state = given(cpnsOpened())
      .when({ type: 'AnnounceFormation', ...formationPayload() }, ctx(ADMIN, '2024-08-10T00:00:00.000Z'))
      .thenAppends([{ stream: 'formation-F-2', expectedVersion: -1, events: [formation('F-2')] }]);
    expect(state.formations.get('F-2')).toMatchObject({ quota: 1, track: 'umum', applicationIds: [] });
  });

  it("refuses a formation id already used: 'formation-exists'", () => {
    given(cpnsOpened(), formation('F-2')).when({ type: 'AnnounceFormation', ...formationPayload() }, ctx(ADMIN, '2024-08-10T00:00:00.000Z')).thenThrows('formation-exists');
  });

  it("accepts up to the registration close, refuses after it: 'registration-closed'", () => {
    given(cpnsOpened()).when({ type: 'AnnounceFormation', ...formationPayload() }, ctx(ADMIN, REG_CLOSES)).then([formation('F-2')]);
    given(cpnsOpened()).when({ type: 'AnnounceFormation', ...formationPayload() }, ctx(ADMIN, '2024-09-07T00:00:00.000Z')).thenThrows('registration-closed');
  });
});

describe('AmendFormation', () => {
  const amend = { type: 'AmendFormation', formationId: 'F-1', changes: { quota: 3 }, reason: 'Tambahan formasi', reference: 'KEP-9/2024' } as const;

  it('amends a formation at any time, after registration too (a red flag, not a refusal)', () => {
    const { type: _t, ...payload } = amend;
    const state = given(cpnsPeriod()).when(amend, ctx(ADMIN, LATER)).thenAppends([{ stream: 'formation-F-1', expectedVersion: 0, events: [ev('FormationAmended', payload)] }]);
    expect(state.formations.get('F-1')?.quota).toBe(3);
    expect(state.formations.get('F-1')?.amendments).toHaveLength(1);
  });

  it("refuses an amendment without changes: 'empty-change'", () => {
    given(cpnsPeriod()).when({ ...amend, changes: {} }, ctx(ADMIN)).thenThrows('empty-change', { field: 'changes' });
  });

  it('refuses an unknown formation: NOT_FOUND', () => {
    given(cpnsPeriod()).when({ ...amend, formationId: 'F-9' }, ctx(ADMIN)).thenThrows('formation-not-found', { code: 'NOT_FOUND' });
  });

  it('is by the agency, not the portal', () => {
    given(cpnsPeriod()).when(amend, ctx(PORTAL)).thenThrows('role');
  });
});
