import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BlindIndexer } from '../src/index.ts';

describe('BlindIndexer', () => {
  const key = randomBytes(32);
  const indexer = new BlindIndexer(key);

  it('matches equal values after normalisation, as 16 bytes of lowercase hex', () => {
    const a = indexer.index('phone', '0812-3456-789');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(indexer.index('phone', '+62 812 3456 789')).toBe(a);
    expect(indexer.index('address', 'Jl. Merdeka No. 5 RT 001/RW 002')).toBe(indexer.index('address', 'jalan merdeka nomor 5 rt 1 rw 2'));
    expect(indexer.index('name', 'Dr. H. Ahmad Sutisna, S.Pd.')).toBe(indexer.index('name', 'ahmad sutisna'));
  });

  it('is deterministic for one key and keyed: another key gives another index', () => {
    expect(new BlindIndexer(Buffer.from(key)).index('nik', '3674011234560001')).toBe(indexer.index('nik', '3674011234560001'));
    expect(new BlindIndexer(randomBytes(32)).index('nik', '3674011234560001')).not.toBe(indexer.index('nik', '3674011234560001'));
  });

  it('separates kinds: the same digits as nik and as kk differ', () => {
    expect(indexer.index('nik', '3674011234560001')).not.toBe(indexer.index('kk', '3674011234560001'));
  });

  it('gives undefined when the value normalises to nothing', () => {
    expect(indexer.index('phone', ' - ')).toBeUndefined();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new BlindIndexer(randomBytes(16))).toThrow(RangeError);
  });
});
