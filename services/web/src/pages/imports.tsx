/** CSV imports (SSCASN registrations, BKN CAT scores): all or nothing, with every bad row listed by line. */
import { useState } from 'preact/hooks';
import { periodPath, postCsv, type WriteResult } from '../api.ts';
import { ProblemAlert } from '../components/problem.tsx';
import { DataTable } from '../components/table.tsx';
import { WriteResultView } from '../components/write-result.tsx';
import { formatNumber } from '../format.ts';
import { useScreen, useSubmit } from '../hooks.ts';
import { may } from '../roles.ts';
import { useSession } from '../session.ts';

interface ImportResult {
  readonly rows: number;
  readonly recorded: number;
  readonly write: WriteResult | null;
  readonly reconciliation: readonly { line: number; applicationId: string; recorded: Record<string, number>; imported: Record<string, number> }[];
}

export function ImportsPage({ period }: { period: string }) {
  const { t, me } = useSession();
  const focus = useScreen(t('imports.title'));
  return (
    <>
      <h1 ref={focus} tabIndex={-1}>
        {t('imports.title')} <span class="muted small">{period}</span>
      </h1>
      <p class="lead">{t('imports.intro')}</p>
      {may(me.role, 'importRegistrations') ? <ImportForm period={period} kind="registrations" /> : null}
      {may(me.role, 'importCatScores') ? <ImportForm period={period} kind="cat-scores" /> : null}
    </>
  );
}

function ImportForm({ period, kind }: { period: string; kind: 'registrations' | 'cat-scores' }) {
  const { t, lang } = useSession();
  const id = `import-${kind}`;
  const [file, setFile] = useState<File | undefined>(undefined);
  const { busy, error, result, submit: write } = useSubmit<ImportResult>();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!file) return;
    await write(async () => postCsv<ImportResult>(periodPath(period, 'imports', kind), await file.text()));
  };
  const rowErrors = (error?.problem.errors ?? []).map((e) => {
    const m = /^line (\d+): (.*)$/.exec(e.field);
    return { line: m ? Number(m[1]) : undefined, field: m ? m[2]! : e.field, message: e.message };
  });
  return (
    <form class="form panel" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t(kind === 'registrations' ? 'imports.registrations' : 'imports.catScores')}</h2>
      <p class="hint">{t(kind === 'registrations' ? 'imports.registrationsHint' : 'imports.catScoresHint')}</p>
      <div class="field">
        <label for={`${id}-file`}>{t('imports.file')}</label>
        <input id={`${id}-file`} type="file" accept=".csv,text/csv" class="input" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
      </div>
      <button type="submit" class="button" disabled={!file || busy}>
        {busy ? t('common.working') : t('imports.submit')}
      </button>
      {error ? (
        rowErrors.length > 0 && rowErrors.some((r) => r.line !== undefined) ? (
          <div class="alert alert-error" role="alert">
            <p>
              <strong>{t('imports.refused', { n: rowErrors.length })}</strong> {error.problem.detail}
            </p>
            <DataTable
              columns={[t('imports.line'), t('imports.column'), t('imports.problem')]}
              rows={rowErrors}
              row={(r, i) => (
                <tr key={i}>
                  <td class="num">{r.line ?? '—'}</td>
                  <td>
                    <code>{r.field}</code>
                  </td>
                  <td>{r.message}</td>
                </tr>
              )}
            />
          </div>
        ) : (
          <ProblemAlert error={error} />
        )
      ) : null}
      {result ? (
        <>
          <p class="alert alert-ok" role="status">
            {t('imports.done', { rows: formatNumber(result.rows, lang), recorded: formatNumber(result.recorded, lang) })}
          </p>
          {result.reconciliation.length > 0 ? (
            <div class="alert alert-info">
              <p>{t('imports.reconciliation', { n: result.reconciliation.length })}</p>
              <DataTable
                columns={[t('imports.line'), t('applications.id'), t('imports.manual'), t('imports.cat')]}
                rows={result.reconciliation}
                row={(r) => (
                  <tr key={r.line}>
                    <td class="num">{r.line}</td>
                    <td>{r.applicationId}</td>
                    <td>{JSON.stringify(r.recorded)}</td>
                    <td>{JSON.stringify(r.imported)}</td>
                  </tr>
                )}
              />
            </div>
          ) : null}
          {result.write ? <WriteResultView result={result.write} ledger={period} title={t('imports.recorded')} /> : null}
        </>
      ) : null}
    </form>
  );
}
