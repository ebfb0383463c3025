import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GENESIS_PREV, chainHeadExtension, generateSignerKey, parseSignerKey, rootFromLeafHashes, sealEntry, signCheckpoint } from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

const L = 'casn.example.go.id/2026';

/** Runs `node --import tsx services/cli/src/main.ts ...args` from the repo root, as `pnpm ledger` does. */
function ledger(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Writes a bundle built with ledger-core alone (no store), so the CLI is checked against an independent producer. */
async function writeBundle(dir: string, size: number, tamper?: (lines: string[]) => void): Promise<void> {
  const { skey, vkey } = generateSignerKey(L);
  const lines: string[] = [];
  const leaves: Uint8Array[] = [];
  let prev = GENESIS_PREV;
  for (let seq = 0; seq < size; seq++) {
    const { text, leaf } = sealEntry({
      ledger: L,
      seq,
      id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      stream: `application/PEL-${seq % 3}`,
      version: Math.floor(seq / 3),
      type: 'ApplicationSubmitted',
      schema: 1,
      at: '2026-08-20T01:02:03.004Z',
      actor: { id: 'portal-sscasn', role: 'portal' },
      payload: { formasi: 'F-01' },
      prev,
    });
    lines.push(text);
    leaves.push(leaf);
    prev = Buffer.from(leaf).toString('hex');
  }
  const note = signCheckpoint({ origin: L, size, root: rootFromLeafHashes(leaves), extensions: [chainHeadExtension(leaves.at(-1)!)] }, parseSignerKey(skey));
  tamper?.(lines);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'entries.jsonl'), lines.map((l) => l + '\n').join(''));
  await writeFile(join(dir, 'checkpoint'), note);
  await writeFile(join(dir, 'log.vkey'), vkey + '\n');
}

describe('the entry point as a child process', () => {
  let good: string;
  let bad: string;
  beforeAll(async () => {
    const root = await tempDir();
    good = join(root, 'good');
    bad = join(root, 'bad');
    await writeBundle(good, 12);
    await writeBundle(bad, 12, (lines) => lines.splice(4, 2, lines[5]!, lines[4]!));
  });

  it('exits 0 with the verdict on stdout for a valid bundle', async () => {
    const res = await ledger(['verify', good]);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(new RegExp(`^valid: origin ${L}, 12 entries, root \\S+\\n$`));
    expect(res.code).toBe(0);
  });

  it('exits 1 naming the first bad seq for a tampered bundle', async () => {
    const res = await ledger(['verify', bad]);
    expect(res.stdout).toBe('invalid: seq 4: seq out of order (expected 4, actual 5)\n');
    expect(res.code).toBe(1);
  });

  it('exits 2 on a usage error', async () => {
    const res = await ledger(['verify']);
    expect(res.stderr).toMatch(/^ledger verify: missing DIR\n/);
    expect(res.code).toBe(2);
  });
});
