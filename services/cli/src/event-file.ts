/**
 * Parsing a JSONL file of event drafts: every line is validated before anything is
 * stored, and every problem is reported with its line number. Messages name fields and
 * never quote values, since payloads may hold personal data.
 */
import type { AppendRequest } from '@casn/event-store';
import { z } from 'zod';

/** One problem with one line of the file. */
export interface LineProblem {
  readonly line: number;
  /** The field at fault, e.g. `actor.id`, or `(line)` for the line as a whole. */
  readonly field: string;
  readonly message: string;
}

/** The requests of a valid file, with the line each came from. */
export interface ParsedEventFile {
  readonly requests: AppendRequest[];
  readonly lines: number[];
}

const WHOLE_LINE = '(line)';

const required = (kind: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${kind}`),
});
const text = () => z.string(required('a string')).min(1, 'must not be empty');
const EVERSION = 'must be an integer >= -1 or "any"';

const EventLine = z.strictObject(
  {
    stream: text().max(200, 'must be at most 200 characters'),
    type: text(),
    actor: z.strictObject({ id: text(), role: text() }, required('an object with id and role')),
    payload: z.record(z.string(), z.unknown(), required('an object')),
    expectedVersion: z.union([z.int().min(-1, EVERSION), z.literal('any')], { error: EVERSION }).default('any'),
    idempotencyKey: text().max(200, 'must be at most 200 characters').optional(),
    schema: z.int({ error: 'must be an integer' }).optional(),
  },
  { error: 'must be a JSON object' },
);

/**
 * Parses the bytes of a JSONL file: one event draft per line, no blank lines except a
 * final newline, UTF-8 (a leading byte-order mark is ignored). Returns the requests in
 * file order (none for an empty file), or every problem found.
 */
export function parseEventFile(bytes: Uint8Array): ParsedEventFile | { problems: LineProblem[] } {
  const problems: LineProblem[] = [];
  const requests: AppendRequest[] = [];
  const lines: number[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const pieces = splitLines(bytes);
  for (const [i, piece] of pieces.entries()) {
    const line = i + 1;
    const problem = (field: string, message: string): void => void problems.push({ line, field, message });
    let text: string;
    try {
      text = decoder.decode(piece);
    } catch {
      problem(WHOLE_LINE, 'not valid UTF-8');
      continue;
    }
    if (text.trim() === '') {
      problem(WHOLE_LINE, 'blank line');
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // The parser's own message quotes the text around the error: it is not repeated here.
      problem(WHOLE_LINE, 'not valid JSON');
      continue;
    }
    const before = problems.length;
    checkJsonValue(value, [], problem);
    const parsed = EventLine.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) problem(fieldName([...issue.path, key]), 'unknown field');
        } else {
          problem(fieldName(issue.path), issue.message);
        }
      }
    }
    if (!parsed.success || problems.length > before) continue;
    const d = parsed.data;
    requests.push({
      stream: d.stream,
      expectedVersion: d.expectedVersion,
      events: [
        {
          type: d.type,
          actor: d.actor,
          payload: d.payload,
          ...(d.schema !== undefined && { schema: d.schema }),
        },
      ],
      ...(d.idempotencyKey !== undefined && { idempotencyKey: d.idempotencyKey }),
    });
    lines.push(line);
  }
  return problems.length > 0 ? { problems } : { requests, lines };
}

/** The lines of a file, split on '\n' only; a final newline ends the last line rather than starting a blank one. */
function splitLines(bytes: Uint8Array): Uint8Array[] {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const out: Uint8Array[] = [];
  for (let nl = bytes.indexOf(0x0a, start); nl >= 0; nl = bytes.indexOf(0x0a, start)) {
    out.push(bytes.subarray(start, nl));
    start = nl + 1;
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

/**
 * Flags what JSON.parse accepts but the ledger cannot record faithfully: integers beyond
 * 2^53 (already rounded by the parser, so an 18-digit NIP would be stored changed) and
 * strings with a lone surrogate (no canonical form under RFC 8785).
 */
function checkJsonValue(value: unknown, path: (string | number)[], problem: (field: string, message: string) => void): void {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      problem(fieldName(path), 'integer too large to keep exactly (beyond 2^53); write it as a string');
    }
  } else if (typeof value === 'string') {
    if (!value.isWellFormed()) problem(fieldName(path), 'text holds a lone surrogate, which has no canonical JSON form');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkJsonValue(v, [...path, i], problem));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (!k.isWellFormed()) problem(fieldName(path), 'a field name holds a lone surrogate, which has no canonical JSON form');
      checkJsonValue(v, [...path, k], problem);
    }
  }
}

function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += (out === '' ? '' : '.') + String(part);
  }
  return out === '' ? WHOLE_LINE : out;
}
