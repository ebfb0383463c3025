import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress.ts';
import { Capture } from './helpers.ts';

describe('progress line', () => {
  it('writes nothing when stderr is not a terminal', () => {
    const out = new Capture(false);
    const p = createProgress(out, 'exporting');
    p.update(5, 10);
    p.end();
    expect(out.text).toBe('');
  });

  it('redraws one line on a terminal, throttled, and clears it at the end', () => {
    const out = new Capture(true);
    let now = 0;
    const p = createProgress(out, 'exporting', () => now);
    p.update(100_000, 400_000);
    now = 50;
    p.update(150_000, 400_000); // within 100 ms: skipped
    now = 200;
    p.update(200_000, 400_000);
    now = 210;
    p.update(400_000, 400_000); // the last one is always shown
    p.end();
    expect(out.text).toBe(
      '\rexporting: 100000 of 400000 (25%)\x1b[K' +
        '\rexporting: 200000 of 400000 (50%)\x1b[K' +
        '\rexporting: 400000 of 400000 (100%)\x1b[K' +
        '\r\x1b[K',
    );
  });
});
