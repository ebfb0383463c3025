/**
 * Verifies an export bundle directory by streaming entries.jsonl through the core's
 * BundleVerifier, so a bundle of millions of entries never has to fit in one string.
 * Lines are split on '\n' only and decoded strictly: a stray '\r' or an invalid UTF-8
 * byte is part of the line and fails it, where a line reader would silently drop or
 * replace it.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_FILES } from '@casn/event-store';
import { BundleVerifier, type FailedVerdict, type Verdict, type VerifyOptions } from '@casn/ledger-core';
import { CliError } from './command.ts';

const NEWLINE = 0x0a;

/**
 * The verdict on the bundle in `dir`; a missing bundle file is an invalid bundle, while a
 * missing directory throws CliError. `onProgress` is called with the number of lines checked.
 */
export async function verifyBundleDir(dir: string, opts: VerifyOptions = {}, onProgress?: (done: number) => void): Promise<Verdict> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError(`no bundle directory at ${dir}`);

  const entriesPath = join(dir, BUNDLE_FILES.entries);
  if (!(await stat(entriesPath).catch(() => undefined))?.isFile()) return failed(undefined, `bundle has no ${BUNDLE_FILES.entries} file`);
  const checkpoint = await readOptional(join(dir, BUNDLE_FILES.checkpoint));
  if (checkpoint === undefined) return failed(undefined, `bundle has no ${BUNDLE_FILES.checkpoint} file`);
  const logVkey = await readOptional(join(dir, BUNDLE_FILES.logKey));
  if (logVkey === undefined) return failed(undefined, `bundle has no ${BUNDLE_FILES.logKey} file`);

  const verifier = new BundleVerifier(checkpoint, logVkey.trimEnd(), opts);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let seq = 0;
  let carry: Buffer[] = [];

  // Checks one complete line (its bytes without the '\n'); returns a failure, if any.
  const check = (bytes: Buffer): FailedVerdict | undefined => {
    let line: string;
    try {
      line = decoder.decode(bytes);
    } catch {
      // push('') surfaces a failure found before this line (the checkpoint's), if any.
      const earlier = verifier.push('');
      return earlier !== undefined && earlier.seq !== seq ? earlier : failed(seq, 'line is not valid UTF-8');
    }
    const failure = verifier.push(line);
    if (line === '') return failure !== undefined && failure.seq !== seq ? failure : failed(seq, 'empty line');
    return failure;
  };

  for await (const chunk of createReadStream(entriesPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl);
      const bytes = carry.length === 0 ? piece : Buffer.concat([...carry, piece]);
      carry = [];
      const failure = check(bytes);
      if (failure !== undefined) return failure;
      seq++;
      start = nl + 1;
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
    onProgress?.(seq);
  }
  if (carry.length > 0) {
    // An unterminated last line: what is wrong with its content comes first, if anything.
    return check(Buffer.concat(carry)) ?? failed(seq, 'last line does not end with a newline');
  }
  return verifier.finish();
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

function failed(seq: number | undefined, reason: string): FailedVerdict {
  return seq === undefined ? { ok: false, reason } : { ok: false, seq, reason };
}
