/** `ledger detect-report`: precision and recall of the red-flag detectors against a scenario's ground truth. */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { computeDetection } from '@casn/api';
import { CliError, requiredOption, stringOption, writeLine, type Command } from '../command.ts';
import { formatReport, parseTruth, scoreDetection, type CoincidenceRef } from '../scenario/truth.ts';
import { withSystem } from '../system.ts';

interface ScenarioRef {
  readonly periodId?: string;
  readonly origin?: string;
  readonly coincidences?: readonly CoincidenceRef[];
}

/** The detect-report command. */
export const detectReportCommand: Command = {
  name: 'detect-report',
  summary: "score the detectors' flags against a scenario's ground truth (precision, recall)",
  usage: '--truth DIR/truth.jsonl [--ledger ORIGIN]',
  description:
    "Runs every detector on the scenario's period (as `detect` does, recording nothing) on the configured database, and matches " +
    "each flag to the planted cases of truth.jsonl: a flag is a true positive when its detector is the case's and it names the case's " +
    'application and actor (or shares an evidence entry). Prints a table per detector, the misses, the unmatched flags and the flags ' +
    "on honest coincidences, and ends with the line `precision P recall R`. The period comes from scenario.json beside the truth " +
    'file, or from --ledger. See docs/quality.md.',
  options: {
    truth: { type: 'string', arg: 'FILE', help: 'the truth.jsonl written by `ledger scenario`', required: true },
    ledger: { type: 'string', arg: 'ORIGIN', help: "the period's ledger origin (default: from scenario.json beside the truth file)" },
  },
  positionals: [],
  async run(args, { io, config }) {
    const truthFile = requiredOption(args, 'truth');
    const items = parseTruth(await readFile(truthFile, 'utf8').catch(() => {
      throw new CliError(`cannot read ${truthFile}`);
    }));
    const scenario = await readFile(join(dirname(truthFile), 'scenario.json'), 'utf8')
      .then((t) => JSON.parse(t) as ScenarioRef)
      .catch((): ScenarioRef => ({}));
    const origin = stringOption(args, 'ledger') ?? scenario.origin;
    if (origin === undefined) throw new CliError('no scenario.json beside the truth file: give --ledger ORIGIN');
    const detection = await withSystem(config(), async (system) => {
      const period = system.service.periods().find((p) => p.origin === origin);
      if (!period) throw new CliError(`no period ledger ${origin} in this database`);
      return computeDetection(system.service, period.periodId);
    });
    writeLine(io.stdout, `period ${detection.periodId} (${detection.origin}) at size ${detection.checkpoint.size}, detector configuration ${detection.config}`);
    const report = scoreDetection(items, detection.flags, scenario.coincidences ?? []);
    for (const line of formatReport(report)) writeLine(io.stdout, line);
    return 0;
  },
};
