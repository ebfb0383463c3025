/** `ledger verify`: checks an export bundle without any database or trust in its producer. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_FILES } from '@casn/event-store';
import { describeVerdict, type CosignatureVerifier, type VerifyOptions } from '@casn/ledger-core';
import { CliError, integerOption, listOption, stringOption, writeLine, type Args, type Command, type Output } from '../command.ts';
import { QUORUM_OPTION, WITNESS_KEY_OPTION, readArgumentFile, readWitnessKeys, witnessKeysIn } from './options.ts';
import { createProgress } from '../progress.ts';
import { verifyBundleDir } from '../verify-dir.ts';

/** The verify command. */
export const verify: Command = {
  name: 'verify',
  summary: 'verify an export bundle (needs no database)',
  usage: 'DIR [--trusted OLD_CHECKPOINT_FILE] [--log-key VKEY_FILE] [--witness-key FILE]... [--quorum N]',
  description:
    'Checks every entry of the bundle in DIR (canonical form, seq, hash chain, stream versions), the Merkle ' +
    'root against the signed checkpoint, and the signature under log.vkey. Prints "valid: ..." and exits 0, or ' +
    'prints one line naming the first bad seq and why and exits 1. A bundle proves only itself: pin the log ' +
    'key with --log-key and give an older checkpoint you trust with --trusted to detect a rewritten history.',
  options: {
    trusted: { type: 'string', arg: 'FILE', help: 'an older signed checkpoint: the bundle must extend it unchanged' },
    'log-key': { type: 'string', arg: 'FILE', help: "the log's verifier key you trust; the bundle's log.vkey must equal it" },
    'witness-key': WITNESS_KEY_OPTION,
    quorum: QUORUM_OPTION,
  },
  positionals: ['DIR'],
  async run(args, { io }) {
    const [dir] = args.positionals as [string];
    const opts: { -readonly [K in keyof VerifyOptions]: VerifyOptions[K] } = {};
    const trusted = stringOption(args, 'trusted');
    if (trusted !== undefined) opts.trusted = await readArgumentFile('--trusted', trusted);
    const logKey = stringOption(args, 'log-key');
    if (logKey !== undefined) opts.logKey = (await readArgumentFile('--log-key', logKey)).trim();
    const witnesses = await witnessKeys(args, dir, io.stderr);
    if (witnesses !== undefined) {
      opts.witnesses = witnesses.keys;
      opts.quorum = integerOption(args, 'quorum') ?? (witnesses.pinned ? 1 : 0);
    }
    const progress = createProgress(io.stderr, `verifying ${dir}`);
    let lastShown = 0;
    const verdict = await verifyBundleDir(dir, opts, (done) => {
      if (done - lastShown >= 50_000) {
        lastShown = done;
        progress.update(done);
      }
    }).finally(() => progress.end());
    writeLine(io.stdout, describeVerdict(verdict));
    return verdict.ok ? 0 : 1;
  },
};

/**
 * The witness keys to check cosignatures with: those of the --witness-key files (pinned), else,
 * when --quorum asks for cosignatures, the bundle's witnesses.vkey (not pinned). Undefined when
 * neither is asked for; CliError names the option at fault.
 */
async function witnessKeys(args: Args, dir: string, stderr: Output): Promise<{ keys: CosignatureVerifier[]; pinned: boolean } | undefined> {
  const files = listOption(args, 'witness-key');
  if (files.length > 0) return { keys: await readWitnessKeys(files), pinned: true };
  const quorum = integerOption(args, 'quorum');
  if (quorum === undefined || quorum === 0) return undefined;
  const path = join(dir, BUNDLE_FILES.witnesses);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) throw new CliError(`--quorum: give --witness-key FILE: the bundle has no ${BUNDLE_FILES.witnesses} to take witness keys from`);
  const keys = witnessKeysIn('--quorum', path, text);
  writeLine(stderr, `note: witness keys taken from the bundle's ${BUNDLE_FILES.witnesses}; pin the keys you trust with --witness-key`);
  return { keys, pinned: false };
}
