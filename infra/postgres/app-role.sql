-- Least-privilege roles for the ledger database (PostgreSQL 15).
--
--   psql -X -v app_password='…' -v migrator_password='…' \
--        -f infra/postgres/app-role.sql postgres://postgres@HOST:5432/LEDGER_DB
--
-- Run it as a superuser, connected to the ledger's database. It is idempotent, so you can
-- run it before or after `pnpm ledger migrate`, and again after every migration. A grant
-- on a table that does not exist yet is skipped with a NOTICE.
--
-- psql variables (all optional):
--   app_role            the application's role           (default ledger_app)
--   migrator_role       the role that owns the schema    (default ledger_migrator)
--   app_password        password of app_role             (default: left unchanged)
--   migrator_password   password of migrator_role        (default: left unchanged)
--   schema              the schema holding the tables    (default public)
-- A password given here can reach the server log (log_statement = 'ddl' or 'all'). To
-- avoid that, give a SCRAM verifier ('SCRAM-SHA-256$4096:…') instead of the clear text,
-- or leave it out and run `\password ledger_app` in psql, which hashes on the client.
--
-- What the application may do, and why (see README.md):
--   entries, merkle_tiles,       SELECT, INSERT    append-only: no UPDATE, DELETE or TRUNCATE
--   checkpoints, idempotency_keys,
--   ledger_cosignatures                            (witness cosignatures of checkpoints)
--   ledgers                      SELECT, INSERT, UPDATE (size, head, vkey)
--   ledgers' identity sequence   USAGE             to create a ledger row
--   kysely_migration(_lock)      SELECT            to check that the schema is current
--   subject_keys                 SELECT, INSERT, UPDATE (wrapped, erased_at)
--                                                  personal-data keys; a trigger allows only erasure
--   api_tokens                   SELECT, INSERT, UPDATE (revoked_at)
--                                                  token hashes; a trigger allows only revocation
--   rm_* (read models)           SELECT, INSERT, UPDATE, DELETE
--                                                  disposable caches of the ledger, rebuilt from it
-- It has no DDL rights and owns nothing. The migrator owns the schema and the tables.

\set ON_ERROR_STOP on
\if :{?app_role}
\else
  \set app_role ledger_app
\endif
\if :{?migrator_role}
\else
  \set migrator_role ledger_migrator
\endif
\if :{?schema}
\else
  \set schema public
\endif

-- All or nothing: a failure leaves roles and grants as they were.
BEGIN;

-- psql variables are not visible inside DO blocks; session settings are.
SET LOCAL ledger.app_role = :'app_role';
SET LOCAL ledger.migrator_role = :'migrator_role';
SET LOCAL ledger.schema = :'schema';

-- Roles. CREATE ROLE has no IF NOT EXISTS, so create them only when missing, then
-- (re)state every attribute, so that a re-run also corrects a role someone widened.
DO $$
DECLARE
  app text := current_setting('ledger.app_role');
  migrator text := current_setting('ledger.migrator_role');
  r text;
BEGIN
  IF app = migrator THEN
    RAISE EXCEPTION 'app_role and migrator_role must differ';
  END IF;
  FOREACH r IN ARRAY ARRAY[app, migrator] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I', r);
    END IF;
    -- LOGIN: both connect. Nothing else: no superuser, no role or database creation, no
    -- replication (which could read the WAL), no row-level-security bypass.
    EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT', r);
  END LOOP;
  -- The application must not act as the owner, neither directly nor through a membership.
  IF EXISTS (
    SELECT FROM pg_auth_members m
      JOIN pg_roles g ON g.oid = m.roleid
      JOIN pg_roles u ON u.oid = m.member
     WHERE u.rolname = app
  ) THEN
    RAISE EXCEPTION 'role % is a member of another role; revoke that membership first', app;
  END IF;
END
$$;

\if :{?app_password}
ALTER ROLE :"app_role" PASSWORD :'app_password';
\endif
\if :{?migrator_password}
ALTER ROLE :"migrator_role" PASSWORD :'migrator_password';
\endif

-- Database: nobody connects or creates temporary tables by default. Both roles connect.
-- The application needs no TEMP, and no CREATE (which would let it add schemas).
REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"DBNAME" TO :"app_role", :"migrator_role";

-- Schema: the migrator owns it, so migrations (CREATE TABLE, triggers) run as the
-- migrator. PostgreSQL 15 already withholds CREATE from PUBLIC on `public`. Also withholding
-- USAGE means other roles cannot even look up the ledger tables.
ALTER SCHEMA :"schema" OWNER TO :"migrator_role";
REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC;
GRANT USAGE ON SCHEMA :"schema" TO :"app_role";

-- Functions the migrator creates later are not executable by PUBLIC either.
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrator_role" REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

DO $$
DECLARE
  s text := current_setting('ledger.schema');
  app text := current_setting('ledger.app_role');
  migrator text := current_setting('ledger.migrator_role');
  t text;
  seq text;
BEGIN
  -- Ownership: the owner of a table can ALTER, DROP or disable its triggers, so only the
  -- migrator owns the tables (their identity sequences move with them). The table list is
  -- explicit: nothing else in the schema is touched.
  FOREACH t IN ARRAY ARRAY['ledgers', 'entries', 'merkle_tiles', 'idempotency_keys', 'checkpoints', 'ledger_cosignatures',
                           'kysely_migration', 'kysely_migration_lock', 'subject_keys', 'api_tokens',
                           'rm_positions', 'rm_applications', 'rm_timeline', 'rm_officer_activity',
                           'rm_formations', 'rm_rankings', 'rm_skd_cut'] LOOP
    IF to_regclass(format('%I.%I', s, t)) IS NULL THEN
      RAISE NOTICE 'table %.% does not exist yet; run this file again after migrating', s, t;
      CONTINUE;
    END IF;
    EXECUTE format('ALTER TABLE %I.%I OWNER TO %I', s, t, migrator);
    -- Start from nothing on every run, so a privilege granted by hand is taken back.
    -- (Revoking a table privilege also revokes it on every column.)
    EXECUTE format('REVOKE ALL ON TABLE %I.%I FROM PUBLIC, %I', s, t, app);
  END LOOP;

  -- The append-only tables: the writer INSERTs rows and reads them back for proofs,
  -- reads and verification. UPDATE, DELETE and TRUNCATE are deliberately absent; the
  -- triggers of the migration refuse them as well, even to the owner. A witness cosignature
  -- is inserted once it verified (its identity column needs no sequence grant) and never changes.
  FOREACH t IN ARRAY ARRAY['entries', 'merkle_tiles', 'checkpoints', 'idempotency_keys', 'ledger_cosignatures'] LOOP
    IF to_regclass(format('%I.%I', s, t)) IS NOT NULL THEN
      EXECUTE format('GRANT SELECT, INSERT ON TABLE %I.%I TO %I', s, t, app);
    END IF;
  END LOOP;

  IF to_regclass(format('%I.ledgers', s)) IS NOT NULL THEN
    -- INSERT: createLedger adds the ledger's row (INSERT … ON CONFLICT DO NOTHING needs
    -- no UPDATE). SELECT: reading the head and the vkey.
    EXECUTE format('GRANT SELECT, INSERT ON TABLE %I.ledgers TO %I', s, app);
    -- UPDATE, but only on these columns. size and head are compare-and-set on every append
    -- (UPDATE … WHERE size = $n), and this privilege also allows the SELECT … FOR UPDATE
    -- that a contended writer takes on the row. vkey is recorded once, on the first
    -- checkpoint (UPDATE … WHERE vkey IS NULL). id and origin never change.
    EXECUTE format('GRANT UPDATE (size, head, vkey) ON TABLE %I.ledgers TO %I', s, app);
    -- USAGE on the identity sequence: inserting a ledger row draws its id.
    seq := pg_get_serial_sequence(format('%I.ledgers', s), 'id');
    EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM PUBLIC, %I', seq, app);
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', seq, app);
  END IF;

  -- Kysely's migration bookkeeping: read-only, so that the application can confirm at
  -- boot that the schema is current (migrateToLatest with nothing to do only reads these).
  FOREACH t IN ARRAY ARRAY['kysely_migration', 'kysely_migration_lock'] LOOP
    IF to_regclass(format('%I.%I', s, t)) IS NOT NULL THEN
      EXECUTE format('GRANT SELECT ON TABLE %I.%I TO %I', s, t, app);
    END IF;
  END LOOP;

  -- Mutable by design, but only as their triggers allow: a key may be erased, a token revoked.
  IF to_regclass(format('%I.subject_keys', s)) IS NOT NULL THEN
    EXECUTE format('GRANT SELECT, INSERT ON TABLE %I.subject_keys TO %I', s, app);
    EXECUTE format('GRANT UPDATE (wrapped, erased_at) ON TABLE %I.subject_keys TO %I', s, app);
  END IF;
  IF to_regclass(format('%I.api_tokens', s)) IS NOT NULL THEN
    EXECUTE format('GRANT SELECT, INSERT ON TABLE %I.api_tokens TO %I', s, app);
    EXECUTE format('GRANT UPDATE (revoked_at) ON TABLE %I.api_tokens TO %I', s, app);
  END IF;
  -- Read models are caches the projection runner rewrites and, on rebuild, deletes.
  FOREACH t IN ARRAY ARRAY['rm_positions', 'rm_applications', 'rm_timeline', 'rm_officer_activity',
                           'rm_formations', 'rm_rankings', 'rm_skd_cut'] LOOP
    IF to_regclass(format('%I.%I', s, t)) IS NOT NULL THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE %I.%I TO %I', s, t, app);
    END IF;
  END LOOP;

  -- The trigger functions: owned by the migrator, executable by nobody else. Triggers fire
  -- without an EXECUTE check, so this does not weaken them.
  FOREACH t IN ARRAY ARRAY['ledger_refuse_change', 'ledger_guard_head', 'subject_keys_erase_only', 'api_tokens_revoke_only'] LOOP
    IF to_regprocedure(format('%I.%I()', s, t)) IS NOT NULL THEN
      EXECUTE format('ALTER FUNCTION %I.%I() OWNER TO %I', s, t, migrator);
      EXECUTE format('REVOKE ALL ON FUNCTION %I.%I() FROM PUBLIC, %I', s, t, app);
    END IF;
  END LOOP;
END
$$;

COMMIT;
