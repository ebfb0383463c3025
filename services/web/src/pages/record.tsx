/**
 * Recording stage outcomes (officers and supervisors): document verification (MS/TMS per
 * document), the supervisor's confirmation, SKD and SKB scores. The API validates; its
 * errors are shown at the fields they name, and what was recorded is shown with its receipt.
 */
import { useState } from 'preact/hooks';
import { ApiError, periodPath, post, type WriteResult } from '../api.ts';
import { ErrorSummary, FormProblem, RadioGroup, SelectField, TextField, fieldErrorsOf, type FieldErrors } from '../components/form.tsx';
import { WriteResultView } from '../components/write-result.tsx';
import { useScreen, useSubmit } from '../hooks.ts';
import type { MessageKey } from '../i18n.ts';
import { recordingCommands, type Command } from '../roles.ts';
import { href } from '../router.ts';
import { useSession } from '../session.ts';

type RecordCommand = Exclude<Command, 'DisposeFlag'>;

/** Where each command is posted, under /v1/periods/{period}/applications/{application}. */
const PATHS: Record<RecordCommand, readonly string[]> = {
  VerifyDocuments: ['verification'],
  ConfirmVerification: ['verification', 'confirmation'],
  RecordSkdScore: ['skd-scores'],
  RecordSkbScore: ['skb-scores'],
};

/** A number when the text is one, else the text itself (so the API names the field and the rule). */
function numberOrText(value: string): number | string | undefined {
  const v = value.trim().replace(',', '.');
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : value;
}

function defined(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== ''));
}

export function RecordPage({ period, query }: { period: string; query: URLSearchParams }) {
  const { t, me } = useSession();
  const allowed = recordingCommands(me.role) as RecordCommand[];
  const asked = query.get('form') as RecordCommand | null;
  const form: RecordCommand | undefined = asked && allowed.includes(asked) ? asked : allowed[0];
  const focus = useScreen(t('record.title'));
  return (
    <>
      <h1 ref={focus} tabIndex={-1}>
        {t('record.title')} <span class="muted small">{period}</span>
      </h1>
      {allowed.length === 0 ? (
        <p class="alert alert-info">{t('record.none')}</p>
      ) : (
        <>
          <nav class="tabs" aria-label={t('record.which')}>
            <ul>
              {allowed.map((c) => (
                <li key={c}>
                  <a href={href(['p', period, 'record'], { form: c })} aria-current={c === form ? 'page' : undefined}>
                    {t(`command.${c}` as MessageKey)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {form ? <CommandForm key={form} period={period} command={form} /> : null}
        </>
      )}
    </>
  );
}

interface DocumentRow {
  document: string;
  verdict: 'MS' | 'TMS';
  reason: string;
}

function CommandForm({ period, command }: { period: string; command: RecordCommand }) {
  const { t } = useSession();
  const formId = `form-${command}`;
  const [application, setApplication] = useState('');
  const [values, setValues] = useState<Record<string, string>>({ source: 'manual', verdict: 'MS', part: 'practical' });
  const [documents, setDocuments] = useState<DocumentRow[]>([
    { document: 'ijazah', verdict: 'MS', reason: '' },
    { document: 'transkrip', verdict: 'MS', reason: '' },
  ]);
  const { busy, error, result, submit: write } = useSubmit<WriteResult>();
  const set = (k: string) => (v: string) => setValues((s) => ({ ...s, [k]: v }));
  const v = (k: string): string => values[k] ?? '';

  const fieldNames = ['application', 'verdict', 'note', 'twk', 'tiu', 'tkp', 'source', 'approvalRef', 'part', 'score', 'examiner', 'documents', ...documents.flatMap((_, i) => [`documents.${i}.document`, `documents.${i}.verdict`, `documents.${i}.reason`])];
  const errors: FieldErrors = fieldErrorsOf(error, fieldNames, { applicationId: 'application' });
  const labels: Record<string, string> = {
    application: t('record.application'),
    verdict: t('record.verdict'),
    note: t('record.note'),
    twk: 'TWK',
    tiu: 'TIU',
    tkp: 'TKP',
    source: t('record.source'),
    approvalRef: t('record.approvalRef'),
    part: t('record.part'),
    score: t('record.score'),
    examiner: t('record.examiner'),
    documents: t('record.documents'),
    ...Object.fromEntries(documents.flatMap((d, i) => [[`documents.${i}.document`, `${t('record.document')} ${i + 1}`], [`documents.${i}.reason`, `${t('record.reason')} ${d.document || i + 1}`]])),
  };
  const err = (k: string): string | undefined => errors.byField[k];

  const body = (): Record<string, unknown> => {
    switch (command) {
      case 'VerifyDocuments':
        return {
          verdict: documents.some((d) => d.verdict === 'TMS') ? 'TMS' : 'MS',
          documents: documents.map((d) => defined({ document: d.document, verdict: d.verdict, reason: d.reason })),
        };
      case 'ConfirmVerification':
        return defined({ verdict: v('verdict'), note: v('note') });
      case 'RecordSkdScore':
        return defined({ twk: numberOrText(v('twk')), tiu: numberOrText(v('tiu')), tkp: numberOrText(v('tkp')), source: v('source'), approvalRef: v('approvalRef') });
      case 'RecordSkbScore':
        return defined({ part: v('part'), score: numberOrText(v('score')), source: v('part') === 'cat' ? v('source') : 'manual', examiner: v('part') === 'cat' ? undefined : v('examiner'), approvalRef: v('approvalRef') });
    }
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    await write(
      () => {
        if (application.trim() === '') {
          throw new ApiError({ type: 'urn:casn:console:invalid', title: t('form.invalid'), status: 400, errors: [{ field: 'params.application', message: t('form.required') }] });
        }
        return post(periodPath(period, 'applications', application.trim(), ...PATHS[command]), body());
      },
      () => setValues((s) => ({ source: s.source ?? 'manual', verdict: s.verdict ?? 'MS', part: s.part ?? 'practical', examiner: s.examiner ?? '' })),
    );
  };

  const id = (k: string): string => `${formId}-${k}`;
  const verdicts = (['MS', 'TMS'] as const).map((x) => ({ value: x, label: t(`verdict.${x}`) }));
  const sources = (order: readonly ('manual' | 'cat')[]) => order.map((x) => ({ value: x, label: t(`source.${x}`) }));
  // The controls of one value of `values`, by its field name.
  const text = (k: string, hint: string, more: { inputMode?: 'numeric' | 'decimal'; width?: 'short' | 'long' } = {}) => (
    <TextField key={k} id={id(k)} name={k} label={labels[k]!} hint={hint} value={v(k)} onInput={set(k)} error={err(k)} {...more} />
  );
  const radios = (k: string, options: readonly { value: string; label: string }[]) => <RadioGroup name={id(k)} legend={labels[k]!} value={v(k)} onChange={set(k)} error={err(k)} options={options} />;
  return (
    <form id={formId} class="form panel" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>{t(`command.${command}` as MessageKey)}</h2>
      <p class="hint">{t(`command.${command}.hint` as MessageKey)}</p>
      <ErrorSummary errors={errors} labels={labels} formId={formId} />
      <FormProblem error={error} errors={errors} />
      <TextField id={id('application')} name="application" label={labels.application!} hint={t('record.applicationHint')} value={application} onInput={setApplication} error={err('application')} width="short" />

      {command === 'VerifyDocuments' ? (
        <fieldset class="field" id={id('documents')}>
          <legend>{labels.documents}</legend>
          {err('documents') ? <p class="error-message">{err('documents')}</p> : null}
          {documents.map((d, i) => (
            <div class="document-row" key={i}>
              <TextField
                id={id(`documents.${i}.document`)}
                name={`documents.${i}.document`}
                label={`${t('record.document')} ${i + 1}`}
                value={d.document}
                onInput={(x) => setDocuments((ds) => ds.map((y, j) => (j === i ? { ...y, document: x } : y)))}
                error={err(`documents.${i}.document`)}
                width="short"
              />
              <SelectField
                id={id(`documents.${i}.verdict`)}
                name={`documents.${i}.verdict`}
                label={t('record.verdict')}
                value={d.verdict}
                options={verdicts}
                onChange={(x) => setDocuments((ds) => ds.map((y, j) => (j === i ? { ...y, verdict: x === 'TMS' ? 'TMS' : 'MS' } : y)))}
                error={err(`documents.${i}.verdict`)}
              />
              <TextField
                id={id(`documents.${i}.reason`)}
                name={`documents.${i}.reason`}
                label={t('record.reason')}
                hint={d.verdict === 'TMS' ? t('record.reasonTms') : undefined}
                value={d.reason}
                onInput={(x) => setDocuments((ds) => ds.map((y, j) => (j === i ? { ...y, reason: x } : y)))}
                error={err(`documents.${i}.reason`)}
              />
              {documents.length > 1 ? (
                <button type="button" class="link-button" onClick={() => setDocuments((ds) => ds.filter((_, j) => j !== i))} aria-label={`${t('record.removeDocument')} ${d.document || i + 1}`}>
                  {t('record.remove')}
                </button>
              ) : null}
            </div>
          ))}
          <button type="button" class="button button-secondary" onClick={() => setDocuments((ds) => [...ds, { document: '', verdict: 'MS', reason: '' }])}>
            {t('record.addDocument')}
          </button>
          <p class="muted" aria-live="polite">
            {t('record.overall', { verdict: documents.some((d) => d.verdict === 'TMS') ? 'TMS' : 'MS' })}
          </p>
        </fieldset>
      ) : null}

      {command === 'ConfirmVerification' ? (
        <>
          {radios('verdict', verdicts)}
          {text('note', t('record.noteHint'), { width: 'long' })}
        </>
      ) : null}

      {command === 'RecordSkdScore' ? (
        <>
          <div class="field-row">
            {(['twk', 'tiu', 'tkp'] as const).map((k) => text(k, t(`record.${k}Hint`), { inputMode: 'numeric', width: 'short' }))}
          </div>
          {radios('source', sources(['manual', 'cat']))}
          {text('approvalRef', t('record.approvalRefHint'))}
        </>
      ) : null}

      {command === 'RecordSkbScore' ? (
        <>
          <SelectField
            id={id('part')}
            name="part"
            label={labels.part!}
            value={v('part')}
            onChange={set('part')}
            error={err('part')}
            options={(['cat', 'practical', 'interview', 'psychology'] as const).map((p) => ({ value: p, label: t(`skbPart.${p}` as MessageKey) }))}
          />
          {text('score', t('record.scoreHint'), { inputMode: 'decimal', width: 'short' })}
          {v('part') === 'cat' ? radios('source', sources(['cat', 'manual'])) : text('examiner', t('record.examinerHint'), { width: 'short' })}
          {text('approvalRef', t('record.approvalRefHint'))}
        </>
      ) : null}

      <button type="submit" class="button" disabled={busy}>
        {busy ? t('common.working') : t('record.submit')}
      </button>
      {result ? <WriteResultView result={result} ledger={period} title={t('record.recorded')} /> : null}
    </form>
  );
}
