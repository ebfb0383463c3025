/** What every command is made of: its options, its usage text, its I/O and its errors. */
import type { CliConfig } from './config.ts';

/** Where output goes; process.stdout and process.stderr fit, and so does a test's capture. */
export interface Output {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** The process's streams and environment, passed in so tests can drive the CLI in-process. */
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** One option of a command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** Placeholder of the option's value in the usage text, e.g. ORIGIN. */
  readonly arg?: string;
  readonly help: string;
  readonly required?: boolean;
  /** Repeatable: every occurrence is kept (read it with listOption). */
  readonly multiple?: boolean;
}

/** Parsed command line of one command. */
export interface Args {
  readonly options: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** What a command gets besides its arguments. */
export interface Context {
  readonly io: Io;
  /** The configuration, parsed from the environment on first use (a bad value throws ConfigError). */
  readonly config: () => CliConfig;
}

/** A subcommand of `pnpm ledger`. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Arguments after the command name, e.g. `--ledger ORIGIN FILE.jsonl`. */
  readonly usage: string;
  /** A few sentences shown by --help. */
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Names of the positional arguments, all required. */
  readonly positionals: readonly string[];
  /** Runs the command; resolves to the exit code. */
  run(args: Args, ctx: Context): Promise<number>;
}

/** A failure to report as one line on stderr with exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** A malformed command line: reported with the command's usage and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The value of a string option, or undefined when it was not given. */
export function stringOption(args: Args, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** Every value of a repeatable string option, in the order given (none: empty). */
export function listOption(args: Args, name: string): string[] {
  const value = args.options[name];
  if (value === undefined || typeof value === 'boolean') return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** The value of a string option the command cannot do without; throws UsageError when absent. */
export function requiredOption(args: Args, name: string): string {
  const value = stringOption(args, name);
  if (value === undefined) throw new UsageError(`missing --${name}`);
  return value;
}

/** The value of an option holding a non-negative integer, or undefined when absent; throws UsageError when malformed. */
export function integerOption(args: Args, name: string): number | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  const n = /^(0|[1-9][0-9]*)$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} must be a non-negative integer`);
  return n;
}

/** Writes one line. */
export function writeLine(out: Output, line: string): void {
  out.write(line + '\n');
}
