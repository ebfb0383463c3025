import { describe, expect, it } from 'vitest';
import { expectDomainError } from './given.ts';
import { PPPK_CATEGORIES, TRACKS } from '../src/events.ts';
import type { SkbWeights } from '../src/events.ts';
import { RULE_SETS, checkSkbWeights, getRuleSet } from '../src/rules.ts';
import type { RuleSet } from '../src/rules.ts';


const casn2023 = getRuleSet('casn-2023');
const casn2024 = getRuleSet('casn-2024');
const pppk2024 = getRuleSet('pppk-2024');

describe('getRuleSet', () => {
  it('returns every rule set under its own id', () => {
    expect(Object.keys(RULE_SETS).sort()).toEqual(['casn-2023', 'casn-2024', 'pppk-2024']);
    for (const [id, rules] of Object.entries(RULE_SETS)) {
      expect(rules.id).toBe(id);
      expect(getRuleSet(id)).toBe(rules);
    }
  });

  it.each(['casn-2022', 'CASN-2024', '', 'toString', '__proto__', 'hasOwnProperty'])('refuses unknown id %j', (id) => {
    expectDomainError(() => getRuleSet(id), 'unknown-rule-set', { field: 'rules' });
  });

  it('hands out frozen config that callers cannot change', () => {
    const grades = casn2024.skd?.passingGrades as Record<string, unknown>;
    expect(() => {
      grades.umum = { twk: 0 };
    }).toThrow(TypeError);
    expect(casn2024.skd?.passingGrades.umum).toEqual({ twk: 65, tiu: 80, tkp: 166 });
  });
});

describe('rule values (docs/rules.md)', () => {
  it('gives every rule set a kind, year, legal references and a 3-day sanggah window', () => {
    expect([casn2023.kind, casn2024.kind, pppk2024.kind]).toEqual(['CPNS', 'CPNS', 'PPPK']);
    expect([casn2023.year, casn2024.year, pppk2024.year]).toEqual([2023, 2024, 2024]);
    for (const rules of Object.values(RULE_SETS)) {
      expect(rules.legal.length).toBeGreaterThan(0);
      expect(rules.sanggah.windowDays).toBe(3);
      expect(rules.sanggah.legal).not.toBe('');
    }
  });

  it('sets the SKD maxima to TWK 150, TIU 175, TKP 225 (550) and the cut to 3 × quota', () => {
    for (const rules of [casn2023, casn2024]) {
      expect(rules.skd?.max).toEqual({ twk: 150, tiu: 175, tkp: 225 });
      expect(rules.skd?.cutMultiplier).toBe(3);
      expect(rules.integration).toMatchObject({ skdWeight: 0.4, skbWeight: 0.6 });
    }
  });

  it('has the 2023 (Kepmen 651/2023) umum grade and no unverified special-track grades', () => {
    expect(casn2023.skd?.legal).toBe('KepmenPANRB 651/2023');
    expect(casn2023.skd?.passingGrades).toEqual({ umum: { twk: 65, tiu: 80, tkp: 166 } });
  });

  it('has a 2024 (Kepmen 321/2024) grade for every track', () => {
    expect(casn2024.skd?.legal).toBe('KepmenPANRB 321/2024');
    expect(Object.keys(casn2024.skd?.passingGrades ?? {}).sort()).toEqual([...TRACKS].sort());
    expect(casn2024.skd?.passingGrades).toEqual({
      umum: { twk: 65, tiu: 80, tkp: 166 },
      cumlaude: { total: 311, tiu: 85 },
      diaspora: { total: 311, tiu: 85 },
      disabilitas: { total: 286, tiu: 60 },
      papua: { total: 286, tiu: 60 },
      tertinggal: { total: 286, tiu: 60 },
    });
  });

  it('has the PPPK 2024 (Kepmen 347/2024) maxima (670 in all), no SKD and the category order', () => {
    expect(pppk2024.competency?.max).toEqual({ teknis: 450, manajerialSosialKultural: 180, wawancara: 40 });
    expect(pppk2024.competency?.categories).toEqual(['p1-guru', 'eks-thk2', 'non-asn-bkn', 'non-asn-aktif', 'umum']);
    expect(pppk2024.competency?.categories).toEqual([...PPPK_CATEGORIES]);
    expect(pppk2024.skd).toBeUndefined();
    expect(pppk2024.integration).toBeUndefined();
  });
});

describe('checkSkbWeights', () => {
  const ok = (rules: RuleSet, level: 'pusat' | 'daerah', w: SkbWeights) => expect(() => checkSkbWeights(rules, level, w)).not.toThrow();
  const bad = (rules: RuleSet, level: 'pusat' | 'daerah', w: SkbWeights, field: string) => expectDomainError(() => checkSkbWeights(rules, level, w), 'skb-weights', { field });

  it('requires the weights to sum to 1 within 1e-9', () => {
    ok(casn2024, 'pusat', { cat: 1 });
    ok(casn2024, 'pusat', { cat: 0.7, practical: 0.2, interview: 0.1 }); // sums to 0.9999999999999999 in binary
    ok(casn2024, 'pusat', { cat: 0.5 + 1e-10, practical: 0.5 });
    bad(casn2024, 'pusat', { cat: 0.5, practical: 0.49 }, 'skbWeights');
    bad(casn2024, 'pusat', { cat: 0.6, practical: 0.5 }, 'skbWeights');
    bad(casn2024, 'pusat', {}, 'skbWeights');
  });

  it('refuses a weight outside 0–1, naming the part', () => {
    bad(casn2024, 'pusat', { cat: 1.2, practical: -0.2 }, 'skbWeights.cat');
    bad(casn2024, 'pusat', { cat: 1, practical: -0.1, psychology: 0.1 }, 'skbWeights.practical');
    bad(casn2024, 'pusat', { cat: Number.NaN }, 'skbWeights.cat');
  });

  it('2024 pusat: non-CAT parts together at most 0.5, interview at most 0.1', () => {
    ok(casn2024, 'pusat', { cat: 0.5, practical: 0.4, interview: 0.1 });
    ok(casn2024, 'pusat', { cat: 0.5, practical: 0.25, psychology: 0.25 });
    bad(casn2024, 'pusat', { cat: 0.49, practical: 0.51 }, 'skbWeights');
    bad(casn2024, 'pusat', { cat: 0.4, practical: 0.3, psychology: 0.3 }, 'skbWeights');
    bad(casn2024, 'pusat', { cat: 0.6, practical: 0.29, interview: 0.11 }, 'skbWeights.interview');
  });

  it('2024 daerah: CAT at least 0.5, each extra test at most 0.4, no interview', () => {
    ok(casn2024, 'daerah', { cat: 0.5, practical: 0.4, psychology: 0.1 });
    ok(casn2024, 'daerah', { cat: 0.6, psychology: 0.4 });
    ok(casn2024, 'daerah', { cat: 1, interview: 0 });
    bad(casn2024, 'daerah', { cat: 0.49, practical: 0.4, psychology: 0.11 }, 'skbWeights.cat');
    bad(casn2024, 'daerah', { cat: 0.55, practical: 0.45 }, 'skbWeights.practical');
    bad(casn2024, 'daerah', { cat: 0.5, practical: 0.09, psychology: 0.41 }, 'skbWeights.psychology');
    const err = bad(casn2024, 'daerah', { cat: 0.9, interview: 0.1 }, 'skbWeights.interview');
    expect(err.message).toContain('interview');
  });

  it('2023 (27/2021): CAT at most 0.5, interview at most 0.3, each other test at most 0.2', () => {
    for (const level of ['pusat', 'daerah'] as const) {
      ok(casn2023, level, { cat: 0.5, interview: 0.3, practical: 0.2 });
      ok(casn2023, level, { cat: 0.4, interview: 0.2, practical: 0.2, psychology: 0.2 });
      bad(casn2023, level, { cat: 0.51, interview: 0.29, practical: 0.2 }, 'skbWeights.cat');
      bad(casn2023, level, { cat: 0.5, interview: 0.31, practical: 0.19 }, 'skbWeights.interview');
      bad(casn2023, level, { cat: 0.5, interview: 0.29, practical: 0.21 }, 'skbWeights.practical');
    }
  });

  it('refuses SKB weights under a rule set without SKB', () => {
    bad(pppk2024, 'daerah', { cat: 1 }, 'skbWeights');
  });
});
