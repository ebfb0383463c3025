/**
 * One flag: the explanation, the facts, the evidence entries with their proofs checked in
 * the browser (leaf hash, inclusion in the flag's checkpoint, consistency with the latest
 * signed checkpoint), the dispositions, and the inspector's disposition form.
 */
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, ledgerPath, periodPath, post, type WriteResult } from '../api.ts';
import { ErrorSummary, Field, FormProblem, RadioGroup, TextField, fieldErrorsOf } from '../components/form.tsx';
import { Loading, ProblemAlert } from '../components/problem.tsx';
import { DataTable } from '../components/table.tsx';
import { WriteResultView } from '../components/write-result.tsx';
import type { FlagDetail } from '../flags-model.ts';
import { formatTime, shortHash } from '../format.ts';
import { useAsync, useScreen, useSubmit } from '../hooks.ts';
import { mayRecord } from '../roles.ts';
import { href } from '../router.ts';
import { useSession } from '../session.ts';
import { checkCheckpoint, checkConsistency, checkInclusion, checkLeaf, parseEntry, type Check, type CheckpointView } from '../verify/proofs.ts';
import { useDetectorLabel } from './flags.tsx';

interface ChainCheck {
  readonly signed: ReturnType<typeof checkCheckpoint> | undefined;
  readonly consistency: Check | undefined;
  readonly latestSize: number | undefined;
}

function CheckBadge({ check, okText }: { check: Check | undefined; okText: string }) {
  const { t } = useSession();
  if (check === undefined) return <span class="muted">…</span>;
  return check.ok ? (
    <span class="badge badge-ok">✓ {okText}</span>
  ) : (
    <span class="badge badge-bad" title={[check.expected && `${t('verify.expected')} ${check.expected}`, check.actual && `${t('verify.actual')} ${check.actual}`].filter(Boolean).join('\n')}>
      ✗ {check.reason}
    </span>
  );
}

export function FlagPage({ period, flagId }: { period: string; flagId: string }) {
  const { t, lang, me } = useSession();
  const detectorLabel = useDetectorLabel();
  const flag = useAsync(() => get<FlagDetail>(periodPath(period, 'flags', flagId)), [period, flagId]);
  const focus = useScreen(flag.data ? detectorLabel(flag.data.detector) : t('flag.title'));
  const [chain, setChain] = useState<ChainCheck | undefined>(undefined);

  // The flag's checkpoint is a (size, root) the detection ran on; it is tied to a signed
  // checkpoint by a consistency proof, so the evidence is proven against a signed tree head.
  useEffect(() => {
    const f = flag.data;
    setChain(undefined);
    if (!f) return;
    let live = true;
    (async (): Promise<ChainCheck> => {
      const latest = await get<CheckpointView>(ledgerPath(period, 'checkpoint'));
      const signed = checkCheckpoint(latest.note, latest.verifierKey);
      if (!signed.ok) return { signed, consistency: undefined, latestSize: latest.size };
      if (latest.size < f.checkpoint.size) return { signed, consistency: { ok: false, reason: t('flag.notYetSigned') }, latestSize: latest.size };
      if (latest.size === f.checkpoint.size) {
        return { signed, consistency: signed.root === f.checkpoint.root ? { ok: true } : { ok: false, reason: 'roots differ', expected: signed.root, actual: f.checkpoint.root }, latestSize: latest.size };
      }
      const proof = await get<{ hashes: string[]; root1: string; root2: string }>(ledgerPath(period, 'proofs', 'consistency'), { from: f.checkpoint.size, to: latest.size });
      return { signed, consistency: checkConsistency(f.checkpoint.size, latest.size, proof.hashes, f.checkpoint.root, signed.root), latestSize: latest.size };
    })().then(
      (c) => live && setChain(c),
      (err: unknown) => live && setChain({ signed: undefined, consistency: { ok: false, reason: err instanceof ApiError ? (err.problem.detail ?? err.problem.title) : String(err) }, latestSize: undefined }),
    );
    return () => {
      live = false;
    };
  }, [flag.data]);

  if (flag.error) {
    return (
      <>
        <h1 ref={focus} tabIndex={-1}>
          {t('flag.title')}
        </h1>
        <ProblemAlert error={flag.error} />
      </>
    );
  }
  if (!flag.data) return <Loading />;
  const f = flag.data;
  const checks = f.evidence.map((e) => {
    const sameRoot: Check = { ok: false, reason: "proof root is not the flag's checkpoint root", expected: f.checkpoint.root, actual: e.proof.root };
    return { leaf: checkLeaf(e.body, e.leaf), inclusion: e.proof.root === f.checkpoint.root ? checkInclusion(e.body, e.proof, f.checkpoint.root) : sameRoot };
  });
  const allOk = checks.every((c) => c.leaf.ok && c.inclusion.ok);
  const omitted = f.facts.entriesOmitted;

  return (
    <>
      <p class="breadcrumb">
        <a href={href(['p', period, 'flags'])}>← {t('flags.title')}</a>
      </p>
      <h1 ref={focus} tabIndex={-1}>
        {detectorLabel(f.detector)} <span class={`badge badge-${f.severity}`}>{t(`severity.${f.severity}`)}</span>{' '}
        <span class={`badge badge-status-${f.status}`} data-testid="flag-status">
          {t(`status.${f.status}`)}
        </span>
      </h1>
      <p class="muted small">
        flagId <code>{f.flagId}</code> · key <code>{f.key}</code> · {f.detector} v{f.version} · {f.config}
      </p>

      <section aria-labelledby="explanation-title" class="panel">
        <h2 id="explanation-title">{t('flag.explanation')}</h2>
        <p class="explanation" lang={lang} data-testid="explanation">
          {lang === 'id' ? f.explanation.id : f.explanation.en}
        </p>
        <details>
          <summary>{lang === 'id' ? 'English' : 'Bahasa Indonesia'}</summary>
          <p lang={lang === 'id' ? 'en' : 'id'}>{lang === 'id' ? f.explanation.en : f.explanation.id}</p>
        </details>
        <dl class="facts facts-grid">
          {f.formationId ? (
            <>
              <dt>{t('flags.formation')}</dt>
              <dd>{f.formationId}</dd>
            </>
          ) : null}
          <dt>{t('flags.actors')}</dt>
          <dd>
            {f.actors.length === 0
              ? '—'
              : f.actors.map((a, i) => (
                  <span key={a}>
                    {i > 0 ? ', ' : ''}
                    <a href={href(['p', period, 'officers', a])}>{a}</a>
                  </span>
                ))}
          </dd>
          <dt>{t('flags.applications')}</dt>
          <dd>
            {f.applications.length === 0
              ? '—'
              : f.applications.slice(0, 20).map((a, i) => (
                  <span key={a}>
                    {i > 0 ? ', ' : ''}
                    <a href={href(['p', period, 'applications', a])}>{a}</a>
                  </span>
                ))}
            {f.applications.length > 20 ? ` +${f.applications.length - 20}` : ''}
          </dd>
          {Object.entries(f.facts).map(([k, v]) => (
            <Fragment key={k}>
              <dt>
                <code>{k}</code>
              </dt>
              <dd>{String(v)}</dd>
            </Fragment>
          ))}
        </dl>
      </section>

      <section aria-labelledby="evidence-title">
        <h2 id="evidence-title">{t('flag.evidence', { n: f.evidence.length })}</h2>
        <div class={`alert ${allOk && chain?.consistency?.ok && chain.signed?.ok ? 'alert-ok' : chain === undefined ? 'alert-info' : 'alert-error'}`} role="status" data-testid="proof-summary">
          <p>
            {allOk ? t('flag.proofsOk', { n: f.evidence.length, size: f.checkpoint.size }) : t('flag.proofsBad')}{' '}
            <span class="muted small">
              root <code title={f.checkpoint.root}>{shortHash(f.checkpoint.root)}</code>
            </span>
          </p>
          <p>
            {chain === undefined ? (
              t('flag.chainChecking')
            ) : chain.signed && chain.signed.ok && chain.consistency?.ok ? (
              t('flag.chainOk', { size: chain.latestSize ?? 0, signer: chain.signed.signers.join(', ') })
            ) : (
              <>
                {t('flag.chainBad')} {chain.signed && !chain.signed.ok ? chain.signed.reason : chain.consistency && !chain.consistency.ok ? chain.consistency.reason : ''}
              </>
            )}
          </p>
          <p class="muted small">{t('flag.keyNote')}</p>
        </div>
        {typeof omitted === 'number' && omitted > 0 ? <p class="hint">{t('flag.omitted', { n: omitted })}</p> : null}
        <DataTable
          caption={t('flag.evidence', { n: f.evidence.length })}
          columns={['seq', t('entry.type'), t('entry.at'), t('entry.actor'), t('entry.leaf'), t('entry.inclusion')]}
          rows={f.evidence}
          row={(e, i) => {
            const entry = parseEntry(e.body);
            return (
              <tr key={e.seq} data-testid="evidence-row">
                <td class="num">{e.seq}</td>
                <td>
                  <details>
                    <summary>
                      <code>{entry?.type ?? '?'}</code> <span class="muted small">{entry?.stream}</span>
                    </summary>
                    <pre class="code-block" tabIndex={0}>
                      {JSON.stringify(entry?.payload ?? e.body, null, 2)}
                    </pre>
                  </details>
                </td>
                <td>{entry ? formatTime(entry.at, lang) : '—'}</td>
                <td>{entry ? `${entry.actor.id} (${entry.actor.role})` : '—'}</td>
                <td>
                  <CheckBadge check={checks[i]?.leaf} okText={t('entry.leafOk')} />
                </td>
                <td>
                  <CheckBadge check={checks[i]?.inclusion} okText={t('entry.inclusionOk', { size: e.proof.size })} />
                </td>
              </tr>
            );
          }}
        />
      </section>

      <section aria-labelledby="dispositions-title">
        <h2 id="dispositions-title">{t('flag.dispositions')}</h2>
        {f.dispositions.length === 0 ? (
          <p class="muted">{t('flag.noDispositions')}</p>
        ) : (
          <ol class="dispositions">
            {f.dispositions.map((d) => (
              <li key={d.seq}>
                <span class={`badge badge-status-${d.status}`}>{t(`status.${d.status}`)}</span> {formatTime(d.at, lang)} · {d.actorId} · seq {d.seq}
                <p>{d.reason}</p>
                {d.reference ? <p class="muted small">{t('flag.reference')}: {d.reference}</p> : null}
              </li>
            ))}
          </ol>
        )}
        {mayRecord(me.role, 'DisposeFlag') ? <DispositionForm period={period} flagId={f.flagId} onRecorded={() => flag.reload()} /> : null}
      </section>
    </>
  );
}

function DispositionForm({ period, flagId, onRecorded }: { period: string; flagId: string; onRecorded: () => void }) {
  const { t } = useSession();
  const [status, setStatus] = useState('');
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const { busy, error, result, submit: write } = useSubmit<WriteResult>();
  const fields = ['status', 'reason', 'reference'];
  const errors = fieldErrorsOf(error, fields);
  const labels = { status: t('disposition.status'), reason: t('disposition.reason'), reference: t('disposition.reference') };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const body = { ...(status ? { status } : {}), reason, ...(reference.trim() ? { reference } : {}) };
    await write(
      () => post(periodPath(period, 'flags', flagId, 'disposition'), body),
      () => {
        setStatus('');
        setReason('');
        setReference('');
        onRecorded();
      },
    );
  };

  return (
    <form class="panel form" id="disposition" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="disposition-title">
      <h3 id="disposition-title">{t('disposition.title')}</h3>
      <ErrorSummary errors={errors} labels={labels} formId="disposition" />
      <FormProblem error={error} errors={errors} />
      <RadioGroup
        name="disposition-status"
        legend={labels.status}
        value={status}
        error={errors.byField.status}
        onChange={setStatus}
        options={[
          { value: 'confirmed', label: t('status.confirmed'), hint: t('disposition.confirmedHint') },
          { value: 'dismissed', label: t('status.dismissed'), hint: t('disposition.dismissedHint') },
          { value: 'referred', label: t('status.referred'), hint: t('disposition.referredHint') },
        ]}
      />
      <Field id="disposition-reason" label={labels.reason} hint={t('disposition.reasonHint')} error={errors.byField.reason}>
        {(describedBy, invalid) => (
          <textarea
            id="disposition-reason"
            name="reason"
            class="input input-long"
            rows={3}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
            aria-describedby={describedBy}
            aria-invalid={invalid ? 'true' : undefined}
          />
        )}
      </Field>
      <TextField id="disposition-reference" name="reference" label={labels.reference} hint={t('disposition.referenceHint')} value={reference} onInput={setReference} error={errors.byField.reference} />
      <button type="submit" class="button" disabled={busy}>
        {busy ? t('common.working') : t('disposition.submit')}
      </button>
      {result ? <WriteResultView result={result} ledger={period} title={t('disposition.recorded')} /> : null}
    </form>
  );
}
