/**
 * The command line: `pnpm ledger <command> [options]`. `run` parses the arguments,
 * dispatches to one command and turns every outcome into an exit code: 0 success,
 * 1 failure (one line on stderr), 2 a malformed command line (with the usage).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isStoreError } from '@casn/event-store';
import { CliError, UsageError, writeLine, type Args, type Command, type Context, type Io } from './command.ts';
import { ConfigError, loadConfig, type CliConfig } from './config.ts';
import { checkpoint } from './commands/checkpoint.ts';
import { demo } from './commands/demo.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { keygen } from './commands/keygen.ts';
import { migrate } from './commands/migrate.ts';
import { prove } from './commands/prove.ts';
import { verify } from './commands/verify.ts';
import { formationViewCommand, verifyCommitments, verifyFormation } from './commands/verify-formation.ts';
import { verifyReceiptCommand } from './commands/verify-receipt.ts';
import { serve } from './commands/serve.ts';
import { admin, token } from './commands/token.ts';
import { detectCommand } from './commands/detect.ts';
import { detectReportCommand } from './commands/detect-report.ts';
import { scenarioCommand } from './commands/scenario.ts';
import { witness, witnessServe } from './commands/witness.ts';

export type { Io, Output } from './command.ts';

/** Every command, in the order the usage lists them. */
export const COMMANDS: readonly Command[] = [serve, admin, token, detectCommand, scenarioCommand, detectReportCommand, demo, migrate, importCommand, checkpoint, exportCommand, verify, verifyReceiptCommand, verifyFormation, verifyCommitments, formationViewCommand, prove, keygen, witness];

/** Commands with a second word, by the command they belong to (`pnpm ledger witness serve …`). */
const SUBCOMMANDS: Readonly<Record<string, readonly Command[]>> = { witness: [witnessServe] };

const PROGRAM = 'pnpm ledger';

/**
 * Runs the command line `argv` (without the node and script paths) against `io` and
 * resolves to the exit code; never throws.
 * @example process.exitCode = await run(['verify', 'bundle/'], { stdout: process.stdout, stderr: process.stderr, env: process.env })
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(mainUsage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const command = COMMANDS.find((c) => c.name === rest[0]);
    io.stdout.write(command ? commandUsage(command) : mainUsage());
    return 0;
  }
  const main = COMMANDS.find((c) => c.name === name);
  if (!main) {
    writeLine(io.stderr, `ledger: unknown command ${JSON.stringify(name)}`);
    io.stderr.write(mainUsage());
    return 2;
  }
  const sub = SUBCOMMANDS[main.name]?.find((c) => c.name === `${main.name} ${rest[0]}`);
  const command = sub ?? main;
  if (sub) rest.shift();

  let args: Args;
  try {
    const parsed = parseArgs({ args: [...rest], options: parseOptions(command), allowPositionals: true, strict: true });
    if (parsed.values.help === true) {
      io.stdout.write(commandUsage(command));
      return 0;
    }
    args = { options: parsed.values as Args['options'], positionals: parsed.positionals };
    checkArgs(command, args);
  } catch (err) {
    return usageFailure(command, io, parseErrorMessage(err));
  }

  let config: CliConfig | undefined;
  const ctx: Context = { io, config: () => (config ??= loadConfig(io.env)) };
  try {
    return await command.run(args, ctx);
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(command, io, err.message);
    writeLine(io.stderr, `ledger ${command.name}: ${failureMessage(err)}`);
    return 1;
  }
}

function parseOptions(command: Command): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type };
  }
  return options;
}

function checkArgs(command: Command, args: Args): void {
  for (const [name, spec] of Object.entries(command.options)) {
    if (spec.required && args.options[name] === undefined) throw new UsageError(`missing --${name}${spec.arg ? ` ${spec.arg}` : ''}`);
  }
  const want = command.positionals;
  if (args.positionals.length < want.length) throw new UsageError(`missing ${want.slice(args.positionals.length).join(' ')}`);
  if (args.positionals.length > want.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[want.length])}`);
  }
}

function usageFailure(command: Command, io: Io, message: string): number {
  writeLine(io.stderr, `ledger ${command.name}: ${message}`);
  io.stderr.write(commandUsage(command));
  return 2;
}

// node:util's messages are long and suggest "--" tricks; the code says what went wrong.
function parseErrorMessage(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `option ${option} needs a value`;
  return message;
}

function failureMessage(err: unknown): string {
  // StoreError messages never carry personal data (the store's contract), so they are shown as they are.
  if (err instanceof CliError || err instanceof ConfigError || isStoreError(err)) return err.message;
  // A database error's message names statements and constraints, never parameter values.
  return err instanceof Error ? err.message : String(err);
}

function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run \`${PROGRAM} <command> --help\` for the options of a command.`,
    'Environment: DATABASE_URL (PostgreSQL; default: embedded PGlite in LEDGER_DATA_DIR), LEDGER_DATA_DIR (default:',
    '<repo>/.data), LEDGER_KEYS_DIR (default: LEDGER_DATA_DIR/keys), LEDGER_GENERATE_KEYS (true/false; default: true',
    'only for the embedded database), LEDGER_WITNESSES (file of witness cosignature keys and URLs, one a line).',
    '',
  ].join('\n');
}

/** Re-flows each paragraph (lines separated by '\n') to at most `width` columns. */
function wrap(text: string, width: number): string {
  return text
    .split('\n')
    .map((paragraph) => {
      const lines: string[] = [];
      let line = '';
      for (const word of paragraph.split(' ')) {
        if (line !== '' && line.length + 1 + word.length > width) {
          lines.push(line);
          line = word;
        } else line = line === '' ? word : `${line} ${word}`;
      }
      return [...lines, line].join('\n');
    })
    .join('\n');
}

function commandUsage(command: Command): string {
  const rows: [string, string][] = Object.entries(command.options).map(([name, spec]) => [`--${name}${spec.arg ? ` ${spec.arg}` : ''}`, spec.help]);
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `usage: ${PROGRAM} ${command.name}${command.usage ? ` ${command.usage}` : ''}`,
    '',
    wrap(command.description, 100),
    '',
    'options:',
    ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
    '',
  ].join('\n');
}
