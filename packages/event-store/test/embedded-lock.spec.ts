import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/index.ts';

describe('embedded database directory', () => {
  it('is opened by one holder at a time, and released on close', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ledger-lock-')), 'pglite');
    const first = await openDatabase({ dataDir: dir });
    await expect(openDatabase({ dataDir: dir })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining(`process ${process.pid}`) as string });
    await first.close();
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ledger-lock-')), 'pglite');
    await writeFile(`${dir}.lock`, '2147483646');
    const db = await openDatabase({ dataDir: dir });
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await db.close();
  });
});
