/** The ledger command line as a library: `run` drives it in-process (tests, other tools). */
export { run, COMMANDS, type Io, type Output } from './run.ts';
export { loadConfig, ConfigError, type CliConfig } from './config.ts';
export { verifyBundleDir } from './verify-dir.ts';
export { seededRandom } from './sample-ledger.ts';
