/**
 * `ledger witness` and `ledger witness serve`: a witness (the inspectorate, the ombudsman)
 * cosigns a ledger's checkpoints (C2SP tlog-cosignature v1) only after checking that each one
 * extends the last one it cosigned. It keeps its own state file and never trusts the ledger
 * operator: a checkpoint that is smaller, has the same size and another root, or is not
 * consistent with what it cosigned before is refused, and kept as evidence of a split view.
 *
 * `witness` runs once against a running ledger (--url, with its consistency proof route) or an
 * export bundle (--bundle, the proof computed from its entries). `witness serve` answers C2SP
 * tlog-witness `POST /add-checkpoint` requests, so the ledger's worker can ask it.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import {
  AddCheckpointError,
  SIGNATURE_LINE_PREFIX,
  type AddCheckpointRequest,
  TLOG_SIZE_CONTENT_TYPE,
  checkWitnessGrowth,
  consistencyProof,
  cosignerFromSignerKey,
  formatCosignature,
  fromBase64,
  leafHash,
  noteText,
  openCheckpoint,
  parseAddCheckpoint,
  parseVerifierKey,
  rootFromLeafHashes,
  toBase64,
  verifyBundle,
  type Checkpoint,
  type Cosigner,
  type GrowthVerdict,
  type NodeRef,
  type NoteVerifier,
} from '@casn/ledger-core';
import { z } from 'zod';
import { CliError, UsageError, integerOption, listOption, requiredOption, stringOption, writeLine, type Command, type OptionSpec, type Output } from '../command.ts';

/** What a witness remembers of one log: its pinned key and the last checkpoint it cosigned. */
export interface WitnessLogState {
  /** The log's verifier key, pinned on first use. */
  readonly vkey: string;
  readonly size: number;
  /** base64 of the root at `size`. */
  readonly root: string;
  /** The checkpoint note as cosigned: the log's signature and this witness's cosignature. */
  readonly note: string;
  /** The timestamp of this witness's cosignature (Unix seconds). */
  readonly cosignedAt: number;
}

/** The witness state file: format version 1, one entry per log origin. */
export interface WitnessState {
  readonly version: 1;
  readonly logs: Readonly<Record<string, WitnessLogState>>;
}

const StateSchema = z.object({
  version: z.literal(1),
  logs: z.record(
    z.string(),
    z.object({
      vkey: z.string(),
      size: z.number().int().min(0),
      root: z.string(),
      note: z.string(),
      cosignedAt: z.number().int().min(0),
    }),
  ),
});

const BODY_LIMIT = 64 * 1024;

/** A witness: its key, its state file, and the log keys it knows (pinned in the state or given). */
export class Witness {
  #state: WitnessState;
  readonly #keys = new Map<string, NoteVerifier>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly cosigner: Cosigner,
    readonly statePath: string,
    state: WitnessState,
    readonly now: () => number,
  ) {
    this.#state = state;
    for (const [origin, log] of Object.entries(state.logs)) this.#keys.set(origin, parseVerifierKey(log.vkey));
  }

  /** Opens the key file and the state file (a missing state file is an empty state); CliError names the option at fault. */
  static async open(opts: { keyFile: string; stateFile: string; now?: () => number }): Promise<Witness> {
    const cosigner = await readCosigner(opts.keyFile);
    const statePath = resolve(opts.stateFile);
    return new Witness(cosigner, statePath, await readState(statePath), opts.now ?? (() => Math.floor(Date.now() / 1000)));
  }

  /** The log's state, if this witness cosigned it before. */
  last(origin: string): WitnessLogState | undefined {
    return this.#state.logs[origin];
  }

  /** The log key of `origin`: pinned in the state, else the one given. */
  logKey(origin: string): NoteVerifier | undefined {
    return this.#keys.get(origin);
  }

  /** Adds a log key given on the command line; throws CliError when it contradicts the key pinned in the state. */
  addLogKey(key: NoteVerifier, flag: string): void {
    const pinned = this.#keys.get(key.name);
    if (pinned !== undefined && pinned.vkey !== key.vkey) {
      throw new CliError(`${flag}: the log key of ${key.name} differs from the one pinned in ${this.statePath}; a witness never changes a log's key`);
    }
    this.#keys.set(key.name, key);
  }

  /** Runs `fn` after every earlier call has finished: checking and recording a log's state is atomic. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Cosigns the opened checkpoint `note` of `origin`, records it as the log's state, and returns the cosignature line. */
  async cosign(origin: string, cp: Checkpoint, note: string): Promise<string> {
    const text = noteText(note)!;
    const timestamp = Math.max(this.now(), this.last(origin)?.cosignedAt ?? 0);
    const line = formatCosignature(this.cosigner.cosign(text, timestamp));
    // The note as cosigned: any earlier line by this witness's key is replaced by the new one.
    const mine = `${SIGNATURE_LINE_PREFIX}${this.cosigner.name} `;
    const others = note
      .slice(text.length + 1)
      .split('\n')
      .filter((l) => l !== '' && !(l.startsWith(mine) && fromBase64(l.slice(mine.length))?.length === 76 && readKeyId(l.slice(mine.length)) === this.cosigner.keyId));
    const cosigned = `${text}\n${others.map((l) => `${l}\n`).join('')}${line}`;
    const log: WitnessLogState = { vkey: this.#keys.get(origin)!.vkey, size: cp.size, root: toBase64(cp.root), note: cosigned, cosignedAt: timestamp };
    const state: WitnessState = { version: 1, logs: { ...this.#state.logs, [origin]: log } };
    await writeState(this.statePath, state);
    this.#state = state;
    return line;
  }

  /** Writes split-view evidence next to the state file and returns its path; never overwrites earlier evidence. */
  async keepEvidence(origin: string, note: string, cp: Checkpoint, verdict: Extract<GrowthVerdict, { ok: false }>, source: string, proof?: readonly Uint8Array[]): Promise<string> {
    const last = this.last(origin);
    const lines = [
      `# Split-view evidence kept by witness ${this.cosigner.name} (${this.cosigner.vkey})`,
      `# time: ${new Date(this.now() * 1000).toISOString()}`,
      `# origin: ${origin}`,
      `# source: ${source}`,
      `# refused: ${verdict.error}: ${verdict.reason}`,
      ...(verdict.expected !== undefined ? [`# expected: ${verdict.expected}`] : []),
      ...(verdict.actual !== undefined ? [`# actual: ${verdict.actual}`] : []),
      '',
      `## last checkpoint cosigned by this witness (size ${last?.size ?? 0})`,
      (last?.note ?? '(none)\n').trimEnd(),
      '',
      `## offending checkpoint (size ${cp.size}), signed by the log key`,
      note.trimEnd(),
      '',
      ...(proof !== undefined && last !== undefined
        ? [`## consistency proof from ${last.size} to ${cp.size} as given (base64, one hash a line)`, ...proof.map(toBase64), '']
        : []),
    ];
    const stem = `${this.statePath}.split-view-${origin.replace(/[^A-Za-z0-9._-]/g, '_')}-${cp.size}`;
    for (let n = 1; ; n++) {
      const path = n === 1 ? `${stem}.txt` : `${stem}-${n}.txt`;
      try {
        await writeFile(path, lines.join('\n') + '\n', { flag: 'wx' });
        return path;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }
}

function readKeyId(b64: string): number | undefined {
  const raw = fromBase64(b64);
  return raw === undefined || raw.length < 4 ? undefined : new DataView(raw.buffer, raw.byteOffset).getUint32(0, false);
}

async function readCosigner(path: string): Promise<Cosigner> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`--key: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return cosignerFromSignerKey(text.trim());
  } catch (err) {
    throw new CliError(`--key: ${path} is not a signed-note private key (make one with pnpm ledger keygen --name NAME --out FILE --witness): ${(err as Error).message}`);
  }
}

async function readState(path: string): Promise<WitnessState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, logs: {} };
    throw new CliError(`--state: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let parsed: WitnessState;
  try {
    parsed = StateSchema.parse(JSON.parse(text));
    for (const [origin, log] of Object.entries(parsed.logs)) {
      const key = parseVerifierKey(log.vkey);
      if (key.name !== origin) throw new Error(`the key pinned for ${origin} is named ${key.name}`);
      if (fromBase64(log.root)?.length !== 32) throw new Error(`the root of ${origin} is not 32 bytes of base64`);
    }
  } catch (err) {
    throw new CliError(`--state: ${path} is not a witness state file: ${err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ') : (err as Error).message}`);
  }
  return parsed;
}

async function writeState(path: string, state: WitnessState): Promise<void> {
  // Written beside and renamed over: a crash leaves the old state or the new one, never half of one.
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n');
  await rename(tmp, path);
}

async function readLogKey(flag: string, path: string): Promise<NoteVerifier> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  try {
    return parseVerifierKey(line);
  } catch (err) {
    throw new CliError(`${flag}: ${path} does not hold a log verifier key (name+hexid+base64): ${(err as Error).message}`);
  }
}

function originOf(note: string): string {
  const nl = note.indexOf('\n');
  return nl < 0 ? note : note.slice(0, nl);
}

/** The values of a repeatable option (zero or more). */

// ------------------------------------------------------------------------------------------
// witness (once)
// ------------------------------------------------------------------------------------------

interface Fetched {
  readonly status: number;
  readonly text: string;
}

async function http(method: 'GET' | 'POST', url: string, token: string | undefined, body?: object): Promise<Fetched> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(token !== undefined && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new CliError(`--url: cannot reach ${url}: ${cause}`);
  }
  return { status: res.status, text: await res.text() };
}

function problemOf(f: Fetched): string {
  try {
    const p = JSON.parse(f.text) as { detail?: unknown; title?: unknown };
    return `${f.status} ${typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : ''}`.trim();
  } catch {
    return String(f.status);
  }
}

async function getJson<T>(url: string, token: string | undefined, what: string): Promise<T> {
  const res = await http('GET', url, token);
  if (res.status !== 200) throw new CliError(`--url: the ledger answered ${problemOf(res)} to GET ${url} (${what})`);
  try {
    return JSON.parse(res.text) as T;
  } catch {
    throw new CliError(`--url: GET ${url} did not answer JSON (${what})`);
  }
}

/** A node source over a bundle's leaf hashes, for computing consistency proofs. */
function leafNodes(leaves: readonly Uint8Array[]): (ref: NodeRef) => Uint8Array {
  return (ref) => rootFromLeafHashes(leaves.slice(ref.index * 2 ** ref.level, (ref.index + 1) * 2 ** ref.level));
}

const ledgerUrlOption: OptionSpec = {
  type: 'string',
  arg: 'URL',
  help: "the ledger's URL, e.g. https://ledger.example.go.id/v1/ledgers/2026 (its /checkpoint, /proofs/consistency and /cosignatures routes are used)",
};

/** The witness command: check and cosign one checkpoint. */
export const witness: Command = {
  name: 'witness',
  summary: "cosign a ledger's latest checkpoint as a witness, refusing split views (and: witness serve)",
  usage: '--key FILE --state FILE (--url URL [--token T] | --bundle DIR) [--log-key FILE] | --key FILE --print-vkey',
  description:
    'Fetches the latest checkpoint of a running ledger (--url) or reads an export bundle (--bundle), checks its ' +
    "signature under the log key (pinned in the state file, or --log-key the first time), checks that it extends the " +
    'last checkpoint this witness cosigned (consistency proof from the ledger, or computed from the bundle\'s entries), ' +
    'then prints a C2SP tlog-cosignature line on stdout and records the checkpoint in the state file. With --url it also ' +
    "hands the cosignature to the ledger (POST <url>/cosignatures; token from --token or LEDGER_WITNESS_TOKEN). A checkpoint " +
    'that is smaller, has the same size and another root, or is not consistent is refused with exit code 1, the state is ' +
    'left unchanged, and both checkpoints are kept as evidence in <state>.split-view-<origin>-<size>.txt. ' +
    '`pnpm ledger witness serve` runs the same witness as a C2SP tlog-witness HTTP service.',
  options: {
    key: { type: 'string', arg: 'FILE', help: "the witness's private key (pnpm ledger keygen --name NAME --out FILE --witness)", required: true },
    state: { type: 'string', arg: 'FILE', help: "the witness's state file (created on first use)" },
    url: ledgerUrlOption,
    token: { type: 'string', arg: 'T', help: 'API token of an inspector or ombudsman (default: LEDGER_WITNESS_TOKEN)' },
    bundle: { type: 'string', arg: 'DIR', help: 'an export bundle directory instead of a running ledger' },
    'log-key': { type: 'string', arg: 'FILE', help: "the log's verifier key, obtained out of band; needed until the state pins it" },
    'print-vkey': { type: 'boolean', help: "print the witness's cosignature verifier key (for LEDGER_WITNESSES and --witness-key) and exit" },
  },
  positionals: [],
  async run(args, { io }) {
    const keyFile = requiredOption(args, 'key');
    if (args.options['print-vkey'] === true) {
      writeLine(io.stdout, (await readCosigner(keyFile)).vkey);
      return 0;
    }
    const stateFile = requiredOption(args, 'state');
    const url = stringOption(args, 'url')?.replace(/\/+$/, '');
    const bundle = stringOption(args, 'bundle');
    if ((url === undefined) === (bundle === undefined)) throw new UsageError('give either --url URL or --bundle DIR');
    const token = stringOption(args, 'token') ?? io.env.LEDGER_WITNESS_TOKEN;
    if (bundle !== undefined && stringOption(args, 'token') !== undefined) throw new UsageError('--token goes with --url');

    const w = await Witness.open({ keyFile, stateFile });
    const logKeyFile = stringOption(args, 'log-key');
    if (logKeyFile !== undefined) w.addLogKey(await readLogKey('--log-key', logKeyFile), '--log-key');

    // The checkpoint, as the ledger serves it or as the bundle holds it.
    let note: string;
    let files: { entries: string; checkpoint: string; logVkey: string } | undefined;
    if (url !== undefined) {
      const body = await getJson<{ note?: unknown }>(`${url}/checkpoint`, token, 'the latest checkpoint');
      if (typeof body.note !== 'string') throw new CliError(`--url: ${url}/checkpoint answered no note`);
      note = body.note;
    } else {
      const dir = resolve(bundle!);
      const read = (name: string) =>
        readFile(join(dir, name), 'utf8').catch((err: NodeJS.ErrnoException) => {
          throw new CliError(`--bundle: cannot read ${join(dir, name)}: ${err.code ?? err.message}`);
        });
      files = { entries: await read('entries.jsonl'), checkpoint: await read('checkpoint'), logVkey: await read('log.vkey') };
      note = files.checkpoint;
    }
    const origin = originOf(note);
    const logKey = w.logKey(origin);
    if (logKey === undefined) {
      throw new CliError(`--log-key: no log key is pinned for ${JSON.stringify(origin)} in ${w.statePath} yet; give --log-key FILE (the log's verifier key, obtained out of band)`);
    }
    const opened = openCheckpoint(note, logKey);
    if (!opened.ok) throw new CliError(`the checkpoint of ${origin} does not open under the log key: ${opened.message}`);
    const cp = opened.checkpoint;
    const last = w.last(origin);
    const source = url !== undefined ? `${url}/checkpoint` : resolve(bundle!);

    // The consistency proof from the last cosigned size, when there is growth to prove.
    let proof: Uint8Array[] = [];
    if (files !== undefined) {
      const verdict = verifyBundle(files, { logKey: logKey.vkey });
      if (!verdict.ok) throw new CliError(`--bundle: the bundle does not verify, nothing cosigned: ${verdict.reason}${verdict.seq !== undefined ? ` (seq ${verdict.seq})` : ''}`);
      if (last !== undefined && last.size > 0 && cp.size > last.size) {
        const leaves = files.entries.split('\n').slice(0, cp.size).map((l) => leafHash(l));
        proof = consistencyProof(last.size, cp.size, leafNodes(leaves));
      }
    } else if (last !== undefined && last.size > 0 && cp.size > last.size) {
      const body = await getJson<{ size1?: unknown; size2?: unknown; hashes?: unknown }>(
        `${url}/proofs/consistency?from=${last.size}&to=${cp.size}`,
        token,
        'a consistency proof',
      );
      const hashes = Array.isArray(body.hashes) ? body.hashes.map((h) => (typeof h === 'string' ? fromBase64(h) : undefined)) : undefined;
      if (body.size1 !== last.size || body.size2 !== cp.size || hashes === undefined || hashes.some((h) => h?.length !== 32)) {
        throw new CliError(`--url: the consistency proof from ${last.size} to ${cp.size} is malformed`);
      }
      proof = hashes as Uint8Array[];
    }

    const growth = checkWitnessGrowth(last && { size: last.size, root: fromBase64(last.root)! }, cp, proof);
    if (!growth.ok) {
      const path = await w.keepEvidence(origin, note, cp, growth, source, url !== undefined ? proof : undefined);
      throw new CliError(`REFUSED, possible split view of ${origin}: ${growth.reason}. Nothing was cosigned and ${w.statePath} is unchanged; evidence kept in ${path}`);
    }
    const line = await w.cosign(origin, cp, note);
    io.stdout.write(line);
    writeLine(io.stderr, `cosigned ${origin} at size ${cp.size}${last !== undefined ? ` (last cosigned: ${last.size})` : ' (first checkpoint of this log)'}; state in ${w.statePath}`);
    if (url !== undefined) {
      const res = await http('POST', `${url}/cosignatures`, token, { size: cp.size, cosignature: line.slice(0, -1) });
      if (res.status !== 201) throw new CliError(`--url: the ledger refused the cosignature: ${problemOf(res)} (it is on stdout and recorded in ${w.statePath})`);
      let stored: unknown;
      try {
        stored = (JSON.parse(res.text) as { stored?: unknown }).stored;
      } catch {
        stored = undefined;
      }
      writeLine(io.stderr, `handed to ${url}/cosignatures: ${stored === false ? 'the ledger already held a cosignature of this witness for that size' : 'stored'}`);
    }
    return 0;
  },
};

// ------------------------------------------------------------------------------------------
// witness serve
// ------------------------------------------------------------------------------------------

/** A running witness service. */
export interface WitnessServer {
  /** Base URL, e.g. http://127.0.0.1:8123 (POST <url>/add-checkpoint). */
  readonly url: string;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

const plain = (status: number, body: string): Answer => ({ status, type: 'text/plain; charset=utf-8', body: body.endsWith('\n') ? body : `${body}\n` });

/**
 * Handles one add-checkpoint body as C2SP tlog-witness says: 400 malformed (or old size above the
 * checkpoint's), 404 unknown log, 403 no valid log signature, 409 (text/x.tlog.size) old size not
 * the witness's, 422 consistency proof fails, 409 same size and another root, 200 the cosignature.
 * Refused proofs and roots are kept as split-view evidence.
 */
export async function addCheckpoint(w: Witness, body: string, source: string): Promise<Answer> {
  let req: AddCheckpointRequest;
  try {
    req = parseAddCheckpoint(body);
  } catch (err) {
    if (err instanceof AddCheckpointError) return plain(400, err.message);
    throw err;
  }
  const origin = originOf(req.checkpoint);
  const logKey = w.logKey(origin);
  if (logKey === undefined) return plain(404, `unknown log ${JSON.stringify(origin)}`);
  const opened = openCheckpoint(req.checkpoint, logKey);
  if (!opened.ok) return plain(opened.error === 'malformed' ? 400 : 403, `checkpoint refused: ${opened.message}`);
  const cp = opened.checkpoint;
  if (req.oldSize > cp.size) return plain(400, `old size ${req.oldSize} exceeds the checkpoint size ${cp.size}`);
  return w.exclusive(async () => {
    const last = w.last(origin);
    const size = last?.size ?? 0;
    if (req.oldSize !== size) return { status: 409, type: TLOG_SIZE_CONTENT_TYPE, body: `${size}\n` };
    const growth = checkWitnessGrowth(last && { size: last.size, root: fromBase64(last.root)! }, cp, req.proof);
    if (!growth.ok) {
      const path = await w.keepEvidence(origin, req.checkpoint, cp, growth, source, req.proof);
      return plain(growth.error === 'inconsistent' ? 422 : 409, `${growth.reason}; evidence kept by the witness (${path.slice(path.lastIndexOf('/') + 1)})`);
    }
    return { status: 200, type: 'text/plain; charset=utf-8', body: await w.cosign(origin, cp, req.checkpoint) };
  });
}

/** Starts the witness service on `port` (0: any free port) and `host`; `log` gets one line per request. */
export async function startWitnessServer(w: Witness, opts: { port: number; host?: string; log?: Output }): Promise<WitnessServer> {
  const log = opts.log;
  const server: Server = createServer((req, res) => {
    void handle(w, req, res, log);
  });
  server.listen(opts.port, opts.host ?? '127.0.0.1');
  await new Promise<void>((ok, fail) => {
    server.once('listening', ok);
    server.once('error', fail);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

async function handle(w: Witness, req: IncomingMessage, res: ServerResponse, log: Output | undefined): Promise<void> {
  let answer: Answer;
  try {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== '/add-checkpoint') answer = plain(404, 'not found: this witness serves POST /add-checkpoint');
    else if (req.method !== 'POST') answer = plain(405, 'use POST');
    else {
      const chunks: Buffer[] = [];
      let length = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        length += chunk.length;
        if (length > BODY_LIMIT) break;
        chunks.push(chunk);
      }
      const source = `POST /add-checkpoint from ${req.socket.remoteAddress ?? 'unknown'}`;
      answer = length > BODY_LIMIT ? plain(413, 'body too large') : await addCheckpoint(w, Buffer.concat(chunks).toString('utf8'), source);
    }
  } catch (err) {
    answer = plain(500, `witness failed: ${(err as Error).message}`);
  }
  if (log) writeLine(log, `${new Date().toISOString()} ${req.method} ${req.url?.split('?', 1)[0]} ${answer.status}${answer.status === 200 ? '' : ` ${answer.body.trimEnd().split('\n', 1)[0]}`}`);
  res.writeHead(answer.status, { 'content-type': answer.type, 'cache-control': 'no-store' }).end(answer.body);
}

/** `witness serve`: the witness as a C2SP tlog-witness HTTP service. */
export const witnessServe: Command = {
  name: 'witness serve',
  summary: 'run a witness as a C2SP tlog-witness HTTP service (POST /add-checkpoint)',
  usage: '--key FILE --state FILE --port P [--host H] [--log-key FILE]...',
  description:
    'Answers POST /add-checkpoint (C2SP tlog-witness): the body is "old <size>\\n", the consistency proof from that size ' +
    '(base64 hashes, one a line), an empty line and the signed checkpoint. 200: the cosignature line. 409 ' +
    '(text/x.tlog.size): the old size is not the last size this witness cosigned, which is the body. 422: the proof ' +
    'does not verify; 409: same size, another root (both kept as split-view evidence next to the state file). 404: ' +
    'unknown log; 403: no valid signature by the log key; 400: malformed. Logs are the ones pinned in the state ' +
    'file and the ones given with --log-key (repeatable). Stops on SIGINT or SIGTERM.',
  options: {
    key: { type: 'string', arg: 'FILE', help: "the witness's private key", required: true },
    state: { type: 'string', arg: 'FILE', help: "the witness's state file (created on first use)", required: true },
    port: { type: 'string', arg: 'P', help: 'TCP port to listen on (0: any free port, printed on stderr)', required: true },
    host: { type: 'string', arg: 'H', help: 'address to listen on (default 127.0.0.1; 0.0.0.0 for all)' },
    'log-key': { type: 'string', arg: 'FILE', help: "a log's verifier key (repeatable): the logs this witness cosigns", multiple: true },
  },
  positionals: [],
  async run(args, { io }) {
    const port = integerOption(args, 'port')!;
    if (port > 65535) throw new UsageError('--port must be at most 65535');
    const w = await Witness.open({ keyFile: requiredOption(args, 'key'), stateFile: requiredOption(args, 'state') });
    for (const file of listOption(args, 'log-key')) w.addLogKey(await readLogKey('--log-key', file), '--log-key');
    const server = await startWitnessServer(w, { port, host: stringOption(args, 'host') ?? '127.0.0.1', log: io.stderr });
    writeLine(io.stderr, `witness ${w.cosigner.name} listening on ${server.url} (POST /add-checkpoint); cosignature key: ${w.cosigner.vkey}`);
    const signal = await new Promise<string>((ok) => {
      for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => ok(s));
    });
    writeLine(io.stderr, `${signal}: stopping`);
    await server.close();
    return 0;
  },
};
