/**
 * What a write recorded: each entry's seq and leaf hash, and, when the API issues them, each
 * entry's offline receipt (C2SP tlog-proof) with a download button and a check in the browser
 * against the log's verifier key.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, ledgerPath, type WriteResult } from '../api.ts';
import { shortHash } from '../format.ts';
import { useSession } from '../session.ts';
import { DataTable } from './table.tsx';
import { checkReceipt, download, receiptFileName, type ReceiptOutcome } from '../verify/receipt.ts';
import type { CheckpointView } from '../verify/proofs.ts';

/** Entries shown in full; an import of thousands of rows lists the first ones. */
const SHOWN = 50;

/** The outcome panel of a successful write. */
export function WriteResultView({ result, ledger, title }: { result: WriteResult; ledger: string; title: string }) {
  const { t, lang } = useSession();
  const [logKey, setLogKey] = useState<string | undefined>(undefined);
  // Focus moves to the outcome once, when it appears.
  const focusOnce = useCallback((el: HTMLElement | null) => el?.focus(), []);
  useEffect(() => {
    if (!result.receipts?.length) return;
    get<CheckpointView>(ledgerPath(ledger, 'checkpoint')).then(
      (cp) => setLogKey(cp.verifierKey),
      () => setLogKey(undefined),
    );
  }, [result, ledger]);
  return (
    <section class="panel panel-success" aria-labelledby="write-result-title" tabIndex={-1} ref={focusOnce}>
      <h2 id="write-result-title">{title}</h2>
      <p>
        {result.replayed ? t('write.replayed') : t('write.recorded', { n: result.entries.length })} <span class="muted">({result.ledger})</span>
      </p>
      <DataTable
        caption={t('write.entries')}
        columns={['seq', 'stream', t('write.leaf'), t('write.receipt')]}
        rows={result.entries.slice(0, SHOWN)}
        row={(e, i) => {
          const receipt = result.receipts?.[i];
          return (
            <tr key={e.seq}>
              <td class="num" data-testid="entry-seq">
                {e.seq}
              </td>
              <td>
                <code>{e.stream}</code> v{e.version}
              </td>
              <td>
                <code title={e.leaf}>{shortHash(e.leaf)}</code>
              </td>
              <td>{receipt ? <ReceiptCell receipt={receipt} seq={e.seq} origin={result.ledger} logKey={logKey} /> : <span class="muted">{t('write.noReceipt')}</span>}</td>
            </tr>
          );
        }}
      />
      {result.entries.length > SHOWN ? <p class="muted">{t('write.more', { n: result.entries.length - SHOWN })}</p> : null}
      {result.receipts?.length ? (
        <details>
          <summary>{t('write.receiptText')}</summary>
          {result.receipts.slice(0, SHOWN).map((r, i) => (
            <pre class="code-block" key={i} tabIndex={0} aria-label={`${t('write.receipt')} seq ${result.entries[i]?.seq ?? i}`}>
              {r}
            </pre>
          ))}
        </details>
      ) : null}
      <p class="muted small">{t('write.at', { at: new Date(result.at).toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB') })}</p>
    </section>
  );
}

function ReceiptCell({ receipt, seq, origin, logKey }: { receipt: string; seq: number; origin: string; logKey: string | undefined }) {
  const { t } = useSession();
  const [outcome, setOutcome] = useState<ReceiptOutcome | undefined>(undefined);
  useEffect(() => {
    if (logKey !== undefined) setOutcome(checkReceipt(receipt, logKey));
  }, [receipt, logKey]);
  return (
    <span class="receipt-cell">
      <button type="button" class="button button-small" onClick={() => download(receipt, receiptFileName(origin, seq))}>
        {t('write.download')}
      </button>{' '}
      {outcome === undefined ? null : outcome.ok ? (
        <span class="badge badge-ok" data-testid="receipt-verified">
          ✓ {t('verify.valid')}
        </span>
      ) : (
        <span class="badge badge-bad">
          ✗ {outcome.reason}: {outcome.message}
        </span>
      )}
    </span>
  );
}
