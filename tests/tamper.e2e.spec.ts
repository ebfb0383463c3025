/**
 * Tampering with an exported bundle, end to end: a ledger is built with the store,
 * exported, changed on disk in the ways an operator could try, and checked with the
 * CLI's `verify`, which must name the first bad seq (or the broken signature).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '@casn/cli';
import { EventStore, KeyStore, exportBundle } from '@casn/event-store';
import { createTestDatabase, testEngine, type TestDatabase } from '@casn/event-store/testing';
import {
  chainHeadExtension,
  generateSignerKey,
  parseSignerKey,
  rootFromLeafHashes,
  signCheckpoint,
  signNote,
} from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteScoresFrom } from './support/rewrite.ts';

const L = 'casn.tangerangselatankota.go.id/2026';
const SIZE = 300;
const TRUSTED_SIZE = 200;

let t: TestDatabase;
let work: string;
let keysDir: string;
let bundle: string;
let trustedFile: string; // the checkpoint signed at size 200, kept by an auditor
let realVkeyFile: string; // the log key as the auditor knows it
let copies = 0;

/** Runs the CLI in-process; verify needs no database, so no environment. */
async function ledger(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
  });
  return { code, stdout, stderr };
}

/** A fresh copy of the exported bundle. */
async function copy(): Promise<string> {
  const dir = join(work, `copy-${++copies}`);
  await cp(bundle, dir, { recursive: true });
  return dir;
}

async function readLines(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, 'entries.jsonl'), 'utf8');
  return text.slice(0, -1).split('\n');
}

async function writeLines(dir: string, lines: readonly string[]): Promise<void> {
  await writeFile(join(dir, 'entries.jsonl'), lines.map((l) => l + '\n').join(''));
}

/** The signed text of a note (everything before the blank line and signatures). */
function noteText(note: string): string {
  return note.slice(0, note.lastIndexOf('\n\n') + 1);
}

/** A stream of some kind for entry `i`: formasi, applications and score sheets interleave. */
function draft(i: number): { stream: string; type: string; payload: Record<string, unknown> } {
  const n = String(i % 60).padStart(4, '0');
  if (i < 5) return { stream: `formasi/F-0${i + 1}`, type: 'FormasiAnnounced', payload: { formasi: `F-0${i + 1}`, quota: 2 } };
  if (i < 65) return { stream: `application/PEL-2026-${n}`, type: 'ApplicationSubmitted', payload: { applicant: `PEL-2026-${n}`, formasi: `F-0${(i % 5) + 1}` } };
  if (i < 125) return { stream: `application/PEL-2026-${n}`, type: 'DocumentsVerified', payload: { applicant: `PEL-2026-${n}`, result: i % 7 ? 'MS' : 'TMS' } };
  return { stream: `application/PEL-2026-${n}`, type: 'SkdScoreRecorded', payload: { applicant: `PEL-2026-${n}`, twk: 60 + (i % 50), tiu: 80 + (i % 60), tkp: 150 + (i % 70) } };
}

beforeAll(async () => {
  t = await createTestDatabase();
  work = await mkdtemp(join(tmpdir(), 'ledger-tamper-'));
  keysDir = join(work, 'keys');
  const store = new EventStore(t.database, { keys: new KeyStore({ dir: keysDir, generate: true }) });

  // Appended in rounds of concurrent appends to distinct streams, in order within each stream.
  const append = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i += 20) {
      const round = Array.from({ length: Math.min(20, to - i) }, (_, k) => draft(i + k));
      await Promise.all(round.map((d) => store.append(L, d.stream, 'any', [{ type: d.type, actor: { id: 'officer-01', role: 'officer' }, payload: d.payload }])));
    }
  };
  await append(0, TRUSTED_SIZE);
  const old = await store.checkpoint(L);
  expect(old.size).toBe(TRUSTED_SIZE);
  trustedFile = join(work, 'trusted-200.checkpoint');
  await writeFile(trustedFile, old.note);

  await append(TRUSTED_SIZE, SIZE);
  bundle = join(work, 'bundle');
  const cp300 = await exportBundle(store, L, bundle);
  expect(cp300.size).toBe(SIZE);
  realVkeyFile = join(work, 'real.vkey');
  await writeFile(realVkeyFile, await store.verifierKey(L));
});

afterAll(async () => {
  await t.cleanup();
  await rm(work, { recursive: true, force: true });
});

describe(`a tampered bundle on ${testEngine}`, () => {
  it('verifies untouched, also against the pinned key and the older trusted checkpoint', async () => {
    const res = await ledger('verify', bundle, '--trusted', trustedFile, '--log-key', realVkeyFile);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^valid: origin ${L}, ${SIZE} entries, root \\S+\\n$`));
    expect((await ledger('verify', bundle)).code).toBe(0);
  });

  it('names the entry after one whose payload byte changed: its prev no longer chains', async () => {
    const dir = await copy();
    const lines = await readLines(dir);
    const changed = lines[150]!.replace('"applicant":"PEL-2026-', '"applicant":"PEL-2027-');
    expect(changed).not.toBe(lines[150]);
    expect(changed.length).toBe(lines[150]!.length); // one byte, not an insertion
    lines[150] = changed;
    await writeLines(dir, lines);
    const res = await ledger('verify', dir);
    expect(res.code).toBe(1);
    // Entry 150 still parses and is canonical; 151's prev no longer matches it while 152 still chains onto 151.
    expect(res.stdout).toMatch(/^invalid: seq 150: entry differs from what the next entry's prev commits to \(expected [0-9a-f]{12}…, actual [0-9a-f]{12}…\)\n$/);
  });

  it('names a removed line', async () => {
    const dir = await copy();
    const lines = await readLines(dir);
    lines.splice(120, 1);
    await writeLines(dir, lines);
    const res = await ledger('verify', dir);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('invalid: seq 120: seq out of order (expected 120, actual 121)\n');
  });

  it('names swapped lines', async () => {
    const dir = await copy();
    const lines = await readLines(dir);
    [lines[80], lines[81]] = [lines[81]!, lines[80]!];
    await writeLines(dir, lines);
    const res = await ledger('verify', dir);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('invalid: seq 80: seq out of order (expected 80, actual 81)\n');
  });

  describe('a checkpoint re-signed with another key', () => {
    const forger = parseSignerKey(generateSignerKey(L).skey);
    const resign = async (dir: string): Promise<void> => {
      const note = await readFile(join(dir, 'checkpoint'), 'utf8');
      await writeFile(join(dir, 'checkpoint'), signNote(noteText(note), [forger]));
    };

    it('fails the signature check while log.vkey is the real key', async () => {
      const dir = await copy();
      await resign(dir);
      const res = await ledger('verify', dir);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe(`invalid: checkpoint carries no signature by the log key\n`);
    });

    it('passes with log.vkey replaced too, unless the key is pinned or an older checkpoint is trusted', async () => {
      const dir = await copy();
      await resign(dir);
      await writeFile(join(dir, 'log.vkey'), forger.vkey + '\n');
      // A bundle only proves itself: a forged key and a checkpoint it signed agree.
      expect((await ledger('verify', dir)).code).toBe(0);

      const pinned = await ledger('verify', dir, '--log-key', realVkeyFile);
      expect(pinned.code).toBe(1);
      expect(pinned.stdout).toMatch(/^invalid: log key differs from the pinned key \(expected casn\.tangera…, actual casn\.tangera…\)\n$/);

      const trusted = await ledger('verify', dir, '--trusted', trustedFile);
      expect(trusted.code).toBe(1);
      expect(trusted.stdout).toBe(`invalid: trusted checkpoint carries no signature by the log key\n`);
    });
  });

  describe('a suffix rewritten from entry 150 and re-signed with the real log key', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await copy();
      const { lines, leaves } = rewriteScoresFrom(await readLines(dir), 150);
      // The real key, as an operator with access to the key directory would use it.
      const signer = await new KeyStore({ dir: keysDir, generate: false }).signer(L);
      const note = signCheckpoint({ origin: L, size: SIZE, root: rootFromLeafHashes(leaves), extensions: [chainHeadExtension(leaves.at(-1)!)] }, signer);
      await writeLines(dir, lines);
      await writeFile(join(dir, 'checkpoint'), note);
    });

    it('is caught with the older trusted checkpoint, at its last entry', async () => {
      const res = await ledger('verify', dir, '--trusted', trustedFile, '--log-key', realVkeyFile);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/^invalid: seq 199: entries 0\.\.199 differ from the trusted checkpoint \(history rewritten\) \(expected \S+…, actual \S+…\)\n$/);
    });

    it('passes without it: a consistent rewrite signed by the real key is what witnesses exist to catch', async () => {
      const res = await ledger('verify', dir, '--log-key', realVkeyFile);
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(new RegExp(`^valid: origin ${L}, ${SIZE} entries, `));
      // It is a different history, not the exported one.
      expect(await readFile(join(dir, 'entries.jsonl'), 'utf8')).not.toBe(await readFile(join(bundle, 'entries.jsonl'), 'utf8'));
    });
  });
});
