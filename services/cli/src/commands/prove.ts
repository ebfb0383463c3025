/** `ledger prove`: prints the RFC 6962 inclusion proof of one entry. */
import { integerOption, requiredOption, writeLine, type Command } from '../command.ts';
import { withStore } from '../open-store.ts';
import { LEDGER_OPTION } from './options.ts';

/** The prove command. */
export const prove: Command = {
  name: 'prove',
  summary: 'print the inclusion proof of one entry',
  usage: '--ledger ORIGIN --seq N [--size N]',
  description:
    'Prints, as JSON with hashes in base64, the RFC 6962 inclusion proof of entry --seq in the tree of the ' +
    'first --size entries (default: all), to be checked against the root of a signed checkpoint of that size.',
  options: {
    ledger: LEDGER_OPTION,
    seq: { type: 'string', arg: 'N', help: 'seq of the entry to prove', required: true },
    size: { type: 'string', arg: 'N', help: 'tree size to prove against (default: the ledger size)' },
  },
  positionals: [],
  async run(args, { io, config }) {
    const origin = requiredOption(args, 'ledger');
    const seq = integerOption(args, 'seq')!;
    const size = integerOption(args, 'size');
    const proof = await withStore(config(), { schema: 'required' }, (store) => store.inclusionProof(origin, seq, size));
    writeLine(io.stdout, JSON.stringify(proof, null, 2));
    return 0;
  },
};
