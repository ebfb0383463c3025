/**
 * API bearer tokens: 'casn_' and 32 random bytes (base64url), shown once at issue and
 * stored only as their SHA-256 in `api_tokens`; revocation sets `revoked_at`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { StoreError, type Database } from '@casn/event-store';
import { isRole, ROLES, type Principal, type Role } from '../http/route.ts';

/** Resolves a bearer token to its principal, or undefined when unknown or revoked. */
export type Authenticator = (token: string) => Promise<Principal | undefined>;

/** A stored token, without its secret. */
export interface TokenInfo {
  readonly id: string;
  readonly actorId: string;
  readonly role: Role;
  readonly agency: string | null;
  readonly label: string;
  readonly issuedAt: string;
  readonly revokedAt: string | null;
}

/** What a token is issued for. */
export interface TokenGrant {
  readonly actorId: string;
  readonly role: Role;
  readonly agency: string | null;
  /** What the token is for, e.g. 'Operator BKPSDM laptop 3'. */
  readonly label: string;
}

/** The shape of every token this store issues. */
export const TOKEN_PATTERN = /^casn_[A-Za-z0-9_-]{43}$/;

const CACHE_MAX = 10_000;

interface TokenRow {
  id: string;
  actor_id: string;
  role: string;
  agency: string | null;
  label: string;
  issued_at: Date | string;
  revoked_at: Date | string | null;
}

/** Issues, lists, revokes and checks API tokens. */
export class TokenStore {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  private readonly cacheMs: number;

  /** `cacheMs` bounds how long another process's revocation can go unnoticed (default 30 s). */
  constructor(
    private readonly database: Database,
    opts: { cacheMs?: number } = {},
  ) {
    this.cacheMs = Math.min(opts.cacheMs ?? 30_000, 30_000);
  }

  /** Creates a token; the returned secret is never stored and cannot be shown again. */
  async issue(grant: TokenGrant): Promise<{ id: string; token: string }> {
    for (const field of ['actorId', 'label'] as const) {
      if (typeof grant[field] !== 'string' || grant[field].trim() === '') {
        throw new StoreError('INVALID_ARGUMENT', `${field} must be a non-empty string`, { field });
      }
    }
    if (!isRole(grant.role)) throw new StoreError('INVALID_ARGUMENT', `role must be one of ${ROLES.join(', ')}`, { field: 'role' });
    if (grant.agency !== null && (typeof grant.agency !== 'string' || grant.agency.trim() === '')) {
      throw new StoreError('INVALID_ARGUMENT', 'agency must be null or a non-empty string', { field: 'agency' });
    }
    const id = `tok_${randomBytes(12).toString('base64url')}`;
    const token = `casn_${randomBytes(32).toString('base64url')}`;
    await this.database.query(
      'INSERT INTO api_tokens (id, actor_id, role, agency, label, token_hash) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, grant.actorId, grant.role, grant.agency, grant.label, hashToken(token)],
    );
    return { id, token };
  }

  /** Revokes a token at once in this process (others notice within the cache time); false if unknown or already revoked. */
  async revoke(id: string): Promise<boolean> {
    const rows = await this.database.query<{ id: string }>(
      'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id',
      [id],
    );
    for (const [key, entry] of this.cache) if (entry.principal.tokenId === id) this.cache.delete(key);
    return rows.length > 0;
  }

  /** All tokens, or one actor's, oldest first. */
  async list(actorId?: string): Promise<TokenInfo[]> {
    const columns = 'SELECT id, actor_id, role, agency, label, issued_at, revoked_at FROM api_tokens';
    const rows =
      actorId === undefined
        ? await this.database.query<TokenRow>(`${columns} ORDER BY issued_at, id`)
        : await this.database.query<TokenRow>(`${columns} WHERE actor_id = $1 ORDER BY issued_at, id`, [actorId]);
    return rows.map((r) => ({
      id: r.id,
      actorId: r.actor_id,
      role: r.role as Role,
      agency: r.agency,
      label: r.label,
      issuedAt: new Date(r.issued_at).toISOString(),
      revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at).toISOString(),
    }));
  }

  /** The principal of a live token, or undefined; found by the token's SHA-256, cached for a short time. */
  async authenticate(token: string): Promise<Principal | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const hash = hashToken(token);
    const key = hash.toString('hex');
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.principal;
    this.cache.delete(key);
    const [row] = await this.database.query<Pick<TokenRow, 'id' | 'actor_id' | 'role' | 'agency'>>(
      'SELECT id, actor_id, role, agency FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
      [hash],
      'api_tokens_authenticate',
    );
    if (!row || !isRole(row.role)) return undefined;
    const principal: Principal = { actorId: row.actor_id, role: row.role, agency: row.agency, tokenId: row.id };
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { principal, until: Date.now() + this.cacheMs });
    return principal;
  }

  /** This store's `authenticate` as a free function, for `createHttpApp`. */
  get authenticator(): Authenticator {
    return (token) => this.authenticate(token);
  }
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
