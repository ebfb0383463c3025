/**
 * The routes the console adds (GET /v1/me, GET /v1/health/ledgers), and the console's role
 * table against the API's own: what the console shows a role must be what the API admits.
 */
import { PERIOD_COMMAND_ROLES } from '@casn/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICTIONARY, MESSAGE_KEYS } from '../src/i18n.ts';
import { COMMAND_ROLES, READ_ROLES } from '../src/roles.ts';
import { ACTORS, AGENCY, PERIOD, recordPeriod, startConsoleServer, type ActorName, type ConsoleServer } from './support.ts';

let s: ConsoleServer;

beforeAll(async () => {
  s = await startConsoleServer();
  await recordPeriod(s);
});

afterAll(async () => {
  await s?.close();
});

interface LedgerHealth {
  ledger: string;
  origin: string;
  size: number;
  checkpoint: { size: number; root: string; note: string; verifierKey: string } | null;
  verification: unknown;
}

describe('GET /v1/me', () => {
  it("tells every role who the token's holder is", async () => {
    for (const [actor, a] of Object.entries(ACTORS) as [ActorName, (typeof ACTORS)[ActorName]][]) {
      expect(await s.call(actor, 'GET', '/v1/me')).toEqual({ actorId: actor, role: a.role, agency: a.agency });
    }
  });

  it('answers 401 without a token', async () => {
    const res = await fetch(`${s.url}/v1/me`);
    expect(res.status).toBe(401);
  });
});

describe('GET /v1/health/ledgers', () => {
  it('lists the period and the directory with their signed checkpoints; no verification without a worker', async () => {
    const { items } = await s.call<{ items: LedgerHealth[] }>('ombudsman', 'GET', '/v1/health/ledgers');
    expect(items.map((l) => l.ledger)).toEqual([PERIOD, 'directory']);
    const period = items[0]!;
    expect(period.size).toBeGreaterThan(0);
    expect(period.checkpoint?.size).toBe(period.size);
    expect(period.checkpoint?.note).toContain(period.origin);
    expect(period.verification).toBeNull();
  });

  it("shows an agency's officer only its own periods, and refuses the portal", async () => {
    const { items } = await s.call<{ items: LedgerHealth[] }>('officer', 'GET', '/v1/health/ledgers');
    expect(items.map((l) => l.ledger)).toEqual([PERIOD, 'directory']);
    await expect(s.call('portal', 'GET', '/v1/health/ledgers')).rejects.toThrow(/403/);
    expect(AGENCY).toBe('kota-uji');
  });
});

describe("the console's role table", () => {
  it('matches the domain for the commands its forms record', () => {
    for (const [command, roles] of Object.entries(COMMAND_ROLES)) {
      expect([...roles].sort(), command).toEqual([...PERIOD_COMMAND_ROLES[command as keyof typeof PERIOD_COMMAND_ROLES]].sort());
    }
  });

  it("matches the roles the API's read and import routes admit (OpenAPI x-roles)", async () => {
    const doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId: string; 'x-roles'?: string[] }>> };
    const roles = new Map<string, string[]>();
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) roles.set(op.operationId, op['x-roles'] ?? []);
    const operation: Record<keyof typeof READ_ROLES, string> = {
      flags: 'listFlags',
      applications: 'listApplications',
      activity: 'officerActivity',
      actors: 'listActors',
      health: 'ledgerHealth',
      importRegistrations: 'importRegistrations',
      importCatScores: 'importCatScores',
    };
    for (const [capability, op] of Object.entries(operation) as [keyof typeof READ_ROLES, string][]) {
      expect([...READ_ROLES[capability]].sort(), capability).toEqual([...(roles.get(op) ?? [])].sort());
    }
  });
});

describe('the dictionaries', () => {
  it('translate every key into both languages with the same placeholders', () => {
    const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
    for (const key of MESSAGE_KEYS) {
      expect(DICTIONARY.id[key].trim(), key).not.toBe('');
      expect(DICTIONARY.en[key].trim(), key).not.toBe('');
      expect(placeholders(DICTIONARY.en[key]), key).toEqual(placeholders(DICTIONARY.id[key]));
    }
  });
});
