/**
 * `ledger detect` on the demo period (300 applicants, with its planted irregularities):
 * flags printed as sorted JSON lines, identical on every run, at a chosen checkpoint, and
 * raised once with --record. The command is driven in-process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, type Args } from '../src/command.ts';
import { detectCommand } from '../src/commands/detect.ts';
import { loadConfig } from '../src/config.ts';
import { seedDemoPeriod, type DemoSummary } from '../src/demo-period/index.ts';
import { withSystem } from '../src/system.ts';
import { Capture, cliEnvironment, removeTempDirs, testEngine, type CliEnvironment } from './helpers.ts';

interface FlagLine {
  flagId: string;
  detector: string;
  version: string;
  severity: string;
  key: string;
  entries: number[];
  actors: string[];
  applications: string[];
  formationId: string | null;
  facts: Record<string, string | number | boolean>;
  explanation: { id: string; en: string };
  checkpoint: { size: number; root: string; directory: { size: number; root: string } };
}

let e: CliEnvironment;
let demo: DemoSummary;

/** Runs `detect` with these options; resolves to its exit code and output. */
async function detect(options: Args['options']): Promise<{ code: number; stdout: string; stderr: string; lines: FlagLine[] }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await detectCommand.run({ options: { ledger: demo.origin, ...options }, positionals: [] }, { io: { stdout, stderr, env: e.env }, config: () => loadConfig(e.env) });
  const lines = stdout.text === '' ? [] : stdout.text.trimEnd().split('\n').map((l) => JSON.parse(l) as FlagLine);
  return { code, stdout: stdout.text, stderr: stderr.text, lines };
}

const ledgerSize = () => e.withStore((s) => s.size(demo.origin));
const withoutCheckpoint = (lines: FlagLine[]) => lines.map(({ checkpoint: _, ...rest }) => rest);

beforeAll(async () => {
  e = await cliEnvironment();
  const config = loadConfig(e.env);
  demo = await withSystem(config, (system) => seedDemoPeriod({ ...system, directoryOrigin: config.directoryOrigin, originBase: config.originBase }, { applicants: 300 }));
}, 180_000);
afterAll(async () => {
  await e.cleanup();
  await removeTempDirs();
});

describe(`ledger detect on ${testEngine}`, () => {
  let first: Awaited<ReturnType<typeof detect>>;

  it('prints the flags as sorted JSON lines, with explanation and checkpoint, and records nothing', async () => {
    const size = await ledgerSize();
    first = await detect({});
    expect(first.code).toBe(0);
    expect(first.lines.length).toBeGreaterThan(0);
    expect(first.stderr).toMatch(new RegExp(`^${first.lines.length} flag\\(s\\) at size ${size} with configuration \\S+; nothing recorded`));
    const detectors = new Set(first.lines.map((l) => l.detector));
    expect(detectors).toContain('related-party');
    expect(detectors).toContain('manual-cat-override');
    const order = first.lines.map((l) => [l.detector, l.key]);
    const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    expect(order).toEqual([...order].sort((a, b) => byCodeUnit(a[0]!, b[0]!) || byCodeUnit(a[1]!, b[1]!)));
    for (const l of first.lines) {
      expect(Object.keys(l)).toEqual(['flagId', 'detector', 'version', 'severity', 'key', 'entries', 'actors', 'applications', 'formationId', 'facts', 'explanation', 'checkpoint']);
      expect(l.flagId).toMatch(/^[0-9a-f]{32}$/);
      expect(l.checkpoint).toEqual({ size, root: first.lines[0]!.checkpoint.root, directory: first.lines[0]!.checkpoint.directory });
      expect(l.explanation.id.length).toBeGreaterThan(0);
      expect(l.explanation.en.length).toBeGreaterThan(0);
      expect(Math.max(...l.entries)).toBeLessThan(size);
    }
    // The planted irregularities are found where they were planted.
    const planted = (kind: string) => demo.planted.find((p) => p.kind === kind)!;
    const about = (detector: string, applicationId: string | undefined) => first.lines.filter((l) => l.detector === detector && l.applications.includes(applicationId!));
    expect(about('manual-cat-override', planted('manual-skd-override').applicationId)).not.toHaveLength(0);
    const kk = about('related-party', planted('undeclared-kk-relative').applicationId);
    expect(kk.some((l) => l.actors.includes('verifikator-03'))).toBe(true);
    expect(first.stdout).not.toMatch(/\d{16}/); // no NIK or KK in clear
    expect(await ledgerSize()).toBe(size);
  });

  it('prints exactly the same lines on a second run', async () => {
    const again = await detect({});
    expect(again.stdout).toBe(first.stdout);
  });

  it('detects at an earlier checkpoint: only entries before it count', async () => {
    const at = Math.floor(first.lines[0]!.checkpoint.size / 2);
    const earlier = await detect({ 'at-size': String(at) });
    expect(earlier.code).toBe(0);
    expect(earlier.lines.every((l) => l.checkpoint.size === at && l.entries.every((s) => s < at))).toBe(true);
    expect(earlier.lines.length).toBeLessThan(first.lines.length);
    expect((await detect({ 'at-size': String(at) })).stdout).toBe(earlier.stdout);
  });

  it('raises the flags once with --record, and a re-run finds the same flags', async () => {
    const size = await ledgerSize();
    const recorded = await detect({ record: true });
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toBe(first.stdout);
    expect(recorded.stderr).toMatch(new RegExp(`; ${first.lines.length} raised now\\n$`));
    expect(await ledgerSize()).toBe(size + first.lines.length);

    const again = await detect({ record: true });
    expect(again.stderr).toMatch(/; 0 raised now\n$/);
    expect(await ledgerSize()).toBe(size + first.lines.length);
    // Flag events are not detector input: the same flags, on the grown checkpoint.
    expect(withoutCheckpoint(again.lines)).toEqual(withoutCheckpoint(first.lines));
    expect(again.lines[0]!.checkpoint.size).toBe(size + first.lines.length);
    // And the original checkpoint (the directory pinned too: --record registered the detector) gives the original lines.
    const directorySize = String(first.lines[0]!.checkpoint.directory.size);
    expect((await detect({ 'at-size': String(size), 'directory-size': directorySize })).stdout).toBe(first.stdout);

    const raised = await withSystem(loadConfig(e.env), async (system) => (await system.service.periodState(demo.periodId)).flags);
    expect([...raised.keys()].sort()).toEqual(first.lines.map((l) => l.flagId).sort());
    expect([...raised.values()].every((f) => f.raised.actor.id === 'detector' && f.payload.checkpoint.size === size)).toBe(true);
  });

  it('refuses an unknown ledger, a size beyond the ledger and an unknown configuration', async () => {
    const size = await ledgerSize();
    await expect(detect({ ledger: 'casn.nowhere/none' })).rejects.toThrow(CliError);
    await expect(detect({ 'at-size': String(size + 1) })).rejects.toThrow(new CliError(`the ledger has ${size} entries: detect at a size from 0 to ${size}`));
    await expect(detect({ config: 'no-such-config' })).rejects.toThrow(/no detector configuration no-such-config/);
    await expect(detect({ 'at-size': 'ten' })).rejects.toThrow(/--at-size must be a non-negative integer/);
  });
});
