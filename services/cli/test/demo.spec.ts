import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnvironment, testEngine, type CliEnvironment } from './helpers.ts';

const L = 'casn.tangerangselatankota.go.id/2026';
let e: CliEnvironment;

beforeAll(async () => {
  e = await cliEnvironment({ migrated: false });
});
afterAll(async () => e.cleanup());

describe(`demo on ${testEngine}`, () => {
  let first: Awaited<ReturnType<typeof cli>>;
  const bundle = () => join(e.dataDir, 'demo-bundle');

  it('migrates, records a sample recruitment, exports and verifies it, and says what to try next', async () => {
    first = await cli(['demo'], e.env);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('applied migration 2026-11-22T0000-ledger\napplied migration 2026-11-22T0100-personal-data\napplied migration 2026-11-22T0200-access\napplied migration 2026-11-22T0300-projections\napplied migration 2026-11-22T0400-witness\n');
    const size = Number(/^entries +(\d+) \(\1 recorded now\)$/m.exec(first.stdout)?.[1]);
    expect(size).toBeGreaterThan(700);
    expect(first.stdout).toContain(`ledger    ${L}\n`);
    expect(first.stdout).toContain(`bundle    ${bundle()}\n`);
    expect(first.stdout).toMatch(new RegExp(`^verdict   valid: origin ${L}, ${size} entries, root `, 'm'));
    expect(first.stdout).toContain(`pnpm ledger verify ${bundle()}\n`);
    expect(first.stdout).toContain(`pnpm ledger prove --ledger ${L} --seq 42\n`);

    expect(await e.withStore((s) => s.size(L))).toBe(size);
    const verified = await cli(['verify', bundle()]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`${size} entries`);
  });

  it('records the whole recruitment with synthetic ids only', async () => {
    const entries = (await readFile(join(bundle(), 'entries.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; stream: string; actor: { id: string; role: string }; payload: Record<string, unknown> });
    const count = (type: string) => entries.filter((x) => x.type === type).length;
    expect(count('FormasiAnnounced')).toBe(10);
    expect(count('ApplicationSubmitted')).toBe(300);
    expect(count('SanggahFiled')).toBeGreaterThan(0);
    expect(count('SkdScoreRecorded')).toBeGreaterThan(100);
    expect(count('FinalResultsAnnounced')).toBe(10);
    const verifications = entries.filter((x) => x.type === 'DocumentsVerified').map((x) => x.payload);
    expect(new Set(verifications.map((p) => p.result))).toEqual(new Set(['MS', 'TMS']));
    expect(verifications.filter((p) => p.result === 'TMS').every((p) => typeof p.alasan === 'string')).toBe(true);
    const score = entries.find((x) => x.type === 'SkdScoreRecorded')!.payload;
    expect(Object.keys(score)).toEqual(expect.arrayContaining(['twk', 'tiu', 'tkp', 'total']));
    expect(new Set(entries.map((x) => x.actor.role))).toEqual(new Set(['officer', 'supervisor', 'portal']));

    const text = await readFile(join(bundle(), 'entries.jsonl'), 'utf8');
    const payloads = entries.map((x) => JSON.stringify(x.payload)).join('\n');
    expect(payloads).not.toMatch(/\d{10,}/); // no NIK, NIP or phone number
    expect(text).not.toMatch(/"(nik|nama|name|phone|telepon|email|alamat|address|tanggalLahir)"/i);
  });

  it('only checkpoints, exports and verifies on a second run', async () => {
    const second = await cli(['demo'], e.env);
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    const size = /^entries +(\d+)/m.exec(first.stdout)?.[1];
    expect(second.stdout).toContain(`entries   ${size} (already recorded; nothing added)\n`);
    const root = (out: string) => /^root +(\S+)$/m.exec(out)?.[1];
    expect(root(second.stdout)).toBe(root(first.stdout));
    expect(await e.withStore((s) => s.size(L))).toBe(Number(size));
    expect(existsSync(join(bundle(), 'checkpoint'))).toBe(true);
  });
});
