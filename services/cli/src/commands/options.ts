/** Options shared by several commands. */
import type { OptionSpec } from '../command.ts';

/** `--ledger ORIGIN`, required. */
export const LEDGER_OPTION: OptionSpec = {
  type: 'string',
  arg: 'ORIGIN',
  help: 'ledger origin, e.g. casn.tangerangselatankota.go.id/2026',
  required: true,
};
