/**
 * Personal data at the edge: clear values arrive in a request, are checked, sealed under
 * the subject's erasable key and reduced to blind indexes; only those reach the ledger.
 */
import type { PersonIndexes, Sealed } from '@casn/domain';
import type { BlindIndexer, Vault } from '@casn/personal-data';
import { z } from 'zod';

const Digits16 = z.string().regex(/^\d{16}$/, 'must be 16 digits');
const Name = z.string().trim().min(1).max(200);

/** A person's identifying data as submitted (applicants, actors, declared relatives). */
export const PersonData = z
  .object({
    nik: Digits16.optional().meta({ description: 'Nomor Induk Kependudukan (16 digits)' }),
    kk: Digits16.optional().meta({ description: 'Nomor Kartu Keluarga (16 digits)' }),
    previousKk: z.array(Digits16).max(10).optional().meta({ description: 'Earlier family card numbers' }),
    name: Name.optional(),
    birthDate: z.iso.date().optional(),
    address: z.string().trim().min(1).max(500).optional(),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number').optional(),
    email: z.email().max(200).optional(),
    bankAccount: z.string().trim().regex(/^[A-Za-z]{2,10}[ :][0-9 -]{5,30}$/, 'must be a bank code and account number, e.g. "BRI 0123456789"').optional(),
    parents: z.array(Name).max(4).optional().meta({ description: "Parents' names" }),
  })
  .meta({ id: 'PersonData', description: 'Personal data: sealed under an erasable key; only blind indexes enter the ledger.' });
export type PersonData = z.infer<typeof PersonData>;

/** An applicant must give NIK, KK, name, address and a contact. */
export const ApplicantData = PersonData.required({ nik: true, kk: true, name: true, address: true, phone: true, email: true }).meta({
  id: 'ApplicantData',
});
export type ApplicantData = z.infer<typeof ApplicantData>;

/** Seals a person's data under `subject` and computes the blind indexes of each identifier. */
export async function sealPerson(
  vault: Vault,
  indexer: BlindIndexer,
  subject: string,
  data: PersonData,
): Promise<{ personal: Sealed; indexes: PersonIndexes }> {
  const clear: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined) clear[k] = typeof v === 'string' ? v : JSON.stringify(v);
  const one = (kind: Parameters<BlindIndexer['index']>[0], value: string | undefined) => (value === undefined ? undefined : indexer.index(kind, value));
  const many = (kind: Parameters<BlindIndexer['index']>[0], values: readonly string[] | undefined) => {
    const list = (values ?? []).map((v) => indexer.index(kind, v)).filter((v): v is string => v !== undefined);
    return list.length > 0 ? list : undefined;
  };
  const indexes = {
    nik: one('nik', data.nik),
    kk: one('kk', data.kk),
    previousKk: many('kk', data.previousKk),
    phone: one('phone', data.phone),
    email: one('email', data.email),
    address: one('address', data.address),
    bank: one('bank', data.bankAccount),
    parents: many('name', data.parents),
    name: one('name', data.name),
  };
  const defined = Object.fromEntries(Object.entries(indexes).filter(([, v]) => v !== undefined)) as PersonIndexes;
  return { personal: await vault.seal(subject, clear), indexes: defined };
}

/** Opens sealed personal data back into its fields; undefined once erased. */
export async function openPerson(vault: Vault, sealed: Sealed): Promise<PersonData | undefined> {
  const clear = await vault.open(sealed);
  if (!clear) return undefined;
  const parse = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : (JSON.parse(v) as string[]));
  const lists = { previousKk: parse(clear.previousKk), parents: parse(clear.parents) };
  return { ...clear, ...(lists.previousKk ? { previousKk: lists.previousKk } : {}), ...(lists.parents ? { parents: lists.parents } : {}) };
}
