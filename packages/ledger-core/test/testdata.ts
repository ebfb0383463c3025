// Locates the public conformance vectors beside the checkout (../shared/testdata), or
// where LEDGER_TESTDATA points. They are not copied into the repository.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Absolute path of the conformance vectors (LEDGER_TESTDATA when set), or undefined when they are not present. */
export const testdataDir: string | undefined = [process.env.LEDGER_TESTDATA || join(repoRoot, '../shared/testdata')]
  .map((p) => resolve(p))
  .find((p) => existsSync(join(p, 'README.md')));

/** A plain sentence for suites that cannot run without the vectors. */
export const testdataMissing =
  'conformance vectors not found: set LEDGER_TESTDATA or place them at ../shared/testdata beside the checkout';

if (!testdataDir) console.warn(testdataMissing);

/** Reads a vector file relative to the testdata directory. */
export function readVector(rel: string): string {
  if (!testdataDir) throw new Error(testdataMissing);
  return readFileSync(join(testdataDir, rel), 'utf8');
}

/** Raw bytes of a vector file (not decoded, so comparisons are byte-exact). */
export function readVectorBytes(rel: string): Buffer {
  if (!testdataDir) throw new Error(testdataMissing);
  return readFileSync(join(testdataDir, rel));
}

/** Parses a JSON vector file relative to the testdata directory. */
export function readJsonVector<T = unknown>(rel: string): T {
  return JSON.parse(readVector(rel)) as T;
}

/**
 * A conformance suite over the vectors: runs `body` when they are present, and always one
 * test that checks `requiredFile` is there or says plainly that the suite did not run.
 */
export function describeVectors(name: string, requiredFile: string, body: () => void): void {
  it(`${name}: vectors are present, or the suite says plainly that it did not run`, () => {
    if (testdataDir) {
      expect(existsSync(join(testdataDir, requiredFile))).toBe(true);
      return;
    }
    console.warn(testdataMissing);
    expect(testdataMissing).not.toBe('');
  });
  describe.runIf(testdataDir)(name, body);
}
