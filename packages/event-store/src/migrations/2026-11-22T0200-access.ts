// Frozen once shipped: never edit; add a new migration instead.
import { sql, type Kysely } from 'kysely';

// API tokens: only their SHA-256 is stored. Rows are revoked, never changed otherwise or
// deleted, so the table keeps who could act when. Statements are written out in `up`
// itself (one per call, as PGlite requires) so that the schema fingerprint covers them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    CREATE TABLE api_tokens (
      id text PRIMARY KEY,
      actor_id text NOT NULL,
      role text NOT NULL CHECK (role IN ('officer', 'supervisor', 'inspector', 'ombudsman', 'admin', 'portal')),
      agency text NULL,
      label text NOT NULL,
      token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
      issued_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz NULL
    );
  `,
    )
    .execute(db);
  await sql.raw(`CREATE INDEX api_tokens_actor ON api_tokens (actor_id);`).execute(db);
  await sql
    .raw(
      `
    -- The one change allowed: setting revoked_at, once.
    CREATE FUNCTION api_tokens_revoke_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
         AND (NEW.id, NEW.actor_id, NEW.role, NEW.agency, NEW.label, NEW.token_hash, NEW.issued_at)
             IS NOT DISTINCT FROM (OLD.id, OLD.actor_id, OLD.role, OLD.agency, OLD.label, OLD.token_hash, OLD.issued_at) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'api_tokens rows are only ever revoked: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$;
  `,
    )
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER api_tokens_guard BEFORE UPDATE OR DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION api_tokens_revoke_only();`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER api_tokens_no_truncate BEFORE TRUNCATE ON api_tokens FOR EACH STATEMENT EXECUTE FUNCTION api_tokens_revoke_only();`)
    .execute(db);
}
