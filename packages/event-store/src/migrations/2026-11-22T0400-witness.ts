// Frozen once shipped: never edit; add a new migration instead.
import { sql, type Kysely } from 'kysely';

// Witness cosignatures (C2SP tlog-cosignature v1) of signed checkpoints: at most one row per
// witness key and checkpoint, stored only after it verified under a configured witness key.
// Append-only like the checkpoints they cosign. Statements are written out in `up` itself (one
// per call, as PGlite requires) so that the schema fingerprint covers them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    CREATE TABLE ledger_cosignatures (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      ledger_id integer NOT NULL,
      size bigint NOT NULL,
      witness text NOT NULL CHECK (length(witness) BETWEEN 1 AND 255),
      key_id text NOT NULL CHECK (key_id ~ '^[0-9a-f]{8}$'),
      cosigned_at bigint NOT NULL CHECK (cosigned_at >= 0),
      line text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (ledger_id, size) REFERENCES checkpoints (ledger_id, size),
      UNIQUE (ledger_id, size, witness, key_id)
    );
  `,
    )
    .execute(db);
  await sql.raw(`CREATE INDEX ledger_cosignatures_witness ON ledger_cosignatures (ledger_id, witness, key_id, size);`).execute(db);
  await sql
    .raw(`CREATE TRIGGER ledger_cosignatures_append_only BEFORE UPDATE OR DELETE ON ledger_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER ledger_cosignatures_no_truncate BEFORE TRUNCATE ON ledger_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();`)
    .execute(db);
}
