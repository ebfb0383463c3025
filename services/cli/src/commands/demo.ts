/** `ledger demo`: builds, checkpoints, exports and verifies a sample recruitment ledger. */
import { isAbsolute, join, relative } from 'node:path';
import { exportBundle, isStoreError, migrateToLatest, type EventStore } from '@casn/event-store';
import { describeVerdict, toBase64 } from '@casn/ledger-core';
import { writeLine, type Command } from '../command.ts';
import { withStore } from '../open-store.ts';
import { createProgress, type Progress } from '../progress.ts';
import { DEMO_ORIGIN, sampleRecruitment } from '../sample-ledger.ts';
import { verifyBundleDir } from '../verify-dir.ts';

/** Appends in flight at once while building the sample. */
const CONCURRENCY = 50;

/** The demo command. */
export const demo: Command = {
  name: 'demo',
  summary: 'build, export and verify a sample recruitment ledger',
  usage: '',
  description:
    `On the configured database (by default the embedded one in LEDGER_DATA_DIR): brings the schema up to date, ` +
    `records a synthetic recruitment in ${DEMO_ORIGIN} unless that ledger already has entries, signs a checkpoint, ` +
    'exports the bundle to LEDGER_DATA_DIR/demo-bundle and verifies it. Running it again only checkpoints, ' +
    'exports and verifies.',
  options: {},
  positionals: [],
  async run(_args, { io, config }) {
    const cfg = config();
    const bundleDir = join(cfg.dataDir, 'demo-bundle');
    const { built, checkpoint } = await withStore(cfg, { schema: 'create' }, async (store) => {
      const applied = await migrateToLatest(store.database);
      for (const r of applied) writeLine(io.stderr, `applied migration ${r.migrationName}`);
      let built = 0;
      if ((await sizeOf(store)) === 0) {
        const progress = createProgress(io.stderr, `recording the sample recruitment`);
        try {
          built = await buildSample(store, progress);
        } finally {
          progress.end();
        }
      }
      const exportProgress = createProgress(io.stderr, 'exporting');
      try {
        const checkpoint = await exportBundle(store, DEMO_ORIGIN, bundleDir, { onProgress: (d, t) => exportProgress.update(d, t) });
        return { built, checkpoint };
      } finally {
        exportProgress.end();
      }
    });
    const verdict = await verifyBundleDir(bundleDir, { origin: DEMO_ORIGIN });

    const shown = displayPath(bundleDir);
    const out = (line = ''): void => writeLine(io.stdout, line);
    out(`ledger    ${DEMO_ORIGIN}`);
    out(`entries   ${checkpoint.size}${built > 0 ? ` (${built} recorded now)` : ' (already recorded; nothing added)'}`);
    out(`root      ${toBase64(checkpoint.root)}`);
    out(`bundle    ${shown}`);
    out(`verdict   ${describeVerdict(verdict)}`);
    out();
    out('Next, try:');
    out(`  pnpm ledger verify ${shown}`);
    out(`  pnpm ledger prove --ledger ${DEMO_ORIGIN} --seq 42`);
    out(`  pnpm ledger checkpoint --ledger ${DEMO_ORIGIN}`);
    out(`  pnpm ledger export --ledger ${DEMO_ORIGIN} --out /tmp/casn-bundle --size 100`);
    out('  pnpm ledger --help');
    return verdict.ok ? 0 : 1;
  },
};

async function sizeOf(store: EventStore): Promise<number> {
  try {
    return await store.size(DEMO_ORIGIN);
  } catch (err) {
    if (isStoreError(err, 'NOT_FOUND')) return 0;
    throw err;
  }
}

/** Records the sample phase by phase, each phase's appends concurrently in batches; returns the entries recorded. */
async function buildSample(store: EventStore, progress: Progress): Promise<number> {
  const phases = sampleRecruitment();
  const total = phases.reduce((n, p) => n + p.appends.reduce((m, a) => m + a.events.length, 0), 0);
  let done = 0;
  for (const phase of phases) {
    for (let i = 0; i < phase.appends.length; i += CONCURRENCY) {
      const batch = phase.appends.slice(i, i + CONCURRENCY);
      await Promise.all(batch.map((a) => store.append(DEMO_ORIGIN, a.stream, a.expectedVersion, a.events)));
      done += batch.reduce((n, a) => n + a.events.length, 0);
      progress.update(done, total);
    }
  }
  return done;
}

/** `path` relative to the working directory when it lies inside it (as `pnpm ledger` runs from the repo root). */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
