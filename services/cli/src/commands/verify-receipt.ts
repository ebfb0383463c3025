/**
 * `ledger verify-receipt`: checks an offline receipt (C2SP tlog-proof: an entry, its inclusion
 * proof and a signed checkpoint) with nothing but the log's verifier key; with --url, also that
 * the live ledger still holds the entry (its latest checkpoint and a consistency proof).
 */
import {
  describeReceiptVerdict,
  parseReceipt,
  toBase64,
  toHex,
  verifyReceipt,
  verifyReceiptStillThere,
  type ReceiptKeys,
  type ReceiptProof,
  type ReceiptVerdict,
} from '@casn/ledger-core';
import { CliError, UsageError, integerOption, listOption, stringOption, writeLine, type Command, type Output } from '../command.ts';
import { QUORUM_OPTION, WITNESS_KEY_OPTION, readArgumentBytes, readArgumentFile, readWitnessKeys } from './options.ts';

/** Environment variable holding the API token when --token is not given. */
export const TOKEN_ENV = 'LEDGER_API_TOKEN';
const TIMEOUT_MS = 30_000;

/** The verify-receipt command. */
export const verifyReceiptCommand: Command = {
  name: 'verify-receipt',
  summary: 'verify an offline receipt of one entry (needs no database)',
  usage: 'FILE --log-key VKEY_FILE [--witness-key FILE]... [--quorum N] [--url URL [--token TOKEN]]',
  description:
    'Checks the receipt in FILE (C2SP tlog-proof text, as API writes return it and GET /v1/ledgers/{period}/entries/{seq}/receipt ' +
    "serves it): the entry is canonical JSON whose seq is the receipt's index and whose ledger is the checkpoint's origin, the " +
    "checkpoint is signed by the log key in VKEY_FILE, and the inclusion proof leads from the entry's leaf hash to the signed root; " +
    'with --witness-key, at least --quorum of those witnesses cosigned the checkpoint. ' +
    'Prints what it proved and exits 0, or one line saying what failed (and on which line of FILE) and exits 1.\n' +
    "With --url it also fetches the ledger's latest checkpoint and a consistency proof from the API and checks that the receipt's " +
    `checkpoint is a prefix of it, so the entry is still there. The token comes from --token or ${TOKEN_ENV}.`,
  options: {
    'log-key': { type: 'string', arg: 'FILE', help: "the log's verifier key you trust (name+id+key, one line)", required: true },
    'witness-key': WITNESS_KEY_OPTION,
    quorum: QUORUM_OPTION,
    url: { type: 'string', arg: 'URL', help: 'base URL of the ledger API, e.g. https://audit.example.go.id: also prove the entry is still there' },
    token: { type: 'string', arg: 'TOKEN', help: `bearer token for --url (default: ${TOKEN_ENV})` },
  },
  positionals: ['FILE'],
  async run(args, { io }) {
    const [file] = args.positionals as [string];
    const url = stringOption(args, 'url');
    const token = stringOption(args, 'token') ?? io.env[TOKEN_ENV];
    if (url === undefined && stringOption(args, 'token') !== undefined) throw new UsageError('--token needs --url');
    if (url !== undefined && (token === undefined || token === '')) throw new UsageError(`--url needs --token or ${TOKEN_ENV}`);
    // Bytes, not text: a receipt that is not UTF-8 is refused rather than silently repaired.
    const bytes = new Uint8Array(await readArgumentBytes('receipt', file));
    const logKey = (await readArgumentFile('--log-key', stringOption(args, 'log-key')!)).trim();
    const witnessKeys = await readWitnessKeys(listOption(args, 'witness-key'));
    const quorum = integerOption(args, 'quorum');
    if (quorum !== undefined && quorum > 0 && witnessKeys.length === 0) throw new UsageError('--quorum needs --witness-key');
    const keys: ReceiptKeys = { logKey, witnessKeys, ...(quorum !== undefined ? { quorum } : {}) };

    const verdict = verifyReceipt(bytes, keys);
    if (!verdict.ok) {
      writeLine(io.stdout, describeReceiptVerdict(verdict));
      return 1;
    }
    printProof(io.stdout, verdict);
    if (url === undefined) return 0;

    // Only a valid receipt gets here, so it parses.
    const receipt = parseReceipt(bytes);
    const api = new LedgerApi(url, token!);
    const { id, note, size } = await api.latestCheckpoint(verdict.origin);
    const hashes = size >= verdict.checkpoint.size ? await api.consistencyProof(id, verdict.checkpoint.size, size) : [];
    const still = verifyReceiptStillThere(receipt, note, hashes, keys);
    if (!still.ok) {
      writeLine(io.stdout, `not proved still there: ${describeReceiptVerdict(still).replace(/^invalid receipt: /, '')}`);
      return 1;
    }
    writeLine(
      io.stdout,
      `still there: the latest checkpoint of ${still.origin} (size ${still.newer.size}, root ${toBase64(still.newer.root)}) ` +
        `extends the receipt's checkpoint of size ${still.checkpoint.size} (consistency proof of ${hashes.length} hashes from ${url})`,
    );
    return 0;
  },
};

function printProof(out: Output, v: Extract<ReceiptVerdict, { ok: true }> & ReceiptProof): void {
  const rows: [string, string][] = [
    ['ledger', v.origin],
    ['seq', String(v.seq)],
    ['type', v.type],
    ['stream', `${v.stream} (version ${v.version})`],
    ['id', v.id],
    ['actor', `${v.actor.id} (${v.actor.role})`],
    ['at', v.at],
    ['leaf', toHex(v.leaf)],
    ['checkpoint', `size ${v.checkpoint.size}, root ${toBase64(v.checkpoint.root)}, signed by the log key`],
    ['cosignatures', cosignatures(v)],
  ];
  writeLine(out, 'valid receipt: the entry is in the ledger, committed by the signed checkpoint');
  for (const [name, value] of rows) writeLine(out, `  ${name.padEnd(12)} ${value}`);
}

function cosignatures(v: ReceiptProof): string {
  const by = v.cosigners.map((c) => `${c.name} (at ${new Date(c.timestamp * 1000).toISOString()})`);
  const unchecked = v.unchecked > 0 ? `${v.unchecked} signature line(s) by keys not given, not checked` : '';
  if (by.length === 0) return unchecked || 'none';
  return unchecked ? `${by.join(', ')}; ${unchecked}` : by.join(', ');
}

/** The few ledger routes the command reads. */
class LedgerApi {
  readonly #base: URL;
  constructor(
    base: string,
    private readonly token: string,
  ) {
    try {
      this.#base = new URL(base.endsWith('/') ? base : `${base}/`);
    } catch {
      throw new UsageError('--url must be an absolute http(s) URL');
    }
    if (this.#base.protocol !== 'http:' && this.#base.protocol !== 'https:') throw new UsageError('--url must be an absolute http(s) URL');
  }

  /**
   * The latest checkpoint of the ledger `origin` and the id the API names it by: a period's
   * ledger is `<base>/<periodId>`, the directory is `directory`; the answer's origin must match.
   */
  async latestCheckpoint(origin: string): Promise<{ id: string; note: string; size: number }> {
    for (const id of [origin.slice(origin.lastIndexOf('/') + 1), 'directory']) {
      const body = await this.#get<{ origin: string; size: number; note: string }>(`v1/ledgers/${encodeURIComponent(id)}/checkpoint`, { notFound: 'skip' });
      if (body?.origin === origin) return { id, note: body.note, size: body.size };
    }
    throw new CliError(`the API at ${this.#base.origin} serves no checkpoint of ledger ${origin}`);
  }

  /** The consistency proof between two sizes, hashes in base64. */
  async consistencyProof(id: string, from: number, to: number): Promise<string[]> {
    const body = await this.#get<{ hashes: string[] }>(`v1/ledgers/${encodeURIComponent(id)}/proofs/consistency?from=${from}&to=${to}`, { notFound: 'fail' });
    if (!body || !Array.isArray(body.hashes) || !body.hashes.every((h) => typeof h === 'string')) {
      throw new CliError('the API answered a consistency proof without a list of hashes');
    }
    return body.hashes;
  }

  async #get<T>(path: string, opts: { notFound: 'skip' | 'fail' }): Promise<T | undefined> {
    const url = new URL(path, this.#base);
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw new CliError(`cannot reach ${url.origin}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
    }
    if (res.status === 404 && opts.notFound === 'skip') return undefined;
    if (!res.ok) {
      const problem = (await res.json().catch(() => undefined)) as { detail?: unknown; title?: unknown } | undefined;
      const detail = typeof problem?.detail === 'string' ? problem.detail : typeof problem?.title === 'string' ? problem.title : res.statusText;
      throw new CliError(`GET ${url.pathname}: ${res.status} ${detail}`);
    }
    try {
      return (await res.json()) as T;
    } catch {
      throw new CliError(`GET ${url.pathname}: the answer is not JSON`);
    }
  }
}

