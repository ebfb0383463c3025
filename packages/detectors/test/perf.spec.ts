/**
 * Detection must stay linear: a synthetic ledger of PERF_APPLICANTS applicants (default
 * 20,000, about 180,000 entries; 111,000 gives about 1,000,000) is checked in seconds.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../src/index.ts';
import { CONFIG } from './helpers.ts';
import { syntheticLedger } from './synthetic.ts';

const APPLICANTS = Number(process.env.PERF_APPLICANTS ?? 20_000);

describe(`detection over a synthetic ledger of ${APPLICANTS} applicants`, () => {
  it('runs every detector in seconds', () => {
    const { entries, directory } = syntheticLedger(APPLICANTS);
    const started = performance.now();
    const flags = detect({ entries, directory, config: CONFIG });
    const ms = performance.now() - started;
    console.log(`[perf] ${entries.length} entries: ${flags.length} flags in ${ms.toFixed(0)} ms`);
    // Only the synthetic calendar's weekend and holiday sessions are flagged.
    expect(new Set(flags.map((f) => f.detector))).toEqual(new Set(['off-hours-bulk']));
    // Generous: a shared CI machine; the point is "seconds, not minutes".
    expect(ms).toBeLessThan(Math.max(10_000, entries.length / 20));
  }, 300_000);
});
