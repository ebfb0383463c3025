/**
 * `ledger verify-receipt`: a receipt served by the real API verifies offline with the log key
 * alone (exit 0, what it proved on stdout); tampered or malformed ones fail (exit 1, the reason
 * and the line); a bad command line exits 2; witness quorums are counted; and with --url the
 * command proves the entry is still there against the live API, and fails against a ledger
 * rewritten with the same key.
 */
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics, RecruitmentService, TokenStore, createApp, createLogger } from '@casn/api';
import { ANY, EventStore, KeyStore } from '@casn/event-store';
import { createTestDatabase, type TestDatabase } from '@casn/event-store/testing';
import { canonicalize, cosignerFromSignerKey, formatCosignature, formatReceipt, generateSignerKey, parseReceipt, sha256, utf8 } from '@casn/ledger-core';
import { BlindIndexer, Vault } from '@casn/personal-data';
import { ProjectionRunner } from '@casn/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempDir, testEngine } from './helpers.ts';

const DIRECTORY = 'test.casn.go.id/directory';
const PERIOD = 'uji-tanda';
const ORIGIN = `test.casn.go.id/${PERIOD}`;
const SYSTEM = { id: 'system', role: 'admin', agency: null } as const;

let db: TestDatabase;
let keysDir: string;
let store: EventStore;
let service: RecruitmentService;
let server: Server;
let url: string;
let token: string;
let dir: string;
let vkeyFile: string;
let receiptFile: string;
let receiptText: string;

const once_ = (command: object) => ({ idempotencyKey: randomBytes(8).toString('hex'), fingerprint: sha256(utf8(canonicalize(command))) });

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

beforeAll(async () => {
  db = await createTestDatabase();
  keysDir = await mkdtemp(join(tmpdir(), 'casn-cli-receipt-'));
  const keys = new KeyStore({ dir: keysDir, generate: true });
  store = new EventStore(db.database, { keys });
  service = new RecruitmentService({ store, directoryOrigin: DIRECTORY, originBase: 'test.casn.go.id' });
  await service.init();
  const agency = { type: 'RegisterAgency', code: 'kota-uji', name: 'Kota Uji', level: 'daerah' } as const;
  await service.executeDirectory(agency, SYSTEM, once_(agency));
  const inspector = { type: 'RegisterActor', actorId: 'inspector', role: 'inspector', agency: null, indexes: {} } as const;
  await service.executeDirectory(inspector, SYSTEM, once_(inspector));
  const now = Date.now();
  const open = {
    type: 'OpenPeriod',
    periodId: PERIOD,
    agency: { code: 'kota-uji', name: 'Kota Uji', level: 'daerah' },
    year: 2024,
    kind: 'CPNS',
    rules: 'casn-2024',
    skbWeights: { cat: 0.6, practical: 0.4 },
    schedule: { registration: { opens: new Date(now - 864e6).toISOString(), closes: new Date(now + 864e7).toISOString() } },
  } as const;
  const opened = await service.withReceipts(await service.executePeriod(PERIOD, open, SYSTEM, once_(open)));
  for (let i = 0; i < 6; i++) await store.append(ORIGIN, `test-${i}`, ANY, [{ type: 'TestRecorded', actor: { id: 'officer', role: 'officer' }, payload: { i } }]);

  const tokens = new TokenStore(db.database, { cacheMs: 0 });
  token = (await tokens.issue({ actorId: 'inspector', role: 'inspector', agency: null, label: 'test' })).token;
  const app = createApp({
    service,
    runner: new ProjectionRunner(store),
    vault: new Vault(db.database, randomBytes(32)),
    indexer: new BlindIndexer(randomBytes(32)),
    tokens,
    logger: createLogger({ level: 'silent' }),
    metrics: new Metrics(),
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  dir = await tempDir('verify-receipt-');
  vkeyFile = await write('log.vkey', `${await store.verifierKey(ORIGIN)}\n`);
  receiptText = opened.receipts[0]!;
  receiptFile = await write('opened.tlog-proof', receiptText);
});

afterAll(async () => {
  await new Promise((resolve) => {
    server.close(resolve);
    server.closeAllConnections();
  });
  await db.cleanup();
  await rm(keysDir, { recursive: true, force: true });
  await removeTempDirs();
});

describe(`verify-receipt on ${testEngine}`, () => {
  it('verifies a receipt offline and prints what it proved', async () => {
    const res = await cli(['verify-receipt', receiptFile, '--log-key', vkeyFile]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const size = parseReceipt(receiptText).checkpoint.split('\n')[1];
    expect(res.stdout).toMatch(/^valid receipt: /);
    expect(res.stdout).toContain(`  ledger       ${ORIGIN}\n`);
    expect(res.stdout).toContain('  seq          0\n');
    expect(res.stdout).toContain('  type         PeriodOpened\n');
    expect(res.stdout).toContain('  stream       period (version 0)\n');
    expect(res.stdout).toContain(`  checkpoint   size ${size}, root `);
    expect(res.stdout).toContain('  cosignatures none\n');
  });

  it('verifies a receipt the receipt route serves later', async () => {
    const res = await fetch(`${url}/v1/ledgers/${PERIOD}/entries/4/receipt`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { receipt: string };
    const file = await write('later.tlog-proof', body.receipt);
    const out = await cli(['verify-receipt', file, '--log-key', vkeyFile]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('  seq          4\n');
    expect(out.stdout).toContain('  stream       test-3 (version 0)\n');
  });

  it('exits 1 with the reason for a tampered receipt', async () => {
    const r = parseReceipt(receiptText);
    const other = generateSignerKey(ORIGIN);
    const cases: [string, string, RegExp][] = [
      ['entry.tlog-proof', formatReceipt({ ...r, entry: r.entry.replace('"year":2024', '"year":2025') }), /^invalid receipt: inclusion_failed: /],
      ['index.tlog-proof', formatReceipt({ ...r, index: 1 }), /^invalid receipt: index_mismatch: line 3: /],
      ['malformed.tlog-proof', receiptText.replace('index 0\n', 'index 00\n'), /^invalid receipt: malformed: line 3: expected "index <seq>"/],
    ];
    for (const [name, text, expected] of cases) {
      const res = await cli(['verify-receipt', await write(name, text), '--log-key', vkeyFile]);
      expect(res.code, name).toBe(1);
      expect(res.stdout, name).toMatch(expected);
    }
    const wrongKey = await write('other.vkey', other.vkey);
    const res = await cli(['verify-receipt', receiptFile, '--log-key', wrongKey]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^invalid receipt: checkpoint_signature: line \d+: the checkpoint: no signature by a known key/);
  });

  it('counts witness cosignatures against --quorum', async () => {
    const witness = cosignerFromSignerKey(generateSignerKey('inspektorat.example.go.id').skey);
    const r = parseReceipt(receiptText);
    const text = r.checkpoint.slice(0, r.checkpoint.indexOf('\n\n') + 1);
    const cosigned = await write('cosigned.tlog-proof', formatReceipt({ ...r, checkpoint: r.checkpoint + formatCosignature(witness.cosign(text, 1_790_000_000)) }));
    const witnesses = await write('witnesses.vkey', `# the inspectorate\n${witness.vkey}\n`);
    const ok = await cli(['verify-receipt', cosigned, '--log-key', vkeyFile, '--witness-key', witnesses]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('  cosignatures inspektorat.example.go.id (at 2026-09-21T');
    const unchecked = await cli(['verify-receipt', cosigned, '--log-key', vkeyFile]);
    expect(unchecked.stdout).toContain('  cosignatures 1 signature line(s) by keys not given, not checked\n');
    const short = await cli(['verify-receipt', cosigned, '--log-key', vkeyFile, '--witness-key', witnesses, '--quorum', '2']);
    expect(short.code).toBe(1);
    expect(short.stdout).toMatch(/^invalid receipt: quorum_not_met: /);
    const none = await cli(['verify-receipt', receiptFile, '--log-key', vkeyFile, '--witness-key', witnesses]);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/^invalid receipt: quorum_not_met: .*the quorum is 1/);
  });

  it('exits 2 for a bad command line, 1 for a file it cannot read', async () => {
    expect((await cli(['verify-receipt', receiptFile])).code).toBe(2);
    expect((await cli(['verify-receipt', '--log-key', vkeyFile])).code).toBe(2);
    const noToken = await cli(['verify-receipt', receiptFile, '--log-key', vkeyFile, '--url', url]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/--url needs --token or LEDGER_API_TOKEN/);
    const quorum = await cli(['verify-receipt', receiptFile, '--log-key', vkeyFile, '--quorum', '1']);
    expect(quorum.code).toBe(2);
    const missing = await cli(['verify-receipt', join(dir, 'nope.tlog-proof'), '--log-key', vkeyFile]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(/^ledger verify-receipt: cannot read the receipt file .*: ENOENT\n$/);
  });

  it('with --url, proves the entry is still there against the live ledger', async () => {
    await store.append(ORIGIN, 'test-more', ANY, [{ type: 'TestRecorded', actor: { id: 'officer', role: 'officer' }, payload: {} }]);
    const latest = await store.checkpoint(ORIGIN);
    const res = await cli(['verify-receipt', receiptFile, '--log-key', vkeyFile, '--url', url], { LEDGER_API_TOKEN: token });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`\\nstill there: the latest checkpoint of ${ORIGIN} \\(size ${latest.size}, root [^)]+\\) extends the receipt's checkpoint of size 1 `));
  });

  it('with --url, works for the directory ledger too', async () => {
    const dirReceipt = (await service.receipt(DIRECTORY, 1)).receipt;
    const file = await write('directory.tlog-proof', dirReceipt);
    const key = await write('directory.vkey', await store.verifierKey(DIRECTORY));
    const res = await cli(['verify-receipt', file, '--log-key', key, '--url', url, '--token', token]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('still there: the latest checkpoint of test.casn.go.id/directory');
  });

  it('with --url, fails when the live ledger is not an extension of the receipt (a rewrite with the same key)', async () => {
    // A receipt of a forged history signed with the real key, checked against the honest live ledger:
    // the same as an honest receipt checked against a rewritten live ledger.
    const second = await createTestDatabase();
    try {
      const forged = new EventStore(second.database, { keys: new KeyStore({ dir: keysDir, generate: false }) });
      await forged.createLedger(ORIGIN);
      for await (const entry of store.entries(ORIGIN, 0, 3)) {
        const e = JSON.parse(entry.body) as { type: string; actor: { id: string; role: string }; payload: Record<string, unknown>; stream: string };
        await forged.append(ORIGIN, e.stream, ANY, [{ type: e.type, actor: e.actor, payload: entry.seq === 2 ? { forged: true } : e.payload }]);
      }
      const cp = await forged.checkpoint(ORIGIN);
      const proof = await forged.inclusionProof(ORIGIN, 0, cp.size);
      const [entry] = await forged.readLedger(ORIGIN, 0, 1);
      const text = formatReceipt({ entry: entry!.body, index: 0, proof: proof.hashes.map((h) => Buffer.from(h, 'base64')), checkpoint: cp.note });
      const file = await write('forged.tlog-proof', text);
      const offline = await cli(['verify-receipt', file, '--log-key', vkeyFile]);
      expect(offline.code).toBe(0); // signed with the real key: offline, it is a valid receipt
      const res = await cli(['verify-receipt', file, '--log-key', vkeyFile, '--url', url, '--token', token]);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/\nnot proved still there: consistency_failed: the ledger at size \d+ does not extend the receipt's checkpoint of size 3/);
    } finally {
      await second.cleanup();
    }
  });

  it('with --url, exits 1 with a clear reason when the API cannot be reached or refuses the token', async () => {
    const refused = await cli(['verify-receipt', receiptFile, '--log-key', vkeyFile, '--url', url, '--token', 'casn_nope']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ledger verify-receipt: GET \/v1\/ledgers\/uji-tanda\/checkpoint: 401 /);
    const closed = await cli(['verify-receipt', receiptFile, '--log-key', vkeyFile, '--url', 'http://127.0.0.1:9', '--token', token]);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/^ledger verify-receipt: cannot reach http:\/\/127\.0\.0\.1:9: /);
  });
});
