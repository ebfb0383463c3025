/**
 * Ledger health for the ombudsman: per ledger the size, the latest signed checkpoint (its
 * signature checked here), the witnesses' cosignature lines, the worker's last full
 * verification, and whether the ledger only grew since this browser last looked.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, ledgerPath } from '../api.ts';
import { Loading, ProblemAlert } from '../components/problem.tsx';
import { formatNumber, formatTime, shortHash } from '../format.ts';
import { useAsync, useScreen } from '../hooks.ts';
import { href } from '../router.ts';
import { useSession } from '../session.ts';
import { pinnedKey, rememberCheckpoint, seenCheckpoint } from '../trust.ts';
import { checkCheckpoint, checkConsistency, signatureNames, type Check } from '../verify/proofs.ts';

interface LedgerHealth {
  readonly ledger: string;
  readonly origin: string;
  readonly size: number;
  readonly checkpoint: { readonly size: number; readonly root: string; readonly note: string; readonly verifierKey: string } | null;
  readonly verification: { readonly ok: boolean; readonly at: string; readonly verifiedSize: number | null } | null;
}

export function HealthPage() {
  const { t } = useSession();
  const focus = useScreen(t('health.title'));
  const health = useAsync(() => get<{ items: LedgerHealth[] }>('/v1/health/ledgers'), []);
  return (
    <>
      <h1 ref={focus} tabIndex={-1}>
        {t('health.title')}
      </h1>
      <p class="lead">{t('health.intro')}</p>
      {health.error ? <ProblemAlert error={health.error} /> : null}
      {health.loading && !health.data ? <Loading /> : null}
      {health.data?.items.map((l) => <LedgerCard key={l.origin} ledger={l} />)}
    </>
  );
}

function LedgerCard({ ledger }: { ledger: LedgerHealth }) {
  const { t, lang } = useSession();
  const cp = ledger.checkpoint;
  const pinned = pinnedKey(ledger.origin);
  const key = pinned ?? cp?.verifierKey;
  const signed = cp && key ? checkCheckpoint(cp.note, key) : undefined;
  const witnesses = cp ? signatureNames(cp.note).filter((n) => n !== ledger.origin) : [];
  const [growth, setGrowth] = useState<{ check: Check; since: string; size: number } | undefined>(undefined);

  useEffect(() => {
    if (!cp || !signed?.ok) return;
    const seen = seenCheckpoint(ledger.origin);
    const remember = (): void => rememberCheckpoint(ledger.origin, { size: signed.size, root: signed.root });
    if (!seen || seen.size === 0) {
      remember();
      return;
    }
    if (seen.size === signed.size) {
      setGrowth({ check: seen.root === signed.root ? { ok: true } : { ok: false, reason: 'same size, different root', expected: seen.root, actual: signed.root }, since: seen.at, size: seen.size });
      return;
    }
    if (seen.size > signed.size) {
      setGrowth({ check: { ok: false, reason: t('health.shrunk', { old: seen.size, now: signed.size }) }, since: seen.at, size: seen.size });
      return;
    }
    get<{ hashes: string[] }>(ledgerPath(ledger.ledger, 'proofs', 'consistency'), { from: seen.size, to: signed.size }).then(
      (p) => {
        const check = checkConsistency(seen.size, signed.size, p.hashes, seen.root, signed.root);
        setGrowth({ check, since: seen.at, size: seen.size });
        if (check.ok) remember();
      },
      (err: unknown) => setGrowth({ check: { ok: false, reason: String(err) }, since: seen.at, size: seen.size }),
    );
  }, [ledger]);

  const v = ledger.verification;
  return (
    <section class="panel ledger-card" aria-labelledby={`ledger-${ledger.ledger}`} data-testid="ledger-card">
      <h2 id={`ledger-${ledger.ledger}`}>
        {ledger.ledger === 'directory' ? t('health.directory') : ledger.ledger} <span class="muted small">{ledger.origin}</span>
      </h2>
      <dl class="facts facts-wide">
        <dt>{t('health.size')}</dt>
        <dd>{formatNumber(ledger.size, lang)}</dd>
        <dt>{t('health.checkpoint')}</dt>
        <dd>
          {cp ? (
            <>
              {t('health.checkpointSize', { size: formatNumber(cp.size, lang) })} · root <code title={cp.root}>{shortHash(cp.root)}</code>{' '}
              {ledger.size > cp.size ? <span class="muted">({t('health.behind', { n: formatNumber(ledger.size - cp.size, lang) })})</span> : null}
            </>
          ) : (
            t('health.noCheckpoint')
          )}
        </dd>
        <dt>{t('health.signature')}</dt>
        <dd data-testid="checkpoint-signature">
          {signed === undefined ? (
            '—'
          ) : signed.ok ? (
            <span class="badge badge-ok">
              ✓ {t('health.signatureOk', { signer: signed.signers.join(', ') })} {pinned ? t('health.pinned') : t('health.serverKey')}
            </span>
          ) : (
            <span class="badge badge-bad">✗ {signed.reason}</span>
          )}
        </dd>
        <dt>{t('health.witnesses')}</dt>
        <dd>{witnesses.length === 0 ? t('health.noWitnesses') : t('health.witnessLines', { names: witnesses.join(', ') })}</dd>
        <dt>{t('health.verification')}</dt>
        <dd data-testid="verification-verdict">
          {v === null ? (
            <span class="muted">{t('health.notVerified')}</span>
          ) : v.ok ? (
            <span class="badge badge-ok">✓ {t('health.verifiedOk', { at: formatTime(v.at, lang), size: formatNumber(v.verifiedSize ?? 0, lang) })}</span>
          ) : (
            <span class="badge badge-bad">✗ {t('health.verifiedBad', { at: formatTime(v.at, lang) })}</span>
          )}
        </dd>
        <dt>{t('health.growth')}</dt>
        <dd>
          {growth === undefined ? (
            <span class="muted">{t('health.firstVisit')}</span>
          ) : growth.check.ok ? (
            <span class="badge badge-ok">✓ {t('health.grewOk', { size: formatNumber(growth.size, lang), at: formatTime(growth.since, lang) })}</span>
          ) : (
            <span class="badge badge-bad">✗ {t('health.grewBad')} {growth.check.reason}</span>
          )}
        </dd>
      </dl>
      <p>
        <a href={href(['verify'], { tab: 'checkpoint', ledger: ledger.ledger })}>{t('health.verifyHere')}</a>
      </p>
    </section>
  );
}
