import { describe, expect, it } from 'vitest';
import { ADMIN, AGENCY, OFFICER, SUPERVISOR, ctx, dev, givenDirectory, idx, sealed } from './given.ts';

const agency = dev('AgencyRegistered', { ...AGENCY });
const officer = dev('ActorRegistered', { actorId: OFFICER.id, role: 'officer', agency: AGENCY.code, personal: sealed('subj-off-1'), indexes: { nik: idx('nik-off-1'), kk: idx('kk-off-1') } });
const relative = dev('RelativeDeclared', { actorId: OFFICER.id, relation: 'sibling', personal: sealed('subj-rel-1'), indexes: { nik: idx('nik-rel-1') } });

describe('RegisterAgency', () => {
  it('registers an agency on a new agency stream', () => {
    const state = givenDirectory()
      .when({ type: 'RegisterAgency', ...AGENCY }, ctx(ADMIN))
      .thenAppends([{ stream: `agency-${AGENCY.code}`, expectedVersion: -1, events: [agency] }]);
    expect(state.agencies.get(AGENCY.code)?.level).toBe('daerah');
  });

  it("refuses a code already registered: 'agency-exists'", () => {
    givenDirectory(agency).when({ type: 'RegisterAgency', ...AGENCY }, ctx(ADMIN)).thenThrows('agency-exists', { field: 'code' });
  });

  it("is an admin's act: 'role'", () => {
    givenDirectory().when({ type: 'RegisterAgency', ...AGENCY }, ctx(SUPERVISOR)).thenThrows('role');
  });
});

describe('RegisterActor', () => {
  const cmd = { type: 'RegisterActor', actorId: OFFICER.id, role: 'officer', agency: AGENCY.code, personal: sealed('subj-off-1'), indexes: { nik: idx('nik-off-1'), kk: idx('kk-off-1') } } as const;

  it('registers an officer of a registered agency', () => {
    const state = givenDirectory(agency).when(cmd, ctx(ADMIN)).thenAppends([{ stream: 'actor-off-1', expectedVersion: -1, events: [officer] }]);
    expect(state.actors.get('off-1')).toMatchObject({ role: 'officer', agency: AGENCY.code, active: true, registeredSeq: 1, subject: 'subj-off-1' });
  });

  it('registers oversight and admins without an agency', () => {
    for (const role of ['inspector', 'ombudsman', 'admin'] as const) {
      givenDirectory()
        .when({ type: 'RegisterActor', actorId: 'x-1', role, agency: null, indexes: {} }, ctx(ADMIN))
        .then([dev('ActorRegistered', { actorId: 'x-1', role, agency: null, indexes: {} })]);
    }
  });

  it("refuses an agency-bound role without a registered agency, and an agency for oversight: 'actor-agency'", () => {
    givenDirectory().when(cmd, ctx(ADMIN)).thenThrows('actor-agency', { field: 'agency' });
    givenDirectory(agency).when({ ...cmd, role: 'portal', agency: null }, ctx(ADMIN)).thenThrows('actor-agency');
    givenDirectory(agency).when({ ...cmd, role: 'inspector' }, ctx(ADMIN)).thenThrows('actor-agency');
  });

  it("refuses an id already registered: 'actor-exists'", () => {
    givenDirectory(agency, officer).when(cmd, ctx(ADMIN)).thenThrows('actor-exists');
  });
});

describe('DeclareRelative', () => {
  const cmd = { type: 'DeclareRelative', actorId: OFFICER.id, relation: 'sibling', personal: sealed('subj-rel-1'), indexes: { nik: idx('nik-rel-1') } } as const;

  it('records a relative declared by the actor themselves, or by an admin', () => {
    const state = givenDirectory(agency, officer).when(cmd, ctx(OFFICER)).thenAppends([{ stream: 'actor-off-1', expectedVersion: 0, events: [relative] }]);
    expect(state.actors.get('off-1')?.relatives).toHaveLength(1);
    givenDirectory(agency, officer).when(cmd, ctx(ADMIN)).then([relative]);
  });

  it("refuses a declaration for someone else: 'role'", () => {
    givenDirectory(agency, officer).when(cmd, ctx(SUPERVISOR)).thenThrows('role');
  });

  it("refuses a relative without any blind index: 'relative-indexes'", () => {
    givenDirectory(agency, officer).when({ ...cmd, indexes: {} }, ctx(OFFICER)).thenThrows('relative-indexes');
  });

  it("refuses an unknown or deactivated actor: 'actor-not-found', 'actor-inactive'", () => {
    givenDirectory(agency).when(cmd, ctx(ADMIN)).thenThrows('actor-not-found', { code: 'NOT_FOUND', field: 'actorId' });
    givenDirectory(agency, officer, dev('ActorDeactivated', { actorId: 'off-1', reason: 'pensiun' })).when(cmd, ctx(ADMIN)).thenThrows('actor-inactive');
  });
});

describe('DeactivateActor', () => {
  it('deactivates once', () => {
    const state = givenDirectory(agency, officer)
      .when({ type: 'DeactivateActor', actorId: 'off-1', reason: 'mutasi' }, ctx(ADMIN))
      .then([dev('ActorDeactivated', { actorId: 'off-1', reason: 'mutasi' })]);
    expect(state.actors.get('off-1')).toMatchObject({ active: false, deactivated: { reason: 'mutasi' } });
    givenDirectory(agency, officer, dev('ActorDeactivated', { actorId: 'off-1', reason: 'mutasi' }))
      .when({ type: 'DeactivateActor', actorId: 'off-1', reason: 'x' }, ctx(ADMIN))
      .thenThrows('actor-inactive');
  });
});

describe('ErasePersonalData (directory)', () => {
  const erase = { type: 'ErasePersonalData', actorId: 'off-1', legalBasis: 'UU 27/2022 Ps 8', requestRef: 'PDP-2' } as const;

  it("erases the actor's own subject by default, keeping indexes", () => {
    const state = givenDirectory(agency, officer, relative)
      .when(erase, ctx(ADMIN))
      .thenAppends([{ stream: 'actor-off-1', expectedVersion: 1, events: [dev('PersonalDataErased', { subject: 'subj-off-1', legalBasis: 'UU 27/2022 Ps 8', requestRef: 'PDP-2' })] }]);
    const actor = state.actors.get('off-1');
    expect(actor?.personal).toBeNull();
    expect(actor?.indexes.kk).toBeDefined();
    expect(actor?.relatives[0]?.personal).not.toBeNull();
  });

  it("erases a declared relative's subject", () => {
    const state = givenDirectory(agency, officer, relative).when({ ...erase, subject: 'subj-rel-1' }, ctx(ADMIN)).then([dev('PersonalDataErased', { subject: 'subj-rel-1', legalBasis: 'UU 27/2022 Ps 8', requestRef: 'PDP-2' })]);
    expect(state.actors.get('off-1')?.relatives[0]?.personal).toBeNull();
    expect(state.actors.get('off-1')?.personal).not.toBeNull();
  });

  it("refuses a subject that is not the actor's or a relative's: 'unknown-subject'", () => {
    givenDirectory(agency, officer).when({ ...erase, subject: 'subj-other' }, ctx(ADMIN)).thenThrows('unknown-subject');
    givenDirectory(agency, dev('ActorRegistered', { actorId: 'off-1', role: 'officer', agency: AGENCY.code, indexes: {} })).when(erase, ctx(ADMIN)).thenThrows('unknown-subject');
  });

  it("erases once: 'already-erased'", () => {
    const erased = { event: dev('PersonalDataErased', { subject: 'subj-off-1', legalBasis: 'x', requestRef: 'y' }), stream: 'actor-off-1' };
    givenDirectory(agency, officer, erased).when(erase, ctx(ADMIN)).thenThrows('already-erased');
  });
});
