import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@casn/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_PATTERN, TokenStore, type Role } from '../src/http/index.ts';

let testDb: TestDatabase;
let store: TokenStore;

beforeAll(async () => {
  testDb = await createTestDatabase();
  store = new TokenStore(testDb.database);
});

afterAll(async () => {
  await testDb.cleanup();
});

describe('TokenStore', () => {
  it('issues a token once and authenticates it', async () => {
    const { id, token } = await store.issue({ actorId: 'officer-7', role: 'officer', agency: 'tangsel', label: 'laptop 3' });
    expect(token).toMatch(TOKEN_PATTERN);
    expect(Buffer.from(token.slice(5), 'base64url')).toHaveLength(32);
    expect(await store.authenticate(token)).toEqual({ actorId: 'officer-7', role: 'officer', agency: 'tangsel', tokenId: id });
    const other = await store.issue({ actorId: 'officer-7', role: 'officer', agency: 'tangsel', label: 'laptop 3' });
    expect(other.token).not.toBe(token);
    expect(other.id).not.toBe(id);
  });

  it('refuses unknown and malformed tokens', async () => {
    expect(await store.authenticate(`casn_${'A'.repeat(43)}`)).toBeUndefined();
    expect(await store.authenticate('casn_short')).toBeUndefined();
    expect(await store.authenticate('')).toBeUndefined();
  });

  it('stores only the SHA-256 of a token', async () => {
    const { id, token } = await store.issue({ actorId: 'inspector-1', role: 'inspector', agency: null, label: 'audit' });
    const rows = await testDb.database.query<Record<string, unknown>>('SELECT * FROM api_tokens WHERE id = $1', [id]);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Buffer.from(row.token_hash as Uint8Array).toString('hex')).toBe(createHash('sha256').update(token).digest('hex'));
    const secret = token.slice(5);
    const dump = JSON.stringify(row, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64url') : v));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(Buffer.from(secret, 'base64url').toString('hex'));
    const all = await testDb.database.query<{ text: string }>("SELECT string_agg(t::text, '|') AS text FROM api_tokens t");
    expect(all[0]!.text).not.toContain(secret);
  });

  it('revokes: at once in this process, false the second time', async () => {
    const { id, token } = await store.issue({ actorId: 'supervisor-1', role: 'supervisor', agency: 'tangsel', label: 'desk' });
    expect(await store.authenticate(token)).toBeDefined();
    expect(await store.revoke(id)).toBe(true);
    expect(await store.authenticate(token)).toBeUndefined();
    expect(await store.revoke(id)).toBe(false);
    expect(await store.revoke('tok_unknown')).toBe(false);
  });

  it('lets another process notice a revocation after its cache time', async () => {
    const cached = new TokenStore(testDb.database);
    const uncached = new TokenStore(testDb.database, { cacheMs: 0 });
    const { id, token } = await store.issue({ actorId: 'portal', role: 'portal', agency: null, label: 'sscasn sync' });
    expect(await cached.authenticate(token)).toBeDefined();
    expect(await uncached.authenticate(token)).toBeDefined();
    await store.revoke(id);
    expect(await cached.authenticate(token)).toBeDefined();
    expect(await uncached.authenticate(token)).toBeUndefined();
  });

  it('lists tokens without their secrets, for everyone or one actor', async () => {
    const { id } = await store.issue({ actorId: 'ombudsman-1', role: 'ombudsman', agency: null, label: 'ORI' });
    await store.revoke(id);
    const mine = await store.list('ombudsman-1');
    expect(mine).toEqual([
      { id, actorId: 'ombudsman-1', role: 'ombudsman', agency: null, label: 'ORI', issuedAt: expect.any(String) as string, revokedAt: expect.any(String) as string },
    ]);
    expect(Date.parse(mine[0]!.revokedAt!)).toBeGreaterThanOrEqual(Date.parse(mine[0]!.issuedAt));
    const all = await store.list();
    expect(all.map((t) => t.actorId)).toEqual(expect.arrayContaining(['officer-7', 'inspector-1', 'ombudsman-1']));
    expect(JSON.stringify(all)).not.toMatch(/casn_|hash/);
    expect(await store.list('nobody')).toEqual([]);
  });

  it('refuses invalid grants', async () => {
    await expect(store.issue({ actorId: '', role: 'officer', agency: null, label: 'x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'actorId' } });
    await expect(store.issue({ actorId: 'a', role: 'root' as Role, agency: null, label: 'x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'role' } });
    await expect(store.issue({ actorId: 'a', role: 'admin', agency: null, label: ' ' })).rejects.toMatchObject({ details: { field: 'label' } });
  });

  it('keeps rows: they can be revoked once, not edited, un-revoked or deleted', async () => {
    const { id } = await store.issue({ actorId: 'admin-1', role: 'admin', agency: null, label: 'ops' });
    const q = testDb.database.query.bind(testDb.database);
    await expect(q("UPDATE api_tokens SET role = 'admin', actor_id = 'someone-else' WHERE id = $1", [id])).rejects.toThrow(/only ever revoked/);
    await expect(q('DELETE FROM api_tokens WHERE id = $1', [id])).rejects.toThrow(/only ever revoked/);
    await expect(q('TRUNCATE api_tokens')).rejects.toThrow(/only ever revoked/);
    expect(await store.revoke(id)).toBe(true);
    await expect(q('UPDATE api_tokens SET revoked_at = NULL WHERE id = $1', [id])).rejects.toThrow(/only ever revoked/);
    await expect(q("INSERT INTO api_tokens (id, actor_id, role, label, token_hash) VALUES ('t', 'a', 'root', 'x', $1)", [Buffer.alloc(32)])).rejects.toThrow();
  });
});
