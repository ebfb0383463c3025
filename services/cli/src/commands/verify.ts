/** `ledger verify`: checks an export bundle without any database or trust in its producer. */
import { readFile } from 'node:fs/promises';
import { describeVerdict, type VerifyOptions } from '@casn/ledger-core';
import { CliError, stringOption, writeLine, type Command } from '../command.ts';
import { createProgress } from '../progress.ts';
import { verifyBundleDir } from '../verify-dir.ts';

/** The verify command. */
export const verify: Command = {
  name: 'verify',
  summary: 'verify an export bundle (needs no database)',
  usage: 'DIR [--trusted OLD_CHECKPOINT_FILE] [--log-key VKEY_FILE]',
  description:
    'Checks every entry of the bundle in DIR (canonical form, seq, hash chain, stream versions), the Merkle ' +
    'root against the signed checkpoint, and the signature under log.vkey. Prints "valid: ..." and exits 0, or ' +
    'prints one line naming the first bad seq and why and exits 1. A bundle proves only itself: pin the log ' +
    'key with --log-key and give an older checkpoint you trust with --trusted to detect a rewritten history.',
  options: {
    trusted: { type: 'string', arg: 'FILE', help: 'an older signed checkpoint: the bundle must extend it unchanged' },
    'log-key': { type: 'string', arg: 'FILE', help: "the log's verifier key you trust; the bundle's log.vkey must equal it" },
  },
  positionals: ['DIR'],
  async run(args, { io }) {
    const [dir] = args.positionals as [string];
    const opts: { -readonly [K in keyof VerifyOptions]: VerifyOptions[K] } = {};
    const trusted = stringOption(args, 'trusted');
    if (trusted !== undefined) opts.trusted = await readArgumentFile('--trusted', trusted);
    const logKey = stringOption(args, 'log-key');
    if (logKey !== undefined) opts.logKey = (await readArgumentFile('--log-key', logKey)).trim();
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

async function readArgumentFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the ${flag} file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
