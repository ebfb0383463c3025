/** Options shared by several commands, and reading the files they name. */
import { readFile } from 'node:fs/promises';
import { WitnessListError, parseWitnessList, type CosignatureVerifier } from '@casn/ledger-core';
import { CliError, type OptionSpec } from '../command.ts';

/** `--ledger ORIGIN`, required. */
export const LEDGER_OPTION: OptionSpec = {
  type: 'string',
  arg: 'ORIGIN',
  help: 'ledger origin, e.g. casn.tangerangselatankota.go.id/2026',
  required: true,
};

/** `--witness-key FILE`, repeatable: witness cosignature verifier keys in the witness list format. */
export const WITNESS_KEY_OPTION: OptionSpec = {
  type: 'string',
  arg: 'FILE',
  help: 'witness cosignature verifier keys you trust, one a line (repeatable)',
  multiple: true,
};

/** `--quorum N`: cosignatures required. */
export const QUORUM_OPTION: OptionSpec = {
  type: 'string',
  arg: 'N',
  help: 'least number of valid cosignatures by distinct witness keys (default: 1 with --witness-key, else 0)',
};

/** The bytes of a file an option or argument names; CliError naming it when unreadable. */
export async function readArgumentBytes(what: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new CliError(`cannot read the ${what} file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** The text (UTF-8) of a file an option or argument names; CliError naming it when unreadable. */
export async function readArgumentFile(what: string, path: string): Promise<string> {
  return (await readArgumentBytes(what, path)).toString('utf8');
}

/** The witness keys of a witness list (`<vkey> [url]` a line, '#' comments); CliError naming `what` and the file. */
export function witnessKeysIn(what: string, path: string, text: string): CosignatureVerifier[] {
  try {
    return parseWitnessList(text).map((w) => w.verifier);
  } catch (err) {
    if (err instanceof WitnessListError) throw new CliError(`${what}: ${path}: ${err.message}`);
    throw err;
  }
}

/** The witness keys of every --witness-key file; CliError when a file cannot be read, is malformed, or none holds a key. */
export async function readWitnessKeys(files: readonly string[]): Promise<CosignatureVerifier[]> {
  const keys: CosignatureVerifier[] = [];
  for (const file of files) keys.push(...witnessKeysIn('--witness-key', file, await readArgumentFile('--witness-key', file)));
  if (files.length > 0 && keys.length === 0) throw new CliError('--witness-key: the files hold no witness key');
  return keys;
}
