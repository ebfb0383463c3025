// Frozen once shipped: never edit; add a new migration instead.
import { sql, type Kysely } from 'kysely';

// The statements sit inside `up` so that schemaFingerprint(), which hashes `up`'s text,
// sees them. One statement at a time: PGlite takes a single statement per query.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `
      -- Per-subject data keys, wrapped under the key-encryption key (iv || ciphertext || tag).
      -- Not append-only: erasure sets wrapped to NULL and keeps the row as a tombstone.
      CREATE TABLE subject_keys (
        subject text PRIMARY KEY,
        wrapped bytea NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz NULL,
        CONSTRAINT subject_keys_erased_iff_no_key CHECK ((wrapped IS NULL) = (erased_at IS NOT NULL))
      );
    `,
    `
      -- A key is never replaced and an erasure never undone: the only update allowed erases.
      CREATE FUNCTION subject_keys_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.erased_at IS NOT NULL OR NEW.wrapped IS NOT NULL OR NEW.subject <> OLD.subject
           OR NEW.created_at <> OLD.created_at THEN
          RAISE EXCEPTION 'subject_keys rows may only be erased'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END
      $$;
    `,
    `
      CREATE TRIGGER subject_keys_erase_only BEFORE UPDATE ON subject_keys
        FOR EACH ROW EXECUTE FUNCTION subject_keys_erase_only();
    `,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
