/** `ledger checkpoint`: signs (or shows) the checkpoint of a ledger's current size. */
import { requiredOption, writeLine, type Command } from '../command.ts';
import { withStore } from '../open-store.ts';
import { LEDGER_OPTION } from './options.ts';

/** The checkpoint command. */
export const checkpoint: Command = {
  name: 'checkpoint',
  summary: "sign the checkpoint of a ledger's current size and print it",
  usage: '--ledger ORIGIN',
  description:
    'Prints the signed checkpoint note (C2SP tlog-checkpoint) of all entries of the ledger on stdout, ' +
    'signing it with the log key unless a checkpoint of that size was signed before.',
  options: { ledger: LEDGER_OPTION },
  positionals: [],
  async run(args, { io, config }) {
    const origin = requiredOption(args, 'ledger');
    const cp = await withStore(config(), { schema: 'required' }, async (store) => {
      await store.size(origin); // an unknown ledger is an error here, not a new empty one
      return store.checkpoint(origin);
    });
    io.stdout.write(cp.note);
    writeLine(io.stderr, `${cp.created ? 'signed' : 'already signed'}: checkpoint of ${origin} at size ${cp.size}`);
    return 0;
  },
};
