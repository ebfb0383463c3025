/** `ledger detect`: runs the red-flag detectors on a period ledger at a checkpoint and prints the flags (with --record, raises them). */
import { computeDetection, ensureDetectorActor, flagRecord, recordDetection } from '@casn/api';
import { isDomainError } from '@casn/domain';
import { CliError, integerOption, requiredOption, stringOption, writeLine, type Command } from '../command.ts';
import { withSystem } from '../system.ts';
import { LEDGER_OPTION } from './options.ts';

/** The detect command. */
export const detectCommand: Command = {
  name: 'detect',
  summary: 'run the red-flag detectors on a period ledger and print the flags (--record: raise them)',
  usage: '--ledger ORIGIN [--at-size N] [--directory-size M] [--config ID] [--record]',
  description:
    'Runs every detector on the entries [0, N) of the period ledger ORIGIN (flag events left out) and the directory, ' +
    'and prints one JSON line per flag, sorted by detector then key: flagId, detector, version, severity, key, the ' +
    'evidence entries, actors, applications, formationId, facts, the explanation in Bahasa Indonesia and English, and ' +
    'the checkpoint (size and root) it was found on. A full re-run from a checkpoint: the same checkpoint, configuration ' +
    'and detector versions always give the same lines. Nothing is written unless --record is given; then the flags not ' +
    'raised yet are raised in the ledger as the actor `detector` (the worker raises the same flags as entries arrive).',
  options: {
    ledger: LEDGER_OPTION,
    'at-size': { type: 'string', arg: 'N', help: 'detect on the first N entries (default: the whole ledger)' },
    'directory-size': { type: 'string', arg: 'M', help: 'read the directory as of its first M entries (default: all); a flag records both sizes' },
    config: { type: 'string', arg: 'ID', help: 'detector configuration (default: the current one)' },
    record: { type: 'boolean', help: 'also raise the flags in the ledger (each flag once)' },
  },
  positionals: [],
  async run(args, { io, config }) {
    const origin = requiredOption(args, 'ledger');
    const atSize = integerOption(args, 'at-size');
    const directorySize = integerOption(args, 'directory-size');
    const configId = stringOption(args, 'config');
    return withSystem(config(), async (system) => {
      const period = system.service.periods().find((p) => p.origin === origin);
      if (!period) throw new CliError(`no period ledger ${origin}`);
      let detection;
      try {
        detection = await computeDetection(system.service, period.periodId, { atSize, directorySize, config: configId });
      } catch (err) {
        // The domain's messages name sizes and ids, never personal data.
        if (isDomainError(err)) throw new CliError(err.message);
        throw err;
      }
      for (const flag of detection.flags) writeLine(io.stdout, JSON.stringify(flagRecord(flag, detection.checkpoint)));
      const found = `${detection.flags.length} flag(s) at size ${detection.checkpoint.size} with configuration ${detection.config}`;
      if (args.options.record === true) {
        const raised = await recordDetection(system.service, detection, await ensureDetectorActor(system.service));
        writeLine(io.stderr, `${found}; ${raised} raised now`);
      } else {
        writeLine(io.stderr, `${found}; nothing recorded (use --record to raise them)`);
      }
      return 0;
    });
  },
};
