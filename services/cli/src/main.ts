/** Entry point of `pnpm ledger`: runs the command line and sets the exit code. */
import { run } from './run.ts';

process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
