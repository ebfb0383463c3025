// Witnesses end to end from the command line: keys, cosigning honest growth (bundles and a
// running ledger), refusing rewritten, smaller and forked checkpoints with evidence, the
// tlog-witness service, and verify with a witness quorum.
import type { AddressInfo } from 'node:net';
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Metrics, createApp, createLogger } from '@casn/api';
import {
  TLOG_SIZE_CONTENT_TYPE,
  chainHeadExtension,
  checkCosignature,
  consistencyProof,
  cosignerFromSignerKey,
  formatAddCheckpoint,
  generateSignerKey,
  leafHash,
  noteText,
  parseCheckpoint,
  parseCosignatureVerifierKey,
  parseSignerKey,
  parseVerifierKey,
  rootFromLeafHashes,
  sealEntry,
  signCheckpoint,
  type Entry,
  type NodeRef,
} from '@casn/ledger-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Witness, startWitnessServer, type WitnessServer } from '../src/commands/witness.ts';
import { loadConfig } from '../src/config.ts';
import { openSystem, type System } from '../src/system.ts';
import { cli, cliEnvironment, eventLine, removeTempDirs, tempDir, testEngine, type CliEnvironment } from './helpers.ts';

const L = 'casn.witnessed.example.go.id/2026';
const STEM = 'casn.witnessed.example.go.id_2026';
let e: CliEnvironment;
let dir: string;
let inspektoratKey: string;
let inspektoratVkey: string;
let ombudsmanKey: string;
let ombudsmanVkey: string;
let logVkeyFile: string;
let imported = 0;
/** Size of the directory ledger's checkpoint the inspectorate cosigned through the running ledger. */
let cosignedDirectorySize = 0;

/** Imports `n` more events into L. */
async function grow(n: number): Promise<void> {
  const file = join(dir, `events-${imported}.jsonl`);
  const lines = Array.from({ length: n }, (_, i) => eventLine({ stream: `application/PEL-${(imported + i) % 3}`, type: 'DocumentsVerified', payload: { n: imported + i } }));
  await writeFile(file, lines.join('\n') + '\n');
  const res = await cli(['import', '--ledger', L, file], e.env);
  if (res.code !== 0) throw new Error(res.stderr);
  imported += n;
}

/** Exports L as it is now into a new bundle directory. */
async function exported(name: string): Promise<string> {
  const out = join(dir, name);
  const res = await cli(['export', '--ledger', L, '--out', out], e.env);
  if (res.code !== 0) throw new Error(res.stderr);
  return out;
}

/**
 * What an operator holding the log key could do: change entry `from` of a bundle, re-chain every
 * later entry and sign a new checkpoint with the real key. Every check of the bundle alone passes.
 */
async function rewritten(src: string, name: string, from: number): Promise<string> {
  const out = join(dir, name);
  await cp(src, out, { recursive: true });
  const lines = (await readFile(join(src, 'entries.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');
  const leaves: Uint8Array[] = [];
  const text: string[] = [];
  let prev = '';
  for (const [seq, line] of lines.entries()) {
    let entry = JSON.parse(line) as Entry;
    if (seq === from) entry = { ...entry, payload: { ...entry.payload, result: 'TMS' } };
    if (seq > from) entry = { ...entry, prev };
    const sealed = sealEntry(entry);
    text.push(sealed.text);
    leaves.push(sealed.leaf);
    prev = Buffer.from(sealed.leaf).toString('hex');
  }
  const skey = (await readFile(join(e.dataDir, 'keys', `${STEM}.key`), 'utf8')).trim();
  const checkpoint = { origin: L, size: leaves.length, root: rootFromLeafHashes(leaves), extensions: [chainHeadExtension(leaves.at(-1)!)] };
  await writeFile(join(out, 'entries.jsonl'), text.map((l) => `${l}\n`).join(''));
  await writeFile(join(out, 'checkpoint'), signCheckpoint(checkpoint, parseSignerKey(skey)));
  return out;
}

const leafNodes = (leaves: readonly Uint8Array[]) => (ref: NodeRef) => rootFromLeafHashes(leaves.slice(ref.index * 2 ** ref.level, (ref.index + 1) * 2 ** ref.level));
const bundleLeaves = async (b: string) => (await readFile(join(b, 'entries.jsonl'), 'utf8')).split('\n').filter((l) => l !== '').map((l) => leafHash(l));
const checkpointOf = (b: string) => readFile(join(b, 'checkpoint'), 'utf8');
interface StateFile {
  logs: Record<string, { size: number; root: string; note: string }>;
}
const state = (file: string) => readFile(file, 'utf8').then((t) => JSON.parse(t) as StateFile);

beforeAll(async () => {
  e = await cliEnvironment();
  dir = await tempDir('ledger-witness-');
  inspektoratKey = join(dir, 'inspektorat.key');
  ombudsmanKey = join(dir, 'ombudsman.key');
  const a = await cli(['keygen', '--name', 'inspektorat.example.go.id', '--out', inspektoratKey, '--witness']);
  const b = await cli(['keygen', '--name', 'ombudsman.example.go.id', '--out', ombudsmanKey, '--witness']);
  if (a.code !== 0 || b.code !== 0) throw new Error(a.stderr + b.stderr);
  inspektoratVkey = a.stdout.trim();
  ombudsmanVkey = b.stdout.trim();
  await grow(5);
  expect((await cli(['checkpoint', '--ledger', L], e.env)).code).toBe(0);
  logVkeyFile = join(e.dataDir, 'keys', `${STEM}.vkey`);
});
afterAll(async () => {
  await e.cleanup();
  await removeTempDirs();
});

describe('witness keys', () => {
  it('keygen --witness prints the type-0x04 cosignature verifier key; witness --print-vkey prints the same', async () => {
    const v = parseCosignatureVerifierKey(inspektoratVkey);
    expect(v.name).toBe('inspektorat.example.go.id');
    const printed = await cli(['witness', '--key', inspektoratKey, '--print-vkey']);
    expect(printed).toEqual({ code: 0, stdout: `${inspektoratVkey}\n`, stderr: '' });
    expect(cosignerFromSignerKey((await readFile(inspektoratKey, 'utf8')).trim()).vkey).toBe(inspektoratVkey);
    expect((await cli(['keygen', '--ledger', L, '--witness'], e.env)).code).toBe(2);
  });

  it('reads LEDGER_WITNESSES at start, naming the variable and the line of a bad entry', async () => {
    const file = join(dir, 'witnesses.conf');
    await writeFile(file, `# the deployment's witnesses\n${inspektoratVkey} https://witness.inspektorat.example.go.id/\n${ombudsmanVkey}\n`);
    const cfg = loadConfig({ LEDGER_WITNESSES: file });
    expect(cfg.witnesses?.map((w) => [w.verifier.vkey, w.url])).toEqual([
      [inspektoratVkey, 'https://witness.inspektorat.example.go.id'],
      [ombudsmanVkey, undefined],
    ]);
    expect(loadConfig({}).witnesses).toBeUndefined();
    await writeFile(file, `${inspektoratVkey}\n${generateSignerKey('x.example').vkey}\n`);
    expect(() => loadConfig({ LEDGER_WITNESSES: file })).toThrow(`invalid configuration: LEDGER_WITNESSES ${file}: line 2: this is a signed-note (type 0x01) key`);
    expect(() => loadConfig({ LEDGER_WITNESSES: join(dir, 'nope.conf') })).toThrow(/^invalid configuration: LEDGER_WITNESSES cannot be read \(ENOENT\)/);
  });

  it('names the option at fault', async () => {
    const stateFile = join(dir, 'unused.state.json');
    const noKey = await cli(['witness', '--key', join(dir, 'missing.key'), '--state', stateFile, '--bundle', dir]);
    expect([noKey.code, noKey.stderr]).toEqual([1, `ledger witness: --key: cannot read ${join(dir, 'missing.key')}: ENOENT\n`]);
    const both = await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--bundle', dir, '--url', 'http://x']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^ledger witness: give either --url URL or --bundle DIR\n/);
  });
});

describe(`witness --bundle on ${testEngine}`, () => {
  let stateFile: string;
  let b5: string;
  let b8: string;

  it('cosigns honest growth twice, pinning the log key on first use', async () => {
    stateFile = join(dir, 'bundle.state.json');
    b5 = await exported('b5');
    const first = await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--bundle', b5, '--log-key', logVkeyFile]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe(`cosigned ${L} at size 5 (first checkpoint of this log); state in ${stateFile}\n`);
    const w = parseCosignatureVerifierKey(inspektoratVkey);
    expect(checkCosignature(first.stdout, noteText(await checkpointOf(b5))!, [w]).ok).toBe(true);
    expect((await state(stateFile)).logs[L]).toMatchObject({ size: 5 });

    await grow(3);
    b8 = await exported('b8');
    const second = await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--bundle', b8]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('at size 8 (last cosigned: 5)');
    expect(checkCosignature(second.stdout, noteText(await checkpointOf(b8))!, [w]).ok).toBe(true);
    const s = (await state(stateFile)).logs[L]!;
    expect(s.size).toBe(8);
    expect(s.note.startsWith(await checkpointOf(b8))).toBe(true);
    expect(s.note.endsWith(second.stdout)).toBe(true);
  });

  it('refuses a rewritten history: exit 1, evidence kept, state unchanged', async () => {
    await grow(3);
    const b11 = await exported('b11');
    const forged = await rewritten(b11, 'b11-rewritten', 2);
    // The forged bundle is internally valid: only the witness's memory exposes it.
    expect((await cli(['verify', forged])).code).toBe(0);
    const before = await readFile(stateFile, 'utf8');
    const res = await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--bundle', forged]);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    const evidence = `${stateFile}.split-view-${STEM}-11.txt`;
    expect(res.stderr).toBe(
      `ledger witness: REFUSED, possible split view of ${L}: the checkpoint of size 11 is not consistent with the last one cosigned (size 8): new root mismatch. ` +
        `Nothing was cosigned and ${stateFile} is unchanged; evidence kept in ${evidence}\n`,
    );
    expect(await readFile(stateFile, 'utf8')).toBe(before);
    const kept = await readFile(evidence, 'utf8');
    expect(kept).toContain('# refused: inconsistent: ');
    expect(kept).toContain(`## last checkpoint cosigned by this witness (size 8)\n${(JSON.parse(before) as StateFile).logs[L]!.note.trimEnd()}`);
    expect(kept).toContain(`## offending checkpoint (size 11), signed by the log key\n${(await checkpointOf(forged)).trimEnd()}`);
    // The honest bundle of the same size is still cosigned afterwards.
    expect((await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--bundle', b11])).code).toBe(0);
  });

  it('refuses a smaller checkpoint (a rollback) and the same size with another root', async () => {
    const before = await readFile(stateFile, 'utf8');
    const smaller = await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--bundle', b8]);
    expect(smaller.code).toBe(1);
    expect(smaller.stderr).toContain('the checkpoint (size 8) is smaller than the last one cosigned (size 11): the log rolled back');
    expect(await readFile(`${stateFile}.split-view-${STEM}-8.txt`, 'utf8')).toContain('# refused: smaller: ');

    const fork = await rewritten(join(dir, 'b11'), 'b11-fork', 9);
    const same = await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--bundle', fork]);
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('has the size of the last one cosigned (11) but another root');
    // A second piece of evidence for size 11: the first is never overwritten.
    expect((await readdir(dir)).filter((f) => f.startsWith('bundle.state.json.split-view-')).sort()).toEqual([
      `bundle.state.json.split-view-${STEM}-11-2.txt`,
      `bundle.state.json.split-view-${STEM}-11.txt`,
      `bundle.state.json.split-view-${STEM}-8.txt`,
    ]);
    expect(await readFile(stateFile, 'utf8')).toBe(before);
  });

  it('refuses a key that contradicts the pinned one, and a bundle that does not verify', async () => {
    const other = join(dir, 'other.vkey');
    await writeFile(other, generateSignerKey(L).vkey + '\n');
    const res = await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--bundle', join(dir, 'b11'), '--log-key', other]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`--log-key: the log key of ${L} differs from the one pinned in ${stateFile}`);
    const broken = join(dir, 'b11-broken');
    await cp(join(dir, 'b11'), broken, { recursive: true });
    const entries = await readFile(join(broken, 'entries.jsonl'), 'utf8');
    await writeFile(join(broken, 'entries.jsonl'), entries.replace('"n":4', '"n":44'));
    const bad = await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--bundle', broken]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--bundle: the bundle does not verify, nothing cosigned: /);
  });
});

describe(`witness serve (C2SP tlog-witness) on ${testEngine}`, () => {
  let server: WitnessServer;
  let stateFile: string;
  const post = (body: string) => fetch(`${server.url}/add-checkpoint`, { method: 'POST', body });

  beforeAll(async () => {
    stateFile = join(dir, 'serve.state.json');
    const w = await Witness.open({ keyFile: ombudsmanKey, stateFile });
    w.addLogKey(parseVerifierKey((await readFile(logVkeyFile, 'utf8')).trim()), '--log-key');
    server = await startWitnessServer(w, { port: 0 });
  });
  afterAll(async () => server.close());

  it('cosigns the first checkpoint, answers 409 with its size to a stale old size, then cosigns growth with a proof', async () => {
    const b5 = join(dir, 'b5');
    const first = await post(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: await checkpointOf(b5) }));
    expect(first.status).toBe(200);
    const line = await first.text();
    expect(checkCosignature(line, noteText(await checkpointOf(b5))!, [parseCosignatureVerifierKey(ombudsmanVkey)]).ok).toBe(true);

    const b8 = join(dir, 'b8');
    const stale = await post(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: await checkpointOf(b8) }));
    expect([stale.status, stale.headers.get('content-type'), await stale.text()]).toEqual([409, TLOG_SIZE_CONTENT_TYPE, '5\n']);
    const proof = consistencyProof(5, 8, leafNodes(await bundleLeaves(b8)));
    const grown = await post(formatAddCheckpoint({ oldSize: 5, proof, checkpoint: await checkpointOf(b8) }));
    expect(grown.status).toBe(200);
    expect((await state(stateFile)).logs[L]!.size).toBe(8);
  });

  it('answers 422 to a proof that does not join the roots, 409 to another root of the same size, keeping evidence', async () => {
    const forged = join(dir, 'b11-rewritten');
    const proof = consistencyProof(8, 11, leafNodes(await bundleLeaves(forged)));
    const res = await post(formatAddCheckpoint({ oldSize: 8, proof, checkpoint: await checkpointOf(forged) }));
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/^the checkpoint of size 11 is not consistent with the last one cosigned \(size 8\): new root mismatch; evidence kept by the witness \(serve\.state\.json\.split-view-.*-11\.txt\)\n$/);
    const kept = await readFile(`${stateFile}.split-view-${STEM}-11.txt`, 'utf8');
    expect(kept).toContain('## consistency proof from 8 to 11 as given');

    const fork = await rewritten(join(dir, 'b8'), 'b8-fork', 6);
    const same = await post(formatAddCheckpoint({ oldSize: 8, proof: [], checkpoint: await checkpointOf(fork) }));
    expect(same.status).toBe(409);
    expect(same.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await state(stateFile)).logs[L]!.size).toBe(8);
  });

  it('answers 404 for an unknown log, 403 without a valid log signature, 400 for a malformed body', async () => {
    const stranger = generateSignerKey('stranger.example.org/2026');
    const note = signCheckpoint({ origin: 'stranger.example.org/2026', size: 0, root: rootFromLeafHashes([]), extensions: [] }, parseSignerKey(stranger.skey));
    expect((await post(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: note }))).status).toBe(404);
    // The very checkpoint the witness cosigned last, signed by another key of the same name.
    const impostor = parseSignerKey(generateSignerKey(L).skey);
    const signedByImpostor = signCheckpoint(parseCheckpoint(noteText(await checkpointOf(join(dir, 'b8')))!), impostor);
    expect((await post(formatAddCheckpoint({ oldSize: 8, proof: [], checkpoint: signedByImpostor }))).status).toBe(403);
    expect((await post('old 01\n\nnonsense\n')).status).toBe(400);
    expect((await fetch(`${server.url}/add-checkpoint`)).status).toBe(405);
    expect((await fetch(`${server.url}/elsewhere`, { method: 'POST' })).status).toBe(404);
  });
});

describe(`witness --url against a running ledger on ${testEngine}`, () => {
  let system: System;
  let http: ReturnType<ReturnType<typeof createApp>['listen']>;
  let base: string;
  let token: string;
  let stateFile: string;
  let dirVkeyFile: string;
  const admin = { id: 'system', role: 'admin', agency: null } as const;
  const once = () => ({ idempotencyKey: `k-${Math.random().toString(36).slice(2)}`, fingerprint: new Uint8Array(32) });

  beforeAll(async () => {
    const witnesses = join(dir, 'witnesses.txt');
    await writeFile(witnesses, `# the witnesses of this test\n${inspektoratVkey}\n${ombudsmanVkey}\n`);
    const config = loadConfig({ ...e.env, LEDGER_WITNESSES: witnesses });
    system = await openSystem(config);
    await system.service.executeDirectory({ type: 'RegisterActor', actorId: 'inspektorat-1', role: 'inspector', agency: null, indexes: {} }, admin, once());
    token = (await system.tokens.issue({ actorId: 'inspektorat-1', role: 'inspector', agency: null, label: 'witness' })).token;
    const app = createApp({ ...system, logger: createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) }), metrics: new Metrics() });
    http = app.listen(0, '127.0.0.1');
    await new Promise((ok) => http.once('listening', ok));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1/ledgers/directory`;
    stateFile = join(dir, 'url.state.json');
    dirVkeyFile = join(dir, 'directory.vkey');
    await writeFile(dirVkeyFile, (await system.store.verifierKey(config.directoryOrigin)) + '\n');
  });
  afterAll(async () => {
    await new Promise((ok) => http.close(ok));
    await system.close();
  });

  it('cosigns the latest checkpoint, hands the cosignature to the ledger, and cosigns growth with the served proof', async () => {
    const origin = system.service.directory.origin;
    await system.store.checkpoint(origin);
    const first = await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--url', base, '--log-key', dirVkeyFile], { LEDGER_WITNESS_TOKEN: token });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`handed to ${base}/cosignatures: stored`);
    expect((await system.store.latestCheckpoint(origin))!.note.endsWith(first.stdout)).toBe(true);

    await system.service.executeDirectory({ type: 'RegisterActor', actorId: 'ombudsman-1', role: 'ombudsman', agency: null, indexes: {} }, admin, once());
    const cp2 = await system.store.checkpoint(origin);
    cosignedDirectorySize = cp2.size;
    const second = await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--url', base, '--token', token]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`at size ${cp2.size} (last cosigned: `);
    const status = await system.store.witnessStatus(origin);
    expect(status.map((s) => [s.name, s.cosignedSize])).toEqual([
      ['inspektorat.example.go.id', cp2.size],
      ['ombudsman.example.go.id', undefined],
    ]);
  });

  it('refuses a ledger whose history does not extend what the witness cosigned (the served proof fails), keeping the proof as evidence', async () => {
    const origin = system.service.directory.origin;
    // The witness remembers another root for its last size: the view it was shown then.
    const s = await state(stateFile);
    const last = s.logs[origin]!;
    const forkedView = { ...s, logs: { ...s.logs, [origin]: { ...last, root: Buffer.alloc(32, 7).toString('base64') } } };
    await writeFile(stateFile, JSON.stringify(forkedView));
    await system.service.executeDirectory({ type: 'RegisterActor', actorId: 'inspektorat-2', role: 'inspector', agency: null, indexes: {} }, admin, once());
    const cp3 = await system.store.checkpoint(origin);
    const res = await cli(['witness', '--key', inspektoratKey, '--state', stateFile, '--url', base, '--token', token]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`REFUSED, possible split view of ${origin}: the checkpoint of size ${cp3.size} is not consistent with the last one cosigned (size ${last.size})`);
    const evidence = await readFile(`${stateFile}.split-view-${origin.replace(/[^A-Za-z0-9._-]/g, '_')}-${cp3.size}.txt`, 'utf8');
    expect(evidence).toContain(`# source: ${base}/checkpoint`);
    expect(evidence).toContain(`## consistency proof from ${last.size} to ${cp3.size} as given`);
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toEqual(forkedView);
  });

  it('refuses a token the ledger does not accept, naming --url', async () => {
    const res = await cli(['witness', '--key', ombudsmanKey, '--state', join(dir, 'nobody.json'), '--url', base, '--token', 'casn_nope', '--log-key', dirVkeyFile]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^ledger witness: --url: the ledger answered 401 /);
  });
});

describe(`verify with witnesses on ${testEngine}`, () => {
  let bundle: string;
  let inspektoratFile: string;
  let ombudsmanFile: string;

  beforeAll(async () => {
    // The directory ledger now carries the inspectorate's cosignatures in its stored checkpoint.
    const origin = loadConfig(e.env).directoryOrigin;
    bundle = join(dir, 'directory-bundle');
    const res = await cli(['export', '--ledger', origin, '--out', bundle, '--size', String(cosignedDirectorySize)], e.env);
    if (res.code !== 0) throw new Error(res.stderr);
    inspektoratFile = join(dir, 'inspektorat.vkey');
    ombudsmanFile = join(dir, 'ombudsman.vkey');
    await writeFile(inspektoratFile, `${inspektoratVkey}\n`);
    await writeFile(ombudsmanFile, `${ombudsmanVkey}\n`);
  });

  it('meets a quorum of 1 with the inspectorate key, and fails a quorum of 2 with a clear reason', async () => {
    const met = await cli(['verify', bundle, '--witness-key', inspektoratFile, '--witness-key', ombudsmanFile, '--quorum', '1']);
    expect(met.code, met.stdout).toBe(0);
    expect(met.stdout).toMatch(/^valid: .*, cosigned by inspektorat\.example\.go\.id\n$/);
    const unmet = await cli(['verify', bundle, '--witness-key', inspektoratFile, '--witness-key', ombudsmanFile, '--quorum', '2']);
    expect(unmet.code).toBe(1);
    expect(unmet.stdout).toBe(
      'invalid: witness quorum not met: the checkpoint carries 1 valid cosignature(s) by the configured witnesses (inspektorat.example.go.id); the quorum is 2 (expected >= 2, actual 1)\n',
    );
    // --witness-key alone asks for one cosignature: the ombudsman has none here.
    expect((await cli(['verify', bundle, '--witness-key', ombudsmanFile])).code).toBe(1);
  });

  it("takes the bundle's witnesses.vkey for --quorum without --witness-key, saying so", async () => {
    await writeFile(join(bundle, 'witnesses.vkey'), `${inspektoratVkey}\n${ombudsmanVkey}\n`);
    const res = await cli(['verify', bundle, '--quorum', '1']);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("note: witness keys taken from the bundle's witnesses.vkey; pin the keys you trust with --witness-key");
    const none = join(dir, 'b5');
    const missing = await cli(['verify', none, '--quorum', '1']);
    expect([missing.code, missing.stderr]).toEqual([1, "ledger verify: --quorum: give --witness-key FILE: the bundle has no witnesses.vkey to take witness keys from\n"]);
  });

  it('accepts a witness-cosigned checkpoint as --trusted', async () => {
    const trusted = join(dir, 'trusted.note');
    await writeFile(trusted, (await state(join(dir, 'bundle.state.json'))).logs[L]!.note);
    const b = await exported('b-latest');
    const res = await cli(['verify', b, '--trusted', trusted, '--log-key', logVkeyFile]);
    expect(res.code, res.stdout).toBe(0);
    const forged = await rewritten(b, 'b-latest-forged', 1);
    const refused = await cli(['verify', forged, '--trusted', trusted]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('differ from the trusted checkpoint (history rewritten)');
  });
});
