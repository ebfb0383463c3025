// Frozen once shipped: never edit; add a new migration instead.
import { sql, type Kysely } from 'kysely';

// One statement at a time: PGlite's extended protocol takes a single statement per query.
const statements = [
  `
    CREATE TABLE ledgers (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      origin text NOT NULL UNIQUE,
      size bigint NOT NULL DEFAULT 0,
      head bytea NOT NULL DEFAULT decode(repeat('00', 32), 'hex'),
      vkey text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  `
    -- body holds the canonical bytes exactly as hashed; leaf = SHA-256(0x00 || body).
    CREATE TABLE entries (
      ledger_id integer NOT NULL,
      seq bigint NOT NULL,
      stream text NOT NULL,
      version integer NOT NULL,
      type text NOT NULL,
      leaf bytea NOT NULL,
      body text NOT NULL,
      PRIMARY KEY (ledger_id, seq)
    );
  `,
  `
    CREATE UNIQUE INDEX entries_stream_version ON entries (ledger_id, stream, version);
  `,
  `
    -- Complete tiles of 256 hashes at tree heights 0, 8, 16, ...; written once, never changed.
    CREATE TABLE merkle_tiles (
      ledger_id integer NOT NULL,
      level smallint NOT NULL,
      idx bigint NOT NULL,
      hashes bytea NOT NULL,
      root bytea NOT NULL,
      PRIMARY KEY (ledger_id, level, idx)
    );
  `,
  `
    CREATE TABLE idempotency_keys (
      ledger_id integer NOT NULL,
      key text NOT NULL,
      request_hash bytea NOT NULL,
      result text NOT NULL,
      PRIMARY KEY (ledger_id, key)
    );
  `,
  `
    CREATE TABLE checkpoints (
      ledger_id integer NOT NULL,
      size bigint NOT NULL,
      root bytea NOT NULL,
      note text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (ledger_id, size)
    );
  `,
  `
    CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$;
  `,
  `
    CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
  `,
  `
    CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
  `,
  `
    CREATE TRIGGER merkle_tiles_append_only BEFORE UPDATE OR DELETE ON merkle_tiles
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
  `,
  `
    CREATE TRIGGER merkle_tiles_no_truncate BEFORE TRUNCATE ON merkle_tiles
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
  `,
  `
    CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
  `,
  `
    CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
  `,
  `
    CREATE TRIGGER idempotency_keys_append_only BEFORE UPDATE OR DELETE ON idempotency_keys
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
  `,
  `
    CREATE TRIGGER idempotency_keys_no_truncate BEFORE TRUNCATE ON idempotency_keys
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
  `,
  `
    -- The head row only moves forward: its origin is fixed, its size never shrinks, and its
    -- verifier key, once recorded, never changes.
    CREATE FUNCTION ledger_guard_head() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.origin <> OLD.origin OR NEW.size < OLD.size
         OR (OLD.vkey IS NOT NULL AND NEW.vkey IS DISTINCT FROM OLD.vkey) THEN
        RAISE EXCEPTION 'ledger % may only grow; its origin and key are fixed', OLD.origin
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END
    $$;
  `,
  `
    CREATE TRIGGER ledgers_forward_only BEFORE UPDATE ON ledgers
      FOR EACH ROW EXECUTE FUNCTION ledger_guard_head();
  `,
  `
    CREATE TRIGGER ledgers_no_delete BEFORE DELETE OR TRUNCATE ON ledgers
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
