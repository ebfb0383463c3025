/** `ledger scenario`: records a measured-quality scenario through the HTTP API and writes its ground truth. */
import { CliError, UsageError, integerOption, requiredOption, stringOption, writeLine, type Command } from '../command.ts';
import { MIN_APPLICANTS, ScenarioError, runScenario } from '../scenario/index.ts';

/** The scenario command. */
export const scenarioCommand: Command = {
  name: 'scenario',
  summary: 'record a recruitment with planted irregularities through the API and write its ground truth',
  usage: '--out DIR [--applicants N] [--seed S] [--api URL --token T]',
  description:
    'Registers an agency and its officers, opens the CPNS period scenario-<seed> and takes it through every stage over HTTP ' +
    '(CSV imports, verification, sanggah, SKD, cut, SKB, ranking, final decisions, announcements), planting irregularities of every ' +
    'red-flag kind among honest coincidences. Writes DIR/truth.jsonl (one line per planted case) and DIR/scenario.json. ' +
    'Without --api the API runs in-process on the configured database with a simulated 2024 clock; with --api URL --token T ' +
    "(an admin token of that server) it drives that server on its own clock, where night and weekend plants are impossible. See docs/quality.md.",
  options: {
    out: { type: 'string', arg: 'DIR', help: 'directory for truth.jsonl and scenario.json', required: true },
    applicants: { type: 'string', arg: 'N', help: `number of applicants (default 3000, at least ${MIN_APPLICANTS})` },
    seed: { type: 'string', arg: 'S', help: 'seed of the generator and of the period id (default 1)' },
    api: { type: 'string', arg: 'URL', help: 'base URL of a running API to drive instead of an in-process one' },
    token: { type: 'string', arg: 'T', help: 'an admin token of the --api server' },
  },
  positionals: [],
  async run(args, { io, config }) {
    const out = requiredOption(args, 'out');
    const applicants = integerOption(args, 'applicants') ?? 3000;
    if (applicants < MIN_APPLICANTS) throw new UsageError(`--applicants must be at least ${MIN_APPLICANTS}`);
    const seed = integerOption(args, 'seed') ?? 1;
    const url = stringOption(args, 'api');
    const token = stringOption(args, 'token');
    if ((url === undefined) !== (token === undefined)) throw new UsageError('--api and --token go together');
    if (url !== undefined && !/^https?:\/\//.test(url)) throw new UsageError('--api must be an http(s) URL');
    let file;
    try {
      file = await runScenario({
        out,
        applicants,
        seed,
        ...(url !== undefined && token !== undefined && { remote: { url, token } }),
        config,
        log: io.stderr,
        onStage: (stage) => writeLine(io.stderr, `  ${stage}`),
      });
    } catch (err) {
      if (err instanceof ScenarioError) throw new CliError(err.message);
      throw err;
    }
    const seconds = (file.durationMs / 1000).toFixed(1);
    writeLine(io.stderr, `scenario ${file.periodId} (${file.mode}, ${file.baseUrl}): ${file.applicants} applicants, ${file.counts.entries} entries, ${file.counts.requests} requests in ${seconds} s`);
    writeLine(io.stderr, `ledger ${file.origin}`);
    writeLine(io.stderr, `planted ${file.counts.truthItems}: ${Object.entries(file.counts.byDetector).map(([d, n]) => `${d} ${n}`).join(', ')}`);
    for (const s of file.skipped) writeLine(io.stderr, `not planted: ${s}`);
    writeLine(io.stderr, `coincidences ${file.coincidences.length}; truth in ${out}/truth.jsonl`);
    return 0;
  },
};
