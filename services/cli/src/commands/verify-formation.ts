/**
 * Completeness per formation on the command line: `verify-formation` checks a saved
 * formation view offline under a pinned log key; `verify-commitments` recomputes every
 * completeness commitment of an export bundle from its entries; `formation-view` writes a
 * formation's view from the database (committing first with --commit).
 */
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { commitCompleteness, formationView } from '@casn/api';
import { isDomainError } from '@casn/domain';
import { BUNDLE_FILES } from '@casn/event-store';
import { CommitmentAuditor, describeFormationVerdict, describeVerdict, verifyFormationView, type CommitmentAudit } from '@casn/ledger-core';
import { CliError, integerOption, requiredOption, stringOption, writeLine, type Command } from '../command.ts';
import { createProgress } from '../progress.ts';
import { withSystem } from '../system.ts';
import { verifyBundleDir } from '../verify-dir.ts';
import { LEDGER_OPTION, readArgumentFile } from './options.ts';

/** The verify-formation command. */
export const verifyFormation: Command = {
  name: 'verify-formation',
  summary: "verify a formation's completeness view (needs no database)",
  usage: 'FILE --log-key VKEY_FILE [--formation ID]',
  description:
    'Checks the formation view in FILE (JSON, as served by GET /v1/periods/{period}/formations/{formation}/completeness ' +
    'or written by `formation-view`): the checkpoint signature under the pinned log key, the completeness commitment ' +
    "and its inclusion in the checkpoint, the formation's record in the commitment, and that the entries are exactly " +
    "the formation's streams as committed: none left out, added, changed or of another formation. Prints " +
    '"valid: ..." and exits 0, or one line naming the stream and seq at fault and exits 1.',
  options: {
    'log-key': { type: 'string', arg: 'FILE', help: "the log's verifier key you trust (signed-note form, one line)", required: true },
    formation: { type: 'string', arg: 'ID', help: 'the formation you asked for; the view must be of it' },
  },
  positionals: ['FILE'],
  async run(args, { io }) {
    const [file] = args.positionals as [string];
    const logKey = (await readArgumentFile('--log-key', requiredOption(args, 'log-key'))).trim();
    const text = await readArgumentFile('view', file);
    let view: unknown;
    try {
      view = JSON.parse(text);
    } catch {
      writeLine(io.stdout, `invalid: ${file} is not JSON`);
      return 1;
    }
    const formation = stringOption(args, 'formation');
    const verdict = verifyFormationView(view, logKey, formation === undefined ? {} : { formationId: formation });
    writeLine(io.stdout, describeFormationVerdict(verdict));
    return verdict.ok ? 0 : 1;
  },
};

/** The verify-commitments command. */
export const verifyCommitments: Command = {
  name: 'verify-commitments',
  summary: 'recompute every completeness commitment of an export bundle (needs no database)',
  usage: 'DIR [--log-key VKEY_FILE]',
  description:
    'Verifies the bundle in DIR as `verify` does, then recomputes, from the entries, every StreamHeadsCommitted entry ' +
    "(each stream's head, each formation's root, the commitment root) and compares. A commitment that leaves out, " +
    'adds or changes anything is named by its seq. Prints "valid: ..." and exits 0, or one line and exits 1.',
  options: {
    'log-key': { type: 'string', arg: 'FILE', help: "the log's verifier key you trust; the bundle's log.vkey must equal it" },
  },
  positionals: ['DIR'],
  async run(args, { io }) {
    const [dir] = args.positionals as [string];
    const keyFile = stringOption(args, 'log-key');
    const logKey = keyFile === undefined ? undefined : (await readArgumentFile('--log-key', keyFile)).trim();
    const progress = createProgress(io.stderr, `verifying ${dir}`);
    const verdict = await verifyBundleDir(dir, logKey === undefined ? {} : { logKey }, (done) => progress.update(done)).finally(() => progress.end());
    if (!verdict.ok) {
      writeLine(io.stdout, describeVerdict(verdict));
      return 1;
    }
    const audit = await auditBundle(join(dir, BUNDLE_FILES.entries));
    writeLine(io.stdout, describeAudit(audit));
    return audit.ok ? 0 : 1;
  },
};

/** Streams the (already verified) entries of a bundle through a CommitmentAuditor. */
async function auditBundle(path: string): Promise<CommitmentAudit> {
  const auditor = new CommitmentAuditor();
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (auditor.push(line) !== undefined) {
      lines.close();
      break;
    }
  }
  return auditor.finish();
}

function describeAudit(a: CommitmentAudit): string {
  if (a.ok) return `valid: ${a.commitments} completeness commitment(s) recomputed from ${a.size} entries`;
  const evidence = [a.expected !== undefined ? `expected ${a.expected}` : '', a.actual !== undefined ? `actual ${a.actual}` : ''].filter((s) => s !== '');
  return `invalid: seq ${a.seq}: ${a.reason}${evidence.length > 0 ? ` (${evidence.join(', ')})` : ''}`;
}

/** The formation-view command. */
export const formationViewCommand: Command = {
  name: 'formation-view',
  summary: "write a formation's completeness view from the database",
  usage: '--ledger ORIGIN --formation ID [--size N] [--commit] [--out FILE]',
  description:
    "Writes, as JSON, every entry of the formation's streams as of the latest completeness commitment a signed " +
    'checkpoint includes (of --size entries, signed if need be; default: the latest), with the proofs that ' +
    '`verify-formation` checks. With --commit, a commitment of the current size is recorded first when the ledger ' +
    'grew since the last one (as the actor `completeness`).',
  options: {
    ledger: LEDGER_OPTION,
    formation: { type: 'string', arg: 'ID', help: 'the formation (formasi) id', required: true },
    size: { type: 'string', arg: 'N', help: 'prove against the checkpoint of the first N entries' },
    commit: { type: 'boolean', help: 'record a completeness commitment first, if the ledger grew since the last one' },
    out: { type: 'string', arg: 'FILE', help: 'write the view to FILE instead of stdout' },
  },
  positionals: [],
  async run(args, { io, config }) {
    const origin = requiredOption(args, 'ledger');
    const formation = requiredOption(args, 'formation');
    const size = integerOption(args, 'size');
    const out = stringOption(args, 'out');
    const view = await withSystem(config(), async (system) => {
      const period = system.service.periods().find((p) => p.origin === origin);
      if (!period) throw new CliError(`no period ledger ${origin}`);
      try {
        if (args.options.commit === true) {
          const result = await commitCompleteness(system.service, period.periodId);
          const c = result.commitment;
          if (c) writeLine(io.stderr, `${result.committed ? 'committed' : 'already committed'}: completeness of the first ${c.asOf} entries at seq ${c.seq}`);
        }
        return await formationView(system.service, period.periodId, formation, { atSize: size });
      } catch (err) {
        // The domain's messages name sizes and ids, never personal data.
        if (isDomainError(err)) throw new CliError(err.message);
        throw err;
      }
    });
    const text = JSON.stringify(view, null, 2) + '\n';
    if (out === undefined) io.stdout.write(text);
    else await writeFile(out, text);
    const entries = view.streams.reduce((n, s) => n + s.entries.length, 0);
    writeLine(io.stderr, `formation ${formation}: ${view.streams.length} streams, ${entries} entries, commitment at seq ${view.commitment.seq}${out === undefined ? '' : `, written to ${out}`}`);
    return 0;
  },
};

