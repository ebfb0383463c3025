/** `ledger keygen`: creates a signed-note log key, or a witness key. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KeyStore } from '@casn/event-store';
import { cosignerFromSignerKey, generateSignerKey, parseSignerKey } from '@casn/ledger-core';
import { CliError, stringOption, UsageError, writeLine, type Command } from '../command.ts';

/** The keygen command. */
export const keygen: Command = {
  name: 'keygen',
  summary: 'create a log signing key or a witness key',
  usage: '--ledger ORIGIN | --name NAME --out FILE [--witness]',
  description:
    'Creates an Ed25519 signed-note key pair and prints its verifier key on stdout. With --ledger, the key ' +
    "is the ledger's log key, written where the store looks for it (LEDGER_KEYS_DIR) with its .vkey beside " +
    'it; with --name and --out, only the private key file is written to FILE. The private key file gets ' +
    'mode 0600, and an existing key file is never overwritten.',
  options: {
    ledger: { type: 'string', arg: 'ORIGIN', help: 'create the log key of this ledger in the configured keys directory' },
    name: { type: 'string', arg: 'NAME', help: 'key name (for a log key: the ledger origin)' },
    out: { type: 'string', arg: 'FILE', help: 'private key file to write' },
    witness: { type: 'boolean', help: "with --name/--out: print the witness's cosignature verifier key (type 0x04) instead of the signed-note one" },
  },
  positionals: [],
  async run(args, { io, config }) {
    const origin = stringOption(args, 'ledger');
    const name = stringOption(args, 'name');
    const out = stringOption(args, 'out');
    const witness = args.options.witness === true;
    if (origin !== undefined) {
      if (name !== undefined || out !== undefined) throw new UsageError('give either --ledger or --name and --out, not both');
      if (witness) throw new UsageError('--witness goes with --name and --out: a log key is not a witness key');
      const keys = new KeyStore(config().keys);
      const path = keys.keyPath(origin);
      const skey = await refuseOverwrite(path, () => keys.create(origin));
      writeLine(io.stdout, parseSignerKey(skey).vkey);
      writeLine(io.stderr, `wrote the log key of ${origin} to ${path} (mode 0600), its verifier key beside it`);
      return 0;
    }
    if (name === undefined || out === undefined) throw new UsageError('give --ledger ORIGIN, or --name NAME and --out FILE');
    const { skey, vkey } = generate(name);
    const path = resolve(out);
    await mkdir(dirname(path), { recursive: true });
    await refuseOverwrite(path, () => writeFile(path, skey + '\n', { flag: 'wx', mode: 0o600 }));
    if (witness) {
      writeLine(io.stdout, cosignerFromSignerKey(skey).vkey);
      writeLine(io.stderr, `wrote the witness key ${name} to ${path} (mode 0600); stdout: its cosignature verifier key, for LEDGER_WITNESSES and --witness-key`);
      return 0;
    }
    writeLine(io.stdout, vkey);
    writeLine(io.stderr, `wrote the private key ${name} to ${path} (mode 0600)`);
    return 0;
  },
};

function generate(name: string): { skey: string; vkey: string } {
  try {
    return generateSignerKey(name);
  } catch (err) {
    throw new CliError(`cannot make a key named ${JSON.stringify(name)}: ${(err as Error).message}`);
  }
}

async function refuseOverwrite<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`refusing to overwrite the existing key file ${path}`);
    if (err instanceof Error && err.name === 'NoteError') throw new CliError(`cannot make a key for ${path}: ${err.message}`);
    throw err;
  }
}
