import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../src/index.ts';
import { DETECTOR_IDS } from '../src/ids.ts';

describe('DETECTOR_IDS', () => {
  it('names every detector, in catalogue order', () => {
    expect([...DETECTOR_IDS]).toEqual(DETECTORS.map((d) => d.id));
  });
});
