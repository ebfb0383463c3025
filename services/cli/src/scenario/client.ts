/**
 * The scenario's HTTP client: every write goes through the API as a client would send it
 * (bearer token per actor, Idempotency-Key per intended change, JSON or CSV bodies), with
 * retries of transient failures under the same key so that nothing is recorded twice.
 */

/** Where one recorded entry landed (the API's WriteResult entries). */
export interface WrittenEntry {
  readonly seq: number;
  readonly stream: string;
}

/** The response of a recording write. */
export interface WriteResult {
  readonly ledger: string;
  readonly at: string;
  readonly replayed: boolean;
  readonly entries: readonly WrittenEntry[];
}

/** The response of an import. */
export interface ImportResult {
  readonly rows: number;
  readonly recorded: number;
  readonly write: WriteResult | null;
}

/** A refused request: status, the problem's type and rule, and what the API said. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: { type?: string; rule?: string; detail?: string; errors?: { field: string; message: string }[] },
    where: string,
  ) {
    const rule = problem.rule ? ` (${problem.rule})` : '';
    const first = problem.errors?.slice(0, 3).map((e) => `${e.field}: ${e.message}`).join('; ');
    super(`${where}: ${status}${rule} ${problem.detail ?? ''}${first ? ` [${first}]` : ''}`.trim());
  }
}

const RETRIES = 4;
const RETRY_STATUS = new Set([409, 502, 503, 504]);

/** A client of one API base URL that knows each actor's token. */
export class ScenarioClient {
  readonly #tokens = new Map<string, string>();
  /** Requests sent, for the summary. */
  requests = 0;

  constructor(
    readonly baseUrl: string,
    /** Prefix of every Idempotency-Key, so that keys of two scenarios never meet. */
    readonly keyPrefix: string,
  ) {}

  /** Remembers the token an actor calls with. */
  setToken(actorId: string, token: string): void {
    this.#tokens.set(actorId, token);
  }

  /** POSTs a JSON body (or a CSV text with `csv`) as `actor` under the key `keyPrefix-key`; throws ApiError unless 2xx. */
  async post<T = WriteResult>(actor: string, path: string, body: unknown, key: string | null, opts: { csv?: boolean } = {}): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#token(actor)}`,
      'content-type': opts.csv ? 'text/csv' : 'application/json',
    };
    if (key !== null) headers['idempotency-key'] = `${this.keyPrefix}-${key}`.slice(0, 200);
    const payload = opts.csv ? (body as string) : JSON.stringify(body ?? {});
    return this.#send<T>('POST', path, headers, payload, `POST ${path} as ${actor}`);
  }

  /** GETs as `actor`; throws ApiError unless 200. */
  async get<T>(actor: string, path: string): Promise<T> {
    return this.#send<T>('GET', path, { authorization: `Bearer ${this.#token(actor)}` }, undefined, `GET ${path} as ${actor}`);
  }

  #token(actor: string): string {
    const token = this.#tokens.get(actor);
    if (token === undefined) throw new Error(`no token for actor ${actor}`);
    return token;
  }

  async #send<T>(method: string, path: string, headers: Record<string, string>, body: string | undefined, where: string): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.requests++;
      let res: Response;
      try {
        res = await fetch(new URL(path, this.baseUrl), { method, headers, ...(body !== undefined && { body }) });
      } catch (err) {
        if (attempt >= RETRIES) throw new Error(`${where}: ${(err as Error).message}`, { cause: err });
        await sleep(50 * attempt);
        continue;
      }
      const text = await res.text();
      if (res.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
      // A conflict or an unavailable server is retried under the same key: the API answers a replay.
      if (RETRY_STATUS.has(res.status) && attempt < RETRIES) {
        await sleep(50 * attempt);
        continue;
      }
      let problem: ConstructorParameters<typeof ApiError>[1] = {};
      try {
        problem = JSON.parse(text) as typeof problem;
      } catch {
        problem = { detail: text.slice(0, 200) };
      }
      throw new ApiError(res.status, problem, where);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
