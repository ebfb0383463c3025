// Frozen once shipped: never edit; add a new migration instead.
import { sql, type Kysely } from 'kysely';

// Read models (@casn/projections): disposable caches of the ledger, rebuilt from it at
// will, so not append-only. The statements sit inside `up` so that schemaFingerprint()
// sees them; one statement at a time, as PGlite takes a single statement per query.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `
      -- Next seq each projection will apply, per ledger.
      CREATE TABLE rm_positions (
        projection text NOT NULL,
        ledger_id integer NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (projection, ledger_id)
      );
    `,
    `
      CREATE TABLE rm_applications (
        ledger_id integer NOT NULL,
        application_id text NOT NULL,
        formation_id text NOT NULL,
        subject text NULL,
        status text NOT NULL,
        verdict text NULL,
        submitted_at timestamptz NOT NULL,
        channel text NOT NULL,
        skd_twk integer NULL,
        skd_tiu integer NULL,
        skd_tkp integer NULL,
        skd_total integer NULL,
        skd_manual jsonb NULL,
        skd_cat jsonb NULL,
        skd_manual_total integer NULL,
        skd_cat_total integer NULL,
        skd_discrepancy boolean NOT NULL DEFAULT false,
        cut_code text NULL,
        skb jsonb NOT NULL DEFAULT '{}',
        competency jsonb NULL,
        rank integer NULL,
        final_score double precision NULL,
        final_code text NULL,
        announced_code text NULL,
        sanggah text NOT NULL DEFAULT 'none',
        erased boolean NOT NULL DEFAULT false,
        pppk_category text NULL,
        replaces text NULL,
        last_seq bigint NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (ledger_id, application_id)
      );
    `,
    `
      CREATE INDEX rm_applications_formation_rank
        ON rm_applications (ledger_id, formation_id, (COALESCE(rank, 2147483647)), application_id);
    `,
    `
      CREATE INDEX rm_applications_formation_final
        ON rm_applications (ledger_id, formation_id, final_score DESC NULLS LAST);
    `,
    `
      CREATE INDEX rm_applications_status ON rm_applications (ledger_id, status, application_id);
    `,
    `
      CREATE INDEX rm_applications_subject ON rm_applications (ledger_id, subject);
    `,
    `
      CREATE INDEX rm_applications_discrepancy ON rm_applications (ledger_id, application_id) WHERE skd_discrepancy;
    `,
    `
      CREATE TABLE rm_timeline (
        ledger_id integer NOT NULL,
        application_id text NOT NULL,
        seq bigint NOT NULL,
        type text NOT NULL,
        at timestamptz NOT NULL,
        actor_id text NOT NULL,
        actor_role text NOT NULL,
        summary jsonb NOT NULL,
        PRIMARY KEY (ledger_id, seq)
      );
    `,
    `
      CREATE INDEX rm_timeline_application ON rm_timeline (ledger_id, application_id, seq);
    `,
    `
      CREATE INDEX rm_timeline_subject ON rm_timeline (ledger_id, (summary->>'subject')) WHERE type = 'ApplicationSubmitted';
    `,
    `
      CREATE TABLE rm_officer_activity (
        ledger_id integer NOT NULL,
        actor_id text NOT NULL,
        seq bigint NOT NULL,
        type text NOT NULL,
        at timestamptz NOT NULL,
        application_id text NULL,
        formation_id text NULL,
        PRIMARY KEY (ledger_id, seq)
      );
    `,
    `
      CREATE INDEX rm_officer_activity_actor_at ON rm_officer_activity (actor_id, at);
    `,
    `
      CREATE INDEX rm_officer_activity_actor_seq ON rm_officer_activity (ledger_id, actor_id, seq);
    `,
    `
      -- Where an application's formation is looked up for the entries that name only the application.
      CREATE INDEX rm_officer_activity_submitted ON rm_officer_activity (ledger_id, application_id) WHERE type = 'ApplicationSubmitted';
    `,
    `
      CREATE TABLE rm_formations (
        ledger_id integer NOT NULL,
        formation_id text NOT NULL,
        jabatan text NOT NULL,
        unit text NOT NULL,
        location text NOT NULL,
        track text NOT NULL,
        quota integer NOT NULL,
        education jsonb NOT NULL,
        amendments integer NOT NULL DEFAULT 0,
        applicants integer NOT NULL DEFAULT 0,
        last_seq bigint NOT NULL,
        PRIMARY KEY (ledger_id, formation_id)
      );
    `,
    `
      -- The latest RankingDecided of each formation.
      CREATE TABLE rm_rankings (
        ledger_id integer NOT NULL,
        formation_id text NOT NULL,
        application_id text NOT NULL,
        rank integer NOT NULL,
        final_score double precision NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (ledger_id, formation_id, application_id)
      );
    `,
    `
      CREATE INDEX rm_rankings_rank ON rm_rankings (ledger_id, formation_id, rank);
    `,
    `
      -- The latest SkdCutDecided of each formation.
      CREATE TABLE rm_skd_cut (
        ledger_id integer NOT NULL,
        formation_id text NOT NULL,
        application_id text NOT NULL,
        rank integer NULL,
        total integer NULL,
        code text NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (ledger_id, formation_id, application_id)
      );
    `,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
