/**
 * `ledger formation-view`, `verify-formation` and `verify-commitments`: a formation's view
 * written from the demo period's database and checked offline under the pinned log key;
 * tampered views refused with the stream and seq at fault; every completeness commitment
 * of an exported bundle recomputed, and a forged one named.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  COMMITMENT_TYPE,
  COMPLETENESS_STREAM,
  canonicalize,
  chainHeadExtension,
  commitmentPayload,
  leafHash,
  parseSignerKey,
  rootFromLeafHashes,
  signCheckpoint,
  toHex,
  type FormationView,
} from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { seedDemoPeriod, type DemoSummary } from '../src/demo-period/index.ts';
import { withSystem } from '../src/system.ts';
import { cli, cliEnvironment, removeTempDirs, tempDir, testEngine, type CliEnvironment } from './helpers.ts';

let e: CliEnvironment;
let demo: DemoSummary;
let dir: string;
let keyFile: string;
let formation: string;

beforeAll(async () => {
  e = await cliEnvironment();
  const config = loadConfig(e.env);
  demo = await withSystem(config, (system) => seedDemoPeriod({ ...system, directoryOrigin: config.directoryOrigin, originBase: config.originBase }, { applicants: 200 }));
  formation = await withSystem(config, async (system) => [...(await system.service.periodState(demo.periodId)).formations.keys()][0]!);
  dir = await tempDir('verify-formation-');
  keyFile = join(e.dataDir, 'keys', `${demo.origin.replaceAll('/', '_')}.vkey`);
}, 180_000);
afterAll(async () => {
  await e.cleanup();
  await removeTempDirs();
});

type Mutable = { streams: { stream: string; versions: number; head: string; entries: { leaf: string; body: string }[] }[] } & Omit<FormationView, 'streams'>;

async function writeView(name: string, view: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof view === 'string' ? view : JSON.stringify(view));
  return path;
}

describe(`formation views on ${testEngine}`, () => {
  let viewFile: string;
  let view: Mutable;

  it('refuses a view before any commitment, then commits and writes one with --commit', async () => {
    const none = await cli(['formation-view', '--ledger', demo.origin, '--formation', formation], e.env);
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toMatch(/^ledger formation-view: no completeness commitment among the first \d+ entries: commit one first\n$/);

    viewFile = join(dir, 'view.json');
    const res = await cli(['formation-view', '--ledger', demo.origin, '--formation', formation, '--commit', '--out', viewFile], e.env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(new RegExp(`^committed: completeness of the first ${demo.entries} entries at seq ${demo.entries}\\nformation ${formation}: \\d+ streams, \\d+ entries, commitment at seq ${demo.entries}, written to `));
    view = JSON.parse(await readFile(viewFile, 'utf8')) as Mutable;
    expect(view.formationId).toBe(formation);
    expect(view.streams.length).toBeGreaterThan(2);

    // Committing again records nothing; stdout carries the same view.
    const again = await cli(['formation-view', '--ledger', demo.origin, '--formation', formation, '--commit'], e.env);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^already committed: /);
    expect(JSON.parse(again.stdout)).toEqual(view);
  });

  it('verifies the view offline under the pinned log key', async () => {
    const res = await cli(['verify-formation', viewFile, '--log-key', keyFile, '--formation', formation], {});
    expect(res.code, res.stdout).toBe(0);
    const entries = view.streams.reduce((n, s) => n + s.entries.length, 0);
    expect(res.stdout).toBe(
      `valid: formation ${formation} of ${demo.origin}: ${view.streams.length} streams, ${entries} entries, complete as of ${demo.entries} entries (commitment at seq ${demo.entries}, checkpoint size ${demo.entries + 1})\n`,
    );
  });

  it('refuses a tampered view, naming the stream and seq', async () => {
    const app = view.streams.find((s) => s.stream.startsWith('application-') && s.entries.length >= 2)!;
    const dropped = structuredClone(view);
    dropped.streams = dropped.streams.filter((s) => s.stream !== app.stream);
    const res = await cli(['verify-formation', await writeView('dropped.json', dropped), '--log-key', keyFile], {});
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(new RegExp(`^invalid: seq ${demo.entries}: the view lists ${view.streams.length - 1} streams of formation ${formation}, the commitment at seq ${demo.entries} has ${view.streams.length}: a stream was left out\\n$`));

    const changed = structuredClone(view);
    const target = changed.streams.find((s) => s.stream === app.stream)!.entries[1]!;
    const seq = (JSON.parse(target.body) as { seq: number }).seq;
    target.body = target.body.replace(/"at":"(\d{4})/, (_m, y: string) => `"at":"${Number(y) + 1}`);
    const changedRes = await cli(['verify-formation', await writeView('changed.json', changed), '--log-key', keyFile], {});
    expect(changedRes.code).toBe(1);
    expect(changedRes.stdout).toMatch(new RegExp(`^invalid: seq ${seq}: entry ${seq} \\(stream ${app.stream}, version 1\\) differs from the committed entry \\(expected [0-9a-f]{64}, actual [0-9a-f]{64}\\)\\n$`));

    const other = await cli(['verify-formation', viewFile, '--log-key', keyFile, '--formation', 'F-LAIN'], {});
    expect(other).toMatchObject({ code: 1, stdout: `invalid: the view is of formation ${formation}, not of formation F-LAIN\n` });
    expect(await cli(['verify-formation', await writeView('garbage.json', '{"format":'), '--log-key', keyFile], {})).toMatchObject({ code: 1, stdout: `invalid: ${join(dir, 'garbage.json')} is not JSON\n` });
    const missingKey = await cli(['verify-formation', viewFile], {});
    expect(missingKey.code).toBe(2);
    expect(missingKey.stderr).toMatch(/^ledger verify-formation: missing --log-key FILE\n/);
    expect(await cli(['verify-formation', join(dir, 'nope.json'), '--log-key', keyFile], {})).toMatchObject({ code: 1, stderr: `ledger verify-formation: cannot read the view file ${join(dir, 'nope.json')}: ENOENT\n` });
  });
});

describe(`verify-commitments on ${testEngine}`, () => {
  let bundle: string;

  it('recomputes every commitment of an exported bundle', async () => {
    bundle = join(dir, 'bundle');
    const exported = await cli(['export', '--ledger', demo.origin, '--out', bundle], e.env);
    expect(exported.code, exported.stderr).toBe(0);
    const res = await cli(['verify-commitments', bundle, '--log-key', keyFile], {});
    expect(res).toMatchObject({ code: 0, stdout: `valid: 1 completeness commitment(s) recomputed from ${demo.entries + 1} entries\n` });
  });

  it('names a forged commitment, and refuses a bundle that does not verify', async () => {
    // A forged commitment appended and signed with the log's own key: the bundle verifies, the commitment does not.
    const skey = (await readFile(join(e.dataDir, 'keys', `${demo.origin.replaceAll('/', '_')}.key`), 'utf8')).trim();
    const lines = (await readFile(join(bundle, 'entries.jsonl'), 'utf8')).trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    const commitments = lines.filter((l) => l.includes(`"stream":"${COMPLETENESS_STREAM}"`)).length;
    const payload = commitmentPayload({ asOf: lines.length, groups: 1, streams: 1, root: leafHash('forged') });
    const forged = canonicalize({ ...last, seq: lines.length, id: '00000000-0000-4000-8000-000000000001', stream: COMPLETENESS_STREAM, version: commitments, type: COMMITMENT_TYPE, payload, prev: toHex(leafHash(lines.at(-1)!)) });
    const all = [...lines, forged];
    const leaves = all.map((l) => leafHash(l));
    const note = signCheckpoint({ origin: demo.origin, size: all.length, root: rootFromLeafHashes(leaves), extensions: [chainHeadExtension(leaves.at(-1)!)] }, parseSignerKey(skey));
    const forgedDir = join(dir, 'forged');
    expect((await cli(['export', '--ledger', demo.origin, '--out', forgedDir], e.env)).code).toBe(0);
    await writeFile(join(forgedDir, 'entries.jsonl'), all.join('\n') + '\n');
    await writeFile(join(forgedDir, 'checkpoint'), note);
    const forgedRes = await cli(['verify-commitments', forgedDir, '--log-key', keyFile], {});
    expect(forgedRes.code, forgedRes.stdout).toBe(1);
    expect(forgedRes.stdout).toMatch(new RegExp(`^invalid: seq ${lines.length}: the commitment of the entries below ${lines.length} has \\d+ groups, the entry says 1 \\(expected \\d+, actual 1\\)\\n$`));

    const broken = join(dir, 'broken');
    await cli(['export', '--ledger', demo.origin, '--out', broken], e.env);
    await writeFile(join(broken, 'entries.jsonl'), lines.slice(0, -1).join('\n') + '\n');
    const res = await cli(['verify-commitments', broken, '--log-key', keyFile], {});
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^invalid: /);
  });
});
