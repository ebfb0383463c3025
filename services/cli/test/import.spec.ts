import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnvironment, eventLine, testEngine, type CliEnvironment } from './helpers.ts';

const L = 'casn.tangerangselatankota.go.id/2026';
let e: CliEnvironment;
let n = 0;

async function file(lines: readonly string[], ending = '\n'): Promise<string> {
  const path = join(e.dataDir, `events-${++n}.jsonl`);
  await writeFile(path, lines.join('\n') + ending);
  return path;
}

beforeAll(async () => {
  e = await cliEnvironment();
});
afterAll(async () => e.cleanup());

describe(`import on ${testEngine}`, () => {
  const good = [
    eventLine({ stream: 'formasi/F-01', type: 'FormasiAnnounced', expectedVersion: -1, payload: { quota: 2 }, idempotencyKey: 'f1' }),
    eventLine({ stream: 'application/PEL-1', type: 'ApplicationSubmitted', expectedVersion: -1, idempotencyKey: 'a1' }),
    eventLine({ stream: 'application/PEL-2', type: 'ApplicationSubmitted', idempotencyKey: 'a2', schema: 2 }),
    eventLine({ stream: 'application/PEL-1', type: 'DocumentsVerified', expectedVersion: 0, payload: { result: 'MS' }, idempotencyKey: 'v1' }),
    eventLine({ stream: 'application/PEL-2', type: 'DocumentsVerified', expectedVersion: 'any', payload: { result: 'TMS' }, idempotencyKey: 'v2' }),
  ];

  it('appends every line in order and reports the seq range', async () => {
    const path = await file(good);
    const res = await cli(['import', '--ledger', L, path], e.env);
    expect(res).toEqual({ code: 0, stdout: `imported 5 events (0 replayed) into ${L}, seq 0..4\n`, stderr: '' });
    const entries = await e.withStore((s) => s.readLedger(L));
    expect(entries.map((x) => [x.seq, x.stream, x.version, x.type])).toEqual([
      [0, 'formasi/F-01', 0, 'FormasiAnnounced'],
      [1, 'application/PEL-1', 0, 'ApplicationSubmitted'],
      [2, 'application/PEL-2', 0, 'ApplicationSubmitted'],
      [3, 'application/PEL-1', 1, 'DocumentsVerified'],
      [4, 'application/PEL-2', 1, 'DocumentsVerified'],
    ]);
    const third = JSON.parse(entries[2]!.body) as { schema: number; actor: unknown };
    expect(third.schema).toBe(2);
    expect(third.actor).toEqual({ id: 'officer-1', role: 'officer' });
    expect(JSON.parse(entries[0]!.body)).toMatchObject({ payload: { quota: 2 }, schema: 1 });
  });

  it('stores nothing new when the same file is imported again', async () => {
    const path = await file(good);
    const res = await cli(['import', '--ledger', L, path], e.env);
    expect(res).toEqual({ code: 0, stdout: `imported 5 events (5 replayed) into ${L}, seq 0..4\n`, stderr: '' });
    expect(await e.withStore((s) => s.size(L))).toBe(5);
  });

  it('reports every invalid line with its number and field, stores nothing, and quotes no value', async () => {
    const L2 = 'casn.example.go.id/2026-invalid';
    await e.withStore((s) => s.createLedger(L2));
    const path = await file([
      eventLine({ stream: 'application/PEL-9', type: 'ApplicationSubmitted' }),
      eventLine({ stream: '', type: 'X', actor: { id: 'a' } }),
      '',
      '{"stream": "application/PEL-9", "nik": 3201234567890123',
      eventLine({ stream: 'application/PEL-9', type: 'X', expectedVersion: 'latest', idempotencyKeys: 'typo' }),
      // Written out, since as a JavaScript number the 18 digits would already be rounded.
      '{"stream":"application/PEL-9","type":"X","actor":{"id":"a","role":"b"},"payload":{"nip":199001012020121001}}',
      eventLine({ stream: 'application/PEL-9', type: 'X', payload: ['not', 'an', 'object'] }),
      eventLine({ stream: 'application/PEL-10', type: 'ApplicationSubmitted' }),
    ]);
    const res = await cli(['import', '--ledger', L2, path], e.env);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr.trimEnd().split('\n')).toEqual([
      `${path}:2: stream: must not be empty`,
      `${path}:2: actor.role: is required`,
      `${path}:3: (line): blank line`,
      `${path}:4: (line): not valid JSON`,
      `${path}:5: expectedVersion: must be an integer >= -1 or "any"`,
      `${path}:5: idempotencyKeys: unknown field`,
      `${path}:6: payload.nip: integer too large to keep exactly (beyond 2^53); write it as a string`,
      `${path}:7: payload: must be an object`,
      `ledger import: 6 invalid lines in ${path}; nothing imported`,
    ]);
    expect(res.stderr).not.toContain('3201234567890123');
    expect(await e.withStore((s) => s.size(L2))).toBe(0);
  });

  it('accepts a file without a final newline but names blank lines at its end', async () => {
    const ok = await file([eventLine({ stream: 's-1', type: 'A' })], '');
    expect((await cli(['import', '--ledger', 'casn.example.go.id/nl', ok], e.env)).stdout).toBe(
      'imported 1 events (0 replayed) into casn.example.go.id/nl, seq 0..0\n',
    );
    const trailing = await file([eventLine({ stream: 's-1', type: 'A' }), ''], '\n');
    const res = await cli(['import', '--ledger', 'casn.example.go.id/nl', trailing], e.env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${trailing}:2: (line): blank line\n`);
    expect(await e.withStore((s) => s.size('casn.example.go.id/nl'))).toBe(1);
  });

  it('names the line of a version conflict and stores none of the file', async () => {
    const path = await file([
      eventLine({ stream: 'application/PEL-3', type: 'ApplicationSubmitted', expectedVersion: -1 }),
      eventLine({ stream: 'application/PEL-4', type: 'ApplicationSubmitted', expectedVersion: -1 }),
      eventLine({ stream: 'application/PEL-1', type: 'SkdScoreRecorded', expectedVersion: 0 }),
    ]);
    const res = await cli(['import', '--ledger', L, path], e.env);
    expect(res).toEqual({
      code: 1,
      stdout: '',
      stderr: `ledger import: ${path}:3: stream application/PEL-1 is at version 1, not 0; nothing imported\n`,
    });
    expect(await e.withStore((s) => s.size(L))).toBe(5);

    // A conflict inside the file itself: the second line expects a new stream the first creates.
    const inner = await file([
      eventLine({ stream: 'application/PEL-5', type: 'ApplicationSubmitted', expectedVersion: -1 }),
      eventLine({ stream: 'application/PEL-5', type: 'ApplicationSubmitted', expectedVersion: -1 }),
    ]);
    const again = await cli(['import', '--ledger', L, inner], e.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`ledger import: ${inner}:2: stream application/PEL-5 is at version 0, not -1; nothing imported\n`);
    expect(await e.withStore((s) => s.size(L))).toBe(5);
  });

  it('names the line whose idempotency key was used for a different event', async () => {
    const path = await file([
      eventLine({ stream: 'application/PEL-6', type: 'ApplicationSubmitted' }),
      eventLine({ stream: 'application/PEL-1', type: 'DocumentsVerified', expectedVersion: 0, payload: { result: 'TMS' }, idempotencyKey: 'v1' }),
    ]);
    const res = await cli(['import', '--ledger', L, path], e.env);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`ledger import: ${path}:2: idempotency key was already used for a different append; nothing imported\n`);
    expect(await e.withStore((s) => s.size(L))).toBe(5);
  });

  it('fails in one line on a missing file, an empty file and a malformed origin', async () => {
    const missing = await cli(['import', '--ledger', L, join(e.dataDir, 'nope.jsonl')], e.env);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: `ledger import: cannot read ${join(e.dataDir, 'nope.jsonl')}: ENOENT\n` });
    const empty = await file([], '');
    expect((await cli(['import', '--ledger', L, empty], e.env)).stderr).toBe(`ledger import: ${empty} holds no events; nothing imported\n`);
    const one = await file([eventLine({ stream: 's', type: 'A' })]);
    const bad = await cli(['import', '--ledger', 'https://not an origin', one], e.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('ledger import: origin must be a schema-less URL such as casn.example.go.id/2026\n');
  });
});
