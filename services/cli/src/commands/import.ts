/** `ledger import`: appends the events of a JSONL file to a ledger, all or nothing. */
import { readFile } from 'node:fs/promises';
import { isStoreError } from '@casn/event-store';
import { CliError, requiredOption, writeLine, type Command } from '../command.ts';
import { parseEventFile } from '../event-file.ts';
import { withStore } from '../open-store.ts';
import { LEDGER_OPTION } from './options.ts';

/** The import command. */
export const importCommand: Command = {
  name: 'import',
  summary: 'append the events of a JSONL file to a ledger, all or nothing',
  usage: '--ledger ORIGIN FILE.jsonl',
  description:
    'Each line of FILE.jsonl is one event: {"stream", "type", "actor": {"id", "role"}, "payload": {...}}, optionally ' +
    '"expectedVersion" (the version the stream must be at: an integer, -1 for a new stream, or "any", the default), ' +
    '"idempotencyKey" (a repeated key replays the first import instead of storing again) and "schema" (an integer). ' +
    'Every line is checked first and every bad one reported as FILE:LINE: field: message; then the whole file is ' +
    'appended in one transaction, so either all of it is stored or none of it.',
  options: { ledger: LEDGER_OPTION },
  positionals: ['FILE.jsonl'],
  async run(args, { io, config }) {
    const origin = requiredOption(args, 'ledger');
    const [file] = args.positionals as [string];
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const parsed = parseEventFile(bytes);
    if ('problems' in parsed) {
      for (const p of parsed.problems) writeLine(io.stderr, `${file}:${p.line}: ${p.field}: ${p.message}`);
      const lines = new Set(parsed.problems.map((p) => p.line)).size;
      throw new CliError(`${lines} invalid line${lines === 1 ? '' : 's'} in ${file}; nothing imported`);
    }
    if (parsed.requests.length === 0) throw new CliError(`${file} holds no events; nothing imported`);

    const results = await withStore(config(), { schema: 'required' }, async (store) => {
      try {
        return await store.appendAll(origin, parsed.requests);
      } catch (err) {
        const index = isStoreError(err) ? err.details.index : undefined;
        if (typeof index === 'number') throw new CliError(`${file}:${parsed.lines[index] ?? '?'}: ${(err as Error).message}; nothing imported`);
        throw err;
      }
    });
    const replayed = results.filter((r) => r.replayed).length;
    // A loop, not Math.min(...): spreading a large import would overflow the stack.
    let first = Infinity;
    let last = -Infinity;
    for (const r of results) {
      first = Math.min(first, r.firstSeq);
      last = Math.max(last, r.firstSeq + r.ids.length - 1);
    }
    writeLine(io.stdout, `imported ${results.length} events (${replayed} replayed) into ${origin}, seq ${first}..${last}`);
    return 0;
  },
};
