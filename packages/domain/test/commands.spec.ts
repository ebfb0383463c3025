import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DirectoryCommand, DirectoryCommands, PeriodCommand, PeriodCommands } from '../src/commands.ts';
import { PERIOD_COMMAND_ROLES } from '../src/decide.ts';
import { idx, submission } from './given.ts';

describe('command schemas', () => {
  it('convert to JSON Schema (HTTP request bodies) with descriptions', () => {
    for (const schema of [...Object.values(PeriodCommands), ...Object.values(DirectoryCommands)]) {
      expect(() => z.toJSONSchema(schema, { io: 'input' })).not.toThrow();
    }
    const json = z.toJSONSchema(PeriodCommands.SubmitApplication, { io: 'input' }) as { properties: Record<string, { description?: string }> };
    expect(json.properties.pppkCategory?.description).toMatch(/PPPK/);
  });

  it('parse a whole command by its type and refuse an unknown type', () => {
    expect(PeriodCommand.parse({ type: 'DecideSkdCut', formationId: 'F-1' })).toEqual({ type: 'DecideSkdCut', formationId: 'F-1' });
    expect(PeriodCommand.safeParse({ type: 'Nope', formationId: 'F-1' }).success).toBe(false);
    expect(DirectoryCommand.parse({ type: 'DeactivateActor', actorId: 'a-1', reason: 'pensiun' })).toEqual({ type: 'DeactivateActor', actorId: 'a-1', reason: 'pensiun' });
  });

  it('require the NIK blind index on SubmitApplication', () => {
    const body = { ...submission('A-1'), indexes: { kk: idx('kk') } };
    expect(PeriodCommands.SubmitApplication.safeParse(body).success).toBe(false);
    expect(PeriodCommands.SubmitApplication.safeParse({ ...body, indexes: { nik: idx('nik') } }).success).toBe(true);
  });

  it('have a role list for every period command', () => {
    expect(Object.keys(PERIOD_COMMAND_ROLES).sort()).toEqual(Object.keys(PeriodCommands).sort());
  });

  it('validate birth dates of DecideRanking', () => {
    expect(PeriodCommands.DecideRanking.safeParse({ formationId: 'F-1', birthDates: { 'A-1': '1990-01-31' } }).success).toBe(true);
    expect(PeriodCommands.DecideRanking.safeParse({ formationId: 'F-1', birthDates: { 'A-1': '31-01-1990' } }).success).toBe(false);
  });
});
