/**
 * The API client: bearer token, JSON and CSV bodies, Idempotency-Key on writes, and
 * RFC 7807 problems turned into ApiError so screens can show them field by field.
 */

/** One invalid field of a problem: where (`body.twk`, `params.application`, `line 3: nik`) and why. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** An RFC 7807 problem as the API sends it (problem+json). */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly errors?: readonly FieldError[];
  readonly rule?: string;
}

/** A request the API refused (or that never reached it: status 0). */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

/** Where every recorded entry of a write landed. */
export interface WriteEntry {
  readonly seq: number;
  readonly id: string;
  readonly stream: string;
  readonly version: number;
  readonly leaf: string;
}

/** The response of every recruitment write; `receipts` once the API issues them. */
export interface WriteResult {
  readonly ledger: string;
  readonly at: string;
  readonly replayed: boolean;
  readonly entries: readonly WriteEntry[];
  readonly receipts?: readonly string[];
}

type Query = Readonly<Record<string, string | number | undefined>>;

let token: string | undefined;
let onUnauthorized: (() => void) | undefined;

/** Sets the bearer token of every later request, and what to do when the API answers 401. */
export function configureApi(opts: { token: string | undefined; onUnauthorized?: () => void }): void {
  token = opts.token;
  onUnauthorized = opts.onUnauthorized;
}

/** `/v1/x?a=1` from a path and the defined query values. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s === '' ? path : `${path}?${s}`;
}

// Keys of writes that got no answer, by request: a retry of the same request reuses its key,
// so a write that did reach the ledger is not recorded twice (docs/api.md, Idempotency).
const pendingKeys = new Map<string, string>();

async function request<T>(method: 'GET' | 'POST', path: string, init: { body?: string; contentType?: string; idempotent?: boolean; auth?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const bearer = init.auth ?? token;
  if (bearer !== undefined) headers.Authorization = `Bearer ${bearer}`;
  if (init.contentType !== undefined) headers['Content-Type'] = init.contentType;
  const requestKey = `${method} ${path} ${init.body ?? ''}`;
  if (init.idempotent) {
    let key = pendingKeys.get(requestKey);
    if (key === undefined) {
      key = `console-${crypto.randomUUID()}`;
      pendingKeys.set(requestKey, key);
    }
    headers['Idempotency-Key'] = key;
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}), credentials: 'omit', cache: 'no-store' });
  } catch (err) {
    throw new ApiError({ type: 'urn:casn:console:network', title: 'Network error', status: 0, detail: err instanceof Error ? err.message : String(err) });
  }
  // An answer, whatever it is, settles the write: a new attempt is a new request.
  pendingKeys.delete(requestKey);
  const text = await res.text();
  if (!res.ok) {
    let problem: Problem;
    try {
      problem = JSON.parse(text) as Problem;
      if (typeof problem.status !== 'number') throw new Error('not a problem');
    } catch {
      problem = { type: 'about:blank', title: res.statusText || `HTTP ${res.status}`, status: res.status, ...(text ? { detail: text.slice(0, 300) } : {}) };
    }
    if (res.status === 401 && init.auth === undefined) onUnauthorized?.();
    throw new ApiError(problem);
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** GET a JSON resource. */
export function get<T>(path: string, query?: Query): Promise<T> {
  return request<T>('GET', withQuery(path, query));
}

/** GET with an explicit token (sign-in checks a token before keeping it). */
export function getWithToken<T>(path: string, bearer: string): Promise<T> {
  return request<T>('GET', path, { auth: bearer });
}

/** POST a JSON body as a write (with an Idempotency-Key). */
export function post<T = WriteResult>(path: string, body: unknown): Promise<T> {
  return request<T>('POST', path, { body: JSON.stringify(body), contentType: 'application/json', idempotent: true });
}

/** POST a CSV file as a write (with an Idempotency-Key). */
export function postCsv<T>(path: string, csv: string): Promise<T> {
  return request<T>('POST', path, { body: csv, contentType: 'text/csv', idempotent: true });
}

/** The path of a period resource, each segment encoded. */
export function periodPath(period: string, ...rest: readonly (string | number)[]): string {
  return ['/v1/periods', period, ...rest].map((s, i) => (i === 0 ? s : encodeURIComponent(String(s)))).join('/');
}

/** The path of a ledger resource (a period id or 'directory'). */
export function ledgerPath(ledger: string, ...rest: readonly (string | number)[]): string {
  return ['/v1/ledgers', ledger, ...rest].map((s, i) => (i === 0 ? s : encodeURIComponent(String(s)))).join('/');
}
