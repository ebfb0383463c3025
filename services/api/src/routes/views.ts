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

const Severity = z.enum(['high', 'medium', 'low']);
const FlagStatusView = z.enum(['open', 'confirmed', 'dismissed', 'referred']);
const FlagCheckpoint = z.object({
  size: z.number().int(),
  root: z.string().meta({ description: 'RFC 6962 root of the first `size` entries (base64).' }),
  directory: z
    .object({ size: z.number().int(), root: z.string() })
    .optional()
    .meta({ description: "The directory ledger's size and root at the same run (actors, declared relatives): pinned with the checkpoint, a re-run gives the same flags." }),
});
const Explanation = z.object({ id: z.string().meta({ description: 'Bahasa Indonesia.' }), en: z.string() }).meta({ id: 'FlagExplanation' });

/** One disposition of a flag by an inspector. */
export const FlagDispositionView = z
  .object({ status: z.enum(['confirmed', 'dismissed', 'referred']), reason: z.string(), reference: s, seq: z.number().int(), at: z.string(), actorId: z.string() })
  .meta({ id: 'FlagDisposition' });

/** A red flag as raised, with where it stands (no personal data: ids, seqs and facts only). */
export const FlagView = z
  .object({
    flagId: z.string(),
    detector: z.string(),
    version: z.string(),
    config: z.string().meta({ description: 'Id of the detector configuration (thresholds) used.' }),
    severity: Severity,
    key: z.string(),
    checkpoint: FlagCheckpoint.meta({ description: 'The checkpoint the detection ran on.' }),
    entries: z.array(z.number().int()).meta({ description: 'Seqs of the evidence entries.' }),
    actors: z.array(z.string()),
    applications: z.array(z.string()),
    formationId: s,
    facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    status: FlagStatusView.meta({ description: 'open until disposed; then the latest disposition.' }),
    raised: z.object({ seq: z.number().int(), at: z.string(), actorId: z.string() }),
    disposition: FlagDispositionView.nullable().meta({ description: 'The latest disposition, if any.' }),
  })
  .meta({ id: 'Flag' });

/** A flag with its explanation, every disposition, and its evidence proven against its checkpoint. */
export const FlagDetail = FlagView.extend({
  explanation: Explanation,
  dispositions: z.array(FlagDispositionView),
  evidence: z.array(
    z.object({
      seq: z.number().int(),
      body: z.string().meta({ description: 'The canonical bytes exactly as hashed.' }),
      leaf: z.string().meta({ description: 'Leaf hash (hex).' }),
      proof: z
        .object({ index: z.number().int(), size: z.number().int(), leafHash: z.string(), hashes: z.array(z.string()), root: z.string() })
        .meta({ description: "RFC 6962 inclusion proof (base64) of the entry in the tree of the flag's checkpoint size." }),
    }),
  ),
}).meta({ id: 'FlagDetail' });

/** The outcome of a detection run. */
export const DetectionResult = z
  .object({
    checkpoint: FlagCheckpoint,
    config: z.string(),
    flags: z.number().int().meta({ description: 'Flags found at the checkpoint (raised now or before).' }),
    raised: z.number().int().meta({ description: 'Flags raised by this run; 0 when a run on this checkpoint already raised them.' }),
  })
  .meta({ id: 'DetectionResult' });
