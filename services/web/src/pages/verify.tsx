/**
 * Verification in the browser, with the core's own code (@casn/ledger-core) and nothing
 * trusted but the keys the person gives: an export bundle from disk, a signed checkpoint,
 * an entry's inclusion proof, and an offline receipt.
 */
import { parseReceipt } from '@casn/ledger-core';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, get, ledgerPath } from '../api.ts';
import { Field } from '../components/form.tsx';
import { ProblemAlert } from '../components/problem.tsx';
import { formatNumber, formatTime } from '../format.ts';
import { useScreen } from '../hooks.ts';
import type { MessageKey } from '../i18n.ts';
import { href } from '../router.ts';
import { useSession } from '../session.ts';
import { pinKey, pinnedKey, rememberCheckpoint } from '../trust.ts';
import { pickBundle, verifyInWorker } from '../verify/bundle.ts';
import type { BundleOutcome, PickedBundle } from '../verify/bundle-stream.ts';
import { checkCheckpoint, checkInclusion, checkLeaf, parseEntry, type Check, type CheckpointView, type ProofView } from '../verify/proofs.ts';
import { checkReceipt, download, receiptFileName, type ReceiptOutcome } from '../verify/receipt.ts';

const TABS = ['bundle', 'checkpoint', 'inclusion', 'receipt'] as const;
type Tab = (typeof TABS)[number];

export function VerifyPage({ query }: { query: URLSearchParams }) {
  const { t } = useSession();
  const focus = useScreen(t('verify.title'));
  const tab: Tab = (TABS as readonly string[]).includes(query.get('tab') ?? '') ? (query.get('tab') as Tab) : 'bundle';
  return (
    <>
      <h1 ref={focus} tabIndex={-1}>
        {t('verify.title')}
      </h1>
      <p class="lead">{t('verify.intro')}</p>
      <nav class="tabs" aria-label={t('verify.what')}>
        <ul>
          {TABS.map((x) => (
            <li key={x}>
              <a href={href(['verify'], { tab: x })} aria-current={tab === x ? 'page' : undefined}>
                {t(`verify.tab.${x}` as MessageKey)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'bundle' ? <BundleTab /> : tab === 'checkpoint' ? <CheckpointTab initialLedger={query.get('ledger') ?? undefined} /> : tab === 'inclusion' ? <InclusionTab initialLedger={query.get('ledger') ?? undefined} initialSeq={query.get('seq') ?? undefined} /> : <ReceiptTab />}
    </>
  );
}

interface LedgerOption {
  readonly value: string;
  readonly label: string;
}

/** The ledgers the caller may read (the periods and the directory), and the one chosen (`initial`, else the first). */
function useLedgerChoice(initial: string | undefined): [ledgers: LedgerOption[], ledger: string, setLedger: (ledger: string) => void] {
  const { periods, t } = useSession();
  const ledgers = [...periods.map((p) => ({ value: p.periodId, label: `${p.periodId} (${p.origin})` })), { value: 'directory', label: t('health.directory') }];
  const [ledger, setLedger] = useState(initial ?? ledgers[0]?.value ?? 'directory');
  return [ledgers, ledger, setLedger];
}

function LedgerSelect({ id, ledgers, value, onChange }: { id: string; ledgers: readonly LedgerOption[]; value: string; onChange: (ledger: string) => void }) {
  const { t } = useSession();
  return (
    <div class="field">
      <label for={id}>{t('verify.ledger')}</label>
      <select id={id} class="input" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {ledgers.map((l) => (
          <option key={l.value} value={l.value}>
            {l.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A log verifier key, typed or pasted. */
function LogKeyInput({ id, value, onInput, describedBy }: { id: string; value: string; onInput: (key: string) => void; describedBy: string | undefined }) {
  return <input id={id} class="input input-long mono" value={value} onInput={(e) => onInput(e.currentTarget.value)} aria-describedby={describedBy} spellcheck={false} autoComplete="off" />;
}

/** The expected and actual values of a failed check, where it gives them. */
function ExpectedActual({ expected, actual }: { expected: string | undefined; actual: string | undefined }) {
  const { t } = useSession();
  return (
    <>
      {expected ? (
        <p class="small">
          {t('verify.expected')} <code class="wrap">{expected}</code>
        </p>
      ) : null}
      {actual ? (
        <p class="small">
          {t('verify.actual')} <code class="wrap">{actual}</code>
        </p>
      ) : null}
    </>
  );
}

function Verdict({ check, ok, testId }: { check: Check; ok: string; testId?: string }) {
  const { t } = useSession();
  return check.ok ? (
    <p class="alert alert-ok" role="status" data-testid={testId}>
      ✓ {ok}
    </p>
  ) : (
    <div class="alert alert-error" role="alert" data-testid={testId}>
      <p>
        <strong>✗ {t('verify.invalid')}</strong> {check.reason}
      </p>
      <ExpectedActual expected={check.expected} actual={check.actual} />
    </div>
  );
}

function BundleTab() {
  const { t, lang } = useSession();
  const [bundle, setBundle] = useState<(PickedBundle & { names: string[] }) | undefined>(undefined);
  const [logKey, setLogKey] = useState('');
  const [origin, setOrigin] = useState('');
  const [trusted, setTrusted] = useState('');
  const [quorum, setQuorum] = useState('1');
  const [progress, setProgress] = useState<{ lines: number; bytes: number } | undefined>(undefined);
  const [outcome, setOutcome] = useState<BundleOutcome | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [runs, setRuns] = useState(0);
  // Focus moves to the verdict once when it appears (a stable ref callback runs on mount only).
  const focusVerdict = useCallback((el: HTMLDivElement | null) => el?.focus(), []);

  const choose = async (files: FileList | null): Promise<void> => {
    setOutcome(undefined);
    setFailure(undefined);
    setBundle(files && files.length > 0 ? await pickBundle([...files]) : undefined);
  };
  const run = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!bundle) return;
    setBusy(true);
    setOutcome(undefined);
    setFailure(undefined);
    setProgress({ lines: 0, bytes: 0 });
    setRuns((n) => n + 1);
    try {
      const q = Number.parseInt(quorum, 10);
      setOutcome(await verifyInWorker(bundle, { logKey, origin, trusted, ...(Number.isSafeInteger(q) && q >= 0 ? { quorum: q } : {}) }, (lines, bytes) => setProgress({ lines, bytes })));
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const entry = outcome && !outcome.ok && outcome.line !== undefined ? parseEntry(outcome.line) : undefined;
  return (
    <form class="form" onSubmit={(e) => void run(e)} aria-labelledby="bundle-title">
      <h2 id="bundle-title">{t('verify.tab.bundle')}</h2>
      <p>{t('verify.bundleIntro')}</p>
      <Field id="bundle-dir" label={t('verify.bundleDir')} hint={t('verify.bundleDirHint')}>
        {(describedBy) => <input id="bundle-dir" type="file" class="input" aria-describedby={describedBy} {...{ webkitdirectory: '' }} multiple onChange={(e) => void choose(e.currentTarget.files)} />}
      </Field>
      <Field id="bundle-files" label={t('verify.bundleFiles')} hint={t('verify.bundleFilesHint')}>
        {(describedBy) => <input id="bundle-files" type="file" class="input" multiple aria-describedby={describedBy} onChange={(e) => void choose(e.currentTarget.files)} />}
      </Field>
      {bundle ? (
        <p class="muted" data-testid="bundle-picked">
          {t('verify.picked', { names: bundle.names.join(', ') })}
        </p>
      ) : null}
      <details>
        <summary>{t('verify.trustOptions')}</summary>
        <Field id="bundle-logkey" label={t('verify.pinnedKey')} hint={t('verify.pinnedKeyHint')}>
          {(describedBy) => <input id="bundle-logkey" class="input input-long" value={logKey} onInput={(e) => setLogKey(e.currentTarget.value)} aria-describedby={describedBy} spellcheck={false} autoComplete="off" />}
        </Field>
        <div class="field">
          <label for="bundle-origin">{t('verify.origin')}</label>
          <input id="bundle-origin" class="input input-long" value={origin} onInput={(e) => setOrigin(e.currentTarget.value)} spellcheck={false} autoComplete="off" />
        </div>
        <Field id="bundle-trusted" label={t('verify.trusted')} hint={t('verify.trustedHint')}>
          {(describedBy) => <textarea id="bundle-trusted" class="input input-long mono" rows={5} value={trusted} onInput={(e) => setTrusted(e.currentTarget.value)} aria-describedby={describedBy} spellcheck={false} />}
        </Field>
        <Field id="bundle-quorum" label={t('verify.quorum')} hint={t('verify.quorumHint')}>
          {(describedBy) => <input id="bundle-quorum" class="input input-short" type="number" min="0" value={quorum} onInput={(e) => setQuorum(e.currentTarget.value)} aria-describedby={describedBy} />}
        </Field>
      </details>
      <button type="submit" class="button" disabled={!bundle || busy}>
        {busy ? t('common.working') : t('verify.run')}
      </button>
      {progress && busy ? (
        <p role="status" aria-live="polite">
          {t('verify.progress', { lines: formatNumber(progress.lines, lang), mb: (progress.bytes / 1e6).toFixed(1) })}
        </p>
      ) : null}
      {failure ? (
        <p class="alert alert-error" role="alert">
          {failure}
        </p>
      ) : null}
      {outcome?.ok ? (
        <div class="alert alert-ok" role="status" data-testid="bundle-verdict" tabIndex={-1} ref={focusVerdict} key={runs}>
          <p>
            <strong>✓ {t('verify.bundleOk', { size: formatNumber(outcome.size, lang) })}</strong>
          </p>
          <p class="small">
            origin <code>{outcome.origin}</code> · root <code class="wrap">{outcome.root}</code>
          </p>
          {outcome.cosigners !== undefined ? <p class="small">{t('verify.cosigners', { names: outcome.cosigners.join(', ') || '—' })}</p> : null}
        </div>
      ) : null}
      {outcome && !outcome.ok ? (
        <div class="alert alert-error" role="alert" data-testid="bundle-verdict" tabIndex={-1} ref={focusVerdict} key={runs}>
          <p>
            <strong>✗ {t('verify.invalid')}</strong>{' '}
            {outcome.seq !== undefined ? (
              <>
                {t('verify.atSeq')} <strong data-testid="failing-seq">seq {outcome.seq}</strong>:{' '}
              </>
            ) : null}
            <span data-testid="failing-reason">{outcome.reason}</span>
          </p>
          <ExpectedActual expected={outcome.expected} actual={outcome.actual} />
          {entry ? (
            <p class="small">
              {t('verify.entryAtFault', { type: entry.type, stream: entry.stream, at: formatTime(entry.at, lang), actor: entry.actor.id })}
            </p>
          ) : null}
          <p class="small muted">{t('verify.linesChecked', { n: formatNumber(outcome.lines, lang) })}</p>
        </div>
      ) : null}
    </form>
  );
}

function CheckpointTab({ initialLedger }: { initialLedger: string | undefined }) {
  const { t } = useSession();
  const [ledgers, ledger, setLedger] = useLedgerChoice(initialLedger);
  const [note, setNote] = useState('');
  const [key, setKey] = useState('');
  const [origin, setOrigin] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [result, setResult] = useState<ReturnType<typeof checkCheckpoint> | undefined>(undefined);
  const [serverKey, setServerKey] = useState<string | undefined>(undefined);

  const fetchLatest = async (): Promise<void> => {
    setError(undefined);
    setResult(undefined);
    try {
      const cp = await get<CheckpointView>(ledgerPath(ledger, 'checkpoint'));
      setNote(cp.note);
      setOrigin(cp.origin);
      setServerKey(cp.verifierKey);
      setKey(pinnedKey(cp.origin) ?? cp.verifierKey);
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    }
  };
  useEffect(() => {
    void fetchLatest();
  }, [ledger]);

  const verify = (e: Event): void => {
    e.preventDefault();
    const r = checkCheckpoint(note, key);
    setResult(r);
    if (r.ok) rememberCheckpoint(r.origin, { size: r.size, root: r.root });
  };
  return (
    <form class="form" onSubmit={verify} aria-labelledby="cp-title">
      <h2 id="cp-title">{t('verify.tab.checkpoint')}</h2>
      <LedgerSelect id="cp-ledger" ledgers={ledgers} value={ledger} onChange={setLedger} />
      {error ? <ProblemAlert error={error} /> : null}
      <div class="field">
        <label for="cp-note">{t('verify.note')}</label>
        <textarea id="cp-note" class="input input-long mono" rows={7} value={note} onInput={(e) => setNote(e.currentTarget.value)} spellcheck={false} />
      </div>
      <Field id="cp-key" label={t('verify.logKey')} hint={origin && pinnedKey(origin) ? t('verify.keyPinned') : t('verify.keyFromServer')}>
        {(describedBy) => (
          <>
            <LogKeyInput id="cp-key" value={key} onInput={setKey} describedBy={describedBy} />
            {origin && serverKey && pinnedKey(origin) && pinnedKey(origin) !== serverKey ? (
              <p class="alert alert-error" role="alert">
                {t('verify.keyDiffers')}
              </p>
            ) : null}
          </>
        )}
      </Field>
      <div class="button-row">
        <button type="submit" class="button">
          {t('verify.run')}
        </button>
        {origin ? (
          <button
            type="button"
            class="button button-secondary"
            onClick={() => {
              pinKey(origin, key);
              setResult(undefined);
            }}
          >
            {t('verify.pin')}
          </button>
        ) : null}
      </div>
      {result ? (
        result.ok ? (
          <Verdict testId="checkpoint-verdict" check={{ ok: true }} ok={t('verify.checkpointOk', { origin: result.origin, size: result.size, root: result.root, signers: [...result.signers, ...result.others.map((o) => `${o} (${t('verify.unchecked')})`)].join(', ') })} />
        ) : (
          <Verdict testId="checkpoint-verdict" check={result} ok="" />
        )
      ) : null}
    </form>
  );
}

function InclusionTab({ initialLedger, initialSeq }: { initialLedger: string | undefined; initialSeq: string | undefined }) {
  const { t, lang } = useSession();
  const [ledgers, ledger, setLedger] = useLedgerChoice(initialLedger);
  const [seq, setSeq] = useState(initialSeq ?? '0');
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [result, setResult] = useState<{ entry: ReturnType<typeof parseEntry>; leaf: Check; inclusion: Check; signed: ReturnType<typeof checkCheckpoint>; size: number } | undefined>(undefined);
  const [receipt, setReceipt] = useState<{ text: string; origin: string } | undefined>(undefined);

  const run = async (e?: Event): Promise<void> => {
    e?.preventDefault();
    setError(undefined);
    setResult(undefined);
    setReceipt(undefined);
    try {
      const cp = await get<CheckpointView>(ledgerPath(ledger, 'checkpoint'));
      const signed = checkCheckpoint(cp.note, pinnedKey(cp.origin) ?? cp.verifierKey);
      const n = Number(seq);
      const [entry, proof] = await Promise.all([get<{ seq: number; leaf: string; body: string }>(ledgerPath(ledger, 'entries', n)), get<ProofView>(ledgerPath(ledger, 'proofs', 'inclusion'), { seq: n, size: cp.size })]);
      setResult({
        entry: parseEntry(entry.body),
        leaf: checkLeaf(entry.body, entry.leaf),
        inclusion: checkInclusion(entry.body, proof, signed.ok ? signed.root : cp.root),
        signed,
        size: cp.size,
      });
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    }
  };
  useEffect(() => {
    if (initialSeq !== undefined) void run();
  }, []);
  const fetchReceipt = async (): Promise<void> => {
    try {
      const r = await get<{ ledger: string; receipt: string }>(ledgerPath(ledger, 'entries', Number(seq), 'receipt'));
      setReceipt({ text: r.receipt, origin: r.ledger });
    } catch (err) {
      if (err instanceof ApiError) setError(err);
    }
  };
  return (
    <form class="form" onSubmit={(e) => void run(e)} aria-labelledby="inc-title">
      <h2 id="inc-title">{t('verify.tab.inclusion')}</h2>
      <div class="field-row">
        <LedgerSelect id="inc-ledger" ledgers={ledgers} value={ledger} onChange={setLedger} />
        <div class="field">
          <label for="inc-seq">seq</label>
          <input id="inc-seq" class="input input-short" inputMode="numeric" value={seq} onInput={(e) => setSeq(e.currentTarget.value)} autoComplete="off" />
        </div>
      </div>
      <button type="submit" class="button">
        {t('verify.run')}
      </button>
      {error ? <ProblemAlert error={error} /> : null}
      {result ? (
        <div data-testid="inclusion-verdict">
          {result.entry ? (
            <p>
              <code>{result.entry.type}</code> · {formatTime(result.entry.at, lang)} · {result.entry.actor.id} · <code>{result.entry.stream}</code>
            </p>
          ) : null}
          <Verdict check={result.leaf} ok={t('entry.leafOk')} />
          <Verdict check={result.inclusion} ok={t('verify.inclusionOk', { size: result.size })} />
          <Verdict check={result.signed.ok ? { ok: true } : result.signed} ok={result.signed.ok ? t('verify.signedBy', { signers: result.signed.signers.join(', ') }) : ''} />
          <button type="button" class="button button-secondary" onClick={() => void fetchReceipt()}>
            {t('verify.getReceipt')}
          </button>
          {receipt ? (
            <div class="panel">
              <pre class="code-block" tabIndex={0}>
                {receipt.text}
              </pre>
              <button type="button" class="button button-small" onClick={() => download(receipt.text, receiptFileName(receipt.origin, Number(seq)))}>
                {t('write.download')}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

/** The origin a receipt's checkpoint names (its first line), if the text parses. */
function receiptOrigin(text: string): string | undefined {
  try {
    return parseReceipt(text).checkpoint.split('\n', 1)[0];
  } catch {
    return undefined;
  }
}

function ReceiptTab() {
  const { t, periods, lang } = useSession();
  const [text, setText] = useState('');
  const [key, setKey] = useState('');
  const [outcome, setOutcome] = useState<ReceiptOutcome | undefined>(undefined);

  useEffect(() => {
    const origin = receiptOrigin(text);
    if (origin === undefined || key !== '') return;
    const pinned = pinnedKey(origin);
    if (pinned) {
      setKey(pinned);
      return;
    }
    const period = periods.find((p) => p.origin === origin)?.periodId;
    if (period) get<CheckpointView>(ledgerPath(period, 'checkpoint')).then((cp) => setKey(cp.verifierKey), () => undefined);
  }, [text]);

  return (
    <form
      class="form"
      aria-labelledby="rc-title"
      onSubmit={(e) => {
        e.preventDefault();
        setOutcome(checkReceipt(text, key));
      }}
    >
      <h2 id="rc-title">{t('verify.tab.receipt')}</h2>
      <div class="field">
        <label for="rc-file">{t('verify.receiptFile')}</label>
        <input id="rc-file" type="file" class="input" accept=".tlog-proof,text/plain" onChange={(e) => void e.currentTarget.files?.[0]?.text().then(setText)} />
      </div>
      <div class="field">
        <label for="rc-text">{t('verify.receiptText')}</label>
        <textarea id="rc-text" class="input input-long mono" rows={10} value={text} onInput={(e) => setText(e.currentTarget.value)} spellcheck={false} />
      </div>
      <Field id="rc-key" label={t('verify.logKey')} hint={t('verify.receiptKeyHint')}>
        {(describedBy) => <LogKeyInput id="rc-key" value={key} onInput={setKey} describedBy={describedBy} />}
      </Field>
      <button type="submit" class="button" disabled={text.trim() === '' || key.trim() === ''}>
        {t('verify.run')}
      </button>
      {outcome ? (
        outcome.ok ? (
          <Verdict
            testId="receipt-verdict"
            check={{ ok: true }}
            ok={t('verify.receiptOk', { seq: outcome.seq, type: outcome.type, at: formatTime(outcome.at, lang), actor: outcome.actor, origin: outcome.origin, size: outcome.checkpointSize })}
          />
        ) : (
          <Verdict testId="receipt-verdict" check={{ ok: false, reason: `${outcome.reason}${outcome.line !== undefined ? ` (${t('verify.line')} ${outcome.line})` : ''}: ${outcome.message}`, ...(outcome.expected ? { expected: outcome.expected } : {}), ...(outcome.actual ? { actual: outcome.actual } : {}) }} ok="" />
        )
      ) : null}
    </form>
  );
}
