/** Builds the console once before the browser tests when its sources changed. */
import { ensureBuilt } from '../scripts/ensure-built.ts';

export default async function setup(): Promise<void> {
  await ensureBuilt({ quiet: true });
}
