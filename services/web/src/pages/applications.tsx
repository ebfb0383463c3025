/** Applications of a period: filtered by formation and status on the server, a page at a time (keyset). */
import { useEffect, useState } from 'preact/hooks';
import { get, periodPath } from '../api.ts';
import { Pager } from '../components/pager.tsx';
import { Loading, ProblemAlert } from '../components/problem.tsx';
import { useAsync, useScreen } from '../hooks.ts';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.ts';

/** GET …/applications items (the fields the list shows). */
export interface ApplicationRow {
  readonly applicationId: string;
  readonly formationId: string;
  readonly status: string;
  readonly verdict: string | null;
  readonly skdTotal: number | null;
  readonly skdDiscrepancy: boolean;
  readonly rank: number | null;
  readonly finalCode: string | null;
  readonly lastSeq: number;
}

export const APPLICATION_STATUSES = ['submitted', 'verified', 'returned', 'confirmed', 'sanggah', 'skd', 'skb', 'kompetensi', 'absent', 'ranked', 'decided', 'resigned', 'disqualified'] as const;
const PAGE = 50;

export function ApplicationsPage({ period, query }: { period: string; query: URLSearchParams }) {
  const { t } = useSession();
  const focus = useScreen(t('applications.title'));
  const formation = query.get('formation') ?? '';
  const status = query.get('status') ?? '';
  // Cursors of the pages seen so far: cursors[i] is the `after` of page i.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  const [goTo, setGoTo] = useState('');
  useEffect(() => {
    setCursors([undefined]);
    setPage(0);
  }, [period, formation, status]);
  const formations = useAsync(() => get<{ items: { formationId: string; jabatan: string; applicants: number }[] }>(periodPath(period, 'formations')), [period]);
  const list = useAsync(
    () => get<{ items: ApplicationRow[]; next: string | null }>(periodPath(period, 'applications'), { formation, status, limit: PAGE, after: cursors[page] }),
    [period, formation, status, page, cursors[page]],
  );

  return (
    <>
      <h1 ref={focus} tabIndex={-1}>
        {t('applications.title')} <span class="muted small">{period}</span>
      </h1>
      <form
        class="filters"
        aria-label={t('applications.open')}
        onSubmit={(e) => {
          e.preventDefault();
          if (goTo.trim()) navigate(href(['p', period, 'applications', goTo.trim()]));
        }}
      >
        <label>
          {t('applications.id')}
          <input class="input input-short" name="application" value={goTo} onInput={(e) => setGoTo(e.currentTarget.value)} autoComplete="off" spellcheck={false} />
        </label>
        <button type="submit" class="button">
          {t('applications.open')}
        </button>
      </form>
      <form
        class="filters"
        key={`${formation}|${status}`}
        aria-label={t('applications.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const text = (k: string): string => {
            const v = data.get(k);
            return typeof v === 'string' ? v : '';
          };
          navigate(href(['p', period, 'applications'], { formation: text('formation'), status: text('status') }));
        }}
      >
        <label>
          {t('flags.formation')}
          <select name="formation" class="input" value={formation}>
            <option value="">{t('common.all')}</option>
            {(formations.data?.items ?? []).map((f) => (
              <option key={f.formationId} value={f.formationId}>
                {f.formationId} ({f.applicants})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('applications.status')}
          <select name="status" class="input" value={status}>
            <option value="">{t('common.all')}</option>
            {APPLICATION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="button">
          {t('common.apply')}
        </button>
      </form>
      {list.error ? <ProblemAlert error={list.error} /> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <>
          <table class="data-table">
            <caption class="visually-hidden">{t('applications.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('applications.id')}</th>
                <th scope="col">{t('flags.formation')}</th>
                <th scope="col">{t('applications.status')}</th>
                <th scope="col">{t('applications.verdict')}</th>
                <th scope="col">SKD</th>
                <th scope="col">{t('applications.rank')}</th>
                <th scope="col">{t('applications.final')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.length === 0 ? (
                <tr>
                  <td colSpan={7} class="muted">
                    {t('common.none')}
                  </td>
                </tr>
              ) : (
                list.data.items.map((a) => (
                  <tr key={a.applicationId}>
                    <td>
                      <a href={href(['p', period, 'applications', a.applicationId])}>{a.applicationId}</a>
                    </td>
                    <td>{a.formationId}</td>
                    <td>{a.status}</td>
                    <td>{a.verdict ?? '—'}</td>
                    <td class="num">
                      {a.skdTotal ?? '—'}
                      {a.skdDiscrepancy ? (
                        <span class="badge badge-medium" title={t('applications.discrepancy')}>
                          ≠
                        </span>
                      ) : null}
                    </td>
                    <td class="num">{a.rank ?? '—'}</td>
                    <td>{a.finalCode ?? '—'}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
          <Pager
            label={t('applications.title')}
            page={page}
            hasNext={list.data.next !== null}
            onPrev={() => setPage((p) => Math.max(0, p - 1))}
            onNext={() => {
              const next = list.data?.next;
              if (next === null || next === undefined) return;
              setCursors((c) => [...c.slice(0, page + 1), next]);
              setPage((p) => p + 1);
            }}
          />
        </>
      ) : null}
    </>
  );
}
