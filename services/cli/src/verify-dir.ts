/**
 * Verifies an export bundle directory by streaming entries.jsonl through the core's
 * BundleLineFeeder and BundleVerifier (the console's bundle check uses the same), so a
 * bundle of millions of entries never has to fit in one string. Lines are split on '\n'
 * only and decoded strictly: a stray '\r' or an invalid UTF-8 byte is part of the line
 * and fails it, where a line reader would silently drop or replace it.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_FILES } from '@casn/event-store';
import { BundleLineFeeder, BundleVerifier, type FailedVerdict, type Verdict, type VerifyOptions } from '@casn/ledger-core';
import { CliError } from './command.ts';

/**
 * The verdict on the bundle in `dir`; a missing bundle file is an invalid bundle, while a
 * missing directory throws CliError. `onProgress` is called with the number of lines checked.
 */
export async function verifyBundleDir(dir: string, opts: VerifyOptions = {}, onProgress?: (done: number) => void): Promise<Verdict> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError(`no bundle directory at ${dir}`);

  const entriesPath = join(dir, BUNDLE_FILES.entries);
  if (!(await stat(entriesPath).catch(() => undefined))?.isFile()) return failed(`bundle has no ${BUNDLE_FILES.entries} file`);
  const checkpoint = await readOptional(join(dir, BUNDLE_FILES.checkpoint));
  if (checkpoint === undefined) return failed(`bundle has no ${BUNDLE_FILES.checkpoint} file`);
  const logVkey = await readOptional(join(dir, BUNDLE_FILES.logKey));
  if (logVkey === undefined) return failed(`bundle has no ${BUNDLE_FILES.logKey} file`);

  const feeder = new BundleLineFeeder(new BundleVerifier(checkpoint, logVkey.trimEnd(), opts));
  for await (const chunk of createReadStream(entriesPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const failure = feeder.push(chunk);
    if (failure !== undefined) return failure;
    onProgress?.(feeder.lines);
  }
  return feeder.finish();
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

function failed(reason: string): FailedVerdict {
  return { ok: false, reason };
}
