/**
 * The measured-quality scenario: a realistic CPNS period recorded through the HTTP API
 * with planted irregularities of every red-flag kind and honest coincidences, written out
 * as ground truth (truth.jsonl) and a description (scenario.json). How quality is
 * measured with it is in docs/quality.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Output } from '../command.ts';
import type { CliConfig } from '../config.ts';
import { wib } from '../demo-period/calendar.ts';
import { withSystem } from '../system.ts';
import { SimulatedClock, WALL_CLOCK } from './calls.ts';
import { ScenarioClient } from './client.ts';
import { driveScenario, type DriveResult } from './drive.ts';
import { startInProcessServer } from './server.ts';
import { DETECTOR_IDS } from '@casn/detectors';
import type { TruthItem } from './truth.ts';
import { buildScenarioWorld, type Coincidence } from './world.ts';

export { MIN_APPLICANTS } from './world.ts';
export { ScenarioError } from './drive.ts';
export * from './truth.ts';

/** What to record, and where. */
export interface ScenarioOptions {
  /** Directory for truth.jsonl and scenario.json (created). */
  readonly out: string;
  readonly applicants: number;
  readonly seed: number;
  /** A running API and an admin token of it; without it the API runs in-process on the configured database. */
  readonly remote?: { readonly url: string; readonly token: string };
  /** Requests in flight at once (default 16). */
  readonly concurrency?: number;
  readonly config: () => CliConfig;
  /** Where the in-process server logs its errors, and stage names go. */
  readonly log: Output;
  readonly onStage?: (stage: string) => void;
}

/** scenario.json. */
export interface ScenarioFile {
  readonly periodId: string;
  readonly origin: string;
  readonly seed: number;
  readonly applicants: number;
  readonly mode: 'in-process' | 'remote';
  readonly baseUrl: string;
  readonly clock: string;
  readonly durationMs: number;
  /** Seconds each stage took, in order. */
  readonly stageSeconds: Record<string, number>;
  readonly counts: {
    readonly entries: number;
    readonly requests: number;
    readonly actors: number;
    readonly truthItems: number;
    readonly byDetector: Record<string, number>;
  };
  /** Formations chosen for the plants decided from the ledger's cut and ranking. */
  readonly formations: Record<string, string>;
  readonly skipped: readonly string[];
  readonly coincidences: readonly Coincidence[];
  readonly actors: readonly { readonly actorId: string; readonly role: string }[];
}

const ADMIN_CALLER = 'scenario-admin';

/**
 * Records the scenario and writes DIR/truth.jsonl and DIR/scenario.json; resolves to the
 * contents of scenario.json. Throws ScenarioError when the period of the seed exists.
 * @example const file = await runScenario({ out: 'tmp/q', applicants: 3000, seed: 1, config: () => loadConfig(process.env), log: process.stderr });
 */
export async function runScenario(opts: ScenarioOptions): Promise<ScenarioFile> {
  const world = buildScenarioWorld(opts.seed, opts.applicants);
  const started = Date.now();
  const concurrency = opts.concurrency ?? 16;
  const stageSeconds: Record<string, number> = {};
  let stage: { name: string; at: number } | undefined;
  const endStage = (): void => {
    if (stage) stageSeconds[stage.name] = Math.round((Date.now() - stage.at) / 100) / 10;
  };
  const onStage = (name: string): void => {
    endStage();
    stage = { name, at: Date.now() };
    opts.onStage?.(name);
  };
  let result: { drive: DriveResult; client: ScenarioClient };
  if (opts.remote) {
    const client = new ScenarioClient(opts.remote.url, `scn${opts.seed}`);
    client.setToken(ADMIN_CALLER, opts.remote.token);
    const drive = await driveScenario(world, client, { admin: ADMIN_CALLER, clock: WALL_CLOCK, concurrency, onStage });
    result = { drive, client };
  } else {
    result = await withSystem(opts.config(), async (system) => {
      const clock = new SimulatedClock(wib('2024-08-01', '07:30'));
      const server = await startInProcessServer(system, opts.config(), clock, world.ids.bootstrapAdmin, opts.log);
      try {
        const client = new ScenarioClient(server.url, `scn${opts.seed}`);
        client.setToken(ADMIN_CALLER, server.adminToken);
        const drive = await driveScenario(world, client, { admin: ADMIN_CALLER, clock, concurrency, onStage });
        return { drive, client };
      } finally {
        await server.close();
      }
    });
  }
  endStage();
  const { drive, client } = result;
  const { origin, entries } = drive;
  const byDetector = Object.fromEntries(DETECTOR_IDS.map((d) => [d, drive.truth.filter((t) => t.detector === d).length]));
  const file: ScenarioFile = {
    periodId: world.ids.periodId,
    origin,
    seed: opts.seed,
    applicants: opts.applicants,
    mode: opts.remote ? 'remote' : 'in-process',
    baseUrl: client.baseUrl,
    clock: opts.remote ? "the server's own clock" : 'simulated, on the 2024 calendar (WIB)',
    durationMs: Date.now() - started,
    stageSeconds,
    counts: { entries, requests: client.requests, actors: world.actors.length, truthItems: drive.truth.length, byDetector },
    formations: drive.formations,
    skipped: drive.skipped,
    coincidences: world.coincidences,
    actors: world.actors.map((a) => ({ actorId: a.actorId, role: a.role })),
  };
  await mkdir(opts.out, { recursive: true });
  await writeFile(join(opts.out, 'truth.jsonl'), drive.truth.map((t) => JSON.stringify(t satisfies TruthItem)).join('\n') + '\n');
  await writeFile(join(opts.out, 'scenario.json'), JSON.stringify(file, null, 2) + '\n');
  return file;
}
