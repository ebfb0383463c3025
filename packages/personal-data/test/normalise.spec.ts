import { describe, expect, it } from 'vitest';
import { normalise, type IndexKind } from '../src/index.ts';

/** Each row: kind, then values that must all normalise to the last one. */
const equal: [IndexKind, ...string[]][] = [
  ['nik', '3674 0112-3456 0001', '3674011234560001'],
  ['kk', 'KK: 3674.0112.3456.0002', '3674011234560002'],
  ['phone', '0812-3456-789', '+62 812 3456 789', '62 812 3456 789', '812 3456 789', '+62 (0)812 3456 789', '0062 8123456789', '628123456789'],
  ['phone', '(021) 555-1234', '62215551234'],
  ['email', '  Budi.Santoso@Gmail.COM ', 'budi.santoso@gmail.com'],
  ['bank', 'BRI 0123-4567', 'bri:01234567', 'BRI:01234567', 'Bank BRI 0123 4567', 'BRI:01234567'],
  ['name', 'Dr. H. Ahmad Sutisna, S.Pd.', 'Drs Ahmad  Sutisna', 'AHMAD SUTISNA SPd', 'ahmad sutisna, s. pd., m.si', 'ahmad sutisna'],
  ['name', 'Hj. Siti Aminah, S.Pd.I., M.Pd', 'Ir. Siti Aminah S.Kom', 'siti aminah, S.H., M.H.', 'Siti Aminah SE', 'siti aminah, S.E.', 'siti aminah ST', 'siti aminah, S.S.T.', 'siti aminah'],
  ['name', 'Prof.Dr.Ir.H.Bambang S. Brodjonegoro, M.Sc., Ph.D.', 'bambang s brodjonegoro'],
  ['name', 'drg. Ayu Lestari, Sp. KG', 'dr. Ayu Lestari, Sp.PD(K)', 'Ayu Lestari A.Md.Kep', 'ayu lestari'],
  ['name', "Ma'ruf  Amin", 'MA’RUF-AMIN', 'maruf amin'],
  ['name', 'José Rizal', 'jose rizal'],
  ['address', 'Jl. Merdeka No. 5 RT 001/RW 002', 'JLN MERDEKA NO.5 RT.01/RW.02', 'jl merdeka no 5 rt01 rw02', 'Jl Merdeka No 5 RT/RW 001/002', 'jalan merdeka nomor 5 rt 1 rw 2'],
  ['address', 'Gg. Mawar Blk. C, Kel. Sukamaju, Kec. Cibeunying, Kab. Bandung', 'gang mawar blok c kelurahan sukamaju kecamatan cibeunying kabupaten bandung'],
];

/** Values that must stay apart. */
const distinct: [IndexKind, string, string][] = [
  ['name', 'Hendra Gunawan', 'endra gunawan'],
  ['name', 'Ahmad Sutisna', 'Ahmad Sutisno'],
  ['address', 'Jl. Merdeka No. 5 RT 001/RW 002', 'Jl. Merdeka No. 5 RT 002/RW 001'],
  ['bank', 'BRI 0123-4567', 'BNI 0123-4567'],
  ['phone', '0812-3456-789', '0812-3456-788'],
];

const empty: [IndexKind, string][] = [
  ['nik', ' - '],
  ['kk', ''],
  ['phone', '+'],
  ['email', '   '],
  ['bank', 'BRI'],
  ['bank', '0123-4567'],
  ['name', 'Dr. '],
  ['address', ' ,. / '],
];

describe('normalise', () => {
  for (const [kind, ...values] of equal) {
    const expected = values.at(-1);
    it(`${kind}: ${values[0]} -> ${expected}`, () => {
      for (const value of values) expect(normalise(kind, value), value).toBe(expected);
    });
  }
  for (const [kind, a, b] of distinct) {
    it(`${kind}: ${a} differs from ${b}`, () => {
      expect(normalise(kind, a)).not.toBe(normalise(kind, b));
    });
  }
  it('gives undefined when nothing meaningful remains', () => {
    for (const [kind, value] of empty) expect(normalise(kind, value), `${kind} ${JSON.stringify(value)}`).toBeUndefined();
  });
});
