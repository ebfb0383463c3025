/** Response schemas of the read models, as documented in OpenAPI. */
import { z } from 'zod';

const n = z.number().nullable();
const s = z.string().nullable();
const Skd = z.object({ twk: z.number(), tiu: z.number(), tkp: z.number() });

/** An application as the read model holds it (personal data only where the caller may see it). */
export const ApplicationView = z
  .object({
    applicationId: z.string(),
    formationId: z.string(),
    status: z.string(),
    verdict: s,
    submittedAt: z.string(),
    channel: z.string(),
    skdTwk: n,
    skdTiu: n,
    skdTkp: n,
    skdTotal: n.meta({ description: 'Effective SKD total: the CAT value when imported, else the latest hand-recorded one.' }),
    skdManual: Skd.nullable(),
    skdCat: Skd.nullable(),
    skdManualTotal: n,
    skdCatTotal: n,
    skdDiscrepancy: z.boolean().meta({ description: 'A hand-recorded SKD score differs from the imported CAT value (both kept).' }),
    cutCode: s,
    skb: z.record(z.string(), z.array(z.object({ score: z.number(), examiner: s, source: z.string() }))),
    competency: z.object({ teknis: z.number(), manajerial: z.number(), sosialKultural: z.number(), wawancara: z.number(), source: z.string() }).nullable(),
    rank: n,
    finalScore: n,
    finalCode: s,
    announcedCode: s,
    sanggah: z.string(),
    erased: z.boolean(),
    pppkCategory: s,
    replaces: s,
    lastSeq: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Application' });

export const TimelineItem = z
  .object({ seq: z.number().int(), type: z.string(), at: z.string(), actorId: z.string(), actorRole: z.string(), summary: z.record(z.string(), z.unknown()) })
  .meta({ id: 'TimelineItem' });

export const ActivityItem = z
  .object({ seq: z.number().int(), type: z.string(), at: z.string(), applicationId: s, formationId: s })
  .meta({ id: 'ActivityItem' });

export const FormationView = z
  .object({
    formationId: z.string(),
    jabatan: z.string(),
    unit: z.string(),
    location: z.string(),
    track: z.string(),
    quota: z.number().int(),
    education: z.array(z.string()),
    amendments: z.number().int(),
    applicants: z.number().int(),
    lastSeq: z.number().int(),
  })
  .meta({ id: 'Formation' });

export const FormationRanking = z
  .object({
    formationId: z.string(),
    rankingSeq: n,
    ranking: z.array(z.object({ applicationId: z.string(), rank: z.number().int(), finalScore: z.number() })),
    skdCutSeq: n,
    skdCut: z.array(z.object({ applicationId: z.string(), rank: n, total: n, code: z.string() })),
  })
  .meta({ id: 'FormationRanking' });
