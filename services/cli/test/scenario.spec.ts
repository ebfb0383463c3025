/**
 * The measured-quality harness: the scenario records a period through the in-process HTTP
 * API with planted cases of all twelve detectors, and detect-report scores the detectors
 * against that ground truth (recall 1, precision at least 0.95). Plus the scoring rules.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../src/command.ts';
import { detectReportCommand } from '../src/commands/detect-report.ts';
import { scenarioCommand } from '../src/commands/scenario.ts';
import { loadConfig } from '../src/config.ts';
import { DETECTOR_IDS } from '@casn/detectors';
import { formatReport, matches, parseTruth, scoreDetection, type ScoredFlag, type TruthItem } from '../src/scenario/truth.ts';
import { Capture, cliEnvironment, removeTempDirs, tempDir, testEngine, type CliEnvironment } from './helpers.ts';

/** Runs a command as `pnpm ledger` would, with `options` already parsed. */
async function runCommand(command: Command, options: Record<string, string>, env: Readonly<Record<string, string>>) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await command.run({ options, positionals: [] }, { io: { stdout, stderr, env }, config: () => loadConfig(env) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe(`scenario on ${testEngine}`, () => {
  let e: CliEnvironment;
  let out: string;
  let run: Awaited<ReturnType<typeof runCommand>>;
  let truth: TruthItem[];
  let scenario: { periodId: string; origin: string; mode: string; durationMs: number; counts: { entries: number; byDetector: Record<string, number> }; coincidences: { kind: string }[] };

  beforeAll(async () => {
    e = await cliEnvironment();
    out = join(await tempDir('scenario-'), 'out');
    run = await runCommand(scenarioCommand, { out, applicants: '400', seed: '11' }, e.env);
    truth = parseTruth(await readFile(join(out, 'truth.jsonl'), 'utf8'));
    scenario = JSON.parse(await readFile(join(out, 'scenario.json'), 'utf8')) as typeof scenario;
  }, 180_000);
  afterAll(async () => {
    await e.cleanup();
    await removeTempDirs();
  });

  it('records the period through the in-process API and says what it planted', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^scenario scenario-11 \(in-process, http:\/\/127\.0\.0\.1:\d+\): 400 applicants, \d+ entries, \d+ requests in [\d.]+ s$/m);
    expect(run.stderr).toContain('  announcement\n');
    expect(scenario).toMatchObject({ periodId: 'scenario-11', origin: `ledger.casn.go.id/scenario-11`, mode: 'in-process' });
    expect(scenario.counts.entries).toBeGreaterThan(400 * 4);
    expect(new Set(scenario.coincidences.map((c) => c.kind))).toEqual(new Set(['shared-surname', 'shared-address', 'siblings']));
    // The harness is meant to stay quick at this size.
    expect(scenario.durationMs).toBeLessThan(120_000);
  });

  it('revokes the tokens it issued once the period is recorded', async () => {
    const live = await e.withStore((store) => store.database.query<{ n: number | string }>("SELECT count(*) AS n FROM api_tokens WHERE label LIKE 'scenario%' AND revoked_at IS NULL"));
    const all = await e.withStore((store) => store.database.query<{ n: number | string }>("SELECT count(*) AS n FROM api_tokens WHERE label LIKE 'scenario%'"));
    expect(Number(live[0]!.n)).toBe(0);
    expect(Number(all[0]!.n)).toBeGreaterThan(30);
  });

  it('writes ground truth with at least two planted cases of every detector, each pointing at its entries', async () => {
    for (const d of DETECTOR_IDS) expect(truth.filter((t) => t.detector === d).length, d).toBeGreaterThanOrEqual(2);
    expect(truth.every((t) => (t.entries ?? []).length > 0 && t.entries!.every((s) => s < scenario.counts.entries))).toBe(true);
    expect(Object.values(scenario.counts.byDetector).reduce((a, b) => a + b, 0)).toBe(truth.length);
    // The seqs are the entries the planted actions made.
    const types = await e.withStore(async (store) => {
      const typeOf = async (seq: number) => (await store.readLedger(scenario.origin, seq, 1))[0]!.type;
      return {
        related: await Promise.all(truth.filter((t) => t.detector === 'related-party').map((t) => typeOf(t.entries![0]!))),
        reversal: await Promise.all(truth.filter((t) => t.detector === 'verdict-reversal').map((t) => typeOf(t.entries![0]!))),
        amendment: await Promise.all(truth.filter((t) => t.detector === 'formation-change-late').map((t) => typeOf(t.entries![0]!))),
      };
    });
    expect(new Set(types.related)).toEqual(new Set(['DocumentsVerified', 'VerificationConfirmed']));
    expect(types.reversal).toEqual(['Reverified', 'Reverified']);
    expect(types.amendment).toEqual(['FormationAmended', 'FormationAmended']);
    // No personal data: ids and notes only.
    expect(await readFile(join(out, 'truth.jsonl'), 'utf8')).not.toMatch(/\d{10,}/);
  });

  it('refuses to record a seed whose period exists, and a half-given remote server', async () => {
    await expect(runCommand(scenarioCommand, { out, applicants: '400', seed: '11' }, e.env)).rejects.toThrow(/scenario-11 already exists/);
    await expect(runCommand(scenarioCommand, { out, api: 'http://127.0.0.1:9' }, e.env)).rejects.toThrow(/--api and --token go together/);
    await expect(runCommand(scenarioCommand, { out, applicants: '10' }, e.env)).rejects.toThrow(/at least 300/);
  });

  it('scores the detectors against the truth: every planted case found, precision at least 0.95', async () => {
    const report = await runCommand(detectReportCommand, { truth: join(out, 'truth.jsonl') }, e.env);
    expect(report.code).toBe(0);
    const lines = report.stdout.trimEnd().split('\n');
    for (const d of DETECTOR_IDS) expect(report.stdout).toMatch(new RegExp(`^${d} +\\d+ +\\d+ +\\d+ +\\d+ +[01]\\.\\d{3} +[01]\\.\\d{3}$`, 'm'));
    const last = /^precision (\d\.\d{3}) recall (\d\.\d{3})$/.exec(lines[lines.length - 1]!);
    expect(last, report.stdout).not.toBeNull();
    expect(Number(last![2]), report.stdout).toBe(1);
    expect(Number(last![1]), report.stdout).toBeGreaterThanOrEqual(0.95);
    expect(report.stdout).toMatch(/^flags on honest coincidences: 0/m);
  });
});

describe('scoring flags against the truth', () => {
  const flag = (over: Partial<ScoredFlag>): ScoredFlag => ({ flagId: 'f', detector: 'related-party', key: 'k', entries: [10], actors: ['v-1'], applications: ['A-1'], ...over });

  it('matches on every id the item gives, or on a shared entry, within the same detector', () => {
    const item: TruthItem = { detector: 'related-party', applicationId: 'A-1', actorId: 'v-1', entries: [99], note: '' };
    expect(matches(item, flag({}))).toBe(true);
    expect(matches(item, flag({ actors: ['v-2'] }))).toBe(false);
    expect(matches(item, flag({ actors: ['v-2'], entries: [99] }))).toBe(true);
    expect(matches(item, flag({ detector: 'late-action' }))).toBe(false);
    const formation: TruthItem = { detector: 'segregation-of-duties', actorId: 's-1', formationId: 'F-1', note: '' };
    expect(matches(formation, flag({ detector: 'segregation-of-duties', actors: ['s-1'], formationId: 'F-2' }))).toBe(false);
    expect(matches(formation, flag({ detector: 'segregation-of-duties', actors: ['s-1'] }))).toBe(true);
  });

  it('computes precision over flags and recall over items, and ends with the summary line', () => {
    const items: TruthItem[] = [
      { detector: 'related-party', applicationId: 'A-1', note: 'x' },
      { detector: 'late-action', applicationId: 'A-2', note: 'y' },
    ];
    const flags = [flag({}), flag({ flagId: 'g', key: 'k2', applications: ['A-9'] }), flag({ flagId: 'h', detector: 'late-action', applications: ['A-2'] })];
    const report = scoreDetection(items, flags, [{ kind: 'siblings', applicationIds: ['A-9', 'A-10'] }]);
    expect(report.overall).toMatchObject({ flags: 3, matchedFlags: 2, items: 2, recalledItems: 2 });
    expect(report.unmatched.map((f) => f.key)).toEqual(['k2']);
    expect(report.coincidenceFlags.map((c) => [c.flag.key, c.coincidence.kind, c.matched])).toEqual([['k2', 'siblings', false]]);
    const lines = formatReport(report);
    expect(lines[lines.length - 1]).toBe('precision 0.667 recall 1.000');
    expect(lines).toContain('flags on honest coincidences: 1');
    expect(formatReport(scoreDetection([], [])).at(-1)).toBe('precision 1.000 recall 1.000');
  });

  it('refuses malformed truth lines', () => {
    expect(() => parseTruth('{"detector":"x"}\n')).toThrow(/line 1 needs "detector" and "note"/);
    expect(() => parseTruth('\nnope\n')).toThrow(/line 2 is not JSON/);
    expect(() => parseTruth('{"detector":"x","note":"n"}')).toThrow(/names no application, actor or entry/);
  });
});
