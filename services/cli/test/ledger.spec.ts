import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeVerdict, fromBase64, generateSignerKey, leafHash, openCheckpoint, toBase64, verifyBundle, verifyInclusion } from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnvironment, eventLine, testEngine, type CliEnvironment } from './helpers.ts';

const L = 'casn.tangerangselatankota.go.id/2026';
const SIZE = 40;
let e: CliEnvironment;
let vkey: string;
let full: string; // a bundle of all SIZE entries
let prefix: string; // a bundle of the first 17
let n = 0;

const b64 = (s: string): Uint8Array => fromBase64(s)!;

/** A fresh copy of the full bundle, changed by `tamper`. */
async function tampered(tamper: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(e.dataDir, `tampered-${++n}`);
  await cp(full, dir, { recursive: true });
  await tamper(dir);
  return dir;
}

async function editEntries(dir: string, edit: (text: string) => string | Buffer): Promise<void> {
  const path = join(dir, 'entries.jsonl');
  await writeFile(path, edit(await readFile(path, 'utf8')));
}

/** `text` with line `i` changed by `edit`; throws when the edit changes nothing, so a test cannot pass on an untouched bundle. */
function editLine(text: string, i: number, edit: (line: string) => string): string {
  const lines = text.split('\n');
  const changed = edit(lines[i]!);
  if (changed === lines[i]) throw new Error(`edit left line ${i} unchanged`);
  lines[i] = changed;
  return lines.join('\n');
}

beforeAll(async () => {
  e = await cliEnvironment();
  const lines = Array.from({ length: SIZE }, (_, i) =>
    eventLine({ stream: `application/PEL-${i % 7}`, type: i < 7 ? 'ApplicationSubmitted' : 'DocumentsVerified', payload: { result: i % 5 ? 'MS' : 'TMS' } }),
  );
  const path = join(e.dataDir, 'events.jsonl');
  await writeFile(path, lines.join('\n') + '\n');
  const res = await cli(['import', '--ledger', L, path], e.env);
  if (res.code !== 0) throw new Error(res.stderr);
  full = join(e.dataDir, 'full');
  prefix = join(e.dataDir, 'prefix');
});
afterAll(async () => e.cleanup());

describe(`checkpoint on ${testEngine}`, () => {
  it('signs the checkpoint of the current size once and prints the note', async () => {
    const first = await cli(['checkpoint', '--ledger', L], e.env);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(`signed: checkpoint of ${L} at size ${SIZE}\n`);
    vkey = (await readFile(join(e.dataDir, 'keys', 'casn.tangerangselatankota.go.id_2026.vkey'), 'utf8')).trim();
    const opened = openCheckpoint(first.stdout, vkey);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.checkpoint.size).toBe(SIZE);
    const root = await e.withStore((s) => s.root(L));
    expect(toBase64(opened.checkpoint.root)).toBe(toBase64(root));

    const second = await cli(['checkpoint', '--ledger', L], e.env);
    expect(second).toEqual({ code: 0, stdout: first.stdout, stderr: `already signed: checkpoint of ${L} at size ${SIZE}\n` });
  });

  it('refuses an unknown ledger without creating it', async () => {
    const res = await cli(['checkpoint', '--ledger', 'casn.example.go.id/typo'], e.env);
    expect(res).toEqual({ code: 1, stdout: '', stderr: 'ledger checkpoint: no ledger casn.example.go.id/typo\n' });
    expect(await e.withStore((s) => s.listLedgers())).toEqual([L]);
  });
});

describe(`export and verify on ${testEngine}`, () => {
  it('exports a bundle that verifies, with a summary of size and root on stderr', async () => {
    const res = await cli(['export', '--ledger', L, '--out', full], e.env);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    const note = await readFile(join(full, 'checkpoint'), 'utf8');
    const opened = openCheckpoint(note, vkey);
    if (!opened.ok) throw new Error(opened.message);
    const root = toBase64(opened.checkpoint.root);
    expect(res.stderr).toBe(`exported ${SIZE} entries of ${L} to ${full}, root ${root}\n`);
    expect((await readFile(join(full, 'entries.jsonl'), 'utf8')).split('\n')).toHaveLength(SIZE + 1);

    const verified = await cli(['verify', full]);
    expect(verified).toEqual({ code: 0, stdout: `valid: origin ${L}, ${SIZE} entries, root ${root}\n`, stderr: '' });
  });

  it('exports a prefix with --size that verifies on its own and as the start of the full bundle', async () => {
    const res = await cli(['export', '--ledger', L, '--out', prefix, '--size', '17'], e.env);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(new RegExp(`^exported 17 entries of ${L} to `));
    const lines = (await readFile(join(prefix, 'entries.jsonl'), 'utf8')).split('\n');
    const fullLines = (await readFile(join(full, 'entries.jsonl'), 'utf8')).split('\n');
    expect(lines.slice(0, 17)).toEqual(fullLines.slice(0, 17));
    expect(lines).toHaveLength(18);

    const verified = await cli(['verify', prefix]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^valid: origin ${L}, 17 entries, root `));
    // The prefix's checkpoint is an older checkpoint the full bundle must extend unchanged.
    const extended = await cli(['verify', full, '--trusted', join(prefix, 'checkpoint'), '--log-key', join(full, 'log.vkey')]);
    expect(extended.code).toBe(0);
    expect(extended.stdout).toMatch(/^valid: /);
  });

  it('refuses a size beyond the ledger and an unknown ledger', async () => {
    const big = await cli(['export', '--ledger', L, '--out', join(e.dataDir, 'big'), '--size', '41'], e.env);
    expect(big).toEqual({ code: 1, stdout: '', stderr: 'ledger export: size 41 is outside 0..40\n' });
    const unknown = await cli(['export', '--ledger', 'casn.example.go.id/typo', '--out', join(e.dataDir, 'x')], e.env);
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'ledger export: no ledger casn.example.go.id/typo\n' });
  });

  it.each([
    // The changed entry itself still parses; the next entry's prev no longer names it.
    ['a changed payload byte in entry 10', (d: string) => editEntries(d, (t) => editLine(t, 10, (l) => l.replace('"result":"TMS"', '"result":"TMX"'))), /^invalid: seq 10: entry differs from what the next entry's prev commits to/],
    ['entry 5 removed', (d: string) => editEntries(d, (t) => t.split('\n').filter((_, i) => i !== 5).join('\n')), /^invalid: seq 5: seq out of order \(expected 5, actual 6\)/],
    ['a non-canonical line', (d: string) => editEntries(d, (t) => t.replace('{"actor"', '{ "actor"')), /^invalid: seq 0: line is not in JCS canonical form/],
    ['CRLF line endings', (d: string) => editEntries(d, (t) => t.replaceAll('\n', '\r\n')), /^invalid: seq 0: line is not in JCS canonical form/],
    ['an invalid UTF-8 byte', (d: string) => editEntries(d, (t) => { const b = Buffer.from(t); b[b.indexOf('"MS"') + 1] = 0xff; return b; }), /^invalid: seq \d+: line is not valid UTF-8$/],
    ['the last newline missing', (d: string) => editEntries(d, (t) => t.slice(0, -1)), /^invalid: seq 39: last line does not end with a newline$/],
    ['the last entry missing', (d: string) => editEntries(d, (t) => t.split('\n').slice(0, -2).join('\n') + '\n'), /^invalid: seq 39: fewer lines than the checkpoint size/],
    ['a blank line', (d: string) => editEntries(d, (t) => t.replace('\n', '\n\n')), /^invalid: seq 1: empty line$/],
    ['no checkpoint file', (d: string) => rm(join(d, 'checkpoint')), /^invalid: bundle has no checkpoint file$/],
    ['no entries file', (d: string) => rm(join(d, 'entries.jsonl')), /^invalid: bundle has no entries.jsonl file$/],
    ['a checkpoint signed by another key', async (d: string) => {
      const other = generateSignerKey(L);
      await writeFile(join(d, 'log.vkey'), other.vkey + '\n');
    }, /^invalid: checkpoint carries no signature by the log key/],
  ])('reports a corrupt bundle (%s) with exit 1 and one line naming the first bad seq', async (what, tamper, expected) => {
    const dir = await tampered(tamper);
    const res = await cli(['verify', dir]);
    expect(res.code).toBe(1);
    expect(res.stdout.split('\n')).toHaveLength(2); // one line
    expect(res.stdout.trimEnd()).toMatch(expected);
    expect(res.stderr).toBe('');
    // The streaming check reaches the core's whole-file verdict wherever the files can be read as text.
    if (!/UTF-8|no \S+ file/.test(what)) expect(describeVerdict(verifyBundle(await readBundleFiles(dir)))).toBe(res.stdout.trimEnd());
  });

  it('checks the log key against a pinned one', async () => {
    const keyFile = join(e.dataDir, 'other.vkey');
    await writeFile(keyFile, generateSignerKey(L).vkey + '\n');
    const res = await cli(['verify', full, '--log-key', keyFile]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^invalid: log key differs from the pinned key/);
  });

  it('fails in one line on stderr when the directory or an argument file is missing', async () => {
    const missing = join(e.dataDir, 'no-such-bundle');
    expect(await cli(['verify', missing])).toEqual({ code: 1, stdout: '', stderr: `ledger verify: no bundle directory at ${missing}\n` });
    const trusted = await cli(['verify', full, '--trusted', join(e.dataDir, 'nope')]);
    expect(trusted).toEqual({ code: 1, stdout: '', stderr: `ledger verify: cannot read the --trusted file ${join(e.dataDir, 'nope')}: ENOENT\n` });
  });
});

describe(`prove on ${testEngine}`, () => {
  it('prints an inclusion proof that verifies against the signed checkpoint root', async () => {
    const res = await cli(['prove', '--ledger', L, '--seq', '7'], e.env);
    expect(res.code).toBe(0);
    const proof = JSON.parse(res.stdout) as { origin: string; index: number; size: number; leafHash: string; hashes: string[]; root: string };
    expect(proof).toMatchObject({ origin: L, index: 7, size: SIZE });
    const line = (await readFile(join(full, 'entries.jsonl'), 'utf8')).split('\n')[7]!;
    expect(proof.leafHash).toBe(toBase64(leafHash(line)));
    const opened = openCheckpoint(await readFile(join(full, 'checkpoint'), 'utf8'), vkey);
    if (!opened.ok) throw new Error(opened.message);
    expect(verifyInclusion(7, SIZE, b64(proof.leafHash), proof.hashes.map(b64), opened.checkpoint.root)).toEqual({ ok: true });
    // The same proof does not hold for another leaf.
    expect(verifyInclusion(7, SIZE, leafHash('x'), proof.hashes.map(b64), opened.checkpoint.root).ok).toBe(false);
  });

  it('proves against an older size with --size', async () => {
    const res = await cli(['prove', '--ledger', L, '--seq', '16', '--size', '17'], e.env);
    expect(res.code).toBe(0);
    const proof = JSON.parse(res.stdout) as { leafHash: string; hashes: string[] };
    const opened = openCheckpoint(await readFile(join(prefix, 'checkpoint'), 'utf8'), vkey);
    if (!opened.ok) throw new Error(opened.message);
    expect(verifyInclusion(16, 17, b64(proof.leafHash), proof.hashes.map(b64), opened.checkpoint.root)).toEqual({ ok: true });
  });

  it('refuses a seq outside the tree and an unknown ledger with one line', async () => {
    expect(await cli(['prove', '--ledger', L, '--seq', '40'], e.env)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ledger prove: seq 40 is not in a tree of size 40\n',
    });
    expect(await cli(['prove', '--ledger', L, '--seq', '17', '--size', '17'], e.env)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ledger prove: seq 17 is not in a tree of size 17\n',
    });
    expect((await cli(['prove', '--ledger', 'casn.example.go.id/typo', '--seq', '0'], e.env)).stderr).toBe(
      'ledger prove: no ledger casn.example.go.id/typo\n',
    );
  });
});

/** The three files of a bundle, read whole (the CLI itself streams entries.jsonl). */
async function readBundleFiles(dir: string): Promise<{ entries: string; checkpoint: string; logVkey: string }> {
  const read = (name: string): Promise<string> => readFile(join(dir, name), 'utf8');
  return { entries: await read('entries.jsonl'), checkpoint: await read('checkpoint'), logVkey: await read('log.vkey') };
}
