/** `ledger export`: writes a ledger's export bundle (entries, checkpoint, log key) to a directory. */
import { resolve } from 'node:path';
import { exportBundle } from '@casn/event-store';
import { toBase64 } from '@casn/ledger-core';
import { integerOption, requiredOption, writeLine, type Command } from '../command.ts';
import { withStore } from '../open-store.ts';
import { createProgress } from '../progress.ts';
import { LEDGER_OPTION } from './options.ts';

/** The export command. */
export const exportCommand: Command = {
  name: 'export',
  summary: "write a ledger's export bundle to a directory",
  usage: '--ledger ORIGIN --out DIR [--size N]',
  description:
    'Writes entries.jsonl (the canonical bytes of each entry, one a line), checkpoint (signed, for exactly ' +
    'those entries) and log.vkey into DIR, which anyone can check with `pnpm ledger verify DIR`. ' +
    'With --size, only the first N entries are exported.',
  options: {
    ledger: LEDGER_OPTION,
    out: { type: 'string', arg: 'DIR', help: 'bundle directory (created if missing; its bundle files are replaced)', required: true },
    size: { type: 'string', arg: 'N', help: 'export only the first N entries (default: all)' },
  },
  positionals: [],
  async run(args, { io, config }) {
    const origin = requiredOption(args, 'ledger');
    const dir = resolve(requiredOption(args, 'out'));
    const size = integerOption(args, 'size');
    const progress = createProgress(io.stderr, `exporting ${origin}`);
    const cp = await withStore(config(), { schema: 'required' }, async (store) => {
      await store.size(origin); // an unknown ledger is an error here, not a new empty one
      try {
        return await exportBundle(store, origin, dir, { ...(size !== undefined && { size }), onProgress: (done, total) => progress.update(done, total) });
      } finally {
        progress.end();
      }
    });
    writeLine(io.stderr, `exported ${cp.size} entries of ${origin} to ${dir}, root ${toBase64(cp.root)}`);
    return 0;
  },
};
