/**
 * Cross-checks: the ledger's bundles are judged by an independent verifier written in
 * Python from docs/ledger-format.md alone (tests/crosscheck/verify_bundle.py, standard
 * library only), and that verifier must agree with the TypeScript one, seq for seq, on
 * the untouched bundle, on deliberate tampering and on seeded random mutations. A second
 * part applies infra/postgres/app-role.sql to a fresh server database and checks what the
 * application role can and cannot do.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, seededRandom } from '@casn/cli';
import { EventStore, KeyStore, exportBundle, migrateToLatest, openDatabase, type Database, type EventDraft } from '@casn/event-store';
import { createTestDatabase, testEngine, type TestDatabase } from '@casn/event-store/testing';
import { chainHeadExtension, cosignerFromSignerKey, formatCosignature, generateSignerKey, rootFromLeafHashes, signCheckpoint, toBase64 } from '@casn/ledger-core';
import { TokenStore } from '@casn/api';
import { Vault } from '@casn/personal-data';
import { ProjectionRunner } from '@casn/projections';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteScoresFrom } from './support/rewrite.ts';

const VERIFIER = join(import.meta.dirname, 'crosscheck/verify_bundle.py');
const FORMAT_DOC = join(import.meta.dirname, '../docs/ledger-format.md');
const ROLE_SQL = join(import.meta.dirname, '../infra/postgres/app-role.sql');
const PYTHON = process.env.PYTHON ?? 'python3';

const L = 'casn.tangerangselatankota.go.id/2026';
const SIZE = 500;
const TRUSTED_SIZE = 300;
const REWRITE_FROM = 200;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to completion; a missing program is an error that says what to install. */
function exec(file: string, args: readonly string[], missing: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error(`${file} was not found on PATH: ${missing}`));
        return;
      }
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The Python verifier's outcome on a bundle directory. */
function python(dir: string, trusted?: string, extra: readonly string[] = []): Promise<Outcome> {
  const args = [VERIFIER, dir, ...(trusted === undefined ? [] : ['--trusted', trusted]), ...extra];
  return exec(PYTHON, args, 'the cross-check needs Python 3.11 or later (set PYTHON to use another interpreter)');
}

/** A verdict reduced to what both verifiers must agree on: valid or not, and the seq named ('-' for none). */
type Verdict = { readonly ok: true; readonly size: number; readonly root: string } | { readonly ok: false; readonly seq: number | '-' };

function pythonVerdict(out: Outcome): Verdict {
  const valid = /^valid (\d+) (\S+)\n$/.exec(out.stdout);
  if (out.code === 0 && valid) return { ok: true, size: Number(valid[1]), root: valid[2]! };
  const invalid = /^invalid seq=(\d+|-) .+\n$/.exec(out.stdout);
  if (out.code === 1 && invalid) return { ok: false, seq: invalid[1] === '-' ? '-' : Number(invalid[1]) };
  throw new Error(`unexpected output of verify_bundle.py (exit ${out.code}): ${out.stdout}${out.stderr}`);
}

/** The TypeScript verifier's verdict (`pnpm ledger verify`, run in-process). */
async function typescriptVerdict(dir: string, trusted?: string, extra: readonly string[] = []): Promise<Verdict> {
  let stdout = '';
  const code = await run(['verify', dir, ...(trusted === undefined ? [] : ['--trusted', trusted]), ...extra], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => undefined },
    env: {},
  });
  const valid = /^valid: origin \S+, (\d+) entries, root ([^\s,]+)(, cosigned by .+)?\n$/.exec(stdout);
  if (code === 0 && valid) return { ok: true, size: Number(valid[1]), root: valid[2]! };
  const seq = /^invalid: seq (\d+): /.exec(stdout);
  if (code === 1) return { ok: false, seq: seq ? Number(seq[1]) : '-' };
  throw new Error(`unexpected output of ledger verify (exit ${code}): ${stdout}`);
}

// Indonesian recruitment data with the JSON shapes JCS has to get right: non-ASCII text,
// an emoji, nested objects, arrays, booleans, null, integers and a few floats.
const NAMA = ['Siti Nurhaliza', 'Andi Muhammad Rizky', 'Ni Luh Putu Ayu Ardani', 'Dewi Ayu Lestari', 'I Gusti Ngurah Rai', 'Nur Aisyah Hasibuan'];
const KECAMATAN = ['Pondok Aren', 'Serpong', 'Ciputat', 'Pamulang', 'Setu'];
const officer = { id: 'panselnas-01', role: 'officer' };
const portal = { id: 'portal-sscasn', role: 'portal' };

/** Entry i of the test ledger: which stream it goes to and what it records. */
function draft(i: number): { stream: string; event: EventDraft } {
  if (i < 5) {
    return {
      stream: `formasi/F-0${i + 1}`,
      event: {
        type: 'FormasiAnnounced',
        actor: officer,
        payload: {
          formasi: `F-0${i + 1}`,
          instansi: 'Pemerintah Kota Tangerang Selatan',
          lokasi: 'Tangerang Selatan — Kota',
          jabatan: 'Analis Kebijakan Ahli Pertama',
          kuota: 2 + i,
          syarat: { pendidikan: ['S1 Ilmu Pemerintahan', 'S1 Administrasi Publik'], ipkMinimal: 3, usiaMaksimal: 35 },
          terbuka: true,
        },
      },
    };
  }
  if (i % 25 === 7) {
    // The numbers, member names and escapes where a JCS implementation can go wrong.
    return {
      stream: 'uji/jcs',
      event: {
        type: 'ValuesRecorded',
        actor: officer,
        schema: 2,
        payload: {
          angka: {
            setengah: 82.5,
            besar: 1e21,
            bulatBesar: 1e20,
            kecil: 1e-7,
            juta: 0.000001,
            nolNegatif: -0,
            presisi: 0.1 + 0.2,
            batas: 2 ** 53 + 2,
            negatif: -123.456,
            terkecil: 5e-324,
            terbesar: 1.7976931348623157e308,
            urutan: i,
          },
          // U+1F600 (D83D DE00) sorts before U+FB33 by UTF-16 code units, after it by code points.
          kunci: { '\u{1f600}': 'emoji', '\ufb33': 'ibrani', '\u00e9': 1, a: 2, A: 3, '\u0080': 4, z: true, '': 'kosong', '10': 'angka', '9': 'angka' },
          teks: `baris1\nbaris2\t"kutip" \\ \u0001 \u001f \u007f </script> \u2028 Jl. Raya Serpong — Kota ✓ 🇮🇩`,
          kosong: { daftar: [], objek: {}, nilai: null },
        },
      },
    };
  }
  const j = i % 97;
  const applicant = `PEL-2026-${String(j).padStart(4, '0')}`;
  const stream = `application/${applicant}`;
  switch (Math.floor(i / 100)) {
    case 0:
      return {
        stream,
        event: {
          type: 'ApplicationSubmitted',
          actor: portal,
          payload: {
            nomorPeserta: applicant,
            nama: NAMA[j % NAMA.length]!,
            formasi: `F-0${(j % 5) + 1}`,
            pendidikan: { jenjang: 'S1', jurusan: 'Ilmu Pemerintahan', ipk: 3 + (j % 100) / 100 },
            alamat: { kota: 'Tangerang Selatan — Kota', kecamatan: KECAMATAN[j % KECAMATAN.length]! },
            dokumen: ['KTP', 'Ijazah', 'Transkrip Nilai'],
            disabilitas: j % 11 === 0,
          },
        },
      };
    case 1:
      return {
        stream,
        event: {
          type: 'DocumentsVerified',
          actor: officer,
          payload: {
            hasil: j % 7 === 0 ? 'TMS' : 'MS',
            alasan: j % 7 === 0 ? 'Ijazah tidak sesuai kualifikasi "S1 Ilmu Pemerintahan"' : null,
            periksa: [true, true, j % 7 !== 0],
          },
        },
      };
    case 2: {
      const twk = 60 + (j % 50);
      const tiu = 80 + (j % 60);
      const tkp = 150 + (j % 70);
      return {
        stream,
        event: {
          type: 'SkdScoreRecorded',
          actor: officer,
          payload: { twk, tiu, tkp, total: twk + tiu + tkp, nilaiAkhir: (twk + tiu + tkp) / 4, lulus: twk >= 65 && tiu >= 80 && tkp >= 166 },
        },
      };
    }
    case 3:
      return j % 9 === 0
        ? { stream, event: { type: 'SanggahFiled', actor: portal, payload: { alasan: 'Nilai TKP tidak sesuai 📄', lampiran: [], diajukan: true } } }
        : { stream, event: { type: 'SkbScoreRecorded', actor: officer, payload: { cat: 430.25 + j, wawancara: 85, praktik: { nilai: 82.5, penguji: ['A', 'B'] } } } };
    default:
      return { stream, event: { type: 'FinalRankingPublished', actor: officer, payload: { peringkat: j + 1, status: j < 10 ? 'P/L' : 'TL', catatan: 'Selamat! 🎉' } } };
  }
}


describe(`the exported bundle, checked by an independent Python verifier (${testEngine})`, () => {
  let t: TestDatabase;
  let store: EventStore;
  let work: string;
  let keysDir: string;
  let bundle: string;
  let trustedFile: string;
  let copies = 0;

  const copy = async (): Promise<string> => {
    const dir = join(work, `copy-${++copies}`);
    await cp(bundle, dir, { recursive: true });
    return dir;
  };
  const readLines = async (dir: string): Promise<string[]> => (await readFile(join(dir, 'entries.jsonl'), 'utf8')).slice(0, -1).split('\n');
  const writeLines = (dir: string, lines: readonly string[]): Promise<void> =>
    writeFile(join(dir, 'entries.jsonl'), lines.map((l) => l + '\n').join(''));

  beforeAll(async () => {
    t = await createTestDatabase();
    work = await mkdtemp(join(tmpdir(), 'ledger-crosscheck-'));
    keysDir = join(work, 'keys');
    store = new EventStore(t.database, { keys: new KeyStore({ dir: keysDir, generate: true }) });
    // Rounds of concurrent appends, so that entries are group-committed as in production.
    const append = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i += 25) {
        const round = Array.from({ length: Math.min(25, to - i) }, (_, k) => draft(i + k));
        await Promise.all(round.map((d) => store.append(L, d.stream, 'any', [d.event])));
      }
    };
    await append(0, TRUSTED_SIZE);
    const old = await store.checkpoint(L);
    expect(old.size).toBe(TRUSTED_SIZE);
    trustedFile = join(work, `trusted-${TRUSTED_SIZE}.checkpoint`);
    await writeFile(trustedFile, old.note);
    await append(TRUSTED_SIZE, SIZE);
    bundle = join(work, 'bundle');
    const exported = await exportBundle(store, L, bundle);
    expect(exported.size).toBe(SIZE);
  });

  afterAll(async () => {
    await t?.cleanup();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it(`runs on ${PYTHON} 3.11 or later`, async () => {
    const out = await exec(PYTHON, ['-c', 'import sys; print(sys.version_info >= (3, 11))'], 'the cross-check needs Python 3.11 or later');
    expect(out.stdout, `${PYTHON} is older than 3.11`).toBe('True\n');
  });

  it('accepts the bundle with the size and root the store reports', async () => {
    const root = toBase64(await store.root(L));
    const out = await python(bundle);
    expect(out).toEqual({ code: 0, stdout: `valid ${SIZE} ${root}\n`, stderr: '' });
    expect(await typescriptVerdict(bundle)).toEqual({ ok: true, size: SIZE, root });
    // The bundle extends the checkpoint signed at 300 entries.
    expect(await python(bundle, trustedFile)).toEqual({ code: 0, stdout: `valid ${SIZE} ${root}\n`, stderr: '' });
  });

  it('holds the JSON shapes that JCS must get right, in the canonical form the store wrote', async () => {
    const text = await readFile(join(bundle, 'entries.jsonl'), 'utf8');
    for (const expected of ['"besar":1e+21', '"bulatBesar":100000000000000000000', '"kecil":1e-7', '"juta":0.000001', '"nolNegatif":0', '"presisi":0.30000000000000004', '"terkecil":5e-324', '"setengah":82.5', 'Tangerang Selatan — Kota', '🇮🇩', '\\u0001', '\\u001f', '"kunci":{"":"kosong","10":"angka","9":"angka","A":3,"a":2,"z":true,"\u0080":4,"\u00e9":1,"\u{1f600}":"emoji","\ufb33":"ibrani"}']) {
      expect(text).toContain(expected);
    }
  });

  it('accepts the worked example of docs/ledger-format.md', async () => {
    const doc = await readFile(FORMAT_DOC, 'utf8');
    const section = doc.slice(doc.indexOf('## 10. Worked example'));
    const blocks = [...section.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const [vkey, entries, , checkpoint] = blocks;
    const dir = join(work, 'worked-example');
    await mkdir(dir);
    await writeFile(join(dir, 'log.vkey'), vkey!);
    await writeFile(join(dir, 'entries.jsonl'), entries!);
    await writeFile(join(dir, 'checkpoint'), checkpoint!);
    const root = '1jZAspWhDC3LTtXvltpG7ALna4i52oBZytCwNMRcxVQ=';
    expect(await python(dir)).toEqual({ code: 0, stdout: `valid 3 ${root}\n`, stderr: '' });
    expect(await typescriptVerdict(dir)).toEqual({ ok: true, size: 3, root });
  });

  it('names seq 250 when one byte of entry 250 changes and the line stays canonical', async () => {
    const dir = await copy();
    const lines = await readLines(dir);
    // The first hex digit of entry 250's UUID. The line is still canonical JSON with every
    // field well typed, and nothing in it refers to itself, so line 250 passes its own
    // checks. Its leaf hash changed, so entry 251's prev no longer chains. Line 252 chains
    // onto line 251 as given, so 251 is intact and the change is in 250.
    const at = lines[250]!.indexOf('Z","id":"') + 'Z","id":"'.length;
    const digit = lines[250]![at]!;
    lines[250] = lines[250]!.slice(0, at) + (digit === 'a' ? 'b' : 'a') + lines[250]!.slice(at + 1);
    await writeLines(dir, lines);
    const out = await python(dir);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe("invalid seq=250 entry differs from what the next entry's prev commits to\n");
    expect(await typescriptVerdict(dir)).toEqual({ ok: false, seq: 250 });
  });

  it('names seq 251 when only the prev of entry 251 changes', async () => {
    const dir = await copy();
    const lines = await readLines(dir);
    // Line 251 no longer chains, and line 252 does not chain onto the changed line 251
    // either: the change is in 251 itself.
    const at = lines[251]!.indexOf('"prev":"') + '"prev":"'.length;
    const digit = lines[251]![at]!;
    lines[251] = lines[251]!.slice(0, at) + (digit === 'a' ? 'b' : 'a') + lines[251]!.slice(at + 1);
    await writeLines(dir, lines);
    const out = await python(dir);
    expect(out.stdout).toBe('invalid seq=251 prev does not chain\n');
    expect(await typescriptVerdict(dir)).toEqual({ ok: false, seq: 251 });
  });

  it('names seq 250 when one byte of entry 250 breaks its JSON', async () => {
    const dir = await copy();
    const lines = await readLines(dir);
    lines[250] = '[' + lines[250]!.slice(1); // '{' → '[': the line itself fails to parse
    await writeLines(dir, lines);
    const out = await python(dir);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('invalid seq=250 line is not valid JSON\n');
    expect(await typescriptVerdict(dir)).toEqual({ ok: false, seq: 250 });
  });

  it('names seq 100 when line 100 is removed', async () => {
    const dir = await copy();
    const lines = await readLines(dir);
    lines.splice(100, 1); // the line now at position 100 says seq 101
    await writeLines(dir, lines);
    const out = await python(dir);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('invalid seq=100 seq out of order (expected 100, found 101)\n');
    expect(await typescriptVerdict(dir)).toEqual({ ok: false, seq: 100 });
  });

  describe(`a suffix rewritten from entry ${REWRITE_FROM}, re-chained and re-signed with the real log key`, () => {
    let dir: string;
    let forgedRoot: string;
    beforeAll(async () => {
      dir = await copy();
      const { lines, leaves } = rewriteScoresFrom(await readLines(dir), REWRITE_FROM);
      const signer = await new KeyStore({ dir: keysDir, generate: false }).signer(L);
      const root = rootFromLeafHashes(leaves);
      forgedRoot = toBase64(root);
      await writeLines(dir, lines);
      await writeFile(join(dir, 'checkpoint'), signCheckpoint({ origin: L, size: SIZE, root, extensions: [chainHeadExtension(leaves.at(-1)!)] }, signer));
    });

    it('passes on its own: a consistent rewrite proves only itself', async () => {
      expect(forgedRoot).not.toBe(toBase64(await store.root(L)));
      expect(await python(dir)).toEqual({ code: 0, stdout: `valid ${SIZE} ${forgedRoot}\n`, stderr: '' });
    });

    it(`fails against the trusted checkpoint of size ${TRUSTED_SIZE}, at its last entry`, async () => {
      // Entries 0..299 no longer reproduce the trusted root: the first place the verifier
      // can tell is when the 300th leaf is in, so it names seq 299.
      const out = await python(dir, trustedFile);
      expect(out.code).toBe(1);
      expect(out.stdout).toBe(`invalid seq=${TRUSTED_SIZE - 1} entries 0..${TRUSTED_SIZE - 1} differ from the trusted checkpoint (history rewritten)\n`);
      expect(await typescriptVerdict(dir, trustedFile)).toEqual({ ok: false, seq: TRUSTED_SIZE - 1 });
    });
  });

  it('rejects a checkpoint whose signature or root was altered, naming no seq', async () => {
    const note = await readFile(join(bundle, 'checkpoint'), 'utf8');
    const lines = note.split('\n');
    const sigLine = lines.length - 2;
    const flip = (s: string, at: number): string => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    for (const [what, index, at] of [
      ['root', 2, 5],
      ['signature', sigLine, lines[sigLine]!.length - 10],
    ] as const) {
      const dir = await copy();
      const changed = [...lines];
      changed[index] = flip(changed[index]!, at);
      await writeFile(join(dir, 'checkpoint'), changed.join('\n'));
      const out = await python(dir);
      expect(out.stdout, what).toMatch(/^invalid seq=- checkpoint: signature does not verify under the log key\n$/);
      expect(await typescriptVerdict(dir), what).toEqual({ ok: false, seq: '-' });
    }
  });

  it('agrees with the TypeScript verifier on witness cosignatures: a quorum met, not met, and a changed cosignature', async () => {
    const note = await readFile(join(bundle, 'checkpoint'), 'utf8');
    const text = note.slice(0, note.indexOf('\n\n') + 1);
    const witnesses = ['inspektorat.example.go.id', 'ombudsman.example.go.id'].map((name) => cosignerFromSignerKey(generateSignerKey(name).skey));
    const lines = witnesses.map((w, i) => formatCosignature(w.cosign(text, 1_795_338_000 + i)));
    const dir = await copy();
    await writeFile(join(dir, 'checkpoint'), note + lines.join(''));
    await writeFile(join(dir, 'witnesses.vkey'), witnesses.map((w) => `${w.vkey}\n`).join(''));
    const both = async (extra: readonly string[]): Promise<Verdict> => {
      const py = pythonVerdict(await python(dir, undefined, extra));
      expect(await typescriptVerdict(dir, undefined, extra), extra.join(' ')).toEqual(py);
      return py;
    };
    expect(await both(['--quorum', '2'])).toEqual({ ok: true, size: SIZE, root: expect.any(String) as string });
    expect(await both(['--quorum', '3'])).toEqual({ ok: false, seq: '-' });
    // Only the first witness cosigned: a quorum of 2 fails, 1 holds.
    await writeFile(join(dir, 'checkpoint'), note + lines[0]);
    expect(await both(['--quorum', '2'])).toEqual({ ok: false, seq: '-' });
    expect(await both(['--quorum', '1'])).toEqual({ ok: true, size: SIZE, root: expect.any(String) as string });
    // A changed cosignature by a listed witness fails the checkpoint, whatever the quorum.
    const changed = lines[1]!.slice(0, -10) + (lines[1]!.at(-10) === 'A' ? 'B' : 'A') + lines[1]!.slice(-9);
    await writeFile(join(dir, 'checkpoint'), note + lines[0] + changed);
    expect(await both(['--quorum', '1'])).toEqual({ ok: false, seq: '-' });
    expect((await python(dir, undefined, ['--quorum', '1'])).stdout).toBe('invalid seq=- cosignature by ombudsman.example.go.id does not verify\n');
  });

  it('agrees with the TypeScript verifier on 60 seeded random mutations', { timeout: 180_000 }, async () => {
    const random = seededRandom(20261122);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const original = await readFile(join(bundle, 'entries.jsonl'));
    const note = await readFile(join(bundle, 'checkpoint'));
    // Bytes that matter to JSON, JCS and numbers, and three that test UTF-8 handling.
    const bytes = [0x20, 0x22, 0x2b, 0x2c, 0x2d, 0x2e, 0x30, 0x31, 0x39, 0x41, 0x45, 0x5c, 0x61, 0x65, 0x66, 0x7a, 0x7b, 0x7d, 0x0a, 0x80, 0xe2, 0xff];
    const joined = (lines: readonly string[]): Buffer => Buffer.from(lines.map((l) => l + '\n').join(''));
    const mutations: { what: string; entries: Buffer; checkpoint: Buffer }[] = [];
    for (let n = 0; n < 60; n++) {
      let entries: Buffer = Buffer.from(original);
      const checkpoint = Buffer.from(note);
      let what: string;
      const kind = n < 40 ? 'byte' : pick(['delete', 'duplicate', 'swap', 'truncate', 'checkpoint'] as const);
      const lines = original.toString('utf8').slice(0, -1).split('\n');
      const at = Math.floor(random() * lines.length);
      switch (kind) {
        case 'byte': {
          const pos = Math.floor(random() * entries.length);
          let b = pick(bytes);
          if (b === entries[pos]) b = b === 0x30 ? 0x31 : 0x30;
          what = `byte ${pos} 0x${entries[pos]!.toString(16)} -> 0x${b.toString(16)}`;
          entries[pos] = b;
          break;
        }
        case 'delete':
          what = `delete line ${at}`;
          lines.splice(at, 1);
          entries = joined(lines);
          break;
        case 'duplicate':
          what = `duplicate line ${at}`;
          lines.splice(at, 0, lines[at]!);
          entries = joined(lines);
          break;
        case 'swap': {
          const b = Math.min(at + 1, lines.length - 1);
          what = `swap lines ${at} and ${b}`;
          [lines[at], lines[b]] = [lines[b]!, lines[at]!];
          entries = joined(lines);
          break;
        }
        case 'truncate': {
          const pos = Math.floor(random() * entries.length);
          what = `truncate at byte ${pos}`;
          entries = entries.subarray(0, pos);
          break;
        }
        case 'checkpoint': {
          const pos = Math.floor(random() * checkpoint.length);
          const b = checkpoint[pos] === 0x41 ? 0x42 : 0x41;
          what = `checkpoint byte ${pos} -> 0x${b.toString(16)}`;
          checkpoint[pos] = b;
          break;
        }
      }
      mutations.push({ what, entries, checkpoint });
    }
    const disagreements: string[] = [];
    // A few at a time: each runs a Python process.
    for (let i = 0; i < mutations.length; i += 4) {
      await Promise.all(
        mutations.slice(i, i + 4).map(async (m) => {
          const dir = await copy();
          await writeFile(join(dir, 'entries.jsonl'), m.entries);
          await writeFile(join(dir, 'checkpoint'), m.checkpoint);
          const py = pythonVerdict(await python(dir));
          const ts = await typescriptVerdict(dir);
          if (JSON.stringify(py) !== JSON.stringify(ts)) disagreements.push(`${m.what}: python ${JSON.stringify(py)}, typescript ${JSON.stringify(ts)}`);
          await rm(dir, { recursive: true });
        }),
      );
    }
    // Every disagreement at once, so one run shows them all.
    expect(disagreements).toEqual([]);
  });
});

// Roles are cluster-wide and need a server: this part runs only with DATABASE_URL.
describe.runIf(testEngine === 'postgres')('infra/postgres/app-role.sql on a fresh database', () => {
  const suffix = randomBytes(4).toString('hex');
  const app = `ledger_app_${suffix}`;
  const migrator = `ledger_migrator_${suffix}`;
  const appPassword = randomBytes(12).toString('hex');
  const migratorPassword = randomBytes(12).toString('hex');
  let t: TestDatabase;
  let appDb: Database;
  let work: string;

  const urlAs = (user: string, password: string): string => {
    const url = new URL(t.url!);
    url.username = user;
    url.password = password;
    return url.toString();
  };
  const applySql = (): Promise<Outcome> =>
    exec(
      'psql',
      ['-X', '-q', '-v', `app_role=${app}`, '-v', `migrator_role=${migrator}`, '-v', `app_password=${appPassword}`, '-v', `migrator_password=${migratorPassword}`, '-f', ROLE_SQL, t.url!],
      'applying infra/postgres/app-role.sql needs the PostgreSQL client psql',
    );

  beforeAll(async () => {
    t = await createTestDatabase(); // migrated by the admin role, as an existing deployment would be
    work = await mkdtemp(join(tmpdir(), 'ledger-roles-'));
    // Twice: the file must be idempotent.
    for (let i = 0; i < 2; i++) {
      const out = await applySql();
      expect(out, out.stderr).toMatchObject({ code: 0 });
    }
    appDb = await openDatabase({ url: urlAs(app, appPassword), poolSize: 4 });
  });

  afterAll(async () => {
    await appDb?.close();
    await t?.cleanup();
    if (work) await rm(work, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${app}`);
      await admin.query(`DROP ROLE IF EXISTS ${migrator}`);
    } finally {
      await admin.end();
    }
  });

  it('lets the application role append, checkpoint, prove and verify', async () => {
    const store = new EventStore(appDb, { keys: new KeyStore({ dir: join(work, 'keys'), generate: true }) });
    const origin = 'casn.roles.example/2026';
    await store.createLedger(origin);
    for (let i = 0; i < 300; i += 50) {
      // 300 entries complete a 256-hash tile, so merkle_tiles is written too.
      await Promise.all(Array.from({ length: 50 }, (_, k) => store.append(origin, `application/${(i + k) % 40}`, 'any', [draft(i + k).event])));
    }
    const first = await store.append(origin, 'formasi/F-09', -1, [draft(0).event], { idempotencyKey: 'formasi-F-09' });
    const again = await store.append(origin, 'formasi/F-09', -1, [draft(0).event], { idempotencyKey: 'formasi-F-09' });
    expect(again).toMatchObject({ firstSeq: first.firstSeq, replayed: true });
    const cp300 = await store.checkpoint(origin, 300);
    expect(cp300.size).toBe(300);
    const latest = await store.checkpoint(origin);
    expect(latest.size).toBe(301);
    expect((await store.inclusionProof(origin, 10, 300)).root).toBe(toBase64(cp300.root));
    expect((await store.consistencyProof(origin, 300, 301)).root2).toBe(toBase64(latest.root));
    expect(await store.verify(origin)).toMatchObject({ ok: true, size: 301 });
    // The row lock a contended writer takes on the head row.
    await appDb.transaction((query) => query('SELECT 1 FROM ledgers WHERE origin = $1 FOR UPDATE', [origin]));
    // Reading the migration bookkeeping confirms the schema is current, and writes nothing.
    expect(await migrateToLatest(appDb)).toEqual([]);
  });

  it('lets the application role seal and erase personal data, issue and revoke tokens, and build read models', async () => {
    const vault = new Vault(appDb, randomBytes(32));
    const sealed = await vault.seal('role-subject', { name: 'Siti' });
    expect(await vault.open(sealed)).toEqual({ name: 'Siti' });
    expect(await vault.erase('role-subject')).toBe(true);
    expect(await vault.open(sealed)).toBeUndefined();
    const tokens = new TokenStore(appDb);
    const issued = await tokens.issue({ actorId: 'officer-1', role: 'officer', agency: 'kota-uji', label: 'roles' });
    expect(await tokens.authenticate(issued.token)).toMatchObject({ actorId: 'officer-1' });
    expect(await tokens.revoke(issued.id)).toBe(true);
    const store = new EventStore(appDb);
    const origin = 'casn.roles.example/period';
    await store.append(origin, 'period', -1, [
      {
        type: 'PeriodOpened',
        actor: { id: 'admin', role: 'admin' },
        payload: { periodId: 'p', agency: { code: 'kota-uji', name: 'Kota Uji', level: 'daerah' }, year: 2024, kind: 'CPNS', rules: 'casn-2024', schedule: {} },
      },
    ]);
    await store.append(origin, 'formation-F1', -1, [
      {
        type: 'FormationAnnounced',
        actor: { id: 'admin', role: 'admin' },
        payload: { formationId: 'F1', jabatan: 'Guru', unit: 'Dinas', location: 'Kota', education: ['S1'], track: 'umum', quota: 1 },
      },
    ]);
    const runner = new ProjectionRunner(store);
    expect(await runner.catchUp(origin)).toBe(2);
    expect(await runner.rebuild(origin)).toBe(2);
  });

  it('refuses UPDATE, DELETE, TRUNCATE and DDL to the application role: permission denied, before any trigger', async () => {
    const refused = [
      'UPDATE entries SET type = type',
      'DELETE FROM entries',
      'TRUNCATE entries',
      'UPDATE merkle_tiles SET root = root',
      'DELETE FROM merkle_tiles',
      'TRUNCATE merkle_tiles',
      'UPDATE checkpoints SET note = note',
      'DELETE FROM checkpoints',
      'TRUNCATE checkpoints',
      'UPDATE idempotency_keys SET result = result',
      'DELETE FROM idempotency_keys',
      'TRUNCATE idempotency_keys',
      'UPDATE ledger_cosignatures SET line = line',
      'DELETE FROM ledger_cosignatures',
      'TRUNCATE ledger_cosignatures',
      'UPDATE ledgers SET origin = origin',
      'DELETE FROM subject_keys',
      'TRUNCATE subject_keys',
      'UPDATE subject_keys SET subject = subject',
      'DELETE FROM api_tokens',
      'UPDATE api_tokens SET token_hash = token_hash',
      'DELETE FROM ledgers',
      'TRUNCATE ledgers',
      "INSERT INTO kysely_migration (name, timestamp) VALUES ('x', now())",
      'CREATE TABLE forged (a int)',
      'CREATE TEMP TABLE scratch (a int)',
      'ALTER TABLE entries DISABLE TRIGGER ALL',
      'DROP TABLE entries',
      'CREATE SCHEMA forged',
    ];
    const wrong: string[] = [];
    for (const statement of refused) {
      try {
        await appDb.query(statement);
        wrong.push(`${statement}: allowed`);
      } catch (err) {
        const { code, message } = err as { code?: string; message: string };
        // 42501 is also the triggers' code; the message tells a privilege check from a trigger.
        if (code !== '42501' || !/^(permission denied|must be owner)/.test(message)) wrong.push(`${statement}: ${code} ${message}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('gives the schema and the tables to the migrator, which can run migrations', async () => {
    const owners = await t.database.query<{ tablename: string; tableowner: string }>(
      "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    expect(owners.map((r) => r.tablename)).toEqual([
      'api_tokens',
      'checkpoints',
      'entries',
      'idempotency_keys',
      'kysely_migration',
      'kysely_migration_lock',
      'ledger_cosignatures',
      'ledgers',
      'merkle_tiles',
      'rm_applications',
      'rm_formations',
      'rm_officer_activity',
      'rm_positions',
      'rm_rankings',
      'rm_skd_cut',
      'rm_timeline',
      'subject_keys',
    ]);
    for (const row of owners) expect(row.tableowner, row.tablename).toBe(migrator);
    const migratorDb = await openDatabase({ url: urlAs(migrator, migratorPassword), poolSize: 1 });
    try {
      expect(await migrateToLatest(migratorDb)).toEqual([]);
      // Even the owner meets the append-only triggers.
      await expect(migratorDb.query('DELETE FROM entries')).rejects.toThrow(/append-only/);
    } finally {
      await migratorDb.close();
    }
  });
});
